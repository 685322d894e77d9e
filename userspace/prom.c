// SPDX-License-Identifier: GPL-2.0
/*
 * --prometheus: the views as Prometheus metrics, for node_exporter's
 * textfile collector, in a number of series that does not grow with the
 * number of processes, files or caches: processes are summed by group as
 * process-exporter sums them, the small slab caches into one bucket, the
 * files to their totals and the top few.  --textfile DIR replaces
 * DIR/memlens.prom whole, or not at all.
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "reader.h"

#define TEXTFILE	"memlens.prom"
/* not *.prom: node_exporter reads only those */
#define TEXTFILE_TMP	".memlens.prom."

/* Series written after the groups, the pids and the slab caches are cut. */
#define RESERVED_SERIES	32

struct prom {
	const struct ml_options *o;
	FILE *f;
	long series;		/* sample lines written */
	struct timespec start;
	const struct ml_pss *pss;	/* the pss view, NULL without it */
	long nmemtypes;		/* memtypes[] written: those of pss only with it */
};

/* A label value: backslash, double quote and newline escaped. */
static void label(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			putc(*s, f);
	}
}

static void head(struct prom *p, const char *name, const char *type, const char *help)
{
	fprintf(p->f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* One sample without labels. */
static void sample(struct prom *p, const char *name, uint64_t v)
{
	fprintf(p->f, "%s %" PRIu64 "\n", name, v);
	p->series++;
}

/* One sample with one label. */
static void sample1(struct prom *p, const char *name, const char *key, const char *val,
		    uint64_t v)
{
	fprintf(p->f, "%s{%s=\"", name, key);
	label(p->f, val);
	fprintf(p->f, "\"} %" PRIu64 "\n", v);
	p->series++;
}

/* How many more series of @cost each fit, keeping @reserve for what follows. */
static long budget(const struct prom *p, long cost, long reserve)
{
	long left = p->o->max_series - p->series - reserve;

	return left > 0 ? left / cost : 0;
}

/*
 * The system view.  The /proc/meminfo keys keep the kernel's spelling, as
 * node_exporter's node_memory_MemTotal_bytes does ("Active(anon)" becomes
 * Active_anon); vmstat's counters end in _total, the counts of huge pages
 * have no unit; the keys memlens made up are snake_case.
 */
/* vmstat's counters only grow; the other counts (HugePages_*) are gauges. */
static bool system_is_event(int k)
{
	return k >= MEMLENS_SYS_PSWPIN && k <= MEMLENS_SYS_PGMAJFAULT;
}

static void system_metric_name(int k, char *buf, size_t len)
{
	const struct memlens_column *key = &ml_system_fmt[k];
	size_t n, i;

	if (k == MEMLENS_SYS_PAGESIZE) {
		snprintf(buf, len, "memlens_system_page_size_bytes");
		return;
	}
	if (k == MEMLENS_SYS_PROCESSRSSSUM) {
		snprintf(buf, len, "memlens_processes_rss_sum_bytes");
		return;
	}
	if (k == MEMLENS_SYS_B_CLAMPED) {
		snprintf(buf, len, "memlens_system_breakdown_clamped_bytes");
		return;
	}
	n = snprintf(buf, len, "memlens_system_");
	for (i = 0; key->name[i] && n + 1 < len; i++) {
		char c = key->name[i];

		if (c == ')')
			continue;
		buf[n++] = (c == '(') ? '_' : c;
	}
	snprintf(buf + n, len - n, "%s",
		 system_is_event(k) ? "_total" : key->unit == MEMLENS_UNIT_COUNT ? "" : "_bytes");
}

/*
 * A part's label, its key without "Breakdown" in snake_case:
 * "BreakdownSlabReclaimable" -> "slab_reclaimable".  What is left of the
 * rest once the hugetlb pools are split off keeps the label of the whole
 * rest, other_kernel: it is still the memory no other part names.
 */
static void part_name(int k, char *buf, size_t len)
{
	const char *key = ml_system_fmt[k == MEMLENS_SYS_B_KERNELOTHER ?
					MEMLENS_SYS_B_OTHER : k].name;
	size_t n = 0;

	for (key += strlen("Breakdown"); *key && n + 2 < len; key++) {
		if (*key >= 'A' && *key <= 'Z') {
			if (n)
				buf[n++] = '_';
			buf[n++] = *key - 'A' + 'a';
		} else {
			buf[n++] = *key;
		}
	}
	buf[n] = '\0';
}

/* A key of the breakdown, split or not: one series of its own metric. */
static bool system_is_part(int k)
{
	return (k >= MEMLENS_SYS_FIRST_PART && k <= MEMLENS_SYS_LAST_PART) ||
	       (k >= MEMLENS_SYS_FIRST_OTHER_PART && k <= MEMLENS_SYS_LAST_OTHER_PART);
}

static void prom_system(struct prom *p)
{
	int k, i, nparts, parts[ML_SYS_MAX_PARTS];
	struct ml_system s;
	char name[96];

	ml_load_system(p->o, &s);
	for (k = 0; k < MEMLENS_SYS_NR_KEYS; k++) {
		const struct memlens_column *key = &ml_system_fmt[k];

		if (system_is_part(k))
			continue;
		if (!s.present[k] || s.unavailable[k])
			continue;
		system_metric_name(k, name, sizeof(name));
		head(p, name, system_is_event(k) ? "counter" : "gauge",
		     key->help[0] ? key->help : key->name);
		sample(p, name, s.val[k]);
	}
	head(p, "memlens_system_breakdown_bytes", "gauge",
	     "MemTotal in parts that do not overlap and add up to it");
	nparts = ml_system_parts(&s, parts);
	for (i = 0; i < nparts; i++) {
		part_name(parts[i], name, sizeof(name));
		sample1(p, "memlens_system_breakdown_bytes", "part", name, s.val[parts[i]]);
	}
}

/*
 * The census: one series per class, summed over the NUMA nodes (no family
 * here has a node label), so that the family is bounded by the classes,
 * and its sum is present RAM.
 */
static void prom_pages(struct prom *p)
{
	struct ml_pages pages;
	const char *partial;
	unsigned int c;

	ml_load_pages(p->o, &pages, false, &partial);
	head(p, "memlens_pages_bytes", "gauge",
	     "present RAM by use, every page in one class (memlens pages), over all nodes");
	for (c = 0; c < pages.nclasses; c++)
		sample1(p, "memlens_pages_bytes", "class", ml_pages_class(&pages, c),
			ml_pages_bytes(&pages, (int)c));
	ml_pages_free(&pages);
}

/*
 * The memory types of a group or a process, numbered as one list: the
 * processes view's, then the pss view's, written only when the module has
 * that view; swap_pss last, left out where the version file says it is
 * unavailable.  rss first: groups are ordered by it.
 */
static const struct {
	const char *name;
	enum memlens_proc_column col;
} proc_memtypes[] = {
	{ .name = "rss", .col = MEMLENS_PROC_RSS },
	{ .name = "anon", .col = MEMLENS_PROC_ANON },
	{ .name = "file", .col = MEMLENS_PROC_FILE },
	{ .name = "shmem", .col = MEMLENS_PROC_SHMEM },
	{ .name = "swap", .col = MEMLENS_PROC_SWAP },
	{ .name = "vsz", .col = MEMLENS_PROC_VSZ },
};

static const struct {
	const char *name;
	enum memlens_pss_column col;
} pss_memtypes[] = {
	{ .name = "pss", .col = MEMLENS_PSS_PSS },
	{ .name = "uss", .col = MEMLENS_PSS_USS },
	{ .name = "swap_pss", .col = MEMLENS_PSS_SWAP_PSS },
};

#define NR_PROC_MEMTYPES	((long)ARRAY_SIZE(proc_memtypes))
#define NR_MEMTYPES		(NR_PROC_MEMTYPES + (long)ARRAY_SIZE(pss_memtypes))
#define NR_PSS_MEMTYPES		(NR_MEMTYPES - 1)	/* without swap_pss */

static const char *memtype_name(long m)
{
	return m < NR_PROC_MEMTYPES ? proc_memtypes[m].name :
	       pss_memtypes[m - NR_PROC_MEMTYPES].name;
}
#define OTHER		"[other]"
/* one string, so that a group's name is it only if it is kernel threads */
static const char KTHREADS[] = "[kthreads]";

struct group {
	const char *name;	/* a row's comm, a user name (lives until exit) or a constant */
	uint64_t bytes[NR_MEMTYPES];
	uint64_t known[NR_MEMTYPES];	/* processes whose value is in bytes[] */
	uint64_t procs;
};

/* Kernel threads (ml_proc_kthread()) are one group, whatever their names. */
static const char *group_name(const struct ml_options *o, const struct ml_proc *r)
{
	if (ml_proc_kthread(r))
		return KTHREADS;
	if (o->group_by_user)
		return strdup(ml_user_name(r->val[MEMLENS_PROC_UID]));
	return r->comm;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct group *)a)->name, ((const struct group *)b)->name);
}

