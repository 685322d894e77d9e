// SPDX-License-Identifier: GPL-2.0
/*
 * memlens pages: the census of physical memory, every page of present RAM
 * in one class, largest first as slabtop and smem order theirs; per NUMA
 * node with --per-node; live, with each class's change, with -w.
 */
#include <err.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"

enum { PG_CLASS, PG_NODE, PG_SIZE, PG_PAGES, PG_PERCENT, PG_DSIZE, PG_HELP, PG_NCOLS };

static struct ml_col pages_cols[PG_NCOLS] = {
	{ "CLASS", ML_STR, PG_CLASS, ML_SHOW, MEMLENS_PAGES_CLASS_HELP },
	{ "NODE", ML_ID, PG_NODE, ML_HIDE, "NUMA node (--per-node)" },
	{ "SIZE", ML_SIZE, PG_SIZE, ML_SHOW, "the class's memory" },
	{ "PAGES", ML_COUNT, PG_PAGES, ML_HIDE, "the same in pages of the kernel's page size" },
	{ "PERCENT", ML_PERCENT, PG_PERCENT, ML_SHOW,
	  "share of present RAM (of the node's, with --per-node)" },
	{ "ΔSIZE", ML_DELTA, PG_DSIZE, ML_HIDE, "change of size since the last sample (--watch)" },
	{ "DESCRIPTION", ML_STR, PG_HELP, ML_SHOW, "what the class is, and how it is found" },
};

/* The columns: NODE with --per-node, the change in a live view, Δ where it shows. */
const struct ml_col *ml_pages_columns(bool per_node, bool watch, bool human)
{
	bool utf8 = human && !strcmp(nl_langinfo(CODESET), "UTF-8");

	pages_cols[PG_NODE].shown = ml_shown_if(per_node);
	pages_cols[PG_DSIZE].name = utf8 ? "ΔSIZE" : "DSIZE";
	pages_cols[PG_DSIZE].shown = watch ? ML_ALWAYS : ML_HIDE;
	return pages_cols;
}

int ml_pages_ncols(void)
{
	return PG_NCOLS;
}

/* A line of the table: a class on a node, or over every node (node -1). */
struct pg_line {
	long long node;
	unsigned int cls;
	uint64_t bytes, pages, of;	/* of: the node's present RAM, or all of it */
};

/* The lines of @p: per node and class, or per class summed over the nodes. */
static size_t pg_lines(const struct ml_pages *p, bool per_node, struct pg_line **out)
{
	struct pg_line *l = calloc(p->n + p->nclasses + 1, sizeof(*l));
	uint64_t total = ml_pages_bytes(p, -1);
	size_t i, n = 0;

	if (!l)
		err(ML_EXIT_FAIL, "calloc");
	if (!per_node) {
		for (n = 0; n < p->nclasses; n++)
			l[n] = (struct pg_line){ .node = -1, .cls = n, .of = total };
		for (i = 0; i < p->n; i++) {
			l[p->rows[i].cls].bytes += p->rows[i].val[MEMLENS_PAGES_SIZE];
			l[p->rows[i].cls].pages += p->rows[i].val[MEMLENS_PAGES_PAGES];
		}
		*out = l;
		return n;
	}
	for (i = 0; i < p->n; i++) {
		const struct ml_page_row *r = &p->rows[i];

		l[n++] = (struct pg_line){ .node = (long long)r->val[MEMLENS_PAGES_NODE],
					   .cls = r->cls, .bytes = r->val[MEMLENS_PAGES_SIZE],
					   .pages = r->val[MEMLENS_PAGES_PAGES] };
	}
	*out = l;
	return n;
}

/* Each line's node's present RAM, the lines sorted node by node. */
static void pg_nodes_of(struct pg_line *l, size_t n)
{
	size_t i, j, k;
	uint64_t sum;

	for (i = 0; i < n; i = j) {
		for (j = i, sum = 0; j < n && l[j].node == l[i].node; j++)
			sum += l[j].bytes;
		for (k = i; k < j; k++)
			l[k].of = sum;
	}
}

