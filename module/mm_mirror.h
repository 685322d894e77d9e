/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copies of kernel logic that memlens cannot call: each is private to mm/
 * or fs/proc/, or not exported.  Each names the function it follows and
 * the kernels whose version of that function it copies.  Where that function
 * changed between the kernels memlens supports, the copy is compiled
 * whole for each, on a test compat.h names.
 */
#ifndef _MEMLENS_MM_MIRROR_H
#define _MEMLENS_MM_MIRROR_H

#include <linux/cpumask.h>
#include <linux/highmem.h>
#include <linux/irqflags.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/percpu_counter.h>
#include <linux/spinlock.h>
#include <linux/swap.h>
#include <linux/vmalloc.h>

#include "compat.h"
#include "memlens.h"

/* after compat.h: through swapops.h, it defines softleaf names on some 6.12 */
#include <linux/hugetlb.h>

#if MEMLENS_RSS_PERCPU
/*
 * get_mm_counter_sum() of each counter, as /proc/PID/status reads them
 * from v6.16 and 6.12.39 in stable (every Debian kernel from 6.12 on):
 * __percpu_counter_sum(), each counter under its lock, but with
 * interrupts disabled once for the four rather than four times, since
 * this runs for every row of the processes table.
 */
static inline void memlens_mm_counters(struct mm_struct *mm, unsigned long *val)
{
	unsigned long flags;
	int i, cpu;

	local_irq_save(flags);
	for (i = 0; i < NR_MM_COUNTERS; i++) {
		struct percpu_counter *fbc = &mm->rss_stat[i];
		s64 sum;

		raw_spin_lock(&fbc->lock);
		sum = fbc->count;
		for_each_cpu_or(cpu, cpu_online_mask, cpu_dying_mask)
			sum += *per_cpu_ptr(fbc->counters, cpu);
		raw_spin_unlock(&fbc->lock);
		val[i] = max_t(s64, sum, 0);
	}
	local_irq_restore(flags);
}
#else
/*
 * get_mm_counter(), as /proc reads the counters before v6.2: the atomic,
 * which the task's own SPLIT_RSS_COUNTING cache feeds every 64 faults.
 */
static inline void memlens_mm_counters(struct mm_struct *mm, unsigned long *val)
{
	int i;

	for (i = 0; i < NR_MM_COUNTERS; i++)
		val[i] = get_mm_counter(mm, i);
}
#endif

/*
 * How shared smaps_account() takes a page of a folio to be: the mapcount
 * its PSS is divided by, and whether it counts as private.  With per-page
 * mapcounts (every Debian kernel) that is each page's own, from
 * memlens_page_share(); with CONFIG_NO_PAGE_MAPCOUNT (v6.15 on) it is one
 * for the whole folio, from memlens_folio_share().
 */
struct memlens_share {
	int mapcount;
	bool private;
};

#ifdef CONFIG_NO_PAGE_MAPCOUNT
/* folio_average_page_mapcount() of fs/proc/internal.h, v6.15 on */
static inline int memlens_folio_avg_mapcount(struct folio *folio)
{
	int mapcount, entire_mapcount, avg;

	if (!folio_test_large(folio))
		return atomic_read(&folio->_mapcount) + 1;
	mapcount = folio_large_mapcount(folio);
	if (unlikely(mapcount <= 0))
		return 0;
	entire_mapcount = folio_entire_mapcount(folio);
	if (mapcount <= entire_mapcount)
		return entire_mapcount;
	mapcount -= entire_mapcount;
	avg = ((unsigned int)mapcount + folio_large_nr_pages(folio) / 2) >>
	      folio_large_order(folio);
	return max_t(int, avg + entire_mapcount, 1);
}

static inline void memlens_folio_share(struct folio *folio, struct memlens_share *sh)
{
	sh->mapcount = memlens_folio_avg_mapcount(folio);
	sh->private = !folio_maybe_mapped_shared(folio);
}

static inline void memlens_page_share(struct folio *folio, struct page *page,
				      struct memlens_share *sh)
{
}
#else
#if MEMLENS_LARGE_MAPCOUNT
/*
 * folio_precise_page_mapcount() of fs/proc/internal.h, v6.9 on: the
 * page's own _mapcount plus the folio's PMD mappings.
 */