static int cmp_group_rss(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	/* kernel threads first: one group, whatever --groups cuts */
	if ((x->name == KTHREADS) != (y->name == KTHREADS))
		return x->name == KTHREADS ? -1 : 1;
	if (x->bytes[0] != y->bytes[0])
		return x->bytes[0] < y->bytes[0] ? 1 : -1;
	return strcmp(x->name, y->name);
}

/*
 * A process's value of memtype @m in @bytes; false when it has none: not in
 * the pss file, or its row busy, or the number blank.  A partial row's
 * numbers, what was counted, are summed.
 */
static bool memtype_bytes(const struct prom *p, const struct ml_proc *row, long m,
			  uint64_t *bytes)
{
	const struct ml_pss_row *r;
	enum memlens_pss_column col;

	*bytes = 0;
	if (m < NR_PROC_MEMTYPES) {
		*bytes = row->val[proc_memtypes[m].col];
		return true;
	}
	col = pss_memtypes[m - NR_PROC_MEMTYPES].col;
	r = p->pss ? ml_pss_find(p->pss, row) : NULL;
	if (!r || r->status == ML_PSS_BUSY || r->blank & (1u << col))
		return false;
	*bytes = r->val[col];
	return true;
}

static void group_add(struct group *g, const struct group *from)
{
	long m;

	for (m = 0; m < NR_MEMTYPES; m++) {
		g->bytes[m] += from->bytes[m];
		g->known[m] += from->known[m];
	}
	g->procs += from->procs;
}

