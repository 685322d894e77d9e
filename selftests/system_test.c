// SPDX-License-Identifier: GPL-2.0
/*
 * The system view against /proc/meminfo and /proc/vmstat, its breakdown of
 * MemTotal, and the textbook's memory at work: page cache, buffers, slab,
 * swap, and shared pages counted once per process.
 */
#include <linux/loop.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define MIB_KB	1024LL

static uint64_t sys_val(struct __test_metadata *_metadata, int key)
{
	struct ml_system s;
	bool ok = !read_system(&s) && !s.unavailable[key];

	EXPECT_TRUE(ok) TH_LOG("cannot read %s", ml_system_fmt[key].name);
	return ok ? s.val[key] : 0;
}

/* A /proc/meminfo (kB) or /proc/vmstat value; -1 if absent. */
static long long proc_value(const char *key)
{
	long long v = proc_field("/proc/meminfo", key, 1);
	char line[256], name[128];
	FILE *f;

	if (v >= 0)
		return v;
	f = fopen("/proc/vmstat", "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%127s %lld", name, &v) == 2 && !strcmp(name, key))
			break;
		else
			v = -1;
	if (f)
		fclose(f);
	return v;
}

/*
 * Key @k against /proc: each /proc value is read before and after ours,
 * and ours must lie between.  A value that moved is retried (up to 5
 * reads), so a mismatch that stays is a real one.  A key /proc does not
 * print must be unavailable.  Returns how many reads saw the value move.
 */
static int key_equals_proc(struct __test_metadata *_metadata, int k)
{
	const char *key = ml_system_fmt[k].name;
	long long lo = 0, hi = 0, a, b;
	int attempt, moving = 0;
	struct ml_system s;
	bool ok = false;

	for (attempt = 0; attempt < 5 && !ok; attempt++) {
		a = proc_value(key);
		ASSERT_EQ(0, read_system(&s));
		b = proc_value(key);
		if (a < 0 && b < 0) {
			EXPECT_TRUE(s.unavailable[k]) TH_LOG("%s is not in /proc, memlens has %llu",
							      key, (unsigned long long)s.val[k]);
			return moving;
		}
		ASSERT_FALSE(s.unavailable[k]) TH_LOG("%s unavailable", key);
		lo = a < b ? a : b;
		hi = a < b ? b : a;
		ok = (long long)s.val[k] >= lo && (long long)s.val[k] <= hi;
		moving += lo != hi;
	}
	EXPECT_TRUE(ok) TH_LOG("%s: memlens %llu, /proc %lld..%lld", key,
			       (unsigned long long)s.val[k], lo, hi);
	return moving;
}

TEST(values_equal_proc)
{
	int k, moving = 0;

	scratch("swap");	/* with swap on, SwapTotal and SwapFree are not 0 */
	for (k = 0; k < MEMLENS_SYS_PROCESSRSSSUM; k++)
		if (k != MEMLENS_SYS_PAGESIZE)
			moving += key_equals_proc(_metadata, k);
	TH_LOG("%d reads bracketed a moving value", moving);
	EXPECT_EQ((uint64_t)getpagesize(), sys_val(_metadata, MEMLENS_SYS_PAGESIZE));
}

/* Write @val to a /proc/sys file; returns what it held, or -1. */
static long long sysctl_swap(const char *path, long long val)
{
	long long old = -1;
	FILE *f = fopen(path, "r");

	if (!f || fscanf(f, "%lld", &old) != 1)
		old = -1;
	if (f)
		fclose(f);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "%lld\n", val);
	return fclose(f) ? -1 : old;
}

#define NR_HUGEPAGES	"/proc/sys/vm/nr_hugepages"

/*
 * The meminfo keys after the breakdown, with huge pages in the pool, part
 * of them reserved by a mapping, and pages mlocked, so that HugePages_*,
 * Hugetlb, CommitLimit and Mlocked are not 0.  Zswap is unavailable from
 * 6.12, where its pools are private; every other key /proc prints must
 * be equal.
 */
