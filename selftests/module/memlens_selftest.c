// SPDX-License-Identifier: GPL-2.0
/*
 * memlens_selftest: a slab cache with known contents, for the slab view's
 * tests.  On load it creates the cache "memlens_selftest" of objects of
 * @size bytes and allocates @objects of them; on unload it frees them and
 * destroys the cache.  Exported API only.
 *
 * For the pages view's census: @pages pages of bare alloc_page(), a
 * vmalloc() of @vmalloc_pages pages and @percpu_kb kB of alloc_percpu()
 * (4 KiB per CPU at a time), held until unload.
 *
 * And, for the pss view's tests, a process kept busy: writing "PID MS" to
 * /sys/kernel/debug/memlens_selftest/hold_mmap takes PID's mmap lock for
 * write and holds it MS milliseconds (10,000 at most); the write returns
 * when the lock is let go.  Nothing in user space can hold it that long:
 * mmap(), mprotect() and munmap() hold it for short moments, and a fault
 * blocked in userfaultfd holds it (or only its VMA's lock) for read.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/mmap_lock.h>
#include <linux/percpu.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

static unsigned int objects = 1000;
static unsigned int size = 200;

static int objects_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 0, 1000000);
}

static int size_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 8, 4096);
}

static const struct kernel_param_ops objects_ops = {
	.set = objects_set,
	.get = param_get_uint,
};

static const struct kernel_param_ops size_ops = {
	.set = size_set,
	.get = param_get_uint,
};

module_param_cb(objects, &objects_ops, &objects, 0444);
MODULE_PARM_DESC(objects, "objects to allocate (0-1000000, default 1000)");
module_param_cb(size, &size_ops, &size, 0444);
MODULE_PARM_DESC(size, "object size in bytes (8-4096, default 200)");

/* Planted for the census: at most 1 GiB of each. */
#define PLANT_MAX_PAGES	262144

static unsigned int pages, vmalloc_pages, percpu_kb;

static int plant_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 0, PLANT_MAX_PAGES);
}

static const struct kernel_param_ops plant_ops = {
	.set = plant_set,
	.get = param_get_uint,
};

module_param_cb(pages, &plant_ops, &pages, 0444);
MODULE_PARM_DESC(pages, "pages to take with alloc_page() (0-262144, default 0)");
module_param_cb(vmalloc_pages, &plant_ops, &vmalloc_pages, 0444);
MODULE_PARM_DESC(vmalloc_pages, "pages to vmalloc() (0-262144, default 0)");
module_param_cb(percpu_kb, &plant_ops, &percpu_kb, 0444);
MODULE_PARM_DESC(percpu_kb, "kB per CPU to alloc_percpu() (0-262144, default 0)");

static struct page **planted;
static void *planted_vmalloc;
static void __percpu **planted_percpu;

static struct kmem_cache *cache;
static void **objs;
static struct dentry *dir;

#define HOLD_MMAP_MAX_MS	10000

static ssize_t hold_mmap_write(struct file *file, const char __user *ubuf, size_t len,
			       loff_t *ppos)
{
	struct task_struct *task;
	struct mm_struct *mm;
	struct pid *pid;
	unsigned int ms;
	char buf[32];
	int nr;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (sscanf(buf, "%d %u", &nr, &ms) != 2 || nr <= 0 || ms > HOLD_MMAP_MAX_MS)
		return -EINVAL;
	pid = find_get_pid(nr);
	task = get_pid_task(pid, PIDTYPE_PID);
	put_pid(pid);
	if (!task)
		return -ESRCH;
	mm = get_task_mm(task);
	put_task_struct(task);
	if (!mm)
		return -ESRCH;
	if (mmap_write_lock_killable(mm)) {
		mmput(mm);
		return -EINTR;
	}
	msleep(ms);
	mmap_write_unlock(mm);
	mmput(mm);
	return len;
}

static const struct file_operations hold_mmap_fops = {
	.owner = THIS_MODULE,
	.write = hold_mmap_write,
};

/* A constructor keeps the cache from being merged into another one. */
static void selftest_ctor(void *obj)
{
	memset(obj, 0, size);
}

static void selftest_free(unsigned int n)
{
	while (n--)
		kmem_cache_free(cache, objs[n]);
}

static void plant_free(void)
{
	unsigned int i;

	for (i = 0; planted && i < pages && planted[i]; i++)
		__free_page(planted[i]);
	kvfree(planted);
	vfree(planted_vmalloc);
	for (i = 0; planted_percpu && i < percpu_kb / 4 && planted_percpu[i]; i++)
		free_percpu(planted_percpu[i]);
	kvfree(planted_percpu);
}

static int plant(void)
{
	unsigned int i;

	planted = kvcalloc(pages, sizeof(*planted), GFP_KERNEL);
	planted_percpu = kvcalloc(percpu_kb / 4, sizeof(*planted_percpu), GFP_KERNEL);
	if ((pages && !planted) || (percpu_kb / 4 && !planted_percpu))
		return -ENOMEM;
	for (i = 0; i < pages; i++) {
		planted[i] = alloc_page(GFP_KERNEL);
		if (!planted[i])
			return -ENOMEM;
	}
	if (vmalloc_pages) {
		planted_vmalloc = vmalloc((unsigned long)vmalloc_pages << PAGE_SHIFT);
		if (!planted_vmalloc)
			return -ENOMEM;
	}
	for (i = 0; i < percpu_kb / 4; i++) {
		planted_percpu[i] = __alloc_percpu(4096, 4096);
		if (!planted_percpu[i])
			return -ENOMEM;
	}
	return 0;
}

static int __init selftest_init(void)
{
	unsigned int i;

	if (plant()) {
		plant_free();
		return -ENOMEM;
	}

	objs = vmalloc_array(objects ? objects : 1, sizeof(*objs));
	if (!objs)
		goto out_free_array;
	cache = kmem_cache_create("memlens_selftest", size, 0, 0, selftest_ctor);
	if (!cache)
		goto out_free_array;
	for (i = 0; i < objects; i++) {
		objs[i] = kmem_cache_alloc(cache, GFP_KERNEL);
		if (!objs[i])
			goto out_free_objs;
	}
	/* Flush per-cpu slabs to the node lists, so that slabinfo is exact. */
	kmem_cache_shrink(cache);
	dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("hold_mmap", 0200, dir, NULL, &hold_mmap_fops);
	return 0;

out_free_objs:
	selftest_free(i);
	kmem_cache_destroy(cache);
out_free_array:
	vfree(objs);
	plant_free();
	return -ENOMEM;
}

static void __exit selftest_exit(void)
{
	debugfs_remove_recursive(dir);
	selftest_free(objects);
	kmem_cache_destroy(cache);
	vfree(objs);
	plant_free();
}

module_init(selftest_init);
module_exit(selftest_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The memlens developers");
MODULE_DESCRIPTION("A slab cache of known contents, planted pages and a busy mmap lock for memlens's selftests");
MODULE_INFO(test, "Y");
