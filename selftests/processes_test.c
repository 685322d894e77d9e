// SPDX-License-Identifier: GPL-2.0
/*
 * The processes view against /proc/PID/status, and against what a process
 * does to its own memory: touch anonymous pages, map a file, share memory,
 * malloc below and above glibc's mmap threshold, page out to swap.
 */
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <dirent.h>

#include "kselftest_harness.h"
#include "helpers.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

/* /proc/PID/status fields and the columns that must equal them. */
static const struct {
	const char *key;
	int nth;	/* which number on the line */
	int col;
} status_fields[] = {
	{ "PPid", 1, MEMLENS_PROC_PPID },
	{ "Uid", 2, MEMLENS_PROC_UID },		/* real, effective, ... */
	{ "Threads", 1, MEMLENS_PROC_THREADS },
	{ "VmSize", 1, MEMLENS_PROC_VSZ },
	{ "VmRSS", 1, MEMLENS_PROC_RSS },
	{ "RssAnon", 1, MEMLENS_PROC_ANON },
	{ "RssFile", 1, MEMLENS_PROC_FILE },
	{ "RssShmem", 1, MEMLENS_PROC_SHMEM },
	{ "VmSwap", 1, MEMLENS_PROC_SWAP },
	{ "VmPTE", 1, MEMLENS_PROC_PTE },
	{ "VmHWM", 1, MEMLENS_PROC_HWM },
	{ "VmExe", 1, MEMLENS_PROC_CODE },
	{ "VmData", 1, MEMLENS_PROC_DATA },
	{ "VmStk", 1, MEMLENS_PROC_STACK },
	{ "VmLib", 1, MEMLENS_PROC_LIB },
};

/* Size in kB of the [heap] mapping of @pid, 0 if it has none. */
static long long heap_mapping_kb(long pid)
{
	char path[64], line[512];
	unsigned long long lo, hi;
	long long kb = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/maps", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "[heap]") && sscanf(line, "%llx-%llx", &lo, &hi) == 2)
			kb = (hi - lo) / 1024;
	fclose(f);
	return kb;
}

/* The task's name as /proc/PID/status gives it, unescaped as far as needed. */
static void status_name(long pid, char *name, size_t len)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	name[0] = '\0';
	f = fopen(path, "r");
	if (!f)
		return;
	if (fgets(line, sizeof(line), f) && !strncmp(line, "Name:\t", 6)) {
		line[strcspn(line, "\n")] = '\0';
		snprintf(name, len, "%.63s", line + 6);
	}
	fclose(f);
}

/* What /proc says of a process: the status fields, statm's shared, [heap]. */
#define NFIELDS	(sizeof(status_fields) / sizeof(status_fields[0]))
enum { F_SHARED = NFIELDS, F_HEAP, F_NR };

struct proc_view {
	long long v[F_NR];
	bool kthread;
	char name[64];
};

static void proc_view(long pid, struct proc_view *pv)
{
	unsigned long long size, res, shared;
	char path[64];
	size_t i;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	pv->kthread = proc_field(path, "VmSize", 1) < 0;
	for (i = 0; i < NFIELDS; i++) {
		pv->v[i] = proc_field(path, status_fields[i].key, status_fields[i].nth);
		if (pv->v[i] < 0 && pv->kthread)
			pv->v[i] = 0;	/* no Vm lines for a kernel thread: we print zeros */
	}
	status_name(pid, pv->name, sizeof(pv->name));
	snprintf(path, sizeof(path), "/proc/%ld/statm", pid);
	pv->v[F_SHARED] = -1;
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%llu %llu %llu", &size, &res, &shared) == 3)
			pv->v[F_SHARED] = shared * PAGE_KB;
		fclose(f);
	}
	pv->v[F_HEAP] = heap_mapping_kb(pid);
}

static bool between(long long v, long long a, long long b)
{
	return v >= (a < b ? a : b) && v <= (a > b ? a : b);
}

/*
 * Compare one process's row with what /proc said just before (@a) and just
 * after (@b) the read: each value equal to one of them or between the two,
 * as a value that moved during the read would be.  A description of the
 * first difference in @why, or 0.
 */