static inline int memlens_page_mapcount(struct folio *folio, struct page *page)
{
	int mapcount = atomic_read(&page->_mapcount) + 1;

	if (page_mapcount_is_type(mapcount))
		mapcount = 0;
	if (folio_test_large(folio))
		mapcount += folio_entire_mapcount(folio);
	return mapcount;
}
#else
/* smaps_account() before v6.9: page_mapcount() */
static inline int memlens_page_mapcount(struct folio *folio, struct page *page)
{
	return page_mapcount(page);
}
#endif

static inline void memlens_folio_share(struct folio *folio, struct memlens_share *sh)
{
}

static inline void memlens_page_share(struct folio *folio, struct page *page,
				      struct memlens_share *sh)
{
	sh->mapcount = memlens_page_mapcount(folio, page);
	sh->private = sh->mapcount < 2;
}
#endif

#if MEMLENS_SMAPS_NONPRESENT_SHARED
/*
 * smaps_account() from v6.12 (compat.h): a folio only this mapping holds,
 * or the page behind any non-present entry, counts whole, private only if
 * present.  Sets *@private for that case and returns true.
 */
static inline bool memlens_smaps_whole(struct folio *folio, bool present, bool migration,
				       bool *private)
{
	*private = present;
	return folio_ref_count(folio) == 1 || !present;
}

/* smaps_pmd_entry() from v6.12: the page of any pfn entry is counted. */
static inline bool memlens_smaps_pmd_entry(const struct memlens_leaf *l)
{
	return l->pfn;
}

/* vm_normal_page_pmd(), as smaps_pmd_entry() from v6.12 calls it. */
static inline bool memlens_smaps_skip_pmd(pmd_t pmd)
{
	return memlens_pmd_devmap(pmd);
}
#else
/*
 * smaps_account() before v6.12: a folio only this mapping holds, or the
 * page behind a migration entry, counts whole and private.
 */
static inline bool memlens_smaps_whole(struct folio *folio, bool present, bool migration,
				       bool *private)
{
	*private = true;
	return folio_ref_count(folio) == 1 || migration;
}

/* smaps_pmd_entry() before v6.12: only a migration entry's page is counted. */
static inline bool memlens_smaps_pmd_entry(const struct memlens_leaf *l)
{
	return l->pfn && l->migration;
}

/* follow_trans_huge_pmd(FOLL_DUMP), as smaps_pmd_entry() before v6.12 calls it. */
static inline bool memlens_smaps_skip_pmd(pmd_t pmd)
{
	return pmd_protnone(pmd);
}
#endif

/*
 * smaps_pmd_entry() is empty without CONFIG_TRANSPARENT_HUGEPAGE (Debian's
 * PREEMPT_RT kernels): no PMD leaf is counted there.
 */
static inline bool memlens_smaps_pmd_leaves(void)
{
	return IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE);
}

#ifdef CONFIG_SPARSEMEM
/*
 * pfn_valid() of <linux/mmzone.h>, for many pfns most of which are in the
 * same memory section: a section found valid and present from boot
 * (early_section(), its memmap whole) is remembered in *@section and not
 * looked up again.  The caller keeps the section from going offline, and
 * sets *@section to ULONG_MAX when it no longer can.
 */
static inline bool memlens_pfn_valid_cached(unsigned long pfn, unsigned long *section)
{
	unsigned long nr = pfn_to_section_nr(pfn);

	if (nr == *section)
		return true;
	if (!pfn_valid(pfn))
		return false;
	if (early_section(__nr_to_section(nr)))
		*section = nr;
	return true;
}
#else
static inline bool memlens_pfn_valid_cached(unsigned long pfn, unsigned long *section)
{
	return pfn_valid(pfn);
}
#endif

/* SWAPFILE_CLUSTER of mm/swap.h (private), the same on every kernel. */
#ifdef CONFIG_THP_SWAP
#define MEMLENS_SWAPFILE_CLUSTER	HPAGE_PMD_NR
#else
#define MEMLENS_SWAPFILE_CLUSTER	256
#endif

/*
 * swp_swapcount() of mm/swapfile.c, not exported, nor is anything it
 * calls.  The caller checked the entry as _swap_info_get() checks it, and
 * holds the PTE lock of the PTE holding it, as smaps does.
 * memlens_swp_swapcount_why() says why counts cannot be read, or NULL.
 */
