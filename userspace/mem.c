// SPDX-License-Identifier: GPL-2.0
/*
 * memlens mem: the system view as a table; and the summary memlens prints
 * with no command: physical memory as a bar of its parts, then the
 * processes that use the most of it.
 */
#include <err.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <libsmartcols.h>

#include "reader.h"

/* A key is a size or a count: each has its column, of one JSON type. */
enum { MEM_KEY, MEM_SIZE, MEM_PERCENT, MEM_COUNT, MEM_HELP, MEM_NCOLS };

static const struct ml_col mem_cols[MEM_NCOLS] = {
	{ "KEY", ML_STR, MEM_KEY, true, "the /proc/meminfo or /proc/vmstat name" },
	{ "SIZE", ML_SIZE, MEM_SIZE, true, "the value of a size" },
	{ "PERCENT", ML_PERCENT, MEM_PERCENT, true, "a size's percent of MemTotal" },
	{ "COUNT", ML_COUNT, MEM_COUNT, true, "the value of a count (events since boot)" },
	{ "DESCRIPTION", ML_STR, MEM_HELP, true, "what it is" },
};

const struct ml_col *ml_mem_columns(void)
{
	return mem_cols;
}

int ml_mem_ncols(void)
{
	return MEM_NCOLS;
}

/*
 * Buffers per block device: the page cache of each device's own inode,
 * from the files view.  Nothing when the module has no files view.
 */
static void mem_buffers(struct ml_table *t, const struct ml_options *o, uint64_t total)
{
	char key[96], name[64], help[128], buf[32];
	struct ml_files f;
	size_t i;

	if (ml_load_files(o, &f, true))
		return;
	ml_files_sort(&f, MEMLENS_FILES_CACHED);
	for (i = 0; i < f.n; i++) {
		const struct ml_file *r = &f.rows[i];
		uint64_t kb = r->val[MEMLENS_FILES_CACHED];
		struct libscols_line *ln;
		unsigned int major, minor;

		if (!ml_file_bdev(&f, r, &major, &minor))
			continue;
		ml_block_name(major, minor, name, sizeof(name));
		if (!strncmp(name, "/dev/", 5))
			snprintf(key, sizeof(key), "Buffers(%s)", name + 5);
		else
			snprintf(key, sizeof(key), "Buffers(%u:%u)", major, minor);
		snprintf(help, sizeof(help), "buffers of block device %s (%u:%u)", name,
			 major, minor);
		ln = ml_table_line(t);
		ml_table_set(t, ln, MEM_KEY, key, 0);
		ml_table_set(t, ln, MEM_HELP, help, 0);
		ml_table_set(t, ln, MEM_SIZE, NULL, (int64_t)(kb * 1024));
		snprintf(buf, sizeof(buf), "%.1f", total ? 100.0 * (double)kb / (double)total : 0);
		ml_table_set(t, ln, MEM_PERCENT, buf, total ? (int64_t)(kb * 1000 / total) : 0);
	}
	ml_files_free(&f);
}