static int compare_with_proc(const struct ml_proc *p, const struct proc_view *a,
			     const struct proc_view *b, char *why, size_t len)
{
	long pid = p->val[MEMLENS_PROC_PID];
	long long heap = p->val[MEMLENS_PROC_HEAP];
	const char *name = p->comm;
	size_t i;

	for (i = 0; i < NFIELDS; i++) {
		long long v = p->val[status_fields[i].col];

		if (!between(v, a->v[i], b->v[i])) {
			snprintf(why, len, "pid %ld %s: /proc %lld then %lld, memlens %lld", pid,
				 status_fields[i].key, a->v[i], b->v[i], v);
			return -1;
		}
	}
	/* a kworker's status Name adds its workqueue to the task's comm */
	if ((b->kthread ? strncmp(b->name, name, strlen(name)) : strcmp(b->name, name)) &&
	    (a->kthread ? strncmp(a->name, name, strlen(name)) : strcmp(a->name, name))) {
		snprintf(why, len, "pid %ld name: /proc '%s', memlens '%s'", pid, b->name, name);
		return -1;
	}
	if (!between((long long)p->val[MEMLENS_PROC_SHARED], a->v[F_SHARED], b->v[F_SHARED])) {
		snprintf(why, len, "pid %ld statm shared: /proc %lld then %lld kB, memlens %llu",
			 pid, a->v[F_SHARED], b->v[F_SHARED],
			 (unsigned long long)p->val[MEMLENS_PROC_SHARED]);
		return -1;
	}
	/* heap is brk - start_brk; the [heap] mapping is that, page-aligned */
	if (!between(heap, a->v[F_HEAP] - PAGE_KB + 1, b->v[F_HEAP]) &&
	    !between(heap, b->v[F_HEAP] - PAGE_KB + 1, a->v[F_HEAP])) {
		snprintf(why, len, "pid %ld heap: [heap] %lld then %lld kB, memlens %lld", pid,
			 a->v[F_HEAP], b->v[F_HEAP], heap);
		return -1;
	}
	return 0;
}

static bool in_proc(long pid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%ld", pid);
	return !stat(path, &st);
}

/* The thread group ids in /proc, ascending. */
static size_t proc_pids(long *pids, size_t max)
{
	struct dirent *de;
	size_t n = 0;
	DIR *d = opendir("/proc");

	while (d && (de = readdir(d)) && n < max)
		if (de->d_name[0] >= '1' && de->d_name[0] <= '9')
			pids[n++] = atol(de->d_name);
	if (d)
		closedir(d);
	return n;
}

/*
 * Every process in /proc before and after the read has a row equal to its
 * /proc/PID/status, field by field.  The VM is quiet, but a process may be
 * caught between two steps: a difference is looked at again, up to three
 * times, with /proc read just before and just after the read of memlens;
 * the row must then lie between the two.  Our own memory moves while we
 * read; it is left out (the tests below measure it exactly).
 */
TEST(rows_equal_proc_status)
{
	static long before[65536];
	struct proc_view a, b;
	struct ml_procs p;
	size_t nb, i, checked = 0, again = 0;
	char why[256];
	int attempt, diff;

	nb = proc_pids(before, 65536);
	ASSERT_EQ(0, read_processes(&p, 1 << 16));
	for (i = 0; i < nb; i++) {
		const struct ml_proc *row = find_proc(&p, before[i]);

		if (before[i] == getpid() || !in_proc(before[i]))
			continue;
		ASSERT_NE(NULL, row) TH_LOG("pid %ld is in /proc, not in memlens", before[i]);
		proc_view(before[i], &b);
		diff = compare_with_proc(row, &b, &b, why, sizeof(why));
		for (attempt = 0; diff && attempt < 3; attempt++) {
			TH_LOG("looked at again: %s", why);
			again++;
			ml_procs_free(&p);
			usleep(100000);
			proc_view(before[i], &a);
			ASSERT_EQ(0, read_processes(&p, 1 << 16));
			proc_view(before[i], &b);
			row = find_proc(&p, before[i]);
			if (!row)
				break;
			diff = compare_with_proc(row, &a, &b, why, sizeof(why));
		}
		if (!row && !in_proc(before[i]))
			continue;
		ASSERT_NE(NULL, row);
		EXPECT_EQ(0, diff) TH_LOG("%s", why);
		checked++;
	}
	TH_LOG("%zu processes equal to /proc/PID/status (%zu looked at again)", checked, again);
	EXPECT_GT(checked, 10);
	ml_procs_free(&p);
}

