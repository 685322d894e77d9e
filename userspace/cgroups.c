// SPDX-License-Identifier: GPL-2.0
/*
 * memlens cgroups: the memory cgroups as a tree, as systemd-cgtop lists
 * them but memory only: each cgroup under its parent, the children of
 * one parent largest first (by --sort, current without), with what
 * memory.current, memory.max and memory.stat say of it; live, with each
 * one's change, with -w.
 *
 * The module's cgroups view lists them in a walk from the root, each
 * after its parent, dying ones (removed, still holding page cache) too.
 * The root has no memory.current: people see the sum of the parts of its
 * memory.stat that it counts, marked, programs (-r, -J) the file's blank.
 */
#include <err.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reader.h"

/*
 * The table's columns: PATH, the file's numbers with the defaults first
 * in the order shown, %MAX after MAX, STATE, and in a live view ΔCURRENT.
 * A column's src is its index in the file for a number, else one of these.
 */
enum { CG_SRC_PATH = MEMLENS_CGROUPS_NR_NUMERIC, CG_SRC_PMAX, CG_SRC_STATE, CG_SRC_DCURRENT };
#define CG_NCOLS	(MEMLENS_CGROUPS_NR_NUMERIC + 4)

static const int cg_lead[] = {
	MEMLENS_CGROUPS_PROCS, MEMLENS_CGROUPS_CURRENT, MEMLENS_CGROUPS_ANON,
	MEMLENS_CGROUPS_FILE, MEMLENS_CGROUPS_SHMEM, MEMLENS_CGROUPS_KERNEL,
	MEMLENS_CGROUPS_SWAP, MEMLENS_CGROUPS_MAX,
};

static struct ml_col cg_cols[CG_NCOLS];
static char cg_names[MEMLENS_CGROUPS_NR_NUMERIC][24];
static int cg_index[CG_SRC_DCURRENT + 1];	/* the table's column of each src */

static void cg_add(int *n, struct ml_col c)
{
	cg_index[c.src] = *n;
	cg_cols[(*n)++] = c;
}

static struct ml_col cg_num(int k)
{
	const struct memlens_column *c = &ml_cgroups_fmt[k];
	size_t j;

	for (j = 0; j < sizeof(cg_names[k]) - 1 && c->name[j]; j++)
		cg_names[k][j] = (char)(c->name[j] >= 'a' && c->name[j] <= 'z' ?
					c->name[j] - 'a' + 'A' : c->name[j]);
	cg_names[k][j] = '\0';
	return (struct ml_col){ cg_names[k], ml_kind_of(c->unit), k, ML_HIDE, c->help };
}

/* The columns, from the format's own definition; Δ where it shows. */
const struct ml_col *ml_cgroups_columns(bool watch, bool human)
{
	bool utf8 = human && !strcmp(nl_langinfo(CODESET), "UTF-8");
	bool lead[MEMLENS_CGROUPS_NR_NUMERIC] = { false };
	struct ml_col c;
	size_t i;
	int n = 0, k;

	cg_add(&n, (struct ml_col){ "PATH", ML_STR, CG_SRC_PATH, ML_SHOW,
				     "the cgroup under its parent; with -r and -J its "
				     "whole path, as /proc/self/cgroup has it" });
	for (i = 0; i < ARRAY_SIZE(cg_lead); i++) {
		c = cg_num(cg_lead[i]);
		c.shown = ML_SHOW;
		lead[cg_lead[i]] = true;
		cg_add(&n, c);
		if (cg_lead[i] == MEMLENS_CGROUPS_MAX)
			cg_add(&n, (struct ml_col){ "%MAX", ML_PERCENT, CG_SRC_PMAX, ML_SHOW,
						     "current as a share of max; blank without "
						     "a limit" });
	}
	for (k = 0; k < MEMLENS_CGROUPS_NR_NUMERIC; k++)
		if (!lead[k])
			cg_add(&n, cg_num(k));
	cg_add(&n, (struct ml_col){ "STATE", ML_STR, CG_SRC_STATE, ML_SHOW,
				     "dying: removed, still held (for people, blank when "
				     "online)" });
	cg_add(&n, (struct ml_col){ utf8 ? "ΔCURRENT" : "DCURRENT", ML_DELTA, CG_SRC_DCURRENT,
				     watch ? ML_ALWAYS : ML_NAMED,
				     "change of current since the last sample (--watch)" });
	return cg_cols;
}

int ml_cgroups_ncols(void)
{
	return CG_NCOLS;
}

