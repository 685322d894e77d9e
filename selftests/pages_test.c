// SPDX-License-Identifier: GPL-2.0
/*
 * The pages view: every page of present RAM in exactly one class.  The
 * classes add up to /proc/zoneinfo's present pages, node by node, to the
 * page; those the kernel also counts agree with /proc/meminfo within what
 * moves between two reads; planted pages land in their class.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define PAGES		MEMLENS_DIR "/pages"
#define MAX_NODES	64

static const char *const classes[] = { MEMLENS_PAGE_CLASSES(MEMLENS_PAGE_CLASS_NAME) };

struct census {
	long long pages[MAX_NODES][MEMLENS_NR_PAGE_CLASSES];
	long long total[MEMLENS_NR_PAGE_CLASSES];	/* over nodes */
	int nodes;
};

static int class_index(const char *name)
{
	int i;

	for (i = 0; i < MEMLENS_NR_PAGE_CLASSES; i++)
		if (!strcmp(classes[i], name))
			return i;
	return -1;
}

/* The file, checked as it is read: every row well formed and known. */
static int read_census(struct census *c)
{
	size_t len;
	char *buf = read_file(PAGES, &len, 4096), *line, *save;
	char name[32];
	long long node, pages, kb;
	int rows = 0, i;

	memset(c, 0, sizeof(*c));
	if (!buf)
		return -1;
	line = strtok_r(buf, "\n", &save);	/* the header */
	while ((line = strtok_r(NULL, "\n", &save))) {
		if (sscanf(line, "%31s %lld %lld %lld", name, &node, &pages, &kb) != 4 ||
		    node < 0 || node >= MAX_NODES || (i = class_index(name)) < 0 ||
		    kb != pages * PAGE_KB)
			goto bad;
		c->pages[node][i] = pages;
		c->total[i] += pages;
		c->nodes = node + 1;
		rows++;
	}
	free(buf);
	return rows == c->nodes * MEMLENS_NR_PAGE_CLASSES ? 0 : -1;
bad:
	free(buf);
	return -1;
}

/* A node's pages over every class: its present pages, if the census is exact. */
static long long node_sum(const struct census *c, int node)
{
	long long sum = 0;
	int i;

	for (i = 0; i < MEMLENS_NR_PAGE_CLASSES; i++)
		sum += c->pages[node][i];
	return sum;
}

/* Present pages per node and the per-CPU lists' pages, from /proc/zoneinfo. */
static int zoneinfo(long long *present, long long *pcp)
{
	FILE *f = fopen("/proc/zoneinfo", "r");
	char line[256];
	long long v;
	int node = -1, n = 0;

	if (!f)
		return -1;
	*pcp = 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Node %d,", &node) == 1 && node >= 0 && node < MAX_NODES)
			n = node + 1;
		else if (node >= 0 && sscanf(line, " present %lld", &v) == 1)
			present[node] += v;
		else if (sscanf(line, " count: %lld", &v) == 1)
			*pcp += v;
	}
	fclose(f);
	return n;
}

static long long meminfo_pages(const char *key)
{
	return proc_field("/proc/meminfo", key, 1) / PAGE_KB;	/* key without ':' */
}

TEST(header_is_the_contract)
{
	size_t len;
	char *buf = read_file(PAGES, &len, 4096);
	char expect[256];

	ASSERT_NE(NULL, buf);
	snprintf(expect, sizeof(expect), "%-*s %4s %10s %11s\n", MEMLENS_PAGES_CLASS_WIDTH,
		 MEMLENS_PAGES_CLASS, "node", "pages", "size");
	EXPECT_EQ(0, strncmp(buf, expect, strlen(expect))) TH_LOG("header: %.80s", buf);
	free(buf);
}

/* Exactly: the census counts each present page once. */
TEST(classes_add_up_to_present)
{
	long long present[MAX_NODES] = { 0 }, pcp;
	struct census c;
	int nodes, n, i;

	nodes = zoneinfo(present, &pcp);
	ASSERT_GT(nodes, 0);
	ASSERT_EQ(0, read_census(&c));
	ASSERT_EQ(nodes, c.nodes);
	for (n = 0; n < nodes; n++)
		EXPECT_EQ(present[n], node_sum(&c, n)) TH_LOG("node %d", n);
	for (i = 0; i < MEMLENS_NR_PAGE_CLASSES; i++)
		TH_LOG("%-13s %8lld pages", classes[i], c.total[i]);
}