static char *map_pages(size_t n, int flags)
{
	char *m = mmap(NULL, n * getpagesize(), PROT_READ | PROT_WRITE, flags, -1, 0);

	if (m == MAP_FAILED)
		return NULL;
	madvise(m, n * getpagesize(), MADV_NOHUGEPAGE);
	return m;
}

static void touch(char *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		m[i * getpagesize()] = 1;
}

#define NPAGES 1000

TEST(anon_pages_exact)
{
	uint64_t a[MEMLENS_PROC_NR_NUMERIC], b[MEMLENS_PROC_NR_NUMERIC];
	char *m;

	own_prepare();
	m = map_pages(NPAGES, MAP_PRIVATE | MAP_ANONYMOUS);
	ASSERT_NE(NULL, m);
	ASSERT_EQ(0, own_row(a));
	touch(m, NPAGES);
	ASSERT_EQ(0, own_row(b));
	TH_LOG("%d pages touched: anon +%llu kB, rss +%llu kB", NPAGES,
	       (unsigned long long)(b[MEMLENS_PROC_ANON] - a[MEMLENS_PROC_ANON]),
	       (unsigned long long)(b[MEMLENS_PROC_RSS] - a[MEMLENS_PROC_RSS]));
	EXPECT_EQ(NPAGES * PAGE_KB, b[MEMLENS_PROC_ANON] - a[MEMLENS_PROC_ANON]);
	EXPECT_EQ(NPAGES * PAGE_KB, b[MEMLENS_PROC_RSS] - a[MEMLENS_PROC_RSS]);
	EXPECT_EQ(a[MEMLENS_PROC_SHARED], b[MEMLENS_PROC_SHARED]);
}

TEST(file_pages)
{
	uint64_t a[MEMLENS_PROC_NR_NUMERIC], b[MEMLENS_PROC_NR_NUMERIC];
	const char *mnt = scratch("fs");
	size_t i, len = NPAGES * getpagesize();
	char path[128], *m, *buf;
	volatile char c = 0;
	int fd;

	if (!mnt)
		SKIP(return, "no scratch disk");
	snprintf(path, sizeof(path), "%s/file_pages", mnt);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, fd);
	buf = calloc(1, len);
	ASSERT_EQ((ssize_t)len, write(fd, buf, len));
	free(buf);
	fsync(fd);
	own_prepare();
	m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	ASSERT_NE(MAP_FAILED, m);
	ASSERT_EQ(0, own_row(a));
	for (i = 0; i < NPAGES; i++)
		c += m[i * getpagesize()];
	ASSERT_EQ(0, own_row(b));
	TH_LOG("a %d-page file mapped and read: file +%llu kB, shared +%llu kB", NPAGES,
	       (unsigned long long)(b[MEMLENS_PROC_FILE] - a[MEMLENS_PROC_FILE]),
	       (unsigned long long)(b[MEMLENS_PROC_SHARED] - a[MEMLENS_PROC_SHARED]));
	EXPECT_EQ(NPAGES * PAGE_KB, b[MEMLENS_PROC_FILE] - a[MEMLENS_PROC_FILE]);
	EXPECT_EQ(NPAGES * PAGE_KB, b[MEMLENS_PROC_SHARED] - a[MEMLENS_PROC_SHARED]);
	EXPECT_EQ(a[MEMLENS_PROC_ANON], b[MEMLENS_PROC_ANON]);
	munmap(m, len);
	close(fd);
	unlink(path);
}