TEST(more_values_equal_proc)
{
	size_t lock_len = 1 << 20, huge_len;
	long long old_huge;
	int k, moving = 0;
	struct utsname u;
	char *locked, *huge;
	int major = 0, minor = 0;

	ASSERT_EQ(0, uname(&u));
	sscanf(u.release, "%d.%d", &major, &minor);
	old_huge = sysctl_swap(NR_HUGEPAGES, 4);
	ASSERT_LE(0, old_huge);
	ASSERT_EQ(4, proc_value("HugePages_Total"));
	huge_len = 2 * proc_value("Hugepagesize") * 1024;
	huge = mmap(NULL, huge_len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	ASSERT_NE(MAP_FAILED, huge);
	ASSERT_EQ(2, proc_value("HugePages_Rsvd"));
	huge[0] = 1;	/* one faulted in, one still reserved */
	locked = mmap(NULL, lock_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	ASSERT_NE(MAP_FAILED, locked);
	ASSERT_EQ(0, mlock(locked, lock_len));
	/* a few pages may wait in a per-cpu batch before they count */
	ASSERT_LE(lock_len / 2048, proc_value("Mlocked"));

	/* Mlocked to Unaccepted: the meminfo keys between the two breakdown ranges */
	for (k = MEMLENS_SYS_B_CLAMPED + 1; k < MEMLENS_SYS_FIRST_OTHER_PART; k++) {
		struct ml_system s;

		if (k == MEMLENS_SYS_ZSWAP && (major > 6 || (major == 6 && minor >= 12))) {
			ASSERT_EQ(0, read_system(&s));
			EXPECT_TRUE(s.unavailable[k]);
			continue;
		}
		moving += key_equals_proc(_metadata, k);
	}
	TH_LOG("%d reads bracketed a moving value", moving);
	munmap(locked, lock_len);
	munmap(huge, huge_len);
	EXPECT_EQ(4, sysctl_swap(NR_HUGEPAGES, old_huge));
}
/* ProcessRssSum adds up the rss column of the processes file. */
TEST(process_rss_sum)
{
	uint64_t before = 0, after = 0, ours;
	struct ml_procs p;
	size_t i;

	own_prepare();
	ASSERT_EQ(0, read_processes(&p, 1 << 16));
	for (i = 0; i < p.n; i++)
		before += p.rows[i].val[MEMLENS_PROC_RSS];
	ml_procs_free(&p);
	ours = sys_val(_metadata, MEMLENS_SYS_PROCESSRSSSUM);
	ASSERT_EQ(0, read_processes(&p, 1 << 16));
	for (i = 0; i < p.n; i++)
		after += p.rows[i].val[MEMLENS_PROC_RSS];
	ml_procs_free(&p);
	/* our own heap may move a few pages between the reads */
	EXPECT_GE(ours + 64, before < after ? before : after);
	EXPECT_LE(ours, (before < after ? after : before) + 64)
		TH_LOG("ProcessRssSum %llu, processes %llu..%llu", (unsigned long long)ours,
		       (unsigned long long)before, (unsigned long long)after);
}

/* The parts add up to MemTotal in every read, while memory churns. */
TEST(breakdown_sums_to_memtotal_under_load)
{
	int reads, clamped = 0, k;
	pid_t load;

	load = fork();
	ASSERT_LE(0, load);
	if (!load) {
		for (;;) {
			size_t len = 64 << 20;
			char *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (m != MAP_FAILED) {
				memset(m, 1, len);
				munmap(m, len);
			}
		}
	}
	for (reads = 0; reads < 300; reads++) {
		struct ml_system s;
		uint64_t sum = 0;

		ASSERT_EQ(0, read_system(&s));
		for (k = MEMLENS_SYS_FIRST_PART; k <= MEMLENS_SYS_LAST_PART; k++)
			sum += s.val[k];
		ASSERT_EQ(s.val[MEMLENS_SYS_MEMTOTAL], sum)
			TH_LOG("read %d: parts add up to %llu kB", reads, (unsigned long long)sum);
		clamped += s.val[MEMLENS_SYS_B_CLAMPED] != 0;
		EXPECT_LE(s.val[MEMLENS_SYS_B_OTHER], s.val[MEMLENS_SYS_MEMTOTAL]);
		ASSERT_TRUE(ml_system_split(&s));
		ASSERT_EQ(s.val[MEMLENS_SYS_B_OTHER],
			  s.val[MEMLENS_SYS_B_HUGETLB] + s.val[MEMLENS_SYS_B_KERNELOTHER]);
	}
	kill(load, SIGKILL);
	waitpid(load, NULL, 0);
	TH_LOG("%d reads under a 64 MiB allocation loop, all exact; %d clamped", reads, clamped);
}

/* The parts of a read, the rest split, in kB. */
static uint64_t split_parts_sum(const struct ml_system *s)
{
	int k, n, parts[ML_SYS_MAX_PARTS];
	uint64_t sum = 0;

	n = ml_system_parts(s, parts);
	for (k = 0; k < n; k++)
		sum += s->val[parts[k]];
	return sum;
}

#define HUGE_PAGES	32

/*
 * 32 huge pages of the default size (64 MiB with 2 MiB pages) reserved
 * for the pool move BreakdownHugetlb by exactly that and do not grow the
 * rest without them, BreakdownKernelOther: the pages come out of free.  In
 * every read the parts add up to MemTotal, and BreakdownHugetlb equals
 * Hugetlb.
 */
TEST(hugetlb_pools_are_their_own_part)
{
	struct ml_system s0, s1, s2;
	long long old, size_kb, n;
	int64_t other;
	int read1;

	old = sysctl_swap(NR_HUGEPAGES, 0);
	ASSERT_LE(0, old);
	drop_caches();
	sh("echo 1 > /proc/sys/vm/compact_memory");
	ASSERT_EQ(0, read_system(&s0));
	ASSERT_EQ(0, sysctl_swap(NR_HUGEPAGES, HUGE_PAGES));
	n = proc_value("HugePages_Total");
	size_kb = proc_value("Hugepagesize");
	read1 = read_system(&s1);
	EXPECT_EQ(HUGE_PAGES, sysctl_swap(NR_HUGEPAGES, old));
	ASSERT_EQ(0, read1);
	ASSERT_EQ(0, read_system(&s2));

	ASSERT_EQ(HUGE_PAGES, n) TH_LOG("the pool got %lld of %d pages", n, HUGE_PAGES);
	ASSERT_TRUE(ml_system_split(&s1));
	EXPECT_EQ(s0.val[MEMLENS_SYS_MEMTOTAL], split_parts_sum(&s0));
	EXPECT_EQ(s1.val[MEMLENS_SYS_MEMTOTAL], split_parts_sum(&s1));
	EXPECT_EQ(s2.val[MEMLENS_SYS_MEMTOTAL], split_parts_sum(&s2));
	EXPECT_EQ(s1.val[MEMLENS_SYS_HUGETLB], s1.val[MEMLENS_SYS_B_HUGETLB]);
	EXPECT_EQ((uint64_t)(n * size_kb),
		  s1.val[MEMLENS_SYS_B_HUGETLB] - s0.val[MEMLENS_SYS_B_HUGETLB]);
	EXPECT_EQ(s0.val[MEMLENS_SYS_B_HUGETLB], s2.val[MEMLENS_SYS_B_HUGETLB]);
	other = (int64_t)(s1.val[MEMLENS_SYS_B_KERNELOTHER] - s0.val[MEMLENS_SYS_B_KERNELOTHER]);
	TH_LOG("%lld huge pages of %lld kB: BreakdownHugetlb %+lld kB, BreakdownKernelOther "
	       "%+lld kB, BreakdownOtherKernel %+lld kB, BreakdownFree %+lld kB", n, size_kb,
	       (long long)(s1.val[MEMLENS_SYS_B_HUGETLB] - s0.val[MEMLENS_SYS_B_HUGETLB]),
	       (long long)other,
	       (long long)(s1.val[MEMLENS_SYS_B_OTHER] - s0.val[MEMLENS_SYS_B_OTHER]),
	       (long long)(s1.val[MEMLENS_SYS_B_FREE] - s0.val[MEMLENS_SYS_B_FREE]));
	/*
	 * It may shrink: free pages on per-cpu lists, which MemFree does not
	 * count, go to the pool too.  It grows by a few MiB at most (vmalloc,
	 * lists refilled), not by the pool's 64.
	 */
	EXPECT_LE(other, 8 * MIB_KB);
}

/* Reading a 64 MiB file fills the page cache; drop_caches empties it. */
TEST(page_cache)
{
	const char *mnt = scratch("fs");
	uint64_t c0, c1, c2;
	char cmd[256];

	if (!mnt)
		SKIP(return, "no scratch disk");
	/* scripts/scratch-image.sh made it on the host, or make it here */
	snprintf(cmd, sizeof(cmd), "[ -f %s/cached ] || "
		 "dd if=/dev/urandom of=%s/cached bs=1M count=64 2>/dev/null", mnt, mnt);
	ASSERT_EQ(0, sh(cmd));
	drop_caches();
	c0 = sys_val(_metadata, MEMLENS_SYS_CACHED);
	snprintf(cmd, sizeof(cmd), "cat %s/cached > /dev/null", mnt);
	ASSERT_EQ(0, sh(cmd));
	c1 = sys_val(_metadata, MEMLENS_SYS_CACHED);
	sh("echo 1 > /proc/sys/vm/drop_caches");
	c2 = sys_val(_metadata, MEMLENS_SYS_CACHED);
	TH_LOG("Cached: %llu kB, %llu kB after reading 64 MiB, %llu kB after drop_caches",
	       (unsigned long long)c0, (unsigned long long)c1, (unsigned long long)c2);
	EXPECT_GE(DELTA(c1, c0), 60 * MIB_KB);
	EXPECT_LE(DELTA(c1, c0), 70 * MIB_KB);
	EXPECT_LE(c2, c0 + 4 * MIB_KB);
	snprintf(cmd, sizeof(cmd), "%s/cached", mnt);
	unlink(cmd);
}

/* Reading the block device itself fills Buffers. */
TEST(buffers)
{
	uint64_t b0, b1;

	if (!scratch("fs"))
		SKIP(return, "no scratch disk");
	drop_caches();
	b0 = sys_val(_metadata, MEMLENS_SYS_BUFFERS);
	ASSERT_EQ(0, sh("dd if=/dev/vda of=/dev/null bs=1M count=64 2>/dev/null"));
	b1 = sys_val(_metadata, MEMLENS_SYS_BUFFERS);
	TH_LOG("Buffers: %llu kB, %llu kB after reading 64 MiB of /dev/vda",
	       (unsigned long long)b0, (unsigned long long)b1);
	EXPECT_GE(DELTA(b1, b0), 60 * MIB_KB);
	/* plus read-ahead past the last block read: 8 MiB on 7.3 */
	EXPECT_LE(DELTA(b1, b0), 80 * MIB_KB);
}

/* n lookups of missing names (DENTRIES) leave n negative dentries. */
TEST(dentries_grow_reclaimable_slab)
{
	const char *mnt = scratch("fs");
	int n = dentries_count();
	uint64_t s0, s1;

	if (!mnt)
		SKIP(return, "no scratch disk");
	drop_caches();
	s0 = sys_val(_metadata, MEMLENS_SYS_SRECLAIMABLE);
	negative_dentries(mnt, "missing", n);
	s1 = sys_val(_metadata, MEMLENS_SYS_SRECLAIMABLE);
	TH_LOG("SReclaimable: %llu kB, %llu kB after %d new dentries",
	       (unsigned long long)s0, (unsigned long long)s1, n);
	/* a dentry is 192 bytes: 100,000 are 18.75 MiB; 15 MiB asked */
	EXPECT_GE(DELTA(s1, s0), (int64_t)n * 15 * MIB_KB / 100000);
}

/* Paging out lowers SwapFree and counts pswpout; touching counts pswpin. */
TEST(swap)
{
	uint64_t free0, free1, out0, out1, in1, in2;
	size_t len = 32 << 20;
	char *m;

	if (!scratch("swap"))
		SKIP(return, "no scratch disk for swap");
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, m);
	madvise(m, len, MADV_NOHUGEPAGE);
	memset(m, 0x5a, len);
	free0 = sys_val(_metadata, MEMLENS_SYS_SWAPFREE);
	out0 = sys_val(_metadata, MEMLENS_SYS_PSWPOUT);
	ASSERT_EQ(0, madvise(m, len, 21 /* MADV_PAGEOUT */));
	sync();
	free1 = sys_val(_metadata, MEMLENS_SYS_SWAPFREE);
	out1 = sys_val(_metadata, MEMLENS_SYS_PSWPOUT);
	/*
	 * The written pages stay in the swap cache, where a touch would find
	 * them without I/O: reclaim them (cgroup v2 memory.reclaim) first.
	 */
	sleep(1);
	sh("grep -q cgroup2 /proc/mounts || mount -t cgroup2 none /sys/fs/cgroup");
	sh("echo 256M > /sys/fs/cgroup/memory.reclaim 2>/dev/null");
	in1 = sys_val(_metadata, MEMLENS_SYS_PSWPIN);
	memset(m, 0x5b, len);
	in2 = sys_val(_metadata, MEMLENS_SYS_PSWPIN);
	TH_LOG("32 MiB paged out: SwapFree %+lld kB, pswpout %+lld; touched again: pswpin %+lld",
	       (long long)(free1 - free0), (long long)(out1 - out0), (long long)(in2 - in1));
	EXPECT_GE(DELTA(free0, free1), 16 * MIB_KB);
	EXPECT_GE(DELTA(out1, out0), 4096);
	EXPECT_GE(DELTA(in2, in1), 1);
	munmap(m, len);
}

/* A loop device over a new file of @mib MiB at @file; its path, or NULL. */
static const char *loop_over_file(const char *file, int mib, char *dev, size_t len)
{
	int ctl, fd, lfd, n;

	fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, (off_t)mib << 20))
		return NULL;
	sh("modprobe loop 2>/dev/null");
	ctl = open("/dev/loop-control", O_RDWR);
	n = ctl < 0 ? -1 : ioctl(ctl, LOOP_CTL_GET_FREE);
	if (n < 0)
		return NULL;
	snprintf(dev, len, "/dev/loop%d", n);
	lfd = open(dev, O_RDWR);
	if (lfd < 0 || ioctl(lfd, LOOP_SET_FD, fd))
		return NULL;
	close(lfd);
	close(fd);
	close(ctl);
	return dev;
}

