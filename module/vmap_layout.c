// SPDX-License-Identifier: GPL-2.0
/*
 * Where a vmap node keeps its busy vmap areas (v6.9 on, compat.h), and
 * where the first percpu chunk ends.
 *
 * struct vmap_node and struct rb_list are private to mm/vmalloc.c.  The
 * node's size (the stride of vmap_nodes[]) and the members of its busy
 * rb_list that vmap.c reads, the tree's root and its lock, are looked up
 * in the running kernel's BTF, each with the type memlens expects; the
 * list's head must be there too, or rb_list is not the structure memlens
 * knows.  The BTF must describe this kernel: struct vmap_area and struct
 * vm_struct, which are public, of the sizes this module was built with.
 *
 * The first percpu chunk's dynamic part, pcpu_first_chunk, ends where the
 * units' memory in use ends: base_addr + nr_pages pages (mm/percpu.c
 * pcpu_alloc_first_chunk()).  struct pcpu_chunk is private to mm/ too.
 */
#include <linux/err.h>
#include <linux/rbtree.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>

#include "memlens.h"

static const struct {
	const char *member;
	const char *type;
	u32 size;
	size_t out;	/* where in struct memlens_vmap_layout, or 0: none */
} rb_list_fields[] = {
	{ "root", "struct rb_root", sizeof(struct rb_root),
	  offsetof(struct memlens_vmap_layout, node_root) },
	{ "head", "struct list_head", sizeof(struct list_head), 0 },
	{ "lock", "spinlock_t", sizeof(spinlock_t),
	  offsetof(struct memlens_vmap_layout, node_lock) },
};

static int vmap_check_anchors(struct memlens_btf *btf, char *why, size_t len)
{
	u32 size;

	if (memlens_btf_struct(btf, "vmap_area", &size) < 0 || size != sizeof(struct vmap_area) ||
	    memlens_btf_struct(btf, "vm_struct", &size) < 0 || size != sizeof(struct vm_struct)) {
		snprintf(why, len, "BTF does not describe this kernel (struct vmap_area)");
		return -EINVAL;
	}
	return 0;
}

static bool vmap_member_is(const struct memlens_btf_member *m, const char *type, u32 size)
{
	return !m->bitfield_size && !(m->bit_offset % 8) && m->size == size &&
	       !strcmp(m->type_name, type);
}

static int vmap_layout_from_btf(struct memlens_btf *btf, struct memlens_vmap_layout *l,
				char *why, size_t len)
{
	struct memlens_btf_member busy, m;
	int id, i;

	if (vmap_check_anchors(btf, why, len))
		return -EINVAL;
	id = memlens_btf_struct(btf, "vmap_node", &l->node_size);
	if (id < 0) {
		snprintf(why, len, "BTF has %s struct vmap_node",
			 id == -EEXIST ? "more than one" : "no");
		return -ENOENT;
	}
	if (memlens_btf_member(btf, id, "busy", &busy) ||
	    strcmp(busy.type_name, "struct rb_list") || busy.bitfield_size ||
	    busy.bit_offset % 8 || busy.bit_offset / 8 + busy.size > l->node_size) {
		snprintf(why, len, "struct vmap_node has no member busy of struct rb_list");
		return -ENOENT;
	}
	for (i = 0; i < ARRAY_SIZE(rb_list_fields); i++) {
		if (memlens_btf_member(btf, busy.elem_id, rb_list_fields[i].member, &m) ||
		    !vmap_member_is(&m, rb_list_fields[i].type, rb_list_fields[i].size) ||
		    m.bit_offset / 8 + m.size > busy.size) {
			snprintf(why, len, "struct rb_list has no member %s of %s",
				 rb_list_fields[i].member, rb_list_fields[i].type);
			return -EINVAL;
		}
		if (rb_list_fields[i].out)
			*(u32 *)((char *)l + rb_list_fields[i].out) = busy.bit_offset / 8 +
								      m.bit_offset / 8;
	}
	return 0;
}

static int pcpu_layout_from_btf(struct memlens_btf *btf, struct memlens_vmap_layout *l,
				char *why, size_t len)
{
	struct memlens_btf_member base, nr;
	u32 size;
	int id;

	if (vmap_check_anchors(btf, why, len))
		return -EINVAL;
	id = memlens_btf_struct(btf, "pcpu_chunk", &size);
	if (id < 0) {
		snprintf(why, len, "BTF has %s struct pcpu_chunk",
			 id == -EEXIST ? "more than one" : "no");
		return -ENOENT;
	}
	if (memlens_btf_member(btf, id, "base_addr", &base) ||
	    !vmap_member_is(&base, "pointer", sizeof(void *)) ||
	    memlens_btf_member(btf, id, "nr_pages", &nr) ||
	    !vmap_member_is(&nr, "int", sizeof(int))) {
		snprintf(why, len, "struct pcpu_chunk has no pointer base_addr and int nr_pages");
		return -EINVAL;
	}
	l->chunk_base = base.bit_offset / 8;
	l->chunk_nr_pages = nr.bit_offset / 8;
	return 0;
}

static int vmap_layout(int (*fn)(struct memlens_btf *btf, struct memlens_vmap_layout *l,
				 char *why, size_t len),
		       struct memlens_vmap_layout *l, char *why, size_t len)
{
	struct memlens_btf *btf;
	int ret;

	btf = memlens_btf_load(memlens_btf_path, why, len);
	if (IS_ERR(btf))
		return PTR_ERR(btf);
	ret = fn(btf, l, why, len);
	memlens_btf_free(btf);
	return ret;
}

/**
 * memlens_vmap_node_layout() - find struct vmap_node's busy areas in BTF
 * @l: out, its node_* members
 * @why: out, why they cannot be had
 * @len: of @why
 *
 * May sleep: reads the kernel's BTF.
 *
 * Return: 0 when they are valid, otherwise an error, and @why says what.
 */
int memlens_vmap_node_layout(struct memlens_vmap_layout *l, char *why, size_t len)
{
	return vmap_layout(vmap_layout_from_btf, l, why, len);
}

/**
 * memlens_pcpu_chunk_layout() - find struct pcpu_chunk's extent in BTF
 * @l: out, its chunk_* members
 * @why: out, why they cannot be had
 * @len: of @why
 *
 * May sleep: reads the kernel's BTF.
 *
 * Return: 0 when they are valid, otherwise an error, and @why says what.
 */
int memlens_pcpu_chunk_layout(struct memlens_vmap_layout *l, char *why, size_t len)
{
	return vmap_layout(pcpu_layout_from_btf, l, why, len);
}