/* Call after own_prepare(): it would fault the pages in. */
static void shmem_case(struct __test_metadata *_metadata, char *m, const char *what)
{
	uint64_t a[MEMLENS_PROC_NR_NUMERIC], b[MEMLENS_PROC_NR_NUMERIC];

	ASSERT_NE(NULL, m);
	ASSERT_EQ(0, own_row(a));
	touch(m, NPAGES);
	ASSERT_EQ(0, own_row(b));
	TH_LOG("%s, %d pages touched: shmem +%llu kB, shared +%llu kB", what, NPAGES,
	       (unsigned long long)(b[MEMLENS_PROC_SHMEM] - a[MEMLENS_PROC_SHMEM]),
	       (unsigned long long)(b[MEMLENS_PROC_SHARED] - a[MEMLENS_PROC_SHARED]));
	EXPECT_EQ(NPAGES * PAGE_KB, b[MEMLENS_PROC_SHMEM] - a[MEMLENS_PROC_SHMEM]);
	EXPECT_EQ(NPAGES * PAGE_KB, b[MEMLENS_PROC_SHARED] - a[MEMLENS_PROC_SHARED]);
	EXPECT_EQ(NPAGES * PAGE_KB, b[MEMLENS_PROC_RSS] - a[MEMLENS_PROC_RSS]);
	EXPECT_EQ(a[MEMLENS_PROC_ANON], b[MEMLENS_PROC_ANON]);
}

TEST(shared_anonymous_is_shmem)
{
	own_prepare();
	shmem_case(_metadata, map_pages(NPAGES, MAP_SHARED | MAP_ANONYMOUS), "MAP_SHARED anon");
}

TEST(memfd_is_shmem)
{
	size_t len = NPAGES * getpagesize();
	int fd = memfd_create("memlens", 0);
	char *m;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, len));
	own_prepare();
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	shmem_case(_metadata, m == MAP_FAILED ? NULL : m, "memfd");
}

/*
 * glibc's malloc takes small blocks from the brk heap and gives a block of
 * M_MMAP_THRESHOLD (128 KiB) or more its own mmap: the heap grows with the
 * first, data and vsz with the second.
 */
TEST(malloc_brk_and_mmap)
{
	uint64_t a[MEMLENS_PROC_NR_NUMERIC], b[MEMLENS_PROC_NR_NUMERIC];
	uint64_t c[MEMLENS_PROC_NR_NUMERIC];
	char *small[16], *big;
	int i;

	own_prepare();	/* before the mallocs: it would fault their pages in */
	ASSERT_EQ(0, own_row(a));
	for (i = 0; i < 16; i++) {
		small[i] = malloc(16 << 10);
		ASSERT_NE(NULL, small[i]);
		memset(small[i], 1, 16 << 10);
	}
	ASSERT_EQ(0, own_row(b));
	big = malloc(1 << 20);
	ASSERT_NE(NULL, big);
	memset(big, 1, 1 << 20);
	ASSERT_EQ(0, own_row(c));
	TH_LOG("16 x malloc(16 KiB): heap %+lld kB; malloc(1 MiB): heap %+lld kB, data %+lld kB, vsz %+lld kB",
	       (long long)(b[MEMLENS_PROC_HEAP] - a[MEMLENS_PROC_HEAP]),
	       (long long)(c[MEMLENS_PROC_HEAP] - b[MEMLENS_PROC_HEAP]),
	       (long long)(c[MEMLENS_PROC_DATA] - b[MEMLENS_PROC_DATA]),
	       (long long)(c[MEMLENS_PROC_VSZ] - b[MEMLENS_PROC_VSZ]));
	EXPECT_GE(DELTA(b[MEMLENS_PROC_HEAP], a[MEMLENS_PROC_HEAP]), 16 * 16 - 128);
	EXPECT_GT(b[MEMLENS_PROC_HEAP], a[MEMLENS_PROC_HEAP]);
	EXPECT_EQ(b[MEMLENS_PROC_HEAP], c[MEMLENS_PROC_HEAP]);
	EXPECT_GE(DELTA(c[MEMLENS_PROC_DATA], b[MEMLENS_PROC_DATA]), 1024);
	EXPECT_GE(DELTA(c[MEMLENS_PROC_VSZ], b[MEMLENS_PROC_VSZ]), 1024);
	for (i = 0; i < 16; i++)
		free(small[i]);
	free(big);
}