/*
 * @got lies within [lo - slack, hi + slack], lo and hi the kernel's
 * figure before and after the read, in either order.
 */
static int within(long long got, long long a, long long b, long long slack)
{
	long long lo = a < b ? a : b, hi = a < b ? b : a;

	return got >= lo - slack && got <= hi + slack;
}

/* A few pages move between meminfo's two reads and ours. */
#define SLACK	256

/*
 * One census between two reads of meminfo and zoneinfo: how many of the
 * classes fall outside them; @log says which.
 */
static int meminfo_misses(struct __test_metadata *_metadata, struct census *c, bool log)
{
	/* meminfo's keys (MemFree last) and the classes that count the same */
	static const char *const keys[] = { "PageTables", "SwapCached", "Hugetlb", "MemFree" };
	static const int same[] = {
		MEMLENS_PAGE_PAGETABLES, MEMLENS_PAGE_SWAPCACHE, MEMLENS_PAGE_HUGETLB,
		MEMLENS_PAGE_FREE,
	};
	long long present[MAX_NODES] = { 0 }, before[4], after[4], pcp0, pcp1;
	int i, misses = 0;

	zoneinfo(present, &pcp0);
	for (i = 0; i < 4; i++)
		before[i] = meminfo_pages(keys[i]);
	if (read_census(c))
		return -1;
	for (i = 0; i < 4; i++)
		after[i] = meminfo_pages(keys[i]);
	zoneinfo(present, &pcp1);
	/* the per-CPU lists' pages are free to the census, not to MemFree */
	before[3] += pcp0;
	after[3] += pcp1;
	for (i = 0; i < 4; i++) {
		if (within(c->total[same[i]], before[i], after[i], SLACK))
			continue;
		misses++;
		if (log)
			TH_LOG("%s %lld..%lld pages, census %lld", keys[i], before[i], after[i],
			       c->total[same[i]]);
	}
	return misses;
}

/*
 * Up to three tries: pages freed to and taken from the per-CPU lists
 * while the census walks (earlier tests' processes exiting, KASAN's
 * quarantine) can move free by more than the slack, not every time.
 */
TEST(agree_with_meminfo)
{
	struct census c;
	int try, misses = -1;

	ASSERT_EQ(0, sh("echo 16 >/proc/sys/vm/nr_hugepages"));
	for (try = 0; try < 3 && misses; try++)
		misses = meminfo_misses(_metadata, &c, true);
	sh("echo 0 >/proc/sys/vm/nr_hugepages");
	EXPECT_EQ(0, misses);
	EXPECT_EQ(16 * 2048 / PAGE_KB, c.total[MEMLENS_PAGE_HUGETLB]);
}

/* Slab pages: the slab view's caches hold them, large kmallocs apart. */
TEST(slab_is_the_caches)
{
	struct ml_slabs s;
	long long held = 0, census;
	size_t i;

	ASSERT_EQ(0, read_slab(&s));
	for (i = 0; i < s.n; i++)
		held += s.rows[i].val[MEMLENS_SLAB_TOTAL];
	held /= PAGE_KB;
	ml_slabs_free(&s);
	{
		struct census c;

		ASSERT_EQ(0, read_census(&c));
		census = c.total[MEMLENS_PAGE_SLAB];
	}
	EXPECT_TRUE(within(census, held, held, held / 50 + SLACK))
		TH_LOG("slab view %lld pages, census %lld", held, census);
}

/*
 * The memmap: a struct page for each page of every section that holds
 * RAM (128 MiB each on x86_64, its System RAM in /proc/iomem).
 */
TEST(memmap_is_the_sections)
{
	const unsigned long long section = 128ULL << 20;
	unsigned long long start, end, last = ~0ULL, sections = 0, s;
	struct census c;
	char line[256];
	FILE *f = fopen("/proc/iomem", "r");

	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == ' ' || !strstr(line, "System RAM") ||
		    sscanf(line, "%llx-%llx", &start, &end) != 2)
			continue;
		for (s = start / section; s <= end / section; s++)
			if (s != last || !sections) {
				sections++;
				last = s;
			}
	}
	fclose(f);
	ASSERT_GT(sections, 0);
	ASSERT_EQ(0, read_census(&c));
	/* 64 bytes of struct page per page */
	EXPECT_EQ(sections * section / 4096 * 64 / 4096, c.total[MEMLENS_PAGE_MEMMAP])
		TH_LOG("%llu sections of 128 MiB hold RAM", sections);
}

