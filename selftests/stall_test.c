// SPDX-License-Identifier: GPL-2.0
/*
 * No stalls: with STALL_PROCESSES (default 10,000) processes, read the
 * processes file in a loop for STALL_SECONDS (default 30).  The walk holds
 * nothing across processes and reschedules between them, so neither the
 * soft-lockup detector nor RCU may complain (the VM run also fails on any
 * such line in the kernel log).  The same for the files view with
 * STALL_INODES (default 300,000) inodes on one tmpfs: the walk of a
 * superblock's inode list drops its lock and RCU between small batches.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "kselftest_harness.h"
#include "helpers.h"

static int env_int(const char *name, int def)
{
	const char *s = getenv(name);

	return s && atoi(s) > 0 ? atoi(s) : def;
}

TEST(read_loop_with_many_processes)
{
	int nproc = env_int("STALL_PROCESSES", 10000), seconds = env_int("STALL_SECONDS", 30);
	struct timespec start, t;
	long reads = 0, rows = 0;
	double worst = 0, took;
	pid_t *kids;
	int i;

	kids = calloc(nproc, sizeof(*kids));
	ASSERT_NE(NULL, kids);
	for (i = 0; i < nproc; i++) {
		kids[i] = fork();
		ASSERT_LE(0, kids[i]);
		if (!kids[i]) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			pause();
			_exit(0);
		}
	}
	sh("dmesg -c >/dev/null");
	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		struct ml_procs p;
		struct timespec a;

		clock_gettime(CLOCK_MONOTONIC, &a);
		ASSERT_EQ(0, read_processes(&p, 1 << 16));
		clock_gettime(CLOCK_MONOTONIC, &t);
		took = (t.tv_sec - a.tv_sec) + (t.tv_nsec - a.tv_nsec) / 1e9;
		worst = took > worst ? took : worst;
		rows = p.n;
		ml_procs_free(&p);
		reads++;
	} while (t.tv_sec - start.tv_sec < seconds);
	TH_LOG("%ld reads of %ld rows in %d s; slowest read %.3f s", reads, rows, seconds, worst);
	EXPECT_GE(rows, nproc);
	EXPECT_NE(0, sh("dmesg | grep -E 'soft lockup|rcu.*stall|hung task|BUG:|WARNING:'"));
	for (i = 0; i < nproc; i++)
		kill(kids[i], SIGKILL);
	while (wait(NULL) > 0)
		;
	free(kids);
}

static double since(const struct timespec *a)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - a->tv_sec) + (t.tv_nsec - a->tv_nsec) / 1e9;
}

/*
 * Inodes the walk must pass: one in 16 has a page cached (a row), the rest
 * are empty, which the walk skips but still steps over under the lock.
 */
static int make_inodes(const char *dir, int n)
{
	char path[64];
	int i, fd;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%d", dir, i);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (fd < 0 || (i % 16 == 0 && write(fd, "m", 1) != 1))
			return -1;
		close(fd);
	}
	return 0;
}

TEST(files_read_loop_with_many_inodes)
{
	int n = env_int("STALL_INODES", 300000), seconds = env_int("STALL_SECONDS", 30);
	const char *mnt = "/tmp/memlens-stall-inodes";
	struct timespec start, a;
	double worst = 0, took;
	long reads = 0, rows = 0;
	struct ml_files f;

	mkdir(mnt, 0700);
	ASSERT_EQ(0, mount("tmpfs", mnt, "tmpfs", 0, "nr_inodes=0,size=50%"));
	clock_gettime(CLOCK_MONOTONIC, &start);
	ASSERT_EQ(0, make_inodes(mnt, n)) TH_LOG("creating inodes: %s", strerror(errno));
	TH_LOG("%d inodes made in %.1f s", n, since(&start));
	sh("dmesg -c >/dev/null");
	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		clock_gettime(CLOCK_MONOTONIC, &a);
		ASSERT_EQ(0, read_files_view(&f, 1 << 20));
		took = since(&a);
		worst = took > worst ? took : worst;
		rows = f.n;
		ml_files_free(&f);
		reads++;
	} while (since(&start) < seconds);
	TH_LOG("%ld reads of %ld rows in %d s; slowest read %.3f s", reads, rows, seconds, worst);
	EXPECT_GE(rows, (n + 15) / 16);
	EXPECT_NE(0, sh("dmesg | grep -E 'soft lockup|rcu.*stall|hung task|BUG:|WARNING:'"));
	EXPECT_EQ(0, umount(mnt)) TH_LOG("umount: %s", strerror(errno));
	rmdir(mnt);
}

TEST_HARNESS_MAIN
