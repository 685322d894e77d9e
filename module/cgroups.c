// SPDX-License-Identifier: GPL-2.0
/*
 * The cgroups view: one row per memory cgroup, live or dying, with what
 * its memory.current, memory.max, memory.high, memory.swap.current,
 * memory.events and memory.stat print (mm/memcontrol.c).
 *
 * The hierarchy is walked from the memory controller's root with
 * css_next_descendant_pre(), as mem_cgroup_iter() walks it: a removed
 * cgroup stays on its parent's list, and is visited, until it is freed.
 * RCU is held to step from one cgroup to the next, and a reference
 * (css_tryget(), as mem_cgroup_iter() takes) on the cgroup read, given
 * back at the next step.  The rows are made at the first read, and
 * nothing is held once it returns.
 *
 * memory.stat prints memcg->vmstats as the last flush of the statistics
 * left them (mem_cgroup_css_rstat_flush()).  The kernel flushes every two
 * seconds, and before memory.stat is read if enough changed since.  The
 * flush is not exported; memlens adds what it would add, without writing
 * anything: for every cgroup of the subtree, its counts pending from
 * below and each CPU's changes since the last flush.  At rest, after a
 * flush, these are zero and the numbers are memory.stat's.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/cpumask.h>
#include <linux/memcontrol.h>
#include <linux/nsproxy.h>
#include <linux/page_counter.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "compat.h"
#include "memlens.h"
#include "mm_mirror.h"

#define CG_FIRST_STAT	MEMLENS_CGROUPS_ANON
#define CG_NR_STATS	(MEMLENS_CGROUPS_NR_NUMERIC - CG_FIRST_STAT)

/* memory.stat's item of each column from anon on, in the cgroups columns' order */
static const int cg_items[CG_NR_STATS] = {
	[MEMLENS_CGROUPS_ANON - CG_FIRST_STAT] = NR_ANON_MAPPED,
	[MEMLENS_CGROUPS_FILE - CG_FIRST_STAT] = NR_FILE_PAGES,
	[MEMLENS_CGROUPS_KERNEL - CG_FIRST_STAT] = MEMCG_KMEM,
	[MEMLENS_CGROUPS_KERNEL_STACK - CG_FIRST_STAT] = NR_KERNEL_STACK_KB,
	[MEMLENS_CGROUPS_PAGETABLES - CG_FIRST_STAT] = NR_PAGETABLE,
	[MEMLENS_CGROUPS_PERCPU - CG_FIRST_STAT] = MEMCG_PERCPU_B,
	[MEMLENS_CGROUPS_SOCK - CG_FIRST_STAT] = MEMCG_SOCK,
	[MEMLENS_CGROUPS_VMALLOC - CG_FIRST_STAT] = MEMLENS_MEMCG_VMALLOC,
	[MEMLENS_CGROUPS_SHMEM - CG_FIRST_STAT] = NR_SHMEM,
	[MEMLENS_CGROUPS_FILE_MAPPED - CG_FIRST_STAT] = NR_FILE_MAPPED,
	[MEMLENS_CGROUPS_FILE_DIRTY - CG_FIRST_STAT] = NR_FILE_DIRTY,
	[MEMLENS_CGROUPS_FILE_WRITEBACK - CG_FIRST_STAT] = NR_WRITEBACK,
	[MEMLENS_CGROUPS_SWAPCACHED - CG_FIRST_STAT] = MEMLENS_MEMCG_SWAPCACHE,
	[MEMLENS_CGROUPS_ANON_THP - CG_FIRST_STAT] = MEMLENS_MEMCG_ANON_THP,
	[MEMLENS_CGROUPS_INACTIVE_ANON - CG_FIRST_STAT] = NR_INACTIVE_ANON,
	[MEMLENS_CGROUPS_ACTIVE_ANON - CG_FIRST_STAT] = NR_ACTIVE_ANON,
	[MEMLENS_CGROUPS_INACTIVE_FILE - CG_FIRST_STAT] = NR_INACTIVE_FILE,
	[MEMLENS_CGROUPS_ACTIVE_FILE - CG_FIRST_STAT] = NR_ACTIVE_FILE,
	[MEMLENS_CGROUPS_UNEVICTABLE - CG_FIRST_STAT] = NR_UNEVICTABLE,
	[MEMLENS_CGROUPS_SLAB_RECLAIMABLE - CG_FIRST_STAT] = NR_SLAB_RECLAIMABLE_B,
	[MEMLENS_CGROUPS_SLAB_UNRECLAIMABLE - CG_FIRST_STAT] = NR_SLAB_UNRECLAIMABLE_B,
};

