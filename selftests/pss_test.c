// SPDX-License-Identifier: GPL-2.0
/*
 * The pss view against /proc/PID/smaps_rollup: every quiet process, and
 * processes made to share memory in known ways (a private region after
 * fork, before and after copy-on-write; a file mapped by N processes;
 * MAP_SHARED anonymous memory; swapped-out memory shared after fork;
 * transparent huge pages, after fork and after copy-on-write of one page;
 * hugetlb pages, which smaps leaves out of its sizes; pages KSM merged).
 * Each scenario is first checked to be what it claims, with smaps' own
 * numbers for the region (/proc/PID/smaps), then every column of the
 * process's row must equal smaps_rollup's, read before and after it.
 *
 * And the promise of the view: a process whose mmap lock a writer holds
 * is shown "busy", with no numbers, while the read finishes at once; a
 * process the time budget does not cover is "partial".  No user-space
 * program can hold the lock long enough to be sure (mmap() and munmap()
 * take it for moments; a fault blocked in userfaultfd holds it, or only
 * its VMA's lock, for read), so the test module memlens_selftest holds it.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <dirent.h>
#include <time.h>

#include "kselftest_harness.h"
#include "helpers.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

#define PSS		MEMLENS_DIR "/pss"
#define HOLD_MMAP	"/sys/kernel/debug/memlens_selftest/hold_mmap"

/* smaps_rollup's lines and the columns that must equal them; uss is two lines. */
static const struct {
	const char *key;
	int col;
} rollup_keys[] = {
	{ "Rss", MEMLENS_PSS_RSS },
	{ "Pss", MEMLENS_PSS_PSS },
	{ "Pss_Anon", MEMLENS_PSS_PSS_ANON },
	{ "Pss_File", MEMLENS_PSS_PSS_FILE },
	{ "Pss_Shmem", MEMLENS_PSS_PSS_SHMEM },
	{ "Private_Clean", MEMLENS_PSS_USS },
	{ "Private_Dirty", MEMLENS_PSS_USS },
	{ "Swap", MEMLENS_PSS_SWAP },
	{ "SwapPss", MEMLENS_PSS_SWAP_PSS },
};

struct rollup {
	long long v[MEMLENS_PSS_NR_NUMERIC];
};

/* /proc/PID/smaps_rollup in columns; -1 if there is none (a kernel thread, gone). */
static int read_rollup(long pid, struct rollup *r)
{
	char path[64], line[256], key[64];
	long long kb;
	size_t i;
	int seen = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/smaps_rollup", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	memset(r, 0, sizeof(*r));
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63[^:]: %lld kB", key, &kb) != 2)
			continue;
		for (i = 0; i < ARRAY_SIZE(rollup_keys); i++) {
			if (strcmp(key, rollup_keys[i].key))
				continue;
			r->v[rollup_keys[i].col] += kb;
			seen++;
		}
	}
	fclose(f);
	return seen == ARRAY_SIZE(rollup_keys) ? 0 : -1;
}

static int read_pss(struct ml_pss *p)
{
	return read_view(PSS, 1 << 16, ml_parse_pss, p);
}

static const struct ml_pss_row *find_pss(const struct ml_pss *p, long pid)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->rows[i].val[MEMLENS_PSS_PID] == (uint64_t)pid)
			return &p->rows[i];
	return NULL;
}

/*
 * Where a row differs from smaps_rollup: -1 if nowhere, else the first
 * column.  swap_pss blank (the module cannot read swap counts on this
 * kernel: the version file says so) is not compared.
 */
static int row_differs(const struct ml_pss_row *row, const struct rollup *r)
{
	int c;

	for (c = MEMLENS_PSS_RSS; c < MEMLENS_PSS_NR_NUMERIC; c++) {
		if (c == MEMLENS_PSS_SWAP_PSS && (row->blank & (1u << c)))
			continue;
		if (row->blank & (1u << c) || row->val[c] != (uint64_t)r->v[c])
			return c;
	}
	return -1;
}

static void log_row(struct __test_metadata *_metadata, long pid, const struct ml_pss_row *row,
		    const struct rollup *r)
{
	int c;

	for (c = MEMLENS_PSS_RSS; c < MEMLENS_PSS_NR_NUMERIC; c++)
		TH_LOG("pid %ld %-9s memlens %s%llu smaps_rollup %lld", pid, ml_pss_fmt[c].name,
		       row->blank & (1u << c) ? "blank " : "",
		       (unsigned long long)row->val[c], r->v[c]);
}

/*
 * @pid's row, with smaps_rollup read before and after it unchanged: 0 when
 * they are equal, 1 when they differ (logged), -1 when the process never
 * held still in 5 tries.
 */
