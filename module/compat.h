/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels memlens supports (Debian's 6.1 to 7.3),
 * one block per upstream change, oldest first; a feature test where the
 * change can be seen from C, a version test only where it cannot.  Nothing
 * else in memlens tests a kernel version: code that follows a kernel
 * function which changed (mm_mirror.h) asks the shims here.
 */
#ifndef _MEMLENS_COMPAT_H
#define _MEMLENS_COMPAT_H

#include <linux/btf.h>
#include <linux/cgroup-defs.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mm_inline.h>	/* includes <linux/leafops.h> where there is one */
#include <linux/module.h>
#include <linux/poison.h>
#include <linux/rculist.h>
#include <linux/slab.h>		/* kvrealloc() */
#include <linux/swap.h>
#include <linux/swapops.h>
#include <linux/version.h>
#include <linux/vmalloc.h>	/* VM_SPARSE */
#include <linux/xarray.h>

/*
 * Kernel options, not versions: hstates[] has a struct hstate per huge
 * page size only with CONFIG_HUGETLB_PAGE (not in every Debian RT
 * kernel), and zswap_stored_pages exists only with CONFIG_ZSWAP.  A
 * symbol's size 0 here means the kernel has none: ksyms.c then finds no
 * symbol of that name, or one that mm_mirror.h does not read.
 */
#ifdef CONFIG_HUGETLB_PAGE
#define MEMLENS_HSTATES_SIZE	sizeof(hstates)
#else
#define MEMLENS_HSTATES_SIZE	0
#endif
#ifdef CONFIG_ZSWAP
#define MEMLENS_ZSWAP_STORED_SIZE	sizeof(zswap_stored_pages)
#else
#define MEMLENS_ZSWAP_STORED_SIZE	0
#endif

/* memcg counts the swap cache (memory.stat swapcached) only with CONFIG_SWAP. */
#ifdef CONFIG_SWAP
#define MEMLENS_MEMCG_SWAPCACHE	NR_SWAPCACHE
#else
#define MEMLENS_MEMCG_SWAPCACHE	(-1)
#endif
/* memory.stat prints anon_thp only with CONFIG_TRANSPARENT_HUGEPAGE (not on rt). */
#ifdef CONFIG_TRANSPARENT_HUGEPAGE
#define MEMLENS_MEMCG_ANON_THP	NR_ANON_THPS
#else
#define MEMLENS_MEMCG_ANON_THP	(-1)
#endif

/*
 * v6.2 (f1a7941243c1, mm: convert mm's rss stats into percpu_counter): the
 * rss counters became per-cpu percpu_counters, which get_mm_counter() only
 * approximates; before, each is an atomic that /proc reads as it is.
 */
#define MEMLENS_RSS_PERCPU	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0))

/*
 * v6.4 (mm: change MAX_ORDER to be inclusive) and v6.8 (its rename to
 * MAX_PAGE_ORDER): the largest order of a free block, which pages.c
 * trusts in a racily read buddy page.
 */
#ifdef MAX_PAGE_ORDER
#define MEMLENS_MAX_PAGE_ORDER	MAX_PAGE_ORDER
#else
#define MEMLENS_MAX_PAGE_ORDER	(MAX_ORDER - 1)
#endif

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
 * v6.9 (mm: track mapcount of large folios in single value): a large
 * folio's page-table mappings are counted in one _large_mapcount, read by
 * the inline folio_mapcount(), and folio_entire_mapcount() counts its PMD
 * mappings; per-page counts went behind CONFIG_PAGE_MAPCOUNT in v6.15.
 * Before, each page of a large folio has its own count, read with
 * page_mapcount(), which calls the exported __page_mapcount().  A small
 * folio's count is its _mapcount plus one on every kernel (a page type
 * shows there as a large negative number, which a page cache page never
 * has).
 *
 * memlens_folio_maps() adds the pages of @folio that are mapped to
 * *mapped and their mappings, in pages, to *in_rss.  Since v6.9 a large
 * folio counts whole once mapped, and its PTE mappings are taken to map
 * one page each, which they do.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