/*
 * The selected processes summed by group, largest RSS first; returns how
 * many groups, the array in @out.
 */
static size_t make_groups(const struct prom *p, const struct ml_procs *procs,
			  struct group **out)
{
	const struct ml_options *o = p->o;
	struct group *g = calloc(procs->n + 1, sizeof(*g));
	size_t r, n = 0, i;
	long m;

	if (!g)
		err(ML_EXIT_FAIL, "calloc");
	for (r = 0; r < procs->n; r++) {
		const struct ml_proc *row = &procs->rows[r];

		if (!ml_proc_selected(o, row))
			continue;
		g[n].name = group_name(o, row);
		for (m = 0; m < p->nmemtypes; m++)
			g[n].known[m] = memtype_bytes(p, row, m, &g[n].bytes[m]);
		g[n++].procs = 1;
	}
	qsort(g, n, sizeof(*g), cmp_name);
	for (r = 0, i = 0; r < n; r++) {
		if (i && !strcmp(g[i - 1].name, g[r].name))
			group_add(&g[i - 1], &g[r]);
		else
			g[i++] = g[r];
	}
	qsort(g, i, sizeof(*g), cmp_group_rss);
	*out = g;
	return i;
}

static void group_samples(struct prom *p, const struct group *g, long m)
{
	/* none of its processes' pss known (all busy): no number, rather than 0 */
	if (!g->known[m])
		return;
	fputs("memlens_group_memory_bytes{groupname=\"", p->f);
	label(p->f, g->name);
	fprintf(p->f, "\",memtype=\"%s\"} %" PRIu64 "\n", memtype_name(m), g->bytes[m]);
	p->series++;
}

/*
 * Processes by group: the --groups largest by RSS each, the rest in
 * "[other]", so that the sums stay exact.
 */
static void prom_groups(struct prom *p, const struct ml_procs *procs)
{
	struct group *g, other = { .name = OTHER };
	size_t n = make_groups(p, procs, &g), i, shown;
	long m, fit = budget(p, p->nmemtypes + 1, RESERVED_SERIES) - 1;

	shown = n;
	if ((long)shown > p->o->groups)
		shown = p->o->groups;
	if ((long)shown > fit)
		shown = fit > 0 ? fit : 0;
	for (i = shown; i < n; i++)
		group_add(&other, &g[i]);
	head(p, "memlens_group_memory_bytes", "gauge",
	     "memory of the processes of a group (comm or user; [kthreads], " OTHER
	     "); pss, uss and swap_pss of those not busy nor missing");
	for (m = 0; m < p->nmemtypes; m++) {
		for (i = 0; i < shown; i++)
			group_samples(p, &g[i], m);
		if (other.procs)
			group_samples(p, &other, m);
	}
	head(p, "memlens_group_num_procs", "gauge", "number of processes in the group");
	for (i = 0; i < shown; i++)
		sample1(p, "memlens_group_num_procs", "groupname", g[i].name, g[i].procs);
	if (other.procs)
		sample1(p, "memlens_group_num_procs", "groupname", OTHER, other.procs);
	free(g);
}

