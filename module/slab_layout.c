// SPDX-License-Identifier: GPL-2.0
/*
 * Where the slab allocator keeps what /proc/slabinfo prints.
 *
 * struct kmem_cache, kmem_cache_node and slab are private to mm/ (6.8+
 * does not even ship their definitions), and their layout moves with the
 * kernel's configuration.  Every member memlens reads is looked up in the
 * running kernel's BTF and must have exactly the type memlens expects; the
 * BTF itself must describe the structures this module was built against;
 * and the list of caches and its mutex come from ksyms.c, verified.  Only
 * then is the first byte read.  Anything else makes the slab view report
 * itself unsupported, with the reason, and leaves the other views alone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/list.h>
#include <linux/mm_types.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/numa.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "compat.h"
#include "slab_layout.h"

#define BTF_DEFAULT_PATH	"/sys/kernel/btf/vmlinux"

/* also swap_layout.c's */
char *memlens_btf_path = BTF_DEFAULT_PATH;

/* btf=PATH: another BTF for this very kernel; it is checked as strictly. */
static int btf_param_set(const char *val, const struct kernel_param *kp)
{
	size_t len = strnlen(val, PATH_MAX);
	size_t i;

	/* a trailing newline, as from echo, is not part of the path */
	if (len && val[len - 1] == '\n')
		len--;
	if (!len || len >= PATH_MAX || val[0] != '/')
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (val[i] < 0x20 || val[i] == 0x7f)
			return -EINVAL;
	return param_set_charp(val, kp);
}

static const struct kernel_param_ops btf_param_ops = {
	.set = btf_param_set,
	.get = param_get_charp,
	.free = param_free_charp,
};
module_param_cb(btf, &btf_param_ops, &memlens_btf_path, 0444);
MODULE_PARM_DESC(btf, "BTF describing the running kernel (default " BTF_DEFAULT_PATH ")");

struct memlens_slab_layout memlens_slab;

enum { T_CACHE, T_NODE, T_SLAB, NR_T };

static const char *const struct_names[NR_T] = {
	[T_CACHE] = "kmem_cache",
	[T_NODE] = "kmem_cache_node",
	[T_SLAB] = "slab",
};

/* A member memlens reads: its expected C type and size, where to put it. */
struct layout_field {
	u8 in;
	const char *member;
	const char *type;
	u32 size;	/* bytes, or bits for a bitfield */
	bool bitfield;
	u32 *offset;	/* bytes, or bits for a bitfield */
};

#define FIELD(in, member, type, size, out) \
	{ in, member, type, size, false, &memlens_slab.out }
#define BITFIELD(in, member, bits, out) \
	{ in, member, "unsigned int", bits, true, &memlens_slab.out }

static const struct layout_field layout_fields[] = {
	FIELD(T_CACHE, "name", "pointer", sizeof(void *), cache_name),
	FIELD(T_CACHE, "list", "struct list_head", sizeof(struct list_head), cache_list),
	FIELD(T_CACHE, "flags", "slab_flags_t", sizeof(slab_flags_t), cache_flags),
	FIELD(T_CACHE, "size", "unsigned int", sizeof(unsigned int), cache_size),
	FIELD(T_CACHE, "object_size", "unsigned int", sizeof(unsigned int), cache_object_size),
	FIELD(T_CACHE, "oo", "struct kmem_cache_order_objects", sizeof(unsigned int), cache_oo),
	FIELD(T_CACHE, "refcount", "int", sizeof(int), cache_refcount),
	FIELD(T_NODE, "list_lock", "spinlock_t", sizeof(spinlock_t), node_list_lock),
	FIELD(T_NODE, "nr_partial", "long unsigned int", sizeof(unsigned long), node_nr_partial),
	FIELD(T_NODE, "partial", "struct list_head", sizeof(struct list_head), node_partial),
	FIELD(T_NODE, "nr_slabs", "atomic_long_t", sizeof(atomic_long_t), node_nr_slabs),
	FIELD(T_NODE, "total_objects", "atomic_long_t", sizeof(atomic_long_t), node_total_objects),
	FIELD(T_SLAB, "slab_list", "struct list_head", sizeof(struct list_head), slab_list),
	BITFIELD(T_SLAB, "inuse", 16, slab_inuse_bit),
	BITFIELD(T_SLAB, "objects", 15, slab_objects_bit),
};

