// SPDX-License-Identifier: GPL-2.0
/*
 * The system view: where physical memory is.  The /proc/meminfo keys are
 * computed as fs/proc/meminfo.c computes them on this kernel (mm_mirror.h
 * follows what it reads that is not exported), the event counters as
 * /proc/vmstat sums them; then the sum of every process's RSS and a
 * breakdown of MemTotal into parts that do not overlap.
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mmzone.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/vmstat.h>

#include "compat.h"
#include "memlens.h"
#include "mm_mirror.h"

/* Values the kernel gives no safe way to read are left as this. */
#define SYS_UNAVAILABLE	U64_MAX

/*
 * si_swapinfo() is not exported: follow it through its verified variables.
 * The to-be-unused pages of a swap device being swapped off count as both
 * free and total, as they do there.
 */
static const char *system_swapinfo(u64 *val)
{
	struct swap_info_struct **info;
	unsigned long unused = 0;
	unsigned int type, nr;
	unsigned int *nr_files;
	long *total;
	spinlock_t *lock;	/* swap_lock, as si_swapinfo() takes it */
	const char *why = NULL;

	lock = memlens_ksym(MEMLENS_KSYM_SWAP_LOCK, &why);
	info = memlens_ksym(MEMLENS_KSYM_SWAP_INFO, &why);
	nr_files = memlens_ksym(MEMLENS_KSYM_NR_SWAPFILES, &why);
	total = memlens_ksym(MEMLENS_KSYM_TOTAL_SWAP_PAGES, &why);
	if (why)
		return why;

	spin_lock(lock);
	nr = min_t(unsigned int, READ_ONCE(*nr_files), MAX_SWAPFILES);
	for (type = 0; type < nr; type++) {
		struct swap_info_struct *si = READ_ONCE(info[type]);

		if (si && (si->flags & SWP_USED) && !(si->flags & SWP_WRITEOK))
			unused += memlens_swap_inuse(si);
	}
	val[MEMLENS_SYS_SWAPFREE] = MEMLENS_PAGES_TO_KB(atomic_long_read(&nr_swap_pages) + unused);
	val[MEMLENS_SYS_SWAPTOTAL] = MEMLENS_PAGES_TO_KB(READ_ONCE(*total) + unused);
	spin_unlock(lock);
	return NULL;
}

static const char *system_swap_status(void)
{
	u64 val[MEMLENS_SYS_NR_KEYS];

	return system_swapinfo(val);
}

static int system_events(u64 *val)
{
	unsigned long *ev;

	ev = kmalloc_array(NR_VM_EVENT_ITEMS, sizeof(*ev), GFP_KERNEL);
	if (!ev)
		return -ENOMEM;
	all_vm_events(ev);
	val[MEMLENS_SYS_PSWPIN] = ev[PSWPIN];
	val[MEMLENS_SYS_PSWPOUT] = ev[PSWPOUT];
	val[MEMLENS_SYS_PGFAULT] = ev[PGFAULT];
	val[MEMLENS_SYS_PGMAJFAULT] = ev[PGMAJFAULT];
	kfree(ev);
	return 0;
}

/* A node counter in pages, in kB, as meminfo_proc_show() prints it. */
static u64 node_kb(enum node_stat_item item)
{
	return MEMLENS_PAGES_TO_KB(global_node_page_state(item));
}

