// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the memlens files.  Every way this can fail ends here, in one
 * message that says what to do, and exit status 1.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "reader.h"

#define DEBUGFS_MOUNT	"/sys/kernel/debug"
#define DEBUGFS_MAGIC	0x64626720

/* Why a memlens file cannot be opened, in words a person can act on. */
static void __attribute__((noreturn)) diagnose(const struct ml_options *o, const char *path,
					       int error)
{
	struct statfs sfs;
	struct stat st;

	if (error == EACCES || error == EPERM)
		errx(ML_EXIT_FAIL, "permission denied reading %s: memlens files are readable by "
		     "root only; run memlens as root", path);
	if (error == ENOENT && !strcmp(o->debugfs, MEMLENS_DEFAULT_PATH)) {
		if (statfs(DEBUGFS_MOUNT, &sfs) || sfs.f_type != DEBUGFS_MAGIC)
			errx(ML_EXIT_FAIL, "debugfs is not mounted; try: sudo mount -t debugfs "
			     "none " DEBUGFS_MOUNT);
		if (stat(MEMLENS_DEFAULT_PATH, &st))
			errx(ML_EXIT_FAIL, "kernel module not loaded; try: sudo modprobe memlens");
	}
	errno = error;
	err(ML_EXIT_FAIL, "%s", path);
}

/**
 * ml_read_fd() - read a file to its end, and close it
 * @fd: the open file
 * @cap: the first buffer's size; it doubles as needed
 * @len: set to the length read
 *
 * debugfs and /proc files have no size: read until the end.
 *
 * Return: the contents, NUL-terminated, to be freed; NULL, errno set, if a
 * read failed.
 */
