/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels memlens supports (Debian's 6.1 to 7.3),
 * one block per upstream change, oldest first; a feature test where the
 * change can be seen from C, a version test only where it cannot.  Nothing
 * else in memlens tests a kernel version.
 */
#ifndef _MEMLENS_COMPAT_H
#define _MEMLENS_COMPAT_H

#include <linux/btf.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/rculist.h>
#include <linux/cpumask.h>
#include <linux/irqflags.h>
#include <linux/percpu_counter.h>
#include <linux/spinlock.h>
#include <linux/stddef.h>
#include <linux/swap.h>
#include <linux/mm_inline.h>	/* includes <linux/leafops.h> where there is one */
#include <linux/swapops.h>
#include <linux/version.h>

/*
 * v6.2 (f1a7941243c1): the rss counters became per-cpu percpu_counters and
 * get_mm_counter() only approximate.  v6.16, and 6.12.39 in stable, make
 * /proc/PID/status sum them exactly (get_mm_counter_sum()), as every Debian
 * kernel from 6.12 on does.  Sum them the same way: each under its lock,
 * as __percpu_counter_sum() does, but with interrupts disabled once for
 * the four rather than four times (a table of ten thousand processes
 * spent a third of its time on it).
 * Before v6.2 /proc reads the atomic counter, which the task's own
 * SPLIT_RSS_COUNTING cache feeds every 64 faults: read it as /proc does.
 */
static inline void memlens_mm_counters(struct mm_struct *mm, unsigned long *val)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
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
#else
	int i;

	for (i = 0; i < NR_MM_COUNTERS; i++)
		val[i] = get_mm_counter(mm, i);
#endif
}

/*
 * v6.9 (mm: track mapcount of large folios in single value): a large
 * folio's page-table mappings are counted in one _large_mapcount, read by
 * the inline folio_mapcount(), and folio_entire_mapcount() counts its PMD
 * mappings; per-page counts went away later (v6.15).  Before, each page of
 * a large folio has its own count, read with page_mapcount(), which calls
 * the exported __page_mapcount().  A small folio's count is its _mapcount
 * plus one on every kernel (a page type shows there as a large negative
 * number, which a page cache page never has).  Adds the pages of @folio
 * that are mapped to *mapped and their mappings, in pages, to *in_rss.
 * Since v6.9 a large folio counts whole once mapped, and its PTE mappings
 * are taken to map one page each, which they do.
 */
static inline void memlens_folio_maps(struct folio *folio, unsigned long *mapped,
				      unsigned long *in_rss)
{
	long nr, n;

	if (!folio_test_large(folio)) {
		n = atomic_read(&folio->_mapcount) + 1;
		if (n > 0) {
			(*mapped)++;
			*in_rss += n;
		}
		return;
	}
	nr = folio_nr_pages(folio);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	n = folio_mapcount(folio);
	if (n > 0) {
		long pmd = max(folio_entire_mapcount(folio), 0);

		*mapped += nr;
		*in_rss += n + pmd * (nr - 1);
	}
#else
	for (n = 0; n < nr; n++) {
		int c = page_mapcount(folio_page(folio, n));

		if (c > 0) {
			(*mapped)++;
			*in_rss += c;
		}
	}
#endif
}

/*
 * v6.5 (mm/pgtable: allow pte_offset_map[_lock]() to fail): a PTE table
 * may be freed, through RCU (pte_free_defer()), while only the mmap lock
 * is held for read: khugepaged's retract_page_tables(), and from v7.x
 * CONFIG_PT_RECLAIM's zap of empty tables.  pss.c maps and locks a table
 * as __pte_offset_map_lock() does on every kernel (RCU, the PTE lock, the
 * PMD checked again under it), which before v6.5 was simply not needed.
 * pmdp_get_lockless() is v6.5 on, pmd_read_atomic() before; both are a
 * single 64-bit load on x86_64.
 */
#define memlens_pmdp_get(pmdp)	READ_ONCE(*(pmdp))