/* meminfo_proc_show(), for the keys memlens prints. */
static void system_meminfo(u64 *val)
{
	unsigned long sreclaimable, sunreclaim;
	struct sysinfo i;
	long cached;

	si_meminfo(&i);
	cached = global_node_page_state(NR_FILE_PAGES) - total_swapcache_pages() -
		 i.bufferram;
	sreclaimable = global_node_page_state_pages(NR_SLAB_RECLAIMABLE_B);
	sunreclaim = global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B);

	val[MEMLENS_SYS_MEMTOTAL] = MEMLENS_PAGES_TO_KB(i.totalram);
	val[MEMLENS_SYS_MEMFREE] = MEMLENS_PAGES_TO_KB(i.freeram);
	val[MEMLENS_SYS_MEMAVAILABLE] = MEMLENS_PAGES_TO_KB(si_mem_available());
	val[MEMLENS_SYS_BUFFERS] = MEMLENS_PAGES_TO_KB(i.bufferram);
	val[MEMLENS_SYS_CACHED] = MEMLENS_PAGES_TO_KB(max(cached, 0L));
	val[MEMLENS_SYS_SWAPCACHED] = MEMLENS_PAGES_TO_KB(total_swapcache_pages());
	val[MEMLENS_SYS_ACTIVE_ANON] = node_kb(NR_ACTIVE_ANON);
	val[MEMLENS_SYS_INACTIVE_ANON] = node_kb(NR_INACTIVE_ANON);
	val[MEMLENS_SYS_ACTIVE_FILE] = node_kb(NR_ACTIVE_FILE);
	val[MEMLENS_SYS_INACTIVE_FILE] = node_kb(NR_INACTIVE_FILE);
	val[MEMLENS_SYS_UNEVICTABLE] = node_kb(NR_UNEVICTABLE);
	val[MEMLENS_SYS_SHMEM] = MEMLENS_PAGES_TO_KB(i.sharedram);
	val[MEMLENS_SYS_ANONPAGES] = node_kb(NR_ANON_MAPPED);
	val[MEMLENS_SYS_MAPPED] = node_kb(NR_FILE_MAPPED);
	val[MEMLENS_SYS_DIRTY] = node_kb(NR_FILE_DIRTY);
	val[MEMLENS_SYS_WRITEBACK] = node_kb(NR_WRITEBACK);
	val[MEMLENS_SYS_SLAB] = MEMLENS_PAGES_TO_KB(sreclaimable + sunreclaim);
	val[MEMLENS_SYS_SRECLAIMABLE] = MEMLENS_PAGES_TO_KB(sreclaimable);
	val[MEMLENS_SYS_SUNRECLAIM] = MEMLENS_PAGES_TO_KB(sunreclaim);
	val[MEMLENS_SYS_KERNELSTACK] = global_node_page_state(NR_KERNEL_STACK_KB);
	val[MEMLENS_SYS_PAGETABLES] = node_kb(NR_PAGETABLE);
	val[MEMLENS_SYS_PAGESIZE] = PAGE_SIZE;
}

/* A key's value, or unavailable if @why says why there is none. */
static void system_put(u64 *val, int key, const char *why, u64 v)
{
	val[key] = why ? SYS_UNAVAILABLE : v;
}

/* hugetlb_report_meminfo(), and CommitLimit, which subtracts the pools */
static void system_hugetlb(u64 *val)
{
	struct memlens_hugetlb h;
	unsigned long limit = 0;
	const char *why, *dwhy;

	why = memlens_hugetlb_report(&h);
	system_put(val, MEMLENS_SYS_HUGETLB, why, h.all_kb);
	dwhy = why ?: (h.has_default ? NULL : "no default huge page size");
	system_put(val, MEMLENS_SYS_HUGEPAGES_TOTAL, dwhy, h.total);
	system_put(val, MEMLENS_SYS_HUGEPAGES_FREE, dwhy, h.free);
	system_put(val, MEMLENS_SYS_HUGEPAGES_RSVD, dwhy, h.rsvd);
	system_put(val, MEMLENS_SYS_HUGEPAGES_SURP, dwhy, h.surp);
	system_put(val, MEMLENS_SYS_HUGEPAGESIZE, dwhy, h.size_kb);
	why = why ?: memlens_commit_limit(h.all_kb >> (PAGE_SHIFT - 10), &limit);
	system_put(val, MEMLENS_SYS_COMMITLIMIT, why, MEMLENS_PAGES_TO_KB(limit));
}

/* The keys meminfo prints with CONFIG_TRANSPARENT_HUGEPAGE */
static const struct {
	int key;
	enum node_stat_item item;
} system_thp[] = {
	{ MEMLENS_SYS_ANONHUGEPAGES, NR_ANON_THPS },
	{ MEMLENS_SYS_SHMEMHUGEPAGES, NR_SHMEM_THPS },
	{ MEMLENS_SYS_SHMEMPMDMAPPED, NR_SHMEM_PMDMAPPED },
	{ MEMLENS_SYS_FILEHUGEPAGES, NR_FILE_THPS },
	{ MEMLENS_SYS_FILEPMDMAPPED, NR_FILE_PMDMAPPED },
};

