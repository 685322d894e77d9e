// SPDX-License-Identifier: GPL-2.0
/*
 * The processes view: one row per thread group, with the numbers
 * fs/proc/task_mmu.c task_mem() prints in /proc/PID/status.
 *
 * The walk is a pid cursor, like next_tgid() in fs/proc/base.c: the file
 * position is the next tgid to show, so every read() can start anew from
 * it and nothing is held between two processes.  Each process is read
 * under RCU with the task lock of a thread that still has an mm, as the
 * OOM killer's dump_tasks() does, so no reference on the mm is taken and
 * no mmput() can ever run from here.
 */
#include <linux/cred.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/string.h>
#include <linux/uidgid.h>

#include "memlens.h"
#include "mm_mirror.h"

/* task_mem() of fs/proc/task_mmu.c, into our columns.  Task lock held. */
static void proc_row_mm(struct mm_struct *mm, u64 *val)
{
	unsigned long anon, file, shmem, rss, text, lib;
	unsigned long counters[NR_MM_COUNTERS];

	memlens_mm_counters(mm, counters);
	anon = counters[MM_ANONPAGES];
	file = counters[MM_FILEPAGES];
	shmem = counters[MM_SHMEMPAGES];
	rss = anon + file + shmem;

	/* split executable areas between text and lib, as task_mem() does */
	text = PAGE_ALIGN(mm->end_code) - (mm->start_code & PAGE_MASK);
	text = min(text, mm->exec_vm << PAGE_SHIFT);
	lib = (mm->exec_vm << PAGE_SHIFT) - text;

	val[MEMLENS_PROC_VSZ] = MEMLENS_PAGES_TO_KB(mm->total_vm);
	val[MEMLENS_PROC_RSS] = MEMLENS_PAGES_TO_KB(rss);
	val[MEMLENS_PROC_ANON] = MEMLENS_PAGES_TO_KB(anon);
	val[MEMLENS_PROC_FILE] = MEMLENS_PAGES_TO_KB(file);
	val[MEMLENS_PROC_SHMEM] = MEMLENS_PAGES_TO_KB(shmem);
	val[MEMLENS_PROC_SHARED] = MEMLENS_PAGES_TO_KB(file + shmem);
	val[MEMLENS_PROC_SWAP] = MEMLENS_PAGES_TO_KB(counters[MM_SWAPENTS]);
	val[MEMLENS_PROC_PTE] = mm_pgtables_bytes(mm) >> 10;
	val[MEMLENS_PROC_HWM] = MEMLENS_PAGES_TO_KB(max(mm->hiwater_rss, rss));
	val[MEMLENS_PROC_CODE] = text >> 10;
	val[MEMLENS_PROC_DATA] = MEMLENS_PAGES_TO_KB(mm->data_vm);
	val[MEMLENS_PROC_HEAP] = mm->brk > mm->start_brk ?
				 (mm->brk - mm->start_brk) >> 10 : 0;
	val[MEMLENS_PROC_STACK] = MEMLENS_PAGES_TO_KB(mm->stack_vm);
	val[MEMLENS_PROC_LIB] = lib >> 10;
}

/*
 * find_lock_task_mm() of mm/oom_kill.c (not exported): @fn is called with
 * the mm of the first thread of @p that has one, under that thread's task
 * lock, which keeps the mm; not at all when every thread has left its mm.
 * Under RCU.
 */
static void proc_task_mm(struct task_struct *p, void (*fn)(struct mm_struct *mm, void *arg),
			 void *arg)
{
	struct task_struct *t;

	for_each_thread(p, t) {
		task_lock(t);
		if (likely(t->mm)) {
			fn(t->mm, arg);
			task_unlock(t);
			return;
		}
		task_unlock(t);
	}
}

static void proc_row_mm_of(struct mm_struct *mm, void *val)
{
	proc_row_mm(mm, val);
}

/* The mm of another thread of @p, when the main thread has exited and left its mm. */
static void proc_row_threads(struct task_struct *p, u64 *val)
{
	proc_task_mm(p, proc_row_mm_of, val);
}