/* A sample: the view, each row's children, which rows are shown and how. */
struct cg_sample {
	struct ml_cgroups c;
	size_t *kids, *first;	/* row i's children: kids[first[i]] to kids[first[i + 1]] */
	size_t *order;		/* the rows shown, in the tree's order */
	bool *last;		/* row i is the last shown of its parent's children */
	bool *opens;		/* row i has children shown */
	size_t shown;
	/* --files: the cgroup_files view, and each row's files: from[i] to from[i + 1] */
	struct ml_files cf;
	struct ml_cgfile *files;
	size_t *from;
	unsigned long dying;
	uint64_t dying_current, dying_file;	/* of those with no dying ancestor */
};

/**
 * ml_cgroup_current() - a cgroup's current, or what the root's would be
 * @r: the row
 *
 * The root has no memory.current; its memory.stat has the parts that
 * memory.current counts: anon, file, kernel and sock, over every cgroup
 * and the root's own processes.  Their sum stands for it.
 *
 * Return: the bytes.
 */
uint64_t ml_cgroup_current(const struct ml_cgroup *r)
{
	static const int parts[] = {
		MEMLENS_CGROUPS_ANON, MEMLENS_CGROUPS_FILE, MEMLENS_CGROUPS_KERNEL,
		MEMLENS_CGROUPS_SOCK,
	};
	uint64_t sum = 0;
	size_t i;

	if (!ml_cgroup_blank(r, MEMLENS_CGROUPS_CURRENT))
		return r->val[MEMLENS_CGROUPS_CURRENT];
	for (i = 0; i < ARRAY_SIZE(parts); i++)
		sum += r->val[parts[i]];	/* 0 when blank */
	return sum;
}

/* The sort: a column of the table and its direction. */
struct cg_sort {
	int src;
	enum ml_kind kind;
	bool desc;
};

/* Row @r's number @src for sorting; ML_NUM_BLANK when not known. */
static int64_t cg_key(const struct ml_cgroup *r, int src)
{
	uint64_t cur = r->val[MEMLENS_CGROUPS_CURRENT], max = r->val[MEMLENS_CGROUPS_MAX];

	if (src < MEMLENS_CGROUPS_NR_NUMERIC)
		return ml_cgroup_blank(r, src) ? ML_NUM_BLANK : (int64_t)r->val[src];
	if (src == CG_SRC_PMAX)
		return ml_cgroup_blank(r, MEMLENS_CGROUPS_MAX) || !max ||
		       ml_cgroup_blank(r, MEMLENS_CGROUPS_CURRENT) ?
		       ML_NUM_BLANK : (int64_t)(cur * 1000 / max);
	if (src == CG_SRC_STATE)
		return r->state;
	return 0;
}

/* What the comparisons of rows need: the rows, the sort. */
struct cg_cmp {
	const struct cg_sample *s;
	const struct cg_sort *k;
};

static int cmp_kids(const void *a, const void *b, void *data)
{
	const struct cg_cmp *d = data;
	const struct ml_cgroup *x = &d->s->c.rows[*(const size_t *)a];
	const struct ml_cgroup *y = &d->s->c.rows[*(const size_t *)b];
	int64_t vx, vy;
	int r;

	if (d->k->src == CG_SRC_PATH) {
		r = strcmp(ml_cgroup_path(&d->s->c, x), ml_cgroup_path(&d->s->c, y));
		return d->k->desc ? -r : r;
	}
	vx = cg_key(x, d->k->src);
	vy = cg_key(y, d->k->src);
	if ((vx == ML_NUM_BLANK) != (vy == ML_NUM_BLANK))
		return vx == ML_NUM_BLANK ? 1 : -1;
	if (vx != vy)
		return (vx < vy) != d->k->desc ? -1 : 1;
	return strcmp(ml_cgroup_path(&d->s->c, x), ml_cgroup_path(&d->s->c, y));
}