/* The keys mm_mirror.h counts in pages, or says why it cannot */
static const struct {
	int key;
	const char *(*pages)(unsigned long *pages);
} system_mirrored[] = {
	{ MEMLENS_SYS_VMALLOCUSED, memlens_vmalloc_pages },
	{ MEMLENS_SYS_PERCPU, memlens_percpu_pages },
	{ MEMLENS_SYS_HARDWARECORRUPTED, memlens_poisoned_pages },
	{ MEMLENS_SYS_UNACCEPTED, memlens_unaccepted_pages },
	{ MEMLENS_SYS_ZSWAPPED, memlens_zswapped_pages },
};

/* The rest of meminfo_proc_show(), after system_meminfo()'s keys. */
static void system_meminfo_more(u64 *val)
{
	unsigned long total = 0, free = 0, pages = 0;
	const char *why;
	int i;

	val[MEMLENS_SYS_MLOCKED] = MEMLENS_PAGES_TO_KB(global_zone_page_state(NR_MLOCK));
	val[MEMLENS_SYS_KRECLAIMABLE] =
		MEMLENS_PAGES_TO_KB(global_node_page_state_pages(NR_SLAB_RECLAIMABLE_B) +
				    global_node_page_state(NR_KERNEL_MISC_RECLAIMABLE));
	val[MEMLENS_SYS_SECPAGETABLES] = node_kb(NR_SECONDARY_PAGETABLE);
	val[MEMLENS_SYS_COMMITTED_AS] = MEMLENS_PAGES_TO_KB(vm_memory_committed());

	why = memlens_thp_why();
	for (i = 0; i < ARRAY_SIZE(system_thp); i++)
		system_put(val, system_thp[i].key, why, node_kb(system_thp[i].item));
	for (i = 0; i < ARRAY_SIZE(system_mirrored); i++) {
		why = system_mirrored[i].pages(&pages);
		system_put(val, system_mirrored[i].key, why, MEMLENS_PAGES_TO_KB(pages));
	}
	why = memlens_cma_pages(&total, &free);
	system_put(val, MEMLENS_SYS_CMATOTAL, why, MEMLENS_PAGES_TO_KB(total));
	system_put(val, MEMLENS_SYS_CMAFREE, why, MEMLENS_PAGES_TO_KB(free));
	why = memlens_zswap_kb(&pages);
	system_put(val, MEMLENS_SYS_ZSWAP, why, pages);
	system_hugetlb(val);
}

/*
 * MemTotal in parts that do not overlap (docs/formats.md, system): page
 * cache is Cached without Shmem, which Cached includes; Buffers and the swap
 * cache are already outside Cached.  The remainder is "other kernel".  The
 * counters are per-cpu and drift, so in a rare read the parts may exceed
 * MemTotal: then the excess is taken from free and shown as clamped.
 *
 * The remainder is then split into the hugetlb pools and what is left.
 * Every pool page, used or free, of every size (meminfo's Hugetlb) is in
 * MemTotal and in no other part.  The pool takes its pages from the buddy
 * allocator, so out of MemFree, or at boot from memblock, adding those to
 * totalram (gather_bootmem_prealloc()); a free pool page is on its
 * hstate's list, not the buddy's.  Mapping one (hugepage_add_*() on 6.1,
 * hugetlb_add_*() on 6.12) never counts it in NR_ANON_MAPPED, so not in
 * AnonPages; __filemap_add_folio() leaves hugetlbfs pages out of
 * NR_FILE_PAGES, so out of Cached; hugetlbfs is not shmem.  A page on its
 * way into or out of the pool is in neither it nor MemFree for a moment:
 * kernel memory then.  The swap cache no process maps stays in what is
 * left: the kernel's counters cannot tell it from the part processes map,
 * which is in AnonPages.
 */
