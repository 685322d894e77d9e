// SPDX-License-Identifier: GPL-2.0
/*
 * memlens mem: the system view as a table; and the summary memlens prints
 * with no command: physical memory as a bar of its parts, then the
 * processes that use the most of it.
 */
#include <err.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
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
	{ "KEY", ML_STR, MEM_KEY, ML_SHOW, "the /proc/meminfo or /proc/vmstat name" },
	{ "SIZE", ML_SIZE, MEM_SIZE, ML_SHOW, "the value of a size" },
	{ "PERCENT", ML_PERCENT, MEM_PERCENT, ML_SHOW, "a size's percent of MemTotal" },
	{ "COUNT", ML_COUNT, MEM_COUNT, ML_SHOW, "the value of a count (huge pages, or events since boot)" },
	{ "DESCRIPTION", ML_STR, MEM_HELP, ML_SHOW, "what it is" },
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
		uint64_t size = r->val[MEMLENS_FILES_CACHED];
		struct ml_line ln;
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
		ml_table_set(t, ln, MEM_SIZE, NULL, (int64_t)size);
		snprintf(buf, sizeof(buf), "%.1f", total ? 100.0 * (double)size / (double)total : 0);
		ml_table_set(t, ln, MEM_PERCENT, buf, total ? (int64_t)(size * 1000 / total) : 0);
	}
	ml_files_free(&f);
}

/*
 * The rows of memlens mem: /proc/meminfo's keys in its order, then
 * /proc/vmstat's counters, then memlens's own keys and the breakdown.
 */
#define S(id)	MEMLENS_SYS_##id
static const int mem_rows[] = {
	S(MEMTOTAL), S(MEMFREE), S(MEMAVAILABLE), S(BUFFERS), S(CACHED), S(SWAPCACHED),
	S(ACTIVE_ANON), S(INACTIVE_ANON), S(ACTIVE_FILE), S(INACTIVE_FILE), S(UNEVICTABLE),
	S(MLOCKED), S(SWAPTOTAL), S(SWAPFREE), S(ZSWAP), S(ZSWAPPED), S(DIRTY), S(WRITEBACK),
	S(ANONPAGES), S(MAPPED), S(SHMEM), S(KRECLAIMABLE), S(SLAB), S(SRECLAIMABLE),
	S(SUNRECLAIM), S(KERNELSTACK), S(PAGETABLES), S(SECPAGETABLES), S(COMMITLIMIT),
	S(COMMITTED_AS), S(VMALLOCUSED), S(PERCPU), S(HARDWARECORRUPTED), S(ANONHUGEPAGES),
	S(SHMEMHUGEPAGES), S(SHMEMPMDMAPPED), S(FILEHUGEPAGES), S(FILEPMDMAPPED), S(CMATOTAL),
	S(CMAFREE), S(UNACCEPTED), S(HUGEPAGES_TOTAL), S(HUGEPAGES_FREE), S(HUGEPAGES_RSVD),
	S(HUGEPAGES_SURP), S(HUGEPAGESIZE), S(HUGETLB),
	S(PSWPIN), S(PSWPOUT), S(PGFAULT), S(PGMAJFAULT), S(PAGESIZE), S(PROCESSRSSSUM),
	S(B_FREE), S(B_ANON), S(B_PAGECACHE), S(B_BUFFERS), S(B_SHMEM), S(B_SRECLAIMABLE),
	S(B_SUNRECLAIM), S(B_KERNELSTACK), S(B_PAGETABLES), S(B_OTHER), S(B_HUGETLB),
	S(B_KERNELOTHER), S(B_CLAMPED),
};
#undef S