/* Node ascending, then largest first; the class order between equals. */
static int cmp_lines(const void *a, const void *b)
{
	const struct pg_line *x = a, *y = b;

	if (x->node != y->node)
		return x->node < y->node ? -1 : 1;
	if (x->bytes != y->bytes)
		return x->bytes < y->bytes ? 1 : -1;
	return x->cls < y->cls ? -1 : x->cls > y->cls;
}

/* The line of @before for @l's node and class (by name: a later class's index may differ). */
static const struct pg_line *pg_find(const struct pg_line *before, size_t n,
				     const struct ml_pages *pb, const struct ml_pages *pn,
				     const struct pg_line *l)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (before[i].node == l->node &&
		    !strcmp(ml_pages_class(pb, before[i].cls), ml_pages_class(pn, l->cls)))
			return &before[i];
	return NULL;
}

/* A sample: the view's rows, and the lines made of them. */
struct pg_sample {
	struct ml_pages p;
	struct pg_line *lines;
	size_t n;
};

static void pg_sample_free(struct pg_sample *s)
{
	ml_pages_free(&s->p);
	free(s->lines);
	s->lines = NULL;
	s->n = 0;
}

static void pg_line_out(struct ml_table *t, const struct pg_sample *s, const struct pg_line *l,
			const struct pg_line *prev, bool watch)
{
	struct ml_line ln = ml_table_line(t);
	char buf[32];

	ml_table_set(t, ln, PG_CLASS, ml_pages_class(&s->p, l->cls), 0);
	ml_table_set(t, ln, PG_NODE, NULL, l->node < 0 ? ML_NUM_BLANK : l->node);
	ml_table_set(t, ln, PG_SIZE, NULL, (int64_t)l->bytes);
	ml_table_set(t, ln, PG_PAGES, NULL, (int64_t)l->pages);
	snprintf(buf, sizeof(buf), "%.1f", l->of ? 100.0 * (double)l->bytes / (double)l->of : 0);
	ml_table_set(t, ln, PG_PERCENT, buf, l->of ? (int64_t)(l->bytes * 1000 / l->of) : 0);
	if (watch)
		ml_table_set(t, ln, PG_DSIZE, NULL, prev ? (int64_t)(l->bytes - prev->bytes) :
			     ML_NUM_BLANK);
	ml_table_set(t, ln, PG_HELP, ml_pages_help(&s->p, l->cls), 0);
}

/*
 * Under the table for people: the total, present RAM, against MemTotal;
 * the difference is what was reserved at boot and never handed to the
 * page allocator.  Every class, whatever -t leaves out.
 */
static void pg_total(const struct ml_options *o, const struct ml_pages *p)
{
	uint64_t total = ml_pages_bytes(p, -1), memtotal, node = UINT64_MAX;
	char a[32], b[32], c[32];
	struct ml_system s;
	unsigned int nodes = 0;
	size_t i;

	for (i = 0; i < p->n; i++) {
		nodes += p->rows[i].val[MEMLENS_PAGES_NODE] != node;
		node = p->rows[i].val[MEMLENS_PAGES_NODE];
	}
	ml_load_system(o, &s);
	memtotal = s.val[MEMLENS_SYS_MEMTOTAL];
	ml_size_str(total, o->bytes, a, sizeof(a));
	ml_size_str(memtotal, o->bytes, b, sizeof(b));
	ml_size_str(total > memtotal ? total - memtotal : 0, o->bytes, c, sizeof(c));
	printf("Total: %s, present RAM (the zones' present pages), %u class%s on %u node%s; "
	       "MemTotal %s: %s reserved at boot\n", a, p->nclasses, p->nclasses == 1 ? "" : "es",
	       nodes, nodes == 1 ? "" : "s", b, c);
}