/*
 * The effective uid in the reader's user namespace.  A table has few users
 * and many rows: remember the last mapping (a kuid_t is a value, so the
 * memory is safe across RCU sections).
 */
static uid_t proc_uid(struct memlens_proc_iter *it, kuid_t euid)
{
	if (!it->uid_valid || !uid_eq(euid, it->last_kuid)) {
		it->last_kuid = euid;
		it->last_uid = from_kuid_munged(it->user_ns, euid);
		it->uid_valid = true;
	}
	return it->last_uid;
}

/* task_tgid_nr_ns() of the parent, as /proc/PID/status, inline.  Under RCU. */
static pid_t proc_ppid(struct memlens_proc_iter *it, struct task_struct *p)
{
	struct task_struct *parent;

	if (!pid_alive(p))
		return 0;
	parent = rcu_dereference(p->real_parent);
	return pid_alive(parent) ? pid_nr_ns(task_tgid(parent), it->ns) : 0;
}

/* Everything /proc/PID/status would say of @p.  Under RCU. */
static void proc_row_fill(struct memlens_proc_iter *it, struct task_struct *p,
			  struct memlens_proc_row *row)
{
	u64 *val = row->val;
	bool own_mm, found = false;

	val[MEMLENS_PROC_PID] = it->tgid;
	val[MEMLENS_PROC_PPID] = proc_ppid(it, p);
	val[MEMLENS_PROC_UID] = proc_uid(it, __task_cred(p)->euid);
	val[MEMLENS_PROC_THREADS] = get_nr_threads(p);

	/*
	 * One task lock for the name and, nearly always, the mm.  A kernel
	 * thread may borrow an mm (kthread_use_mm): that is not its own.
	 * comm is always NUL-terminated and padded: copy all of it.
	 */
	task_lock(p);
	memcpy(row->comm, p->comm, sizeof(row->comm));
	own_mm = !(p->flags & PF_KTHREAD);
	if (own_mm && p->mm) {
		proc_row_mm(p->mm, val);
		found = true;
	}
	task_unlock(p);
	if (!found) {
		/* zeros for a kernel thread, or until another thread's mm says */
		memset(&val[MEMLENS_PROC_VSZ], 0,
		       sizeof(*val) * (MEMLENS_PROC_LIB + 1 - MEMLENS_PROC_VSZ));
		if (own_mm)
			proc_row_threads(p, val);
	}
	val[MEMLENS_PROC_CGROUP] = memlens_task_memcg_id(p);
}

/* The thread group leader with the lowest tgid >= it->tgid.  Under RCU. */
static struct task_struct *next_leader(struct memlens_proc_iter *it)
{
	struct task_struct *p;
	struct pid *pid;

	for (;;) {
		pid = find_ge_pid(it->tgid, it->ns);
		if (!pid)
			return NULL;
		it->tgid = pid_nr_ns(pid, it->ns);
		p = pid_task(pid, PIDTYPE_TGID);
		if (p)
			return p;
		it->tgid++;
	}
}

/**
 * memlens_proc_next() - read the process at or after the cursor
 * @it: cursor; it->tgid is the lowest tgid wanted and becomes the one read
 * @row: filled with that process's numbers
 *
 * Return: false when no process is left.
 */
bool memlens_proc_next(struct memlens_proc_iter *it, struct memlens_proc_row *row)
{
	struct task_struct *p;

	rcu_read_lock();
	p = next_leader(it);
	if (p)
		proc_row_fill(it, p, row);
	rcu_read_unlock();
	return p;
}

/* Any thread of the process has an mm. */
static void proc_has_mm(struct mm_struct *mm, void *arg)
{
	*(bool *)arg = true;
}

/**
 * memlens_proc_next_memcg() - the memory cgroup of the process at or after the cursor
 * @it: cursor; it->tgid is the lowest tgid wanted and becomes the one found
 * @id: set to the id of its memory cgroup (memlens_task_memcg_id()), or 0
 *	for a kernel thread or a process whose threads have all left their mm
 *
 * Return: false when no process is left.
 */
