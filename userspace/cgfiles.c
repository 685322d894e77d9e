// SPDX-License-Identifier: GPL-2.0
/*
 * The page cache by memory cgroup, from the cgroup_files view: memlens
 * files --cgroup PATH, the files charged to a cgroup and the cgroups
 * below it, each file's rows summed over them; and the files each cgroup
 * of memlens cgroups --files holds.
 *
 * The view has a row per file and cgroup its pages are charged to, by
 * the cgroup's id; the cgroups view gives each id its path and parent.
 * Pages charged to no cgroup (id 0), and those of a cgroup made between
 * the two reads, are in no cgroup's selection.
 */
#include <err.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reader.h"

/* A row of cgroup_files, in a group: the selection, or one cgroup's row. */
struct cgf_entry {
	size_t group, row;
};

static int cmp_entry(const void *a, const void *b, void *data)
{
	const struct cgf_entry *x = a, *y = b;
	const struct ml_file *rx, *ry;
	const struct ml_files *f = data;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	rx = &f->rows[x->row];
	ry = &f->rows[y->row];
	if (rx->major != ry->major)
		return rx->major < ry->major ? -1 : 1;
	if (rx->minor != ry->minor)
		return rx->minor < ry->minor ? -1 : 1;
	if (rx->val[MEMLENS_CGROUP_FILES_INO] != ry->val[MEMLENS_CGROUP_FILES_INO])
		return rx->val[MEMLENS_CGROUP_FILES_INO] < ry->val[MEMLENS_CGROUP_FILES_INO] ?
		       -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

static bool same_file(const struct ml_file *a, const struct ml_file *b)
{
	return a->major == b->major && a->minor == b->minor &&
	       a->val[MEMLENS_CGROUP_FILES_INO] == b->val[MEMLENS_CGROUP_FILES_INO];
}

/*
 * The entries @e (@n of them), each file's of a group summed into one
 * ml_cgfile; *@out, to be freed, by group then file.  Return: how many.
 */
static size_t cgf_sum(const struct ml_files *f, struct cgf_entry *e, size_t n,
		      struct ml_cgfile **out)
{
	struct ml_cgfile *s = NULL;
	size_t i, k = 0;

	qsort_r(e, n, sizeof(*e), cmp_entry, (void *)f);
	s = calloc(n + 1, sizeof(*s));
	if (!s)
		err(ML_EXIT_FAIL, "calloc");
	for (i = 0; i < n; i++) {
		const struct ml_file *r = &f->rows[e[i].row];
		struct ml_cgfile *c;

		if (!i || e[i].group != e[i - 1].group ||
		    !same_file(r, &f->rows[e[i - 1].row])) {
			c = &s[k++];
			c->group = e[i].group;
			c->row = c->top = e[i].row;
		}
		c = &s[k - 1];
		c->cached += r->val[MEMLENS_CGROUP_FILES_CACHED];
		c->dirty += r->val[MEMLENS_CGROUP_FILES_DIRTY];
		c->writeback += r->val[MEMLENS_CGROUP_FILES_WRITEBACK];
		c->ncgroups++;
		if (r->val[MEMLENS_CGROUP_FILES_CACHED] >
		    f->rows[c->top].val[MEMLENS_CGROUP_FILES_CACHED])
			c->top = e[i].row;
	}
	*out = s;
	return k;
}

/* The row of @c of row @r's cgroup, -1 for none. */
static long cgf_cgroup(const struct ml_cgroups *c, const struct ml_file *r)
{
	const struct ml_cgroup *g;

	if (!r->val[MEMLENS_CGROUP_FILES_CGROUP])
		return -1;
	g = ml_cgroup_find(c, r->val[MEMLENS_CGROUP_FILES_CGROUP]);
	return g ? g - c->rows : -1;
}

/* Largest first, then by path: the order of each group's files. */
static int cmp_cached(const void *a, const void *b, void *data)
{
	const struct ml_cgfile *x = a, *y = b;
	const struct ml_files *f = data;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->cached != y->cached)
		return x->cached > y->cached ? -1 : 1;
	return strcmp(ml_file_path(f, &f->rows[x->row]), ml_file_path(f, &f->rows[y->row]));
}

/**
 * ml_cgroup_files_of() - the files of each cgroup shown, largest first
 * @f: the cgroup_files view
 * @c: the cgroups view
 * @show: for each row of @c, whether its files are wanted
 * @out: set to the files, by cgroup row then largest first, to be freed
 *
 * Each cgroup's own files: those charged to it, not to the cgroups below.
 *
 * Return: how many there are in *@out.
 */