/*
 * v6.9 (mm: track mapcount of large folios in single value), and per-page
 * counts behind CONFIG_PAGE_MAPCOUNT since v6.15: the number of mappings
 * of one page, as smaps_account() reads it.  Before v6.9 that is
 * page_mapcount(); from v6.9 fs/proc/internal.h's (private)
 * folio_precise_page_mapcount(), copied here: the page's own _mapcount
 * plus the folio's PMD mappings.  A kernel without per-page counts
 * (CONFIG_NO_PAGE_MAPCOUNT, no Debian kernel) gets the folio's average
 * from memlens_folio_avg_mapcount() instead.
 */
static inline int memlens_page_mapcount(struct folio *folio, struct page *page)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 9, 0)
	return page_mapcount(page);
#elif defined(CONFIG_NO_PAGE_MAPCOUNT)
	return 0;
#else
	int mapcount = atomic_read(&page->_mapcount) + 1;

	if (page_mapcount_is_type(mapcount))
		mapcount = 0;
	if (folio_test_large(folio))
		mapcount += folio_entire_mapcount(folio);
	return mapcount;
#endif
}

/*
 * v6.15 (mm: CONFIG_NO_PAGE_MAPCOUNT): smaps_account() divides every page
 * of a folio by fs/proc/internal.h's folio_average_page_mapcount(), copied
 * here, and calls it private when !folio_maybe_mapped_shared().
 */
#ifdef CONFIG_NO_PAGE_MAPCOUNT
#define MEMLENS_AVG_MAPCOUNT	1
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

static inline bool memlens_folio_private(struct folio *folio)
{
	return !folio_maybe_mapped_shared(folio);
}
#else
#define MEMLENS_AVG_MAPCOUNT	0
static inline int memlens_folio_avg_mapcount(struct folio *folio)
{
	return 0;
}

static inline bool memlens_folio_private(struct folio *folio)
{
	return false;
}
#endif

/*
 * Somewhere between v6.2 and v6.12 (not placed more exactly: no kernel in
 * between is supported), smaps_account() changed what a page behind a
 * non-present entry is: before, a migration entry's page counts as private
 * and whole, and other pfn entries go through the mapcount; after, every
 * non-present entry counts whole and "maybe shared" (Shared_*), device
 * private entries excepted ("fake present").  And smaps_pmd_entry() went
 * from follow_trans_huge_pmd(FOLL_DUMP), which skips a NUMA-hinting
 * (protnone) PMD, to vm_normal_page_pmd(), which does not, but skips a
 * devmap one (memlens_smaps_skip_pmd(), below).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define MEMLENS_SMAPS_NONPRESENT_SHARED	1
#else
#define MEMLENS_SMAPS_NONPRESENT_SHARED	0
#endif

/*
 * v6.12 (mm: add pmd_special for huge pfnmaps, CONFIG_ARCH_SUPPORTS_PMD_PFNMAP):
 * a special PMD maps no struct page, and from v6.18 (mm/huge_memory: mark
 * PMD mappings of the huge zero folio special) the huge zero page is one.
 * Without the option pmd_special() is false, or absent (before v6.12).
 *
 * ~v6.17 (mm: remove devmap related functions and page table bits):
 * _PAGE_DEVMAP and pmd_devmap() went away; vm_normal_page_pmd() and
 * __pmd_trans_huge_lock() used them.
 */
static inline bool memlens_pmd_special(pmd_t pmd)
{
#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
	return pmd_special(pmd);
#else
	return false;
#endif
}

static inline bool memlens_pmd_devmap(pmd_t pmd)
{
#if defined(_PAGE_DEVMAP) && defined(CONFIG_TRANSPARENT_HUGEPAGE)
	return pmd_devmap(pmd);
#else
	return false;
#endif
}

/* A present PMD leaf smaps passes over, by the rules of the block above. */
static inline bool memlens_smaps_skip_pmd(pmd_t pmd)
{
	if (MEMLENS_SMAPS_NONPRESENT_SHARED)
		return memlens_pmd_devmap(pmd);		/* vm_normal_page_pmd() */
	return pmd_protnone(pmd);		/* follow_trans_huge_pmd(FOLL_DUMP) */
}

