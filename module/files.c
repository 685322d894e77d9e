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
 * The file is a snapshot, built whole at open() into a text buffer whose
 * rows stay within a cap (files_cap_kb), cut by size beyond
 * (files_snap.c), and freed at release(): no inode, superblock or lock is
 * held once open() returns, so a filesystem whose files were read can be
 * unmounted at once, and read() sizes cannot change the rows.  Every inode
 * with cache counts in its superblock's total row, listed or not.  A
 * row's path is made in files_path.c, its procs column in files_mms.c; the
 * dirs view sums the files per directory in files_dirs.c, the cgroup_files
 * view splits each file by memcg in files_memcg.c; this file walks the
 * inodes and writes the rows.
 *
 * A walk ends however fast inodes are added: they are added at the head
 * of their superblock's list (inode_sb_list_add()), behind the walk.
 */
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/kdev_t.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "compat.h"
#include "files.h"
#include "memlens.h"

/* Where an xarray walk drops RCU to reschedule, as filemap's walks do. */
#define FILES_BATCH		XA_CHECK_SCHED
/*
 * Rows made under a superblock's inode list lock before it is dropped, so
 * that inodes being added or evicted do not wait for it long.
 */
#define FILES_LOCKED_ROWS	64
/* More filesystem types than any kernel registers. */
#define FILES_MAX_TYPES		256
/* dev, ino, seven numbers, separators and the newline */
#define FILES_ROW_NUMBERS	(24 + 21 + 7 * 21 + 16)

struct files_snap {
	struct files_buf out;	/* the rows */
	struct files_buf trail;	/* the total rows, which follow them */
	struct files_mms mms;
	struct files_paths paths;
	struct files_dirs *dirs;	/* the dirs view: sums per directory, not rows */
	struct files_memcgs *memcgs;	/* the cgroup_files view: rows per memcg */
	bool mapped_only;	/* the mapped file: files some process maps */
	struct files_sb sb;	/* the superblock walked */
	u64 total[MEMLENS_FILES_TOTAL_NR_COLUMNS];	/* its totals so far */
	/*
	 * The numbers and path of a clean, unmapped row, made here rather
	 * than on the stack, which the kernel zeroes at every call
	 * (INIT_STACK_ALL_ZERO): all numbers are 0 but cached and nlink.
	 */
	u64 clean[MEMLENS_FILES_NR_COLUMNS];
	struct files_name clean_name;
};

enum files_kind { FILES_ALL, FILES_MAPPED, FILES_DIRS, FILES_CGROUPS, FILES_NR_KINDS };

/* The size of the last snapshot of each file, where the next one starts. */
static unsigned long files_last_size[FILES_NR_KINDS];

/*
 * An inode being freed or not yet set up, which walks pass over, as
 * drop_pagecache_sb() does; its i_lock held.
 */
