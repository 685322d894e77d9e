// SPDX-License-Identifier: GPL-2.0
/*
 * The files view: one row per inode with pages in the page cache, on every
 * superblock, with how much of it is dirty, under writeback and mapped.
 *
 * Superblocks are found per registered filesystem type with the exported
 * iterate_supers_type(); the list of types (file_systems) and its lock are
 * not exported and come, verified, from ksyms.c.  The block devices'
 * inodes and the initramfs rootfs have types nobody registers: they are
 * reached through blockdev_superblock and the root of init (pid 1).
 * A superblock's inodes are walked as fs/drop_caches.c walks them.
 *
 * The file is a snapshot, built whole at open() into a text buffer of at
 * most MEMLENS_FILES_CAP bytes and freed at release(): no inode, superblock
 * or lock is held once open() returns, so a filesystem whose files were
 * read can be unmounted at once, and read() sizes cannot change the rows.
 */
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/hash.h>
#include <linux/kdev_t.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rbtree.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "compat.h"
#include "memlens.h"


/* Where an xarray walk drops RCU to reschedule, as filemap's walks do. */
#define FILES_BATCH		XA_CHECK_SCHED
/* Rows made under a superblock's inode list lock before it is dropped. */
#define FILES_LOCKED_ROWS	64
/* More filesystem types than any kernel registers. */
#define FILES_MAX_TYPES		256
#define FILES_BUF_MIN		(256UL << 10)
#define FILES_MMS_MIN		1024UL
/*
 * VMAs on one file counted whole, each an mm pointer in a list and two
 * slots in a set (24 MiB at most, while one open() runs); a file mapped
 * by more is counted partly.
 */
#define FILES_MMS_MAX		BIT(20)
/* A list of @cap mm's and the set after it */
#define FILES_MMS_SLOTS(cap)	(3 * (cap))
/* dev, ino, seven numbers, separators and the newline */
#define FILES_ROW_NUMBERS	(24 + 21 + 7 * 21 + 16)
/* What a row may write past its end, see files_copy() */
#define FILES_ROW_SLACK		32
/* A directory path, escaped, longer than this is not kept for its files. */
#define FILES_DIR_MAX		1024

/*
 * A row's path: @dir, already escaped, then @name, to be escaped, and
 * followed by MEMLENS_ESCAPE_PAD plain bytes if @padded.
 */
struct files_name {
	const char *dir, *name;
	size_t dir_len, len;
	bool padded;
};

struct files_snap {
	char *buf;		/* the rows */
	size_t len, size;
	bool truncated;
	int err;
	char *path;		/* PATH_MAX of scratch for the path */
	struct mm_struct **mms;	/* scratch for counting the mm's mapping a file: a list, a set */
	size_t mm_cap;
	bool mapped_only;	/* the mapped file: files some process maps */
	/* "dev " and "fstype " of the superblock walked, written once for its rows */
	char sb_dev[FILES_ROW_SLACK], sb_type[4 * 64 + 2];
	size_t sb_dev_len, sb_type_len;
	bool sb_bdev;
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
	/*
	 * The numbers and path of a clean, unmapped row, made here rather
	 * than on the stack, which the kernel zeroes at every call
	 * (INIT_STACK_ALL_ZERO): all numbers are 0 but cached and nlink.
	 */
	u64 clean[MEMLENS_FILES_NR_COLUMNS];
	struct files_name clean_name;
};

/*
 * An inode being freed or not yet set up, which walks pass over, as
 * drop_pagecache_sb() does; its i_lock held.
 */
static inline bool files_inode_skip(struct inode *inode)
{
	return memlens_inode_state(inode) & (I_FREEING | I_WILL_FREE | I_NEW);
}

static bool files_stopped(const struct files_snap *s)
{
	return s->truncated || s->err;
}

#define FILES_MARKER		MEMLENS_FILES_TRUNCATED "\n"
#define FILES_MARKER_LEN	(sizeof(FILES_MARKER) - 1)

/*
 * The size of the last snapshot of each file (files, mapped): the next
 * one starts there, not at FILES_BUF_MIN, and copies its rows once at
 * most instead of at each of a dozen doublings.
 */
static unsigned long files_last_size[2];

/*
 * The buffer of the last snapshot freed, kept up to FILES_SPARE_DELAY for
 * the next one: a new buffer has each of its pages zeroed first
 * (init_on_alloc, on in Debian's kernels), a tenth of a read.
 */