char *ml_read_fd(int fd, size_t cap, size_t *len)
{
	size_t n = 0;
	char *buf, *p;
	ssize_t r;
	int e;

	buf = malloc(cap);
	if (!buf)
		err(ML_EXIT_FAIL, "malloc");
	for (;;) {
		if (cap - n < 4096) {
			cap *= 2;
			p = realloc(buf, cap);
			if (!p)
				err(ML_EXIT_FAIL, "realloc");
			buf = p;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	e = errno;
	close(fd);
	if (r < 0) {
		free(buf);
		errno = e;
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/**
 * ml_read_view() - read a whole memlens file
 * @o: options, for the directory
 * @file: the file's name in it
 * @len: set to the length read
 *
 * Exits on any error.
 *
 * Return: the contents, NUL-terminated, to be freed.
 */
char *ml_read_view(const struct ml_options *o, const char *file, size_t *len)
{
	char path[4096], *buf;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", o->debugfs, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		diagnose(o, path, errno);
	buf = ml_read_fd(fd, 1 << 18, len);
	if (!buf)
		err(ML_EXIT_FAIL, "%s", path);
	return buf;
}

static void __attribute__((noreturn)) parse_failed(const struct ml_options *o,
						   const struct ml_error *e)
{
	errx(ML_EXIT_FAIL, "%s/%s:%u: %s: this reader does not understand the file "
	     "(module and reader versions differ?)", o->debugfs, e->file, e->line, e->msg);
}

/* A view read whole, to parse; load_done() frees it. */
struct loaded {
	char *buf;
	size_t len;
	struct ml_error e;
};

static struct loaded load(const struct ml_options *o, const char *file)
{
	struct loaded l = { .buf = NULL };

	l.buf = ml_read_view(o, file, &l.len);
	return l;
}

/* After the parser's @ret: exits if it failed, else frees the buffer. */
static void load_done(const struct ml_options *o, struct loaded *l, int ret)
{
	if (ret)
		parse_failed(o, &l->e);
	free(l->buf);
}

void ml_load_processes(const struct ml_options *o, struct ml_procs *p)
{
	struct loaded l = load(o, MEMLENS_FILE_PROCESSES);

	load_done(o, &l, ml_parse_processes(l.buf, l.len, p, &l.e));
}

void ml_load_system(const struct ml_options *o, struct ml_system *s)
{
	struct loaded l = load(o, MEMLENS_FILE_SYSTEM);

	load_done(o, &l, ml_parse_system(l.buf, l.len, s, &l.e));
}

void ml_load_slab(const struct ml_options *o, struct ml_slabs *s)
{
	struct loaded l = load(o, MEMLENS_FILE_SLAB);

	load_done(o, &l, ml_parse_slab(l.buf, l.len, s, &l.e));
	if (s->unsupported[0])
		ml_view_unsupported(MEMLENS_FILE_SLAB, s->unsupported,
				    "the other views work: memlens ps, memlens mem");
}

/**
 * ml_view_unsupported() - exit saying a view does not work on this kernel
 * @view: its file name
 * @reason: the module's reason
 * @others: what works instead, for the parenthesis
 */
void ml_view_unsupported(const char *view, const char *reason, const char *others)
{
	errx(ML_EXIT_FAIL, "the %s view is %s on this kernel: %s (%s)", view,
	     MEMLENS_STATUS_UNSUPPORTED, reason, others);
}

void ml_load_version(const struct ml_options *o, struct ml_version *v)
{
	struct loaded l = load(o, MEMLENS_FILE_VERSION);

	load_done(o, &l, ml_parse_version(l.buf, l.len, v, &l.e));
}

/**
 * ml_load_files() - read and parse the files view
 * @o: options
 * @f: the rows
 * @quiet: for a part of another command's output: return -1 when the view
 *	   is missing (an older module) or unsupported, instead of exiting
 *
 * Return: 0, or -1 when @quiet and there is nothing to show.
 */
int ml_load_files(const struct ml_options *o, struct ml_files *f, bool quiet)
{
	return ml_load_files_from(o, MEMLENS_FILE_FILES, f, quiet);
}

/*
 * The same, from @file: files, mapped (the rows of the mapped files), dirs
 * or cgroup_files.
 */
int ml_load_files_from(const struct ml_options *o, const char *file, struct ml_files *f,
		       bool quiet)
{
	struct ml_error e = { 0 };
	char path[4096], *buf;
	size_t len;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", o->debugfs, file);
	if (quiet && access(path, F_OK))
		return -1;
	buf = ml_read_view(o, file, &len);
	if (!strcmp(file, MEMLENS_FILE_DIRS))
		ret = ml_parse_dirs(buf, len, f, &e);
	else if (!strcmp(file, MEMLENS_FILE_CGROUP_FILES))
		ret = ml_parse_cgroup_files(buf, len, f, &e);
	else
		ret = ml_parse_files(buf, len, f, &e);
	if (ret) {
		if (quiet) {
			free(buf);
			return -1;
		}
		parse_failed(o, &e);
	}
	free(buf);
	if (f->unsupported[0]) {
		if (quiet)
			return -1;
		ml_view_unsupported(file, f->unsupported,
				    "the other views work: memlens ps, memlens mem");
	}
	/*
	 * Cut short: out of memory (a module older than the total rows cut
	 * at its cap this way too).  Rows left out at the cap are not this:
	 * the below line says them, where the rows are shown.
	 */
	if (f->truncated && !quiet)
		warnx("the module's %s snapshot was cut short: files are missing from it", file);
	return 0;
}

/*
 * What the version file says of @view, for a loader; its reason, if any,
 * in *@reason (NULL for none wanted), pointing into @v.  An unsupported
 * view, or with @quiet no version file, is -1 when @quiet, else exits
 * saying so and naming what works (@others).
 */
static int view_status(const struct ml_options *o, enum memlens_view_id view, bool quiet,
		       const char *others, struct ml_version *v, const char **reason)
{
	enum ml_view_status st;
	const char *why;
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", o->debugfs, MEMLENS_FILE_VERSION);
	if (quiet && access(path, F_OK))
		return -1;
	ml_load_version(o, v);
	st = ml_view_status(v, view, &why);
	if (reason)
		*reason = why;
	if (st != ML_VIEW_UNSUPPORTED)
		return (int)st;
	if (quiet)
		return -1;
	ml_view_unsupported(ml_view_file[view], why, others);
}

static int cmp_pss_pid(const void *a, const void *b)
{
	uint64_t x = ((const struct ml_pss_row *)a)->val[MEMLENS_PSS_PID];
	uint64_t y = ((const struct ml_pss_row *)b)->val[MEMLENS_PSS_PID];

	return x < y ? -1 : x > y;
}

/**
 * ml_load_pss() - read and parse the pss view, rows by ascending pid
 * @o: options
 * @p: the rows
 * @quiet: for a part of another command's output: return -1 when the view
 *	   is missing (an older module), unsupported or not understood,
 *	   instead of exiting
 *
 * Return: 0, or -1 when @quiet and there is nothing to show.
 */
int ml_load_pss(const struct ml_options *o, struct ml_pss *p, bool quiet)
{
	struct ml_error e = { 0 };
	struct ml_version v = { 0 };
	char path[4096], *buf;
	size_t len;

	if (view_status(o, MEMLENS_VIEW_PSS, quiet, "the other columns work", &v, NULL) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", o->debugfs, MEMLENS_FILE_PSS);
	if (access(path, F_OK) && errno == ENOENT) {
		if (quiet)
			return -1;
		errx(ML_EXIT_FAIL, "%s: no such file: the memlens module is older than "
		     "this reader, with no pss view (the other columns work)", path);
	}
	buf = ml_read_view(o, MEMLENS_FILE_PSS, &len);
	if (ml_parse_pss(buf, len, p, &e)) {
		free(buf);
		if (quiet)
			return -1;
		parse_failed(o, &e);
	}
	free(buf);
	/* the module writes them so; lookups by pid rely on it whatever the file */
	qsort(p->rows, p->n, sizeof(*p->rows), cmp_pss_pid);
	return 0;
}

/**
 * ml_load_pages() - read and parse the pages view
 * @o: options
 * @p: the rows
 * @quiet: for a part of another command's output: return -1 when the view
 *	   is missing (an older module), unsupported or not understood,
 *	   instead of exiting
 * @partial: set to the version file's reason when the view is partial
 *	     (the classes it names are in untyped), else to NULL
 *
 * Return: 0, or -1 when @quiet and there is nothing to show.
 */
int ml_load_pages(const struct ml_options *o, struct ml_pages *p, bool quiet,
		  const char **partial)
{
	/* the reason lives on after the call */
	static struct ml_version v;
	struct ml_error e = { 0 };
	const char *reason;
	char *buf;
	size_t len;
	int st;

	*partial = NULL;
	st = view_status(o, MEMLENS_VIEW_PAGES, quiet,
			 "the other views work: memlens mem, memlens slab", &v, &reason);
	if (st < 0)
		return -1;
	if (st == ML_VIEW_UNLISTED) {
		if (quiet)
			return -1;
		errx(ML_EXIT_FAIL, "%s: no pages view: the memlens module is older than this "
		     "reader (memlens mem shows meminfo's breakdown)", o->debugfs);
	}
	if (st == ML_VIEW_PARTIAL)
		*partial = reason;
	buf = ml_read_view(o, MEMLENS_FILE_PAGES, &len);
	if (ml_parse_pages(buf, len, p, &e)) {
		free(buf);
		if (quiet)
			return -1;
		parse_failed(o, &e);
	}
	free(buf);
	if (p->unsupported[0]) {
		/* the file says so where the version file did not, read a moment before */
		if (quiet) {
			ml_pages_free(p);
			return -1;
		}
		ml_view_unsupported(MEMLENS_FILE_PAGES, p->unsupported,
				    "the other views work: memlens mem, memlens slab");
	}
	return 0;
}

/**
 * ml_load_cgroups() - read and parse the cgroups view
 * @o: options
 * @c: the rows, each after its parent
 * @quiet: for a part of another command's output: return -1 when the view
 *	   is missing (an older module), unsupported or not understood,
 *	   instead of exiting
 * @others: what works without it, for the message when it is missing
 *
 * Return: 0, or -1 when @quiet and there is nothing to show.
 */
int ml_load_cgroups(const struct ml_options *o, struct ml_cgroups *c, bool quiet,
		    const char *others)
{
	struct ml_version v = { 0 };
	struct ml_error e = { 0 };
	char *buf;
	size_t len;
	int st;

	st = view_status(o, MEMLENS_VIEW_CGROUPS, quiet, others, &v, NULL);
	if (st < 0)
		return -1;
	if (st == ML_VIEW_UNLISTED) {
		if (quiet)
			return -1;
		errx(ML_EXIT_FAIL, "%s: no cgroups view: the memlens module is older than this "
		     "reader (%s)", o->debugfs, others);
	}
	buf = ml_read_view(o, MEMLENS_FILE_CGROUPS, &len);
	if (ml_parse_cgroups(buf, len, c, &e)) {
		free(buf);
		if (quiet)
			return -1;
		parse_failed(o, &e);
	}
	free(buf);
	if (c->unsupported[0]) {
		if (quiet) {
			ml_cgroups_free(c);
			return -1;
		}
		ml_view_unsupported(MEMLENS_FILE_CGROUPS, c->unsupported, others);
	}
	return 0;
}

/**
 * ml_load_cgroup_files() - read and parse the cgroup_files view
 * @o: options
 * @f: the rows, a file's page cache per memory cgroup charged
 * @quiet: for a part of another command's output: return -1 when the view
 *	   is missing (an older module), unsupported or not understood,
 *	   instead of exiting
 * @others: what works without it, for the message when it is missing
 *
 * Return: 0, or -1 when @quiet and there is nothing to show.
 */
int ml_load_cgroup_files(const struct ml_options *o, struct ml_files *f, bool quiet,
			 const char *others)
{
	struct ml_version v = { 0 };
	int st;

	st = view_status(o, MEMLENS_VIEW_CGROUP_FILES, quiet, others, &v, NULL);
	if (st < 0)
		return -1;
	if (st == ML_VIEW_UNLISTED) {
		if (quiet)
			return -1;
		errx(ML_EXIT_FAIL, "%s: no cgroup_files view: the memlens module is older than "
		     "this reader (%s)", o->debugfs, others);
	}
	return ml_load_files_from(o, MEMLENS_FILE_CGROUP_FILES, f, quiet);
}