struct cg_row {
	u64 val[MEMLENS_CGROUPS_NR_NUMERIC];
	long state[CG_NR_STATS];	/* vmstats->state */
	long pending[CG_NR_STATS];	/* what a flush adds, of the cgroup, then its subtree */
	unsigned long blank;
	int parent;			/* row index, -1 for the root */
	bool dying;
	u32 path;			/* offset in the snapshot's paths */
};

struct cg_snap {
	bool done;
	int err;
	int index[CG_NR_STATS];		/* of each column's item in the arrays, -1: none */
	struct cg_row *rows;
	int nr, cap;
	char *paths;
	u32 paths_len, paths_cap;
	u64 *proc_ids;			/* memcg ids of the processes, sorted */
	int nr_procs;
	/* the walk's current path from the root: css and row, for parents */
	struct cgroup_subsys_state *stack_css[64];
	int stack_row[64];
	int depth;
};

static const struct memlens_column cg_cols[] = {
	MEMLENS_CGROUPS_COLUMNS(MEMLENS_COLUMN)
};

static const struct memlens_table cg_table = {
	.cols = cg_cols,
	.n = MEMLENS_CGROUPS_NR_NUMERIC,
};

/**
 * memlens_task_memcg_id() - the id of a task's memory cgroup
 * @p: the task; under RCU
 *
 * Return: the cgroup id of the memcg @p is charged to, 0 without memcg.
 */
u64 memlens_task_memcg_id(struct task_struct *p)
{
	struct mem_cgroup *memcg;

	if (mem_cgroup_disabled())
		return 0;
	memcg = mem_cgroup_from_task(p);
	return memcg ? cgroup_id(memcg->css.cgroup) : 0;
}

static int cg_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* The memcg ids of the processes with memory in the reader's pid namespace. */
static int cg_procs(struct cg_snap *s)
{
	struct memlens_proc_iter it;
	int cap = 0, ret = 0;
	u64 *ids, id;

	memlens_proc_iter_init(&it, current_user_ns());
	while (memlens_proc_next_memcg(&it, &id)) {
		it.tgid++;
		cond_resched();
		if (!id)
			continue;
		if (s->nr_procs == cap) {
			cap = max(cap * 2, 256);
			ids = memlens_kvrealloc(s->proc_ids, s->nr_procs * sizeof(*ids),
						cap * sizeof(*ids), GFP_KERNEL);
			if (!ids) {
				ret = -ENOMEM;
				break;
			}
			s->proc_ids = ids;
		}
		s->proc_ids[s->nr_procs++] = id;
	}
	memlens_proc_iter_exit(&it);
	if (!ret)
		sort(s->proc_ids, s->nr_procs, sizeof(u64), cg_cmp_u64, NULL);
	return ret;
}

/* How many of the processes are in cgroup @id: a binary search. */
static u64 cg_procs_in(const struct cg_snap *s, u64 id)
{
	int lo = 0, hi = s->nr_procs, mid, first;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->proc_ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (lo < s->nr_procs && s->proc_ids[lo] == id)
		lo++;
	return lo - first;
}

/* memory.stat's numbers of @memcg: its state, and what a flush would add from itself. */
static void cg_stats(const struct cg_snap *s, struct mem_cgroup *memcg, struct cg_row *row)
{
	const struct memlens_memcg_layout *l = &memlens_memcg;
	const void *vs = READ_ONCE(memcg->vmstats);
	int i, ix, cpu;

	for (i = 0; i < CG_NR_STATS; i++) {
		ix = s->index[i];
		if (ix < 0) {
			row->blank |= BIT(CG_FIRST_STAT + i);
			continue;
		}
		row->state[i] = READ_ONCE(((const long *)(vs + l->state))[ix]);
		row->pending[i] = READ_ONCE(((const long *)(vs + l->pending))[ix]);
	}
	for_each_possible_cpu(cpu) {
		/* the struct is private: its members are at the offsets BTF gave */
		const void *pc = per_cpu_ptr((void __percpu *)memcg->vmstats_percpu, cpu);
		const long *now = pc + l->cpu_state, *prev = pc + l->cpu_prev;

		for (i = 0; i < CG_NR_STATS; i++) {
			ix = s->index[i];
			if (ix >= 0)
				row->pending[i] += READ_ONCE(now[ix]) - READ_ONCE(prev[ix]);
		}
	}
}

/* A page counter's limit in kB, or blank when there is none ("max"). */
static void cg_limit(struct cg_row *row, int col, unsigned long limit)
{
	if (limit == PAGE_COUNTER_MAX)
		row->blank |= BIT(col);
	else
		row->val[col] = MEMLENS_PAGES_TO_KB(limit);
}