#define FILES_SPARE_DELAY	(2 * HZ)
static DEFINE_SPINLOCK(files_spare_lock);
static char *files_spare;
static size_t files_spare_size;

static void files_spare_drop(struct work_struct *work)
{
	char *buf;

	spin_lock(&files_spare_lock);
	buf = files_spare;
	files_spare = NULL;
	spin_unlock(&files_spare_lock);
	kvfree(buf);
}

static DECLARE_DELAYED_WORK(files_spare_work, files_spare_drop);

/* The spare buffer if it has @size bytes, its size in @got; else NULL. */
static char *files_spare_take(size_t size, size_t *got)
{
	char *buf = NULL;

	spin_lock(&files_spare_lock);
	if (files_spare && files_spare_size >= size) {
		buf = files_spare;
		*got = files_spare_size;
		files_spare = NULL;
	}
	spin_unlock(&files_spare_lock);
	return buf;
}

/* Keep @buf as the spare, or free it if there is one already. */
static void files_spare_give(char *buf, size_t size)
{
	char *old;

	spin_lock(&files_spare_lock);
	old = files_spare;
	files_spare = buf;
	files_spare_size = size;
	spin_unlock(&files_spare_lock);
	kvfree(old);
	/* not pushed back by each close: a buffer is kept at most that long */
	schedule_delayed_work(&files_spare_work, FILES_SPARE_DELAY);
}

/* At unload: no snapshot is open, as each holds a reference on the module. */
void memlens_files_exit(void)
{
	cancel_delayed_work_sync(&files_spare_work);
	kvfree(files_spare);
}

/* Grow the buffer for @need more bytes, up to the cap. */
static bool files_grow(struct files_snap *s, size_t need)
{
	size_t size = max3(2 * s->size, s->len + need, FILES_BUF_MIN);
	char *buf;

	if (!s->size)
		size = max_t(size_t, size, READ_ONCE(files_last_size[s->mapped_only]));

	size = min_t(size_t, size, MEMLENS_FILES_CAP);
	if (!s->size) {
		s->buf = files_spare_take(size, &s->size);
		if (s->buf)
			return true;
	}
	buf = memlens_kvrealloc(s->buf, s->len, size, GFP_KERNEL_ACCOUNT);
	if (!buf) {
		s->err = -ENOMEM;
		return false;
	}
	s->buf = buf;
	s->size = size;
	return true;
}

/*
 * Room for @need more bytes, leaving room within the cap for the
 * truncation marker; false, and the snapshot truncated, if there is none.
 */
static bool files_room(struct files_snap *s, size_t need)
{
	if (s->len + need > MEMLENS_FILES_CAP - FILES_MARKER_LEN) {
		s->truncated = true;
		return false;
	}
	return s->len + need <= s->size || files_grow(s, need);
}

/* The last line of a truncated snapshot: always fits within the cap. */
static void files_mark_truncated(struct files_snap *s)
{
	if (s->len + FILES_MARKER_LEN > s->size && !files_grow(s, FILES_MARKER_LEN))
		return;
	memcpy(s->buf + s->len, FILES_MARKER, FILES_MARKER_LEN);
	s->len += FILES_MARKER_LEN;
}

static void files_puts(struct files_snap *s, const char *str)
{
	size_t n = strlen(str);

	if (files_room(s, n)) {
		memcpy(s->buf + s->len, str, n);
		s->len += n;
	}
}

/* Every FILES_BATCH entries of an xarray walk, leave RCU to reschedule. */
static void files_resched(struct xa_state *xas, unsigned int *batch)
{
	if (++*batch % FILES_BATCH)
		return;
	xas_pause(xas);
	rcu_read_unlock();
	cond_resched();
	rcu_read_lock();
}

/* Pages of @mapping carrying @tag: dirty or under writeback. */
static unsigned long files_tagged(struct address_space *mapping, xa_mark_t tag)
{
	XA_STATE(xas, &mapping->i_pages, 0);
	struct folio *folio, *last = NULL;
	unsigned long nr = 0;
	unsigned int batch = 0;

	if (!mapping_tagged(mapping, tag))
		return 0;
	rcu_read_lock();
	xas_for_each_marked(&xas, folio, ULONG_MAX, tag) {
		if (xas_retry(&xas, folio) || xa_is_value(folio) || folio == last)
			continue;
		last = folio;
		nr += folio_nr_pages(folio);
		files_resched(&xas, &batch);
	}
	rcu_read_unlock();
	return nr;
}