/* One row; a key the module does not print (older than the key) is left out. */
static void mem_row(struct ml_table *t, const struct ml_options *o, const struct ml_system *s,
		    int k)
{
	const struct memlens_column *key = &ml_system_fmt[k];
	uint64_t total = s->val[MEMLENS_SYS_MEMTOTAL];
	struct ml_line ln;
	bool counter;
	char buf[64];

	if (!s->present[k])
		return;
	ln = ml_table_line(t);
	ml_table_set(t, ln, MEM_KEY, key->name, 0);
	ml_table_set(t, ln, MEM_HELP, key->help, 0);
	counter = key->unit != MEMLENS_UNIT_KB && key->unit != MEMLENS_UNIT_BYTES;
	if (s->unavailable[k]) {
		/* JSON gets null, people get the word */
		ml_table_set(t, ln, counter ? MEM_COUNT : MEM_SIZE,
			     o->json ? "" : MEMLENS_UNAVAILABLE, 0);
		return;
	}
	if (counter) {
		ml_table_set(t, ln, MEM_COUNT, NULL, (int64_t)s->val[k]);
		return;
	}
	ml_table_set(t, ln, MEM_SIZE, NULL, (int64_t)s->val[k]);
	if (key->unit == MEMLENS_UNIT_KB && total && k != MEMLENS_SYS_HUGEPAGESIZE) {
		snprintf(buf, sizeof(buf), "%.1f", 100.0 * (double)s->val[k] / (double)total);
		ml_table_set(t, ln, MEM_PERCENT, buf, (int64_t)(s->val[k] * 1000 / total));
	} else {
		ml_table_set(t, ln, MEM_PERCENT, "", 0);
	}
}

int ml_cmd_mem(const struct ml_options *o)
{
	bool shown[MEMLENS_SYS_NR_KEYS] = { false };
	struct ml_system s;
	struct ml_table t;
	size_t i;
	int k, ret;

	/* the keys' order is meminfo's, not one to turn around */
	if (o->reverse && !o->sort)
		errx(ML_EXIT_FAIL, "--reverse needs --sort with 'memlens mem'");
	ml_load_system(o, &s);
	if (ml_table_init(&t, o, MEMLENS_FILE_SYSTEM, mem_cols, MEM_NCOLS))
		return ML_EXIT_FAIL;
	for (i = 0; i < ARRAY_SIZE(mem_rows); i++) {
		k = mem_rows[i];
		mem_row(&t, o, &s, k);
		shown[k] = true;
		if (k == MEMLENS_SYS_BUFFERS)
			mem_buffers(&t, o, s.val[MEMLENS_SYS_MEMTOTAL]);
	}
	for (k = 0; k < MEMLENS_SYS_NR_KEYS; k++)	/* a key not placed above */
		if (!shown[k])
			mem_row(&t, o, &s, k);
	ret = ml_table_print(&t, o, o->top);
	ml_table_free(&t);
	return ret ? ML_EXIT_FAIL : ML_EXIT_OK;
}

/*
 * The breakdown's parts, in the bar's order.  Each cell of the bar shows
 * its part's letter, so that the bar reads without colour and by people
 * who tell some colours apart by brightness alone; the colour (an ANSI
 * background, and a foreground that stands out on it) is an aid.  The
 * slab's two parts share a hue, told apart by R and U.  The hugetlb pools
 * are a part where the module splits them off the rest (ml_system_split());
 * with an older module the rest, O, holds them.
 */
static const struct {
	int key;
	char letter;
	const char *name;
	const char *colour;	/* ANSI "background;foreground" */
} parts[] = {
	{ MEMLENS_SYS_B_ANON, 'A', "anon", "41;97" },
	{ MEMLENS_SYS_B_SHMEM, 'S', "shmem", "45;97" },
	{ MEMLENS_SYS_B_PAGECACHE, 'C', "page cache", "44;97" },
	{ MEMLENS_SYS_B_BUFFERS, 'B', "buffers", "46;30" },
	{ MEMLENS_SYS_B_SRECLAIMABLE, 'R', "slab (reclaimable)", "43;30" },
	{ MEMLENS_SYS_B_SUNRECLAIM, 'U', "slab (unreclaimable)", "103;30" },
	{ MEMLENS_SYS_B_KERNELSTACK, 'K', "kernel stacks", "105;30" },
	{ MEMLENS_SYS_B_PAGETABLES, 'P', "page tables", "104;30" },
	{ MEMLENS_SYS_B_HUGETLB, 'H', "hugetlb", "101;30" },
	{ MEMLENS_SYS_B_OTHER, 'O', "other kernel", "100;97" },
	{ MEMLENS_SYS_B_FREE, '.', "free", "42;30" },
};
#define NPARTS (sizeof(parts) / sizeof(parts[0]))