static int compare_pid(struct __test_metadata *_metadata, long pid)
{
	const struct ml_pss_row *row;
	struct rollup a, b;
	struct ml_pss p;
	int i, c = -1;

	for (i = 0; i < 5; i++) {
		if (read_rollup(pid, &a) || read_pss(&p))
			return -1;
		row = find_pss(&p, pid);
		if (read_rollup(pid, &b) || !row) {
			ml_pss_free(&p);
			return -1;
		}
		if (memcmp(&a, &b, sizeof(a))) {
			ml_pss_free(&p);
			continue;
		}
		c = row->status == ML_PSS_OK ? row_differs(row, &a) : MEMLENS_PSS_PID;
		if (c >= 0) {
			TH_LOG("pid %ld: status %d, %s differs", pid, row->status,
			       ml_pss_fmt[c].name);
			log_row(_metadata, pid, row, &a);
		}
		ml_pss_free(&p);
		return c >= 0;
	}
	return -1;
}

/* A /proc/PID/smaps line that opens a VMA: "start-end perms ...", in lowercase hex. */
static bool vma_header(const char *line)
{
	size_t n = strspn(line, "0123456789abcdef");

	return n && line[n] == '-';
}

/* A field of the smaps entry of @pid's VMA that starts at @addr, kB; -1 if none. */
static long long vma_field(long pid, const void *addr, const char *key)
{
	char path[64], line[512], start[32];
	size_t kl = strlen(key);
	long long v = -1;
	bool in = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/smaps", pid);
	snprintf(start, sizeof(start), "%lx-", (unsigned long)addr);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (vma_header(line)) {
			in = !strncmp(line, start, strlen(start));
			continue;
		}
		if (in && !strncmp(line, key, kl) && line[kl] == ':') {
			v = strtoll(line + kl + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

/*
 * Children that set up memory, say so, then wait for commands: each is a
 * process with a pipe in (commands) and a pipe out (one byte per command
 * done), killed when the test process exits.
 */
struct kid {
	pid_t pid;
	int cmd, done;
};

static void kid_say(int fd)
{
	char c = 'k';

	if (write(fd, &c, 1) != 1)
		_exit(1);
}

/* Fork; in the child, return with its pipes' ends in @k (pid 0). */
static int kid_fork(struct kid *k)
{
	int in[2], out[2];

	if (pipe(in) || pipe(out))
		return -1;
	k->pid = fork();
	if (k->pid < 0)
		return -1;
	if (!k->pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(in[1]);
		close(out[0]);
		k->cmd = in[0];
		k->done = out[1];
		return 0;
	}
	close(in[0]);
	close(out[1]);
	k->cmd = in[1];
	k->done = out[0];
	return 0;
}

/* Wait for the kid's next "done"; the command char @c first unless 0. */
static int kid_do(struct kid *k, char c)
{
	char r;

	if (c && write(k->cmd, &c, 1) != 1)
		return -1;
	return read(k->done, &r, 1) == 1 ? 0 : -1;
}

static char kid_next(struct kid *k)
{
	char c;

	return read(k->cmd, &c, 1) == 1 ? c : 'q';
}

static void kid_stop(struct kid *k)
{
	kill(k->pid, SIGKILL);
	waitpid(k->pid, NULL, 0);
	close(k->cmd);
	close(k->done);
}

static void touch(char *p, size_t len, char v)
{
	size_t i;

	for (i = 0; i < len; i += 4096)
		p[i] = v;
}

struct snap {
	long pid;
	struct rollup r;
};

/*
 * Every process whose smaps_rollup was the same before and after the read:
 * equal.  One that moved is looked at again, alone.  The test itself is
 * left out: its buffers come and go around every read.
 */
TEST(quiet_processes_equal_smaps_rollup)
{
	int i, j = 0, n = 0, nsnap = 0, compared = 0, moved = 0, mismatched = 0;
	const struct ml_pss_row *row;
	struct snap *before;
	struct ml_pss p;
	struct rollup r;
	int c;

	ASSERT_EQ(0, read_pss(&p));
	before = calloc(p.n, sizeof(*before));
	ASSERT_NE(NULL, before);
	for (i = 0; i < (int)p.n; i++) {
		before[nsnap].pid = p.rows[i].val[MEMLENS_PSS_PID];
		if (before[nsnap].pid != getpid() && !read_rollup(before[nsnap].pid, &before[nsnap].r))
			nsnap++;
	}
	ml_pss_free(&p);
	ASSERT_EQ(0, read_pss(&p));
	for (i = 0; i < (int)p.n; i++) {
		long pid = p.rows[i].val[MEMLENS_PSS_PID];

		row = &p.rows[i];
		/* both lists ascend by pid */
		while (j < nsnap && before[j].pid < pid)
			j++;
		if (j == nsnap || before[j].pid != pid || read_rollup(pid, &r))
			continue;	/* a kernel thread, new, gone, or this test */
		n++;
		c = -1;
		if (!memcmp(&r, &before[j].r, sizeof(r))) {
			c = row->status == ML_PSS_OK ? row_differs(row, &r) : MEMLENS_PSS_PID;
			if (c < 0) {
				compared++;
				continue;
			}
		}
		/* it moved, or differs: a busy moment, a change that came back; again */
		c = compare_pid(_metadata, pid);
		if (c > 0)
			mismatched++;
		else if (c < 0)
			moved++;
		else
			compared++;
	}
	TH_LOG("%d processes with an mm: %d equal to smaps_rollup, %d moving, %d different",
	       n, compared, moved, mismatched);
	EXPECT_EQ(0, mismatched);
	/* nine in ten quiet, and one more may move however few there are (the runner's) */
	EXPECT_GE((compared + 1) * 10, n * 9);
	EXPECT_GE(compared, 3);
	ml_pss_free(&p);
	free(before);
}

#define REGION	(32UL << 20)
#define REGION_KB	(long long)(REGION >> 10)

/*
 * A private anonymous region written by A, then A forks B: before B writes
 * it, each has half of it in pss and none of it in uss; after B writes
 * every page (copy-on-write), each has all of it, private.
 */
TEST(anon_private_fork_then_cow)
{
	struct kid a, b;
	char *m = NULL;

	ASSERT_EQ(0, kid_fork(&a));
	if (!a.pid) {
		m = mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			_exit(1);
		touch(m, REGION, 1);
		if (write(a.done, &m, sizeof(m)) != sizeof(m))
			_exit(1);
		kid_next(&a);		/* fork */
		b = a;
		b.pid = fork();
		if (!b.pid) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			b.pid = getpid();
			if (write(a.done, &b.pid, sizeof(b.pid)) != sizeof(b.pid))
				_exit(1);
			kid_next(&a);	/* write */
			touch(m, REGION, 2);
			kid_say(a.done);
			pause();
			_exit(0);
		}
		pause();
		_exit(0);
	}
	ASSERT_EQ(sizeof(m), read(a.done, &m, sizeof(m)));
	ASSERT_EQ(1, write(a.cmd, "f", 1));
	ASSERT_EQ(sizeof(b.pid), read(a.done, &b.pid, sizeof(b.pid)));

	/* the scenario, in smaps' own words, then memlens against the rollup */
	EXPECT_EQ(REGION_KB / 2, vma_field(a.pid, m, "Pss"));
	EXPECT_EQ(REGION_KB / 2, vma_field(b.pid, m, "Pss"));
	EXPECT_EQ(0, vma_field(b.pid, m, "Private_Dirty"));
	EXPECT_EQ(0, compare_pid(_metadata, a.pid));
	EXPECT_EQ(0, compare_pid(_metadata, b.pid));

	ASSERT_EQ(0, kid_do(&a, 'w'));	/* B writes every page */
	EXPECT_EQ(REGION_KB, vma_field(a.pid, m, "Pss"));
	EXPECT_EQ(REGION_KB, vma_field(b.pid, m, "Private_Dirty"));
	EXPECT_EQ(0, compare_pid(_metadata, a.pid));
	EXPECT_EQ(0, compare_pid(_metadata, b.pid));
	kill(b.pid, SIGKILL);
	kid_stop(&a);
}

#define NKIDS	4
#define FILE_SIZE	(8UL << 20)

/* A file mapped and read by NKIDS processes: each has FILE_SIZE / NKIDS of pss_file. */
TEST(file_mapped_by_n_processes)
{
	const char *mnt = scratch("fs");
	struct kid k[NKIDS];
	char path[256], *buf, *m = NULL, *addr[NKIDS];
	volatile char sum = 0;
	int fd, i;

	if (!mnt)
		SKIP(return, "no scratch filesystem");
	snprintf(path, sizeof(path), "%s/pss-shared", mnt);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, fd);
	buf = malloc(FILE_SIZE);
	ASSERT_NE(NULL, buf);
	memset(buf, 'x', FILE_SIZE);
	ASSERT_EQ(FILE_SIZE, write(fd, buf, FILE_SIZE));
	free(buf);
	fsync(fd);
	for (i = 0; i < NKIDS; i++) {
		ASSERT_EQ(0, kid_fork(&k[i]));
		if (!k[i].pid) {
			size_t j;

			m = mmap(NULL, FILE_SIZE, PROT_READ, MAP_SHARED, fd, 0);
			if (m == MAP_FAILED)
				_exit(1);
			for (j = 0; j < FILE_SIZE; j += 4096)
				sum += m[j];
			if (write(k[i].done, &m, sizeof(m)) != sizeof(m))
				_exit(1);
			pause();
			_exit(0);
		}
		ASSERT_EQ(sizeof(addr[i]), read(k[i].done, &addr[i], sizeof(addr[i])));
	}
	close(fd);
	for (i = 0; i < NKIDS; i++) {
		long long kb = (long long)(FILE_SIZE >> 10) / NKIDS;

		EXPECT_EQ(kb, vma_field(k[i].pid, addr[i], "Pss"));
		EXPECT_EQ(0, compare_pid(_metadata, k[i].pid));
	}
	for (i = 0; i < NKIDS; i++)
		kid_stop(&k[i]);
	unlink(path);
	(void)sum;
}

/* MAP_SHARED anonymous memory (shmem) written by A, mapped by A and B: half each. */
TEST(shared_anonymous_in_two_processes)
{
	struct kid a;
	pid_t b = 0;
	char *m = NULL;

	ASSERT_EQ(0, kid_fork(&a));
	if (!a.pid) {
		m = mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			_exit(1);
		touch(m, REGION, 1);
		if (write(a.done, &m, sizeof(m)) != sizeof(m))
			_exit(1);
		b = fork();
		if (!b) {
			volatile char sum = 0;
			size_t i;

			/* fork copies no PTEs of a shared mapping: fault them in */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (i = 0; i < REGION; i += 4096)
				sum += m[i];
			b = getpid();
			if (write(a.done, &b, sizeof(b)) != sizeof(b))
				_exit(1);
			pause();
			_exit(sum);
		}
		pause();
		_exit(0);
	}
	ASSERT_EQ(sizeof(m), read(a.done, &m, sizeof(m)));
	ASSERT_EQ(sizeof(b), read(a.done, &b, sizeof(b)));
	EXPECT_EQ(REGION_KB / 2, vma_field(a.pid, m, "Pss"));
	EXPECT_EQ(REGION_KB / 2, vma_field(b, m, "Pss"));
	EXPECT_EQ(0, compare_pid(_metadata, a.pid));
	EXPECT_EQ(0, compare_pid(_metadata, b));
	kill(b, SIGKILL);
	kid_stop(&a);
}

#define SWAP_REGION	(8UL << 20)

/*
 * Memory paged out to swap: private anonymous pages, then shared after a
 * fork (each swap entry has two users: swap_pss halves), and MAP_SHARED
 * anonymous pages (shmem's own swap, counted in swap, not in swap_pss).
 */
TEST(swapped_out_private_and_shared)
{
	struct kid a;
	pid_t b = 0;
	char *m = NULL, *s = NULL;
	long long swapped;

	if (!scratch("swap"))
		SKIP(return, "no swap on the scratch disk");
	ASSERT_EQ(0, kid_fork(&a));
	if (!a.pid) {
		m = mmap(NULL, SWAP_REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
		s = mmap(NULL, SWAP_REGION, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			 -1, 0);
		if (m == MAP_FAILED || s == MAP_FAILED)
			_exit(1);
		touch(m, SWAP_REGION, 1);
		touch(s, SWAP_REGION, 1);
		madvise(m, SWAP_REGION, MADV_PAGEOUT);
		madvise(s, SWAP_REGION, MADV_PAGEOUT);
		if (write(a.done, &m, sizeof(m)) != sizeof(m) ||
		    write(a.done, &s, sizeof(s)) != sizeof(s))
			_exit(1);
		kid_next(&a);		/* fork */
		b = fork();
		if (!b) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			pause();
			_exit(0);
		}
		if (write(a.done, &b, sizeof(b)) != sizeof(b))
			_exit(1);
		pause();
		_exit(0);
	}
	ASSERT_EQ(sizeof(m), read(a.done, &m, sizeof(m)));
	ASSERT_EQ(sizeof(s), read(a.done, &s, sizeof(s)));
	swapped = vma_field(a.pid, m, "Swap");
	TH_LOG("paged out: %lld kB private, %lld kB shared of %lld kB each", swapped,
	       vma_field(a.pid, s, "Swap"), (long long)(SWAP_REGION >> 10));
	ASSERT_GE(swapped, (long long)(SWAP_REGION >> 10) / 2);
	EXPECT_EQ(0, compare_pid(_metadata, a.pid));

	ASSERT_EQ(1, write(a.cmd, "f", 1));
	ASSERT_EQ(sizeof(b), read(a.done, &b, sizeof(b)));
	/* each swap entry now has two users */
	EXPECT_EQ(vma_field(a.pid, m, "Swap") / 2, vma_field(a.pid, m, "SwapPss"));
	EXPECT_EQ(0, compare_pid(_metadata, a.pid));
	EXPECT_EQ(0, compare_pid(_metadata, b));
	kill(b, SIGKILL);
	kid_stop(&a);
}

static double since(const struct timespec *a)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - a->tv_sec) + (t.tv_nsec - a->tv_nsec) / 1e9;
}

