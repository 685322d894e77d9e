// SPDX-License-Identifier: GPL-2.0
/*
 * memlens_selftest: a slab cache with known contents, for the slab view's
 * tests.  On load it creates the cache "memlens_selftest" of objects of
 * @size bytes and allocates @objects of them; on unload it frees them and
 * destroys the cache.  Exported API only.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
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

static struct kmem_cache *cache;
static void **objs;

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

static int __init selftest_init(void)
{
	unsigned int i;

	objs = vmalloc_array(objects ? objects : 1, sizeof(*objs));
	if (!objs)
		return -ENOMEM;
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
	return 0;

out_free_objs:
	selftest_free(i);
	kmem_cache_destroy(cache);
out_free_array:
	vfree(objs);
	return -ENOMEM;
}

static void __exit selftest_exit(void)
{
	selftest_free(objects);
	kmem_cache_destroy(cache);
	vfree(objs);
}

module_init(selftest_init);
module_exit(selftest_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The memlens developers");
MODULE_DESCRIPTION("A slab cache of known contents for memlens's selftests");
MODULE_INFO(test, "Y");