int ml_cmd_mem(const struct ml_options *o)
{
	struct ml_system s;
	struct ml_table t;
	uint64_t total;
	bool counter;
	char buf[64];
	int k, ret;

	/* the keys' order is meminfo's, not one to turn around */
	if (o->reverse && !o->sort)
		errx(ML_EXIT_FAIL, "--reverse needs --sort with 'memlens mem'");
	ml_load_system(o, &s);
	if (ml_table_init(&t, o, MEMLENS_FILE_SYSTEM, mem_cols, MEM_NCOLS))
		return ML_EXIT_FAIL;
	total = s.val[MEMLENS_SYS_MEMTOTAL];
	for (k = 0; k < MEMLENS_SYS_NR_KEYS; k++) {
		const struct memlens_column *key = &ml_system_fmt[k];
		struct libscols_line *ln;

		if (k == MEMLENS_SYS_BUFFERS + 1)
			mem_buffers(&t, o, total);
		ln = ml_table_line(&t);
		ml_table_set(&t, ln, MEM_KEY, key->name, 0);
		ml_table_set(&t, ln, MEM_HELP, key->help, 0);
		counter = key->unit != MEMLENS_UNIT_KB && key->unit != MEMLENS_UNIT_BYTES;
		if (s.unavailable[k]) {
			/* JSON gets null, people get the word */
			ml_table_set(&t, ln, counter ? MEM_COUNT : MEM_SIZE,
				     o->json ? "" : MEMLENS_UNAVAILABLE, 0);
			continue;
		}
		if (counter) {
			ml_table_set(&t, ln, MEM_COUNT, NULL, (int64_t)s.val[k]);
			continue;
		}
		ml_table_set(&t, ln, MEM_SIZE, NULL,
			     (int64_t)(s.val[k] * (key->unit == MEMLENS_UNIT_KB ? 1024 : 1)));
		if (key->unit == MEMLENS_UNIT_KB && total) {
			snprintf(buf, sizeof(buf), "%.1f", 100.0 * (double)s.val[k] / (double)total);
			ml_table_set(&t, ln, MEM_PERCENT, buf, (int64_t)(s.val[k] * 1000 / total));
		} else {
			ml_table_set(&t, ln, MEM_PERCENT, "", 0);
		}
	}
	ret = ml_table_print(&t, o, o->top);
	ml_table_free(&t);
	return ret ? ML_EXIT_FAIL : ML_EXIT_OK;
}

/* The breakdown's parts, in the bar's order, with a letter and a colour. */
static const struct {
	int key;
	char letter;
	const char *name;
	const char *colour;	/* ANSI background */
} parts[] = {
	{ MEMLENS_SYS_B_ANON, 'A', "anon", "41" },
	{ MEMLENS_SYS_B_SHMEM, 'S', "shmem", "45" },
	{ MEMLENS_SYS_B_PAGECACHE, 'C', "page cache", "44" },
	{ MEMLENS_SYS_B_BUFFERS, 'B', "buffers", "46" },
	{ MEMLENS_SYS_B_SRECLAIMABLE, 'R', "slab (reclaimable)", "43" },
	{ MEMLENS_SYS_B_SUNRECLAIM, 'U', "slab (unreclaimable)", "103" },
	{ MEMLENS_SYS_B_KERNELSTACK, 'K', "kernel stacks", "105" },
	{ MEMLENS_SYS_B_PAGETABLES, 'P', "page tables", "104" },
	{ MEMLENS_SYS_B_OTHER, 'O', "other kernel", "100" },
	{ MEMLENS_SYS_B_FREE, '.', "free", "42" },
};
#define NPARTS (sizeof(parts) / sizeof(parts[0]))

static unsigned int term_width(void)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");

	if (isatty(STDOUT_FILENO) && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col)
		return ws.ws_col;
	if (cols && atoi(cols) > 20)
		return atoi(cols);
	return 80;
}

/* Cells of the bar per part, rounded so that they add up to @width. */
static void bar_cells(const struct ml_system *s, unsigned int width, unsigned int *cells)
{
	uint64_t total = s->val[MEMLENS_SYS_MEMTOTAL];
	unsigned int used = 0, i, biggest = 0;

	for (i = 0; i < NPARTS; i++) {
		cells[i] = total ? (unsigned int)((s->val[parts[i].key] * width + total / 2) / total)
				 : 0;
		used += cells[i];
		if (s->val[parts[i].key] > s->val[parts[biggest].key])
			biggest = i;
	}
	/* rounding error goes to the biggest part */
	if (used > width && cells[biggest] >= used - width)
		cells[biggest] -= used - width;
	else if (used < width)
		cells[biggest] += width - used;
}