#define HPAGE	(2UL << 20)

/* @len of fresh anonymous memory aligned to a huge page, or NULL. */
static char *map_aligned(size_t len)
{
	char *m = mmap(NULL, len + HPAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	char *a;

	if (m == MAP_FAILED)
		return NULL;
	a = (char *)(((unsigned long)m + HPAGE - 1) & ~(HPAGE - 1));
	if (a > m)
		munmap(m, a - m);
	munmap(a + len, m + HPAGE - a);
	return a;
}

/*
 * A region backed by transparent huge pages (PMD-mapped), where the kernel
 * gives them: then forked (each huge page mapped by two PMDs: half each),
 * then one page of a huge page written by the child (copy-on-write splits
 * the child's PMD: the huge page is mapped partly by PTEs, where the
 * kernels' mapcount rules differ most).
 */
TEST(thp_region_then_fork_then_cow)
{
	const size_t len = 4 * HPAGE;
	long long thp;
	struct kid a;
	pid_t b = 0;
	char *m = NULL;

	ASSERT_EQ(0, kid_fork(&a));
	if (!a.pid) {
		m = map_aligned(len);
		if (!m)
			_exit(1);
		madvise(m, len, MADV_HUGEPAGE);
		touch(m, len, 1);
		if (write(a.done, &m, sizeof(m)) != sizeof(m))
			_exit(1);
		kid_next(&a);		/* fork */
		b = fork();
		if (!b) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			b = getpid();
			if (write(a.done, &b, sizeof(b)) != sizeof(b))
				_exit(1);
			kid_next(&a);	/* write one page */
			m[HPAGE + 4096] = 2;
			kid_say(a.done);
			pause();
			_exit(0);
		}
		pause();
		_exit(0);
	}
	ASSERT_EQ(sizeof(m), read(a.done, &m, sizeof(m)));
	thp = vma_field(a.pid, m, "AnonHugePages");
	TH_LOG("%lld kB of %zu kB in huge pages", thp, len >> 10);
	if (thp <= 0) {
		kid_stop(&a);
		SKIP(return, "the kernel gave no transparent huge page");
	}
	EXPECT_EQ(0, compare_pid(_metadata, a.pid));

	ASSERT_EQ(1, write(a.cmd, "f", 1));
	ASSERT_EQ(sizeof(b), read(a.done, &b, sizeof(b)));
	EXPECT_EQ(thp, vma_field(b, m, "AnonHugePages"));
	EXPECT_EQ(vma_field(a.pid, m, "Rss") / 2, vma_field(a.pid, m, "Pss"));
	EXPECT_EQ(0, compare_pid(_metadata, a.pid));
	EXPECT_EQ(0, compare_pid(_metadata, b));

	ASSERT_EQ(0, kid_do(&a, 'w'));
	EXPECT_LT(vma_field(b, m, "AnonHugePages"), thp);
	EXPECT_EQ(0, compare_pid(_metadata, a.pid));
	EXPECT_EQ(0, compare_pid(_metadata, b));
	kill(b, SIGKILL);
	kid_stop(&a);
}