/* Narrower than this, the bar could not give each part its cell. */
#define MIN_WIDTH	20

/*
 * The width to fit: the terminal's, else COLUMNS, else 80, as util-linux
 * (and so the libsmartcols table below) finds it.
 */
static unsigned int term_width(void)
{
	const char *cols = getenv("COLUMNS");
	struct winsize ws;
	long n = 0;

	if (isatty(STDOUT_FILENO) && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col)
		n = ws.ws_col;
	else if (cols && *cols)
		n = strtol(cols, NULL, 10);
	if (n <= 0)
		n = 80;
	if (n < MIN_WIDTH)
		n = MIN_WIDTH;
	return n > 4096 ? 4096 : (unsigned int)n;
}

/*
 * Colour with --color=always, or with auto on a terminal that has it and
 * no NO_COLOR of any value but empty (no-color.org).
 */
static bool use_colour(const struct ml_options *o)
{
	const char *no = getenv("NO_COLOR"), *term = getenv("TERM");

	if (o->colour != ML_COLOUR_AUTO)
		return o->colour == ML_COLOUR_ALWAYS;
	if (no && *no)
		return false;
	return isatty(STDOUT_FILENO) && !(term && !strcmp(term, "dumb"));
}

/*
 * Print @text, wrapped at @width between words, each line after the first
 * indented by @indent spaces; a '\n' in @text ends a line, a '\t' is a
 * space that does not break ("(B + C)" stays whole).
 */
static void wrap(const char *text, unsigned int width, unsigned int indent)
{
	unsigned int col = 0;
	bool fresh = true;	/* nothing on this line yet but the indent */
	const char *p = text;

	while (*p) {
		size_t n = strcspn(p, " \n");

		if (!fresh && col + 1 + n > width) {
			printf("\n%*s", (int)indent, "");
			col = indent;
			fresh = true;
		}
		if (!fresh) {
			putchar(' ');
			col++;
		}
		for (; n; n--, p++, col++)
			putchar(*p == '\t' ? ' ' : *p);
		fresh = false;
		if (*p == '\n') {
			putchar('\n');
			col = 0;
			fresh = true;
			p++;
		}
		while (*p == ' ')
			p++;
	}
	if (!fresh)
		putchar('\n');
}

/* wrap() of a formatted text. */
static void __attribute__((format(printf, 3, 4)))
wrapf(unsigned int width, unsigned int indent, const char *fmt, ...)
{
	char *text;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		err(ML_EXIT_FAIL, "vasprintf");
	wrap(text, width, indent);
	free(text);
}

/*
 * The census's classes in the bar's order, when the module has the pages
 * view: every page of present RAM, the "other kernel" of the breakdown
 * named part by part.  Memory reserved at boot (image, memmap, reserved)
 * shares a hue, before free; a class newer than this reader is '+'.
 */
