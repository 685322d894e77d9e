// SPDX-License-Identifier: GPL-2.0
/*
 * Where a memory cgroup keeps what memory.stat prints.
 *
 * struct mem_cgroup is public, but its statistics are not: vmstats and
 * vmstats_percpu point to struct memcg_vmstats and memcg_vmstats_percpu,
 * private to mm/memcontrol.c.  The arrays memlens reads in them (the
 * aggregated state, the counts pending for a flush, each CPU's state and
 * its state at the last flush) are looked up in the running kernel's BTF,
 * each an array of long of exactly as many items as mm_mirror.h's index
 * knows for this kernel; struct mem_cgroup itself must have the size this
 * module was built with.  Anything else makes the cgroups view
 * unsupported, with the reason.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/memcontrol.h>
#include <linux/mutex.h>

#include "memlens.h"
#include "mm_mirror.h"

struct memlens_memcg_layout memlens_memcg;

static const struct {
	const char *in;
	const char *member;
	size_t out;
} memcg_arrays[] = {
	{ "memcg_vmstats", "state", offsetof(struct memlens_memcg_layout, state) },
	{ "memcg_vmstats", "state_pending", offsetof(struct memlens_memcg_layout, pending) },
	{ "memcg_vmstats_percpu", "state", offsetof(struct memlens_memcg_layout, cpu_state) },
	{ "memcg_vmstats_percpu", "state_prev", offsetof(struct memlens_memcg_layout, cpu_prev) },
};

static int memcg_array(struct memlens_btf *btf, int i, char *why, size_t len)
{
	struct memlens_btf_member m;
	u32 size;
	int id;

	id = memlens_btf_struct(btf, memcg_arrays[i].in, &size);
	if (id < 0) {
		snprintf(why, len, "BTF has %s struct %s", id == -EEXIST ? "more than one" : "no",
			 memcg_arrays[i].in);
		return -ENOENT;
	}
	if (memlens_btf_member(btf, id, memcg_arrays[i].member, &m) ||
	    strcmp(m.type_name, "array") || m.bitfield_size || m.bit_offset % 8 ||
	    m.nelems != memlens_memcg_nr_state() || m.size != m.nelems * sizeof(long) ||
	    m.bit_offset / 8 + m.size > size) {
		snprintf(why, len, "%s.%s is not an array of %d longs", memcg_arrays[i].in,
			 memcg_arrays[i].member, memlens_memcg_nr_state());
		return -EINVAL;
	}
	*(u32 *)((char *)&memlens_memcg + memcg_arrays[i].out) = m.bit_offset / 8;
	return 0;
}

static int memcg_layout_from_btf(struct memlens_btf *btf, char *why, size_t len)
{
	u32 size;
	int i, ret;

	if (memlens_btf_struct(btf, "mem_cgroup", &size) < 0 ||
	    size != sizeof(struct mem_cgroup)) {
		snprintf(why, len, "BTF does not describe this kernel (struct mem_cgroup)");
		return -EINVAL;
	}
	for (i = 0; i < ARRAY_SIZE(memcg_arrays); i++) {
		ret = memcg_array(btf, i, why, len);
		if (ret)
			return ret;
	}
	return 0;
}

static DEFINE_MUTEX(memcg_layout_mutex);
static bool memcg_layout_done;
static char memcg_layout_why[128];

static void memcg_layout_resolve(void)
{
	struct memlens_btf *btf;

	if (mem_cgroup_disabled()) {
		strscpy(memcg_layout_why, MEMLENS_MEMCG_DISABLED, sizeof(memcg_layout_why));
		return;
	}
	btf = memlens_btf_load(memlens_btf_path, memcg_layout_why, sizeof(memcg_layout_why));
	if (IS_ERR(btf))
		return;
	memcg_layout_from_btf(btf, memcg_layout_why, sizeof(memcg_layout_why));
	memlens_btf_free(btf);
	if (memcg_layout_why[0])
		pr_info("cgroups view unsupported: %s\n", memcg_layout_why);
}

/**
 * memlens_memcg_layout() - verify, once, that memcg statistics can be read
 *
 * May sleep: the first call reads the kernel's BTF.
 *
 * Return: NULL when &memlens_memcg is valid, otherwise why it is not.
 */
const char *memlens_memcg_layout(void)
{
	mutex_lock(&memcg_layout_mutex);
	if (!memcg_layout_done) {
		memcg_layout_resolve();
		memcg_layout_done = true;
	}
	mutex_unlock(&memcg_layout_mutex);
	return memcg_layout_why[0] ? memcg_layout_why : NULL;
}
