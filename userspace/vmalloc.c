// SPDX-License-Identifier: GPL-2.0
/*
 * memlens vmalloc: vmalloc use summed by caller, largest first, from
 * /proc/vmallocinfo, which lists the areas one at a time.  An area's
 * memory is its pages= (pages allocated for it); an area mapping memory
 * it did not allocate (ioremap, vmap of pages allocated elsewhere) has
 * none, and counts only as an area.  The file is root's alone.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reader.h"

#define VM_PROC	"/proc"

enum { VM_SIZE, VM_AREAS, VM_VSIZE, VM_CALLER, VM_NCOLS };

static const struct ml_col vmalloc_cols[VM_NCOLS] = {
	{ "SIZE", ML_SIZE, VM_SIZE, ML_SHOW,
	  "memory allocated for the caller's areas (their pages=)" },
	{ "AREAS", ML_COUNT, VM_AREAS, ML_SHOW, "vmap areas of the caller, with pages or not" },
	{ "VSIZE", ML_SIZE, VM_VSIZE, ML_HIDE,
	  "address space of those areas, guard pages included" },
	{ "CALLER", ML_STR, VM_CALLER, ML_SHOW,
	  "the function that made the areas, without its offset; [module] if in one" },
};

const struct ml_col *ml_vmalloc_columns(void)
{
	return vmalloc_cols;
}

int ml_vmalloc_ncols(void)
{
	return VM_NCOLS;
}

/* The areas of one caller. */
struct vm_caller {
	char name[128];
	uint64_t pages, vsize, areas;
};

/*
 * An area's caller, into @buf: "sym+0x1ab/0x2a0" is "sym", and a
 * "[module]" after it stays; an area with none is named for what the
 * line says it is ("unpurged vm_area", "vm_map_ram") in brackets.
 */
static void vm_caller_name(char *const *f, int nf, char *buf, size_t len)
{
	const char *c = nf > 2 ? f[2] : "";
	size_t n;

	if (nf > 2 && (strstr(c, "+0x") || !strncmp(c, "0x", 2))) {
		n = strcspn(c, "+");
		if (nf > 3 && f[3][0] == '[')
			snprintf(buf, len, "%.*s %s", (int)n, c, f[3]);
		else
			snprintf(buf, len, "%.*s", (int)n, c);
	} else if (nf > 3 && !strcmp(c, "unpurged") && !strcmp(f[3], "vm_area")) {
		snprintf(buf, len, "[unpurged vm_area]");
	} else if (nf > 2 && !strchr(c, '=')) {
		snprintf(buf, len, "[%s]", c);
	} else {
		snprintf(buf, len, "[unknown]");
	}
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct vm_caller *)a)->name, ((const struct vm_caller *)b)->name);
}

static int cmp_size(const void *a, const void *b)
{
	const struct vm_caller *x = a, *y = b;

	if (x->pages != y->pages)
		return x->pages < y->pages ? 1 : -1;
	if (x->areas != y->areas)
		return x->areas < y->areas ? 1 : -1;
	return strcmp(x->name, y->name);
}

/*
 * /proc/vmallocinfo's lines summed by caller, largest first: "0xSTART-0xEND
 * SIZE [caller] [pages=N] [phys=...] [flags...]".  Returns how many callers,
 * or -1 with @line set to a line that is not one.
 */
static long vm_parse(char *buf, struct vm_caller **out, unsigned long *line)
{
	struct vm_caller *c = NULL;
	size_t n = 0, cap = 0, i, j;
	char *save = NULL, *l, *f[16];

	*line = 0;
	for (l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *fs = NULL, *tok, *end;
		unsigned long long size;
		int nf = 0;

		++*line;
		for (tok = strtok_r(l, " \t", &fs); tok && nf < 16; tok = strtok_r(NULL, " \t", &fs))
			f[nf++] = tok;
		errno = 0;
		size = nf > 1 ? strtoull(f[1], &end, 10) : 0;
		if (nf < 2 || strncmp(f[0], "0x", 2) != 0 || !strchr(f[0], '-') || errno ||
		    end == f[1] || *end) {
			free(c);
			*out = NULL;
			return -1;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			*out = realloc(c, cap * sizeof(*c));
			if (!*out)
				err(ML_EXIT_FAIL, "realloc");
			c = *out;
		}
		memset(&c[n], 0, sizeof(c[n]));
		vm_caller_name(f, nf, c[n].name, sizeof(c[n].name));
		c[n].vsize = size;
		c[n].areas = 1;
		for (i = 2; i < (size_t)nf; i++)
			if (!strncmp(f[i], "pages=", 6))
				c[n].pages = strtoull(f[i] + 6, NULL, 10);
		n++;
	}
	*out = c;
	if (!n)
		return 0;
	qsort(c, n, sizeof(*c), cmp_name);
	for (i = j = 0; i < n; i++) {
		if (j && !strcmp(c[j - 1].name, c[i].name)) {
			c[j - 1].pages += c[i].pages;
			c[j - 1].vsize += c[i].vsize;
			c[j - 1].areas += c[i].areas;
		} else {
			c[j++] = c[i];
		}
	}
	qsort(c, j, sizeof(*c), cmp_size);
	return (long)j;
}