/* The numbers of the cgroup files other than memory.stat. */
static void cg_counters(struct mem_cgroup *memcg, struct cg_row *row, bool is_root)
{
	u64 *val = row->val;

	val[MEMLENS_CGROUPS_OOM_KILL] = atomic_long_read(&memcg->memory_events[MEMCG_OOM_KILL]);
	/* the root has no memory.current, .max, .high, .swap.current; cgroup1 no swap, high */
	if (is_root) {
		row->blank |= BIT(MEMLENS_CGROUPS_CURRENT) | BIT(MEMLENS_CGROUPS_MAX) |
			      BIT(MEMLENS_CGROUPS_HIGH) | BIT(MEMLENS_CGROUPS_SWAP);
		return;
	}
	val[MEMLENS_CGROUPS_CURRENT] = MEMLENS_PAGES_TO_KB(page_counter_read(&memcg->memory));
	cg_limit(row, MEMLENS_CGROUPS_MAX, READ_ONCE(memcg->memory.max));
	if (!cgroup_subsys_on_dfl(memory_cgrp_subsys)) {
		row->blank |= BIT(MEMLENS_CGROUPS_HIGH) | BIT(MEMLENS_CGROUPS_SWAP);
		return;
	}
	cg_limit(row, MEMLENS_CGROUPS_HIGH, READ_ONCE(memcg->memory.high));
	val[MEMLENS_CGROUPS_SWAP] = MEMLENS_PAGES_TO_KB(page_counter_read(&memcg->swap));
}

/* The cgroup's path as /proc/self/cgroup names it; may sleep. */
static int cg_path(struct cg_snap *s, struct cgroup *cgrp, struct cg_row *row)
{
	u32 cap = max(s->paths_cap * 2, (u32)PATH_MAX * 4);
	char *p;
	int len;

	if (s->paths_cap - s->paths_len < PATH_MAX) {
		p = memlens_kvrealloc(s->paths, s->paths_cap, cap, GFP_KERNEL);
		if (!p)
			return -ENOMEM;
		s->paths = p;
		s->paths_cap = cap;
	}
	p = s->paths + s->paths_len;
	len = cgroup_path_ns(cgrp, p, PATH_MAX, current->nsproxy->cgroup_ns);
	if (len < 0 || len >= PATH_MAX)
		/* a path too long for PATH_MAX: say so rather than cut it */
		len = strscpy(p, "?", PATH_MAX);
	row->path = s->paths_len;
	s->paths_len += len + 1;
	return 0;
}

/* The row of the parent of @css, from the walk's path from the root. */
static int cg_parent(struct cg_snap *s, struct cgroup_subsys_state *css, int row)
{
	int parent;

	while (s->depth && s->stack_css[s->depth - 1] != css->parent)
		s->depth--;
	parent = s->depth ? s->stack_row[s->depth - 1] : -1;
	if (s->depth < ARRAY_SIZE(s->stack_css)) {
		s->stack_css[s->depth] = css;
		s->stack_row[s->depth++] = row;
	}
	return parent;
}

/* One cgroup's row; @css is held.  May sleep. */
static int cg_row_add(struct cg_snap *s, struct cgroup_subsys_state *css)
{
	struct mem_cgroup *memcg = mem_cgroup_from_css(css);
	struct cg_row *row;
	int ret;

	if (s->nr == s->cap) {
		int cap = max(s->cap * 2, 64);

		row = memlens_kvrealloc(s->rows, s->cap * sizeof(*row), cap * sizeof(*row),
					GFP_KERNEL);
		if (!row)
			return -ENOMEM;
		s->rows = row;
		s->cap = cap;
	}
	row = &s->rows[s->nr];
	memset(row, 0, sizeof(*row));
	ret = cg_path(s, css->cgroup, row);
	if (ret)
		return ret;
	row->val[MEMLENS_CGROUPS_ID] = cgroup_id(css->cgroup);
	row->val[MEMLENS_CGROUPS_PROCS] = cg_procs_in(s, row->val[MEMLENS_CGROUPS_ID]);
	/* rmdir sets CSS_DYING at once; CSS_ONLINE goes later, from a work item */
	row->dying = READ_ONCE(css->flags) & (CSS_DYING | CSS_RELEASED);
	row->parent = cg_parent(s, css, s->nr);
	cg_counters(memcg, row, !css->parent);
	cg_stats(s, memcg, row);
	if (!memlens_memcg_counts_own(css))
		/* its memory went to its parent: what its counters kept is not its own */
		row->blank |= GENMASK(MEMLENS_CGROUPS_NR_NUMERIC - 1, MEMLENS_CGROUPS_CURRENT) &
			      ~BIT(MEMLENS_CGROUPS_OOM_KILL);
	s->nr++;
	return 0;
}