/* Each row's children, each parent's sorted by @k. */
static void cg_children(struct cg_sample *s, const struct cg_sort *k)
{
	const struct ml_cgroups *c = &s->c;
	struct cg_cmp d = { s, k };
	size_t i, *fill;

	s->kids = calloc(c->n + 1, sizeof(*s->kids));
	s->first = calloc(c->n + 2, sizeof(*s->first));
	fill = calloc(c->n + 1, sizeof(*fill));
	if (!s->kids || !s->first || !fill)
		err(ML_EXIT_FAIL, "calloc");
	for (i = 0; i < c->n; i++)
		if (c->rows[i].parent >= 0)
			s->first[c->rows[i].parent + 1]++;
	for (i = 0; i < c->n; i++)
		s->first[i + 1] += s->first[i];
	for (i = 0; i < c->n; i++) {
		long p = c->rows[i].parent;

		if (p >= 0)
			s->kids[s->first[p] + fill[p]++] = i;
	}
	for (i = 0; i < c->n; i++)
		qsort_r(s->kids + s->first[i], s->first[i + 1] - s->first[i], sizeof(*s->kids),
			cmp_kids, &d);
	free(fill);
}

/* The dying cgroups, and what those with no dying ancestor hold. */
static void cg_dying(struct cg_sample *s)
{
	const struct ml_cgroups *c = &s->c;
	size_t i;
	long p;

	for (i = 0; i < c->n; i++) {
		const struct ml_cgroup *r = &c->rows[i];

		if (r->state != ML_CGROUP_DYING)
			continue;
		s->dying++;
		for (p = r->parent; p >= 0 && c->rows[p].state != ML_CGROUP_DYING;)
			p = c->rows[p].parent;
		if (p >= 0)
			continue;	/* in its dying ancestor's current already */
		s->dying_current += r->val[MEMLENS_CGROUPS_CURRENT];
		s->dying_file += r->val[MEMLENS_CGROUPS_FILE];
	}
}

/* The sort over the whole table, for -t: the file's order between equals. */
static int cmp_rank(const void *a, const void *b, void *data)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int r = cmp_kids(a, b, data);

	return r ? r : (x < y ? -1 : x > y);
}

/*
 * Which rows are shown: with --dying the dying ones; with -t N the N
 * first by the sort among those; then every ancestor of one shown, for
 * the tree to hold.
 */
static void cg_select(const struct ml_options *o, struct cg_sample *s, const struct cg_sort *k,
		      bool *show)
{
	const struct ml_cgroups *c = &s->c;
	struct cg_cmp d = { s, k };
	size_t i, n = 0, *rank;
	long p;

	rank = malloc((c->n + 1) * sizeof(*rank));
	if (!rank)
		err(ML_EXIT_FAIL, "malloc");
	for (i = 0; i < c->n; i++)
		if (!o->dying_only || c->rows[i].state == ML_CGROUP_DYING)
			rank[n++] = i;
	if (o->top > 0 && (size_t)o->top < n) {
		qsort_r(rank, n, sizeof(*rank), cmp_rank, &d);
		n = (size_t)o->top;
	}
	for (i = 0; i < n; i++)
		for (p = (long)rank[i]; p >= 0 && !show[p]; p = c->rows[p].parent)
			show[p] = true;
	free(rank);
}

/* The rows shown in the tree's order: pre-order, each parent's children sorted. */
static void cg_order(struct cg_sample *s, const bool *show)
{
	const struct ml_cgroups *c = &s->c;
	size_t *stack, top = 0, i, j, last;

	s->order = malloc((c->n + 1) * sizeof(*s->order));
	s->last = calloc(c->n + 1, sizeof(*s->last));
	s->opens = calloc(c->n + 1, sizeof(*s->opens));
	stack = malloc((c->n + 1) * sizeof(*stack));
	if (!s->order || !s->last || !s->opens || !stack)
		err(ML_EXIT_FAIL, "malloc");
	s->shown = 0;
	if (c->n && show[0])
		stack[top++] = 0;
	while (top) {
		i = stack[--top];
		s->order[s->shown++] = i;
		/* pushed last to first, popped first to last */
		last = SIZE_MAX;
		for (j = s->first[i + 1]; j-- > s->first[i];) {
			if (!show[s->kids[j]])
				continue;
			if (last == SIZE_MAX)
				s->last[last = s->kids[j]] = true;
			stack[top++] = s->kids[j];
		}
		s->opens[i] = last != SIZE_MAX;
	}
	free(stack);
}

static void cg_sample_free(struct cg_sample *s)
{
	ml_cgroups_free(&s->c);
	free(s->kids);
	free(s->first);
	free(s->order);
	free(s->last);
	free(s->opens);
	free(s->files);
	free(s->from);
	ml_files_free(&s->cf);
	memset(s, 0, sizeof(*s));
}