/*
 * Pages of @mapping that are mapped, and their mappings.  Without a
 * reference a folio may be freed under the walk: RCU keeps its memory a
 * struct page, and the count is as exact as the moment allows.
 */
static void files_mapped(struct address_space *mapping, unsigned long *mapped,
			 unsigned long *in_rss)
{
	XA_STATE(xas, &mapping->i_pages, 0);
	struct folio *folio, *last = NULL;
	unsigned int batch = 0;

	rcu_read_lock();
	xas_for_each(&xas, folio, ULONG_MAX) {
		if (xas_retry(&xas, folio) || xa_is_value(folio) || folio == last)
			continue;
		last = folio;
		memlens_folio_maps(folio, mapped, in_rss);
		files_resched(&xas, &batch);
	}
	rcu_read_unlock();
}

/* The mm of every VMA mapping @mapping, into s->mms; false if they did not fit. */
static bool files_collect_mms(struct files_snap *s, struct address_space *mapping, size_t *n)
{
	struct rb_node *rb;
	size_t i = 0;

	/* vma_interval_tree_iter_*() are not exported: walk the tree in order */
	i_mmap_lock_read(mapping);
	for (rb = rb_first_cached(&mapping->i_mmap); rb && i < s->mm_cap; rb = rb_next(rb))
		s->mms[i++] = rb_entry(rb, struct vm_area_struct, shared.rb)->vm_mm;
	i_mmap_unlock_read(mapping);
	*n = i;
	return !rb;
}

/* Grow s->mms (never under i_mmap_rwsem: reclaim may need it); false if it cannot. */
static bool files_grow_mms(struct files_snap *s)
{
	struct mm_struct **mms;

	if (s->mm_cap >= FILES_MMS_MAX)
		return false;
	mms = kvmalloc_array(FILES_MMS_SLOTS(2 * s->mm_cap), sizeof(*mms), GFP_KERNEL_ACCOUNT);
	if (!mms)
		return false;
	kvfree(s->mms);
	s->mms = mms;
	s->mm_cap *= 2;
	return true;
}

/*
 * The distinct mm's among the @n in s->mms, through the open-addressed
 * set after the list, with at least twice @n slots: linear in @n.  At
 * 1,000 processes, sort() was more than half of the mapped file's open.
 */
static unsigned long files_distinct_mms(struct files_snap *s, size_t n)
{
	struct mm_struct **set = s->mms + s->mm_cap;
	unsigned long procs = 0, mask, h;
	unsigned int bits;
	size_t i;

	if (n < 2)
		return n;
	bits = ilog2(n - 1) + 2;	/* 2^bits >= 2n, and <= 2 * mm_cap */
	mask = BIT(bits) - 1;
	memset(set, 0, sizeof(*set) << bits);
	for (i = 0; i < n; i++) {
		for (h = hash_ptr(s->mms[i], bits); set[h] && set[h] != s->mms[i];
		     h = (h + 1) & mask)
			;
		if (!set[h]) {
			set[h] = s->mms[i];
			procs++;
		}
	}
	return procs;
}

/* How many distinct mm's map @mapping: the processes sharing it. */
static unsigned long files_procs(struct files_snap *s, struct address_space *mapping)
{
	size_t n;

	while (!files_collect_mms(s, mapping, &n) && files_grow_mms(s))
		;
	return files_distinct_mms(s, n);
}

/* A name for an inode that has no dentry: a block device's own inode. */
static void files_noname(struct files_snap *s, struct inode *inode, struct files_name *n)
{
	n->dir_len = 0;
	n->padded = false;
	n->name = MEMLENS_FILES_NONAME;
	if (S_ISBLK(inode->i_mode)) {
		snprintf(s->path, PATH_MAX, MEMLENS_FILES_NONAME_PREFIX "block:%u:%u>",
			 MAJOR(inode->i_rdev), MINOR(inode->i_rdev));
		n->name = s->path;
	}
	n->len = strlen(n->name);
}

/* Put the dentry replaced (or, @all, also the one kept): dput() may sleep. */
static void files_dir_put(struct files_snap *s, bool all)
{
	dput(s->dir_old);
	s->dir_old = NULL;
	if (all) {
		dput(s->dir_pin);
		s->dir_pin = NULL;
		s->dir = NULL;
	}
}