#if MEMLENS_SWAP_MAP
/*
 * lock_cluster_or_swap_info(), up to v7.1?: the lock of @offset's cluster,
 * or of the device when it has no clusters.
 */
static inline spinlock_t *memlens_swap_map_lock(struct swap_info_struct *si,
						unsigned long offset)
{
	if (si->cluster_info)
		return &si->cluster_info[offset / MEMLENS_SWAPFILE_CLUSTER].lock;
	return &si->lock;
}

/* Up to v7.1?: swap_map, with continuation pages past SWAP_MAP_MAX. */
static inline int memlens_swp_swapcount(struct swap_info_struct *si, unsigned long offset)
{
	spinlock_t *lock = memlens_swap_map_lock(si, offset);
	int count, tmp, n;
	struct page *page;
	unsigned char *map;

	spin_lock(lock);
	count = si->swap_map[offset] & ~SWAP_HAS_CACHE;
	if (count & COUNT_CONTINUED) {
		count &= ~COUNT_CONTINUED;
		n = SWAP_MAP_MAX + 1;
		page = vmalloc_to_page(si->swap_map + offset);
		offset &= ~PAGE_MASK;
		do {
			page = list_next_entry(page, lru);
			map = kmap_local_page(page);
			tmp = map[offset];
			kunmap_local(map);
			count += (tmp & ~COUNT_CONTINUED) * n;
			n *= SWAP_CONT_MAX + 1;
		} while (tmp & COUNT_CONTINUED);
	}
	spin_unlock(lock);
	return count;
}

static inline const char *memlens_swp_swapcount_why(void)
{
	return NULL;
}
#else
/* v7.2? on: the cluster's swap table, found through BTF (swap_layout.c). */
static inline int memlens_swp_swapcount(struct swap_info_struct *si, unsigned long offset)
{
	return memlens_swap_table_count(si, offset);
}

static inline const char *memlens_swp_swapcount_why(void)
{
	return memlens_swap_table_layout();
}
#endif

/*
 * The bits of a swap table entry, v7.2? on: mm/swap.h's and
 * mm/swap_table.h's (private), from the public MAX_POSSIBLE_PHYSMEM_BITS
 * as there.
 */
#define MEMLENS_SWAP_CACHE_PFN_BITS	(MAX_POSSIBLE_PHYSMEM_BITS - PAGE_SHIFT)
#define MEMLENS_SWAP_CACHE_PFN_MARK_BITS	2
#define MEMLENS_SWAP_COUNT_MIN_BITS	2
#define MEMLENS_SWAP_TABLE_HAS_ZEROFLAG	((BITS_PER_LONG - MEMLENS_SWAP_CACHE_PFN_MARK_BITS - \
					  MEMLENS_SWAP_CACHE_PFN_BITS) > \
					 MEMLENS_SWAP_COUNT_MIN_BITS)
#define MEMLENS_SWP_TB_PFN_BITS		(MEMLENS_SWAP_CACHE_PFN_BITS + \
					 MEMLENS_SWAP_CACHE_PFN_MARK_BITS)
#define MEMLENS_SWP_TB_FLAGS_BITS	min(5, BITS_PER_LONG - MEMLENS_SWP_TB_PFN_BITS)
#define MEMLENS_SWP_TB_COUNT_BITS	(MEMLENS_SWP_TB_FLAGS_BITS - \
					 MEMLENS_SWAP_TABLE_HAS_ZEROFLAG)
#define MEMLENS_SWP_TB_COUNT_SHIFT	(BITS_PER_LONG - MEMLENS_SWP_TB_COUNT_BITS)
#define MEMLENS_SWP_TB_COUNT_MAX	((1 << MEMLENS_SWP_TB_COUNT_BITS) - 1)

/*
 * swp_tb_get_count() of mm/swap_table.h, v7.2? on: a free slot (0), a
 * swapped-out one (a shadow, an xarray value) and a cached one (a PFN, low
 * bits 10) hold a count in the top bits; anything else (bad) holds none: -1.
 */
static inline int memlens_swp_tb_count(unsigned long tb)
{
	if (tb && !xa_is_value((void *)tb) && (tb & 3) != 2)
		return -1;
	return tb >> MEMLENS_SWP_TB_COUNT_SHIFT;
}