/*
 * What a non-present, non-none page table entry holds, as smaps_pte_entry()
 * and smaps_pmd_entry() ask it.  v6.19? (mm: introduce leaf entry type,
 * <linux/leafops.h>; the release is not placed exactly, 7.2 is the first
 * Debian kernel with it): swp_entry_t's predicates became softleaf_t's and
 * the old ones went away.  A migration entry's page is found with
 * pfn_to_page(), as smaps may not: pfn_swap_entry_to_page() and
 * softleaf_to_page() assert a folio lock that the owner of the entry holds.
 */
struct memlens_leaf {
	bool swap;		/* a swap entry: type and offset in entry */
	bool pfn;		/* migration, device private/exclusive, hwpoison */
	bool migration;
	bool device_private;
	unsigned long pfnval;
	swp_entry_t entry;
};

#ifdef _LINUX_LEAFOPS_H
static inline void memlens_leaf_decode(softleaf_t e, struct memlens_leaf *l)
{
	l->swap = softleaf_is_swap(e);
	l->pfn = softleaf_has_pfn(e);
	l->migration = softleaf_is_migration(e);
	l->device_private = softleaf_is_device_private(e);
	l->pfnval = l->pfn ? softleaf_to_pfn(e) : 0;
	l->entry = e;
}

static inline void memlens_pte_leaf(pte_t pte, struct memlens_leaf *l)
{
	memlens_leaf_decode(softleaf_from_pte(pte), l);
}

static inline void memlens_pmd_leaf(pmd_t pmd, struct memlens_leaf *l)
{
	memlens_leaf_decode(softleaf_from_pmd(pmd), l);
}
#else
static inline void memlens_leaf_decode(swp_entry_t e, struct memlens_leaf *l)
{
	l->swap = !non_swap_entry(e);
	l->pfn = is_pfn_swap_entry(e);
	l->migration = is_migration_entry(e);
	l->device_private = is_device_private_entry(e);
	l->pfnval = l->pfn ? swp_offset_pfn(e) : 0;
	l->entry = e;
}

static inline void memlens_pte_leaf(pte_t pte, struct memlens_leaf *l)
{
	memlens_leaf_decode(pte_to_swp_entry(pte), l);
}

static inline void memlens_pmd_leaf(pmd_t pmd, struct memlens_leaf *l)
{
#ifdef CONFIG_ARCH_ENABLE_THP_MIGRATION
	memlens_leaf_decode(pmd_to_swp_entry(pmd), l);
#else
	memset(l, 0, sizeof(*l));
#endif
}
#endif

/*
 * The swap count of an entry, as swp_swapcount() reads it (neither it nor
 * anything it calls is exported).  SWAPFILE_CLUSTER is mm/'s, the same on
 * every kernel.
 *
 * Up to v7.1? each device has a byte map, swap_map, with continuation
 * pages for counts past SWAP_MAP_MAX; its cluster lock (or the device
 * lock) is taken inside the PTE lock, as smaps takes it.
 *
 * v7.2? (mm, swap: use the swap table for the swap count; 7.2 is the first
 * Debian kernel with it): swap_map is gone and the count is in the high
 * bits of the cluster's swap table entry, the extend_table beyond
 * SWP_TB_COUNT_MAX (swap_layout.c, with the layout from BTF).  The bits
 * below are mm/swap.h's and mm/swap_table.h's, from the public
 * MAX_POSSIBLE_PHYSMEM_BITS as there.
 */
#ifdef CONFIG_THP_SWAP
#define MEMLENS_SWAPFILE_CLUSTER	HPAGE_PMD_NR
#else
#define MEMLENS_SWAPFILE_CLUSTER	256
#endif

#ifdef COUNT_CONTINUED
#define MEMLENS_SWAP_MAP	1

static inline int memlens_swap_map_count(struct swap_info_struct *si, unsigned long offset)
{
	struct swap_cluster_info *ci = NULL;
	int count, tmp, n;
	struct page *page;
	unsigned char *map;

	if (si->cluster_info) {
		ci = si->cluster_info + offset / MEMLENS_SWAPFILE_CLUSTER;
		spin_lock(&ci->lock);
	} else {
		spin_lock(&si->lock);
	}
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
	if (ci)
		spin_unlock(&ci->lock);
	else
		spin_unlock(&si->lock);
	return count;
}
#else
#define MEMLENS_SWAP_MAP	0