static long read_long(const char *path)
{
	char line[64];
	long v = -1;
	FILE *f = fopen(path, "r");

	if (f && fgets(line, sizeof(line), f))
		v = strtol(line, NULL, 10);
	if (f)
		fclose(f);
	return v;
}

static int write_long(const char *path, long v)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f)
		return -1;
	ret = fprintf(f, "%ld\n", v) < 0;
	return fclose(f) || ret ? -1 : 0;
}

#define NR_HUGEPAGES	"/proc/sys/vm/nr_hugepages"

/*
 * hugetlb pages: smaps counts them only in Shared_/Private_Hugetlb, never
 * in Rss, Pss or Private_*; memlens does not walk them either.
 */
TEST(hugetlb_region_left_out_as_smaps_does)
{
	long old = read_long(NR_HUGEPAGES);
	struct kid a;
	char *m = NULL;

	if (old < 0)
		SKIP(return, "no hugetlb pages in this kernel");
	ASSERT_EQ(0, write_long(NR_HUGEPAGES, old + 4));
	if (read_long(NR_HUGEPAGES) < old + 2) {
		write_long(NR_HUGEPAGES, old);
		SKIP(return, "no memory for hugetlb pages");
	}
	ASSERT_EQ(0, kid_fork(&a));
	if (!a.pid) {
		m = mmap(NULL, 2 * HPAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
		if (m == MAP_FAILED)
			_exit(1);
		touch(m, 2 * HPAGE, 1);
		if (write(a.done, &m, sizeof(m)) != sizeof(m))
			_exit(1);
		pause();
		_exit(0);
	}
	ASSERT_EQ(sizeof(m), read(a.done, &m, sizeof(m)));
	EXPECT_EQ((long long)(2 * HPAGE >> 10), vma_field(a.pid, m, "Private_Hugetlb"));
	EXPECT_EQ(0, vma_field(a.pid, m, "Rss"));
	EXPECT_EQ(0, compare_pid(_metadata, a.pid));
	kid_stop(&a);
	write_long(NR_HUGEPAGES, old);
}

#define KSM		"/sys/kernel/mm/ksm/"
#define KSM_REGION	(4UL << 20)

/*
 * Pages merged by KSM: one page of the same contents mapped at many
 * places of two processes, each mapping a use; PSS divides it among them.
 */
TEST(ksm_merged_pages)
{
	long run = read_long(KSM "run"), scan = read_long(KSM "pages_to_scan");
	long sleep_ms = read_long(KSM "sleep_millisecs"), merged = 0;
	struct timespec t0;
	struct kid a;
	pid_t b = 0;
	char *m = NULL;

	if (run < 0)
		SKIP(return, "no KSM in this kernel");
	ASSERT_EQ(0, kid_fork(&a));
	if (!a.pid) {
		m = mmap(NULL, KSM_REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
		if (m == MAP_FAILED)
			_exit(1);
		touch(m, KSM_REGION, 7);
		if (madvise(m, KSM_REGION, MADV_MERGEABLE))
			_exit(1);
		b = fork();
		if (!b) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			touch(m, KSM_REGION, 7);	/* its own copies, to merge too */
			pause();
			_exit(0);
		}
		if (write(a.done, &m, sizeof(m)) != sizeof(m) ||
		    write(a.done, &b, sizeof(b)) != sizeof(b))
			_exit(1);
		pause();
		_exit(0);
	}
	ASSERT_EQ(sizeof(m), read(a.done, &m, sizeof(m)));
	ASSERT_EQ(sizeof(b), read(a.done, &b, sizeof(b)));
	write_long(KSM "pages_to_scan", 4096);
	write_long(KSM "sleep_millisecs", 10);
	ASSERT_EQ(0, write_long(KSM "run", 1));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* merged when most of the region is one shared page */
	while (since(&t0) < 60) {
		merged = vma_field(b, m, "Pss");
		if (merged >= 0 && merged < (long long)(KSM_REGION >> 10) / 4)
			break;
		usleep(200 * 1000);
	}
	write_long(KSM "run", run);
	write_long(KSM "pages_to_scan", scan);
	write_long(KSM "sleep_millisecs", sleep_ms);
	TH_LOG("the child's Pss of %lu kB after merging: %ld kB", KSM_REGION >> 10, merged);
	if (merged < 0 || merged >= (long long)(KSM_REGION >> 10) / 4) {
		kill(b, SIGKILL);
		kid_stop(&a);
		SKIP(return, "KSM merged too little in 60 s");
	}
	EXPECT_EQ(0, compare_pid(_metadata, a.pid));
	EXPECT_EQ(0, compare_pid(_metadata, b));
	kill(b, SIGKILL);
	kid_stop(&a);
}

struct holder {
	pid_t target;
	unsigned int ms;
	volatile int done;
	int err;
};

static void *hold(void *arg)
{
	struct holder *h = arg;
	char cmd[32];
	int fd = open(HOLD_MMAP, O_WRONLY);
	int len = snprintf(cmd, sizeof(cmd), "%d %u", h->target, h->ms);

	if (fd < 0 || write(fd, cmd, len) != len)
		h->err = errno;
	if (fd >= 0)
		close(fd);
	h->done = 1;
	return NULL;
}

/*
 * A process whose mmap lock is held for write for 8 s: while it is, every
 * read of the file finishes at once (a few reads in the first 5 s, the
 * lock still held after the last) and shows the process busy with no
 * numbers; then ok again, and equal to smaps_rollup.
 */
TEST(write_locked_process_is_busy)
{
	struct holder h = { .ms = 8000 };
	const struct ml_pss_row *row;
	struct timespec t0, t;
	double took, worst = 0;
	int reads = 0, busy = 0;
	struct kid k;
	pthread_t th;

	if (sh("modprobe memlens_selftest objects=1"))
		SKIP(return, "no memlens_selftest module");
	ASSERT_EQ(0, kid_fork(&k));
	if (!k.pid) {
		char *m = mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);

		if (m == MAP_FAILED)
			_exit(1);
		touch(m, REGION, 1);
		kid_say(k.done);
		pause();
		_exit(0);
	}
	ASSERT_EQ(0, kid_do(&k, 0));
	h.target = k.pid;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ASSERT_EQ(0, pthread_create(&th, NULL, hold, &h));
	usleep(300 * 1000);	/* the lock taken */
	while (reads < 5 && since(&t0) < 5) {
		struct ml_pss p;

		clock_gettime(CLOCK_MONOTONIC, &t);
		ASSERT_EQ(0, read_pss(&p));
		took = since(&t);
		worst = took > worst ? took : worst;
		row = find_pss(&p, k.pid);
		ASSERT_NE(NULL, row);
		reads++;
		/* busy, and every number but the pid blank */
		if (row->status == ML_PSS_BUSY && row->blank == (1u << MEMLENS_PSS_NR_NUMERIC) - 2)
			busy++;
		ml_pss_free(&p);
	}
	/* every read was done while the lock was held */
	EXPECT_EQ(0, h.done) TH_LOG("the hold ended before the reads did");
	TH_LOG("%d reads in the first %.2f s of the hold, %d busy; slowest %.3f s", reads,
	       since(&t0), busy, worst);
	EXPECT_GE(reads, 3);
	EXPECT_EQ(reads, busy);
	EXPECT_LT(worst, 2.0);
	pthread_join(th, NULL);
	EXPECT_EQ(0, h.err) TH_LOG("hold_mmap: %s", strerror(h.err));
	EXPECT_EQ(0, compare_pid(_metadata, k.pid));
	kid_stop(&k);
	sh("rmmod memlens_selftest");
}

