// SPDX-License-Identifier: GPL-2.0
/*
 * The seq_file of a table with one row per process: a header, then the
 * rows in tgid order, the file position being the next tgid to show, as
 * next_tgid() in fs/proc/base.c keeps it.  Every read() can start anew
 * from the position and nothing is held between two processes.  A view
 * gives how to read its row and how to show it (struct memlens_pid_view).
 */
#include <linux/cred.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "memlens.h"

/*
 * seq_file starts with a page and restarts the walk at the position for
 * every read(): a larger buffer means a few restarts for a big table
 * instead of hundreds.  seq_release() frees it with kvfree().
 */
#define PID_SEQ_BUF_SIZE	(64 * 1024)

/*
 * seq_read() starts again at the same position when a row did not fit:
 * the row already read is shown, not read twice.
 */
static void *pid_seq_advance(struct memlens_pid_seq *ps, loff_t *pos)
{
	if (ps->row && ps->it.tgid == *pos)
		return ps->row;
	ps->it.tgid = *pos;
	ps->row = ps->view->read(ps);
	if (!ps->row) {
		*pos = PID_MAX_LIMIT + 1;
		return NULL;
	}
	*pos = ps->it.tgid;
	return ps->row;
}

static void *pid_seq_start(struct seq_file *m, loff_t *pos)
{
	struct memlens_pid_seq *ps = m->private;

	if (!*pos) {
		ps->row = NULL;
		return SEQ_START_TOKEN;
	}
	if (*pos > PID_MAX_LIMIT)
		return NULL;
	return pid_seq_advance(ps, pos);
}

static void *pid_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	cond_resched();
	++*pos;
	if (*pos > PID_MAX_LIMIT)
		return NULL;
	return pid_seq_advance(m->private, pos);
}

static void pid_seq_stop(struct seq_file *m, void *v)
{
}

static int pid_seq_show(struct seq_file *m, void *v)
{
	struct memlens_pid_seq *ps = m->private;

	if (v == SEQ_START_TOKEN)
		ps->view->header(m);
	else
		ps->view->show(m, v);
	return 0;
}

static const struct seq_operations pid_seq_sops = {
	.start = pid_seq_start,
	.next = pid_seq_next,
	.stop = pid_seq_stop,
	.show = pid_seq_show,
};

/**
 * memlens_pid_seq_open() - open a per-process table
 * @file: the file being opened
 * @view: the table's rows; @view->size bytes of state, zeroed, begin
 *	with the struct memlens_pid_seq returned
 *
 * The walk is in the opener's pid and user namespaces.
 *
 * Return: the file's state, or NULL when out of memory.
 */
struct memlens_pid_seq *memlens_pid_seq_open(struct file *file,
					     const struct memlens_pid_view *view)
{
	struct memlens_pid_seq *ps;
	struct seq_file *m;

	ps = __seq_open_private(file, &pid_seq_sops, view->size);
	if (!ps)
		return NULL;
	m = file->private_data;
	m->buf = kvmalloc(PID_SEQ_BUF_SIZE, GFP_KERNEL_ACCOUNT);
	if (m->buf)
		m->size = PID_SEQ_BUF_SIZE;
	ps->view = view;
	memlens_proc_iter_init(&ps->it, file->f_cred->user_ns);
	return ps;
}

int memlens_pid_seq_release(struct inode *inode, struct file *file)
{
	struct memlens_pid_seq *ps = ((struct seq_file *)file->private_data)->private;

	memlens_proc_iter_exit(&ps->it);
	return seq_release_private(inode, file);
}
