// SPDX-License-Identifier: GPL-2.0
/*
 * Addresses of the few non-exported kernel variables memlens reads.
 *
 * kallsyms_lookup_name() is not exported, and calling it (or any other
 * non-exported function) through a pointer found with a kprobe crashes
 * kernels built with IBT, such as Debian's 6.12, on real hardware.  Nor can
 * a module read /proc/kallsyms: it has no read_iter, so kernel_read()
 * refuses it, and Debian's /boot/System.map is a stub.
 *
 * What is exported is the other direction, address to name:
 * sprint_symbol().  The variables memlens needs are data, and the kernel
 * image lays its data out after init_task (INIT_TASK_DATA opens .data on
 * x86), then .init and .bss.  So memlens walks the symbols from init_task
 * to the end of the image, one sprint_symbol() per symbol, each step
 * jumping by the size the kernel reports, and notes the addresses of the
 * names it wants.  Data written only during boot (__ro_after_init) lies
 * before .data, among the read-only data: a second walk covers it from the
 * exported __per_cpu_offset[], which arch code defines there and the linker
 * places before mm/'s, to the section's end.  A name met twice is
 * ambiguous and not used.  The walks run once, the first time a view needs
 * a symbol (about 45,000 symbols).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/ioport.h>
#include <linux/kallsyms.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/swap.h>

#include "compat.h"
#include "memlens.h"

#include <linux/hugetlb.h>	/* after compat.h, as mm_mirror.h */

/* More symbols than any kernel has after init_task: the walk's bound. */
#define KSYMS_WALK_MAX	BIT(20)

struct ksym_def {
	const char *name;
	size_t size;
};

static const struct ksym_def ksym_defs[MEMLENS_NR_KSYMS] = {
	[MEMLENS_KSYM_SLAB_CACHES] = { "slab_caches", sizeof(struct list_head) },
	[MEMLENS_KSYM_SLAB_MUTEX] = { "slab_mutex", sizeof(struct mutex) },
	[MEMLENS_KSYM_TOTAL_SWAP_PAGES] = { "total_swap_pages", sizeof(long) },
	[MEMLENS_KSYM_SWAP_LOCK] = { "swap_lock", sizeof(spinlock_t) },
	[MEMLENS_KSYM_SWAP_INFO] = { "swap_info",
				     sizeof(struct swap_info_struct *) * MAX_SWAPFILES },
	[MEMLENS_KSYM_NR_SWAPFILES] = { "nr_swapfiles", sizeof(unsigned int) },
	[MEMLENS_KSYM_FILE_SYSTEMS] = { "file_systems", sizeof(struct file_system_type *) },
	[MEMLENS_KSYM_FILE_SYSTEMS_LOCK] = { "file_systems_lock", MEMLENS_FS_TYPES_LOCK_SIZE },
	[MEMLENS_KSYM_HSTATES] = { "hstates", MEMLENS_HSTATES_SIZE },
	[MEMLENS_KSYM_HUGETLB_MAX_HSTATE] = { "hugetlb_max_hstate", sizeof(int) },
	[MEMLENS_KSYM_DEFAULT_HSTATE_IDX] = { "default_hstate_idx", sizeof(unsigned int) },
	[MEMLENS_KSYM_OVERCOMMIT_KBYTES] = { "sysctl_overcommit_kbytes", sizeof(unsigned long) },
	[MEMLENS_KSYM_OVERCOMMIT_RATIO] = { "sysctl_overcommit_ratio", sizeof(int) },
	[MEMLENS_KSYM_NUM_POISONED_PAGES] = { "num_poisoned_pages", sizeof(atomic_long_t) },
	[MEMLENS_KSYM_TOTALCMA_PAGES] = { "totalcma_pages", sizeof(unsigned long) },
	[MEMLENS_KSYM_NR_VMALLOC_PAGES] = { "nr_vmalloc_pages", sizeof(atomic_long_t) },
	[MEMLENS_KSYM_PCPU_NR_POPULATED] = { "pcpu_nr_populated", sizeof(int) },
	[MEMLENS_KSYM_PCPU_NR_UNITS] = { "pcpu_nr_units", sizeof(int) },
	[MEMLENS_KSYM_ZSWAP_STORED_PAGES] = { "zswap_stored_pages", MEMLENS_ZSWAP_STORED_SIZE },
	[MEMLENS_KSYM_ZSWAP_POOL_TOTAL_SIZE] = { "zswap_pool_total_size", sizeof(u64) },
	/* x86's resources of the kernel image, physical addresses */
	[MEMLENS_KSYM_CODE_RESOURCE] = { "code_resource", sizeof(struct resource) },
	[MEMLENS_KSYM_RODATA_RESOURCE] = { "rodata_resource", sizeof(struct resource) },
	[MEMLENS_KSYM_DATA_RESOURCE] = { "data_resource", sizeof(struct resource) },
	[MEMLENS_KSYM_BSS_RESOURCE] = { "bss_resource", sizeof(struct resource) },
	[MEMLENS_KSYM_BRK_END] = { "_brk_end", sizeof(unsigned long) },
	/* before v6.9 (compat.h) */
	[MEMLENS_KSYM_VMAP_AREA_ROOT] = { "vmap_area_root", sizeof(struct rb_root) },
	[MEMLENS_KSYM_VMAP_AREA_LOCK] = { "vmap_area_lock", sizeof(spinlock_t) },
	/* v6.9 on */
	[MEMLENS_KSYM_VMAP_NODES] = { "vmap_nodes", sizeof(void *) },
	[MEMLENS_KSYM_NR_VMAP_NODES] = { "nr_vmap_nodes", sizeof(unsigned int) },
	[MEMLENS_KSYM_PCPU_BASE_ADDR] = { "pcpu_base_addr", sizeof(void *) },
	[MEMLENS_KSYM_PCPU_UNIT_OFFSETS] = { "pcpu_unit_offsets", sizeof(unsigned long *) },
	[MEMLENS_KSYM_PCPU_UNIT_SIZE] = { "pcpu_unit_size", sizeof(int) },
	[MEMLENS_KSYM_PCPU_FIRST_CHUNK] = { "pcpu_first_chunk", sizeof(void *) },
};

