/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Offsets of the slab allocator's private structures, verified against the
 * running kernel by slab_layout.c before any use, and the accessors that
 * read through them.
 */
#ifndef _MEMLENS_SLAB_LAYOUT_H
#define _MEMLENS_SLAB_LAYOUT_H

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

#include "memlens.h"

struct memlens_slab_layout {
	struct list_head *caches;	/* slab_caches */
	struct mutex *mutex;		/* slab_mutex */
	/* struct kmem_cache, byte offsets */
	u32 cache_name, cache_list, cache_flags, cache_size, cache_object_size;
	u32 cache_oo, cache_refcount;
	/* the per-node array: where it starts, its stride, the node pointer in it */
	u32 cache_node, cache_node_stride, cache_node_ptr;
	/* struct kmem_cache_node, byte offsets */
	u32 node_list_lock, node_nr_partial, node_partial, node_nr_slabs;
	u32 node_total_objects;
	/* struct slab: byte offset of slab_list, bit offsets of the counters */
	u32 slab_list, slab_inuse_bit, slab_objects_bit;
};

extern struct memlens_slab_layout memlens_slab;

const char *memlens_slab_layout(void);

/* SLUB's oo: order << 16 | objects per slab (OO_SHIFT in mm/slub.c). */
#define memlens_oo_order(oo)	((oo) >> 16)
#define memlens_oo_objects(oo)	((oo) & 0xffff)

static inline void *memlens_slab_cache(struct list_head *list)
{
	return (void *)list - memlens_slab.cache_list;
}

static inline u32 memlens_cache_u32(const void *s, u32 off)
{
	return READ_ONCE(*(const u32 *)(s + off));
}

static inline unsigned long memlens_atomic_long(const void *obj, u32 off)
{
	return atomic_long_read((const atomic_long_t *)(obj + off));
}

static inline void *memlens_ptr(const void *obj, u32 off)
{
	return READ_ONCE(*(void *const *)(obj + off));
}

/* The kmem_cache_node of @node in cache @s, or NULL. */
static inline void *memlens_cache_node(const void *s, int node)
{
	const struct memlens_slab_layout *l = &memlens_slab;

	return memlens_ptr(s, l->cache_node + node * l->cache_node_stride + l->cache_node_ptr);
}

/* A bitfield of struct slab, checked to lie within one 32-bit word. */
static inline unsigned int memlens_slab_bits(const void *slab, u32 bit, u32 width)
{
	u32 word = READ_ONCE(*(const u32 *)(slab + (bit / 32) * 4));

	return (word >> (bit % 32)) & ((1U << width) - 1);
}

#endif /* _MEMLENS_SLAB_LAYOUT_H */