static inline int memlens_swap_map_count(struct swap_info_struct *si, unsigned long offset)
{
	return 0;
}
#endif

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
 * swp_tb_get_count(): a free slot (0), a swapped-out one (a shadow, an
 * xarray value) and a cached one (a PFN, low bits 10) hold a count in the
 * top bits; anything else (bad) holds none: -1.
 */
static inline int memlens_swp_tb_count(unsigned long tb)
{
	if (tb && !xa_is_value((void *)tb) && (tb & 3) != 2)
		return -1;
	return tb >> MEMLENS_SWP_TB_COUNT_SHIFT;
}

/*
 * v6.12? (mm: shmem: add large folio support for swapin/swapout; placed
 * no more exactly than between 6.1 and 6.12): a swapped-out shmem folio
 * is one multi-index entry of its mapping, and shmem_partial_swap_usage()
 * counts 1 << xas_get_order() pages for it, where it counted 1 before.
 */
static inline unsigned long memlens_xas_pages(struct xa_state *xas)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	return 1UL << xas_get_order(xas);
#else
	return 1;
#endif
}

/*
 * v6.10 (slub: limit number of slabs to scan in count_partial()):
 * /proc/slabinfo stops counting free objects exactly past
 * MAX_PARTIAL_TO_SCAN partial slabs on a node and extrapolates from the
 * head and tail of the list instead.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#define MEMLENS_SLAB_MAX_PARTIAL_TO_SCAN	10000UL
#else
#define MEMLENS_SLAB_MAX_PARTIAL_TO_SCAN	ULONG_MAX
#endif

/*
 * v6.11 (mm: kvmalloc: align kvrealloc() with krealloc()): kvrealloc()
 * lost its old-size argument.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define memlens_kvrealloc(p, oldsize, size, gfp)	kvrealloc(p, size, gfp)
#else
#define memlens_kvrealloc(p, oldsize, size, gfp)	kvrealloc(p, oldsize, size, gfp)
#endif

/*
 * v6.12: __iget() became an inline function of <linux/fs.h> (it was an
 * exported one); both are usable here and nothing changes for memlens.
 *
 * v6.19 (fs: hide ->i_state handling behind accessors): inode->i_state
 * became a struct read with inode_state_read(), i_lock held, or without
 * it with inode_state_read_once().  Neither the struct nor the accessors
 * can be seen from the preprocessor.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 19, 0)
#define memlens_inode_state(inode)	inode_state_read(inode)
#define memlens_inode_state_once(inode)	inode_state_read_once(inode)
#else
#define memlens_inode_state(inode)	((inode)->i_state)
#define memlens_inode_state_once(inode)	READ_ONCE((inode)->i_state)
#endif

/*
 * v6.14 (mm, swap: clean up plist removal and adding): swap_info_struct's
 * inuse_pages became an atomic_long_t carrying SWAP_USAGE_OFFLIST_BIT
 * (mm/swapfile.c, private), set while the device is off the available
 * list, e.g. during swapon and swapoff, the moment si_swapinfo() counts
 * it; the kernel masks it with swap_usage_in_pages().  The flag was bit 30
 * until "mm, swap: fix SWAP_USAGE_OFFLIST_BIT collision" (7.2.8, and
 * 6.18.y), bit BITS_PER_LONG - 2 since; neither can be seen from here.
 * Bit 62 is never part of a count; bit 30 is the flag exactly when the
 * value exceeds the device's size (si->max), which a count never does.  So
 * this is the kernel's own count on either kernel, unless a device of more
 * than 2^30 pages (4 TiB) is swapped off on a kernel with the bit-30 flag.
 */
#define MEMLENS_SWAP_OFFLIST_HIGH	(3UL << (BITS_PER_LONG - 2))
#define MEMLENS_SWAP_OFFLIST_OLD	BIT(30)

static inline unsigned long memlens_inuse_plain(const unsigned int *inuse,
						unsigned int max)
{
	return READ_ONCE(*inuse);
}