/*
 * @d's path from its directory's, kept: its name is read as
 * prepend_name() reads it, and rename_lock says whether anything moved
 * since the directory's path was made.  The caller holds RCU, or a
 * spinlock (an inode's i_lock), which is as good and costs nothing more.
 */
static bool files_dir_hit(struct files_snap *s, struct dentry *d, struct files_name *n)
{
	const unsigned char *name;
	unsigned int len;

	RCU_LOCKDEP_WARN(!rcu_read_lock_any_held(), "a path from a kept directory needs RCU");
	if (!s->dir || READ_ONCE(d->d_parent) != s->dir)
		return false;
	/* the name before its length, as prepend_name() reads them against __d_move() */
	name = smp_load_acquire(&d->d_name.name);
	len = READ_ONCE(d->d_name.len);
	if (!len || len > NAME_MAX)
		return false;
	/* a short name is in the dentry, alive: no fault to fear, whatever len says */
	if (name == d->d_iname && len < DNAME_INLINE_LEN)
		memcpy(s->name + 1, name, len);
	else if (copy_from_kernel_nofault(s->name + 1, name, len))
		return false;
	if (read_seqretry(&rename_lock, s->dir_seq))
		return false;
	s->name[0] = '/';
	memset(s->name + 1 + len, 'x', MEMLENS_ESCAPE_PAD);
	n->dir = s->dir_path;
	n->dir_len = s->dir_len;
	n->name = s->name;
	n->len = len + 1;
	n->padded = true;
	return true;
}

/*
 * Keep the directory part of @p, @d's whole path made under rename_lock's
 * @seq, for the next files.  A reference on @d, not on its directory,
 * keeps the directory: dget() is what d_find_alias() takes under i_lock,
 * and while nothing is renamed, @d stays in it.  (A pointer alone could
 * be a new directory's by then.)  Under spinlocks, the reference replaced
 * waits for files_dir_put().  @n becomes that part and the rest.
 */
static void files_dir_keep(struct files_snap *s, struct dentry *d, const char *p,
			   size_t len, unsigned int seq, struct files_name *n)
{
	struct dentry *dir;
	size_t k = len;

	while (k && p[--k] != '/')
		;
	if (s->dir_old || IS_ROOT(d) || p[k] != '/' || 4 * k + 4 > FILES_DIR_MAX)
		return;
	dir = READ_ONCE(d->d_parent);
	s->dir_old = s->dir_pin;
	s->dir_pin = dget(d);
	s->dir = NULL;
	if (read_seqretry(&rename_lock, seq))	/* moved since: keep nothing */
		return;
	s->dir = dir;
	s->dir_seq = seq;
	s->dir_len = k ? memlens_escape(s->dir_path, p, k) - s->dir_path : 0;
	n->dir = s->dir_path;
	n->dir_len = s->dir_len;
	n->name = p + k;
	n->len = len - k;
}

/*
 * The path of @d, an alias of @inode, within its filesystem.  A pseudo
 * file (a memfd, SysV shm, shared anonymous memory) is a root of its own,
 * whose path would be "/": its name says more.
 */
static void files_dentry_path(struct files_snap *s, struct inode *inode,
			      struct dentry *d, struct files_name *n)
{
	unsigned int seq;
	const char *p;

	n->dir_len = 0;
	n->padded = false;
	n->name = s->path;
	if (IS_ROOT(d) && d != inode->i_sb->s_root) {
		spin_lock(&d->d_lock);
		strscpy(s->path, d->d_name.name, PATH_MAX);
		spin_unlock(&d->d_lock);
		n->len = strlen(s->path);
	} else if (!files_dir_hit(s, d, n)) {
		seq = read_seqbegin(&rename_lock);
		/* the path ends at the buffer's end, so its length needs no strlen() */
		p = dentry_path_raw(d, s->path, PATH_MAX);
		n->len = IS_ERR(p) ? 0 : s->path + PATH_MAX - 1 - p;
		if (n->len) {
			n->name = p;
			files_dir_keep(s, d, p, n->len, seq, n);
		}
	}
	if (!n->len) {
		n->name = MEMLENS_FILES_NONAME;
		n->len = strlen(MEMLENS_FILES_NONAME);
	}
}