static inline bool files_inode_skip(struct inode *inode)
{
	return memlens_inode_state(inode) & (I_FREEING | I_WILL_FREE | I_NEW);
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

/*
 * The first columns of every row of @sb, dev and fstype, made once for
 * them all: most rows differ only in their inode number, sizes and path.
 */
static void files_sb_columns(struct files_sb *c, struct super_block *sb)
{
	const char *fstype = sb->s_type->name;
	char *p = c->dev;

	p = memlens_u64(p, MAJOR(sb->s_dev));
	*p++ = ':';
	p = memlens_u64(p, MINOR(sb->s_dev));
	*p++ = ' ';
	c->dev_len = p - c->dev;
	c->bdev = IS_ENABLED(CONFIG_BLOCK) && sb == blockdev_superblock;
	p = memlens_escape(c->type, fstype, min(strlen(fstype), (sizeof(c->type) - 2) / 4));
	*p++ = ' ';
	c->type_len = p - c->type;
}

/* @val, an inode's row, in its superblock's totals. */
static void files_total_add(struct files_snap *s, const u64 *val)
{
	u64 *t = s->total;

	t[MEMLENS_FILES_TOTAL_FILES]++;
	t[MEMLENS_FILES_TOTAL_CACHED] += val[MEMLENS_FILES_CACHED];
	t[MEMLENS_FILES_TOTAL_DIRTY] += val[MEMLENS_FILES_DIRTY];
	t[MEMLENS_FILES_TOTAL_WRITEBACK] += val[MEMLENS_FILES_WRITEBACK];
	t[MEMLENS_FILES_TOTAL_MAPPED] += val[MEMLENS_FILES_MAPPED];
	t[MEMLENS_FILES_TOTAL_IN_RSS] += val[MEMLENS_FILES_IN_RSS];
}

/* The superblock's total row, if it has a file with cache, after the rows. */
static void files_total_row(struct files_snap *s)
{
	char row[sizeof(MEMLENS_FILES_TOTAL) + sizeof(s->sb.dev) + sizeof(s->sb.type) +
		 MEMLENS_FILES_TOTAL_NR_COLUMNS * 21];
	char *p = row;
	int i;

	if (!s->total[MEMLENS_FILES_TOTAL_FILES])
		return;
	p = memcpy(p, MEMLENS_FILES_TOTAL " ", sizeof(MEMLENS_FILES_TOTAL)) +
	    sizeof(MEMLENS_FILES_TOTAL);
	p = memcpy(p, s->sb.dev, s->sb.dev_len) + s->sb.dev_len;
	p = memcpy(p, s->sb.type, s->sb.type_len) + s->sb.type_len;
	for (i = MEMLENS_FILES_TOTAL_FILES; i < MEMLENS_FILES_TOTAL_NR_COLUMNS; i++) {
		p = memlens_u64(p, s->total[i]);
		*p++ = i + 1 < MEMLENS_FILES_TOTAL_NR_COLUMNS ? ' ' : '\n';
	}
	files_buf_write(&s->trail, row, p - row);
	memset(s->total, 0, sizeof(s->total));
}

/*
 * The row, its path escaped.  Without @may_sleep the buffer can neither
 * grow nor be cut: false if the row does not fit as it is.
 */
static bool files_row(struct files_snap *s, unsigned long ino, const u64 *val,
		      const struct files_name *n, bool may_sleep)
{
	size_t need = FILES_ROW_NUMBERS + FILES_ROW_SLACK + s->sb.type_len + n->dir_len +
		      4 * n->len + 8;
	char *p, *row;
	int i;

	BUILD_BUG_ON(MEMLENS_FILES_PROCS - MEMLENS_FILES_DIRTY != 4);
	if (!files_buf_room(&s->out, need, may_sleep))
		return may_sleep;	/* sleeping, memory ran out: the walk stops */
	/* a cut to make room may leave this row out too */
	if (!files_buf_keeps(&s->out, val[MEMLENS_FILES_CACHED])) {
		s->out.below++;
		return true;
	}
	row = s->out.buf + s->out.len;
	p = files_copy(row, s->sb.dev, s->sb.dev_len);
	p = memlens_u64(p, ino);
	*p++ = ' ';
	p = files_copy(p, s->sb.type, s->sb.type_len);
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
	p = files_put_name(p, n);
	*p++ = '\n';
	s->out.len = p - s->out.buf;
	files_buf_added(&s->out, val[MEMLENS_FILES_CACHED], p - row);
	return true;
}

/* The path of an inode held by a reference, under its i_lock as files_path() wants. */
static void files_path_of(struct files_snap *s, struct inode *inode, struct files_name *n)
{
	spin_lock(&inode->i_lock);
	files_path(&s->paths, inode, s->sb.bdev, n);
	spin_unlock(&inode->i_lock);
}

/* A cgroup_files row: the file's pages charged to one memcg. */
static bool files_memcg_row(struct files_snap *s, unsigned long ino,
			    const struct files_memcg_use *u, const struct files_name *n)
{
	size_t need = FILES_ROW_NUMBERS + FILES_ROW_SLACK + s->sb.type_len + n->dir_len +
		      4 * n->len + 8;
	u64 kb = MEMLENS_PAGES_TO_KB(u->pages);
	char *p, *row;

	BUILD_BUG_ON(MEMLENS_CGROUP_FILES_CACHED != 3 || MEMLENS_CGROUP_FILES_PATH != 7);
	if (!files_buf_room(&s->out, need, true))
		return false;
	if (!files_buf_keeps(&s->out, kb)) {
		s->out.below++;
		return true;
	}
	row = s->out.buf + s->out.len;
	p = memlens_u64(row, u->id);
	*p++ = ' ';
	p = files_copy(p, s->sb.dev, s->sb.dev_len);
	p = memlens_u64(p, ino);
	*p++ = ' ';
	p = memlens_u64(p, kb);
	*p++ = ' ';
	p = memlens_u64(p, MEMLENS_PAGES_TO_KB(u->dirty));
	*p++ = ' ';
	p = memlens_u64(p, MEMLENS_PAGES_TO_KB(u->writeback));
	*p++ = ' ';
	p = files_copy(p, s->sb.type, s->sb.type_len);
	p = files_put_name(p, n);
	*p++ = '\n';
	s->out.len = p - s->out.buf;
	files_buf_added(&s->out, kb, p - row);
	return true;
}

/*
 * An inode's rows in cgroup_files, one per memcg its pages are charged
 * to, and its part of the totals.  A reference on the inode is held.
 */
static void files_memcg_inode(struct files_snap *s, struct inode *inode)
{
	u64 val[MEMLENS_FILES_NR_COLUMNS] = { 0 };
	const struct files_memcg_use *u;
	struct files_name n;
	bool named = false;
	int i;

	s->out.err = files_memcgs_count(s->memcgs, &inode->i_data);
	if (s->out.err)
		return;
	for (i = 0; i < s->memcgs->n; i++) {
		u = &s->memcgs->use[i];
		val[MEMLENS_FILES_CACHED] += MEMLENS_PAGES_TO_KB(u->pages);
		val[MEMLENS_FILES_DIRTY] += MEMLENS_PAGES_TO_KB(u->dirty);
		val[MEMLENS_FILES_WRITEBACK] += MEMLENS_PAGES_TO_KB(u->writeback);
		named |= files_buf_keeps(&s->out, MEMLENS_PAGES_TO_KB(u->pages));
	}
	if (!val[MEMLENS_FILES_CACHED])
		return;
	if (named)
		files_path_of(s, inode, &n);
	for (i = 0; i < s->memcgs->n && !s->out.err; i++) {
		u = &s->memcgs->use[i];
		if (!named)
			s->out.below++;
		else if (!files_memcg_row(s, inode->i_ino, u, &n))
			return;
	}
	files_total_add(s, val);
}

/*
 * The inode's row, or its part of its directory's sums, and its part of
 * the totals.  @n is NULL when its row is left out.  False if it must be
 * done again where it may sleep.
 */
static bool files_put(struct files_snap *s, unsigned long ino, const u64 *val,
		      const struct files_name *n, bool may_sleep)
{
	bool done = true;

	if (s->dirs)
		done = files_dirs_add(s->dirs, val, n, may_sleep);
	else if (n)
		done = files_row(s, ino, val, n, may_sleep);
	else
		s->out.below++;
	if (done)
		files_total_add(s, val);
	return done;
}

/* Whether the inode's path is needed: for its row, or for its directory. */
static bool files_named(const struct files_snap *s, const u64 *val)
{
	return s->dirs || files_buf_keeps(&s->out, val[MEMLENS_FILES_CACHED]);
}

/* One inode's row.  A reference on the inode is held, no lock. */
static void files_inode(struct files_snap *s, struct inode *inode)
{
	struct address_space *mapping = &inode->i_data;
	unsigned long cached = READ_ONCE(mapping->nrpages);
	unsigned long mapped = 0, in_rss = 0;
	u64 val[MEMLENS_FILES_NR_COLUMNS] = { 0 };
	struct files_name n;
	bool named;

	/* evicted since the walk saw it, or taken only to reschedule */
	if (!cached || (s->mapped_only && !mapping_mapped(mapping)))
		return;
	if (s->memcgs) {
		files_memcg_inode(s, inode);
		return;
	}
	val[MEMLENS_FILES_CACHED] = MEMLENS_PAGES_TO_KB(cached);
	val[MEMLENS_FILES_DIRTY] =
		MEMLENS_PAGES_TO_KB(min(files_tagged(mapping, PAGECACHE_TAG_DIRTY), cached));
	val[MEMLENS_FILES_WRITEBACK] =
		MEMLENS_PAGES_TO_KB(min(files_tagged(mapping, PAGECACHE_TAG_WRITEBACK), cached));
	if (mapping_mapped(mapping)) {
		files_mapped(mapping, &mapped, &in_rss);
		val[MEMLENS_FILES_MAPPED] = MEMLENS_PAGES_TO_KB(min(mapped, cached));
		val[MEMLENS_FILES_IN_RSS] = MEMLENS_PAGES_TO_KB(in_rss);
		val[MEMLENS_FILES_PROCS] = files_mms_procs(&s->mms, mapping);
	}
	val[MEMLENS_FILES_NLINK] = READ_ONCE(inode->i_nlink);
	named = files_named(s, val);
	if (named)
		files_path_of(s, inode, &n);
	files_put(s, inode->i_ino, val, named ? &n : NULL, true);
}

/*
 * The row of an inode no process maps, with no dirty or writeback page,
 * made without a reference: s_inode_list_lock, held, keeps the inode, as
 * evict() takes it off the list before it frees anything, and its i_lock
 * keeps its dentries.  Most rows are such, and this spares them taking a
 * reference, dropping the list lock and iput(), which may sleep.  Its
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
	if (files_named(s, val))
		files_path(&s->paths, inode, s->sb.bdev, n);
	else
		n = NULL;
	done = files_put(s, inode->i_ino, val, n, false);
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
 * Loads, not prefetch(), which some CPUs and emulators ignore.
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

	files_sb_columns(&s->sb, sb);
	spin_lock(&sb->s_inode_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list) {
		if (s->out.err)
			break;
		/* the inode is alive while the list lock is held */
		wanted = READ_ONCE(inode->i_data.nrpages) &&
			 (!s->mapped_only || mapping_mapped(&inode->i_data));
		if (!wanted && !need_resched())
			continue;
		files_touch_next(sb, inode);
		/* cgroup_files reads the folios, with references: not under the lock */
		if (wanted && !s->mapped_only && !s->memcgs && ++rows % FILES_LOCKED_ROWS &&
		    !need_resched() && files_inode_locked(s, inode))
			continue;
		if (!files_grab(inode, wanted))
			continue;
		spin_unlock(&sb->s_inode_list_lock);
		files_inode(s, inode);
		files_dir_put(&s->paths, false);
		iput(prev);
		prev = inode;
		cond_resched();
		spin_lock(&sb->s_inode_list_lock);
	}
	spin_unlock(&sb->s_inode_list_lock);
	files_dir_put(&s->paths, true);
	iput(prev);
	if (s->dirs)
		files_dirs_flush(s->dirs, &s->out, &s->sb);
	files_total_row(s);
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
	if (s->out.err || !files_init_root(&root))
		return;
	files_unregistered_sb(s, root.mnt->mnt_sb, types, n);
	path_put(&root);
}