/* --files: the files charged to each row shown, the first --files of them kept. */
static void cg_files(const struct ml_options *o, struct cg_sample *s, const bool *show)
{
	size_t i, n;

	ml_load_cgroup_files(o, &s->cf, false, "memlens cgroups works without --files");
	n = ml_cgroup_files_of(&s->cf, &s->c, show, &s->files);
	s->from = calloc(s->c.n + 2, sizeof(*s->from));
	if (!s->from)
		err(ML_EXIT_FAIL, "calloc");
	for (i = 0; i < n; i++)
		s->from[s->files[i].group + 1]++;
	for (i = 0; i < s->c.n; i++)
		s->from[i + 1] += s->from[i];
}

static void cg_load(const struct ml_options *o, struct cg_sample *s, const struct cg_sort *k)
{
	bool *show;

	memset(s, 0, sizeof(*s));
	ml_load_cgroups(o, &s->c, false, "the other views work: memlens ps, memlens mem");
	cg_children(s, k);
	cg_dying(s);
	show = calloc(s->c.n + 1, sizeof(*show));
	if (!show)
		err(ML_EXIT_FAIL, "calloc");
	cg_select(o, s, k, show);
	cg_order(s, show);
	if (o->files_top)
		cg_files(o, s, show);
	free(show);
}

/*
 * Row @i's PATH for people: the tree's lines down to it, then its name;
 * "/" for the root.
 */
static void cg_tree_path(const struct cg_sample *s, size_t i, bool utf8, char *buf, size_t len)
{
	const struct ml_cgroups *c = &s->c;
	const struct ml_cgroup *r = &c->rows[i];
	const char *path = ml_cgroup_path(c, r), *name = strrchr(path, '/') + 1;
	size_t used = 0, n = 0, *up;
	long p;

	if (r->parent < 0) {
		snprintf(buf, len, "/");
		return;
	}
	/* the ancestors below the root, deepest first: a line goes on under those not last */
	up = malloc(r->depth * sizeof(*up));
	if (!up)
		err(ML_EXIT_FAIL, "malloc");
	for (p = r->parent; p > 0; p = c->rows[p].parent)
		up[n++] = (size_t)p;
	while (n-- && used + 8 < len)
		used += (size_t)snprintf(buf + used, len - used, "%s", s->last[up[n]] ? "  " :
					 utf8 ? "│ " : "| ");
	free(up);
	snprintf(buf + used, len - used, "%s%s", s->last[i] ? (utf8 ? "└─" : "`-") :
		 (utf8 ? "├─" : "|-"), name);
}

static const char *cg_state_word(const struct ml_cgroup *r, bool human)
{
	if (r->state == ML_CGROUP_DYING)
		return MEMLENS_CGROUP_DYING;
	if (human)
		return "";
	return r->state == ML_CGROUP_ONLINE ? MEMLENS_CGROUP_ONLINE : "?";
}

static struct ml_line cg_line(struct ml_table *t, const struct ml_options *o,
			      const struct cg_sample *s, size_t i, const struct cg_sample *before,
			      bool watch)
{
	const struct ml_cgroup *r = &s->c.rows[i], *prev;
	bool human = !o->json && !o->raw, utf8;
	struct ml_line ln = ml_table_line(t);
	char buf[4096];
	int64_t v;
	int k;

	for (k = 0; k < MEMLENS_CGROUPS_NR_NUMERIC; k++) {
		if (!ml_table_shows(t, cg_index[k]))
			continue;
		v = cg_key(r, k);
		/* the root's current for people: the sum of its parts, marked */
		if (k == MEMLENS_CGROUPS_CURRENT && v == ML_NUM_BLANK && r->parent < 0 && human) {
			ml_size_str(ml_cgroup_current(r), o->bytes, buf, sizeof(buf) - 1);
			memcpy(buf + strlen(buf), "*", 2);
			ml_table_set(t, ln, cg_index[k], buf, (int64_t)ml_cgroup_current(r));
			continue;
		}
		ml_table_set(t, ln, cg_index[k], NULL, v);
	}
	v = cg_key(r, CG_SRC_PMAX);
	if (v == ML_NUM_BLANK) {
		ml_table_set(t, ln, cg_index[CG_SRC_PMAX], NULL, ML_NUM_BLANK);
	} else {
		snprintf(buf, sizeof(buf), "%lld.%lld", (long long)v / 10, (long long)v % 10);
		ml_table_set(t, ln, cg_index[CG_SRC_PMAX], buf, v);
	}
	ml_table_set(t, ln, cg_index[CG_SRC_STATE], cg_state_word(r, human), r->state);
	if (watch) {
		prev = before ? ml_cgroup_find(&before->c, r->val[MEMLENS_CGROUPS_ID]) : NULL;
		ml_table_set(t, ln, cg_index[CG_SRC_DCURRENT], NULL, prev &&
			     !ml_cgroup_blank(r, MEMLENS_CGROUPS_CURRENT) &&
			     !ml_cgroup_blank(prev, MEMLENS_CGROUPS_CURRENT) ?
			     (int64_t)(r->val[MEMLENS_CGROUPS_CURRENT] -
				       prev->val[MEMLENS_CGROUPS_CURRENT]) : ML_NUM_BLANK);
	}
	if (human) {
		utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
		cg_tree_path(s, i, utf8, buf, sizeof(buf));
		ml_table_set(t, ln, cg_index[CG_SRC_PATH], buf, 0);
	} else {
		ml_table_set(t, ln, cg_index[CG_SRC_PATH], ml_cgroup_path(&s->c, r), 0);
	}
	return ln;
}