#define MEMLENS_LARGE_MAPCOUNT	1

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
	n = folio_mapcount(folio);
	if (n > 0) {
		long pmd = max(folio_entire_mapcount(folio), 0);

		*mapped += nr;
		*in_rss += n + pmd * (nr - 1);
	}
}
#else
#define MEMLENS_LARGE_MAPCOUNT	0

static inline void memlens_folio_maps(struct folio *folio, unsigned long *mapped,
				      unsigned long *in_rss)
{
	long nr = folio_nr_pages(folio), i;

	for (i = 0; i < nr; i++) {
		int c = page_mapcount(folio_page(folio, i));

		if (c > 0) {
			(*mapped)++;
			*in_rss += c;
		}
	}
}
#endif

/*
 * v6.9 (mm: vmalloc: remove global vmap_area_root rb-tree): the busy vmap
 * areas were one rb-tree, vmap_area_root, under vmap_area_lock; since,
 * each "vmap node" of vmap_nodes[nr_vmap_nodes] has its own tree, list and
 * lock in its member busy, a struct rb_list.  struct vmap_node is private
 * to mm/vmalloc.c: vmap_layout.c finds its size and busy's members in BTF.
 */
#define MEMLENS_VMAP_NODES	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0))

/*
 * v6.9 (mm: Introduce VM_SPARSE kind and vm_area_[un]map_pages()): a
 * sparse area (a BPF arena) maps pages it keeps no array of.  Before, no
 * area is sparse.
 */
#ifndef VM_SPARSE
#define VM_SPARSE	0
#endif

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
 * v6.10 (mm/zsmalloc: use a proper page type): zspages carry a page type;
 * before, only their movable ops, zsmalloc_mops, name them (pages.c).
 */
static inline bool memlens_page_zsmalloc(struct page *page)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
	return PageZsmalloc(page);
#else
	return false;
#endif
}

/*
 * v6.11 (mm: kvmalloc: align kvrealloc() with krealloc()): kvrealloc()
 * lost its old-size argument.
 */
static inline void *memlens_kvrealloc(void *p, size_t oldsize, size_t size, gfp_t gfp)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	return kvrealloc(p, size, gfp);
#else
	return kvrealloc(p, oldsize, size, gfp);
#endif
}

/*
 * v6.11 (memcg: reduce memory for the lruvec and memcg stats): the arrays
 * of struct memcg_vmstats and memcg_vmstats_percpu hold only the items
 * memcg counts, at the places memcg_stats_index() gives them; before, each
 * item is at its own number.  The arrays are private to mm/memcontrol.c,
 * so C cannot tell: mm_mirror.h indexes them as the running kernel does.
 */
#define MEMLENS_MEMCG_STATS_COMPACT	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0))

/*
 * v6.12, at the latest (not placed more exactly: no kernel between v6.2
 * and v6.12 is supported): smaps_account() changed what a page behind a
 * non-present entry is.  Before, a migration entry's page counts as
 * private and whole, and other pfn entries go through the mapcount; after,
 * every non-present entry counts whole and "maybe shared" (Shared_*),
 * device private entries excepted ("fake present").  And smaps_pmd_entry()
 * went from follow_trans_huge_pmd(FOLL_DUMP), which skips a NUMA-hinting
 * (protnone) PMD, to vm_normal_page_pmd(), which does not, but skips a
 * devmap one.  mm_mirror.h follows whichever applies.
 */
#define MEMLENS_SMAPS_NONPRESENT_SHARED	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0))

/*
 * v6.12 (mm: add pmd_special for huge pfnmaps, CONFIG_ARCH_SUPPORTS_PMD_PFNMAP):
 * a special PMD maps no struct page, and from v6.18 (mm/huge_memory: mark
 * PMD mappings of the huge zero folio special) the huge zero page is one.
 * Without the option pmd_special() is false, or absent (before v6.12).
 */
static inline bool memlens_pmd_special(pmd_t pmd)
{
#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
	return pmd_special(pmd);
#else
	return false;
#endif
}