/* A file of @proc, whole; exits saying what to do when it cannot be read. */
static char *vm_read(const char *proc, const char *file, bool must, size_t *len)
{
	char path[4096], *buf;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", proc, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && !must)
		return NULL;
	if (fd < 0 && (errno == EACCES || errno == EPERM))
		errx(ML_EXIT_FAIL, "permission denied reading %s: it is readable by root only; "
		     "run memlens as root", path);
	if (fd < 0)
		err(ML_EXIT_FAIL, "%s", path);
	buf = ml_read_fd(fd, 1 << 18, len);
	if (!buf)
		err(ML_EXIT_FAIL, "%s", path);
	return buf;
}

/* meminfo's VmallocUsed, which counts the same pages, in bytes; 0 if not read. */
static uint64_t vm_meminfo_used(const char *proc)
{
	size_t len;
	char *buf = vm_read(proc, "meminfo", false, &len), *p;
	unsigned long long kb = 0;

	p = buf ? strstr(buf, "\nVmallocUsed:") : NULL;
	if (p)
		sscanf(p + strlen("\nVmallocUsed:"), "%llu", &kb);
	free(buf);
	return kb << 10;
}

/* For people: every caller's total, and meminfo's VmallocUsed beside it. */
static void vm_total(const struct ml_options *o, const char *proc,
		     const struct vm_caller *c, long n, uint64_t page)
{
	uint64_t pages = 0, vsize = 0, areas = 0, used = vm_meminfo_used(proc);
	char a[32], b[32], u[32];
	long i;

	for (i = 0; i < n; i++) {
		pages += c[i].pages;
		vsize += c[i].vsize;
		areas += c[i].areas;
	}
	ml_size_str(pages * page, o->bytes, a, sizeof(a));
	ml_size_str(vsize, o->bytes, b, sizeof(b));
	printf("Total: %s in %llu areas of %ld callers, %s of address space", a,
	       (unsigned long long)areas, n, b);
	if (used) {
		ml_size_str(used, o->bytes, u, sizeof(u));
		printf("; VmallocUsed (meminfo) %s", u);
	}
	putchar('\n');
}

int ml_cmd_vmalloc(const struct ml_options *o)
{
	const char *proc = o->proc ? o->proc : VM_PROC;
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	struct vm_caller *c = NULL;
	struct ml_table t;
	unsigned long line;
	size_t len;
	long n, i;
	char *buf;
	int ret;

	if (ml_table_init(&t, o, "vmalloc", vmalloc_cols, VM_NCOLS))
		return ML_EXIT_FAIL;
	buf = vm_read(proc, "vmallocinfo", true, &len);
	n = vm_parse(buf, &c, &line);
	free(buf);
	if (n < 0)
		errx(ML_EXIT_FAIL, "%s/vmallocinfo:%lu: not a vmallocinfo line", proc, line);
	for (i = 0; i < n; i++) {
		/* --reverse without -s: smallest first */
		const struct vm_caller *r = &c[o->reverse && !o->sort ? n - 1 - i : i];
		struct ml_line ln = ml_table_line(&t);

		ml_table_set(&t, ln, VM_SIZE, NULL, (int64_t)(r->pages * page));
		ml_table_set(&t, ln, VM_AREAS, NULL, (int64_t)r->areas);
		ml_table_set(&t, ln, VM_VSIZE, NULL, (int64_t)r->vsize);
		ml_table_set(&t, ln, VM_CALLER, r->name, 0);
	}
	ret = ml_table_print(&t, o, o->top);
	ml_table_free(&t);
	if (!ret && !o->json && !o->raw && !o->noheadings)
		vm_total(o, proc, c, n, page);
	free(c);
	return ret ? ML_EXIT_FAIL : ML_EXIT_OK;
}
