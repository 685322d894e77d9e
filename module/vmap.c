// SPDX-License-Identifier: GPL-2.0
/*
 * The pages of vmalloc areas, for the census (pages.c).
 *
 * The busy vmap areas are walked as /proc/vmallocinfo walks them, in
 * address order under the lock of their tree (compat.h: one tree before
 * v6.9, one per vmap node since), but the lock is held for a batch of
 * areas or pages at a time: the walk remembers the address it reached,
 * lets the lock go, and finds its place again in the tree.  An area's
 * pages are read only under that lock: vfree() unlinks the area under it
 * before it frees the pages.  Of the areas, only VM_ALLOC ones own their
 * pages (vmap(), ioremap() and vm_map_ram() map pages someone else owns,
 * a sparse area keeps no array), and an area still being set up
 * (VM_UNINITIALIZED) is left for the next read.  A page is claimed as
 *  - modules, in the modules area: module memory, BPF JIT, kprobes and
 *    ftrace trampolines;
 *  - kernel_stack, allocated for a task's stack (the caller named in the
 *    area, symbolized: alloc_thread_stack_node() or whichever function it
 *    is inlined into); without CONFIG_VMAP_STACK stacks are not vmalloc'ed
 *    and are found from the tasks;
 *  - percpu, a dynamic percpu chunk (pcpu_get_vm_areas(), no page array:
 *    its populated pages are found in the page tables); and the first
 *    chunk's units, still reserved from boot;
 *  - vmalloc, any other.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/kallsyms.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>

#include "compat.h"
#include "memlens.h"

/* The most areas, and pages, claimed in one hold of an area lock. */
#define VMAP_BATCH_AREAS	64
#define VMAP_BATCH_PAGES	4096

/* Callers symbolized once in one census; beyond, each time. */
#define VMAP_CALLER_BITS	9

/* vmap_class() of an area whose pages are not its own. */
#define VMAP_SKIP		MEMLENS_NR_PAGE_CLASSES

struct vmap_caller {
	const void *caller;
	u8 class;
};

struct vmap_walk {
	struct memlens_census *c;
	struct vmap_caller *callers;	/* or NULL */
	unsigned long pages;		/* left in this batch */
};

/* What was found, once: the trees and the first percpu chunk. */
static struct {
	struct rb_root *root;			/* before v6.9 */
	spinlock_t *lock;
	char **nodes;				/* v6.9 on: &vmap_nodes */
	unsigned int *nr_nodes;
	struct memlens_vmap_layout layout;
	void **pcpu_base;
	const unsigned long **pcpu_offsets;	/* cpu -> its unit's offset */
	int *pcpu_unit_size;
	char **pcpu_first;			/* &pcpu_first_chunk */
} vs;

static DEFINE_MUTEX(vmap_mutex);
static bool vmap_done;
static char vmap_why[128];	/* the areas cannot be read */
static char pcpu_why[128];	/* the first percpu chunk cannot be */
static char stack_caller[KSYM_SYMBOL_LEN];	/* of this task's stack, or "" */

/*
 * The function that allocates a task's stack, alloc_thread_stack_node(),
 * names its caller in the area, and the compiler decides which function
 * that is: dup_task_struct() or copy_process(), or whichever copy_process()
 * is inlined into (kernel_clone(), fork_idle(), create_io_thread()).  The
 * caller named in this very task's stack is one of them in any case.
 */
static const char *const stack_callers[] = {
	"alloc_thread_stack_node", "dup_task_struct", "copy_process",
	"kernel_clone", "fork_idle", "create_io_thread", stack_caller,
};

/*
 * The name of the kernel function at @addr, in @sym: "name+0x1/0x2" or
 * "name.isra.0+..." cut to "name"; "" for a module's (" [mod]" follows).
 */
static void vmap_symbol(char *sym, const void *addr)
{
	sprint_symbol(sym, (unsigned long)addr);
	sym[strchr(sym, ' ') ? 0 : strcspn(sym, ".+")] = '\0';
}

