// SPDX-License-Identifier: GPL-2.0
/*
 * The slab view: every slab cache, with the numbers /proc/slabinfo prints
 * (computed as mm/slub.c get_slabinfo() does), then what slabinfo leaves
 * out: the memory the cache holds and how much of it is waste.
 *
 * The walk holds what /proc/slabinfo holds: slab_mutex from ->start to
 * ->stop, and a node's list_lock while counting its partial slabs.
 */
#include <linux/nodemask.h>
#include <linux/slab.h>

#include "compat.h"
#include "slab_layout.h"

/* Longer cache names are cut: a row must fit in the seq_file buffer. */
#define SLAB_NAME_MAX	128

struct slab_counts {
	unsigned long slabs, objs, free;
};

/* Free objects on a node's partial slabs: count_partial_free_approx(). */
static unsigned long slab_node_free(void *n)
{
	const struct memlens_slab_layout *l = &memlens_slab;
	struct list_head *head = n + l->node_partial, *pos;
	unsigned long flags, x = 0, scanned = 0;
	unsigned long nr_partial;
	spinlock_t *lock = n + l->node_list_lock;

	spin_lock_irqsave(lock, flags);
	nr_partial = READ_ONCE(*(unsigned long *)(n + l->node_nr_partial));
	list_for_each(pos, head) {
		void *slab = (void *)pos - l->slab_list;

		x += memlens_slab_bits(slab, l->slab_objects_bit, 15) -
		     memlens_slab_bits(slab, l->slab_inuse_bit, 16);
		if (nr_partial > MEMLENS_SLAB_MAX_PARTIAL_TO_SCAN &&
		    ++scanned == MEMLENS_SLAB_MAX_PARTIAL_TO_SCAN / 2)
			break;
	}
	if (nr_partial > MEMLENS_SLAB_MAX_PARTIAL_TO_SCAN) {
		/* a long list: extrapolate from its head and tail, as the kernel does */
		list_for_each_prev(pos, head) {
			void *slab = (void *)pos - l->slab_list;

			x += memlens_slab_bits(slab, l->slab_objects_bit, 15) -
			     memlens_slab_bits(slab, l->slab_inuse_bit, 16);
			if (++scanned == MEMLENS_SLAB_MAX_PARTIAL_TO_SCAN)
				break;
		}
		x = mult_frac(x, nr_partial, scanned);
		x = min(x, memlens_atomic_long(n, l->node_total_objects));
	}
	spin_unlock_irqrestore(lock, flags);
	return x;
}

static void slab_count(void *s, struct slab_counts *c)
{
	int node;

	memset(c, 0, sizeof(*c));
	for (node = 0; node < nr_node_ids; node++) {
		void *n = memlens_cache_node(s, node);

		if (!n)
			continue;
		c->slabs += memlens_atomic_long(n, memlens_slab.node_nr_slabs);
		c->objs += memlens_atomic_long(n, memlens_slab.node_total_objects);
		c->free += slab_node_free(n);
	}
}

static const struct memlens_column slab_cols[] = {
	MEMLENS_SLAB_COLUMNS(MEMLENS_COLUMN)
};

/* the name first, as /proc/slabinfo prints it, then a space before each number */
static const struct memlens_table slab_table = {
	.cols = slab_cols,
	.n = MEMLENS_SLAB_NR_NUMERIC,
	.str_width = MEMLENS_SLAB_NAME_WIDTH - 1,
};