/*
 * The parts of meminfo_proc_show() (fs/proc/meminfo.c, 6.1 to 7.3) that
 * read what is not exported, or what a kernel may be built without.  Each
 * returns NULL and sets its result, or says why it cannot: then the key is
 * unavailable, as meminfo does not print it either without the option.
 */
#define MEMLENS_NOT_BUILT	"not built into this kernel"

/* hugetlb_report_meminfo() of mm/hugetlb.c */
struct memlens_hugetlb {
	bool has_default;	/* the default size's pool exists */
	unsigned long total, free, rsvd, surp;	/* of the default size */
	unsigned long size_kb;	/* the default size */
	unsigned long all_kb;	/* every pool, used or not, of every size */
};

#ifdef CONFIG_HUGETLB_PAGE
/*
 * hstates[], hugetlb_max_hstate and default_hstate_idx are not exported
 * (ksyms.c); struct hstate is that of <linux/hugetlb.h>, whose size
 * ksyms.c checked.  The counts are read without hugetlb_lock, as there.
 */
static inline const char *memlens_hugetlb_report(struct memlens_hugetlb *r)
{
	const char *why = NULL;
	struct hstate *hs = memlens_ksym(MEMLENS_KSYM_HSTATES, &why);
	int *max = memlens_ksym(MEMLENS_KSYM_HUGETLB_MAX_HSTATE, &why);
	unsigned int *def = memlens_ksym(MEMLENS_KSYM_DEFAULT_HSTATE_IDX, &why);
	unsigned int i, n, d;

	if (why)
		return why;
	if (!hugepages_supported())
		return "huge pages not supported";
	memset(r, 0, sizeof(*r));
	n = clamp_t(int, READ_ONCE(*max), 0, HUGE_MAX_HSTATE);
	d = READ_ONCE(*def);
	for (i = 0; i < n; i++) {
		struct hstate *h = &hs[i];
		unsigned long count = READ_ONCE(h->nr_huge_pages);

		r->all_kb += huge_page_size(h) / SZ_1K * count;
		if (i != d)
			continue;
		r->has_default = true;
		r->total = count;
		r->free = READ_ONCE(h->free_huge_pages);
		r->rsvd = READ_ONCE(h->resv_huge_pages);
		r->surp = READ_ONCE(h->surplus_huge_pages);
		r->size_kb = huge_page_size(h) / SZ_1K;
	}
	return NULL;
}
#else
static inline const char *memlens_hugetlb_report(struct memlens_hugetlb *r)
{
	memset(r, 0, sizeof(*r));
	return NULL;
}
#endif

/*
 * vm_commit_limit() of mm/util.c, with hugetlb_total_pages() given: the
 * sysctls are not exported (static from 7.x), nor is total_swap_pages.
 */
static inline const char *memlens_commit_limit(unsigned long hugetlb_pages,
					       unsigned long *limit)
{
	const char *why = NULL;
	unsigned long *kbytes = memlens_ksym(MEMLENS_KSYM_OVERCOMMIT_KBYTES, &why);
	int *ratio = memlens_ksym(MEMLENS_KSYM_OVERCOMMIT_RATIO, &why);
	long *swap = memlens_ksym(MEMLENS_KSYM_TOTAL_SWAP_PAGES, &why);
	unsigned long kb;

	if (why)
		return why;
	kb = READ_ONCE(*kbytes);
	if (kb)
		*limit = kb >> (PAGE_SHIFT - 10);
	else
		*limit = (totalram_pages() - hugetlb_pages) * READ_ONCE(*ratio) / 100;
	*limit += READ_ONCE(*swap);
	return NULL;
}

/* A count the kernel keeps in an atomic_long_t of its own, or why not. */
static inline const char *memlens_ksym_count(enum memlens_ksym id, unsigned long *count)
{
	const char *why = NULL;
	atomic_long_t *nr = memlens_ksym(id, &why);

	if (!why)
		*count = atomic_long_read(nr);
	return why;
}

/* vmalloc_nr_pages() of mm/vmalloc.c, or the node counter (compat.h) */
static inline const char *memlens_vmalloc_pages(unsigned long *pages)
{
	if (MEMLENS_VMALLOC_NODE_STAT) {
		*pages = global_node_page_state(MEMLENS_NR_VMALLOC);
		return NULL;
	}
	return memlens_ksym_count(MEMLENS_KSYM_NR_VMALLOC_PAGES, pages);
}

