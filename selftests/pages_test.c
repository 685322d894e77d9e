// SPDX-License-Identifier: GPL-2.0
/*
 * The pages view: every page of present RAM in exactly one class.  The
 * classes add up to /proc/zoneinfo's present pages, node by node, to the
 * page; those the kernel also counts agree with /proc/meminfo within what
 * moves between two reads; planted pages land in their class.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	long long present[MAX_NODES] = { 0 }, pcp, sum;
	struct census c;
	int nodes, n, i;

	nodes = zoneinfo(present, &pcp);
	ASSERT_GT(nodes, 0);
	ASSERT_EQ(0, read_census(&c));
	ASSERT_EQ(nodes, c.nodes);
	for (n = 0; n < nodes; n++) {
		for (sum = 0, i = 0; i < MEMLENS_NR_PAGE_CLASSES; i++) {
			EXPECT_LE(0, c.pages[n][i]);
			sum += c.pages[n][i];
		}
		EXPECT_EQ(present[n], sum) TH_LOG("node %d", n);
	}
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

TEST(agree_with_meminfo)
{
	/* meminfo's keys (MemFree last) and the classes that count the same */
	static const char *const keys[] = { "PageTables", "SwapCached", "Hugetlb", "MemFree" };
	static const int same[] = {
		MEMLENS_PAGE_PAGETABLES, MEMLENS_PAGE_SWAPCACHE, MEMLENS_PAGE_HUGETLB,
		MEMLENS_PAGE_FREE,
	};
	long long present[MAX_NODES] = { 0 }, before[4], after[4], pcp0, pcp1;
	struct census c;
	int i;

	ASSERT_EQ(0, sh("echo 16 >/proc/sys/vm/nr_hugepages"));
	zoneinfo(present, &pcp0);
	for (i = 0; i < 4; i++)
		before[i] = meminfo_pages(keys[i]);
	ASSERT_EQ(0, read_census(&c));
	for (i = 0; i < 4; i++)
		after[i] = meminfo_pages(keys[i]);
	zoneinfo(present, &pcp1);
	sh("echo 0 >/proc/sys/vm/nr_hugepages");
	/* the per-CPU lists' pages are free to the census, not to MemFree */
	before[3] += pcp0;
	after[3] += pcp1;
	for (i = 0; i < 4; i++) {
		EXPECT_TRUE(within(c.total[same[i]], before[i], after[i], SLACK))
			TH_LOG("%s %lld..%lld pages, census %lld", keys[i], before[i], after[i],
			       c.total[same[i]]);
	}
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

/* The memmap: a struct page for each page of every online section. */
TEST(memmap_is_the_sections)
{
	long long block = 0, online = 0, expect;
	struct census c;
	char state[32], path[128];
	FILE *f;
	int i, misses = 0;

	f = fopen("/sys/devices/system/memory/block_size_bytes", "r");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(1, fscanf(f, "%llx", &block));
	fclose(f);
	for (i = 0; misses < 1024; i++) {
		snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%d/state", i);
		f = fopen(path, "r");
		if (!f) {
			misses++;
			continue;
		}
		if (fscanf(f, "%31s", state) == 1 && !strcmp(state, "online"))
			online++;
		fclose(f);
	}
	/* 64 bytes of struct page per page */
	expect = online * block / sysconf(_SC_PAGESIZE) * 64 / sysconf(_SC_PAGESIZE);
	ASSERT_EQ(0, read_census(&c));
	EXPECT_EQ(expect, c.total[MEMLENS_PAGE_MEMMAP])
		TH_LOG("%lld online blocks of %lld MiB", online, block >> 20);
}

/* The kernel image: its four resources in /proc/iomem, and the brk in use. */
TEST(kernel_image_is_its_resources)
{
	static const char *const names[] = {
		"Kernel code", "Kernel rodata", "Kernel data", "Kernel bss",
	};
	unsigned long long start, end, pages = 0;
	struct census c;
	char line[256];
	FILE *f = fopen("/proc/iomem", "r");
	size_t i;

	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " %llx-%llx", &start, &end) != 2)
			continue;
		for (i = 0; i < 4; i++)
			if (strstr(line, names[i]))
				pages += end / 4096 + 1 - start / 4096;
	}
	fclose(f);
	ASSERT_GT(pages, 0);
	ASSERT_EQ(0, read_census(&c));
	/* the brk used at boot: early page tables, a few MiB at most */
	EXPECT_TRUE(c.total[MEMLENS_PAGE_KERNEL_IMAGE] >= (long long)pages &&
		    c.total[MEMLENS_PAGE_KERNEL_IMAGE] <= (long long)pages + 2048)
		TH_LOG("resources %llu pages, census %lld", pages,
		       c.total[MEMLENS_PAGE_KERNEL_IMAGE]);
}

/* Bare alloc_page()s, which no structure names, are untyped. */
TEST(planted_pages_are_untyped)
{
	const long long planted = 8192;
	struct census a, b;
	long long delta;

	sh("rmmod memlens_selftest 2>/dev/null");
	ASSERT_EQ(0, read_census(&a));
	ASSERT_EQ(0, sh("modprobe memlens_selftest objects=0 pages=8192"));
	ASSERT_EQ(0, read_census(&b));
	sh("rmmod memlens_selftest");
	delta = b.total[MEMLENS_PAGE_UNTYPED] - a.total[MEMLENS_PAGE_UNTYPED];
	EXPECT_TRUE(delta >= planted - planted / 50 && delta <= planted + planted / 50)
		TH_LOG("untyped grew by %lld pages, %lld planted", delta, planted);
}

TEST_HARNESS_MAIN