size_t ml_cgroup_files_of(const struct ml_files *f, const struct ml_cgroups *c,
			  const bool *show, struct ml_cgfile **out)
{
	struct cgf_entry *e = calloc(f->n + 1, sizeof(*e));
	size_t i, n = 0, k;
	long g;

	if (!e)
		err(ML_EXIT_FAIL, "calloc");
	for (i = 0; i < f->n; i++) {
		g = cgf_cgroup(c, &f->rows[i]);
		if (g >= 0 && show[g])
			e[n++] = (struct cgf_entry){ (size_t)g, i };
	}
	k = cgf_sum(f, e, n, out);
	free(e);
	qsort_r(*out, k, sizeof(**out), cmp_cached, (void *)f);
	return k;
}

/* The table of memlens files --cgroup. */
enum {
	CF_CACHED, CF_DIRTY, CF_WRITEBACK, CF_CGROUPS, CF_CGROUP, CF_DEV, CF_INO, CF_FSTYPE,
	CF_STATE, CF_PATH, CF_NCOLS
};

static const struct ml_col cf_cols[CF_NCOLS] = {
	{ "CACHED", ML_SIZE, CF_CACHED, ML_SHOW,
	  "the file's pages in the page cache charged to the cgroups selected" },
	{ "DIRTY", ML_SIZE, CF_DIRTY, ML_SHOW, "of those, dirty" },
	{ "WRITEBACK", ML_SIZE, CF_WRITEBACK, ML_SHOW, "of those, under writeback" },
	{ "CGROUPS", ML_COUNT, CF_CGROUPS, ML_HIDE,
	  "cgroups selected the file's pages are charged to" },
	{ "CGROUP", ML_STR, CF_CGROUP, ML_SHOW,
	  "the cgroup charged the most of them, by its path" },
	{ "DEV", ML_STR, CF_DEV, ML_HIDE, "device of the superblock, MAJOR:MINOR" },
	{ "INO", ML_ID, CF_INO, ML_HIDE, "inode number" },
	{ "FSTYPE", ML_STR, CF_FSTYPE, ML_SHOW, "filesystem type" },
	{ "STATE", ML_STR, CF_STATE, ML_SHOW, "unmounted (no mount of it here)" },
	{ "PATH", ML_STR, CF_PATH, ML_SHOW,
	  "full path; [MAJOR:MINOR] and the path within the filesystem when not mounted" },
};

const struct ml_col *ml_cgfiles_columns(void)
{
	return cf_cols;
}

int ml_cgfiles_ncols(void)
{
	return CF_NCOLS;
}

/* The path prefixes, --fstype and --dirty; the paths made absolute already. */
static bool cf_selected(const struct ml_options *o, const struct ml_files *f,
			const struct ml_cgfile *s, const char *path)
{
	int i;

	if (o->fstype && !ml_fstype_selected(o->fstype, ml_file_fstype(f, &f->rows[s->row])))
		return false;
	if (o->dirty && !s->dirty && !s->writeback)
		return false;
	for (i = 0; i < o->npaths; i++)
		if (ml_path_below(path, o->paths[i]))
			return true;
	return !o->npaths;
}

static void cf_line(struct ml_table *t, const struct ml_files *f, const struct ml_cgroups *c,
		    const struct ml_cgfile *s, const char *path, bool mounted)
{
	const struct ml_file *r = &f->rows[s->row];
	struct ml_line ln = ml_table_line(t);
	long g = cgf_cgroup(c, &f->rows[s->top]);
	char dev[24];

	ml_table_set(t, ln, CF_CACHED, NULL, (int64_t)s->cached);
	ml_table_set(t, ln, CF_DIRTY, NULL, (int64_t)s->dirty);
	ml_table_set(t, ln, CF_WRITEBACK, NULL, (int64_t)s->writeback);
	ml_table_set(t, ln, CF_CGROUPS, NULL, s->ncgroups);
	ml_table_set(t, ln, CF_CGROUP, g >= 0 ? ml_cgroup_path(c, &c->rows[g]) : "", 0);
	snprintf(dev, sizeof(dev), "%u:%u", r->major, r->minor);
	ml_table_set(t, ln, CF_DEV, dev, 0);
	ml_table_set(t, ln, CF_INO, NULL, (int64_t)r->val[MEMLENS_CGROUP_FILES_INO]);
	ml_table_set(t, ln, CF_FSTYPE, ml_file_fstype(f, r), 0);
	ml_table_set(t, ln, CF_STATE, mounted ? "" : "unmounted", 0);
	ml_table_set(t, ln, CF_PATH, path, 0);
}