/*
 * v6.12, at the latest (mm: shmem: add large folio support for
 * swapin/swapout; placed no more exactly than between 6.1 and 6.12): a
 * swapped-out shmem folio is one multi-index entry of its mapping, and
 * shmem_partial_swap_usage() counts 1 << xas_get_order() pages for it,
 * where it counted 1 before.
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
 * v6.12, at the latest (mm: zswap: the pool's size from zswap_total_pages();
 * placed no more exactly than between 6.1 and 6.12): meminfo's Zswap was
 * the variable zswap_pool_total_size, in bytes; since, zswap_total_pages()
 * walks the private list of pools, which memlens does not.
 */
#define MEMLENS_ZSWAP_POOL_TOTAL_SIZE	(LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0))

/*
 * v6.14, at the latest (mm: zswap: zswap_stored_pages an atomic_long_t;
 * placed no more exactly than between 6.12 and 7.2): the count of pages in
 * zswap was an atomic_t.  The declaration in <linux/zswap.h> (6.1:
 * <linux/swap.h>) says which.
 */
#ifdef CONFIG_ZSWAP
static inline unsigned long memlens_zswap_stored(const void *stored)
{
	if (__same_type(zswap_stored_pages, atomic_long_t))
		return atomic_long_read((const atomic_long_t *)stored);
	return atomic_read((const atomic_t *)stored);
}
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
 * ~v6.17 (mm: remove devmap related functions and page table bits):
 * _PAGE_DEVMAP and pmd_devmap() went away; vm_normal_page_pmd() and
 * __pmd_trans_huge_lock() used them.
 */
static inline bool memlens_pmd_devmap(pmd_t pmd)
{
#if defined(_PAGE_DEVMAP) && defined(CONFIG_TRANSPARENT_HUGEPAGE)
	return pmd_devmap(pmd);
#else
	return false;
#endif
}

/*
 * v6.15 (page_pool: move pp_magic check into helper functions; in Debian's
 * 6.12 too): bits of pp_magic below the signature hold a DMA index, which
 * PP_MAGIC_MASK leaves out; before, only the two low bits are flags.
 */
#ifdef PP_MAGIC_MASK
#define MEMLENS_PP_MAGIC_MASK	PP_MAGIC_MASK
#else
#define MEMLENS_PP_MAGIC_MASK	(~0x3UL)
#endif

static inline bool memlens_page_pool(struct page *page)
{
	return (READ_ONCE(page->pp_magic) & MEMLENS_PP_MAGIC_MASK) == PP_SIGNATURE;
}

/*
 * v6.17? (mm: remove PAGE_MAPPING_MOVABLE; 6.12 has it, 7.2 not): a page
 * with movable ops (zsmalloc's, a balloon's) has them in its mapping,
 * tagged in the low bits, and is not page cache; later such pages have a
 * type.  The ops, or NULL.
 */
static inline const void *memlens_page_movable_ops(struct page *page)
{
#ifdef PAGE_MAPPING_MOVABLE
	unsigned long mapping = (unsigned long)READ_ONCE(page->mapping);

	if ((mapping & PAGE_MAPPING_FLAGS) == PAGE_MAPPING_MOVABLE)
		return (const void *)(mapping & ~PAGE_MAPPING_FLAGS);
#endif
	return NULL;
}

/*
 * v6.17? (mm: a page type for large kmalloc; 6.12 has none, 7.2 has it):
 * kmalloc()s too large for a slab are told apart; before, they are bare
 * compound pages, untyped to pages.c.
 */
static inline bool memlens_page_large_kmalloc(struct page *page)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 17, 0)
	return PageLargeKmalloc(page);
#else
	return false;
#endif
}

/*
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
 * v6.19? (mm: introduce leaf entry type, <linux/leafops.h>; the release is
 * not placed exactly, 7.2 is the first Debian kernel with it): swp_entry_t's
 * predicates became softleaf_t's and the old ones went away.
 * memlens_pte_leaf() and memlens_pmd_leaf() say what a non-present,
 * non-none page table entry holds, as smaps_pte_entry() and
 * smaps_pmd_entry() ask it.  A migration entry's page is found with
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

/*
 * Before it, the same questions were asked of a swp_entry_t; 6.12's stable
 * releases already spell two of them the new way.
 */