/*
 * The inode's path, a reference on it held.  A deleted file still has its
 * unhashed dentry, which d_find_alias() passes over.
 */
static void files_path(struct files_snap *s, struct inode *inode, struct files_name *n)
{
	struct dentry *d;

	/* from 6.9 an opened block device has a pseudo dentry named "" */
	if (s->sb_bdev)
		return files_noname(s, inode, n);
	d = d_find_alias(inode);
	if (!d)
		d = d_find_any_alias(inode);
	if (!d)
		return files_noname(s, inode, n);
	rcu_read_lock();	/* for files_dir_hit() */
	files_dentry_path(s, inode, d, n);
	rcu_read_unlock();
	dput(d);
}

/*
 * The same without a reference on the dentry (dput() may sleep), under
 * the inode's i_lock, which keeps its aliases on its list and so alive:
 * the first hashed alias, as __d_find_alias() takes, else any.  The lock
 * order is the kernel's own: i_lock, then d_lock, or rename_lock's
 * seqcount in dentry_path_raw(), as d_splice_alias() takes them.
 */
static void files_path_locked(struct files_snap *s, struct inode *inode, struct files_name *n)
{
	struct dentry *d, *any = NULL;

	lockdep_assert_held(&inode->i_lock);
	if (s->sb_bdev)
		return files_noname(s, inode, n);
	for_each_alias(d, inode) {
		if (!d_unhashed(d))
			break;
		any = any ?: d;
	}
	d = d ?: any;
	if (d)
		files_dentry_path(s, inode, d, n);
	else
		files_noname(s, inode, n);
}

/*
 * The first columns of every row of @sb, dev and fstype, made once for
 * them all: most rows differ only in their inode number, sizes and path.
 */
static void files_sb_columns(struct files_snap *s, struct super_block *sb)
{
	const char *fstype = sb->s_type->name;
	char *p = s->sb_dev;

	p = memlens_u64(p, MAJOR(sb->s_dev));
	*p++ = ':';
	p = memlens_u64(p, MINOR(sb->s_dev));
	*p++ = ' ';
	s->sb_dev_len = p - s->sb_dev;
	s->sb_bdev = IS_ENABLED(CONFIG_BLOCK) && sb == blockdev_superblock;
	p = memlens_escape(s->sb_type, fstype, min(strlen(fstype), (sizeof(s->sb_type) - 2) / 4));
	*p++ = ' ';
	s->sb_type_len = p - s->sb_type;
}

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

/*
 * The row, its path escaped.  Without @may_sleep the buffer cannot grow:
 * false if the row does not fit as it is.
 */
static bool files_row(struct files_snap *s, struct inode *inode, const u64 *val,
		      const struct files_name *n, bool may_sleep)
{
	size_t need = FILES_ROW_NUMBERS + FILES_ROW_SLACK + s->sb_type_len + n->dir_len +
		      4 * n->len + 8;
	char *p;
	int i;

	BUILD_BUG_ON(MEMLENS_FILES_PROCS - MEMLENS_FILES_DIRTY != 4);
	if (!may_sleep && s->len + need > s->size)
		return false;
	if (!files_room(s, need))
		return true;
	p = s->buf + s->len;
	p = files_copy(p, s->sb_dev, s->sb_dev_len);
	p = memlens_u64(p, inode->i_ino);
	*p++ = ' ';
	p = files_copy(p, s->sb_type, s->sb_type_len);
	p = memlens_u64(p, val[MEMLENS_FILES_CACHED]);
	*p++ = ' ';
	/* most files are neither dirty nor mapped: five zeros at once */
	if (!(val[MEMLENS_FILES_DIRTY] | val[MEMLENS_FILES_WRITEBACK] |
	      val[MEMLENS_FILES_MAPPED] | val[MEMLENS_FILES_IN_RSS] | val[MEMLENS_FILES_PROCS])) {
		p = memcpy(p, "0 0 0 0 0 ", 10) + 10;
	} else {
		for (i = MEMLENS_FILES_DIRTY; i <= MEMLENS_FILES_PROCS; i++) {
			p = memlens_u64(p, val[i]);
			*p++ = ' ';
		}
	}
	p = memlens_u64(p, val[MEMLENS_FILES_NLINK]);
	*p++ = ' ';
	if (n->dir_len)
		p = files_copy(p, n->dir, n->dir_len);
	if (n->padded)
		p = memlens_escape_padded(p, n->name, n->len);
	else
		p = memlens_escape(p, n->name, n->len);
	*p++ = '\n';
	s->len = p - s->buf;
	return true;
}

