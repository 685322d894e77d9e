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
#include <linux/log2.h>
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

/*
 * files_snap.c: the text of one snapshot.  Its rows stay within the cap,
 * files_cap_kb (MEMLENS_FILES_CAP by default): when the next would not
 * fit, the rows of the smallest sizes are cut, and rows under the new
 * least size are left out from then on, so that every row listed is at
 * least as large as every row cut.
 * Sizes are bucketed, FILES_BUCKETS of them, for the cut to find its size.
 */
#define FILES_BUCKETS		256

struct files_buf {
	char *buf;
	size_t len, size;
	size_t cap;			/* the most bytes of rows */
	size_t head;			/* the header line's length: never cut */
	unsigned long *last_size;	/* the last snapshot's size, where to start */
	u64 min_kb;			/* rows of less are left out */
	u64 below;			/* rows left out */
	size_t bytes[FILES_BUCKETS];	/* bytes of the rows kept, by size */
	int err;
};

size_t files_buf_cap(void);
bool files_buf_grow(struct files_buf *b, size_t need);
bool files_buf_cut(struct files_buf *b, size_t need);
void files_buf_write(struct files_buf *b, const char *str, size_t len);
void files_buf_puts(struct files_buf *b, const char *str);
void files_buf_end(struct files_buf *b);
void files_buf_free(struct files_buf *b);

/* The bucket of a row's size: each size up to 15 kB, then four per power of two. */
static inline unsigned int files_bucket(u64 kb)
{
	unsigned int lg;

	if (kb < 16)
		return kb;
	lg = ilog2(kb);
	return 16 + (lg - 4) * 4 + ((kb >> (lg - 2)) & 3);
}

/* Whether a row of @kb is listed, or left out as the cuts so far say. */
static inline bool files_buf_keeps(const struct files_buf *b, u64 kb)
{
	return kb >= b->min_kb;
}

/*
 * Room for a row of @need more bytes within the cap.  Without @may_sleep
 * only as the buffer is (false if not); else grown or cut (false if
 * memory ran out).
 */
static inline bool files_buf_room(struct files_buf *b, size_t need, bool may_sleep)
{
	if (b->len + need <= b->size && b->len + need <= b->cap)
		return true;
	if (!may_sleep)
		return false;
	if (b->len + need > b->cap && !files_buf_cut(b, need))
		return false;
	return b->len + need <= b->size || files_buf_grow(b, need);
}

/* A row of @kb, of @len bytes, was written. */
static inline void files_buf_added(struct files_buf *b, u64 kb, size_t len)
{
	b->bytes[files_bucket(kb)] += len;
}

/* The first fields of every row of a superblock, made once for them all. */
struct files_sb {
	char dev[FILES_ROW_SLACK];	/* "MAJOR:MINOR " */
	char type[4 * 64 + 2];		/* the type's name, escaped, and " " */
	size_t dev_len, type_len;
	bool bdev;			/* blockdev_superblock */
};

/* files_dirs.c: the files' sums per directory, for the dirs view */
struct files_dirs;
struct files_name;

struct files_dirs *files_dirs_new(void);
void files_dirs_free(struct files_dirs *d);
bool files_dirs_add(struct files_dirs *d, const u64 *val, const struct files_name *n,
		    bool may_sleep);
void files_dirs_flush(struct files_dirs *d, struct files_buf *out, const struct files_sb *sb);

/* files_mms.c: room to count the mm's that map a file */
struct files_mms {
	struct mm_struct **mms;	/* a list of @cap mm's, then a set of 2 * @cap slots */
	size_t cap;
};

int files_mms_init(struct files_mms *m);
void files_mms_free(struct files_mms *m);
unsigned long files_mms_procs(struct files_mms *m, struct address_space *mapping);

/* files_memcg.c: a file's page cache by the memcg it is charged to */
struct files_memcg_use {
	u64 id;				/* the memcg's cgroup id, 0: none */
	unsigned long pages, dirty, writeback;
};

struct files_memcgs {
	struct files_memcg_use *use;
	int n, cap;
};

int files_memcgs_init(struct files_memcgs *m);
void files_memcgs_free(struct files_memcgs *m);
int files_memcgs_count(struct files_memcgs *m, struct address_space *mapping);

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