/* pcpu_nr_pages() of mm/percpu.c: both counts are static there. */
static inline const char *memlens_percpu_pages(unsigned long *pages)
{
	const char *why = NULL;
	int *populated = memlens_ksym(MEMLENS_KSYM_PCPU_NR_POPULATED, &why);
	int *units = memlens_ksym(MEMLENS_KSYM_PCPU_NR_UNITS, &why);

	if (!why)
		*pages = (unsigned long)READ_ONCE(*populated) * READ_ONCE(*units);
	return why;
}

/* num_poisoned_pages, CONFIG_MEMORY_FAILURE */
static inline const char *memlens_poisoned_pages(unsigned long *pages)
{
	if (!IS_ENABLED(CONFIG_MEMORY_FAILURE))
		return MEMLENS_NOT_BUILT;
	return memlens_ksym_count(MEMLENS_KSYM_NUM_POISONED_PAGES, pages);
}

/* totalcma_pages and NR_FREE_CMA_PAGES, CONFIG_CMA */
static inline const char *memlens_cma_pages(unsigned long *total, unsigned long *free)
{
	const char *why = NULL;
	unsigned long *nr;

	if (!IS_ENABLED(CONFIG_CMA))
		return MEMLENS_NOT_BUILT;
	nr = memlens_ksym(MEMLENS_KSYM_TOTALCMA_PAGES, &why);
	if (why)
		return why;
	*total = READ_ONCE(*nr);
	*free = global_zone_page_state(NR_FREE_CMA_PAGES);
	return NULL;
}

/* NR_UNACCEPTED, CONFIG_UNACCEPTED_MEMORY (v6.5 on) */
static inline const char *memlens_unaccepted_pages(unsigned long *pages)
{
#ifdef CONFIG_UNACCEPTED_MEMORY
	*pages = global_zone_page_state(NR_UNACCEPTED);
	return NULL;
#else
	return MEMLENS_NOT_BUILT;
#endif
}

/* The THP counters, which meminfo prints with CONFIG_TRANSPARENT_HUGEPAGE. */
static inline const char *memlens_thp_why(void)
{
	return IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE) ? NULL : MEMLENS_NOT_BUILT;
}

/*
 * zswap_stored_pages (Zswapped), and Zswap, CONFIG_ZSWAP: the bytes of the
 * pool where they are a variable (compat.h), in kB.
 */
#ifdef CONFIG_ZSWAP
static inline const char *memlens_zswapped_pages(unsigned long *pages)
{
	const char *why = NULL;
	void *stored = memlens_ksym(MEMLENS_KSYM_ZSWAP_STORED_PAGES, &why);

	if (!why)
		*pages = memlens_zswap_stored(stored);
	return why;
}

static inline const char *memlens_zswap_kb(unsigned long *kb)
{
	const char *why = NULL;
	u64 *size;

	if (!MEMLENS_ZSWAP_POOL_TOTAL_SIZE)
		return "the zswap pools are private to mm/zswap.c";
	size = memlens_ksym(MEMLENS_KSYM_ZSWAP_POOL_TOTAL_SIZE, &why);
	if (!why)
		*kb = READ_ONCE(*size) >> 10;
	return why;
}
#else
static inline const char *memlens_zswapped_pages(unsigned long *pages)
{
	return MEMLENS_NOT_BUILT;
}

static inline const char *memlens_zswap_kb(unsigned long *kb)
{
	return MEMLENS_NOT_BUILT;
}
#endif

#if MEMLENS_MEMCG_STATS_COMPACT
/*
 * init_memcg_stats() and memcg_stats_index() of mm/memcontrol.c, v6.11
 * on: the statistics arrays hold memcg_node_stat_items[], then
 * memcg_stat_items[], in that order; 6.12's list, with what 7.2 and 7.3
 * added (compat.h) where they added it.  memcg_layout.c checks that the
 * running kernel's arrays have as many.
 */