static const struct {
	int cls;
	char letter;
	const char *name;
	const char *colour;
} census_bar[] = {
	{ MEMLENS_PAGE_ANON, 'A', "anon", "41;97" },
	{ MEMLENS_PAGE_SHMEM, 'S', "shmem", "45;97" },
	{ MEMLENS_PAGE_FILE, 'C', "page cache", "44;97" },
	{ MEMLENS_PAGE_BUFFERS, 'B', "buffers", "46;30" },
	{ MEMLENS_PAGE_SWAPCACHE, 'W', "swap cache", "106;30" },
	{ MEMLENS_PAGE_SLAB, 'L', "slab", "43;30" },
	{ MEMLENS_PAGE_LARGE_KMALLOC, 'G', "large kmalloc", "103;30" },
	{ MEMLENS_PAGE_KERNEL_STACK, 'K', "kernel stacks", "105;30" },
	{ MEMLENS_PAGE_PAGETABLES, 'P', "page tables", "104;30" },
	{ MEMLENS_PAGE_VMALLOC, 'V', "vmalloc", "102;30" },
	{ MEMLENS_PAGE_PERCPU, 'E', "percpu", "102;30" },
	{ MEMLENS_PAGE_MODULES, 'M', "modules", "47;30" },
	{ MEMLENS_PAGE_HUGETLB, 'H', "hugetlb", "101;30" },
	{ MEMLENS_PAGE_ZSMALLOC, 'Z', "zsmalloc", "106;30" },
	{ MEMLENS_PAGE_PAGE_POOL, 'N', "page_pool", "46;30" },
	{ -1, '+', NULL, "47;30" },	/* the classes of a newer module */
	{ MEMLENS_PAGE_UNTYPED, '?', "untyped", "100;97" },
	{ MEMLENS_PAGE_OFFLINE, 'F', "offline", "40;97" },
	{ MEMLENS_PAGE_KERNEL_IMAGE, 'I', "kernel image", "107;30" },
	{ MEMLENS_PAGE_MEMMAP, 'T', "memmap", "107;30" },
	{ MEMLENS_PAGE_RESERVED, 'X', "reserved", "107;30" },
	{ MEMLENS_PAGE_FREE, '.', "free", "42;30" },
};

/* A part of the bar: what it is drawn with, and its size. */
struct bar_part {
	char letter;
	const char *name;
	const char *colour;
	uint64_t bytes;
};

#define MAX_BAR_PARTS	(ML_PAGES_MAX_CLASSES + 1)

/*
 * The breakdown's parts, adding up to MemTotal: the hugetlb pools and
 * the rest without them where the module splits the rest, else the whole
 * rest.
 */
static unsigned int system_parts(const struct ml_system *s, struct bar_part *bp)
{
	bool split = ml_system_split(s);
	unsigned int i, n = 0;

	for (i = 0; i < NPARTS; i++) {
		int k = parts[i].key;

		if (k == MEMLENS_SYS_B_HUGETLB && !split)
			continue;
		if (k == MEMLENS_SYS_B_OTHER && split)
			k = MEMLENS_SYS_B_KERNELOTHER;
		bp[n++] = (struct bar_part){ parts[i].letter, parts[i].name, parts[i].colour,
					     s->val[k] };
	}
	return n;
}

/* The census's classes that hold memory, adding up to present RAM. */
static unsigned int census_parts(const struct ml_pages *p, struct bar_part *bp)
{
	unsigned int i, c, n = 0;
	uint64_t v;

	for (i = 0; i < ARRAY_SIZE(census_bar); i++) {
		if (census_bar[i].cls >= 0) {
			v = ml_pages_bytes(p, census_bar[i].cls);
			if (v)
				bp[n++] = (struct bar_part){ census_bar[i].letter, census_bar[i].name,
							     census_bar[i].colour, v };
			continue;
		}
		for (c = MEMLENS_NR_PAGE_CLASSES; c < p->nclasses; c++) {
			v = ml_pages_bytes(p, (int)c);
			if (v)
				bp[n++] = (struct bar_part){ census_bar[i].letter, ml_pages_class(p, c),
							     census_bar[i].colour, v };
		}
	}
	return n;
}

/*
 * Cells of the bar per part, adding up to @width.  A part that is not
 * empty gets at least one cell, however small: it is there to be seen.
 */
static void bar_cells(const struct bar_part *bp, unsigned int n, uint64_t total,
		      unsigned int width, unsigned int *cells)
{
	unsigned int used = 0, i, widest;

	for (i = 0; i < n; i++) {
		cells[i] = total ? (unsigned int)((bp[i].bytes * width + total / 2) / total) : 0;
		if (bp[i].bytes && !cells[i])
			cells[i] = 1;
		used += cells[i];
	}
	/* rounding, and the cells given to small parts, go to the widest part */
	while (n && used != width) {
		for (widest = 0, i = 1; i < n; i++)
			if (cells[i] > cells[widest])
				widest = i;
		if (used < width) {
			cells[widest]++;
			used++;
		} else if (cells[widest] > 1) {
			cells[widest]--;
			used--;
		} else {
			break;
		}
	}
}