/*
 * The memory types of a cgroup: memory.current, memory.swap.current and
 * the memory.stat values cAdvisor's container_memory_* families are made
 * of (docs/prometheus.md); current first: cgroups are ordered by it.
 */
static const struct {
	const char *name;
	enum memlens_cgroups_column col;
} cgroup_memtypes[] = {
	{ "current", MEMLENS_CGROUPS_CURRENT }, { "swap", MEMLENS_CGROUPS_SWAP },
	{ "anon", MEMLENS_CGROUPS_ANON }, { "file", MEMLENS_CGROUPS_FILE },
	{ "kernel", MEMLENS_CGROUPS_KERNEL }, { "shmem", MEMLENS_CGROUPS_SHMEM },
	{ "file_mapped", MEMLENS_CGROUPS_FILE_MAPPED },
	{ "file_dirty", MEMLENS_CGROUPS_FILE_DIRTY },
	{ "file_writeback", MEMLENS_CGROUPS_FILE_WRITEBACK },
	{ "active_file", MEMLENS_CGROUPS_ACTIVE_FILE },
	{ "inactive_file", MEMLENS_CGROUPS_INACTIVE_FILE },
};
#define NR_CGROUP_MEMTYPES	((long)ARRAY_SIZE(cgroup_memtypes))

static int cmp_cgroup_current(const void *a, const void *b, void *data)
{
	const struct ml_cgroups *c = data;
	const struct ml_cgroup *x = &c->rows[*(const size_t *)a], *y = &c->rows[*(const size_t *)b];
	uint64_t vx = x->val[MEMLENS_CGROUPS_CURRENT], vy = y->val[MEMLENS_CGROUPS_CURRENT];

	if (vx != vy)
		return vx < vy ? 1 : -1;
	return strcmp(ml_cgroup_path(c, x), ml_cgroup_path(c, y));
}

/*
 * The root's value of column @col: its own; for current, which it has no
 * file of, the parts of its memory.stat that current counts; for swap,
 * the sum of its children's.
 */
static uint64_t cgroup_root_value(const struct ml_cgroups *c, int col)
{
	uint64_t sum = 0;
	size_t i;

	if (col == MEMLENS_CGROUPS_CURRENT)
		return ml_cgroup_current(&c->rows[0]);
	if (!ml_cgroup_blank(&c->rows[0], col))
		return c->rows[0].val[col];
	for (i = 1; i < c->n; i++)
		if (c->rows[i].parent == 0)
			sum += c->rows[i].val[col];
	return sum;
}

static void cgroup_sample(struct prom *p, const char *path, long m, uint64_t v)
{
	fputs("memlens_cgroup_memory_bytes{cgroup=\"", p->f);
	label(p->f, path);
	fprintf(p->f, "\",memtype=\"%s\"} %" PRIu64 "\n", cgroup_memtypes[m].name, v);
	p->series++;
}

/* Whether row @i has an ancestor below the root that is @in. */
static bool cgroup_inside(const struct ml_cgroups *c, size_t i, const bool *in)
{
	long q;

	for (q = c->rows[i].parent; q > 0; q = c->rows[q].parent)
		if (in[q])
			return true;
	return false;
}

/*
 * Memory cgroups: the root, the --cgroups live ones with the most
 * current, and "[other]": the root's memory that none of those holds,
 * so that the root is exactly the sum of [other] and of the cgroups
 * written that are in none written (a cgroup's numbers count its
 * descendants').  Dying cgroups, whose paths a new cgroup may have, are
 * in [other] and in memlens_cgroup_dying.
 */