/* What the selection is, for the total line: "/a and below (3 cgroups)". */
static void cf_what(const struct ml_options *o, const bool *in, size_t n, char *buf, size_t len)
{
	size_t i, k = 0, used;

	for (i = 0; i < n; i++)
		k += in[i];
	used = (size_t)snprintf(buf, len, "%s", o->cgroups[0]);
	for (i = 1; i < (size_t)o->ncgroups && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, ", %s", o->cgroups[i]);
	if (used < len)
		snprintf(buf + used, len - used, " and below (%zu cgroup%s)", k, k == 1 ? "" : "s");
}

/* The total of the files selected, and the rows the module left out. */
static void cf_total(const struct ml_options *o, const struct ml_files *f, const bool *in,
		     size_t ncg, const uint64_t sum[4])
{
	char c[32], d[32], what[512];
	unsigned long long n = f->below_rows;

	if (o->json || o->raw || o->noheadings) {
		if (f->below) {
			ml_size_str(f->below_size, o->bytes, c, sizeof(c));
			warnx("the rows of a file and cgroup with less than %s cached are not listed "
			      "(%llu row%s, of any cgroup)", c, n, n == 1 ? "" : "s");
		}
		return;
	}
	cf_what(o, in, ncg, what, sizeof(what));
	ml_size_str(sum[1], o->bytes, c, sizeof(c));
	ml_size_str(sum[2], o->bytes, d, sizeof(d));
	printf("Total: %llu file%s, %s cached, %s dirty or under writeback, charged to %s\n",
	       (unsigned long long)sum[0], sum[0] == 1 ? "" : "s", c, d, what);
	if (f->below) {
		ml_size_str(f->below_size, o->bytes, c, sizeof(c));
		printf("Files with less than %s cached in a cgroup are not listed there (%llu "
		       "row%s, of any cgroup); the total leaves them out.\n", c, n,
		       n == 1 ? "" : "s");
	}
}

/**
 * ml_cmd_cgroup_files() - memlens files --cgroup PATH...
 * @o: options
 *
 * The files charged to the cgroups selected, each file's rows summed,
 * largest first (or by -s); -t keeps the first N.
 *
 * Return: the exit status: 1 when no file is charged to them.
 */
int ml_cmd_cgroup_files(const struct ml_options *o)
{
	static const char others[] = "memlens files works without --cgroup";
	uint64_t sum[4] = { 0 };	/* files, cached, dirty + writeback */
	struct ml_options to = *o;
	struct ml_cgroups c;
	struct ml_cgfile *s;
	struct cgf_entry *e;
	char buf[PATH_MAX + 64];
	struct ml_table t;
	struct ml_files f;
	size_t i, n = 0, k;
	const char *path;
	bool *in, mounted;
	long g, lines = 0;
	int ret;

	to.top = o->sort ? o->top : 0;
	if (ml_table_init(&t, &to, MEMLENS_FILE_CGROUP_FILES, cf_cols, CF_NCOLS))
		return ML_EXIT_FAIL;
	ml_load_cgroups(o, &c, false, others);
	in = ml_cgroups_subtree(o, &c);
	ml_load_cgroup_files(o, &f, false, others);
	ml_paths_prepare(o);
	e = calloc(f.n + 1, sizeof(*e));
	if (!e)
		err(ML_EXIT_FAIL, "calloc");
	for (i = 0; i < f.n; i++) {
		g = cgf_cgroup(&c, &f.rows[i]);
		if (g >= 0 && in[g])
			e[n++] = (struct cgf_entry){ 0, i };
	}
	k = cgf_sum(&f, e, n, &s);
	free(e);
	qsort_r(s, k, sizeof(*s), cmp_cached, &f);
	for (i = 0; i < k; i++) {
		path = ml_file_fullpath(&f, &f.rows[s[i].row], buf, sizeof(buf), &mounted);
		if (!cf_selected(o, &f, &s[i], path))
			continue;
		if (o->sort || !o->top || lines < o->top) {
			cf_line(&t, &f, &c, &s[i], path, mounted);
			lines++;
		}
		sum[0]++;
		sum[1] += s[i].cached;
		sum[2] += s[i].dirty + s[i].writeback;
	}
	ret = ml_table_print(&t, &to, to.top);
	ml_table_free(&t);
	if (!ret)
		cf_total(o, &f, in, c.n, sum);
	free(s);
	free(in);
	ml_files_free(&f);
	ml_cgroups_free(&c);
	if (ret)
		return ML_EXIT_FAIL;
	return sum[0] ? ML_EXIT_OK : ML_EXIT_FAIL;
}