/* Whether PFN's page is PG_reserved, from /proc/kpageflags; -1 if unknown. */
static int kpage_reserved(int fd, unsigned long long pfn)
{
	unsigned long long flags;

	if (pread(fd, &flags, sizeof(flags), pfn * sizeof(flags)) != sizeof(flags))
		return -1;
	return !!(flags & (1ULL << 32));	/* KPF_RESERVED */
}

/*
 * The kernel image: the reserved pages of its four resources in
 * /proc/iomem (the kernel's own flags, from /proc/kpageflags), and the brk
 * in use after them.
 */
TEST(kernel_image_is_its_resources)
{
	static const char *const names[] = {
		"Kernel code", "Kernel rodata", "Kernel data", "Kernel bss",
	};
	unsigned long long start, end, pfn, last = 0, pages = 0, reserved = 0;
	struct census c;
	char line[256];
	FILE *f = fopen("/proc/iomem", "r");
	int fd = open("/proc/kpageflags", O_RDONLY);
	size_t i;

	ASSERT_NE(NULL, f);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, read_census(&c));
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " %llx-%llx", &start, &end) != 2)
			continue;
		for (i = 0; i < 4; i++) {
			if (!strstr(line, names[i]))
				continue;
			/* a page two resources share is counted once */
			for (pfn = start / 4096; pfn <= end / 4096; pfn++) {
				if (pages && pfn <= last)
					continue;
				pages++;
				reserved += kpage_reserved(fd, pfn) == 1;
				last = pfn;
			}
		}
	}
	fclose(f);
	close(fd);
	ASSERT_GT(reserved, 0);
	TH_LOG("resources: %llu pages, %llu of them reserved; census %lld", pages, reserved,
	       c.total[MEMLENS_PAGE_KERNEL_IMAGE]);
	/* the brk used at boot: early page tables, a few MiB at most */
	EXPECT_TRUE(c.total[MEMLENS_PAGE_KERNEL_IMAGE] >= (long long)reserved &&
		    c.total[MEMLENS_PAGE_KERNEL_IMAGE] <= (long long)reserved + 2048);
}

/* Census @c after loading the test module with @params, and unloading it. */
static int census_with(struct census *c, const char *params)
{
	char cmd[160];
	int ret;

	snprintf(cmd, sizeof(cmd), "modprobe memlens_selftest objects=0 %s", params);
	if (sh(cmd))
		return -1;
	/* what the exits of the commands before left to RCU is gone */
	usleep(200000);
	ret = read_census(c);
	sh("rmmod memlens_selftest");
	return ret;
}

static void log_deltas(struct __test_metadata *_metadata, const struct census *a,
		       const struct census *b)
{
	int i;

	for (i = 0; i < MEMLENS_NR_PAGE_CLASSES; i++)
		if (b->total[i] != a->total[i])
			TH_LOG("  %-13s %+lld pages", classes[i], b->total[i] - a->total[i]);
}

/*
 * Bare alloc_page()s, which no structure names, are untyped: the module
 * loaded with and without them, so that its own memory is in both.  Pages
 * freed to the per-CPU lists while a census runs (the processes of the
 * tests before still exiting) move its split of free and untyped by as
 * many: up to three tries.
 */
TEST(planted_pages_are_untyped)
{
	const long long planted = 8192;
	struct census a, b;
	long long delta = 0;
	int try;

	sh("rmmod memlens_selftest 2>/dev/null");
	for (try = 0; try < 3; try++) {
		ASSERT_EQ(0, census_with(&a, "pages=0"));
		ASSERT_EQ(0, census_with(&b, "pages=8192"));
		delta = b.total[MEMLENS_PAGE_UNTYPED] - a.total[MEMLENS_PAGE_UNTYPED];
		TH_LOG("untyped grew by %lld pages, %lld planted", delta, planted);
		if (delta >= planted - planted / 50 && delta <= planted + planted / 50)
			break;
		log_deltas(_metadata, &a, &b);
	}
	EXPECT_LT(try, 3);
}