/*
 * Public structures whose size this module was compiled with: a BTF that
 * disagrees describes some other kernel, or this one built differently.
 */
static const struct {
	const char *name;
	size_t size;
} layout_anchors[] = {
	{ "list_head", sizeof(struct list_head) },
	{ "mutex", sizeof(struct mutex) },
	{ "spinlock", sizeof(spinlock_t) },
	{ "page", sizeof(struct page) },
	{ "mm_struct", sizeof(struct mm_struct) },
};

static int layout_check_anchors(struct memlens_btf *btf, char *why, size_t len)
{
	u32 size;
	int i;

	for (i = 0; i < ARRAY_SIZE(layout_anchors); i++) {
		if (memlens_btf_struct(btf, layout_anchors[i].name, &size) < 0 ||
		    size != layout_anchors[i].size) {
			snprintf(why, len, "BTF does not describe this kernel (struct %s)",
				 layout_anchors[i].name);
			return -EINVAL;
		}
	}
	return 0;
}

static int layout_check_field(struct memlens_btf *btf, const int *ids,
			      const struct layout_field *f, char *why, size_t len)
{
	const char *sname = struct_names[f->in];
	struct memlens_btf_member m;
	bool ok;

	if (memlens_btf_member(btf, ids[f->in], f->member, &m)) {
		snprintf(why, len, "struct %s has no member %s", sname, f->member);
		return -ENOENT;
	}
	if (f->bitfield)
		ok = m.bitfield_size == f->size && (m.bit_offset % 32) + f->size <= 32;
	else
		ok = !m.bitfield_size && m.size == f->size && !(m.bit_offset % 8);
	if (!ok || strcmp(m.type_name, f->type)) {
		snprintf(why, len, "%s.%s is %.40s of %llu %s, expected %s of %u",
			 sname, f->member, m.type_name,
			 m.bitfield_size ? (u64)m.bitfield_size : m.size,
			 m.bitfield_size ? "bits" : "bytes", f->type, f->size);
		return -EINVAL;
	}
	*f->offset = f->bitfield ? m.bit_offset : m.bit_offset / 8;
	return 0;
}

/*
 * The array of per-node pointers: node[] of pointers, or per_node[] of
 * structs holding a node pointer (compat.h).  Either has MAX_NUMNODES
 * entries, or it is not the array this module knows.
 */
static int layout_node_array(struct memlens_btf *btf, int cache_id, char *why, size_t len)
{
	struct memlens_btf_member m, p;
	u32 stride;

	if (!memlens_btf_member(btf, cache_id, MEMLENS_SLAB_NODE_ARRAY, &m) &&
	    !strcmp(m.type_name, "array") && m.nelems == MAX_NUMNODES &&
	    m.size == sizeof(void *) * MAX_NUMNODES) {
		memset(&p, 0, sizeof(p));
		stride = sizeof(void *);
	} else if (!memlens_btf_member(btf, cache_id, MEMLENS_SLAB_PER_NODE_ARRAY, &m) &&
		   !strcmp(m.type_name, "array") && m.nelems == MAX_NUMNODES &&
		   !(m.size % MAX_NUMNODES) &&
		   !memlens_btf_member(btf, m.elem_id, MEMLENS_SLAB_PER_NODE_NODE, &p) &&
		   !strcmp(p.type_name, "pointer") && !p.bitfield_size && !(p.bit_offset % 8)) {
		stride = m.size / MAX_NUMNODES;
		if (p.bit_offset / 8 + sizeof(void *) > stride)
			goto bad;
	} else {
		goto bad;
	}
	if (m.bitfield_size || m.bit_offset % 8)
		goto bad;
	memlens_slab.cache_node = m.bit_offset / 8;
	memlens_slab.cache_node_stride = stride;
	memlens_slab.cache_node_ptr = p.bit_offset / 8;
	return 0;
bad:
	snprintf(why, len, "kmem_cache has neither %s[%d] of pointers nor %s[%d] of %s pointers",
		 MEMLENS_SLAB_NODE_ARRAY, MAX_NUMNODES, MEMLENS_SLAB_PER_NODE_ARRAY,
		 MAX_NUMNODES, MEMLENS_SLAB_PER_NODE_NODE);
	return -EINVAL;
}