/* Swap on/off cycles: enough to catch each moment many times, few enough for KASAN. */
#define SWAP_CYCLES	10

/* The swap cycler's progress, shared with the test. */
struct swap_cycle {
	volatile int idle;	/* cycle n's device is on and nothing pages: n */
	volatile int acked;	/* the test has checked cycle n's idle moment */
	volatile int done;	/* cycles finished */
};

/*
 * SWAP_CYCLES times: swap on, wait while the test compares an idle moment
 * with /proc, page 4 MiB out to the device, swap off (which brings them
 * back).
 */
static void swap_cycler(const char *dev, struct swap_cycle *c)
{
	size_t len = 4 << 20;
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int i;

	if (m == MAP_FAILED)
		_exit(1);
	for (i = 1; i <= SWAP_CYCLES; i++) {
		/* first in line: paged-out pages go to it */
		if (swapon(dev, SWAP_FLAG_PREFER | (100 << SWAP_FLAG_PRIO_SHIFT)))
			_exit(2);
		c->idle = i;
		while (c->acked != i)
			usleep(1000);
		memset(m, i, len);
		madvise(m, len, 21 /* MADV_PAGEOUT */);
		if (swapoff(dev))
			_exit(3);
		c->done = i;
	}
	_exit(0);
}

/* With nothing paging, memlens equals /proc/meminfo read around it. */
static void swap_idle_equal(struct __test_metadata *_metadata, long long *total_on)
{
	long long t0, f0, t1, f1;
	struct ml_system s;
	int attempt;

	for (attempt = 0; attempt < 5; attempt++) {
		t0 = proc_value("SwapTotal");
		f0 = proc_value("SwapFree");
		ASSERT_EQ(0, read_system(&s));
		t1 = proc_value("SwapTotal");
		f1 = proc_value("SwapFree");
		if (t0 == t1 && f0 == f1)
			break;
	}
	EXPECT_EQ(t0, (long long)s.val[MEMLENS_SYS_SWAPTOTAL]);
	EXPECT_EQ(f0, (long long)s.val[MEMLENS_SYS_SWAPFREE]);
	*total_on = t0;
}

