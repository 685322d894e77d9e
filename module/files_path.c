// SPDX-License-Identifier: GPL-2.0
/*
 * A row's path in the files view: an inode's dentry, its path within its
 * filesystem, and the directory of the last path kept, escaped, so that
 * the next files of that directory need only their names.  A name for
 * what has no path (a block device's inode, a pseudo file).
 */
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/rcupdate.h>
#include <linux/seqlock.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "files.h"

int files_paths_init(struct files_paths *fp)
{
	fp->path = kmalloc(PATH_MAX, GFP_KERNEL);
	return fp->path ? 0 : -ENOMEM;
}

void files_paths_free(struct files_paths *fp)
{
	kfree(fp->path);
	fp->path = NULL;
}

/* A name for an inode that has no dentry: a block device's own inode. */
static void files_noname(struct files_paths *fp, struct inode *inode, struct files_name *n)
{
	n->dir_len = 0;
	n->padded = false;
	n->name = MEMLENS_FILES_NONAME;
	if (S_ISBLK(inode->i_mode)) {
		snprintf(fp->path, PATH_MAX, MEMLENS_FILES_NONAME_PREFIX "block:%u:%u>",
			 MAJOR(inode->i_rdev), MINOR(inode->i_rdev));
		n->name = fp->path;
	}
	n->len = strlen(n->name);
}

/* Put the dentry replaced (or, @all, also the one kept): dput() may sleep. */
void files_dir_put(struct files_paths *fp, bool all)
{
	dput(fp->dir_old);
	fp->dir_old = NULL;
	if (all) {
		dput(fp->dir_pin);
		fp->dir_pin = NULL;
		fp->dir = NULL;
	}
}

/*
 * @d's path from its directory's, kept: its name is read as
 * prepend_name() reads it, and rename_lock says whether anything moved
 * since the directory's path was made.  The inode's i_lock, held, is as
 * good as RCU for that and costs nothing more.
 */
static bool files_dir_hit(struct files_paths *fp, struct dentry *d, struct files_name *n)
{
	const unsigned char *name;
	unsigned int len;

	RCU_LOCKDEP_WARN(!rcu_read_lock_any_held(), "a path from a kept directory needs RCU");
	if (!fp->dir || READ_ONCE(d->d_parent) != fp->dir)
		return false;
	/* the name before its length, as prepend_name() reads them against __d_move() */
	name = smp_load_acquire(&d->d_name.name);
	len = READ_ONCE(d->d_name.len);
	if (!len || len > NAME_MAX)
		return false;
	/* a short name is in the dentry, alive: no fault to fear, whatever len says */
	if (name == d->d_iname && len < DNAME_INLINE_LEN)
		memcpy(fp->name + 1, name, len);
	else if (copy_from_kernel_nofault(fp->name + 1, name, len))
		return false;
	if (read_seqretry(&rename_lock, fp->dir_seq))
		return false;
	fp->name[0] = '/';
	memset(fp->name + 1 + len, 'x', MEMLENS_ESCAPE_PAD);
	n->dir = fp->dir_path;
	n->dir_len = fp->dir_len;
	n->name = fp->name;
	n->len = len + 1;
	n->padded = true;
	return true;
}

/*
 * Keep the directory part of @p, @d's whole path made under rename_lock's
 * @seq, for the next files.  A reference on @d, not on its directory,
 * keeps the directory: dget() is what d_find_alias() takes under i_lock,
 * and while nothing is renamed, @d stays in it.  (A pointer alone could
 * be a new directory's by then.)  The reference replaced waits for
 * files_dir_put(), out of the locks.  @n becomes that part and the rest.
 */
static void files_dir_keep(struct files_paths *fp, struct dentry *d, const char *p,
			   size_t len, unsigned int seq, struct files_name *n)
{
	struct dentry *dir;
	size_t k = len;

	while (k && p[--k] != '/')
		;
	if (fp->dir_old || IS_ROOT(d) || p[k] != '/' || 4 * k + 4 > FILES_DIR_MAX)
		return;
	dir = READ_ONCE(d->d_parent);
	fp->dir_old = fp->dir_pin;
	fp->dir_pin = dget(d);
	fp->dir = NULL;
	if (read_seqretry(&rename_lock, seq))	/* moved since: keep nothing */
		return;
	fp->dir = dir;
	fp->dir_seq = seq;
	fp->dir_len = k ? memlens_escape(fp->dir_path, p, k) - fp->dir_path : 0;
	n->dir = fp->dir_path;
	n->dir_len = fp->dir_len;
	n->name = p + k;
	n->len = len - k;
}

/*
 * The path of @d, an alias of @inode, within its filesystem.  A pseudo
 * file (a memfd, SysV shm, shared anonymous memory) is a root of its own,
 * whose path would be "/": its name says more.
 */
static void files_dentry_path(struct files_paths *fp, struct inode *inode,
			      struct dentry *d, struct files_name *n)
{
	unsigned int seq;
	const char *p;

	n->dir_len = 0;
	n->padded = false;
	n->name = fp->path;
	if (IS_ROOT(d) && d != inode->i_sb->s_root) {
		spin_lock(&d->d_lock);
		strscpy(fp->path, d->d_name.name, PATH_MAX);
		spin_unlock(&d->d_lock);
		n->len = strlen(fp->path);
	} else if (!files_dir_hit(fp, d, n)) {
		seq = read_seqbegin(&rename_lock);
		/* the path ends at the buffer's end, so its length needs no strlen() */
		p = dentry_path_raw(d, fp->path, PATH_MAX);
		n->len = IS_ERR(p) ? 0 : fp->path + PATH_MAX - 1 - p;
		if (n->len) {
			n->name = p;
			files_dir_keep(fp, d, p, n->len, seq, n);
		}
	}
	if (!n->len) {
		n->name = MEMLENS_FILES_NONAME;
		n->len = strlen(MEMLENS_FILES_NONAME);
	}
}

/*
 * The path of @inode, its i_lock held, which keeps its aliases on its list
 * and so alive, without a reference (dput() may sleep): the first hashed
 * alias, as __d_find_alias() takes, else any, as d_find_any_alias() does,
 * since a deleted file still has its unhashed dentry.  The lock order is
 * the kernel's own: i_lock, then d_lock, or rename_lock's seqcount in
 * dentry_path_raw(), as d_splice_alias() takes them.
 */
void files_path(struct files_paths *fp, struct inode *inode, bool bdev, struct files_name *n)
{
	struct dentry *d, *any = NULL;

	lockdep_assert_held(&inode->i_lock);
	/* from 6.9 an opened block device has a pseudo dentry named "" */
	if (bdev)
		return files_noname(fp, inode, n);
	for_each_alias(d, inode) {
		if (!d_unhashed(d))
			break;
		any = any ?: d;
	}
	d = d ?: any;
	if (d)
		files_dentry_path(fp, inode, d, n);
	else
		files_noname(fp, inode, n);
}
