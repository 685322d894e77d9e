/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parts of the files view, shared between files.c (the superblock and
 * inode walk, the rows, the two debugfs files), files_snap.c (the snapshot
 * buffer), files_path.c (a row's path) and files_mms.c (the processes that
 * map a file).  Helpers on a row's hot path are inline here.
 */
#ifndef _MEMLENS_FILES_H
#define _MEMLENS_FILES_H

#include <linux/limits.h>
#include <linux/string.h>
#include <linux/types.h>
#include <uapi/memlens.h>

#include "memlens.h"

struct address_space;
struct dentry;
struct inode;
struct mm_struct;

/* What a row may write past its end, see files_copy() */
#define FILES_ROW_SLACK		32
/* A directory path, escaped, longer than this is not kept for its files. */
#define FILES_DIR_MAX		1024

/* files_snap.c: the text of one snapshot, at most MEMLENS_FILES_CAP bytes */
struct files_buf {
	char *buf;
	size_t len, size;
	unsigned long *last_size;	/* the last snapshot's size, where to start */
	bool truncated;			/* a row did not fit under the cap */
	int err;
};

#define FILES_MARKER		MEMLENS_FILES_TRUNCATED "\n"
#define FILES_MARKER_LEN	(sizeof(FILES_MARKER) - 1)

bool files_buf_grow(struct files_buf *b, size_t need);
void files_buf_puts(struct files_buf *b, const char *str);
void files_buf_end(struct files_buf *b);
void files_buf_free(struct files_buf *b);

/* No more rows: one did not fit, or memory ran out. */
static inline bool files_buf_stopped(const struct files_buf *b)
{
	return b->truncated || b->err;
}

/*
 * Room for @need more bytes, leaving room within the cap for the
 * truncation marker; false, and the snapshot truncated, if there is none.
 */
static inline bool files_buf_room(struct files_buf *b, size_t need)
{
	if (b->len + need > MEMLENS_FILES_CAP - FILES_MARKER_LEN) {
		b->truncated = true;
		return false;
	}
	return b->len + need <= b->size || files_buf_grow(b, need);
}

/* files_mms.c: room to count the mm's that map a file */
struct files_mms {
	struct mm_struct **mms;	/* a list of @cap mm's, then a set of 2 * @cap slots */
	size_t cap;
};

int files_mms_init(struct files_mms *m);
void files_mms_free(struct files_mms *m);
unsigned long files_mms_procs(struct files_mms *m, struct address_space *mapping);

/* files_path.c: a row's path */

/*
 * A row's path: @dir, already escaped, then @name, to be escaped, and
 * followed by MEMLENS_ESCAPE_PAD plain bytes if @padded.
 */
struct files_name {
	const char *dir, *name;
	size_t dir_len, len;
	bool padded;
};

struct files_paths {
	char *path;		/* PATH_MAX of scratch for the path */
	/*
	 * The directory of the last path made, for its other files: most
	 * files of a directory follow each other on the inode list.
	 */
	struct dentry *dir;		/* no reference: dir_pin keeps it */
	struct dentry *dir_pin;		/* a file of dir, a reference held */
	struct dentry *dir_old;		/* dir_pin replaced under a spinlock */
	unsigned int dir_seq;		/* rename_lock's when dir's path was made */
	size_t dir_len;
	char dir_path[FILES_DIR_MAX];	/* escaped */
	char name[NAME_MAX + 2 + MEMLENS_ESCAPE_PAD];	/* "/", a file's name, plain bytes */
};

int files_paths_init(struct files_paths *fp);
void files_paths_free(struct files_paths *fp);
void files_path(struct files_paths *fp, struct inode *inode, bool bdev, struct files_name *n);
void files_dir_put(struct files_paths *fp, bool all);

/*
 * @len bytes of @src at @p; the end.  Most fields copied are short: a copy
 * of FILES_ROW_SLACK bytes, a constant size, is a few moves, not a call.
 * Both buffers must have that many bytes.
 */
static __always_inline char *files_copy(char *p, const char *src, size_t len)
{
	if (len <= FILES_ROW_SLACK)
		memcpy(p, src, FILES_ROW_SLACK);
	else
		memcpy(p, src, len);
	return p + len;
}

/* @n at @p: its directory as it is, its name escaped; the end. */
static __always_inline char *files_put_name(char *p, const struct files_name *n)
{
	if (n->dir_len)
		p = files_copy(p, n->dir, n->dir_len);
	if (n->padded)
		return memlens_escape_padded(p, n->name, n->len);
	return memlens_escape(p, n->name, n->len);
}

#endif /* _MEMLENS_FILES_H */