static void prom_cgroups(struct prom *p)
{
	struct ml_cgroups c;
	uint64_t other[NR_CGROUP_MEMTYPES], dying[2] = { 0 }, ndying = 0;
	long m, q, fit = budget(p, NR_CGROUP_MEMTYPES, RESERVED_SERIES) - 2;
	size_t i, n = 0, shown, *order;
	bool *in;

	if (ml_load_cgroups(p->o, &c, true, NULL) || !c.n)
		return;
	order = malloc(c.n * sizeof(*order));
	in = calloc(c.n, sizeof(*in));
	if (!order || !in)
		err(ML_EXIT_FAIL, "malloc");
	for (i = 1; i < c.n; i++) {
		if (c.rows[i].state == ML_CGROUP_DYING) {
			ndying++;
			/* in a dying ancestor's numbers already, or not */
			for (q = c.rows[i].parent; q > 0 && c.rows[q].state != ML_CGROUP_DYING;)
				q = c.rows[q].parent;
			if (q <= 0) {
				dying[0] += c.rows[i].val[MEMLENS_CGROUPS_CURRENT];
				dying[1] += c.rows[i].val[MEMLENS_CGROUPS_FILE];
			}
			continue;
		}
		if (!ml_cgroup_blank(&c.rows[i], MEMLENS_CGROUPS_CURRENT))
			order[n++] = i;
	}
	qsort_r(order, n, sizeof(*order), cmp_cgroup_current, &c);
	shown = n;
	if ((long)shown > p->o->cgroups_top)
		shown = p->o->cgroups_top;
	if ((long)shown > fit)
		shown = fit > 0 ? fit : 0;
	for (i = 0; i < shown; i++)
		in[order[i]] = true;
	for (m = 0; m < NR_CGROUP_MEMTYPES; m++)
		other[m] = cgroup_root_value(&c, cgroup_memtypes[m].col);
	for (i = 0; i < shown; i++) {
		if (cgroup_inside(&c, order[i], in))
			continue;
		for (m = 0; m < NR_CGROUP_MEMTYPES; m++) {
			uint64_t v = c.rows[order[i]].val[cgroup_memtypes[m].col];

			/* the stats of a moment apart: never below 0 */
			other[m] = other[m] > v ? other[m] - v : 0;
		}
	}
	head(p, "memlens_cgroup_memory_bytes", "gauge",
	     "memory of a memory cgroup and its descendants, as memory.current, "
	     "memory.swap.current and memory.stat (\"/\": current anon + file + kernel + sock, "
	     "swap its children's; "
	     OTHER ": the root's memory in no cgroup written)");
	for (m = 0; m < NR_CGROUP_MEMTYPES; m++) {
		if (!ml_cgroup_blank(&c.rows[0], cgroup_memtypes[m].col) ||
		    m == 0 || cgroup_memtypes[m].col == MEMLENS_CGROUPS_SWAP)
			cgroup_sample(p, "/", m, cgroup_root_value(&c, cgroup_memtypes[m].col));
		for (i = 0; i < shown; i++)
			if (!ml_cgroup_blank(&c.rows[order[i]], cgroup_memtypes[m].col))
				cgroup_sample(p, ml_cgroup_path(&c, &c.rows[order[i]]), m,
					      c.rows[order[i]].val[cgroup_memtypes[m].col]);
		cgroup_sample(p, OTHER, m, other[m]);
	}
	head(p, "memlens_cgroup_dying", "gauge",
	     "memory cgroups removed but still held (by page cache, mostly)");
	sample(p, "memlens_cgroup_dying", ndying);
	head(p, "memlens_cgroup_dying_memory_bytes", "gauge",
	     "memory the dying cgroups hold (current, and its file part)");
	sample1(p, "memlens_cgroup_dying_memory_bytes", "memtype", "current", dying[0]);
	sample1(p, "memlens_cgroup_dying_memory_bytes", "memtype", "file", dying[1]);
	free(order);
	free(in);
	ml_cgroups_free(&c);
}

/* --per-process N: the N processes with the most RSS, each on its own. */
static void prom_per_process(struct prom *p, struct ml_procs *procs)
{
	long n = p->o->per_process, fit = budget(p, p->nmemtypes, RESERVED_SERIES), m, k;
	uint64_t bytes;
	size_t r;

	if (!n)
		return;
	if (n > fit)
		n = fit;
	ml_procs_sort_rss(procs);
	head(p, "memlens_process_memory_bytes", "gauge",
	     "memory of the processes with the most RSS (--per-process)");
	for (m = 0; m < p->nmemtypes; m++) {
		for (r = 0, k = 0; r < procs->n && k < n; r++) {
			const struct ml_proc *row = &procs->rows[r];

			if (!ml_proc_selected(p->o, row))
				continue;
			k++;
			/* a number not known is no sample, as a scrape that failed */
			if (!memtype_bytes(p, row, m, &bytes))
				continue;
			fprintf(p->f, "memlens_process_memory_bytes{pid=\"%" PRIu64 "\",comm=\"",
				row->val[MEMLENS_PROC_PID]);
			label(p->f, row->comm);
			fprintf(p->f, "\",memtype=\"%s\"} %" PRIu64 "\n", memtype_name(m),
				bytes);
			p->series++;
		}
	}
}