/* The bar of @n parts adding up to @total, and its legend. */
static void summary_bar(const struct ml_options *o, const struct bar_part *bp, unsigned int n,
			uint64_t total, unsigned int width)
{
	unsigned int cells[MAX_BAR_PARTS], i, j, col = 0;
	bool colour = use_colour(o);
	char size[32];

	putchar('[');
	bar_cells(bp, n, total, width - 2, cells);
	for (i = 0; i < n; i++) {
		if (colour && cells[i])
			printf("\033[%sm", bp[i].colour);
		for (j = 0; j < cells[i]; j++)
			putchar(bp[i].letter);
		if (colour && cells[i])
			fputs("\033[0m", stdout);
	}
	printf("]\n");
	/* the legend, " A anon 180K  S shmem 21.2M", as many to a line as fit */
	for (i = 0; i < n; i++) {
		unsigned int len;

		ml_size_str(bp[i].bytes, o->bytes, size, sizeof(size));
		len = (unsigned int)(strlen(bp[i].name) + strlen(size)) + 4;
		if (col && col + 1 + len > width) {
			putchar('\n');
			col = 0;
		}
		fputs(col ? "  " : " ", stdout);
		if (colour)
			printf("\033[%sm%c\033[0m", bp[i].colour, bp[i].letter);
		else
			putchar(bp[i].letter);
		printf(" %s %s", bp[i].name, size);
		col += len + (col ? 1 : 0);
	}
	putchar('\n');
}

/* Physical memory as meminfo's breakdown has it: MemTotal in parts. */
static void summary_system(const struct ml_options *o, const struct ml_system *s,
			   unsigned int width)
{
	struct bar_part bp[MAX_BAR_PARTS];
	unsigned int n = system_parts(s, bp);
	char size[32];

	ml_size_str(s->val[MEMLENS_SYS_MEMTOTAL], o->bytes, size, sizeof(size));
	printf("Physical memory: %s\n", size);
	summary_bar(o, bp, n, s->val[MEMLENS_SYS_MEMTOTAL], width);
}

/*
 * Physical memory as the census has it: every page present, and first
 * how much of it the kernel kept at boot, never handed to the page
 * allocator: present RAM - MemTotal, of which the kernel's image and the
 * memory map are classes of their own; the rest is firmware's,
 * crashkernel's and early allocations'.
 */
static void summary_census(const struct ml_options *o, const struct ml_system *s,
			   const struct ml_pages *p, const char *partial, unsigned int width)
{
	uint64_t present = ml_pages_bytes(p, -1), memtotal = s->val[MEMLENS_SYS_MEMTOTAL];
	uint64_t boot = present > memtotal ? present - memtotal : 0;
	uint64_t image = ml_pages_bytes(p, MEMLENS_PAGE_KERNEL_IMAGE);
	uint64_t memmap = ml_pages_bytes(p, MEMLENS_PAGE_MEMMAP);
	uint64_t rest = boot > image + memmap ? boot - image - memmap : 0;
	char a[32], b[32], c[32], d[32], e[32], f[32];
	struct bar_part bp[MAX_BAR_PARTS];
	unsigned int n = census_parts(p, bp);

	ml_size_str(present, o->bytes, a, sizeof(a));
	ml_size_str(memtotal, o->bytes, b, sizeof(b));
	ml_size_str(boot, o->bytes, c, sizeof(c));
	ml_size_str(image, o->bytes, d, sizeof(d));
	ml_size_str(memmap, o->bytes, e, sizeof(e));
	ml_size_str(rest, o->bytes, f, sizeof(f));
	wrapf(width, 2, "Physical memory: %s installed (present), MemTotal %s: %s reserved at "
	      "boot, kernel image %s, memmap %s, the rest %s (firmware, crashkernel, early "
	      "allocations).", a, b, c, d, e, f);
	summary_bar(o, bp, n, present, width);
	if (partial)
		wrapf(width, 2, "The census is partial on this kernel: %s; their pages are in "
		      "untyped, the kernel image's in reserved.", partial);
}