/* The header line, of the files, dirs or cgroup_files columns. */
static void files_header(struct files_snap *s)
{
	static const struct memlens_column files_cols[] = {
		MEMLENS_FILES_COLUMNS(MEMLENS_COLUMN)
	};
	static const struct memlens_column dirs_cols[] = {
		MEMLENS_DIRS_COLUMNS(MEMLENS_COLUMN)
	};
	static const struct memlens_column memcg_cols[] = {
		MEMLENS_CGROUP_FILES_COLUMNS(MEMLENS_COLUMN)
	};
	const struct memlens_column *cols = files_cols;
	int i, n = ARRAY_SIZE(files_cols);

	if (s->dirs) {
		cols = dirs_cols;
		n = ARRAY_SIZE(dirs_cols);
	} else if (s->memcgs) {
		cols = memcg_cols;
		n = ARRAY_SIZE(memcg_cols);
	}

	for (i = 0; i < n; i++) {
		files_buf_puts(&s->out, cols[i].name);
		files_buf_puts(&s->out, i + 1 < n ? " " : "\n");
	}
	s->out.head = s->out.len;
}

/* After the rows: the total rows, and how many rows were left out. */
static void files_trailer(struct files_snap *s)
{
	char line[sizeof(MEMLENS_FILES_BELOW) + 2 * 21 + 2], *p = line;

	if (s->trail.len)
		files_buf_write(&s->out, s->trail.buf, s->trail.len);
	if (!s->out.below)
		return;
	p = memcpy(p, MEMLENS_FILES_BELOW " ", sizeof(MEMLENS_FILES_BELOW)) +
	    sizeof(MEMLENS_FILES_BELOW);
	p = memlens_u64(p, s->out.min_kb);
	*p++ = ' ';
	p = memlens_u64(p, s->out.below);
	*p++ = '\n';
	files_buf_write(&s->out, line, p - line);
}

