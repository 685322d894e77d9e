/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels memlens supports (Debian 12's 6.1 and
 * 6.12), one block per upstream change.  Nothing else in memlens tests a
 * kernel version.
 */
#ifndef _MEMLENS_COMPAT_H
#define _MEMLENS_COMPAT_H

#include <linux/mm.h>
#include <linux/cpumask.h>
#include <linux/irqflags.h>
#include <linux/percpu_counter.h>
#include <linux/spinlock.h>
#include <linux/version.h>

/*
 * v6.2 (f1a7941243c1): the rss counters became per-cpu percpu_counters and
 * get_mm_counter() only approximate.  Debian's 6.12 carries the stable fix
 * that makes /proc/PID/status sum them exactly (get_mm_counter_sum()); sum
 * them the same way: each under its lock, as __percpu_counter_sum() does,
 * but with interrupts disabled once for the four rather than four times
 * (a table of ten thousand processes spent a third of its time on it).
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