static void summary_bar(const struct ml_options *o, const struct ml_system *s)
{
	unsigned int width = term_width() - 2, cells[NPARTS], i, j, col = 0;
	bool colour = isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL;
	char size[32], item[96];

	ml_size_str(s->val[MEMLENS_SYS_MEMTOTAL] * 1024, o->bytes, size, sizeof(size));
	printf("Physical memory: %s\n[", size);
	bar_cells(s, width, cells);
	for (i = 0; i < NPARTS; i++)
		for (j = 0; j < cells[i]; j++)
			if (colour)
				printf("\033[%sm \033[0m", parts[i].colour);
			else
				putchar(parts[i].letter);
	printf("]\n");
	for (i = 0; i < NPARTS; i++) {
		int n;

		ml_size_str(s->val[parts[i].key] * 1024, o->bytes, size, sizeof(size));
		n = snprintf(item, sizeof(item), "%s %s", parts[i].name, size);
		if (col + n + 4 > width + 2) {
			putchar('\n');
			col = 0;
		}
		if (colour)
			printf(" \033[%sm \033[0m %s", parts[i].colour, item);
		else
			printf(" %c %s", parts[i].letter, item);
		col += n + 3;
	}
	putchar('\n');
}

/*
 * The files view in two lines: the biggest files in the page cache, and
 * what mapped files cost.  Nothing when the module has no files view.
 */
static void summary_files(const struct ml_options *o)
{
	char path[PATH_MAX + 64], size[32], held[32], rss[32];
	unsigned int width = term_width(), col, shown = 0;
	struct ml_file_totals tot;
	struct ml_files f;
	bool mounted;
	size_t i;

	if (ml_load_files(o, &f, true))
		return;
	ml_files_totals(&f, &tot);
	ml_files_sort(&f, MEMLENS_FILES_CACHED);
	col = printf("Page cache, biggest files:");
	for (i = 0; i < f.n && shown < 5; i++) {
		const struct ml_file *r = &f.rows[i];
		const char *p = ml_file_fullpath(&f, r, path, sizeof(path), &mounted);
		int n;

		ml_size_str(r->val[MEMLENS_FILES_CACHED] * 1024, o->bytes, size, sizeof(size));
		n = (int)strlen(p) + (int)strlen(size) + 3;
		if (shown && col + n > width) {
			printf("\n ");
			col = 1;
		}
		col += printf(" %s %s%s", p, size, shown < 4 && i + 1 < f.n ? "," : "");
		shown++;
	}
	ml_size_str(tot.mapped * 1024, o->bytes, held, sizeof(held));
	ml_size_str(tot.in_rss * 1024, o->bytes, rss, sizeof(rss));
	printf("\nShared files: %s held once, counted %s in RSS, %llu file%s mapped "
	       "(memlens shared).\n\n", held, rss, (unsigned long long)tot.shared_files,
	       tot.shared_files == 1 ? "" : "s");
	ml_files_free(&f);
}

int ml_cmd_summary(const struct ml_options *o)
{
	struct ml_options po = *o;
	struct ml_system s;
	char rss[32], mapped[32];

	if (o->json || o->raw)
		errx(ML_EXIT_FAIL, "the summary is for people; for -J or -r use "
		     "'memlens mem', 'memlens ps' or 'memlens slab'");
	ml_load_system(o, &s);
	summary_bar(o, &s);
	ml_size_str(s.val[MEMLENS_SYS_PROCESSRSSSUM] * 1024, o->bytes, rss, sizeof(rss));
	ml_size_str((s.val[MEMLENS_SYS_ANONPAGES] + s.val[MEMLENS_SYS_MAPPED]) * 1024,
		    o->bytes, mapped, sizeof(mapped));
	printf("The processes' RSS adds up to %s, counting a shared page once per process;\n"
	       "the pages they map, each counted once (AnonPages + Mapped), are %s.\n\n",
	       rss, mapped);
	summary_files(o);
	po.sort = o->sort ? o->sort : "rss";
	po.top = o->top ? o->top : 10;
	printf("Top %ld processes by %s:\n", po.top, ml_sort_name(po.sort));
	return ml_cmd_ps(&po);
}