/* The selected processes the pss sums leave out, and the partial ones. */
static void prom_pss_counts(struct prom *p, const struct ml_procs *procs)
{
	uint64_t busy = 0, missing = 0, partial = 0;
	const struct ml_pss_row *r;
	size_t i;

	for (i = 0; i < procs->n; i++) {
		if (!ml_proc_selected(p->o, &procs->rows[i]))
			continue;
		r = ml_pss_find(p->pss, &procs->rows[i]);
		missing += !r;
		busy += r && r->status == ML_PSS_BUSY;
		partial += r && r->status == ML_PSS_PARTIAL;
	}
	head(p, "memlens_pss_busy_procs", "gauge",
	     "processes left out of pss, uss and swap_pss: mmap lock busy, not waited for");
	sample(p, "memlens_pss_busy_procs", busy);
	head(p, "memlens_pss_missing_procs", "gauge",
	     "processes left out of pss, uss and swap_pss: not in the pss file, "
	     "started or exited between the reads");
	sample(p, "memlens_pss_missing_procs", missing);
	head(p, "memlens_pss_partial_procs", "gauge",
	     "processes in pss, uss and swap_pss with what was counted: time budget ran out");
	sample(p, "memlens_pss_partial_procs", partial);
}

/*
 * Processes by group and the largest alone; @pss_status: what the version
 * file says of the pss view.
 */
static void prom_processes(struct prom *p, enum ml_view_status pss_status)
{
	struct ml_procs procs;
	struct ml_pss pss;

	ml_load_processes(p->o, &procs);
	p->nmemtypes = NR_PROC_MEMTYPES;
	if (pss_status == ML_VIEW_AVAILABLE || pss_status == ML_VIEW_PARTIAL) {
		/* after processes: a process in it and not yet in pss is missing, not 0 */
		ml_load_pss(p->o, &pss, false);
		p->pss = &pss;
		p->nmemtypes = pss_status == ML_VIEW_AVAILABLE ? NR_MEMTYPES : NR_PSS_MEMTYPES;
		prom_pss_counts(p, &procs);
	}
	prom_groups(p, &procs);
	prom_per_process(p, &procs);
	ml_procs_free(&procs);
	if (p->pss)
		ml_pss_free(&pss);
	p->pss = NULL;
}

static int cmp_slab_total(const void *a, const void *b)
{
	const struct ml_slab *x = a, *y = b;

	if (x->val[MEMLENS_SLAB_TOTAL] != y->val[MEMLENS_SLAB_TOTAL])
		return x->val[MEMLENS_SLAB_TOTAL] < y->val[MEMLENS_SLAB_TOTAL] ? 1 : -1;
	return strcmp(x->name, y->name);
}

static const struct {
	const char *name, *help;
	enum memlens_slab_column col;
} slab_families[] = {
	{ .name = "memlens_slab_bytes", .col = MEMLENS_SLAB_TOTAL,
	  .help = "memory held by the cache's slabs" },
	{ .name = "memlens_slab_active_bytes", .col = MEMLENS_SLAB_ACTIVE,
	  .help = "memory of the objects in use" },
	{ .name = "memlens_slab_wasted_bytes", .col = MEMLENS_SLAB_WASTE,
	  .help = "memory held but not in use" },
};

/*
 * The caches holding at least --slab-min, largest first; the others
 * summed in "[other]", so that the sums stay exact.
 */
static void prom_slab(struct prom *p)
{
	struct ml_slab other = { .name = OTHER };
	struct ml_slabs s;
	size_t r, shown;
	long fit = budget(p, ARRAY_SIZE(slab_families), RESERVED_SERIES) - 1;
	int c;

	/* only when the version file says the view works on this kernel */
	ml_load_slab(p->o, &s);
	qsort(s.rows, s.n, sizeof(*s.rows), cmp_slab_total);
	for (shown = 0; shown < s.n && (long)shown < fit; shown++)
		if (s.rows[shown].val[MEMLENS_SLAB_TOTAL] < p->o->slab_min)
			break;
	for (r = shown; r < s.n; r++)
		for (c = 0; c < (int)ARRAY_SIZE(slab_families); c++)
			other.val[slab_families[c].col] += s.rows[r].val[slab_families[c].col];
	head(p, "memlens_slab_caches", "gauge", "number of slab caches");
	sample(p, "memlens_slab_caches", s.n);
	for (c = 0; c < (int)ARRAY_SIZE(slab_families); c++) {
		const char *name = slab_families[c].name;
		enum memlens_slab_column col = slab_families[c].col;

		head(p, name, "gauge", slab_families[c].help);
		for (r = 0; r < shown; r++)
			sample1(p, name, "cache", s.rows[r].name, s.rows[r].val[col]);
		if (shown < s.n)
			sample1(p, name, "cache", OTHER, other.val[col]);
	}
	ml_slabs_free(&s);
}

/*
 * The page cache of each filesystem (superblock), from the files view's
 * total rows: as many series as filesystems with files cached, tens.
 */