static DEFINE_MUTEX(ksyms_mutex);
static bool ksyms_resolved;
static unsigned long ksym_addr[MEMLENS_NR_KSYMS];
static unsigned long ksym_size[MEMLENS_NR_KSYMS];
static unsigned int ksym_seen[MEMLENS_NR_KSYMS];
static char ksym_why[MEMLENS_NR_KSYMS][96];

/*
 * "name+0x0/0x10" into its parts; false for anything else: an address
 * outside the kernel image, or a module's symbol ("... [module]").
 */
static bool ksyms_parse(char *sym, unsigned long *off, unsigned long *size)
{
	char *plus = strrchr(sym, '+');

	if (!plus || strchr(sym, ' ') || sscanf(plus, "+%lx/%lx", off, size) != 2)
		return false;
	*plus = '\0';
	return true;
}

static void ksyms_note(const char *name, unsigned long addr, unsigned long size)
{
	int i;

	for (i = 0; i < MEMLENS_NR_KSYMS; i++) {
		if (strcmp(name, ksym_defs[i].name))
			continue;
		ksym_addr[i] = addr;
		ksym_size[i] = size;
		ksym_seen[i]++;
	}
}

/*
 * From @addr up to the symbol named @stop or the address @end, whichever
 * comes first, or to the end of the image.
 */
static unsigned long ksyms_walk(unsigned long addr, unsigned long end, const char *stop)
{
	unsigned long n, off, size;
	char sym[KSYM_SYMBOL_LEN];

	for (n = 0; n < KSYMS_WALK_MAX && addr < end; n++) {
		sprint_symbol(sym, addr);
		if (!ksyms_parse(sym, &off, &size) || !size || off >= size)
			break;
		if (stop && !strcmp(sym, stop))
			break;
		ksyms_note(sym, addr - off, size);
		addr += size - off;
		if (!(n % 1024))
			cond_resched();
	}
	return n;
}

/* Is what the walk found usable for @i? */
static void ksyms_verify(int i)
{
	const struct ksym_def *def = &ksym_defs[i];
	char *why = ksym_why[i];

	if (!ksym_seen[i])
		snprintf(why, sizeof(ksym_why[i]), "%s not found in kallsyms", def->name);
	else if (ksym_seen[i] > 1)
		snprintf(why, sizeof(ksym_why[i]), "%s is ambiguous in kallsyms", def->name);
	else if (ksym_size[i] < def->size)
		snprintf(why, sizeof(ksym_why[i]), "%s is %lu bytes, expected %zu", def->name,
			 ksym_size[i], def->size);
	else
		why[0] = '\0';
}

static void ksyms_resolve(void)
{
	int i, ret;

	/*
	 * Lockdown in confidentiality mode forbids reading kernel memory
	 * (/proc/kcore); reading private kernel data by address is the same.
	 */
	ret = security_locked_down(LOCKDOWN_KCORE);
	if (!ret) {
		unsigned long data = (unsigned long)&init_task;
		unsigned long n = ksyms_walk(data, ULONG_MAX, NULL);

		n += ksyms_walk((unsigned long)__per_cpu_offset, data, "__end_ro_after_init");

		pr_debug("walked %lu kernel symbols\n", n);
	}
	for (i = 0; i < MEMLENS_NR_KSYMS; i++) {
		if (ret)
			snprintf(ksym_why[i], sizeof(ksym_why[i]),
				 "kernel lockdown forbids reading kernel data by address");
		else
			ksyms_verify(i);
		if (ksym_why[i][0])
			ksym_addr[i] = 0;
	}
	/* publish the addresses before the flag that says they are final */
	smp_store_release(&ksyms_resolved, true);
}

/**
 * memlens_ksym() - address of a non-exported kernel variable
 * @sym: which one
 * @why: when it cannot be had, set to a reason for the user
 *
 * The first call walks the kernel's symbols and may sleep.
 *
 * Return: the verified address, or NULL.
 */
void *memlens_ksym(enum memlens_ksym sym, const char **why)
{
	/* pairs with ksyms_resolve(): once set, the addresses never change */
	if (!smp_load_acquire(&ksyms_resolved)) {
		mutex_lock(&ksyms_mutex);
		if (!ksyms_resolved)
			ksyms_resolve();
		mutex_unlock(&ksyms_mutex);
	}
	if (!ksym_addr[sym])
		*why = ksym_why[sym];
	return (void *)ksym_addr[sym];
}