/* Paging our own memory out moves it from anon to swap, page for page. */
TEST(pageout_moves_anon_to_swap)
{
	uint64_t a[MEMLENS_PROC_NR_NUMERIC], b[MEMLENS_PROC_NR_NUMERIC];
	uint64_t c[MEMLENS_PROC_NR_NUMERIC];
	size_t n = 2048, len = n * getpagesize();
	long long out;
	char *m;

	if (!scratch("swap"))
		SKIP(return, "no scratch disk for swap");
	own_prepare();
	m = map_pages(n, MAP_PRIVATE | MAP_ANONYMOUS);
	ASSERT_NE(NULL, m);
	memset(m, 0x5a, len);
	ASSERT_EQ(0, own_row(a));
	ASSERT_EQ(0, madvise(m, len, MADV_PAGEOUT));
	ASSERT_EQ(0, own_row(b));
	out = b[MEMLENS_PROC_SWAP] - a[MEMLENS_PROC_SWAP];
	TH_LOG("MADV_PAGEOUT of %zu pages: swap %+lld kB, anon %+lld kB, rss %+lld kB", n, out,
	       (long long)(b[MEMLENS_PROC_ANON] - a[MEMLENS_PROC_ANON]),
	       (long long)(b[MEMLENS_PROC_RSS] - a[MEMLENS_PROC_RSS]));
	EXPECT_GE(out, (long long)(n / 2 * PAGE_KB));
	EXPECT_EQ(out, (long long)(a[MEMLENS_PROC_ANON] - b[MEMLENS_PROC_ANON]));
	EXPECT_EQ(out, (long long)(a[MEMLENS_PROC_RSS] - b[MEMLENS_PROC_RSS]));
	touch(m, n);
	ASSERT_EQ(0, own_row(c));
	EXPECT_EQ(0, c[MEMLENS_PROC_SWAP] - a[MEMLENS_PROC_SWAP]) TH_LOG("swapped back in");
	munmap(m, len);
}

/* Rows come in ascending pid order: no process twice. */
TEST(each_process_once_and_gone_after_exit)
{
	struct ml_procs p;
	pid_t child;
	size_t i;

	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		pause();
		_exit(0);
	}
	ASSERT_EQ(0, read_processes(&p, 4096));
	for (i = 1; i < p.n; i++)
		ASSERT_LT(p.rows[i - 1].val[MEMLENS_PROC_PID], p.rows[i].val[MEMLENS_PROC_PID]);
	EXPECT_NE(NULL, find_proc(&p, child));
	ml_procs_free(&p);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	ASSERT_EQ(0, read_processes(&p, 4096));
	EXPECT_EQ(NULL, find_proc(&p, child));
	ml_procs_free(&p);
}

/*
 * pid 1 of a new pid namespace sees itself and its child, with their pids
 * in that namespace, and nothing else.
 */
static int pidns_child(void)
{
	struct ml_procs p;
	pid_t kid = fork();
	int bad = 0;

	if (kid < 0)
		return 10;
	if (!kid) {
		pause();
		_exit(0);
	}
	if (read_processes(&p, 4096))
		return 11;
	if (p.n != 2 || !find_proc(&p, 1) || !find_proc(&p, kid))
		bad = 12;
	else if (find_proc(&p, 1)->val[MEMLENS_PROC_PPID] != 0 ||
		 find_proc(&p, kid)->val[MEMLENS_PROC_PPID] != 1)
		bad = 13;
	kill(kid, SIGKILL);
	waitpid(kid, NULL, 0);
	return bad;
}

TEST(pid_namespace)
{
	pid_t child;
	int status;

	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		if (unshare(CLONE_NEWPID))
			_exit(20);
		child = fork();
		if (child < 0)
			_exit(21);
		if (!child)
			_exit(pidns_child());
		waitpid(child, &status, 0);
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 22);
	}
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("10+: pid 1 of the namespace saw the wrong rows");
}