/* The class of an area by the function that allocated it. */
static u8 vmap_caller_class(const void *caller)
{
	char sym[KSYM_SYMBOL_LEN];
	int i;

	vmap_symbol(sym, caller);
	if (!sym[0])
		return MEMLENS_PAGE_VMALLOC;
	if (!strcmp(sym, "pcpu_get_vm_areas"))
		return MEMLENS_PAGE_PERCPU;
	for (i = 0; IS_ENABLED(CONFIG_VMAP_STACK) && i < ARRAY_SIZE(stack_callers); i++)
		if (!strcmp(sym, stack_callers[i]))
			return MEMLENS_PAGE_KERNEL_STACK;
	return MEMLENS_PAGE_VMALLOC;
}

static u8 vmap_caller_cached(struct vmap_walk *w, const void *caller)
{
	u32 i, h = hash_ptr(caller, VMAP_CALLER_BITS);
	struct vmap_caller *e;

	if (!w->callers || !caller)
		return caller ? vmap_caller_class(caller) : MEMLENS_PAGE_VMALLOC;
	for (i = 0; i < BIT(VMAP_CALLER_BITS); i++) {
		e = &w->callers[(h + i) % BIT(VMAP_CALLER_BITS)];
		if (e->caller == caller)
			return e->class;
		if (!e->caller) {
			e->caller = caller;
			e->class = vmap_caller_class(caller);
			return e->class;
		}
	}
	return vmap_caller_class(caller);
}

static u8 vmap_class(struct vmap_walk *w, struct vmap_area *va, struct vm_struct *vm,
		     unsigned long flags)
{
	u8 class;

	if (!(flags & VM_ALLOC) || (flags & (VM_MAP | VM_IOREMAP | VM_SPARSE)))
		return VMAP_SKIP;
	if (va->va_start >= MODULES_VADDR && va->va_start < MODULES_END)
		return MEMLENS_PAGE_MODULES;
	class = vmap_caller_cached(w, READ_ONCE(vm->caller));
	/* a stack is THREAD_SIZE, whatever else its allocator's caller maps */
	if (class == MEMLENS_PAGE_KERNEL_STACK &&
	    READ_ONCE(vm->nr_pages) != THREAD_SIZE >> PAGE_SHIFT)
		class = MEMLENS_PAGE_VMALLOC;
	return class;
}

/*
 * Claim the pages of @va from @addr on, as many as the batch has room for;
 * the area's lock is held.  Return: the address to go on from.
 */
static unsigned long vmap_area(struct vmap_walk *w, struct vmap_area *va, unsigned long addr)
{
	struct vm_struct *vm = READ_ONCE(va->vm);
	unsigned long flags, i, nr;
	struct page **pages;
	struct page *page;
	u8 class;

	addr = max(addr, va->va_start);
	/* no vm: a vm_map_ram() area, or one being freed */
	if (!vm)
		return va->va_end;
	flags = READ_ONCE(vm->flags);
	if (flags & VM_UNINITIALIZED)
		return va->va_end;
	/* pairs with the smp_wmb() in clear_vm_uninitialized_flag() */
	smp_rmb();
	class = vmap_class(w, va, vm, flags);
	if (class == VMAP_SKIP)
		return va->va_end;
	if (class == MEMLENS_PAGE_PERCPU) {
		/* the chunk's populated pages are mapped, the others not */
		for (; addr < va->va_end && w->pages; addr += PAGE_SIZE, w->pages--) {
			page = vmalloc_to_page((void *)addr);
			if (page)
				memlens_census_claim(w->c, page, class);
		}
		return addr;
	}
	pages = READ_ONCE(vm->pages);
	nr = READ_ONCE(vm->nr_pages);
	if (!pages)
		return va->va_end;
	/* pages[i] is mapped at the area's start + i pages */
	for (i = (addr - va->va_start) >> PAGE_SHIFT; i < nr && w->pages; i++, w->pages--) {
		page = READ_ONCE(pages[i]);
		if (page)
			memlens_census_claim(w->c, page, class);
	}
	return i < nr ? va->va_start + (i << PAGE_SHIFT) : va->va_end;
}

/* The first area of @root that ends above @addr, as the kernel finds it. */
static struct vmap_area *vmap_find(struct rb_root *root, unsigned long addr)
{
	struct rb_node *n = root->rb_node;
	struct vmap_area *va = NULL, *tmp;