/*
 * The Mem line of free(1), as procps 4.0.1 and later computes it
 * (library/meminfo.c): used is total - available, buff/cache is Buffers +
 * Cached + SReclaimable.  An available above total (a container's view)
 * or of 0 falls back to MemFree, as there.
 */
static void summary_free(const struct ml_options *o, const struct ml_system *s,
			 unsigned int width, bool census)
{
	uint64_t total = s->val[MEMLENS_SYS_MEMTOTAL], avail = s->val[MEMLENS_SYS_MEMAVAILABLE];
	char used[32], cache[32], av[32], fr[32], sh[32];

	if (!avail || avail > total)
		avail = s->val[MEMLENS_SYS_MEMFREE];
	if (avail > total)
		avail = total;
	ml_size_str(total - avail, o->bytes, used, sizeof(used));
	ml_size_str(s->val[MEMLENS_SYS_BUFFERS] + s->val[MEMLENS_SYS_CACHED] +
		    s->val[MEMLENS_SYS_SRECLAIMABLE], o->bytes, cache, sizeof(cache));
	ml_size_str(avail, o->bytes, av, sizeof(av));
	ml_size_str(s->val[MEMLENS_SYS_MEMFREE], o->bytes, fr, sizeof(fr));
	ml_size_str(s->val[MEMLENS_SYS_SHMEM], o->bytes, sh, sizeof(sh));
	/* the census's bar has the slab whole: no R to name */
	wrapf(width, 2, "As free shows it: used %s (total\t-\tavailable), buff/cache %s "
	      "(%s), available %s, free %s, shared %s (S).\n\n", used, cache,
	      census ? "B\t+\tC\t+\tS\t+\treclaimable\tslab" : "B\t+\tC\t+\tS\t+\tR", av, fr, sh);
}

/*
 * The files view in two lines: the biggest files in the page cache, and
 * what mapped files cost.  A page's mappings are counted by every process
 * of every pid namespace: when the summary's processes are not all of
 * them (@all false), the line says it is system-wide.  Nothing when the
 * module has no files view.
 */
static void summary_files(const struct ml_options *o, unsigned int width, bool all)
{
	char path[PATH_MAX + 64], size[32], held[32], rss[32];
	unsigned int col, shown = 0;
	struct ml_file_totals tot;
	struct ml_files f;
	bool mounted;
	size_t i;

	if (ml_load_files(o, &f, true))
		return;
	ml_files_totals(&f, &tot);
	tot.shared_files = ml_mapped_files(o, &f);
	ml_files_sort(&f, MEMLENS_FILES_CACHED);
	col = printf("Page cache, biggest files:");
	for (i = 0; i < f.n && shown < 5; i++) {
		const struct ml_file *r = &f.rows[i];
		const char *p = ml_file_fullpath(&f, r, path, sizeof(path), &mounted);
		int n;

		ml_size_str(r->val[MEMLENS_FILES_CACHED], o->bytes, size, sizeof(size));
		n = (int)strlen(p) + (int)strlen(size) + 3;
		if (col + n > width) {
			printf("\n ");
			col = 1;
		}
		col += printf(" %s %s%s", p, size, shown < 4 && i + 1 < f.n ? "," : "");
		shown++;
	}
	ml_size_str(tot.mapped, o->bytes, held, sizeof(held));
	ml_size_str(tot.in_rss, o->bytes, rss, sizeof(rss));
	putchar('\n');
	wrapf(width, 2, "%s: %s held once, counted %s in RSS, %llu file%s mapped "
	      "(memlens shared).\n\n", all ? "Shared files" :
	      "Shared files, system-wide (every process of every pid namespace)", held, rss,
	      (unsigned long long)tot.shared_files, tot.shared_files == 1 ? "" : "s");
	ml_files_free(&f);
}

/*
 * The processes every sum of the summary is over: those of the reader's
 * pid namespace that the selection leaves in.
 */