/* memlens loaded again with @params; 0 on success. */
static int reload(const char *params)
{
	char cmd[200];

	snprintf(cmd, sizeof(cmd), "rmmod memlens && modprobe memlens %s", params);
	return sh(cmd);
}

/*
 * A budget of 1 ms is not enough for 256 MiB of page tables (65,536 PTEs):
 * the row is partial, with less than smaps_rollup; with the default (the
 * module loaded again) it is ok and equal.
 */
TEST(budget_spent_is_partial)
{
	const size_t len = 256UL << 20;
	const struct ml_pss_row *row;
	struct ml_pss p;
	struct rollup r;
	struct kid k;

	ASSERT_EQ(0, kid_fork(&k));
	if (!k.pid) {
		char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);

		if (m == MAP_FAILED)
			_exit(1);
		/* PTEs, not PMD leaves: the budget is counted in page-table steps */
		madvise(m, len, MADV_NOHUGEPAGE);
		touch(m, len, 1);
		kid_say(k.done);
		pause();
		_exit(0);
	}
	ASSERT_EQ(0, kid_do(&k, 0));
	/* the budget is a load-time parameter */
	ASSERT_EQ(0, reload("pss_budget_ms=1"));
	ASSERT_EQ(0, read_pss(&p));
	ASSERT_EQ(0, reload(""));
	ASSERT_EQ(0, read_rollup(k.pid, &r));
	row = find_pss(&p, k.pid);
	ASSERT_NE(NULL, row);
	TH_LOG("budget 1 ms: %s, rss %llu of %lld kB", row->status == ML_PSS_PARTIAL ? "partial" :
	       "not partial", (unsigned long long)row->val[MEMLENS_PSS_RSS], r.v[MEMLENS_PSS_RSS]);
	EXPECT_EQ(ML_PSS_PARTIAL, row->status);
	EXPECT_LT(row->val[MEMLENS_PSS_RSS], (uint64_t)r.v[MEMLENS_PSS_RSS]);
	ml_pss_free(&p);
	EXPECT_EQ(0, compare_pid(_metadata, k.pid));
	kid_stop(&k);
}