/*
 * Every memory cgroup, parents first.  The reference on the cgroup the
 * walk stands on keeps it, and its place among its siblings, across the
 * sleeps in between (mem_cgroup_iter()'s way).
 */
static int cg_walk(struct cg_snap *s)
{
	struct cgroup_subsys_state *root, *pos = NULL, *next;
	int ret = 0;

	rcu_read_lock();
	root = rcu_dereference(memory_cgrp_subsys.root->cgrp.subsys[memory_cgrp_id]);
	next = root;
	for (;;) {
		while (next && !css_tryget(next))
			next = css_next_descendant_pre(next, root);
		rcu_read_unlock();
		if (pos)
			css_put(pos);
		pos = next;
		if (!pos)
			break;
		ret = cg_row_add(s, pos);
		if (ret) {
			css_put(pos);
			break;
		}
		cond_resched();
		rcu_read_lock();
		next = css_next_descendant_pre(pos, root);
	}
	return ret;
}

/*
 * A flush adds a cgroup's pending counts to it and all its ancestors:
 * rows come parents first, so from the last row up each subtree's are
 * summed before its parent takes them.
 */
static void cg_finish(struct cg_snap *s)
{
	struct cg_row *row;
	u64 unit;
	long v;
	int r, i;

	for (r = s->nr - 1; r >= 0; r--) {
		row = &s->rows[r];
		if (row->parent >= 0)
			for (i = 0; i < CG_NR_STATS; i++)
				s->rows[row->parent].pending[i] += row->pending[i];
		for (i = 0; i < CG_NR_STATS; i++) {
			/* memcg_page_state() clamps what per-cpu batching left negative */
			v = max(row->state[i] + row->pending[i], 0L);
			unit = memlens_memcg_unit(cg_items[i]);
			row->val[CG_FIRST_STAT + i] = (u64)v * unit / 1024;
		}
	}
}

static int cg_take(struct cg_snap *s)
{
	int ret, i;

	for (i = 0; i < CG_NR_STATS; i++)
		s->index[i] = cg_items[i] < 0 ? -1 : memlens_memcg_index(cg_items[i]);
	ret = cg_procs(s);
	if (!ret)
		ret = cg_walk(s);
	if (!ret)
		cg_finish(s);
	kvfree(s->proc_ids);
	s->proc_ids = NULL;
	return ret;
}

static char cg_unsupported_token;

static void *cg_start(struct seq_file *m, loff_t *pos)
{
	struct cg_snap *s = m->private;

	if (memlens_memcg_layout())
		return *pos ? NULL : &cg_unsupported_token;
	if (!s->done) {
		s->err = cg_take(s);
		s->done = true;
	}
	if (s->err)
		return ERR_PTR(s->err);
	if (!*pos)
		return SEQ_START_TOKEN;
	return *pos <= s->nr ? &s->rows[*pos - 1] : NULL;
}

static void *cg_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return v == &cg_unsupported_token ? NULL : cg_start(m, pos);
}

static void cg_stop(struct seq_file *m, void *v)
{
}

static int cg_show(struct seq_file *m, void *v)
{
	struct cg_snap *s = m->private;
	struct cg_row *row = v;

	if (v == &cg_unsupported_token) {
		seq_printf(m, MEMLENS_STATUS_UNSUPPORTED ": %s\n", memlens_memcg_layout());
		return 0;
	}
	if (v == SEQ_START_TOKEN) {
		memlens_seq_header(m, &cg_table, MEMLENS_CGROUPS_STATE " " MEMLENS_CGROUPS_PATH);
		return 0;
	}
	memlens_seq_row(m, &cg_table, row->val, row->blank,
			row->dying ? MEMLENS_CGROUP_DYING : MEMLENS_CGROUP_ONLINE,
			s->paths + row->path, PATH_MAX);
	return 0;
}

static const struct seq_operations cg_sops = {
	.start = cg_start,
	.next = cg_next,
	.stop = cg_stop,
	.show = cg_show,
};

static int cg_open(struct inode *inode, struct file *file)
{
	return __seq_open_private(file, &cg_sops, sizeof(struct cg_snap)) ? 0 : -ENOMEM;
}

static int cg_release(struct inode *inode, struct file *file)
{
	struct cg_snap *s = ((struct seq_file *)file->private_data)->private;

	kvfree(s->rows);
	kvfree(s->paths);
	return seq_release_private(inode, file);
}

static const struct file_operations cg_fops = {
	.owner = THIS_MODULE,
	.open = cg_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = cg_release,
};

static const char *cg_status(const char **missing)
{
	return memlens_memcg_layout();
}

const struct memlens_view memlens_cgroups_view = {
	.name = MEMLENS_FILE_CGROUPS,
	.fops = &cg_fops,
	.status = cg_status,
};
