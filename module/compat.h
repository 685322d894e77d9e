/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels memlens supports (Debian 12's 6.1 and
 * 6.12), one block per upstream change.  Nothing else in memlens tests a
 * kernel version.
 */
#ifndef _MEMLENS_COMPAT_H
#define _MEMLENS_COMPAT_H

#include <linux/mm.h>
#include <linux/percpu_counter.h>
#include <linux/version.h>

/*
 * v6.2 (f1a7941243c1): the rss counters became per-cpu percpu_counters and
 * get_mm_counter() only approximate.  Debian's 6.12 carries the stable fix
 * that makes /proc/PID/status sum them exactly (get_mm_counter_sum()); sum
 * them the same way.  Before v6.2 /proc reads the atomic counter, which the
 * task's own SPLIT_RSS_COUNTING cache feeds every 64 faults: read it as
 * /proc does.
 */
static inline unsigned long memlens_mm_counter(struct mm_struct *mm, int member)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	return percpu_counter_sum_positive(&mm->rss_stat[member]);
#else
	return get_mm_counter(mm, member);
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

#endif /* _MEMLENS_COMPAT_H */