static int env_int(const char *name, int def)
{
	const char *s = getenv(name);

	return s && atoi(s) > 0 ? atoi(s) : def;
}

/* The target's loop: mmap, madvise, mprotect, munmap, counting in shared memory. */
static void mmap_loop(volatile long *count)
{
	const size_t len = 64UL << 20;
	char *m;

	for (;;) {
		m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			continue;
		/* no huge page to clear: the loop is its mmap lock, not memset() */
		madvise(m, len, MADV_NOHUGEPAGE);
		m[0] = 1;
		mprotect(m, len, PROT_READ);
		munmap(m, len);
		(*count)++;
	}
}

/* Iterations of the target's loop in @seconds while @reader runs (NULL: alone). */
static double loop_rate(volatile long *count, int seconds, int (*reader)(long), long pid)
{
	struct timespec t0;
	long c0 = *count;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (since(&t0) < seconds)
		if (!reader || reader(pid))
			usleep(10 * 1000);
	return (*count - c0) / since(&t0);
}

static int read_memlens(long pid)
{
	struct ml_pss p;
	int ret = read_pss(&p);

	if (!ret)
		ml_pss_free(&p);
	return ret;
}

/* The control: a reader as busy as the others that takes no lock of the target's. */
static int spin(long pid)
{
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (since(&t0) < 0.01)
		;
	return 0;
}