struct summary_set {
	struct ml_procs procs;
	size_t n;		/* rows selected */
	uint64_t rss;		/* their RSS sum */
	bool all;		/* every process of the system: the initial namespace, no selection */
};

static void summary_set_load(const struct ml_options *o, struct summary_set *set)
{
	size_t i;

	ml_load_processes(o, &set->procs);
	set->n = 0;
	set->rss = 0;
	for (i = 0; i < set->procs.n; i++) {
		if (!ml_proc_selected(o, &set->procs.rows[i]))
			continue;
		set->n++;
		set->rss += set->procs.rows[i].val[MEMLENS_PROC_RSS];
	}
	set->all = !ml_selecting(o) && ml_procs_whole_system(&set->procs);
}

/*
 * The pss view in a sentence, for after the RSS sum's (NULL when the module
 * has none): what the processes of @set hold with each shared page divided
 * among its users, and so how much their RSS sum counts beyond that.  Only
 * the rows counted whole are summed; the others are said.
 *
 * RSS - PSS is, page by page, the shares of the other processes that map
 * it: over every process of the system, exactly what the RSS sum counts
 * more than once; over some of them, it also holds the shares of those
 * left out, and is said so.  It has anon pages shared copy-on-write after
 * fork, which no file holds: memlens shared, which counts file and shmem
 * pages only, shows less.
 */
static char *summary_pss(const struct ml_options *o, const struct summary_set *set)
{
	uint64_t rss = 0, pss = 0, uss = 0;
	long busy = 0, partial = 0, other = 0, missing = 0;
	char spss[32], suss[32], sdup[32], left[256] = "", lag[192] = "", swalk[32];
	bool one = set->n == 1;
	struct ml_pss p;
	char *text;
	size_t i;
	int ret;

	if (ml_load_pss(o, &p, true))
		return NULL;
	for (i = 0; i < set->procs.n; i++) {
		const struct ml_proc *pr = &set->procs.rows[i];
		const struct ml_pss_row *r;

		if (!ml_proc_selected(o, pr))
			continue;
		r = ml_pss_find(&p, pr);
		/* not in the pss file: exited, or a pid reused, between the reads */
		missing += !r;
		if (!r)
			continue;
		busy += r->status == ML_PSS_BUSY;
		partial += r->status == ML_PSS_PARTIAL;
		other += r->status == ML_PSS_OTHER;
		if (r->status != ML_PSS_OK)
			continue;
		rss += r->val[MEMLENS_PSS_RSS];
		pss += r->val[MEMLENS_PSS_PSS];
		uss += r->val[MEMLENS_PSS_USS];
	}
	ml_pss_free(&p);
	ml_size_str(pss, o->bytes, spss, sizeof(spss));
	ml_size_str(uss, o->bytes, suss, sizeof(suss));
	/* a page's shares add up to at most the page: PSS <= RSS, but for rounding */
	ml_size_str(rss > pss ? rss - pss : 0, o->bytes, sdup, sizeof(sdup));
	if (ml_rss_lags(pss, set->rss)) {
		ml_size_str(rss, o->bytes, swalk, sizeof(swalk));
		snprintf(lag, sizeof(lag), " This kernel's " ML_RSS_LAG ": the PSS exceeds the "
			 "RSS sum, where the page walk finds an RSS of %s.", swalk);
	}
	if (busy + partial + other + missing)
		snprintf(left, sizeof(left), " Left out: %ld process%s (%ld busy, mmap lock "
			 "not waited for; %ld partial, time budget ran out; %ld not in the pss "
			 "file, come or gone between the reads%s).",
			 busy + partial + other + missing,
			 busy + partial + other + missing == 1 ? "" : "es", busy, partial, missing,
			 other ? "; others of a status unknown" : "");
	if (set->all)
		ret = asprintf(&text, " Their PSS adds up to %s (each shared page divided among "
			       "the processes that map it), their USS (pages only one process "
			       "maps) to %s: the RSS sum counts %s of shared pages more than once "
			       "(RSS\t-\tPSS: anon pages shared copy-on-write after fork, file "
			       "pages and shmem).%s%s", spss, suss, sdup, lag, left);
	else
		ret = asprintf(&text, " %s PSS adds up to %s (each shared page divided among "
			       "the processes that map it, wherever they are), %s USS (pages "
			       "only one process maps) to %s: %s RSS counts %s more than %s PSS "
			       "(RSS\t-\tPSS: the other processes' shares of %s shared pages, "
			       "anon pages shared copy-on-write after fork, file pages and "
			       "shmem).%s%s", one ? "Its" : "Their", spss, one ? "its" : "their",
			       suss, one ? "its" : "their", sdup, one ? "its" : "their",
			       one ? "its" : "their", lag, left);
	if (ret < 0)
		err(ML_EXIT_FAIL, "asprintf");
	return text;
}