/* One inode's row.  A reference on the inode is held, no lock. */
static void files_inode(struct files_snap *s, struct inode *inode)
{
	struct address_space *mapping = &inode->i_data;
	unsigned long cached = READ_ONCE(mapping->nrpages);
	unsigned long mapped = 0, in_rss = 0;
	u64 val[MEMLENS_FILES_NR_COLUMNS] = { 0 };
	struct files_name n;

	/* evicted since the walk saw it, or taken only to reschedule */
	if (!cached || (s->mapped_only && !mapping_mapped(mapping)))
		return;
	val[MEMLENS_FILES_CACHED] = MEMLENS_PAGES_TO_KB(cached);
	val[MEMLENS_FILES_DIRTY] =
		MEMLENS_PAGES_TO_KB(min(files_tagged(mapping, PAGECACHE_TAG_DIRTY), cached));
	val[MEMLENS_FILES_WRITEBACK] =
		MEMLENS_PAGES_TO_KB(min(files_tagged(mapping, PAGECACHE_TAG_WRITEBACK), cached));
	if (mapping_mapped(mapping)) {
		files_mapped(mapping, &mapped, &in_rss);
		val[MEMLENS_FILES_MAPPED] = MEMLENS_PAGES_TO_KB(min(mapped, cached));
		val[MEMLENS_FILES_IN_RSS] = MEMLENS_PAGES_TO_KB(in_rss);
		val[MEMLENS_FILES_PROCS] = files_procs(s, mapping);
	}
	val[MEMLENS_FILES_NLINK] = READ_ONCE(inode->i_nlink);
	files_path(s, inode, &n);
	files_row(s, inode, val, &n, true);
}

/*
 * The row of an inode no process maps, with no dirty or writeback page,
 * made without a reference: s_inode_list_lock, held, keeps the inode, as
 * evict() takes it off the list before it frees anything, and its i_lock
 * keeps its dentries.  This is a third of a row's cost less than taking
 * a reference, dropping the list lock and iput(), which may sleep.  Its
 * counts are constant time; the rest needs the way with a reference:
 * false then, and also when the buffer would have to grow.
 */
static bool files_inode_locked(struct files_snap *s, struct inode *inode)
{
	struct address_space *mapping = &inode->i_data;
	struct files_name *n = &s->clean_name;
	u64 *val = s->clean;
	unsigned long cached;
	bool done = true;

	spin_lock(&inode->i_lock);
	cached = READ_ONCE(mapping->nrpages);
	if (files_inode_skip(inode) || !cached)
		goto out;
	/*
	 * The inode says whether it may have dirty pages or pages under
	 * writeback (mapping_tagged() would read another cache line): set
	 * with the tags, cleared after them, by __mark_inode_dirty() and
	 * sb_mark_inode_writeback(), and their clearing in fs-writeback.c.
	 */
	if (mapping_mapped(mapping) || (memlens_inode_state(inode) & I_DIRTY_PAGES) ||
	    !list_empty(&inode->i_wb_list)) {
		done = false;
		goto out;
	}
	val[MEMLENS_FILES_CACHED] = MEMLENS_PAGES_TO_KB(cached);
	val[MEMLENS_FILES_NLINK] = READ_ONCE(inode->i_nlink);
	files_path_locked(s, inode, n);
	done = files_row(s, inode, val, n, false);
out:
	spin_unlock(&inode->i_lock);
	return done;
}

/*
 * A reference on @inode if it has pages (and, for the mapped file, some
 * process maps it), or if the walk must reschedule (as drop_pagecache_sb()
 * does, so that a superblock of a million inodes without pages does not
 * hold s_inode_list_lock throughout).
 */
static bool files_grab(struct inode *inode, bool wanted)
{
	spin_lock(&inode->i_lock);
	if (files_inode_skip(inode) || (!wanted && !need_resched())) {
		spin_unlock(&inode->i_lock);
		return false;
	}
	__iget(inode);
	spin_unlock(&inode->i_lock);
	return true;
}