static int read_smaps_rollup(long pid)
{
	struct rollup r;

	return read_rollup(pid, &r);
}

/* Run on @cpu alone, if there is more than one; the old mask into @old. */
static void pin(int cpu, cpu_set_t *old)
{
	cpu_set_t set;

	if (old)
		sched_getaffinity(0, sizeof(*old), old);
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/*
 * The target is not slowed by being read: a process with 256 MiB populated
 * that loops mmap/madvise/mprotect/munmap of 64 MiB (each taking its mmap
 * lock for write) keeps most of its loop rate while the pss file is read
 * in a loop, as it does beside a reader that only spins; target and reader each on
 * a CPU of their own, so that what is measured is waiting, not sharing a
 * CPU.  The same with the target's smaps_rollup read in a loop is shown
 * beside it: that read holds the lock over the whole 256 MiB.
 */
TEST(target_not_slowed)
{
	int seconds = env_int("PSS_RATE_SECONDS", 5);
	const size_t len = 256UL << 20;
	double alone, busy, with_pss, with_smaps;
	volatile long *count;
	cpu_set_t cpus;
	struct kid k;

	count = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, count);
	ASSERT_EQ(0, kid_fork(&k));
	if (!k.pid) {
		char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);

		if (m == MAP_FAILED)
			_exit(1);
		pin(1, NULL);
		madvise(m, len, MADV_NOHUGEPAGE);
		touch(m, len, 1);
		kid_say(k.done);
		mmap_loop(count);
	}
	ASSERT_EQ(0, kid_do(&k, 0));
	pin(0, &cpus);
	alone = loop_rate(count, seconds, NULL, k.pid);
	busy = loop_rate(count, seconds, spin, k.pid);
	with_pss = loop_rate(count, seconds, read_memlens, k.pid);
	with_smaps = loop_rate(count, seconds, read_smaps_rollup, k.pid);
	TH_LOG("mmap/mprotect/munmap loops per second: %.0f alone, %.0f with the other CPU "
	       "spinning (%.0f%%), %.0f with pss read in a loop (%.0f%%), %.0f with "
	       "smaps_rollup read in a loop (%.0f%%)", alone, busy, 100 * busy / alone,
	       with_pss, 100 * with_pss / alone, with_smaps, 100 * with_smaps / alone);
	EXPECT_GT(alone, 0);
	/*
	 * Under TCG the target's rate depends on what the other CPU does
	 * (6.12: 176% of the idle rate with it spinning, as an idle vCPU
	 * slows the emulation), and the VM's CPUs share the host's cores
	 * with whatever else runs there.  So the reference is the spinning
	 * reader, which takes no lock of the target's, and only a stall is
	 * failed: on 6.12, pss 83% of it, smaps_rollup 11%.
	 */
	EXPECT_GE(with_pss, busy / 3);
	sched_setaffinity(0, sizeof(cpus), &cpus);
	kid_stop(&k);
	munmap((void *)count, 4096);
}


