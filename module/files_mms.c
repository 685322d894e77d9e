// SPDX-License-Identifier: GPL-2.0
/*
 * The processes that map a file, for the files view's procs column: the
 * distinct mm's of the VMAs in the file's i_mmap tree, counted through an
 * open-addressed hash set.
 */
#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/rbtree.h>
#include <linux/slab.h>

#include "files.h"

#define FILES_MMS_MIN		1024UL
/*
 * VMAs on one file counted whole, each an mm pointer in a list and two
 * slots in a set (24 MiB at most, while one open() runs); a file mapped
 * by more is counted partly.
 */
#define FILES_MMS_MAX		BIT(20)
/* A list of @cap mm's and the set after it */
#define FILES_MMS_SLOTS(cap)	(3 * (cap))

/*
 * The capacity the last snapshot grew to: the next starts there, since a
 * list that fills up is walked again from its start once it has grown,
 * and every snapshot meets the same most-mapped files (libc).
 */
static unsigned long files_mms_last_cap = FILES_MMS_MIN;

int files_mms_init(struct files_mms *m)
{
	m->cap = clamp(READ_ONCE(files_mms_last_cap), FILES_MMS_MIN, FILES_MMS_MAX);
	m->mms = kvmalloc_array(FILES_MMS_SLOTS(m->cap), sizeof(*m->mms), GFP_KERNEL_ACCOUNT);
	if (!m->mms && m->cap > FILES_MMS_MIN) {
		m->cap = FILES_MMS_MIN;
		m->mms = kvmalloc_array(FILES_MMS_SLOTS(m->cap), sizeof(*m->mms),
					GFP_KERNEL_ACCOUNT);
	}
	return m->mms ? 0 : -ENOMEM;
}

void files_mms_free(struct files_mms *m)
{
	kvfree(m->mms);
	m->mms = NULL;
}

/* The mm of every VMA mapping @mapping, into m->mms; false if they did not fit. */
static bool files_collect_mms(struct files_mms *m, struct address_space *mapping, size_t *n)
{
	struct rb_node *rb;
	size_t i = 0;

	/* vma_interval_tree_iter_*() are not exported: walk the tree in order */
	i_mmap_lock_read(mapping);
	for (rb = rb_first_cached(&mapping->i_mmap); rb && i < m->cap; rb = rb_next(rb))
		m->mms[i++] = rb_entry(rb, struct vm_area_struct, shared.rb)->vm_mm;
	i_mmap_unlock_read(mapping);
	*n = i;
	return !rb;
}

/* Grow m->mms (never under i_mmap_rwsem: reclaim may need it); false if it cannot. */
static bool files_grow_mms(struct files_mms *m)
{
	struct mm_struct **mms;

	if (m->cap >= FILES_MMS_MAX)
		return false;
	mms = kvmalloc_array(FILES_MMS_SLOTS(2 * m->cap), sizeof(*mms), GFP_KERNEL_ACCOUNT);
	if (!mms)
		return false;
	kvfree(m->mms);
	m->mms = mms;
	m->cap *= 2;
	WRITE_ONCE(files_mms_last_cap, m->cap);
	return true;
}

/*
 * The distinct mm's among the @n in m->mms, through the open-addressed
 * set after the list, with at least twice @n slots: linear in @n, as a
 * file that every process maps (libc) makes @n large, where sort() would
 * be most of the mapped file's cost.
 */
static unsigned long files_distinct_mms(struct files_mms *m, size_t n)
{
	struct mm_struct **set = m->mms + m->cap;
	unsigned long procs = 0, mask, h;
	unsigned int bits;
	size_t i;

	if (n < 2)
		return n;
	bits = ilog2(n - 1) + 2;	/* 2^bits >= 2n, and <= 2 * cap */
	mask = BIT(bits) - 1;
	memset(set, 0, sizeof(*set) << bits);
	for (i = 0; i < n; i++) {
		for (h = hash_ptr(m->mms[i], bits); set[h] && set[h] != m->mms[i];
		     h = (h + 1) & mask)
			;
		if (!set[h]) {
			set[h] = m->mms[i];
			procs++;
		}
	}
	return procs;
}

/* How many distinct mm's map @mapping: the processes sharing it. */
unsigned long files_mms_procs(struct files_mms *m, struct address_space *mapping)
{
	size_t n;

	while (!files_collect_mms(m, mapping, &n) && files_grow_mms(m))
		;
	return files_distinct_mms(m, n);
}