/*
 * Swap on a loop device goes on and off, with pages to bring back each
 * time, while the system file is read in a loop.  While a device is being
 * swapped off the kernel counts its pages in both SwapTotal and SwapFree,
 * and from 6.14 flags its in-use count with a bit that must be masked out.
 * In every read: SwapFree <= SwapTotal, and SwapTotal lies between that of
 * swap without the device and with it; at each idle moment with the device
 * on, both equal /proc/meminfo read around them.
 */
TEST(swap_on_and_off_while_read)
{
	long long total_off = proc_value("SwapTotal"), total_on = -1;
	const char *mnt = scratch("fs");
	int reads = 0, idles = 0, st;
	char file[128], dev[32], cmd[160];
	struct swap_cycle *c;
	pid_t kid;

	if (!mnt)
		SKIP(return, "no scratch disk");
	snprintf(file, sizeof(file), "%s/swaploop", mnt);
	ASSERT_NE(NULL, loop_over_file(file, 32, dev, sizeof(dev)));
	snprintf(cmd, sizeof(cmd), "mkswap %s >/dev/null", dev);
	ASSERT_EQ(0, sh(cmd));
	c = mmap(NULL, sizeof(*c), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, c);
	kid = fork();
	ASSERT_LE(0, kid);
	if (!kid)
		swap_cycler(dev, c);
	while (waitpid(kid, &st, WNOHANG) == 0 && !_metadata->exit_code) {
		long long total, free;
		struct ml_system s;

		if (c->idle != c->acked) {
			swap_idle_equal(_metadata, &total_on);
			idles++;
			c->acked = c->idle;
			continue;
		}
		ASSERT_EQ(0, read_system(&s));
		ASSERT_FALSE(s.unavailable[MEMLENS_SYS_SWAPTOTAL]);
		total = s.val[MEMLENS_SYS_SWAPTOTAL];
		free = s.val[MEMLENS_SYS_SWAPFREE];
		reads++;
		EXPECT_LE(free, total);
		/*
		 * A device being swapped off counts its pages still in use;
		 * before the first idle moment its size is not known.
		 */
		EXPECT_TRUE(total >= total_off &&
			    total <= (total_on < 0 ? total_off + 32 * MIB_KB : total_on))
			TH_LOG("SwapTotal %lld kB: not between %lld (device off) and %lld (on)",
			       total, total_off, total_on);
	}
	if (waitpid(kid, &st, WNOHANG) == 0)
		kill(kid, SIGKILL);
	waitpid(kid, &st, 0);
	TH_LOG("%d swapon/swapoff cycles, %d reads while paging, %d idle moments equal to /proc",
	       c->done, reads, idles);
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) TH_LOG("swap cycler status %d", st);
	EXPECT_EQ(SWAP_CYCLES, c->done);
	EXPECT_EQ(SWAP_CYCLES, idles);
	EXPECT_LE(10, reads);
	swapoff(dev);
	snprintf(cmd, sizeof(cmd), "losetup -d %s", dev);
	sh(cmd);
	unlink(file);
}