/* One churning process: its page tables change in every way it can make them. */
static void churn(unsigned int seed)
{
	const size_t len = 8UL << 20;
	char *m, *a;
	int i;

	for (i = 0;; i++) {
		m = mmap(NULL, len + (2UL << 20), PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			continue;
		/* 2 MiB aligned, so that collapse and THP faults have whole PMDs */
		a = (char *)(((unsigned long)m + (2UL << 20) - 1) & ~((2UL << 20) - 1));
		touch(a, len, 1);
		switch ((seed + i) % 5) {
		case 0:		/* empty PTE tables, freed without the write lock on 7.x */
			madvise(a, len, MADV_DONTNEED);
			touch(a, len / 2, 2);
			break;
		case 1:		/* PTE tables replaced by PMD leaves */
			madvise(a, len, MADV_HUGEPAGE);
			madvise(a, len, MADV_COLLAPSE);
			break;
		case 2:		/* PMD leaves split, VMAs split and merged */
			mprotect(a + (1UL << 20), 4096, PROT_READ);
			mprotect(a + (1UL << 20), 4096, PROT_READ | PROT_WRITE);
			break;
		case 3:		/* a child shares it all, writes half and exits */
			if (!fork()) {
				touch(a, len / 2, 3);
				_exit(0);
			}
			wait(NULL);
			break;
		case 4:
			madvise(a, len, MADV_PAGEOUT);
			break;
		}
		munmap(m, len + (2UL << 20));
	}
}

/*
 * Processes churning their memory (faults, MADV_DONTNEED, MADV_COLLAPSE,
 * mprotect splits, fork and exit, page-out) while the file is read in a
 * loop for PSS_STRESS_SECONDS (default 20): every read parses, and the
 * kernel log shows no warning, lockup or sanitizer report (on the debug
 * kernel: KASAN, lockdep, RCU).
 */
TEST(churn_while_reading)
{
	int seconds = env_int("PSS_STRESS_SECONDS", 20), nkids = 6, i;
	long reads = 0, busy = 0, partial = 0;
	struct timespec t0;
	pid_t kids[6];
	size_t r;

	scratch("swap");	/* page-outs have somewhere to go, if there is a disk */
	sh("dmesg -c >/dev/null");
	for (i = 0; i < nkids; i++) {
		kids[i] = fork();
		ASSERT_LE(0, kids[i]);
		if (!kids[i]) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			churn(i);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (since(&t0) < seconds) {
		struct ml_pss p;

		ASSERT_EQ(0, read_pss(&p));
		for (r = 0; r < p.n; r++) {
			busy += p.rows[r].status == ML_PSS_BUSY;
			partial += p.rows[r].status == ML_PSS_PARTIAL;
		}
		ml_pss_free(&p);
		reads++;
	}
	for (i = 0; i < nkids; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
	}
	TH_LOG("%ld reads in %d s with %d processes churning: %ld busy rows, %ld partial",
	       reads, seconds, nkids, busy, partial);
	EXPECT_NE(0, sh("dmesg | grep -E 'BUG|WARNING|Oops|Call Trace|soft lockup|rcu.*stall|"
			"hung task|KASAN|circular locking|sleeping function'"));
}

TEST_HARNESS_MAIN