static void prom_filesystems(struct prom *p, const struct ml_files *f)
{
	long fit = budget(p, 1, RESERVED_SERIES / 2), i;
	char dev[32];

	if (!f->ntotals)
		return;
	head(p, "memlens_filesystem_cached_bytes", "gauge",
	     "page cache of the files of each filesystem, by its device and type");
	for (i = 0; i < fit && (size_t)i < f->ntotals; i++) {
		const struct ml_files_total *t = &f->totals[i];

		snprintf(dev, sizeof(dev), "%u:%u", t->major, t->minor);
		fputs("memlens_filesystem_cached_bytes{dev=\"", p->f);
		label(p->f, dev);
		fputs("\",fstype=\"", p->f);
		label(p->f, f->strings + t->fstype);
		fprintf(p->f, "\"} %" PRIu64 "\n", t->val[MEMLENS_FILES_TOTAL_CACHED]);
		p->series++;
	}
}

/*
 * The files view: the totals, each filesystem's page cache, and the top N
 * files by page cache (-t N, default 10).
 */
static void prom_files(struct prom *p)
{
	char path[PATH_MAX + 64];
	struct ml_file_totals t;
	struct ml_files f;
	long top = p->o->top ? p->o->top : 10, fit, i;
	bool mounted;

	if (ml_load_files(p->o, &f, true))
		return;
	/* from the total rows: every file, also those whose rows the module left out */
	ml_files_totals(&f, &t);
	t.shared_files = ml_mapped_files(p->o, &f);
	head(p, "memlens_files_cached_inodes", "gauge", "inodes with pages in the page cache");
	sample(p, "memlens_files_cached_inodes", t.files);
	head(p, "memlens_files_cached_bytes", "gauge", "page cache of those inodes");
	sample(p, "memlens_files_cached_bytes", t.cached);
	head(p, "memlens_files_dirty_bytes", "gauge",
	     "their pages waiting for or under writeback");
	sample(p, "memlens_files_dirty_bytes", t.dirty);
	head(p, "memlens_files_mapped_files", "gauge", "files mapped by processes");
	sample(p, "memlens_files_mapped_files", t.shared_files);
	head(p, "memlens_files_mapped_bytes", "gauge",
	     "page cache mapped by processes, each page once");
	sample(p, "memlens_files_mapped_bytes", t.mapped);
	head(p, "memlens_files_in_rss_bytes", "gauge",
	     "the same pages as counted in the processes' RSS, once per mapping");
	sample(p, "memlens_files_in_rss_bytes", t.in_rss);
	prom_filesystems(p, &f);
	fit = budget(p, 1, RESERVED_SERIES / 2);
	if (top > fit)
		top = fit;
	ml_files_sort(&f, MEMLENS_FILES_CACHED);
	head(p, "memlens_file_cached_bytes", "gauge",
	     "page cache of the files holding the most (top N)");
	for (i = 0; i < top && (size_t)i < f.n; i++) {
		const struct ml_file *r = &f.rows[i];

		fputs("memlens_file_cached_bytes{path=\"", p->f);
		label(p->f, ml_file_fullpath(&f, r, path, sizeof(path), &mounted));
		fputs("\",fstype=\"", p->f);
		label(p->f, ml_file_fstype(&f, r));
		fprintf(p->f, "\"} %" PRIu64 "\n", r->val[MEMLENS_FILES_CACHED]);
		p->series++;
	}
	ml_files_free(&f);
}

/* memlens_up, the versions, and which views this kernel has. */
static void prom_meta(struct prom *p, const struct ml_version *v, bool up)
{
	struct utsname u;
	int i;

	head(p, "memlens_up", "gauge", "1 if the memlens module's files could be read");
	sample(p, "memlens_up", up);
	uname(&u);
	head(p, "memlens_build_info", "gauge", "versions of the reader, module and kernel");
	fprintf(p->f, "memlens_build_info{version=\"%s\",module=\"", MEMLENS_VERSION);
	label(p->f, up ? v->module : "");
	fputs("\",kernel=\"", p->f);
	label(p->f, up ? v->kernel : u.release);
	fputs("\"} 1\n", p->f);
	p->series++;
	head(p, "memlens_view_available", "gauge",
	     "1 if the view works on this kernel (memlens version)");
	for (i = 0; i < MEMLENS_NR_VIEWS; i++)
		sample1(p, "memlens_view_available", "view", ml_view_file[i],
			up && ml_view_up(v, i));
}