/*
 * A file of row @i, in the line @ln under it: for people its path after
 * the tree's lines going on past it, its cached in FILE.
 */
static void cg_file_line(struct ml_table *t, const struct ml_options *o,
			 const struct cg_sample *s, size_t i, const struct ml_cgfile *cf,
			 struct ml_line parent)
{
	bool utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8"), mounted;
	struct ml_line ln = ml_table_child(t, parent);
	char path[4096], buf[4096 + 256];
	size_t used = 0, n = 0, *up;
	const char *full;
	long p;

	full = ml_file_fullpath(&s->cf, &s->cf.rows[cf->row], path, sizeof(path), &mounted);
	ml_table_set(t, ln, cg_index[MEMLENS_CGROUPS_FILE], NULL, (int64_t)cf->cached);
	if (o->json) {
		ml_table_set(t, ln, cg_index[CG_SRC_PATH], full, 0);
		return;
	}
	/* the tree's lines: of @i's ancestors below the root, of @i, then of its children */
	up = malloc((s->c.rows[i].depth + 1) * sizeof(*up));
	if (!up)
		err(ML_EXIT_FAIL, "malloc");
	for (p = (long)i; p > 0; p = s->c.rows[p].parent)
		up[n++] = (size_t)p;
	while (n-- && used + 8 < sizeof(buf))
		used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s",
					 s->last[up[n]] ? "  " : utf8 ? "│ " : "| ");
	free(up);
	snprintf(buf + used, sizeof(buf) - used, "%s %s", s->opens[i] ? (utf8 ? "│" : "|") : " ",
		 full);
	ml_table_set(t, ln, cg_index[CG_SRC_PATH], buf, 0);
}

/* "N dying cgroups hold X (file Y)" */
static void cg_dying_str(const struct ml_options *o, const struct cg_sample *s, char *buf,
			 size_t len)
{
	char cur[32], file[32];

	ml_size_str(s->dying_current, o->bytes, cur, sizeof(cur));
	ml_size_str(s->dying_file, o->bytes, file, sizeof(file));
	snprintf(buf, len, "%lu dying cgroup%s hold%s %s (file %s)", s->dying,
		 s->dying == 1 ? "" : "s", s->dying == 1 ? "s" : "", cur, file);
}

static void cg_status(const struct ml_options *o, const struct cg_sample *s, char *buf,
		      size_t len)
{
	char cur[32], dying[128] = "no dying cgroup";

	ml_size_str(s->c.n ? ml_cgroup_current(&s->c.rows[0]) : 0, o->bytes, cur, sizeof(cur));
	if (s->dying)
		cg_dying_str(o, s, dying, sizeof(dying));
	snprintf(buf, len, "%zu cgroups, %s charged; %s", s->c.n, cur, dying);
}

/* Under the table for people: the root's mark, the dying ones. */
static void cg_footer(const struct ml_options *o, const struct cg_sample *s, const struct ml_table *t)
{
	char line[160];

	if (o->json || o->raw || o->noheadings)
		return;
	if (s->shown && ml_table_shows(t, cg_index[MEMLENS_CGROUPS_CURRENT]) &&
	    ml_cgroup_blank(&s->c.rows[0], MEMLENS_CGROUPS_CURRENT))
		printf("*: the root has no memory.current: its anon + file + kernel + sock\n");
	if (s->dying) {
		cg_dying_str(o, s, line, sizeof(line));
		printf("%s.\n", line);
	}
}

