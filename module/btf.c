// SPDX-License-Identifier: GPL-2.0
/*
 * A small, bounds-checked reader of the kernel's BTF (/sys/kernel/btf/vmlinux).
 *
 * memlens reads a few structures that are private to mm/ (struct kmem_cache,
 * kmem_cache_node, slab).  Their layout depends on the kernel version and
 * its configuration, so it is not compiled in: it is read from the BTF the
 * running kernel describes itself with, and every member is checked for
 * the type memlens expects before a single byte is read through it.
 *
 * The file is read with the module's own bounds checks, never trusted: the
 * path can be changed with the btf= parameter.
 */
#include <linux/btf.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "compat.h"
#include "memlens.h"

/* The largest BTF accepted; vmlinux BTF is about 5 MiB. */
#define BTF_MAX_SIZE	(64U << 20)
/* Deepest chain of typedef/const/anonymous members followed. */
#define BTF_MAX_DEPTH	16

struct memlens_btf {
	void *data;
	size_t size;
	const char *strings;
	u32 str_len;
	const struct btf_type **types;	/* by id; [0] is void */
	u32 nr_types;
};

static int btf_read_file(const char *path, void **data, size_t *size)
{
	struct file *file;
	loff_t len, pos = 0;
	ssize_t n;
	void *buf;
	int ret = 0;

	file = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(file))
		return PTR_ERR(file);
	len = i_size_read(file_inode(file));
	if (len <= 0 || len > BTF_MAX_SIZE) {
		ret = -EFBIG;
		goto out_close;
	}
	buf = kvmalloc(len, GFP_KERNEL);
	if (!buf) {
		ret = -ENOMEM;
		goto out_close;
	}
	while (pos < len) {
		n = kernel_read(file, buf + pos, len - pos, &pos);
		if (n <= 0) {
			ret = n ? n : -EIO;
			kvfree(buf);
			goto out_close;
		}
	}
	*data = buf;
	*size = len;
out_close:
	fput(file);
	return ret;
}

/* Bytes that follow a btf_type of this kind, or -1 for an unknown kind. */
static long btf_type_extra(const struct btf_type *t)
{
	u32 vlen = BTF_INFO_VLEN(t->info);

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return sizeof(u32);
	case BTF_KIND_PTR:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:
		return 0;
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return (long)vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return (long)vlen * sizeof(struct btf_enum);
	case BTF_KIND_FUNC_PROTO:
		return (long)vlen * sizeof(struct btf_param);
	case BTF_KIND_DATASEC:
		return (long)vlen * sizeof(struct btf_var_secinfo);
	case BTF_KIND_ENUM64:
		return (long)vlen * sizeof(struct btf_enum64);
	}
	return -1;
}

/* Walk the type section: count the types, or record where each starts. */
static long btf_walk(const void *types, u32 len, const struct btf_type **index)
{
	const struct btf_type *t;
	u32 off = 0;
	long n = 1, extra;

	while (off < len) {
		if (len - off < sizeof(*t))
			return -EINVAL;
		t = types + off;
		extra = btf_type_extra(t);
		if (extra < 0 || len - off - sizeof(*t) < extra || n >= (1L << 24))
			return -EINVAL;
		if (index)
			index[n] = t;
		n++;
		off += sizeof(*t) + extra;
	}
	return n;
}

static int btf_index(struct memlens_btf *btf, const void *types, u32 len)
{
	long n = btf_walk(types, len, NULL);

	if (n < 0)
		return n;
	btf->types = kvmalloc_array(n, sizeof(*btf->types), GFP_KERNEL);
	if (!btf->types)
		return -ENOMEM;
	btf->types[0] = NULL;
	btf->nr_types = btf_walk(types, len, btf->types);
	return 0;
}

void memlens_btf_free(struct memlens_btf *btf)
{
	if (IS_ERR_OR_NULL(btf))
		return;
	kvfree(btf->types);
	kvfree(btf->data);
	kfree(btf);
}

