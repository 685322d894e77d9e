// SPDX-License-Identifier: GPL-2.0
/*
 * memlens: make a running system's memory visible through debugfs.
 *
 * This file owns the debugfs directory, the version file and the list of
 * views; each view lives in a file of its own.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/magic.h>
#include <linux/module.h>
#include <linux/namei.h>
#include <linux/utsname.h>

#include "memlens.h"

#define MEMLENS_DEBUGFS_MOUNT "/sys/kernel/debug"

#define MEMLENS_VIEW_PTR(id, file, help) &memlens_##file##_view,
static const struct memlens_view *const memlens_views[] = {
	MEMLENS_VIEWS(MEMLENS_VIEW_PTR)
};

static struct dentry *memlens_dir;

static void version_show_view(struct seq_file *m, const struct memlens_view *view)
{
	const char *missing = NULL;
	const char *why = view->status ? view->status(&missing) : NULL;

	seq_printf(m, "%s: ", view->name);
	if (!why)
		seq_puts(m, MEMLENS_STATUS_AVAILABLE "\n");
	else if (missing)
		seq_printf(m, MEMLENS_STATUS_PARTIAL ": %s unavailable: %s\n", missing, why);
	else
		seq_printf(m, MEMLENS_STATUS_UNSUPPORTED ": %s\n", why);
}

static int version_show(struct seq_file *m, void *v)
{
	int i;

	seq_printf(m, MEMLENS_KEY_MODULE ": %s\n", MEMLENS_VERSION);
	seq_printf(m, MEMLENS_KEY_KERNEL ": %s\n", init_utsname()->release);
	for (i = 0; i < ARRAY_SIZE(memlens_views); i++)
		version_show_view(m, memlens_views[i]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(version);

/*
 * The files are useless where nobody can reach debugfs, so say why at load
 * time rather than leave an empty directory behind.
 */
static int memlens_check_debugfs(void)
{
	struct path path;
	bool mounted;

	if (!debugfs_initialized()) {
		pr_err("debugfs is disabled on this kernel (debugfs=off?); memlens needs it\n");
		return -ENODEV;
	}
	if (kern_path(MEMLENS_DEBUGFS_MOUNT, LOOKUP_FOLLOW, &path)) {
		pr_err("debugfs is not mounted: mount -t debugfs none %s, then load memlens again\n",
		       MEMLENS_DEBUGFS_MOUNT);
		return -ENODEV;
	}
	mounted = path.dentry->d_sb->s_magic == DEBUGFS_MAGIC;
	path_put(&path);
	if (!mounted) {
		pr_err("debugfs is not mounted on %s: mount -t debugfs none %s, then load memlens again\n",
		       MEMLENS_DEBUGFS_MOUNT, MEMLENS_DEBUGFS_MOUNT);
		return -ENODEV;
	}
	return 0;
}

static int __init memlens_init(void)
{
	int ret, i;

	ret = memlens_check_debugfs();
	if (ret)
		return ret;

	memlens_dir = debugfs_create_dir(MEMLENS_DEBUGFS_DIR, NULL);
	if (IS_ERR(memlens_dir)) {
		ret = PTR_ERR(memlens_dir);
		pr_err("cannot create debugfs directory %s: %d\n", MEMLENS_DEBUGFS_DIR, ret);
		return ret;
	}

	debugfs_create_file(MEMLENS_FILE_VERSION, 0400, memlens_dir, NULL, &version_fops);
	for (i = 0; i < ARRAY_SIZE(memlens_views); i++)
		debugfs_create_file(memlens_views[i]->name, 0400, memlens_dir, NULL,
				    memlens_views[i]->fops);
	pr_info("version %s loaded\n", MEMLENS_VERSION);
	return 0;
}

static void __exit memlens_exit(void)
{
	/* Waits for readers inside a file operation; later calls get -EIO. */
	debugfs_remove_recursive(memlens_dir);
	memlens_files_exit();
	pr_info("unloaded\n");
}

module_init(memlens_init);
module_exit(memlens_exit);

MODULE_LICENSE("GPL");
MODULE_VERSION(MEMLENS_VERSION);
MODULE_AUTHOR("The memlens developers");
MODULE_DESCRIPTION("Per-process, system, slab and page cache memory views in debugfs");