static inline const unsigned int *memlens_memcg_items(int *n)
{
	static const unsigned int items[] = {
		NR_INACTIVE_ANON, NR_ACTIVE_ANON, NR_INACTIVE_FILE, NR_ACTIVE_FILE,
		NR_UNEVICTABLE, NR_SLAB_RECLAIMABLE_B, NR_SLAB_UNRECLAIMABLE_B,
		WORKINGSET_REFAULT_ANON, WORKINGSET_REFAULT_FILE,
		WORKINGSET_ACTIVATE_ANON, WORKINGSET_ACTIVATE_FILE,
		WORKINGSET_RESTORE_ANON, WORKINGSET_RESTORE_FILE,
		WORKINGSET_NODERECLAIM, NR_ANON_MAPPED, NR_FILE_MAPPED,
		NR_FILE_PAGES, NR_FILE_DIRTY, NR_WRITEBACK, NR_SHMEM,
		NR_SHMEM_THPS, NR_FILE_THPS, NR_ANON_THPS,
#if MEMLENS_MEMCG_ROTATE_STATS
		NR_VMSCAN_WRITE,
#endif
#if MEMLENS_MEMCG_RECLAIM_STATS
		NR_VMALLOC,
#endif
		NR_KERNEL_STACK_KB, NR_PAGETABLE, NR_SECONDARY_PAGETABLE,
#ifdef CONFIG_SWAP
		NR_SWAPCACHE,
#endif
#ifdef CONFIG_NUMA_BALANCING
		PGPROMOTE_SUCCESS,
#endif
		PGDEMOTE_KSWAPD, PGDEMOTE_DIRECT, PGDEMOTE_KHUGEPAGED,
#if MEMLENS_MEMCG_RECLAIM_STATS
		PGDEMOTE_PROACTIVE,
		PGSTEAL_KSWAPD, PGSTEAL_DIRECT, PGSTEAL_KHUGEPAGED, PGSTEAL_PROACTIVE,
		PGSTEAL_ANON, PGSTEAL_FILE,
		PGSCAN_KSWAPD, PGSCAN_DIRECT, PGSCAN_KHUGEPAGED, PGSCAN_PROACTIVE,
		PGSCAN_ANON, PGSCAN_FILE,
#if MEMLENS_MEMCG_ROTATE_STATS
		PGROTATE_ANON, PGROTATE_FILE,
#endif
		PGREFILL,
#ifdef CONFIG_HUGETLB_PAGE
		NR_HUGETLB,
#endif
#endif
		/* memcg_stat_items[]: 7.2 moved MEMCG_VMALLOC to NR_VMALLOC */
		MEMCG_SWAP, MEMCG_SOCK, MEMCG_PERCPU_B,
#if !MEMLENS_MEMCG_RECLAIM_STATS
		MEMCG_VMALLOC,
#endif
		MEMCG_KMEM, MEMCG_ZSWAP_B, MEMCG_ZSWAPPED,
#if MEMLENS_MEMCG_RECLAIM_STATS
		MEMCG_ZSWAP_INCOMP,
#endif
	};

	*n = ARRAY_SIZE(items);
	return items;
}

static inline int memlens_memcg_nr_state(void)
{
	int n;

	memlens_memcg_items(&n);
	return n;
}

/* Where @item is in the statistics arrays; -1 if memcg does not count it. */
static inline int memlens_memcg_index(unsigned int item)
{
	const unsigned int *items;
	int n, i;

	items = memlens_memcg_items(&n);
	for (i = 0; i < n; i++)
		if (items[i] == item)
			return i;
	return -1;
}
#else
/* memcg_page_state() of mm/memcontrol.c before v6.11: indexed by the item. */
static inline int memlens_memcg_nr_state(void)
{
	return MEMCG_NR_STAT;
}

static inline int memlens_memcg_index(unsigned int item)
{
	return item < MEMCG_NR_STAT ? item : -1;
}
#endif

/*
 * memcg_page_state_unit() of mm/memcontrol.c (6.1 to 7.3): the bytes one
 * count of @item stands for, which memory.stat multiplies it by.
 */
static inline unsigned int memlens_memcg_unit(int item)
{
	switch (item) {
	case MEMCG_PERCPU_B:
	case MEMCG_ZSWAP_B:
	case NR_SLAB_RECLAIMABLE_B:
	case NR_SLAB_UNRECLAIMABLE_B:
		return 1;
	case NR_KERNEL_STACK_KB:
		return SZ_1K;
	default:
		return PAGE_SIZE;
	}
}

#endif /* _MEMLENS_MM_MIRROR_H */