/**
 * memlens_btf_load() - read and index a BTF file
 * @path: the file, normally /sys/kernel/btf/vmlinux
 * @why: on failure, a reason for the user
 * @why_len: size of @why
 *
 * Return: the parsed BTF, or an ERR_PTR.
 */
struct memlens_btf *memlens_btf_load(const char *path, char *why, size_t why_len)
{
	const struct btf_header *hdr;
	struct memlens_btf *btf;
	u64 type_end, str_end;
	int ret;

	btf = kzalloc(sizeof(*btf), GFP_KERNEL);
	if (!btf)
		return ERR_PTR(-ENOMEM);
	ret = btf_read_file(path, &btf->data, &btf->size);
	if (ret) {
		snprintf(why, why_len, "cannot read BTF %s: error %d", path, ret);
		goto out_free;
	}
	ret = -EINVAL;
	hdr = btf->data;
	if (btf->size < MEMLENS_BTF_HDR_MIN || hdr->magic != BTF_MAGIC ||
	    hdr->version != BTF_VERSION || hdr->hdr_len < MEMLENS_BTF_HDR_MIN ||
	    hdr->hdr_len > btf->size) {
		snprintf(why, why_len, "%s is not BTF this kernel can read", path);
		goto out_free;
	}
	type_end = (u64)hdr->hdr_len + hdr->type_off + hdr->type_len;
	str_end = (u64)hdr->hdr_len + hdr->str_off + hdr->str_len;
	if (type_end > btf->size || str_end > btf->size || !hdr->str_len ||
	    ((const char *)btf->data)[str_end - 1] != '\0') {
		snprintf(why, why_len, "BTF %s: sections out of bounds", path);
		goto out_free;
	}
	btf->strings = btf->data + hdr->hdr_len + hdr->str_off;
	btf->str_len = hdr->str_len;
	ret = btf_index(btf, btf->data + hdr->hdr_len + hdr->type_off, hdr->type_len);
	if (ret) {
		snprintf(why, why_len, "BTF %s: type section is malformed", path);
		goto out_free;
	}
	return btf;

out_free:
	memlens_btf_free(btf);
	return ERR_PTR(ret);
}

static const char *btf_str(const struct memlens_btf *btf, u32 off)
{
	return off < btf->str_len ? btf->strings + off : "";
}

static const struct btf_type *btf_type(const struct memlens_btf *btf, u32 id)
{
	return id && id < btf->nr_types ? btf->types[id] : NULL;
}

/* Follow typedefs (when @typedefs), qualifiers and type tags. */
static const struct btf_type *btf_skip(const struct memlens_btf *btf,
				       const struct btf_type *t, bool typedefs)
{
	int depth;

	for (depth = 0; t && depth < BTF_MAX_DEPTH; depth++) {
		switch (BTF_INFO_KIND(t->info)) {
		case BTF_KIND_TYPEDEF:
			if (!typedefs)
				return t;
			fallthrough;
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
			t = btf_type(btf, t->type);
			break;
		default:
			return t;
		}
	}
	return NULL;
}

/* Size in bytes of a type, 0 if it has none memlens understands. */
static u64 btf_size(const struct memlens_btf *btf, const struct btf_type *t)
{
	const struct btf_array *a;

	t = btf_skip(btf, t, true);
	if (!t)
		return 0;
	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT:
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return t->size;
	case BTF_KIND_PTR:
		return sizeof(void *);
	case BTF_KIND_ARRAY:
		a = (const struct btf_array *)(t + 1);
		return (u64)a->nelems * btf_size(btf, btf_type(btf, a->type));
	}
	return 0;
}

/**
 * memlens_btf_struct() - find a struct by name
 * @btf: parsed BTF
 * @name: "kmem_cache" for struct kmem_cache
 * @size: out, its size in bytes
 *
 * Return: its type id, -ENOENT, or -EEXIST when two different definitions
 * carry the name.
 */