/* The screen's second line: the total and what is left untyped. */
static void pg_status(const struct ml_options *o, const struct ml_pages *p, char *buf,
		      size_t len)
{
	uint64_t total = ml_pages_bytes(p, -1), untyped = ml_pages_bytes(p, MEMLENS_PAGE_UNTYPED);
	char a[32], b[32];

	ml_size_str(total, o->bytes, a, sizeof(a));
	ml_size_str(untyped, o->bytes, b, sizeof(b));
	snprintf(buf, len, "present RAM %s, untyped %s (%.1f%%)", a, b,
		 total ? 100.0 * (double)untyped / (double)total : 0);
}

static int pg_print(const struct ml_options *o, bool per_node, struct ml_watch *w,
		    const struct pg_sample *now, const struct pg_sample *before)
{
	bool human = !o->json && !o->raw;
	char status[128];
	struct ml_table t;
	size_t i;
	long rank;
	int ret;

	if (ml_table_init(&t, o, MEMLENS_FILE_PAGES, ml_pages_columns(per_node, w, human),
			  PG_NCOLS))
		return -1;
	/* -t without -s is cut per node below, not by the table */
	if (!o->sort)
		t.top = 0;
	if (w) {
		ml_watch_stamp(w);
		pg_status(o, &now->p, status, sizeof(status));
		ml_table_watch(&t, w, -1, ml_watch_header(w, "memlens pages", status));
	}
	for (i = 0, rank = 0; i < now->n; i++) {
		/* --reverse without -s: smallest first */
		const struct pg_line *l = &now->lines[o->reverse && !o->sort ? now->n - 1 - i : i];

		rank = i && l->node == l[o->reverse && !o->sort ? 1 : -1].node ? rank + 1 : 0;
		/* -t N without -s: the N largest of each node */
		if (!o->sort && o->top && rank >= o->top)
			continue;
		pg_line_out(&t, now, l, before ? pg_find(before->lines, before->n, &before->p,
							 &now->p, l) : NULL, w);
	}
	ret = ml_table_print(&t, o, o->sort ? o->top : 0);
	ml_table_free(&t);
	if (!ret && human && !o->noheadings && !(w && w->screen))
		pg_total(o, &now->p);
	return ret;
}

static void pg_load(const struct ml_options *o, bool per_node, struct pg_sample *s)
{
	static bool said;
	const char *partial;

	ml_load_pages(o, &s->p, false, &partial);
	/* said once, before the first sample: the module's reason does not change */
	if (partial && !said) {
		said = true;
		warnx("the pages view is partial on this kernel: %s (their pages are counted "
		      "in untyped, the kernel image's in reserved)", partial);
	}
	s->n = pg_lines(&s->p, per_node, &s->lines);
	qsort(s->lines, s->n, sizeof(*s->lines), cmp_lines);
	if (per_node)
		pg_nodes_of(s->lines, s->n);
}

int ml_cmd_pages(const struct ml_options *o)
{
	struct pg_sample now = { 0 }, before = { 0 };
	enum ml_watch_next next;
	struct ml_watch w;
	struct ml_table t;
	bool per_node = o->per_node;

	/* a bad column is refused before anything is read */
	if (ml_table_init(&t, o, MEMLENS_FILE_PAGES,
			  ml_pages_columns(per_node, o->watch > 0, !o->json && !o->raw), PG_NCOLS))
		return ML_EXIT_FAIL;
	ml_table_free(&t);
	if (o->watch <= 0) {
		pg_load(o, per_node, &now);
		if (pg_print(o, per_node, NULL, &now, NULL))
			return ML_EXIT_FAIL;
		pg_sample_free(&now);
		return ML_EXIT_OK;
	}
	ml_watch_start(&w, o);
	do {
		pg_load(o, per_node, &now);
		ml_watch_sample(&w);
		do {
			if (pg_print(o, per_node, &w, &now, w.sample > 1 ? &before : NULL))
				exit(ML_EXIT_FAIL);
			next = ml_watch_wait(&w);
		} while (next == ML_WATCH_REDRAW);
		pg_sample_free(&before);
		before = now;
	} while (next == ML_WATCH_NEXT);
	ml_watch_end(&w);
	pg_sample_free(&before);
	return ML_EXIT_OK;
}