	while (n) {
		tmp = rb_entry(n, struct vmap_area, rb_node);
		if (tmp->va_end > addr) {
			va = tmp;
			if (tmp->va_start <= addr)
				break;
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	return va;
}

/* Every busy area of one tree, a batch per hold of its lock. */
static void vmap_walk_tree(struct vmap_walk *w, struct rb_root *root, spinlock_t *lock)
{
	unsigned long addr = 0;
	struct rb_node *next;
	struct vmap_area *va;
	int n;

	do {
		w->pages = VMAP_BATCH_PAGES;
		spin_lock(lock);
		va = vmap_find(root, addr);
		for (n = 0; va && n < VMAP_BATCH_AREAS && w->pages; n++) {
			addr = vmap_area(w, va, addr);
			if (addr < va->va_end)
				break;
			next = rb_next(&va->rb_node);
			va = next ? rb_entry(next, struct vmap_area, rb_node) : NULL;
		}
		spin_unlock(lock);
		cond_resched();
	} while (va);
}

static void vmap_walk_areas(struct vmap_walk *w)
{
	unsigned int i, nr;
	char *node;

	if (!MEMLENS_VMAP_NODES) {
		vmap_walk_tree(w, vs.root, vs.lock);
		return;
	}
	/* both are set once, at boot */
	node = READ_ONCE(*vs.nodes);
	nr = READ_ONCE(*vs.nr_nodes);
	for (i = 0; node && i < nr; i++, node += vs.layout.node_size)
		vmap_walk_tree(w, (struct rb_root *)(node + vs.layout.node_root),
			       (spinlock_t *)(node + vs.layout.node_lock));
}

/*
 * The first chunk is memory reserved at boot, in the linear map (or, where
 * it could not be embedded there, mapped in a vmap area of no pages).  Of
 * each CPU's unit, the part that the static, reserved and dynamic areas
 * use, up to where pcpu_first_chunk ends, is kept; the tail was given back
 * at boot, and may have been reserved again since, by someone else.  The
 * first chunk is never freed: no lock is needed.
 */
static void vmap_percpu_first_chunk(struct memlens_census *c)
{
	unsigned long base = (unsigned long)READ_ONCE(*vs.pcpu_base), addr, off, used;
	const unsigned long *offsets = READ_ONCE(*vs.pcpu_offsets);
	char *chunk = READ_ONCE(*vs.pcpu_first);
	struct page *page;
	unsigned int cpu;

	if (!base || !offsets || !chunk)
		return;
	used = (unsigned long)READ_ONCE(*(void **)(chunk + vs.layout.chunk_base)) - base +
	       ((unsigned long)READ_ONCE(*(int *)(chunk + vs.layout.chunk_nr_pages)) << PAGE_SHIFT);
	if (used > READ_ONCE(*vs.pcpu_unit_size))
		return;
	for_each_possible_cpu(cpu) {
		for (off = 0; off < used; off += PAGE_SIZE) {
			addr = base + offsets[cpu] + off;
			if (is_vmalloc_addr((void *)addr))
				page = vmalloc_to_page((void *)addr);
			else
				page = virt_to_page((void *)addr);
			if (page && PageReserved(page))
				memlens_census_claim(c, page, MEMLENS_PAGE_PERCPU);
		}
		cond_resched();
	}
}

/*
 * Without CONFIG_VMAP_STACK a task's stack is THREAD_SIZE of pages from
 * the page allocator, at task->stack, freed (and the pointer cleared) when
 * the task is done with it: read under RCU, the pointer is never followed.
 * init_task's stack is part of the kernel image.
 */
static void vmap_task_stacks(struct memlens_census *c)
{
	struct task_struct *p, *t;
	struct page *page;
	void *stack;
	int i;

	if (IS_ENABLED(CONFIG_VMAP_STACK) || THREAD_SIZE < PAGE_SIZE)
		return;
	rcu_read_lock();
	for_each_process_thread(p, t) {
		stack = READ_ONCE(t->stack);
		if (!stack || t == &init_task)
			continue;
		/* one allocation: its struct pages are contiguous */
		page = virt_to_page(stack);
		for (i = 0; i < THREAD_SIZE >> PAGE_SHIFT; i++)
			memlens_census_claim(c, page + i, MEMLENS_PAGE_KERNEL_STACK);
	}
	rcu_read_unlock();
}

static void vmap_resolve_areas(void)
{
	const char *why = NULL;

	if (MEMLENS_VMAP_NODES) {
		vs.nodes = memlens_ksym(MEMLENS_KSYM_VMAP_NODES, &why);
		if (vs.nodes)
			vs.nr_nodes = memlens_ksym(MEMLENS_KSYM_NR_VMAP_NODES, &why);
		if (vs.nodes && vs.nr_nodes)
			memlens_vmap_node_layout(&vs.layout, vmap_why, sizeof(vmap_why));
	} else {
		vs.root = memlens_ksym(MEMLENS_KSYM_VMAP_AREA_ROOT, &why);
		if (vs.root)
			vs.lock = memlens_ksym(MEMLENS_KSYM_VMAP_AREA_LOCK, &why);
	}
	if (why)
		strscpy(vmap_why, why, sizeof(vmap_why));
}

static void vmap_resolve_percpu(void)
{
	const char *why = NULL;
	char buf[96];

	vs.pcpu_base = memlens_ksym(MEMLENS_KSYM_PCPU_BASE_ADDR, &why);
	if (vs.pcpu_base)
		vs.pcpu_offsets = memlens_ksym(MEMLENS_KSYM_PCPU_UNIT_OFFSETS, &why);
	if (vs.pcpu_offsets)
		vs.pcpu_unit_size = memlens_ksym(MEMLENS_KSYM_PCPU_UNIT_SIZE, &why);
	if (vs.pcpu_unit_size)
		vs.pcpu_first = memlens_ksym(MEMLENS_KSYM_PCPU_FIRST_CHUNK, &why);
	if (!why && memlens_pcpu_chunk_layout(&vs.layout, buf, sizeof(buf)))
		why = buf;
	if (why)
		snprintf(pcpu_why, sizeof(pcpu_why), "percpu first chunk: %s", why);
}

/* This task's stack was allocated where any task's is. */
static void vmap_resolve_stack(void)
{
	/* NULL without CONFIG_VMAP_STACK */
	struct vm_struct *vm = task_stack_vm_area(current);

	if (vm && vm->caller)
		vmap_symbol(stack_caller, vm->caller);
}

/**
 * memlens_vmap_status() - can the vmap areas be read on this kernel?
 * @missing: set, when they cannot, to the classes left out
 *
 * May sleep: the first call finds the kernel's symbols and reads its BTF.
 *
 * Return: NULL when all of them can, otherwise why not: the vmap areas
 * (then memlens_vmap_census() claims nothing), or the first percpu chunk
 * (then its pages are not claimed).
 */
const char *memlens_vmap_status(const char **missing)
{
	/* pairs with the release below: once set, nothing here changes */
	if (!smp_load_acquire(&vmap_done)) {
		mutex_lock(&vmap_mutex);
		if (!vmap_done) {
			vmap_resolve_areas();
			vmap_resolve_percpu();
			vmap_resolve_stack();
			if (vmap_why[0])
				pr_info("pages view: vmap areas unavailable: %s\n", vmap_why);
			else if (pcpu_why[0])
				pr_info("pages view: %s\n", pcpu_why);
			/* pairs with the acquire above */
			smp_store_release(&vmap_done, true);
		}
		mutex_unlock(&vmap_mutex);
	}
	if (vmap_why[0]) {
		*missing = "kernel_stack, vmalloc, percpu, modules";
		return vmap_why;
	}
	if (!pcpu_why[0])
		return NULL;
	*missing = "percpu's first chunk";
	return pcpu_why;
}

/**
 * memlens_vmap_census() - claim the pages of vmalloc areas, stacks, percpu
 * @c: the census, after its walk of every page
 *
 * Sleeps between batches; the claims are made under spinlocks and RCU.
 */
void memlens_vmap_census(struct memlens_census *c)
{
	struct vmap_walk w = { .c = c };
	const char *missing;

	if (memlens_vmap_status(&missing) && vmap_why[0])
		return;
	w.callers = kcalloc(BIT(VMAP_CALLER_BITS), sizeof(*w.callers), GFP_KERNEL);
	vmap_walk_areas(&w);
	kfree(w.callers);
	if (!pcpu_why[0])
		vmap_percpu_first_chunk(c);
	vmap_task_stacks(c);
}