/*
 * Load the lines of the next inode that its row reads before this row is
 * made: their cache misses then overlap this row's work, not follow one
 * another down the list.  The list lock, held, keeps the next inode too.
 * Loads, not prefetch(), which some CPUs and emulators ignore; 18% off a
 * read of 100,000 clean files in the bench's VM.
 */
static __always_inline void files_touch_next(struct super_block *sb, struct inode *inode)
{
	struct inode *next;

	if (list_is_last(&inode->i_sb_list, &sb->s_inodes))
		return;
	next = list_next_entry(inode, i_sb_list);
	(void)READ_ONCE(next->i_ino);
	(void)memlens_inode_state_once(next);
	(void)READ_ONCE(next->i_sb_list.next);
	(void)READ_ONCE(next->i_data.i_mmap.rb_root.rb_node);
	(void)READ_ONCE(next->i_data.nrpages);
}

/*
 * Every inode of @sb, s_umount held by iterate_supers_type().  Most rows
 * are made with the list lock held (files_inode_locked()), which is
 * dropped every FILES_LOCKED_ROWS of them, or when the scheduler asks.
 * Otherwise the inode shown keeps its place in the list until the next
 * one is found, and is put only once the list lock is dropped: iput() may
 * sleep.
 */
static void files_sb(struct super_block *sb, void *arg)
{
	struct files_snap *s = arg;
	struct inode *inode, *prev = NULL;
	unsigned int rows = 0;
	bool wanted;

	files_sb_columns(s, sb);
	spin_lock(&sb->s_inode_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list) {
		if (files_stopped(s))
			break;
		/* the inode is alive while the list lock is held */
		wanted = READ_ONCE(inode->i_data.nrpages) &&
			 (!s->mapped_only || mapping_mapped(&inode->i_data));
		if (!wanted && !need_resched())
			continue;
		files_touch_next(sb, inode);
		if (wanted && !s->mapped_only && ++rows % FILES_LOCKED_ROWS &&
		    !need_resched() && files_inode_locked(s, inode))
			continue;
		if (!files_grab(inode, wanted))
			continue;
		spin_unlock(&sb->s_inode_list_lock);
		files_inode(s, inode);
		files_dir_put(s, false);
		iput(prev);
		prev = inode;
		cond_resched();
		spin_lock(&sb->s_inode_list_lock);
	}
	spin_unlock(&sb->s_inode_list_lock);
	files_dir_put(s, true);
	iput(prev);
}

/*
 * The registered filesystem types, each with a reference on its module
 * so that it stays registered.
 */
static int files_types(struct file_system_type **types)
{
	const char *why = NULL;
	void *head, *lock;

	head = memlens_ksym(MEMLENS_KSYM_FILE_SYSTEMS, &why);
	lock = memlens_ksym(MEMLENS_KSYM_FILE_SYSTEMS_LOCK, &why);
	if (why)
		return 0;
	return memlens_fs_types(head, lock, types, FILES_MAX_TYPES);
}

/* Walk @sb if its type is none of @types; s_umount as iterate_supers_type() takes it. */
static void files_unregistered_sb(struct files_snap *s, struct super_block *sb,
				  struct file_system_type **types, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (types[i] == sb->s_type)
			return;
	down_read(&sb->s_umount);
	files_sb(sb, s);
	up_read(&sb->s_umount);
}

/* The root of init, pid 1 of the initial pid namespace; false if it has none. */
static bool files_init_root(struct path *root)
{
	struct task_struct *init;
	bool found = false;

	rcu_read_lock();
	init = pid_task(find_pid_ns(1, &init_pid_ns), PIDTYPE_PID);
	if (init) {
		/* the task lock keeps ->fs, as for /proc/PID/root */
		task_lock(init);
		if (init->fs) {
			get_fs_root(init->fs, root);
			found = true;
		}
		task_unlock(init);
	}
	rcu_read_unlock();
	return found;
}

/*
 * Two superblocks have types nobody registers.  The block devices' own
 * inodes, whose pages are Buffers, are on the exported (and never
 * unmounted) blockdev_superblock.  The initramfs rootfs is init's root
 * while init runs from it, as in the test VMs (rootfs_fs_type is not even
 * in kallsyms on 6.12, and on 7.3 init_task's root is a private nullfs,
 * not rootfs).  After a switch_root init's root is the real root, already
 * walked, and the emptied rootfs has no pages left to show.  The mount
 * held keeps the superblock alive while it is walked.
 */