static inline unsigned long memlens_inuse_atomic(const atomic_long_t *inuse,
						 unsigned int max)
{
	unsigned long v = atomic_long_read(inuse) & ~MEMLENS_SWAP_OFFLIST_HIGH;

	if (v > max)
		v &= ~MEMLENS_SWAP_OFFLIST_OLD;
	return v;
}

/* swap_lock held, as si_swapinfo() holds it: si->max is stable. */
static inline unsigned long memlens_swap_inuse(struct swap_info_struct *si)
{
	void *inuse = &si->inuse_pages;
	unsigned int max = READ_ONCE(si->max);

	if (__same_type(si->inuse_pages, atomic_long_t))
		return memlens_inuse_atomic(inuse, max);
	return memlens_inuse_plain(inuse, max);
}

/*
 * v6.18 (slab: sheaves), v6.19 (struct slab's counters moved into an
 * anonymous struct freelist_counters) and v7.0 (kmem_cache_cpu and
 * CONFIG_SLUB_CPU_PARTIAL removed): nothing to do.  get_slabinfo() still
 * counts objects held in per-cpu sheaves as active, as it did those on cpu
 * slabs, and memlens reads neither; struct slab's inuse and objects are
 * found through BTF, which follows anonymous members as C does.
 */

/*
 * v7.2 (seen first in Debian's 7.2; no 7.0 or 7.1 source was at hand to
 * place it more exactly): the registered filesystem types became an RCU
 * hlist, file_systems an hlist_head walked under rcu_read_lock(), linked
 * through file_system_type.list, and file_systems_lock a spinlock that
 * only writers take; unregister_filesystem() waits for RCU readers.
 * Before, file_systems points at the first type, linked through ->next,
 * and readers take the rwlock file_systems_lock.  Either way the types
 * are taken with a reference on their module, as get_fs_type() takes it.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 2, 0)
#define MEMLENS_FS_TYPES_LOCK_SIZE	sizeof(spinlock_t)

static inline int memlens_fs_types(void *head, void *lock, struct file_system_type **types,
				   int max)
{
	struct file_system_type *t;
	int n = 0;

	rcu_read_lock();
	hlist_for_each_entry_rcu(t, (struct hlist_head *)head, list)
		if (n < max && try_module_get(t->owner))
			types[n++] = t;
	rcu_read_unlock();
	return n;
}
#else
#define MEMLENS_FS_TYPES_LOCK_SIZE	sizeof(rwlock_t)

static inline int memlens_fs_types(void *head, void *lock, struct file_system_type **types,
				   int max)
{
	struct file_system_type *t;
	int n = 0;

	read_lock(lock);
	for (t = *(struct file_system_type **)head; t && n < max; t = t->next)
		if (try_module_get(t->owner))
			types[n++] = t;
	read_unlock(lock);
	return n;
}
#endif

/*
 * v7.1 (btf: add a layout section): the uapi struct btf_header grew
 * layout_off and layout_len, but kernels still describe themselves with
 * the older, shorter header, which the kernel's own btf_parse_hdr()
 * accepts.  Accept any header that has the fields up to str_len, the only
 * ones memlens reads.
 */
#define MEMLENS_BTF_HDR_MIN	offsetofend(struct btf_header, str_len)

/*
 * v7.1 (slab: sheaves and barns for every cache): struct kmem_cache's
 * node[MAX_NUMNODES] of pointers became per_node[MAX_NUMNODES] of
 * { barn, node }.  Both are private to mm/; slab_layout.c takes whichever
 * of these members the running kernel's BTF has, and the stride of its
 * array from there.
 */
#define MEMLENS_SLAB_NODE_ARRAY		"node"		/* up to v7.0 */
#define MEMLENS_SLAB_PER_NODE_ARRAY	"per_node"	/* v7.1 on */
#define MEMLENS_SLAB_PER_NODE_NODE	"node"

/*
 * v7.2 (dcache: the alias list out of d_u): struct dentry's d_u union
 * became anonymous, and <linux/dcache.h> walks an inode's aliases with
 * for_each_alias(), which older kernels do not have.
 */
#ifndef for_each_alias
#define for_each_alias(dentry, inode) \
	hlist_for_each_entry(dentry, &(inode)->i_dentry, d_u.d_alias)
#endif

#endif /* _MEMLENS_COMPAT_H */