static int layout_from_btf(struct memlens_btf *btf, char *why, size_t len)
{
	int ids[NR_T];
	u32 size;
	int i, ret;

	ret = layout_check_anchors(btf, why, len);
	if (ret)
		return ret;
	for (i = 0; i < NR_T; i++) {
		ids[i] = memlens_btf_struct(btf, struct_names[i], &size);
		if (ids[i] < 0) {
			snprintf(why, len, "BTF has %s struct %s",
				 ids[i] == -EEXIST ? "more than one" : "no", struct_names[i]);
			return -ENOENT;
		}
	}
	for (i = 0; i < ARRAY_SIZE(layout_fields); i++) {
		ret = layout_check_field(btf, ids, &layout_fields[i], why, len);
		if (ret)
			return ret;
	}
	return layout_node_array(btf, ids[T_CACHE], why, len);
}

/*
 * SLUB packs a cache's slab order and objects per slab into oo as
 * order << 16 | objects, with objects = (PAGE_SIZE << order) / size: check
 * that every cache agrees before believing the encoding.
 */
static int layout_check_caches(char *why, size_t len)
{
	struct list_head *head = memlens_slab.caches, *pos;
	int ret = 0;

	mutex_lock(memlens_slab.mutex);
	list_for_each(pos, head) {
		void *s = memlens_slab_cache(pos);
		unsigned int size = memlens_cache_u32(s, memlens_slab.cache_size);
		unsigned int oo = memlens_cache_u32(s, memlens_slab.cache_oo);

		if (!size || memlens_oo_objects(oo) != (PAGE_SIZE << memlens_oo_order(oo)) / size) {
			snprintf(why, len, "kmem_cache.oo is not encoded as this module expects");
			ret = -EINVAL;
			break;
		}
	}
	mutex_unlock(memlens_slab.mutex);
	return ret;
}

static DEFINE_MUTEX(layout_mutex);
static bool layout_done;
static char layout_why[128];

static void layout_resolve(void)
{
	struct memlens_btf *btf;
	const char *why;

	memlens_slab.caches = memlens_ksym(MEMLENS_KSYM_SLAB_CACHES, &why);
	if (memlens_slab.caches)
		memlens_slab.mutex = memlens_ksym(MEMLENS_KSYM_SLAB_MUTEX, &why);
	if (!memlens_slab.caches || !memlens_slab.mutex) {
		strscpy(layout_why, why, sizeof(layout_why));
		return;
	}
	btf = memlens_btf_load(memlens_btf_path, layout_why, sizeof(layout_why));
	if (IS_ERR(btf))
		return;
	if (!layout_from_btf(btf, layout_why, sizeof(layout_why)))
		layout_check_caches(layout_why, sizeof(layout_why));
	memlens_btf_free(btf);
	if (layout_why[0])
		pr_info("slab view unsupported: %s\n", layout_why);
}

/**
 * memlens_slab_layout() - verify, once, that the slab structures can be read
 *
 * May sleep: the first call reads the kernel's BTF and /proc/kallsyms.
 *
 * Return: NULL when &memlens_slab is valid, otherwise why it is not.
 */
const char *memlens_slab_layout(void)
{
	/* lock-free once decided: slab_stop() asks while holding slab_mutex */
	if (!smp_load_acquire(&layout_done)) {
		mutex_lock(&layout_mutex);
		if (!layout_done) {
			layout_resolve();
			/* pairs with the acquire above */
			smp_store_release(&layout_done, true);
		}
		mutex_unlock(&layout_mutex);
	}
	return layout_why[0] ? layout_why : NULL;
}