/* uid 0 seen from a user namespace that maps it to 1234. */
TEST(user_namespace)
{
	pid_t child;
	int status;

	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		struct ml_procs p;
		int fd;

		if (unshare(CLONE_NEWUSER))
			_exit(20);
		fd = open("/proc/self/uid_map", O_WRONLY);
		if (fd < 0 || write(fd, "1234 0 1", 8) != 8)
			_exit(21);
		close(fd);
		if (read_processes(&p, 4096) || !find_proc(&p, 1))
			_exit(22);
		_exit(find_proc(&p, 1)->val[MEMLENS_PROC_UID] == 1234 ? 0 : 23);
	}
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("init's uid 0 must read 1234");
}

/* A name with a newline and spaces cannot make a row of its own. */
TEST(forged_comm_is_one_row)
{
	static const char forged[] = "x\n1 2 3\\";
	struct ml_procs p;
	const struct ml_proc *row;
	int sync[2];
	pid_t child;
	char c;

	ASSERT_EQ(0, pipe(sync));
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		prctl(PR_SET_NAME, forged);
		if (write(sync[1], "", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	ASSERT_EQ(1, read(sync[0], &c, 1));
	ASSERT_EQ(0, read_processes(&p, 4096)) TH_LOG("a row did not parse");
	row = find_proc(&p, child);
	ASSERT_NE(NULL, row);
	EXPECT_STREQ(forged, row->comm);
	EXPECT_EQ(NULL, find_proc(&p, 0));
	ml_procs_free(&p);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
}

/*
 * Reads of 1 byte, 4 KiB and 1 MiB give the same rows.  Processes start
 * and exit between the reads (the test runner's own do); every process in
 * /proc both before the first read and after the last is in all three,
 * with the same values.
 */
TEST(read_sizes_agree)
{
	static const size_t sizes[] = { 1, 4096, 1 << 20 };
	static long before[65536];
	struct ml_procs p[3];
	size_t nb, i, j, checked = 0;

	nb = proc_pids(before, 65536);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, read_processes(&p[i], sizes[i]));
	for (j = 0; j < nb; j++) {
		const struct ml_proc *x = find_proc(&p[0], before[j]);

		if (!in_proc(before[j]))
			continue;	/* exited meanwhile */
		ASSERT_NE(NULL, x) TH_LOG("pid %ld missing from the 1-byte reads", before[j]);
		for (i = 1; i < 3; i++) {
			const struct ml_proc *y = find_proc(&p[i], before[j]);

			ASSERT_NE(NULL, y) TH_LOG("pid %ld missing with %zu-byte reads",
						  before[j], sizes[i]);
			EXPECT_STREQ(x->comm, y->comm);
			if (before[j] == getpid())
				continue;	/* our own memory moves as we read */
			EXPECT_EQ(0, memcmp(x->val, y->val, sizeof(x->val)))
				TH_LOG("pid %ld differs with %zu-byte reads", before[j], sizes[i]);
		}
		checked++;
	}
	TH_LOG("%zu processes alike in all three reads", checked);
	EXPECT_GT(checked, 10);
	for (i = 0; i < 3; i++)
		ml_procs_free(&p[i]);
}

/* The header names the columns of uapi/memlens.h, in order. */
TEST(header_is_the_contract)
{
	char *buf, *p, name[32];
	size_t len;
	int i, off;

	buf = read_file(PROCESSES, &len, 4096);
	ASSERT_NE(NULL, buf);
	p = buf;
	for (i = 0; i < MEMLENS_PROC_NR_NUMERIC; i++) {
		ASSERT_EQ(1, sscanf(p, "%31s%n", name, &off));
		EXPECT_STREQ(ml_proc_fmt[i].name, name);
		p += off;
	}
	ASSERT_EQ(1, sscanf(p, "%31s", name));
	EXPECT_STREQ(MEMLENS_PROC_COMM, name);
	free(buf);
}

TEST_HARNESS_MAIN
