// SPDX-License-Identifier: GPL-2.0
/*
 * No stalls: with STALL_PROCESSES (default 10,000) processes, read the
 * processes file in a loop for STALL_SECONDS (default 30).  The walk holds
 * nothing across processes and reschedules between them, so neither the
 * soft-lockup detector nor RCU may complain (the VM run also fails on any
 * such line in the kernel log).
 */
#include <signal.h>
#include <sys/prctl.h>
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

TEST_HARNESS_MAIN