static int files_snapshot(struct files_snap *s)
{
	struct file_system_type **types;
	int i, n;

	types = kmalloc_array(FILES_MAX_TYPES, sizeof(*types), GFP_KERNEL);
	if (!types)
		return -ENOMEM;
	files_header(s);
	n = files_types(types);
	for (i = 0; i < n; i++)
		if (!s->out.err)
			iterate_supers_type(types[i], files_sb, s);
	if (!s->out.err)
		files_unregistered(s, types, n);
	for (i = 0; i < n; i++)
		module_put(types[i]->owner);
	kfree(types);
	files_trailer(s);
	files_buf_end(&s->out);
	return s->out.err ?: s->trail.err;
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
	files_buf_free(&s->out);
	kfree(s);
}

/* What the walk needs only while it runs. */
static int files_walk_init(struct files_snap *s, enum files_kind kind)
{
	int ret;

	ret = files_paths_init(&s->paths) ?: files_mms_init(&s->mms);
	if (!ret && kind == FILES_DIRS) {
		s->dirs = files_dirs_new();
		ret = s->dirs ? 0 : -ENOMEM;
	}
	if (!ret && kind == FILES_CGROUPS) {
		s->memcgs = kzalloc(sizeof(*s->memcgs), GFP_KERNEL);
		ret = s->memcgs ? files_memcgs_init(s->memcgs) : -ENOMEM;
	}
	return ret;
}

