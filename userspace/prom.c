// SPDX-License-Identifier: GPL-2.0
/*
 * --prometheus: every view in the Prometheus text exposition format, for
 * node_exporter's textfile collector.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"

/* A label value: backslash, double quote and newline escaped. */
static void label(const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			printf("\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", stdout);
		else
			putchar(*s);
	}
}

static void metric_head(const char *name, const char *type, const char *help)
{
	printf("# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* memlens_system_MemTotal_bytes, as node_exporter names meminfo keys. */
static void system_metric_name(const struct memlens_column *key, char *buf, size_t len)
{
	const char *suffix = key->unit == MEMLENS_UNIT_COUNT ? "_total" : "_bytes";
	size_t n = snprintf(buf, len, "memlens_system_"), i;

	for (i = 0; key->name[i] && n + 1 < len; i++) {
		char c = key->name[i];

		if (c == ')')
			continue;
		buf[n++] = (c == '(') ? '_' : c;
	}
	snprintf(buf + n, len - n, "%s", suffix);
}

static void prom_system(const struct ml_options *o)
{
	struct ml_system s;
	char name[96];
	int k;

	ml_load_system(o, &s);
	for (k = 0; k < MEMLENS_SYS_FIRST_PART; k++) {
		const struct memlens_column *key = &ml_system_fmt[k];

		if (s.unavailable[k])
			continue;
		system_metric_name(key, name, sizeof(name));
		metric_head(name, key->unit == MEMLENS_UNIT_COUNT ? "counter" : "gauge", key->help[0] ? key->help : key->name);
		printf("%s %" PRIu64 "\n", name,
		       s.val[k] * (key->unit == MEMLENS_UNIT_KB ? 1024 : 1));
	}
	metric_head("memlens_system_breakdown_bytes", "gauge",
		    "MemTotal in parts that do not overlap");
	for (k = MEMLENS_SYS_FIRST_PART; k <= MEMLENS_SYS_LAST_PART; k++) {
		printf("memlens_system_breakdown_bytes{part=\"%s\"} %" PRIu64 "\n",
		       ml_system_fmt[k].name + strlen("Breakdown"), s.val[k] * 1024);
	}
}

static void prom_processes(const struct ml_options *o)
{
	struct ml_procs p;
	char name[96];
	size_t r;
	int c;

	ml_load_processes(o, &p);
	for (c = MEMLENS_PROC_THREADS; c < MEMLENS_PROC_NR_NUMERIC; c++) {
		const struct memlens_column *col = &ml_proc_fmt[c];
		bool kb = col->unit == MEMLENS_UNIT_KB;

		snprintf(name, sizeof(name), "memlens_process_%s%s", col->name, kb ? "_bytes" : "");
		metric_head(name, "gauge", col->help);
		for (r = 0; r < p.n; r++) {
			if (!ml_proc_selected(o, &p.rows[r]))
				continue;
			printf("%s{pid=\"%" PRIu64 "\",comm=\"", name, p.rows[r].val[MEMLENS_PROC_PID]);
			label(p.rows[r].comm);
			printf("\"} %" PRIu64 "\n", p.rows[r].val[c] * (kb ? 1024 : 1));
		}
	}
	ml_procs_free(&p);
}

static void prom_slab(const struct ml_options *o)
{
	struct ml_slabs s;
	struct ml_error e = { 0 };
	char name[96], *buf;
	size_t len, r;
	int c;

	buf = ml_read_view(o, MEMLENS_FILE_SLAB, &len);
	/* an unsupported or unreadable slab view leaves the other metrics alone */
	if (ml_parse_slab(buf, len, &s, &e) || s.unsupported[0]) {
		free(buf);
		return;
	}
	free(buf);
	for (c = 0; c < MEMLENS_SLAB_NR_NUMERIC; c++) {
		const struct memlens_column *col = &ml_slab_fmt[c];
		bool kb = col->unit == MEMLENS_UNIT_KB;
		size_t n = strlen(col->name);

		if (kb && n > 3)
			n -= 3;		/* total_kb -> memlens_slab_total_bytes */
		snprintf(name, sizeof(name), "memlens_slab_%.*s%s", (int)n, col->name,
			 col->unit == MEMLENS_UNIT_KB || col->unit == MEMLENS_UNIT_BYTES ?
			 "_bytes" : "");
		metric_head(name, "gauge", col->help);
		for (r = 0; r < s.n; r++) {
			printf("%s{cache=\"", name);
			label(s.rows[r].name);
			printf("\"} %" PRIu64 "\n", s.rows[r].val[c] * (kb ? 1024 : 1));
		}
	}
	ml_slabs_free(&s);
}

/*
 * The files view, bounded: the top N files by page cache (-t N, default
 * 10) and the totals; nothing when the view is missing or unsupported.
 */
static void prom_files(const struct ml_options *o)
{
	char path[PATH_MAX + 64];
	struct ml_file_totals t;
	struct ml_files f;
	long top = o->top ? o->top : 10, i;
	bool mounted;

	if (ml_load_files(o, &f, true))
		return;
	ml_files_totals(&f, &t);
	metric_head("memlens_files_cached_inodes", "gauge", "inodes with pages in the page cache");
	printf("memlens_files_cached_inodes %" PRIu64 "\n", t.files);
	metric_head("memlens_files_mapped_files", "gauge", "files mapped by processes");
	printf("memlens_files_mapped_files %" PRIu64 "\n", t.shared_files);
	metric_head("memlens_files_mapped_bytes", "gauge",
		    "page cache mapped by processes, each page once");
	printf("memlens_files_mapped_bytes %" PRIu64 "\n", t.mapped * 1024);
	metric_head("memlens_files_in_rss_bytes", "gauge",
		    "the same pages as counted in the processes' RSS, once per mapping");
	printf("memlens_files_in_rss_bytes %" PRIu64 "\n", t.in_rss * 1024);
	ml_files_sort(&f, MEMLENS_FILES_CACHED);
	metric_head("memlens_file_cached_bytes", "gauge",
		    "page cache of the files holding the most (top N)");
	for (i = 0; i < top && (size_t)i < f.n; i++) {
		const struct ml_file *r = &f.rows[i];

		printf("memlens_file_cached_bytes{path=\"");
		label(ml_file_fullpath(&f, r, path, sizeof(path), &mounted));
		printf("\",fstype=\"");
		label(ml_file_fstype(&f, r));
		printf("\"} %" PRIu64 "\n", r->val[MEMLENS_FILES_CACHED] * 1024);
	}
	ml_files_free(&f);
}

int ml_prometheus(const struct ml_options *o)
{
	prom_system(o);
	prom_processes(o);
	prom_slab(o);
	prom_files(o);
	return ML_EXIT_OK;
}