/*
 * Soft-offlined pages (their contents moved, the page itself retired as
 * poisoned) are offline.  Harmless to the VM: nothing is lost.
 */
TEST(soft_offline_is_offline)
{
	const int n = 16;
	long psize = sysconf(_SC_PAGESIZE);
	struct census a, b;
	char *m;

	m = mmap(NULL, n * psize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, m);
	madvise(m, n * psize, MADV_NOHUGEPAGE);
	memset(m, 1, n * psize);
	ASSERT_EQ(0, read_census(&a));
	if (madvise(m, n * psize, 101 /* MADV_SOFT_OFFLINE */))
		SKIP(return, "no soft offline: %s", strerror(errno));
	ASSERT_EQ(0, read_census(&b));
	TH_LOG("offline grew by %lld pages, %d soft-offlined",
	       b.total[MEMLENS_PAGE_OFFLINE] - a.total[MEMLENS_PAGE_OFFLINE], n);
	EXPECT_EQ(n, b.total[MEMLENS_PAGE_OFFLINE] - a.total[MEMLENS_PAGE_OFFLINE])
		log_deltas(_metadata, &a, &b);
	munmap(m, n * psize);
}

/* Pages that compress, but not to nothing. */
static int fill_zram(const char *dev, size_t len)
{
	static char page[4096];
	int fd = open(dev, O_WRONLY), ret = 0;
	size_t done, o;

	if (fd < 0)
		return -1;
	srand(1);
	for (done = 0; done < len && !ret; done += sizeof(page)) {
		for (o = 0; o + 12 < sizeof(page) / 4; )
			o += snprintf(page + o, sizeof(page) - o, "%x ", rand() & 0xfffff);
		/* each quarter of a page a copy of the first: about 3/4 compress away */
		for (; o < sizeof(page); o++)
			page[o] = page[o % (sizeof(page) / 4)];
		ret = write(fd, page, sizeof(page)) != sizeof(page);
	}
	return close(fd) || ret ? -1 : 0;
}

/* zram's compressed store: its zspages, as zram's mm_stat counts them. */
TEST(zram_is_zsmalloc)
{
	long long orig, compr, used, delta;
	struct census a, b;
	FILE *f;

	if (sh("modprobe zram num_devices=1 2>/dev/null") ||
	    sh("echo 64M >/sys/block/zram0/disksize"))
		SKIP(return, "no zram");
	ASSERT_EQ(0, read_census(&a));
	ASSERT_EQ(0, fill_zram("/dev/zram0", 32 << 20));
	ASSERT_EQ(0, read_census(&b));
	f = fopen("/sys/block/zram0/mm_stat", "r");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(3, fscanf(f, "%lld %lld %lld", &orig, &compr, &used));
	fclose(f);
	used /= 4096;
	delta = b.total[MEMLENS_PAGE_ZSMALLOC] - a.total[MEMLENS_PAGE_ZSMALLOC];
	TH_LOG("zsmalloc grew by %lld pages, zram's mem_used_total is %lld (%lld of data)",
	       delta, used, orig / 4096);
	EXPECT_TRUE(delta >= used - used / 50 - 1 && delta <= used + used / 50 + 1)
		log_deltas(_metadata, &a, &b);
	sh("echo 1 >/sys/block/zram0/reset; rmmod zram");
}

/* Children that map memory, touch it, page some of it out and exit. */
static void fork_storm(int seconds)
{
	time_t end = time(NULL) + seconds;
	size_t len = 2 << 20;

	while (time(NULL) < end) {
		pid_t kid = fork();

		if (!kid) {
			char *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (m != MAP_FAILED) {
				memset(m, 1, len);
				madvise(m, len / 2, 21 /* MADV_PAGEOUT */);
			}
			_exit(0);
		}
		if (kid > 0)
			waitpid(kid, NULL, 0);
	}
	_exit(0);
}

/*
 * For PAGES_CHURN_SECONDS (default 10), while processes come and go,
 * hugetlb pages are reserved and given back, a module is loaded and
 * unloaded, swap goes off and on, and files are written and dropped from
 * the cache, every census still adds up to the present pages exactly (the
 * debug kernel checks the walk's safety).
 */