bool memlens_proc_next_memcg(struct memlens_proc_iter *it, u64 *id)
{
	struct task_struct *p;
	bool has_mm = false;

	*id = 0;
	rcu_read_lock();
	p = next_leader(it);
	if (p && !(p->flags & PF_KTHREAD)) {
		proc_task_mm(p, proc_has_mm, &has_mm);
		if (has_mm)
			*id = memlens_task_memcg_id(p);
	}
	rcu_read_unlock();
	return p;
}

/* A reference on @mm for *@arg; the thread's own keeps it while its task lock is held. */
static void proc_mmget(struct mm_struct *mm, void *arg)
{
	struct mm_struct **ref = arg;

	if (mmget_not_zero(mm))
		*ref = mm;
}

/**
 * memlens_proc_next_mm() - the process at or after the cursor, and its mm
 * @it: cursor; it->tgid is the lowest tgid wanted and becomes the one found
 * @comm: set to its name, TASK_COMM_LEN bytes
 * @mm: set to its mm, with a reference (mmget_not_zero()) that the caller
 *	gives back with mmput_async(); NULL for a kernel thread, or a process
 *	whose threads have all left their mm
 *
 * The mm is that of the first thread that has one, as find_lock_task_mm()
 * finds it.
 *
 * Return: false when no process is left.
 */
bool memlens_proc_next_mm(struct memlens_proc_iter *it, char *comm, struct mm_struct **mm)
{
	struct task_struct *p;

	*mm = NULL;
	rcu_read_lock();
	p = next_leader(it);
	if (p) {
		task_lock(p);
		memcpy(comm, p->comm, TASK_COMM_LEN);
		task_unlock(p);
		if (!(p->flags & PF_KTHREAD))
			proc_task_mm(p, proc_mmget, mm);
	}
	rcu_read_unlock();
	return p;
}

/* Start a walk in the caller's pid and user namespaces. */
void memlens_proc_iter_init(struct memlens_proc_iter *it, struct user_namespace *user_ns)
{
	it->ns = get_pid_ns(task_active_pid_ns(current));
	it->user_ns = user_ns;
	it->tgid = 1;
	it->uid_valid = false;
}

void memlens_proc_iter_exit(struct memlens_proc_iter *it)
{
	put_pid_ns(it->ns);
}

/* The file's state: the cursor, then the row being shown. */
struct procs_file {
	struct memlens_pid_seq ps;
	struct memlens_proc_row row;
};

static void *procs_read(struct memlens_pid_seq *ps)
{
	struct procs_file *f = container_of(ps, struct procs_file, ps);

	return memlens_proc_next(&ps->it, &f->row) ? &f->row : NULL;
}

static const struct memlens_column procs_cols[] = {
	MEMLENS_PROC_COLUMNS(MEMLENS_COLUMN)
};

static const struct memlens_table procs_table = {
	.cols = procs_cols,
	.n = MEMLENS_PROC_NR_NUMERIC,
};

static void procs_header(struct seq_file *m)
{
	memlens_seq_header(m, &procs_table, MEMLENS_PROC_COMM);
}

static void procs_show(struct seq_file *m, void *v)
{
	struct memlens_proc_row *row = v;

	memlens_seq_row(m, &procs_table, row->val, 0, NULL, row->comm, sizeof(row->comm));
}

static const struct memlens_pid_view procs_pid_view = {
	.read = procs_read,
	.header = procs_header,
	.show = procs_show,
	.size = sizeof(struct procs_file),
};

static int procs_open(struct inode *inode, struct file *file)
{
	return memlens_pid_seq_open(file, &procs_pid_view) ? 0 : -ENOMEM;
}

static const struct file_operations procs_fops = {
	.owner = THIS_MODULE,
	.open = procs_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = memlens_pid_seq_release,
};

const struct memlens_view memlens_processes_view = {
	.name = MEMLENS_FILE_PROCESSES,
	.fops = &procs_fops,
};
