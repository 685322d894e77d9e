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
 * v6.12: __iget() became an inline function of <linux/fs.h> (it was an
 * exported one); both are usable here and nothing changes for memlens.
 *
 * v6.19 (fs: hide ->i_state handling behind accessors): inode->i_state
 * became a struct read with inode_state_read(), i_lock held.  Neither the
 * struct nor the accessor can be seen from the preprocessor.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 19, 0)
#define memlens_inode_state(inode)	inode_state_read(inode)
#else
#define memlens_inode_state(inode)	((inode)->i_state)
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