int memlens_btf_struct(const struct memlens_btf *btf, const char *name, u32 *size)
{
	const struct btf_type *t;
	int found = -ENOENT;
	u32 id;

	for (id = 1; id < btf->nr_types; id++) {
		t = btf->types[id];
		if (BTF_INFO_KIND(t->info) != BTF_KIND_STRUCT ||
		    strcmp(btf_str(btf, t->name_off), name))
			continue;
		if (found > 0 && t->size != *size)
			return -EEXIST;
		found = id;
		*size = t->size;
	}
	return found;
}

/* Describe a member's type the way C spells it, e.g. "struct list_head". */
static void btf_type_name(const struct memlens_btf *btf, const struct btf_type *t,
			  char *buf, size_t len)
{
	const char *prefix = "";

	t = btf_skip(btf, t, false);
	if (!t) {
		strscpy(buf, "?", len);
		return;
	}
	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_PTR:
		strscpy(buf, "pointer", len);
		return;
	case BTF_KIND_ARRAY:
		strscpy(buf, "array", len);
		return;
	case BTF_KIND_STRUCT:
		prefix = "struct ";
		break;
	case BTF_KIND_UNION:
		prefix = "union ";
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		prefix = "enum ";
		break;
	}
	snprintf(buf, len, "%s%s", prefix, btf_str(btf, t->name_off));
}

static int btf_find_member(const struct memlens_btf *btf, const struct btf_type *t,
			   const char *name, u32 base, int depth,
			   struct memlens_btf_member *out)
{
	const struct btf_member *m;
	bool kflag;
	u32 i, vlen;

	if (depth > BTF_MAX_DEPTH)
		return -ELOOP;
	t = btf_skip(btf, t, true);
	if (!t || (BTF_INFO_KIND(t->info) != BTF_KIND_STRUCT &&
		   BTF_INFO_KIND(t->info) != BTF_KIND_UNION))
		return -ENOENT;
	kflag = BTF_INFO_KFLAG(t->info);
	vlen = BTF_INFO_VLEN(t->info);
	m = (const struct btf_member *)(t + 1);
	for (i = 0; i < vlen; i++, m++) {
		u32 off = base + (kflag ? BTF_MEMBER_BIT_OFFSET(m->offset) : m->offset);
		const struct btf_type *mt = btf_type(btf, m->type);

		if (!m->name_off) {
			/* an anonymous struct or union: look inside */
			if (!btf_find_member(btf, mt, name, off, depth + 1, out))
				return 0;
			continue;
		}
		if (strcmp(btf_str(btf, m->name_off), name))
			continue;
		out->bit_offset = off;
		out->bitfield_size = kflag ? BTF_MEMBER_BITFIELD_SIZE(m->offset) : 0;
		out->size = btf_size(btf, mt);
		btf_type_name(btf, mt, out->type_name, sizeof(out->type_name));
		out->nelems = 0;
		out->elem_id = m->type;
		mt = btf_skip(btf, mt, true);
		if (mt && BTF_INFO_KIND(mt->info) == BTF_KIND_ARRAY) {
			out->nelems = ((const struct btf_array *)(mt + 1))->nelems;
			out->elem_id = ((const struct btf_array *)(mt + 1))->type;
		}
		return 0;
	}
	return -ENOENT;
}

/**
 * memlens_btf_member() - find a member of a struct, looking into anonymous
 * structs and unions as C does
 * @btf: parsed BTF
 * @struct_id: from memlens_btf_struct()
 * @name: member name
 * @out: its offset, size and type
 *
 * Return: 0 or -ENOENT.
 */
int memlens_btf_member(const struct memlens_btf *btf, u32 struct_id, const char *name,
		       struct memlens_btf_member *out)
{
	return btf_find_member(btf, btf_type(btf, struct_id), name, 0, 0, out);
}