static void system_breakdown(u64 *val)
{
	u64 sum = 0, excess, hugetlb;
	bool split = val[MEMLENS_SYS_HUGETLB] != SYS_UNAVAILABLE;
	int i;

	val[MEMLENS_SYS_B_FREE] = val[MEMLENS_SYS_MEMFREE];
	val[MEMLENS_SYS_B_ANON] = val[MEMLENS_SYS_ANONPAGES];
	val[MEMLENS_SYS_B_PAGECACHE] = val[MEMLENS_SYS_CACHED] -
				       min(val[MEMLENS_SYS_SHMEM], val[MEMLENS_SYS_CACHED]);
	val[MEMLENS_SYS_B_BUFFERS] = val[MEMLENS_SYS_BUFFERS];
	val[MEMLENS_SYS_B_SHMEM] = val[MEMLENS_SYS_SHMEM];
	val[MEMLENS_SYS_B_SRECLAIMABLE] = val[MEMLENS_SYS_SRECLAIMABLE];
	val[MEMLENS_SYS_B_SUNRECLAIM] = val[MEMLENS_SYS_SUNRECLAIM];
	val[MEMLENS_SYS_B_KERNELSTACK] = val[MEMLENS_SYS_KERNELSTACK];
	val[MEMLENS_SYS_B_PAGETABLES] = val[MEMLENS_SYS_PAGETABLES];
	hugetlb = split ? val[MEMLENS_SYS_HUGETLB] : 0;

	for (i = MEMLENS_SYS_FIRST_PART; i < MEMLENS_SYS_LAST_PART; i++)
		sum += val[i];
	/* the pools count in the excess: they are a part too */
	excess = sum + hugetlb > val[MEMLENS_SYS_MEMTOTAL] ?
		 sum + hugetlb - val[MEMLENS_SYS_MEMTOTAL] : 0;
	excess = min(excess, val[MEMLENS_SYS_B_FREE]);
	val[MEMLENS_SYS_B_FREE] -= excess;
	val[MEMLENS_SYS_B_CLAMPED] = excess;
	val[MEMLENS_SYS_B_OTHER] = val[MEMLENS_SYS_MEMTOTAL] - min(sum - excess,
								    val[MEMLENS_SYS_MEMTOTAL]);
	/* less than the pools only when free could not cover the excess */
	val[MEMLENS_SYS_B_HUGETLB] = min(hugetlb, val[MEMLENS_SYS_B_OTHER]);
	val[MEMLENS_SYS_B_KERNELOTHER] = val[MEMLENS_SYS_B_OTHER] - val[MEMLENS_SYS_B_HUGETLB];
	if (!split) {
		val[MEMLENS_SYS_B_HUGETLB] = SYS_UNAVAILABLE;
		val[MEMLENS_SYS_B_KERNELOTHER] = SYS_UNAVAILABLE;
	}
}

/* What the processes file would add up to, walked the same way. */
static u64 system_rss_sum(struct seq_file *m)
{
	struct memlens_proc_iter it;
	struct memlens_proc_row row;
	u64 sum = 0;

	memlens_proc_iter_init(&it, seq_user_ns(m));
	while (memlens_proc_next(&it, &row)) {
		sum += row.val[MEMLENS_PROC_RSS];
		it.tgid++;
		cond_resched();
	}
	memlens_proc_iter_exit(&it);
	return sum;
}

static const struct memlens_column system_keys[] = {
	MEMLENS_SYSTEM_KEYS(MEMLENS_KEY)
};

static int system_show(struct seq_file *m, void *v)
{
	u64 val[MEMLENS_SYS_NR_KEYS];
	char key[40];
	int i, ret;

	system_meminfo(val);
	system_meminfo_more(val);
	if (system_swapinfo(val)) {
		val[MEMLENS_SYS_SWAPTOTAL] = SYS_UNAVAILABLE;
		val[MEMLENS_SYS_SWAPFREE] = SYS_UNAVAILABLE;
	}
	ret = system_events(val);
	if (ret)
		return ret;
	val[MEMLENS_SYS_PROCESSRSSSUM] = system_rss_sum(m);
	system_breakdown(val);

	for (i = 0; i < MEMLENS_SYS_NR_KEYS; i++) {
		snprintf(key, sizeof(key), "%s:", system_keys[i].name);
		if (val[i] == SYS_UNAVAILABLE) {
			seq_printf(m, "%-28s%12s\n", key, MEMLENS_UNAVAILABLE);
			continue;
		}
		seq_printf(m, "%-28s%12llu%s\n", key, val[i],
			   system_keys[i].unit == MEMLENS_UNIT_KB ? " kB" : "");
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(system);

static const char *system_status(const char **missing)
{
	*missing = "SwapTotal, SwapFree";
	return system_swap_status();
}

const struct memlens_view memlens_system_view = {
	.name = MEMLENS_FILE_SYSTEM,
	.fops = &system_fops,
	.status = system_status,
};