static void files_walk_free(struct files_snap *s)
{
	files_dirs_free(s->dirs);
	s->dirs = NULL;
	if (s->memcgs)
		files_memcgs_free(s->memcgs);
	kfree(s->memcgs);
	s->memcgs = NULL;
	files_buf_free(&s->trail);
	files_paths_free(&s->paths);
	files_mms_free(&s->mms);
}

static int files_open_snap(struct file *file, enum files_kind kind)
{
	const char *missing = NULL, *why;
	struct files_snap *s;
	int ret = -ENOMEM;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->mapped_only = kind == FILES_MAPPED;
	s->out.last_size = &files_last_size[kind];
	s->out.cap = files_buf_cap();
	why = files_status(&missing);
	if (why) {
		/* one line saying why, as the slab view says it */
		files_buf_puts(&s->out, MEMLENS_STATUS_UNSUPPORTED ": ");
		files_buf_puts(&s->out, why);
		files_buf_puts(&s->out, "\n");
		ret = s->out.err;
		goto out;
	}
	ret = files_walk_init(s, kind) ?: files_snapshot(s);
	files_walk_free(s);
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
	return files_open_snap(file, FILES_ALL);
}

static int mapped_open(struct inode *inode, struct file *file)
{
	return files_open_snap(file, FILES_MAPPED);
}

static int dirs_open(struct inode *inode, struct file *file)
{
	return files_open_snap(file, FILES_DIRS);
}

static int cgroup_files_open(struct inode *inode, struct file *file)
{
	return files_open_snap(file, FILES_CGROUPS);
}

static ssize_t files_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	struct files_snap *s = file->private_data;

	return simple_read_from_buffer(buf, count, ppos, s->out.buf, s->out.len);
}

static int files_release(struct inode *inode, struct file *file)
{
	files_free(file->private_data);
	return 0;
}

/* The four files differ only in their open(). */
#define FILES_FOPS(open_fn) {						\
	.owner = THIS_MODULE,						\
	.open = open_fn,						\
	.read = files_read,						\
	.llseek = default_llseek,					\
	.release = files_release,					\
}

static const struct file_operations files_fops = FILES_FOPS(files_open);

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
static const struct file_operations mapped_fops = FILES_FOPS(mapped_open);

const struct memlens_view memlens_mapped_view = {
	.name = MEMLENS_FILE_MAPPED,
	.fops = &mapped_fops,
	.status = files_status,
};

/*
 * The page cache per directory: the files walked as for the files view,
 * summed per directory rather than listed, so that its size follows the
 * directories, not the files.
 */
static const struct file_operations dirs_fops = FILES_FOPS(dirs_open);

const struct memlens_view memlens_dirs_view = {
	.name = MEMLENS_FILE_DIRS,
	.fops = &dirs_fops,
	.status = files_status,
};

/*
 * The page cache per file and memory cgroup: the walk of the files view,
 * each file's folios read for the memcg they are charged to.  Its cost
 * follows the cached pages, not the files.
 */
static const struct file_operations cgroup_files_fops = FILES_FOPS(cgroup_files_open);

static const char *cgroup_files_status(const char **missing)
{
	const char *why = files_status(missing);

	if (!why && mem_cgroup_disabled())
		why = MEMLENS_MEMCG_DISABLED;
	return why;
}

const struct memlens_view memlens_cgroup_files_view = {
	.name = MEMLENS_FILE_CGROUP_FILES,
	.fops = &cgroup_files_fops,
	.status = cgroup_files_status,
};
