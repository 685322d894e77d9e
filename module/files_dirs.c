// SPDX-License-Identifier: GPL-2.0
/*
 * The dirs view's sums: the files of one superblock added up per
 * directory, each directory known by its escaped path, which is also its
 * row's path.  One entry per directory with cached files directly in it:
 * the memory follows the directories, not the files.  The entries are
 * written as rows, and freed, at the end of each superblock.
 */
#include <linux/jhash.h>
#include <linux/limits.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "compat.h"
#include "files.h"

#define FILES_DIRS_BITS		8	/* the first table's, grown 4 times over */

struct files_dir {
	struct hlist_node node;
	u64 val[MEMLENS_DIRS_NR_COLUMNS];	/* files to mapped */
	u32 hash;
	u32 len;
	char path[];				/* escaped, len bytes */
};

struct files_dirs {
	struct hlist_head *heads;
	unsigned int bits;
	unsigned long nr;
	/* the directory of the last file: a directory's files follow each other */
	struct files_dir *last;
	char path[4 * PATH_MAX];		/* a directory's path, escaped */
};

struct files_dirs *files_dirs_new(void)
{
	struct files_dirs *d = kvzalloc(sizeof(*d), GFP_KERNEL);

	if (!d)
		return NULL;
	d->bits = FILES_DIRS_BITS;
	d->heads = kvcalloc(1U << d->bits, sizeof(*d->heads), GFP_KERNEL);
	if (!d->heads) {
		kvfree(d);
		return NULL;
	}
	return d;
}

/* Free every entry, for the next superblock. */
static void files_dirs_empty(struct files_dirs *d)
{
	struct files_dir *e;
	struct hlist_node *tmp;
	unsigned int i;

	for (i = 0; i < 1U << d->bits; i++)
		hlist_for_each_entry_safe(e, tmp, &d->heads[i], node)
			kfree(e);
	memset(d->heads, 0, sizeof(*d->heads) << d->bits);
	d->nr = 0;
	d->last = NULL;
}

void files_dirs_free(struct files_dirs *d)
{
	if (!d)
		return;
	files_dirs_empty(d);
	kvfree(d->heads);
	kvfree(d);
}

/*
 * The directory of @n, escaped, and its length: the kept directory's path
 * when the name is only "/NAME", else the name up to its last '/' ("/" for
 * the root); MEMLENS_DIRS_NODIR for a name without '/', a pseudo file's.
 */
static const char *files_dir_of(struct files_dirs *d, const struct files_name *n, size_t *len)
{
	size_t k = n->len;

	if (n->dir_len) {
		*len = n->dir_len;
		return n->dir;
	}
	while (k && n->name[k - 1] != '/')
		k--;
	if (!k) {
		*len = strlen(MEMLENS_DIRS_NODIR);
		return MEMLENS_DIRS_NODIR;
	}
	if (k == 1) {
		*len = 1;
		return "/";
	}
	*len = memlens_escape(d->path, n->name, k - 1) - d->path;
	return d->path;
}

static struct files_dir *files_dir_find(struct files_dirs *d, const char *path, size_t len,
					u32 hash)
{
	struct files_dir *e;

	hlist_for_each_entry(e, &d->heads[hash_32(hash, d->bits)], node)
		if (e->hash == hash && e->len == len && !memcmp(e->path, path, len))
			return e;
	return NULL;
}

/* Four times the buckets once there are twice as many entries; as it was if memory is short. */
static void files_dirs_grow(struct files_dirs *d)
{
	unsigned int i, bits = d->bits + 2;
	struct hlist_head *heads;
	struct hlist_node *tmp;
	struct files_dir *e;

	if (d->nr < 2UL << d->bits || bits > 24)
		return;
	heads = kvcalloc(1U << bits, sizeof(*heads), GFP_KERNEL);
	if (!heads)
		return;
	for (i = 0; i < 1U << d->bits; i++)
		hlist_for_each_entry_safe(e, tmp, &d->heads[i], node)
			hlist_add_head(&e->node, &heads[hash_32(e->hash, bits)]);
	kvfree(d->heads);
	d->heads = heads;
	d->bits = bits;
}

static struct files_dir *files_dir_new(struct files_dirs *d, const char *path, size_t len,
				       u32 hash)
{
	struct files_dir *e = kzalloc(struct_size(e, path, len), GFP_KERNEL_ACCOUNT);

	if (!e)
		return NULL;
	e->hash = hash;
	e->len = len;
	memcpy(e->path, path, len);
	files_dirs_grow(d);
	hlist_add_head(&e->node, &d->heads[hash_32(hash, d->bits)]);
	d->nr++;
	return e;
}

/*
 * Add a file's row @val to its directory's sums.  A directory seen for
 * the first time needs memory: false without @may_sleep, and, memory
 * short, the file is left out of the directories (but not of the totals).
 */
bool files_dirs_add(struct files_dirs *d, const u64 *val, const struct files_name *n,
		    bool may_sleep)
{
	struct files_dir *e = d->last;
	const char *path;
	size_t len;
	u32 hash;

	path = files_dir_of(d, n, &len);
	if (!e || e->len != len || memcmp(e->path, path, len)) {
		hash = jhash(path, len, 0);
		e = files_dir_find(d, path, len, hash);
		if (!e && !may_sleep)
			return false;
		e = e ?: files_dir_new(d, path, len, hash);
		if (!e)
			return true;
		d->last = e;
	}
	e->val[MEMLENS_DIRS_FILES]++;
	e->val[MEMLENS_DIRS_CACHED] += val[MEMLENS_FILES_CACHED];
	e->val[MEMLENS_DIRS_DIRTY] += val[MEMLENS_FILES_DIRTY];
	e->val[MEMLENS_DIRS_WRITEBACK] += val[MEMLENS_FILES_WRITEBACK];
	e->val[MEMLENS_DIRS_MAPPED] += val[MEMLENS_FILES_MAPPED];
	return true;
}

/* @e's row, unless the rows' cuts leave it out. */
static void files_dir_row(struct files_buf *out, const struct files_sb *sb,
			  const struct files_dir *e)
{
	size_t need = sb->dev_len + sb->type_len + 5 * 21 + e->len + 8;
	char *p, *row;
	int i;

	if (!files_buf_room(out, need, true))
		return;
	if (!files_buf_keeps(out, e->val[MEMLENS_DIRS_CACHED])) {
		out->below++;
		return;
	}
	row = out->buf + out->len;
	p = memcpy(row, sb->dev, sb->dev_len) + sb->dev_len;
	p = memcpy(p, sb->type, sb->type_len) + sb->type_len;
	for (i = MEMLENS_DIRS_FILES; i <= MEMLENS_DIRS_MAPPED; i++) {
		p = memlens_u64(p, e->val[i]);
		*p++ = ' ';
	}
	p = memcpy(p, e->path, e->len) + e->len;
	*p++ = '\n';
	out->len = p - out->buf;
	files_buf_added(out, e->val[MEMLENS_DIRS_CACHED], p - row);
}

/* The rows of the superblock's directories, in no particular order; then none are left. */
void files_dirs_flush(struct files_dirs *d, struct files_buf *out, const struct files_sb *sb)
{
	struct files_dir *e;
	unsigned int i;

	BUILD_BUG_ON(MEMLENS_DIRS_FILES != 2 || MEMLENS_DIRS_PATH != MEMLENS_DIRS_MAPPED + 1);
	for (i = 0; i < 1U << d->bits && !out->err; i++) {
		hlist_for_each_entry(e, &d->heads[i], node)
			files_dir_row(out, sb, e);
		cond_resched();
	}
	files_dirs_empty(d);
}