/* Whether the module's files are there; a missing directory is memlens_up 0. */
static bool module_up(const struct ml_options *o)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", o->debugfs, MEMLENS_FILE_VERSION);
	if (!access(path, F_OK))
		return true;
	if (errno != ENOENT)
		return true;	/* the read says why */
	warnx("%s: kernel module not loaded (try: sudo modprobe memlens); "
	      "writing memlens_up 0", o->debugfs);
	return false;
}

static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* A temporary file another run left when killed, if that run is gone. */
static void remove_stale(int dirfd)
{
	DIR *d = fdopendir(dup(dirfd));
	struct dirent *de;
	char *end;
	long pid;

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, TEXTFILE_TMP, strlen(TEXTFILE_TMP)) != 0)
			continue;
		pid = strtol(de->d_name + strlen(TEXTFILE_TMP), &end, 10);
		if (*end || pid <= 0 || (kill(pid, 0) && errno == ESRCH))
			unlinkat(dirfd, de->d_name, 0);
	}
	closedir(d);
}

/*
 * The temporary file: unnamed (O_TMPFILE), so that a run killed while
 * writing leaves nothing, given a name only to be renamed over the old
 * file; a named one where the filesystem has no O_TMPFILE.
 */
static int textfile_write(const char *dir, const char *buf, size_t len)
{
	char tmp[64], fdpath[64];
	int dirfd, fd, ret = -1;
	bool named = false;	/* whether tmp names the file */
	ssize_t w;
	size_t done;

	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -1;
	remove_stale(dirfd);
	snprintf(tmp, sizeof(tmp), TEXTFILE_TMP "%ld", (long)getpid());
	fd = openat(dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
	if (fd < 0) {
		fd = openat(dirfd, tmp, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
		if (fd < 0)
			goto out;
		named = true;
	}
	for (done = 0; done < len; done += w) {
		w = write(fd, buf + done, len - done);
		if (w < 0 && errno == EINTR)
			w = 0;
		else if (w <= 0)
			goto unlink;
	}
	/* readable by node_exporter's user, whatever the umask */
	if (fchmod(fd, 0644))
		goto unlink;
	if (!named) {
		snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
		unlinkat(dirfd, tmp, 0);
		if (linkat(AT_FDCWD, fdpath, dirfd, tmp, AT_SYMLINK_FOLLOW))
			goto close;
		named = true;
	}
	if (!renameat(dirfd, tmp, dirfd, TEXTFILE))
		ret = 0;
unlink:
	if (ret && named)
		unlinkat(dirfd, tmp, 0);
close:
	close(fd);
out:
	close(dirfd);
	return ret;
}

int ml_prometheus(const struct ml_options *o)
{
	struct prom p = { .o = o };
	struct ml_version v = { 0 };
	size_t len = 0;
	char *buf = NULL;
	bool up;

	clock_gettime(CLOCK_MONOTONIC, &p.start);
	p.f = open_memstream(&buf, &len);
	if (!p.f)
		err(ML_EXIT_FAIL, "open_memstream");
	up = module_up(o);
	if (up)
		ml_load_version(o, &v);
	prom_meta(&p, &v, up);
	/* a read that fails exits here: nothing is written */
	if (up && ml_view_up(&v, MEMLENS_VIEW_SYSTEM))
		prom_system(&p);
	/* before the processes: the groups' budget leaves room for it */
	if (up && ml_view_up(&v, MEMLENS_VIEW_PAGES))
		prom_pages(&p);
	if (up && ml_view_up(&v, MEMLENS_VIEW_CGROUPS))
		prom_cgroups(&p);
	if (up && ml_view_up(&v, MEMLENS_VIEW_PROCESSES))
		prom_processes(&p, ml_view_status(&v, MEMLENS_VIEW_PSS, NULL));
	if (up && ml_view_up(&v, MEMLENS_VIEW_SLAB))
		prom_slab(&p);
	if (up && ml_view_up(&v, MEMLENS_VIEW_FILES))
		prom_files(&p);
	head(&p, "memlens_scrape_duration_seconds", "gauge", "time taken to read the views");
	fprintf(p.f, "memlens_scrape_duration_seconds %.6f\n", since(&p.start));
	if (fclose(p.f))
		err(ML_EXIT_FAIL, "writing the metrics");
	if (!o->textfile) {
		if (fwrite(buf, 1, len, stdout) != len)
			err(ML_EXIT_FAIL, "write");
	} else if (textfile_write(o->textfile, buf, len)) {
		err(ML_EXIT_FAIL, "cannot write %s/%s", o->textfile, TEXTFILE);
	}
	free(buf);
	return ML_EXIT_OK;
}
