// SPDX-License-Identifier: GPL-2.0
/*
 * Swap counts in the swap table, for the pss view's swap_pss.
 *
 * Since the swap table replaced swap_map (7.2 is the first Debian kernel
 * with it, compat.h), an entry's count is kept in its cluster's table, in
 * struct swap_cluster_info, which is private to mm/ (mm/swap.h).  Its size
 * and the members swp_swapcount() reads (lock, table, extend_table) are
 * looked up in the running kernel's BTF, each with the type memlens
 * expects, and the BTF must describe this kernel (struct swap_info_struct,
 * which is public, of the size this module was built with); otherwise
 * swap_pss is unavailable, with the reason.  The bits of a table entry
 * (mm/swap_table.h, private too) are mm_mirror.h's.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/swap.h>

#include "memlens.h"
#include "mm_mirror.h"

static struct {
	u32 size;		/* of struct swap_cluster_info */
	u32 lock, table, extend_table;
} ci_layout;

static const struct {
	const char *member;
	const char *type;
	u32 size;
	u32 *offset;
} ci_fields[] = {
	{ "lock", "spinlock_t", sizeof(spinlock_t), &ci_layout.lock },
	{ "table", "pointer", sizeof(void *), &ci_layout.table },
	{ "extend_table", "pointer", sizeof(void *), &ci_layout.extend_table },
};

static int swap_layout_from_btf(struct memlens_btf *btf, char *why, size_t len)
{
	struct memlens_btf_member m;
	u32 size;
	int id, i;

	if (memlens_btf_struct(btf, "swap_info_struct", &size) < 0 ||
	    size != sizeof(struct swap_info_struct)) {
		snprintf(why, len, "BTF does not describe this kernel (struct swap_info_struct)");
		return -EINVAL;
	}
	id = memlens_btf_struct(btf, "swap_cluster_info", &ci_layout.size);
	if (id < 0) {
		snprintf(why, len, "BTF has %s struct swap_cluster_info",
			 id == -EEXIST ? "more than one" : "no");
		return -ENOENT;
	}
	for (i = 0; i < ARRAY_SIZE(ci_fields); i++) {
		if (memlens_btf_member(btf, id, ci_fields[i].member, &m)) {
			snprintf(why, len, "struct swap_cluster_info has no member %s",
				 ci_fields[i].member);
			return -ENOENT;
		}
		if (m.bitfield_size || m.bit_offset % 8 || m.size != ci_fields[i].size ||
		    strcmp(m.type_name, ci_fields[i].type) ||
		    m.bit_offset / 8 + m.size > ci_layout.size) {
			snprintf(why, len, "swap_cluster_info.%s is %.40s of %llu, not %s",
				 ci_fields[i].member, m.type_name, m.size, ci_fields[i].type);
			return -EINVAL;
		}
		*ci_fields[i].offset = m.bit_offset / 8;
	}
	return 0;
}

static DEFINE_MUTEX(swap_layout_mutex);
static bool swap_layout_done;
static char swap_layout_why[128];

/**
 * memlens_swap_table_layout() - find, once, where the swap table counts are
 *
 * May sleep: the first call reads the kernel's BTF.
 *
 * Return: NULL when memlens_swap_table_count() may be called, else why not.
 */
const char *memlens_swap_table_layout(void)
{
	struct memlens_btf *btf;

	/* pairs with the release below: once set, the layout never changes */
	if (!smp_load_acquire(&swap_layout_done)) {
		mutex_lock(&swap_layout_mutex);
		if (!swap_layout_done) {
			btf = memlens_btf_load(memlens_btf_path, swap_layout_why,
					       sizeof(swap_layout_why));
			if (!IS_ERR(btf)) {
				swap_layout_from_btf(btf, swap_layout_why,
						     sizeof(swap_layout_why));
				memlens_btf_free(btf);
			}
			if (swap_layout_why[0])
				pr_info("pss view: swap_pss unavailable: %s\n", swap_layout_why);
			/* pairs with the acquire above */
			smp_store_release(&swap_layout_done, true);
		}
		mutex_unlock(&swap_layout_mutex);
	}
	return swap_layout_why[0] ? swap_layout_why : NULL;
}

/**
 * memlens_swap_table_count() - swp_swapcount() of a swap table kernel
 * @si: the entry's device, checked as _swap_info_get() checks it
 * @offset: the entry's offset, below si->max
 *
 * With the cluster lock, as swp_swapcount() holds it: the table cannot be
 * freed while the cluster has a slot in use, and the caller's page table
 * entry is one.  Only after memlens_swap_table_layout() said yes.
 *
 * Return: the count, 0 for a slot that holds none.
 */
int memlens_swap_table_count(struct swap_info_struct *si, unsigned long offset)
{
	unsigned int off = offset % MEMLENS_SWAPFILE_CLUSTER;
	char *ci = (char *)si->cluster_info;
	spinlock_t *lock;	/* the cluster's */
	atomic_long_t *table;
	unsigned int *extend;
	unsigned long tb;
	int count = 0;

	if (!ci)
		return 0;
	ci += (offset / MEMLENS_SWAPFILE_CLUSTER) * ci_layout.size;
	lock = (spinlock_t *)(ci + ci_layout.lock);
	spin_lock(lock);
	table = READ_ONCE(*(atomic_long_t **)(ci + ci_layout.table));
	if (table) {
		tb = atomic_long_read(&table[off]);
		count = memlens_swp_tb_count(tb);
		if (count == MEMLENS_SWP_TB_COUNT_MAX) {
			extend = READ_ONCE(*(unsigned int **)(ci + ci_layout.extend_table));
			if (extend)
				count = extend[off];
		}
	}
	spin_unlock(lock);
	return max(count, 0);
}