/*
 * 50 processes map the same 16 MiB file: each counts it in its RSS, so
 * ProcessRssSum grows by 800 MiB, while the page cache holds it once.
 */
/* The rss of processes @kids in the processes view, in kB. */
static uint64_t kids_rss_kb(const pid_t *kids, int n)
{
	const struct ml_proc *row;
	struct ml_procs p;
	uint64_t sum = 0;
	int i;

	if (read_processes(&p, 1 << 16))
		return 0;
	for (i = 0; i < n; i++) {
		row = find_proc(&p, kids[i]);
		sum += row ? row->val[MEMLENS_PROC_RSS] : 0;
	}
	ml_procs_free(&p);
	return sum;
}

TEST(shared_file_counted_once_per_process)
{
	const char *mnt = scratch("fs");
	uint64_t r0, r1, c0, c1, kids_rss;
	size_t len = 16 << 20;
	pid_t kids[50];
	char path[128];
	int i, fd, ready[2];
	char c;

	if (!mnt)
		SKIP(return, "no scratch disk");
	snprintf(path, sizeof(path), "%s/shared16", mnt);
	{
		char cmd[320];

		snprintf(cmd, sizeof(cmd), "[ -f %s ] || dd if=/dev/zero of=%s bs=1M count=16 2>/dev/null",
			 path, path);
		ASSERT_EQ(0, sh(cmd));
	}
	drop_caches();
	r0 = sys_val(_metadata, MEMLENS_SYS_PROCESSRSSSUM);
	c0 = sys_val(_metadata, MEMLENS_SYS_CACHED);
	ASSERT_EQ(0, pipe(ready));
	for (i = 0; i < 50; i++) {
		kids[i] = fork();
		ASSERT_LE(0, kids[i]);
		if (!kids[i]) {
			volatile char sum = 0;
			char *m;
			size_t off;

			fd = open(path, O_RDONLY);
			m = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
			/* locked: reclaim must not unmap pages before they are counted */
			if (m == MAP_FAILED || mlock(m, len))
				_exit(1);
			for (off = 0; off < len; off += 4096)
				sum += m[off];
			flush_rss();	/* 6.1: publish the task's cached rss counts */
			if (write(ready[1], "", 1) != 1)
				_exit(1);
			close(ready[1]);	/* a kid that failed ends the parent's read */
			pause();
			_exit(0);
		}
	}
	close(ready[1]);
	for (i = 0; i < 50; i++)
		ASSERT_EQ(1, read(ready[0], &c, 1))
			TH_LOG("%d of 50 processes mapped and locked the file", i);
	r1 = sys_val(_metadata, MEMLENS_SYS_PROCESSRSSSUM);
	c1 = sys_val(_metadata, MEMLENS_SYS_CACHED);
	kids_rss = kids_rss_kb(kids, 50);
	TH_LOG("50 processes map one 16 MiB file: ProcessRssSum %+lld kB, Cached %+lld kB, "
	       "the 50 processes' rss %llu kB, ProcessRssSum %llu kB", (long long)(r1 - r0),
	       (long long)(c1 - c0), (unsigned long long)kids_rss, (unsigned long long)r1);
	/*
	 * The processes' own rows, not ProcessRssSum's change: other
	 * processes (a previous test's) may exit in between.
	 */
	EXPECT_GE(kids_rss, 50 * 16 * MIB_KB - 50 * 256);
	EXPECT_GE(r1, kids_rss);
	EXPECT_LE(DELTA(c1, c0), 2 * 16 * MIB_KB);
	for (i = 0; i < 50; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
	}
	unlink(path);
}

TEST_HARNESS_MAIN