static int cg_print(const struct ml_options *o, struct ml_watch *w, const struct cg_sample *now,
		    const struct cg_sample *before)
{
	bool human = !o->json && !o->raw;
	char status[256];
	struct ml_table t;
	size_t i;
	int ret;

	if (ml_table_init(&t, o, MEMLENS_FILE_CGROUPS, ml_cgroups_columns(w, human), CG_NCOLS))
		return -1;
	if (w) {
		ml_watch_stamp(w);
		cg_status(o, now, status, sizeof(status));
		ml_table_watch(&t, w, -1, ml_watch_header(w, "memlens cgroups", status));
	}
	if (now->from)
		ml_table_tree(&t, cg_index[CG_SRC_PATH]);
	for (i = 0; i < now->shown; i++) {
		size_t r = now->order[i], j;
		struct ml_line ln = cg_line(&t, o, now, r, before, w);

		for (j = now->from ? now->from[r] : 0; now->from && j < now->from[r + 1] &&
		     j - now->from[r] < (size_t)o->files_top; j++)
			cg_file_line(&t, o, now, r, &now->files[j], ln);
	}
	ret = ml_table_print(&t, o, 0);
	if (!ret && !(w && w->screen))
		cg_footer(o, now, &t);
	ml_table_free(&t);
	return ret;
}

/* -s [+-]COL, current largest first without; an unknown column is refused. */
static int cg_sort_of(const struct ml_options *o, struct cg_sort *k)
{
	const char *name = o->sort ? ml_sort_name(o->sort) : "current";
	int i;

	for (i = 0; i < CG_NCOLS; i++) {
		if (strcasecmp(cg_cols[i].name, name) != 0 &&
		    !(cg_cols[i].src == CG_SRC_DCURRENT && !strcasecmp(name, "dcurrent")))
			continue;
		k->src = cg_cols[i].src;
		k->kind = cg_cols[i].kind;
		k->desc = o->sort ? ml_sort_descending(o, k->kind) :
				    !o->reverse;
		/* ΔCURRENT is per sample: the tree keeps current's order */
		if (k->src == CG_SRC_DCURRENT)
			k->src = MEMLENS_CGROUPS_CURRENT;
		return 0;
	}
	warnx("cannot sort by %s: no such column (memlens cgroups -H lists the columns)", name);
	return -1;
}

/**
 * ml_cmd_cgroups() - memlens cgroups
 * @o: options
 *
 * The table sorts itself: within each parent, by -s, never as a whole;
 * -t keeps the N first by it, with their ancestors.  -J has every column
 * without -o, in bytes.
 *
 * Return: the exit status: 1 when --dying finds none.
 */
int ml_cmd_cgroups(const struct ml_options *o)
{
	struct cg_sample now = { 0 }, before = { 0 };
	struct ml_options to = *o;
	enum ml_watch_next next;
	struct cg_sort k;
	struct ml_watch w;
	struct ml_table t;
	size_t shown;
	int ret;

	if (o->json) {
		to.bytes = true;
		to.output_all = !o->output;
	}
	/* the tree's order and -t's cut are made here, not by the table */
	to.sort = NULL;
	to.top = 0;
	/* a bad column is refused before anything is read */
	if (ml_table_init(&t, &to, MEMLENS_FILE_CGROUPS,
			  ml_cgroups_columns(o->watch > 0, !o->json && !o->raw), CG_NCOLS))
		return ML_EXIT_FAIL;
	ml_table_free(&t);
	if (cg_sort_of(o, &k))
		return ML_EXIT_FAIL;
	if (o->watch <= 0) {
		cg_load(o, &now, &k);
		ret = cg_print(&to, NULL, &now, NULL);
		shown = now.shown;
		cg_sample_free(&now);
		if (ret)
			return ML_EXIT_FAIL;
		return o->dying_only && !shown ? ML_EXIT_FAIL : ML_EXIT_OK;
	}
	ml_watch_start(&w, &to);
	do {
		cg_load(o, &now, &k);
		ml_watch_sample(&w);
		do {
			if (cg_print(&to, &w, &now, w.sample > 1 ? &before : NULL))
				exit(ML_EXIT_FAIL);
			next = ml_watch_wait(&w);
		} while (next == ML_WATCH_REDRAW);
		cg_sample_free(&before);
		before = now;
	} while (next == ML_WATCH_NEXT);
	ml_watch_end(&w);
	cg_sample_free(&before);
	return ML_EXIT_OK;
}