/* Everything after the name, as the uapi header orders it. */
static void slab_values(void *s, u64 *val)
{
	const struct memlens_slab_layout *l = &memlens_slab;
	unsigned int oo = memlens_cache_u32(s, l->cache_oo);
	u64 size = memlens_cache_u32(s, l->cache_size);
	u64 object_size = memlens_cache_u32(s, l->cache_object_size);
	slab_flags_t flags = (__force slab_flags_t)memlens_cache_u32(s, l->cache_flags);
	int refcount = (int)memlens_cache_u32(s, l->cache_refcount);
	struct slab_counts c;
	u64 active, total;

	slab_count(s, &c);
	active = c.objs - min(c.free, c.objs);
	total = (u64)c.slabs << (PAGE_SHIFT + memlens_oo_order(oo));

	val[MEMLENS_SLAB_ACTIVE_OBJS] = active;
	val[MEMLENS_SLAB_NUM_OBJS] = c.objs;
	val[MEMLENS_SLAB_OBJSIZE] = size;
	val[MEMLENS_SLAB_OBJPERSLAB] = memlens_oo_objects(oo);
	val[MEMLENS_SLAB_PAGESPERSLAB] = 1U << memlens_oo_order(oo);
	val[MEMLENS_SLAB_ACTIVE_SLABS] = c.slabs;
	val[MEMLENS_SLAB_NUM_SLABS] = c.slabs;
	val[MEMLENS_SLAB_SIZE] = size;
	val[MEMLENS_SLAB_OBJECT_SIZE] = object_size;
	val[MEMLENS_SLAB_TOTAL] = total >> 10;
	val[MEMLENS_SLAB_ACTIVE] = (active * size) >> 10;
	val[MEMLENS_SLAB_WASTE] = (total - min(total, active * size)) >> 10;
	val[MEMLENS_SLAB_EFF] = total ? div64_u64(active * object_size * 100, total) : 0;
	val[MEMLENS_SLAB_RECLAIM] = !!(flags & SLAB_RECLAIM_ACCOUNT);
	val[MEMLENS_SLAB_ACCOUNT] = !!(flags & SLAB_ACCOUNT);
	val[MEMLENS_SLAB_MERGED] = refcount > 0 ? refcount - 1 : 0;
}

static void slab_show_cache(struct seq_file *m, void *s)
{
	const char *name = memlens_ptr(s, memlens_slab.cache_name);
	u64 val[MEMLENS_SLAB_NR_NUMERIC];

	slab_values(s, val);
	memlens_seq_row(m, &slab_table, val, 0, NULL, name,
			name ? strnlen(name, SLAB_NAME_MAX) : 0);
}

/* Marks the one-line answer of a kernel whose slab layout is not understood. */
static char slab_unsupported_token;

static void *slab_start(struct seq_file *m, loff_t *pos)
{
	if (memlens_slab_layout())
		return *pos ? NULL : &slab_unsupported_token;
	mutex_lock(memlens_slab.mutex);
	return seq_list_start_head(memlens_slab.caches, *pos);
}

static void *slab_next(struct seq_file *m, void *v, loff_t *pos)
{
	if (v == &slab_unsupported_token) {
		++*pos;
		return NULL;
	}
	cond_resched();
	return seq_list_next(v, memlens_slab.caches, pos);
}

static void slab_stop(struct seq_file *m, void *v)
{
	/* the layout's verdict is final, so it tells whether ->start locked */
	if (!memlens_slab_layout())
		mutex_unlock(memlens_slab.mutex);
}

static int slab_show(struct seq_file *m, void *v)
{
	if (v == &slab_unsupported_token)
		seq_printf(m, MEMLENS_STATUS_UNSUPPORTED ": %s\n", memlens_slab_layout());
	else if (v == memlens_slab.caches)
		memlens_seq_header(m, &slab_table, MEMLENS_SLAB_NAME);
	else
		slab_show_cache(m, memlens_slab_cache(v));
	return 0;
}

static const struct seq_operations slab_sops = {
	.start = slab_start,
	.next = slab_next,
	.stop = slab_stop,
	.show = slab_show,
};
DEFINE_SEQ_ATTRIBUTE(slab);

static const char *slab_status(const char **missing)
{
	return memlens_slab_layout();
}

const struct memlens_view memlens_slab_view = {
	.name = MEMLENS_FILE_SLAB,
	.fops = &slab_fops,
	.status = slab_status,
};