/* "The 3 processes selected in this pid namespace: their", for @set. */
static const char *summary_who(const struct ml_options *o, const struct summary_set *set,
			       char *buf, size_t len)
{
	bool ns = !ml_procs_whole_system(&set->procs), sel = ml_selecting(o);
	const char *where = sel ? (ns ? " selected in this pid namespace" : " selected") :
			    (ns ? " of this pid namespace" : " of the system");

	if (set->n == 1)
		snprintf(buf, len, "The one process%s: its", where);
	else
		snprintf(buf, len, "The %zu processes%s: their", set->n, where);
	return buf;
}

/*
 * The processes' sums, all over the summary's set.  meminfo's AnonPages +
 * Mapped can only be system-wide: it is compared with the RSS sum only when
 * the set is every process, and otherwise said to be system-wide.
 */
static void summary_procs(const struct ml_options *o, const struct ml_system *s,
			  const struct summary_set *set, unsigned int width)
{
	char who[128], rss[32], mapped[32], *pss;

	ml_size_str(set->rss, o->bytes, rss, sizeof(rss));
	ml_size_str(s->val[MEMLENS_SYS_ANONPAGES] + s->val[MEMLENS_SYS_MAPPED], o->bytes, mapped,
		    sizeof(mapped));
	summary_who(o, set, who, sizeof(who));
	pss = summary_pss(o, set);
	if (set->all)
		wrapf(width, 0, "%s RSS adds up to %s, counting a shared page once per "
		      "process; the pages they map, each counted once (AnonPages + Mapped), are "
		      "%s.%s\n\n", who, rss, mapped, pss ? pss : "");
	else
		wrapf(width, 0, "%s RSS adds up to %s, counting a shared page once per "
		      "process.%s\nSystem-wide, every process of every pid namespace: the pages "
		      "mapped, each counted once (AnonPages + Mapped), are %s.\n\n", who, rss,
		      pss ? pss : "", mapped);
	free(pss);
}

int ml_cmd_summary(const struct ml_options *o)
{
	unsigned int width = term_width();
	struct ml_options po = *o;
	struct summary_set set;
	struct ml_pages pages;
	const char *partial;
	struct ml_system s;
	bool census;

	if (o->json || o->raw)
		errx(ML_EXIT_FAIL, "the summary is for people; for -J or -r use "
		     "'memlens mem', 'memlens ps' or 'memlens slab'");
	/* as pgrep: a selection of nothing is said before anything is printed */
	summary_set_load(o, &set);
	if (!set.n)
		errx(ML_EXIT_FAIL, "no process matches the selection");
	ml_load_system(o, &s);
	/* the census where the module has it, else meminfo's breakdown */
	census = !ml_load_pages(o, &pages, true, &partial);
	if (census) {
		summary_census(o, &s, &pages, partial, width);
		ml_pages_free(&pages);
	} else {
		summary_system(o, &s, width);
	}
	summary_free(o, &s, width, census);
	summary_procs(o, &s, &set, width);
	summary_files(o, width, set.all);
	ml_procs_free(&set.procs);
	po.sort = o->sort ? o->sort : "rss";
	po.top = o->top ? o->top : 10;
	printf("Top %ld processes by %s:\n", po.top, ml_sort_name(po.sort));
	return ml_cmd_ps(&po);
}