#ifndef _LINUX_LEAFOPS_H
#define softleaf_t			swp_entry_t
#define softleaf_is_swap(e)		(!non_swap_entry(e))
#define softleaf_has_pfn(e)		is_pfn_swap_entry(e)
#define softleaf_is_migration(e)	is_migration_entry(e)
#define softleaf_is_device_private(e)	is_device_private_entry(e)
#define softleaf_from_pmd(pmd)		pmd_to_swp_entry(pmd)
#ifndef softleaf_from_pte
#define softleaf_from_pte(pte)		pte_to_swp_entry(pte)
#endif
#ifndef softleaf_to_pfn
#define softleaf_to_pfn(e)		swp_offset_pfn(e)
#endif
#endif

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
 * v7.2 (dcache: the alias list out of d_u): struct dentry's d_u union
 * became anonymous, and <linux/dcache.h> walks an inode's aliases with
 * for_each_alias(), which older kernels do not have.
 */
#ifndef for_each_alias
#define for_each_alias(dentry, inode) \
	hlist_for_each_entry(dentry, &(inode)->i_dentry, d_u.d_alias)
#endif

/*
 * v7.2? (mm: vmalloc: a node counter of vmalloc pages, NR_VMALLOC; 7.2 is
 * the first Debian kernel with it): meminfo's VmallocUsed is that counter,
 * where it was vmalloc_nr_pages(), the static nr_vmalloc_pages of
 * mm/vmalloc.c.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 2, 0)
#define MEMLENS_VMALLOC_NODE_STAT	1
#define MEMLENS_NR_VMALLOC		NR_VMALLOC
#else
#define MEMLENS_VMALLOC_NODE_STAT	0
#define MEMLENS_NR_VMALLOC		0
#endif

/*
 * The same change in memcg: memory.stat's vmalloc is that node item, not
 * MEMCG_VMALLOC (gone); and by 7.2 (Debian's first kernel with either)
 * pgscan, pgsteal and pgrefill are node items too, counted in memcg's
 * statistics arrays, with NR_HUGETLB: mm_mirror.h's 7.2 list of them.
 */
#if MEMLENS_VMALLOC_NODE_STAT
#define MEMLENS_MEMCG_VMALLOC		NR_VMALLOC
#else
#define MEMLENS_MEMCG_VMALLOC		MEMCG_VMALLOC
#endif
#define MEMLENS_MEMCG_RECLAIM_STATS	(LINUX_VERSION_CODE >= KERNEL_VERSION(7, 2, 0))

/*
 * v7.2? (mm: memcontrol: reparent LRU folios of a dying memcg; 7.2 is the
 * first Debian kernel with it): page cache points to an obj_cgroup, and a
 * removed cgroup's folios go to its parent when it goes offline.  Its own
 * counters then keep what they held, which no longer is its memory.
 */
#define MEMLENS_MEMCG_REPARENTS_LRU	(LINUX_VERSION_CODE >= KERNEL_VERSION(7, 2, 0))

/* Whether what @css's memcg counts is its own memory: not once offline, from 7.2. */
static inline bool memlens_memcg_counts_own(struct cgroup_subsys_state *css)
{
	return !MEMLENS_MEMCG_REPARENTS_LRU || (READ_ONCE(css->flags) & CSS_ONLINE);
}

/*
 * v7.2? (mm, swap: use the swap table for the swap count; 7.2 is the first
 * Debian kernel with it): each device's byte map of counts, swap_map, with
 * continuation pages for counts past SWAP_MAP_MAX (COUNT_CONTINUED), is
 * gone; the count is in the high bits of the cluster's swap table entry.
 * mm_mirror.h reads whichever the kernel has.
 */
#ifdef COUNT_CONTINUED
#define MEMLENS_SWAP_MAP	1
#else
#define MEMLENS_SWAP_MAP	0
#endif

/*
 * v7.3? (7.3 is Debian's first kernel with it): memcg also counts
 * NR_VMSCAN_WRITE and PGROTATE_ANON/FILE, three more items in its
 * statistics arrays (mm_mirror.h's 7.3 list).
 */
#define MEMLENS_MEMCG_ROTATE_STATS	(LINUX_VERSION_CODE >= KERNEL_VERSION(7, 3, 0))

#endif /* _MEMLENS_COMPAT_H */