static void files_unregistered(struct files_snap *s, struct file_system_type **types, int n)
{
	struct path root;

	if (IS_ENABLED(CONFIG_BLOCK) && blockdev_superblock)
		files_unregistered_sb(s, blockdev_superblock, types, n);
	if (files_stopped(s) || !files_init_root(&root))
		return;
	files_unregistered_sb(s, root.mnt->mnt_sb, types, n);
	path_put(&root);
}

static int files_snapshot(struct files_snap *s)
{
	static const struct memlens_column cols[] = {
		MEMLENS_FILES_COLUMNS(MEMLENS_COLUMN)
	};
	struct file_system_type **types;
	int i, n;

	types = kmalloc_array(FILES_MAX_TYPES, sizeof(*types), GFP_KERNEL);
	if (!types)
		return -ENOMEM;
	for (i = 0; i < MEMLENS_FILES_NR_COLUMNS; i++) {
		files_puts(s, cols[i].name);
		files_puts(s, i + 1 < MEMLENS_FILES_NR_COLUMNS ? " " : "\n");
	}
	n = files_types(types);
	for (i = 0; i < n; i++)
		if (!files_stopped(s))
			iterate_supers_type(types[i], files_sb, s);
	if (!files_stopped(s))
		files_unregistered(s, types, n);
	for (i = 0; i < n; i++)
		module_put(types[i]->owner);
	kfree(types);
	if (s->truncated)
		files_mark_truncated(s);
	/* an eighth more: the next snapshot may have a few more rows */
	WRITE_ONCE(files_last_size[s->mapped_only], s->len + s->len / 8);
	return s->err;
}

static const char *files_status(const char **missing)
{
	const char *why = NULL;

	memlens_ksym(MEMLENS_KSYM_FILE_SYSTEMS, &why);
	memlens_ksym(MEMLENS_KSYM_FILE_SYSTEMS_LOCK, &why);
	return why;
}

static void files_free(struct files_snap *s)
{
	if (s->buf)
		files_spare_give(s->buf, s->size);
	kfree(s);
}

static int files_open_snap(struct file *file, bool mapped_only)
{
	const char *missing = NULL, *why;
	struct files_snap *s;
	int ret = -ENOMEM;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->mapped_only = mapped_only;
	why = files_status(&missing);
	if (why) {
		/* one line saying why, as the slab view says it */
		files_puts(s, MEMLENS_STATUS_UNSUPPORTED ": ");
		files_puts(s, why);
		files_puts(s, "\n");
		ret = s->err;
		goto out;
	}
	s->path = kmalloc(PATH_MAX, GFP_KERNEL);
	s->mms = kvmalloc_array(FILES_MMS_SLOTS(FILES_MMS_MIN), sizeof(*s->mms), GFP_KERNEL);
	s->mm_cap = FILES_MMS_MIN;
	if (s->path && s->mms)
		ret = files_snapshot(s);
	kfree(s->path);
	kvfree(s->mms);
out:
	if (ret) {
		files_free(s);
		return ret;
	}
	file->private_data = s;
	return 0;
}

static int files_open(struct inode *inode, struct file *file)
{
	return files_open_snap(file, false);
}

static int mapped_open(struct inode *inode, struct file *file)
{
	return files_open_snap(file, true);
}

static ssize_t files_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	struct files_snap *s = file->private_data;

	return simple_read_from_buffer(buf, count, ppos, s->buf, s->len);
}

static int files_release(struct inode *inode, struct file *file)
{
	files_free(file->private_data);
	return 0;
}

static const struct file_operations files_fops = {
	.owner = THIS_MODULE,
	.open = files_open,
	.read = files_read,
	.llseek = default_llseek,
	.release = files_release,
};

const struct memlens_view memlens_files_view = {
	.name = MEMLENS_FILE_FILES,
	.fops = &files_fops,
	.status = files_status,
};

/*
 * The files some process maps, as rows of the files view: what memlens
 * shared shows, at a cost that follows the mapped files, not the page
 * cache (the other inodes are passed over without a reference).
 */
static const struct file_operations mapped_fops = {
	.owner = THIS_MODULE,
	.open = mapped_open,
	.read = files_read,
	.llseek = default_llseek,
	.release = files_release,
};

const struct memlens_view memlens_mapped_view = {
	.name = MEMLENS_FILE_MAPPED,
	.fops = &mapped_fops,
	.status = files_status,
};