TEST(exact_under_churn)
{
	const char *mnt = scratch("swap");
	const char *env = getenv("PAGES_CHURN_SECONDS");
	int seconds = env && atoi(env) > 0 ? atoi(env) : 10;
	long long present[MAX_NODES] = { 0 }, pcp;
	struct census c;
	char cmd[1024];
	pid_t storm, churn;
	int reads = 0, n, nodes;

	nodes = zoneinfo(present, &pcp);
	storm = fork();
	ASSERT_LE(0, storm);
	if (!storm)
		fork_storm(seconds);
	snprintf(cmd, sizeof(cmd),
		 "end=$(($(date +%%s) + %d)); while [ $(date +%%s) -lt $end ]; do "
		 "echo 8 >/proc/sys/vm/nr_hugepages; "
		 "modprobe memlens_selftest objects=100 pages=64 vmalloc_pages=64 percpu_kb=8; "
		 "echo 0 >/proc/sys/vm/nr_hugepages; rmmod memlens_selftest; "
		 "if [ -n '%s' ]; then swapoff %s/swapfile; swapon %s/swapfile; "
		 "dd if=/dev/zero of=%s/churn bs=1M count=8 2>/dev/null; "
		 "echo 3 >/proc/sys/vm/drop_caches; fi; done",
		 seconds, mnt ? mnt : "", mnt, mnt, mnt);
	churn = fork();
	ASSERT_LE(0, churn);
	if (!churn) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	while (waitpid(churn, NULL, WNOHANG) == 0) {
		ASSERT_EQ(0, read_census(&c));
		for (n = 0; n < nodes; n++)
			ASSERT_EQ(present[n], node_sum(&c, n)) TH_LOG("read %d, node %d", reads, n);
		reads++;
	}
	waitpid(storm, NULL, 0);
	sh("rmmod memlens_selftest 2>/dev/null; echo 0 >/proc/sys/vm/nr_hugepages");
	TH_LOG("%d censuses, each exact%s", reads, mnt ? "" : " (no scratch disk: no swap churn)");
	EXPECT_GT(reads, 5);
}

/*
 * Take a memory block offline, trying from the highest down (the kernel
 * refuses blocks holding pages it cannot move); its number, or -1.
 */
static int offline_a_block(void)
{
	char path[96], cmd[160];
	int i, tries = 0;

	for (i = 4095; i >= 0 && tries < 8; i--) {
		snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%d/state", i);
		if (access(path, W_OK))
			continue;
		tries++;
		snprintf(cmd, sizeof(cmd), "echo offline >%s 2>/dev/null", path);
		if (!sh(cmd))
			return i;
	}
	return -1;
}

/*
 * A memory block taken offline and back while censuses run (the walk
 * reads no section that is going away: memory_notifier waits for it);
 * with the block offline and again online, each census at rest adds up
 * to the present pages of that moment.
 */
TEST(memory_offline_online)
{
	long long present[MAX_NODES], pcp;
	int block = offline_a_block(), st, n, nodes, status, reads = 0;
	char cmd[200];
	struct census c;
	pid_t kid;

	if (block < 0)
		SKIP(return, "no memory block goes offline");
	memset(present, 0, sizeof(present));
	nodes = zoneinfo(present, &pcp);
	ASSERT_EQ(0, read_census(&c));
	for (n = 0; n < nodes; n++) {
		EXPECT_EQ(present[n], node_sum(&c, n)) TH_LOG("memory%d offline, node %d", block, n);
	}
	kid = fork();
	ASSERT_LE(0, kid);
	if (!kid) {
		snprintf(cmd, sizeof(cmd), "b=/sys/devices/system/memory/memory%d/state; "
			 "for i in 1 2 3 4 5 6 7 8 9 10; do echo online >$b; "
			 "echo offline >$b || exit 1; done; echo online >$b", block);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	while (waitpid(kid, &st, WNOHANG) == 0) {
		ASSERT_EQ(0, read_census(&c));
		reads++;
	}
	status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	memset(present, 0, sizeof(present));
	nodes = zoneinfo(present, &pcp);
	ASSERT_EQ(0, read_census(&c));
	for (n = 0; n < nodes; n++) {
		EXPECT_EQ(present[n], node_sum(&c, n))
			TH_LOG("memory%d online again, node %d", block, n);
	}
	TH_LOG("memory%d offline and online 10 times (status %d), %d censuses meanwhile",
	       block, status, reads);
}

TEST_HARNESS_MAIN
