// SPDX-License-Identifier: GPL-2.0
/*
 * Parsers of the memlens debugfs files (formats: include/uapi/memlens.h).
 *
 * They take a buffer, never a file, and trust nothing in it: every field is
 * checked, every number bounded, and every failure names the line, so that
 * a damaged or foreign file gives a message, never garbage or a crash.
 * A size the file gives in kB comes out in bytes: the one conversion.
 * fuzz/parse_fuzz.c drives them with arbitrary bytes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"

#define ML_VIEW_FILE(id, file, help) [MEMLENS_VIEW_##id] = #file,
const char *const ml_view_file[MEMLENS_NR_VIEWS] = {
	MEMLENS_VIEWS(ML_VIEW_FILE)
};

const struct memlens_column ml_proc_fmt[MEMLENS_PROC_NR_NUMERIC] = {
	MEMLENS_PROC_COLUMNS(MEMLENS_COLUMN)
};

const struct memlens_column ml_system_fmt[MEMLENS_SYS_NR_KEYS] = {
	MEMLENS_SYSTEM_KEYS(MEMLENS_KEY)
};

const struct memlens_column ml_slab_fmt[MEMLENS_SLAB_NR_NUMERIC] = {
	MEMLENS_SLAB_COLUMNS(MEMLENS_COLUMN)
};

const struct memlens_column ml_files_fmt[MEMLENS_FILES_NR_COLUMNS] = {
	MEMLENS_FILES_COLUMNS(MEMLENS_COLUMN)
};

const struct memlens_column ml_files_total_fmt[MEMLENS_FILES_TOTAL_NR_COLUMNS] = {
	MEMLENS_FILES_TOTAL_COLUMNS(MEMLENS_COLUMN)
};

const struct memlens_column ml_dirs_fmt[MEMLENS_DIRS_NR_COLUMNS] = {
	MEMLENS_DIRS_COLUMNS(MEMLENS_COLUMN)
};

const struct memlens_column ml_pss_fmt[MEMLENS_PSS_NR_NUMERIC] = {
	MEMLENS_PSS_COLUMNS(MEMLENS_COLUMN)
};

const struct memlens_column ml_pages_fmt[MEMLENS_PAGES_NR_NUMERIC] = {
	MEMLENS_PAGES_COLUMNS(MEMLENS_COLUMN)
};

const struct memlens_column ml_cgroups_fmt[MEMLENS_CGROUPS_NR_NUMERIC] = {
	MEMLENS_CGROUPS_COLUMNS(MEMLENS_COLUMN)
};

const struct memlens_column ml_cgroup_files_fmt[MEMLENS_CGROUP_FILES_NR_COLUMNS] = {
	MEMLENS_CGROUP_FILES_COLUMNS(MEMLENS_COLUMN)
};

#define ML_PAGE_CLASS_NAME(id, name, help) [MEMLENS_PAGE_##id] = (name),
const char *const ml_page_class_name[MEMLENS_NR_PAGE_CLASSES] = {
	MEMLENS_PAGE_CLASSES(ML_PAGE_CLASS_NAME)
};

#define ML_PAGE_CLASS_HELP(id, name, help) [MEMLENS_PAGE_##id] = (help),
const char *const ml_page_class_help[MEMLENS_NR_PAGE_CLASSES] = {
	MEMLENS_PAGE_CLASSES(ML_PAGE_CLASS_HELP)
};

/* Fields per line the parsers accept: room for columns added later. */
#define MAX_FIELDS 64

struct cursor {
	const char *buf;
	size_t len, pos;
	unsigned int line;
};

struct field {
	const char *s;
	size_t len;
};

static int __attribute__((format(printf, 4, 5)))
fail(struct ml_error *err, const char *file, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	snprintf(err->file, sizeof(err->file), "%s", file);
	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* The next line, without its newline; false at the end of the buffer. */
static bool next_line(struct cursor *c, const char **line, size_t *len)
{
	const char *nl;

	if (c->pos >= c->len)
		return false;
	*line = c->buf + c->pos;
	nl = memchr(*line, '\n', c->len - c->pos);
	*len = nl ? (size_t)(nl - *line) : c->len - c->pos;
	c->pos += *len + (nl ? 1 : 0);
	c->line++;
	return true;
}

static bool must_escape[256];

/* The table from the format's own macro, once: a load a byte, not three tests. */
static void __attribute__((constructor)) must_escape_init(void)
{
	for (unsigned int c = 0; c < 256; c++)
		must_escape[c] = MEMLENS_MUST_ESCAPE(c);
}

/**
 * ml_plain_len() - how many bytes a string starts with that need no escape
 * @s: the string
 * @len: its length
 *
 * A plain byte is one MEMLENS_MUST_ESCAPE() passes: most bytes of most
 * fields, copied as a run rather than byte by byte.
 *
 * Return: the length of that plain prefix, at most @len.
 */
size_t ml_plain_len(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && !must_escape[(unsigned char)s[i]])
		i++;
	return i;
}

/* Split on blanks; -1 if there are more than max fields. */
static int split(const char *line, size_t len, struct field *f, int max)
{
	size_t i = 0;
	int n = 0;

	while (i < len) {
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i == len)
			break;
		if (n == max)
			return -1;
		f[n].s = line + i;
		while (i < len && line[i] != ' ' && line[i] != '\t')
			i++;
		f[n].len = line + i - f[n].s;
		n++;
	}
	return n;
}

static bool field_is(const struct field *f, const char *s)
{
	return f->len == strlen(s) && !memcmp(f->s, s, f->len);
}

/*
 * A decimal number of up to 20 digits.  Below 20 digits it cannot exceed
 * 64 bits; a 20-digit one is checked against 2^64 - 1 as text.
 */
static bool parse_u64(const struct field *f, uint64_t *v)
{
	static const char max[] = "18446744073709551615";
	uint64_t n = 0;
	size_t i;

	if (!f->len || f->len > 20)
		return false;
	for (i = 0; i < f->len; i++) {
		unsigned int d = (unsigned char)f->s[i] - '0';

		if (d > 9)
			return false;
		n = n * 10 + d;
	}
	if (f->len == 20 && memcmp(f->s, max, 20) > 0)
		return false;
	*v = n;
	return true;
}

/*
 * The selftests hold the files' sizes against /proc's, which are in kB as
 * well: they build this parser with ML_PARSE_KEEP_KB, and get kB.
 */
#ifdef ML_PARSE_KEEP_KB
#define ML_PARSE_TO_BYTES	0
#else
#define ML_PARSE_TO_BYTES	1
#endif

/*
 * A value of a column in @unit: a size the file gives in kB is kept in
 * bytes, so that nothing after the parser converts it.  A kB value of 2^54
 * or more does not fit 64 bits as bytes: not a number this parser takes.
 */
static bool parse_value(const struct field *f, enum memlens_unit unit, uint64_t *v)
{
	if (!parse_u64(f, v))
		return false;
	if (unit != MEMLENS_UNIT_KB || !ML_PARSE_TO_BYTES)
		return true;
	if (*v >> 54)
		return false;
	*v <<= 10;
	return true;
}

/**
 * ml_unescape() - undo the kernel side's \ooo escapes
 * @in: the field
 * @len: its length
 * @out: the result, NUL-terminated
 * @size: size of @out
 *
 * Return: the length written, or (size_t)-1 if @in is not a valid escaped
 * field (a bad escape, a byte that should have been escaped, too long).
 */
size_t ml_unescape(const char *in, size_t len, char *out, size_t size)
{
	size_t i = 0, n = 0, plain;
	unsigned int a, b, d;

	for (;;) {
		plain = ml_plain_len(in + i, len - i);
		if (n + plain >= size)
			return (size_t)-1;
		memcpy(out + n, in + i, plain);
		n += plain;
		i += plain;
		if (i == len)
			break;
		/* an escape, or a byte that should have been escaped */
		if (in[i] != '\\' || len - i < 4 || n + 1 >= size)
			return (size_t)-1;
		a = (unsigned char)in[i + 1] - '0';
		b = (unsigned char)in[i + 2] - '0';
		d = (unsigned char)in[i + 3] - '0';
		if (a > 3 || b > 7 || d > 7)
			return (size_t)-1;
		out[n++] = (char)(a << 6 | b << 3 | d);
		i += 4;
	}
	out[n] = '\0';
	return n;
}

/*
 * A table's header: the known columns may come in any order and new ones
 * may be added; map each field to its column, -1 for one we do not know.
 * The columns from @required on may be missing: a module older than them.
 */
static int map_header(const struct field *f, int nf, const struct memlens_column *cols,
		      int ncols, int required, int *map, const char *file, struct ml_error *err)
{
	bool seen[MAX_FIELDS] = { false };
	int i, k;

	for (i = 0; i < nf; i++) {
		map[i] = -1;
		for (k = 0; k < ncols; k++) {
			if (!field_is(&f[i], cols[k].name))
				continue;
			if (seen[k])
				return fail(err, file, 1, "column %s twice", cols[k].name);
			seen[k] = true;
			map[i] = k;
		}
	}
	for (k = 0; k < required; k++)
		if (!seen[k])
			return fail(err, file, 1, "no column %s in the header", cols[k].name);
	return 0;
}

/* Grow a row array by one, doubling as needed. */
static void *grow(void *rows, size_t n, size_t *cap, size_t size)
{
	void *p;

	if (n < *cap)
		return rows;
	*cap = *cap ? *cap * 2 : 256;
	p = realloc(rows, *cap * size);
	if (!p)
		free(rows);
	return p;
}

/*
 * A row of a table split into @f, and room for it in *@rows: false, the
 * error said, if it has not the header's @nf fields or there is no memory
 * (*@rows then NULL, freed).
 */
static bool next_row(const char *line, size_t ll, struct field *f, int nf, void **rows,
		     size_t n, size_t *cap, size_t size, const char *file, unsigned int lineno,
		     struct ml_error *err)
{
	int found = split(line, ll, f, MAX_FIELDS);

	if (found != nf) {
		fail(err, file, lineno, "expected %d fields, found %d", nf, found);
		return false;
	}
	*rows = grow(*rows, n, cap, size);
	if (!*rows) {
		fail(err, file, lineno, "out of memory");
		return false;
	}
	return true;
}

/* Parses the fields @f of one row into @row, the slot for it. */
typedef int (*row_parser)(const struct field *f, int nf, const int *map, void *row,
			  unsigned int line, struct ml_error *err);

/* A table being parsed: its lines, and its header's fields and their columns. */
struct table {
	struct cursor c;
	const char *file;
	struct field f[MAX_FIELDS];
	int map[MAX_FIELDS];
	int nf;
	int optional;		/* the last columns that may be missing (appended later) */
};

/* The table's first line: 0, or -1 with the error said when there is none. */
static int table_first(struct table *t, const char **line, size_t *ll, struct ml_error *err)
{
	*line = NULL;
	*ll = 0;
	if (!next_line(&t->c, line, ll))
		return fail(err, t->file, 1, "empty file");
	return 0;
}

/*
 * A table's header @line: @lead string fields before the numeric columns
 * @cols and @trail after them, named in order by @names; the numeric ones
 * in any order, new ones allowed.  0, or -1 with the error said.
 */
static int table_header(struct table *t, const char *line, size_t ll, const char *const *names,
			int lead, int trail, const struct memlens_column *cols, int ncols,
			struct ml_error *err)
{
	int i;

	t->nf = split(line, ll, t->f, MAX_FIELDS);
	if (t->nf < lead + trail + 1)
		return fail(err, t->file, 1, "not a memlens %s header", t->file);
	for (i = 0; i < lead + trail; i++)
		if (!field_is(&t->f[i < lead ? i : t->nf - lead - trail + i], names[i]))
			return fail(err, t->file, 1, "not a memlens %s header", t->file);
	return map_header(t->f + lead, t->nf - lead - trail, cols, ncols, ncols - t->optional,
			  t->map, t->file, err);
}

/*
 * The rows after a table's header, each of the header's fields, into
 * *@rows (*@n of them, @size bytes each) by @parse; 0, or -1 with the
 * error said and *@rows left for the caller to free.
 */
static int table_rows(struct table *t, void **rows, size_t *n, size_t size, row_parser parse,
		      struct ml_error *err)
{
	const char *line;
	size_t ll, cap = 0;

	while (next_line(&t->c, &line, &ll)) {
		if (!next_row(line, ll, t->f, t->nf, rows, *n, &cap, size, t->file, t->c.line, err))
			return -1;
		if (parse(t->f, t->nf, t->map, (char *)*rows + *n * size, t->c.line, err))
			return -1;
		(*n)++;
	}
	return 0;
}

/*
 * One row of @nf fields, the last a string: numbers parsed as they are
 * met, without splitting first (a table has tens of thousands of rows).
 * 0 on success, else -1 - the number of the field that is not a number, or
 * -(MAX_FIELDS + 1) if the row does not have @nf fields.
 */
static int parse_row(const char *s, size_t len, int nf, const int *map,
		     const struct memlens_column *fmt, uint64_t *val, struct field *last)
{
	const char *end = s + len;
	int i;

	for (i = 0; i < nf - 1; i++) {
		struct field f;

		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		f.s = s;
		while (s < end && *s != ' ' && *s != '\t')
			s++;
		f.len = s - f.s;
		if (!f.len)
			return -(MAX_FIELDS + 1);
		if (map[i] < 0 ? !parse_u64(&f, &(uint64_t){ 0 }) :
		    !parse_value(&f, fmt[map[i]].unit, &val[map[i]]))
			return -1 - (i + 1);
	}
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	last->s = s;
	while (s < end && *s != ' ' && *s != '\t')
		s++;
	last->len = s - last->s;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return last->len && s == end ? 0 : -(MAX_FIELDS + 1);
}

int ml_parse_processes(const char *buf, size_t len, struct ml_procs *out,
		       struct ml_error *err)
{
	static const char *const names[] = { MEMLENS_PROC_COMM };
	/* cgroup, the last column, is new: a module older than it has none */
	struct table t = { .c = { .buf = buf, .len = len }, .file = MEMLENS_FILE_PROCESSES,
			   .optional = MEMLENS_PROC_NR_NUMERIC - MEMLENS_PROC_CGROUP };
	struct cursor *c = &t.c;
	const char *line;
	size_t ll, cap = 0;
	int n, i;

	memset(out, 0, sizeof(*out));
	if (table_first(&t, &line, &ll, err) ||
	    table_header(&t, line, ll, names, 0, 1, ml_proc_fmt, MEMLENS_PROC_NR_NUMERIC, err))
		return -1;
	for (i = 0; i < t.nf - 1; i++)
		out->has_cgroup |= t.map[i] == MEMLENS_PROC_CGROUP;

	while (next_line(c, &line, &ll)) {
		struct ml_proc *p;
		struct field comm;

		out->rows = grow(out->rows, out->n, &cap, sizeof(*out->rows));
		if (!out->rows) {
			fail(err, MEMLENS_FILE_PROCESSES, c->line, "out of memory");
			goto out_free;
		}
		p = &out->rows[out->n];
		p->val[MEMLENS_PROC_CGROUP] = 0;	/* when the file has no such column */
		i = parse_row(line, ll, t.nf, t.map, ml_proc_fmt, p->val, &comm);
		if (i == -(MAX_FIELDS + 1)) {
			n = split(line, ll, t.f, MAX_FIELDS);
			fail(err, MEMLENS_FILE_PROCESSES, c->line, "expected %d fields, found %d",
			     t.nf, n);
			goto out_free;
		} else if (i) {
			fail(err, MEMLENS_FILE_PROCESSES, c->line, "field %d is not a number", -1 - i);
			goto out_free;
		}
		if (ml_unescape(comm.s, comm.len, p->comm, sizeof(p->comm)) == (size_t)-1) {
			fail(err, MEMLENS_FILE_PROCESSES, c->line, "bad comm field");
			goto out_free;
		}
		out->n++;
	}
	return 0;
out_free:
	ml_procs_free(out);
	return -1;
}

/* A table's rows, freed; empty again. */
static void rows_free(void **rows, size_t *n)
{
	free(*rows);
	*rows = NULL;
	*n = 0;
}

void ml_procs_free(struct ml_procs *p)
{
	rows_free((void **)&p->rows, &p->n);
}

/* "Key:   1234 kB", "Key: 17", or "Key: unavailable". */
int ml_parse_system(const char *buf, size_t len, struct ml_system *out, struct ml_error *err)
{
	struct cursor c = { .buf = buf, .len = len };
	struct field f[4];
	const char *line;
	size_t ll;
	int n, k;

	memset(out, 0, sizeof(*out));
	while (next_line(&c, &line, &ll)) {
		const struct memlens_column *key = NULL;

		n = split(line, ll, f, 4);
		if (n < 2 || n > 3 || f[0].len < 2 || f[0].s[f[0].len - 1] != ':')
			return fail(err, MEMLENS_FILE_SYSTEM, c.line, "not a \"Key: value\" line");
		f[0].len--;
		for (k = 0; k < MEMLENS_SYS_NR_KEYS; k++) {
			if (field_is(&f[0], ml_system_fmt[k].name)) {
				key = &ml_system_fmt[k];
				break;
			}
		}
		if (!key)
			continue;	/* a key added after this reader */
		if (out->present[k])
			return fail(err, MEMLENS_FILE_SYSTEM, c.line, "%s twice", key->name);
		out->present[k] = true;
		if (n == 2 && field_is(&f[1], MEMLENS_UNAVAILABLE)) {
			out->unavailable[k] = true;
			continue;
		}
		if (!parse_value(&f[1], key->unit, &out->val[k]))
			return fail(err, MEMLENS_FILE_SYSTEM, c.line, "%s is not a number", key->name);
		if ((key->unit == MEMLENS_UNIT_KB) != (n == 3 && field_is(&f[2], "kB")))
			return fail(err, MEMLENS_FILE_SYSTEM, c.line, "%s has the wrong unit",
				    key->name);
	}
	for (k = 0; k < MEMLENS_SYS_NR_KEYS; k++) {
		if (out->present[k])
			continue;
		if (k < MEMLENS_SYS_FIRST_LATER)
			return fail(err, MEMLENS_FILE_SYSTEM, c.line, "no %s", ml_system_fmt[k].name);
		out->unavailable[k] = true;	/* a module older than the key */
	}
	return 0;
}

/*
 * Whether the module split BreakdownOtherKernel: every part it splits into
 * is there and available.  A module older than them, or one that could
 * not read the hugetlb pools, leaves the rest whole.
 */
bool ml_system_split(const struct ml_system *s)
{
	int k;

	for (k = MEMLENS_SYS_FIRST_OTHER_PART; k <= MEMLENS_SYS_LAST_OTHER_PART; k++)
		if (!s->present[k] || s->unavailable[k])
			return false;
	return true;
}

/*
 * The keys of the breakdown's parts, which add up to MemTotal, in the
 * header's order, into @keys: the rest split where the module splits it,
 * else whole.  Returns how many.
 */
int ml_system_parts(const struct ml_system *s, int keys[ML_SYS_MAX_PARTS])
{
	int k, n = 0;

	for (k = MEMLENS_SYS_FIRST_PART; k < MEMLENS_SYS_LAST_PART; k++)
		keys[n++] = k;
	if (!ml_system_split(s)) {
		keys[n++] = MEMLENS_SYS_LAST_PART;
		return n;
	}
	for (k = MEMLENS_SYS_FIRST_OTHER_PART; k <= MEMLENS_SYS_LAST_OTHER_PART; k++)
		keys[n++] = k;
	return n;
}

static int parse_slab_row(const struct field *f, int nf, const int *map, void *row,
			  unsigned int line, struct ml_error *err)
{
	struct ml_slab *s = row;
	int i;

	memset(s, 0, sizeof(*s));
	if (ml_unescape(f[0].s, f[0].len, s->name, sizeof(s->name)) == (size_t)-1)
		return fail(err, MEMLENS_FILE_SLAB, line, "bad cache name");
	for (i = 1; i < nf; i++) {
		uint64_t v;
		int k = map[i - 1];

		if (!parse_value(&f[i], k >= 0 ? ml_slab_fmt[k].unit : MEMLENS_UNIT_COUNT, &v))
			return fail(err, MEMLENS_FILE_SLAB, line, "field %d is not a number", i + 1);
		if (k >= 0)
			s->val[k] = v;
	}
	return 0;
}

/* A view's one line "unsupported: REASON": the reason into @out, true. */
static bool parse_unsupported(const char *line, size_t ll, char *out, size_t size)
{
	static const char prefix[] = MEMLENS_STATUS_UNSUPPORTED ": ";
	size_t n = strlen(prefix);

	if (ll <= n || memcmp(line, prefix, n) != 0)
		return false;
	snprintf(out, size, "%.*s", (int)(ll - n), line + n);
	return true;
}

int ml_parse_slab(const char *buf, size_t len, struct ml_slabs *out, struct ml_error *err)
{
	static const char *const names[] = { MEMLENS_SLAB_NAME };
	struct table t = { .c = { .buf = buf, .len = len }, .file = MEMLENS_FILE_SLAB };
	const char *line;
	size_t ll;

	memset(out, 0, sizeof(*out));
	if (table_first(&t, &line, &ll, err))
		return -1;
	if (parse_unsupported(line, ll, out->unsupported, sizeof(out->unsupported)))
		return 0;
	if (table_header(&t, line, ll, names, 1, 0, ml_slab_fmt, MEMLENS_SLAB_NR_NUMERIC, err) ||
	    table_rows(&t, (void **)&out->rows, &out->n, sizeof(*out->rows), parse_slab_row,
		       err)) {
		ml_slabs_free(out);
		return -1;
	}
	return 0;
}

void ml_slabs_free(struct ml_slabs *s)
{
	rows_free((void **)&s->rows, &s->n);
}

/* Copy "key: value" parts, bounded. */
static void copy_part(char *dst, size_t size, const char *src, size_t len)
{
	snprintf(dst, size, "%.*s", (int)len, src);
}

int ml_parse_version(const char *buf, size_t len, struct ml_version *out,
		     struct ml_error *err)
{
	struct cursor c = { .buf = buf, .len = len };
	const char *line, *colon;
	size_t ll, kl;

	memset(out, 0, sizeof(*out));
	while (next_line(&c, &line, &ll)) {
		colon = memchr(line, ':', ll);
		if (!colon || colon == line || (size_t)(colon - line) + 2 > ll || colon[1] != ' ')
			return fail(err, MEMLENS_FILE_VERSION, c.line, "not a \"key: value\" line");
		kl = colon - line;
		line += kl + 2;
		ll -= kl + 2;
		if (kl == strlen(MEMLENS_KEY_MODULE) && !memcmp(line - kl - 2, MEMLENS_KEY_MODULE, kl)) {
			copy_part(out->module, sizeof(out->module), line, ll);
		} else if (kl == strlen(MEMLENS_KEY_KERNEL) &&
			   !memcmp(line - kl - 2, MEMLENS_KEY_KERNEL, kl)) {
			copy_part(out->kernel, sizeof(out->kernel), line, ll);
		} else if (out->nviews < ML_MAX_VIEWS) {
			copy_part(out->views[out->nviews].name, sizeof(out->views[0].name),
				  line - kl - 2, kl);
			copy_part(out->views[out->nviews].status, sizeof(out->views[0].status),
				  line, ll);
			out->nviews++;
		}
	}
	if (!out->module[0] || !out->kernel[0])
		return fail(err, MEMLENS_FILE_VERSION, c.line, "no module or kernel line");
	return 0;
}

/* @s is @word, alone or followed by ": " and a reason: that reason ("" if none), else NULL. */
static const char *status_is(const char *s, const char *word)
{
	size_t n = strlen(word);

	if (strncmp(s, word, n) != 0)
		return NULL;
	if (!s[n])
		return s + n;
	return s[n] == ':' && s[n + 1] == ' ' ? s + n + 2 : NULL;
}

/**
 * ml_view_status() - what the version file says of a view
 * @v: the version file, parsed
 * @view: the view
 * @reason: if not NULL, set to the reason after "partial: " or
 *	    "unsupported: " ("" if there is none), or to the status word
 *	    itself when it is one this reader does not know
 *
 * Return: the view's status; a word this reader does not know is partial:
 * the view is there, with no promise that all of it works.
 */
enum ml_view_status ml_view_status(const struct ml_version *v, enum memlens_view_id view,
				   const char **reason)
{
	const char *status = NULL, *why;
	unsigned int i;

	for (i = 0; i < v->nviews && !status; i++)
		if (!strcmp(v->views[i].name, ml_view_file[view]))
			status = v->views[i].status;
	if (reason)
		*reason = "";
	if (!status)
		return ML_VIEW_UNLISTED;
	if (!strcmp(status, MEMLENS_STATUS_AVAILABLE))
		return ML_VIEW_AVAILABLE;
	why = status_is(status, MEMLENS_STATUS_UNSUPPORTED);
	if (reason)
		*reason = why ? why : status_is(status, MEMLENS_STATUS_PARTIAL);
	if (reason && !*reason)
		*reason = status;
	return why ? ML_VIEW_UNSUPPORTED : ML_VIEW_PARTIAL;
}

/* "MAJOR:MINOR", each below 2^32. */
static bool parse_dev(const struct field *f, unsigned int *major, unsigned int *minor)
{
	const char *colon = memchr(f->s, ':', f->len);
	struct field a, b;
	uint64_t x, y;

	if (!colon)
		return false;
	a = (struct field){ f->s, colon - f->s };
	b = (struct field){ colon + 1, f->len - (colon - f->s) - 1 };
	if (!parse_u64(&a, &x) || !parse_u64(&b, &y) || x > UINT32_MAX || y > UINT32_MAX)
		return false;
	*major = x;
	*minor = y;
	return true;
}

/* An escaped string field into the strings, at *@used; its offset in @off. */
static bool put_string(struct ml_files *out, size_t size, size_t *used, const struct field *f,
		       size_t *off)
{
	size_t n = ml_unescape(f->s, f->len, out->strings + *used, size - *used);

	if (n == (size_t)-1)
		return false;
	*off = *used;
	*used += n + 1;
	return true;
}

/*
 * The formats of files, mapped, dirs and cgroup_files: a header, a row per
 * file (or directory, or file and cgroup) with its dev, fstype and path
 * among the columns @fmt, then the total rows and a below line.
 */
struct listing {
	const char *file;
	const struct memlens_column *fmt;
	int ncols, dev, fstype, path;
};

/* The parts of a listing being parsed: its strings, the room in them. */
struct listing_out {
	const struct listing *l;
	struct ml_files *out;
	size_t size, used, cap, tcap;
};

/* A string or dev field of a row or total row into @major, @minor or *@str. */
static bool listing_string(struct listing_out *o, const struct field *f, bool dev,
			   unsigned int *major, unsigned int *minor, size_t *str)
{
	return dev ? parse_dev(f, major, minor) : put_string(o->out, o->size, &o->used, f, str);
}

static int parse_listing_row(struct listing_out *o, const struct field *f, int nf,
			     const int *map, unsigned int line, struct ml_error *err)
{
	const struct listing *l = o->l;
	struct ml_file *r = &o->out->rows[o->out->n];
	int i, k;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < nf; i++) {
		bool ok = true;

		k = map[i];
		if (k == l->dev || k == l->fstype || k == l->path)
			ok = listing_string(o, &f[i], k == l->dev, &r->major, &r->minor,
					    k == l->path ? &r->path : &r->fstype);
		else if (k >= 0)
			ok = parse_value(&f[i], l->fmt[k].unit, &r->val[k]);
		if (!ok)
			return fail(err, l->file, line, "bad %s field",
				    k >= 0 ? l->fmt[k].name : "unknown");
	}
	return 0;
}

/*
 * A total row: MEMLENS_FILES_TOTAL, then the columns in uapi's order;
 * fields appended after them by a newer module are left alone.
 */
static int parse_listing_total(struct listing_out *o, const char *line, size_t ll,
			       struct field *f, unsigned int lineno, struct ml_error *err)
{
	struct ml_files *out = o->out;
	struct ml_files_total *t;
	int nf = split(line, ll, f, MAX_FIELDS), k;

	if (nf < 1 + MEMLENS_FILES_TOTAL_NR_COLUMNS)
		return fail(err, o->l->file, lineno, "a total row of %d fields, not %d", nf,
			    1 + MEMLENS_FILES_TOTAL_NR_COLUMNS);
	out->totals = grow(out->totals, out->ntotals, &o->tcap, sizeof(*out->totals));
	if (!out->totals)
		return fail(err, o->l->file, lineno, "out of memory");
	t = &out->totals[out->ntotals];
	memset(t, 0, sizeof(*t));
	for (k = 0; k < MEMLENS_FILES_TOTAL_NR_COLUMNS; k++) {
		const struct field *v = &f[k + 1];
		bool ok;

		if (k == MEMLENS_FILES_TOTAL_DEV || k == MEMLENS_FILES_TOTAL_FSTYPE)
			ok = listing_string(o, v, k == MEMLENS_FILES_TOTAL_DEV, &t->major,
					    &t->minor, &t->fstype);
		else
			ok = parse_value(v, ml_files_total_fmt[k].unit, &t->val[k]);
		if (!ok)
			return fail(err, o->l->file, lineno, "bad %s field in a total row",
				    ml_files_total_fmt[k].name);
	}
	out->ntotals++;
	return 0;
}

/* The below line: MEMLENS_FILES_BELOW KB ROWS. */
static int parse_listing_below(struct listing_out *o, const char *line, size_t ll,
			       struct field *f, unsigned int lineno, struct ml_error *err)
{
	struct ml_files *out = o->out;

	if (split(line, ll, f, MAX_FIELDS) != 3 ||
	    !parse_value(&f[1], MEMLENS_UNIT_KB, &out->below_size) ||
	    !parse_u64(&f[2], &out->below_rows))
		return fail(err, o->l->file, lineno, "not a \"%s KB ROWS\" line",
			    MEMLENS_FILES_BELOW);
	out->below = true;
	return 0;
}

/* Whether @line's first field is @word. */
static bool first_is(const char *line, size_t ll, const char *word)
{
	size_t n = strlen(word);

	return ll >= n && !memcmp(line, word, n) && (ll == n || line[n] == ' ' || line[n] == '\t');
}

/*
 * Where a listing's lines are: its rows, then its total rows, then at
 * most the below line; the truncated line ends it wherever it comes.
 */
enum listing_part { IN_ROWS, IN_TOTALS, PAST_BELOW, PAST_TRUNCATED };

static int parse_listing_line(struct listing_out *o, enum listing_part *part, const char *line,
			      size_t ll, struct field *f, int nf, const int *map,
			      unsigned int lineno, struct ml_error *err)
{
	const char *file = o->l->file;
	struct ml_files *out = o->out;

	if (*part == PAST_TRUNCATED)
		return fail(err, file, lineno, "a line after \"%s\"", MEMLENS_FILES_TRUNCATED);
	if (ll == strlen(MEMLENS_FILES_TRUNCATED) && !memcmp(line, MEMLENS_FILES_TRUNCATED, ll)) {
		out->truncated = true;
		*part = PAST_TRUNCATED;
		return 0;
	}
	if (*part == PAST_BELOW)
		return fail(err, file, lineno, "a line after \"%s\"", MEMLENS_FILES_BELOW);
	if (first_is(line, ll, MEMLENS_FILES_TOTAL)) {
		*part = IN_TOTALS;
		return parse_listing_total(o, line, ll, f, lineno, err);
	}
	if (first_is(line, ll, MEMLENS_FILES_BELOW)) {
		*part = PAST_BELOW;
		return parse_listing_below(o, line, ll, f, lineno, err);
	}
	if (*part == IN_TOTALS)
		return fail(err, file, lineno, "a row after the total rows");
	if (!next_row(line, ll, f, nf, (void **)&out->rows, out->n, &o->cap, sizeof(*out->rows),
		      file, lineno, err) ||
	    parse_listing_row(o, f, nf, map, lineno, err))
		return -1;
	out->n++;
	return 0;
}

/* The header: every known column, in any order, the path last. */
static int parse_listing_header(const struct listing *l, const char *line, size_t ll,
				struct field *f, int *map, struct ml_error *err)
{
	int nf = split(line, ll, f, MAX_FIELDS);

	if (nf < 2 || !field_is(&f[nf - 1], l->fmt[l->path].name))
		return fail(err, l->file, 1, "not a memlens %s header", l->file);
	if (map_header(f, nf, l->fmt, l->ncols, l->ncols, map, l->file, err))
		return -1;
	return nf;
}

static int parse_listing(const struct listing *l, const char *buf, size_t len,
			 struct ml_files *out, struct ml_error *err)
{
	struct listing_out o = { .l = l, .out = out, .size = len + 2 };
	struct cursor c = { .buf = buf, .len = len };
	enum listing_part part = IN_ROWS;
	struct field f[MAX_FIELDS];
	int map[MAX_FIELDS] = { 0 };
	const char *line;
	size_t ll;
	int nf;

	memset(out, 0, sizeof(*out));
	if (!next_line(&c, &line, &ll))
		return fail(err, l->file, 1, "empty file");
	if (parse_unsupported(line, ll, out->unsupported, sizeof(out->unsupported)))
		return 0;
	nf = parse_listing_header(l, line, ll, f, map, err);
	if (nf < 0)
		return -1;
	/* unescaped strings are never longer than the file's */
	out->strings = malloc(o.size);
	if (!out->strings)
		return fail(err, l->file, 1, "out of memory");
	while (next_line(&c, &line, &ll)) {
		if (parse_listing_line(&o, &part, line, ll, f, nf, map, c.line, err)) {
			ml_files_free(out);
			return -1;
		}
	}
	return 0;
}

int ml_parse_files(const char *buf, size_t len, struct ml_files *out, struct ml_error *err)
{
	static const struct listing files = {
		MEMLENS_FILE_FILES, ml_files_fmt, MEMLENS_FILES_NR_COLUMNS, MEMLENS_FILES_DEV,
		MEMLENS_FILES_FSTYPE, MEMLENS_FILES_PATH
	};

	return parse_listing(&files, buf, len, out, err);
}

int ml_parse_dirs(const char *buf, size_t len, struct ml_files *out, struct ml_error *err)
{
	static const struct listing dirs = {
		MEMLENS_FILE_DIRS, ml_dirs_fmt, MEMLENS_DIRS_NR_COLUMNS, MEMLENS_DIRS_DEV,
		MEMLENS_DIRS_FSTYPE, MEMLENS_DIRS_PATH
	};

	return parse_listing(&dirs, buf, len, out, err);
}

/*
 * A row per file and memory cgroup: the cgroup's id is val[] of
 * MEMLENS_CGROUP_FILES_CGROUP, its sizes in bytes as the files view's;
 * the total rows and the below line (which counts rows) as in files.
 */
int ml_parse_cgroup_files(const char *buf, size_t len, struct ml_files *out,
			  struct ml_error *err)
{
	static const struct listing cgroup_files = {
		MEMLENS_FILE_CGROUP_FILES, ml_cgroup_files_fmt, MEMLENS_CGROUP_FILES_NR_COLUMNS,
		MEMLENS_CGROUP_FILES_DEV, MEMLENS_CGROUP_FILES_FSTYPE, MEMLENS_CGROUP_FILES_PATH
	};

	return parse_listing(&cgroup_files, buf, len, out, err);
}

void ml_files_free(struct ml_files *f)
{
	free(f->rows);
	free(f->strings);
	free(f->totals);
	f->rows = NULL;
	f->strings = NULL;
	f->totals = NULL;
	f->n = 0;
	f->ntotals = 0;
}

static enum ml_pss_status pss_status(const struct field *f)
{
	if (field_is(f, MEMLENS_PSS_OK))
		return ML_PSS_OK;
	if (field_is(f, MEMLENS_PSS_BUSY))
		return ML_PSS_BUSY;
	if (field_is(f, MEMLENS_PSS_PARTIAL))
		return ML_PSS_PARTIAL;
	return ML_PSS_OTHER;
}

/*
 * One row of the pss view: the numbers (or MEMLENS_BLANK, never for the
 * pid), then the status word and the comm, the last two fields.
 */
static int parse_pss_row(const struct field *f, int nf, const int *map, void *row,
			 unsigned int line, struct ml_error *err)
{
	struct ml_pss_row *r = row;
	int i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < nf - 2; i++) {
		uint64_t v;
		int k = map[i];

		if (k >= 0 && k != MEMLENS_PSS_PID && field_is(&f[i], MEMLENS_BLANK)) {
			r->blank |= 1u << k;
			continue;
		}
		if (!parse_value(&f[i], k >= 0 ? ml_pss_fmt[k].unit : MEMLENS_UNIT_COUNT, &v))
			return fail(err, MEMLENS_FILE_PSS, line, "field %d is not a number", i + 1);
		if (k >= 0)
			r->val[k] = v;
	}
	r->status = pss_status(&f[nf - 2]);
	if (ml_unescape(f[nf - 1].s, f[nf - 1].len, r->comm, sizeof(r->comm)) == (size_t)-1)
		return fail(err, MEMLENS_FILE_PSS, line, "bad comm field");
	return 0;
}

int ml_parse_pss(const char *buf, size_t len, struct ml_pss *out, struct ml_error *err)
{
	static const char *const names[] = { MEMLENS_PSS_STATUS, MEMLENS_PSS_COMM };
	struct table t = { .c = { .buf = buf, .len = len }, .file = MEMLENS_FILE_PSS };
	const char *line;
	size_t ll;

	memset(out, 0, sizeof(*out));
	if (table_first(&t, &line, &ll, err) ||
	    table_header(&t, line, ll, names, 0, 2, ml_pss_fmt, MEMLENS_PSS_NR_NUMERIC, err))
		return -1;
	if (table_rows(&t, (void **)&out->rows, &out->n, sizeof(*out->rows), parse_pss_row,
		       err)) {
		ml_pss_free(out);
		return -1;
	}
	return 0;
}

void ml_pss_free(struct ml_pss *p)
{
	rows_free((void **)&p->rows, &p->n);
}

/* A pages row, its class name kept in the row's slot until it is resolved. */
struct page_row {
	struct ml_page_row r;
	char name[32];
};

static int parse_pages_row(const struct field *f, int nf, const int *map, void *row,
			   unsigned int line, struct ml_error *err)
{
	struct page_row *p = row;
	int i;

	memset(p, 0, sizeof(*p));
	/* the header has the class and a number at least: so has every row */
	if (nf < 2 || ml_unescape(f[0].s, f[0].len, p->name, sizeof(p->name)) == (size_t)-1 ||
	    !p->name[0])
		return fail(err, MEMLENS_FILE_PAGES, line, "bad class name");
	for (i = 1; i < nf; i++) {
		uint64_t v;
		int k = map[i - 1];

		if (!parse_value(&f[i], k >= 0 ? ml_pages_fmt[k].unit : MEMLENS_UNIT_COUNT, &v))
			return fail(err, MEMLENS_FILE_PAGES, line, "field %d is not a number", i + 1);
		if (k >= 0)
			p->r.val[k] = v;
	}
	return 0;
}

/*
 * The class @name's index: uapi's, or a later one's, added to @out the
 * first time it is met; -1 when more later classes than the reader keeps.
 */
static int page_class(struct ml_pages *out, const char *name)
{
	unsigned int c;

	for (c = 0; c < out->nclasses; c++)
		if (!strcmp(ml_pages_class(out, c), name))
			return (int)c;
	if (out->nclasses == ML_PAGES_MAX_CLASSES)
		return -1;
	snprintf(out->later[out->nclasses - MEMLENS_NR_PAGE_CLASSES], sizeof(out->later[0]),
		 "%s", name);
	return (int)out->nclasses++;
}

/*
 * The header names the class first, then the numeric columns in any order
 * (new ones allowed); or the file is the one line "unsupported: REASON".
 * A class this reader does not know (appended later) is kept by its name,
 * after uapi's.  A class twice on a node would count its pages twice.
 */
int ml_parse_pages(const char *buf, size_t len, struct ml_pages *out, struct ml_error *err)
{
	static const char *const names[] = { MEMLENS_PAGES_CLASS };
	struct table t = { .c = { .buf = buf, .len = len }, .file = MEMLENS_FILE_PAGES };
	uint64_t seen[ML_PAGES_MAX_CLASSES] = { 0 };	/* node + 1 of a class's last row */
	struct page_row *rows = NULL;
	const char *line;
	size_t ll, n = 0, i;
	int c;

	memset(out, 0, sizeof(*out));
	out->nclasses = MEMLENS_NR_PAGE_CLASSES;
	if (table_first(&t, &line, &ll, err))
		return -1;
	if (parse_unsupported(line, ll, out->unsupported, sizeof(out->unsupported)))
		return 0;
	if (table_header(&t, line, ll, names, 1, 0, ml_pages_fmt, MEMLENS_PAGES_NR_NUMERIC, err) ||
	    table_rows(&t, (void **)&rows, &n, sizeof(*rows), parse_pages_row, err))
		goto out_free;
	out->rows = calloc(n ? n : 1, sizeof(*out->rows));
	if (!out->rows) {
		fail(err, MEMLENS_FILE_PAGES, 1, "out of memory");
		goto out_free;
	}
	for (i = 0; i < n; i++) {
		c = page_class(out, rows[i].name);
		if (c < 0) {
			fail(err, MEMLENS_FILE_PAGES, i + 2, "more than %d classes",
			     ML_PAGES_MAX_CLASSES);
			goto out_free;
		}
		rows[i].r.cls = (unsigned int)c;
		/* rows come node by node: a class seen last on this row's node is there twice */
		if (seen[c] == rows[i].r.val[MEMLENS_PAGES_NODE] + 1) {
			fail(err, MEMLENS_FILE_PAGES, i + 2, "class %s twice on node %llu",
			     rows[i].name, (unsigned long long)rows[i].r.val[MEMLENS_PAGES_NODE]);
			goto out_free;
		}
		seen[c] = rows[i].r.val[MEMLENS_PAGES_NODE] + 1;
		out->rows[out->n++] = rows[i].r;
	}
	free(rows);
	return 0;
out_free:
	free(rows);
	ml_pages_free(out);
	return -1;
}

void ml_pages_free(struct ml_pages *p)
{
	rows_free((void **)&p->rows, &p->n);
}

const char *ml_pages_class(const struct ml_pages *p, unsigned int cls)
{
	if (cls < MEMLENS_NR_PAGE_CLASSES)
		return ml_page_class_name[cls];
	return cls < p->nclasses ? p->later[cls - MEMLENS_NR_PAGE_CLASSES] : "";
}

/* What a class is: uapi's text, or for a later class what the reader knows of it. */
const char *ml_pages_help(const struct ml_pages *p, unsigned int cls)
{
	if (cls < MEMLENS_NR_PAGE_CLASSES)
		return ml_page_class_help[cls];
	(void)p;
	return "a class newer than this reader: pages the module names that were untyped";
}

uint64_t ml_pages_bytes(const struct ml_pages *p, int cls)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < p->n; i++)
		if (cls < 0 || p->rows[i].cls == (unsigned int)cls)
			sum += p->rows[i].val[MEMLENS_PAGES_SIZE];
	return sum;
}

/* A cgroups row being parsed: the row, and the strings it goes into. */
struct cgroups_out {
	struct ml_cgroups *out;
	size_t size, used;
};

static enum ml_cgroup_state cgroup_state(const struct field *f)
{
	if (field_is(f, MEMLENS_CGROUP_ONLINE))
		return ML_CGROUP_ONLINE;
	if (field_is(f, MEMLENS_CGROUP_DYING))
		return ML_CGROUP_DYING;
	return ML_CGROUP_OTHER;
}

/*
 * One row of the cgroups view: the numbers (or MEMLENS_BLANK, never for
 * the id), then the state word and the path, the last two fields.
 */
static int parse_cgroups_row(struct cgroups_out *o, const struct field *f, int nf,
			     const int *map, unsigned int line, struct ml_error *err)
{
	struct ml_cgroup *r = &o->out->rows[o->out->n];
	size_t n;
	int i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < nf - 2; i++) {
		uint64_t v;
		int k = map[i];

		if (k >= 0 && k != MEMLENS_CGROUPS_ID && field_is(&f[i], MEMLENS_BLANK)) {
			r->blank |= 1ULL << k;
			continue;
		}
		if (!parse_value(&f[i], k >= 0 ? ml_cgroups_fmt[k].unit : MEMLENS_UNIT_COUNT, &v))
			return fail(err, MEMLENS_FILE_CGROUPS, line, "field %d is not a number",
				    i + 1);
		if (k >= 0)
			r->val[k] = v;
	}
	r->state = cgroup_state(&f[nf - 2]);
	n = ml_unescape(f[nf - 1].s, f[nf - 1].len, o->out->strings + o->used,
			o->size - o->used);
	if (n == (size_t)-1 || o->out->strings[o->used] != '/')
		return fail(err, MEMLENS_FILE_CGROUPS, line, "bad path field");
	r->path = o->used;
	o->used += n + 1;
	return 0;
}

/* Whether @path is directly below @parent: "/a" of "/", "/a/b" of "/a". */
static bool cgroup_child_of(const char *path, const char *parent)
{
	size_t n = strlen(parent);
	const char *rest;

	if (n == 1)
		rest = path + 1;
	else if (!strncmp(path, parent, n) && path[n] == '/')
		rest = path + n + 1;
	else
		return false;
	return *rest && !strchr(rest, '/');
}

/*
 * Row @i's parent when the rows open before it do not hold it: a file
 * whose rows are each after their parent but not in a walk's order.  The
 * nearest row before it of its parent's path, and the stack rebuilt as
 * that row's ancestors; -1 when there is none.
 */
static int cgroup_relink(const struct ml_cgroups *out, size_t i, size_t *stack,
			 unsigned int *depth)
{
	const char *path = ml_cgroup_path(out, &out->rows[i]);
	size_t j = i;
	long p;

	while (j-- > 0)
		if (cgroup_child_of(path, ml_cgroup_path(out, &out->rows[j])))
			break;
	if (j == (size_t)-1)
		return -1;
	*depth = out->rows[j].depth + 1;
	for (p = (long)j; p >= 0; p = out->rows[p].parent)
		stack[out->rows[p].depth] = (size_t)p;
	return 0;
}

/*
 * Row @i's parent: rows come in a walk from the root, each after its
 * parent, so it is the one of the rows still open (@stack, *@depth of
 * them, ancestors of the last row) whose path is above it.  A removed
 * cgroup and a new one may have the same path: the nearest is the one.
 * Rows in another order, each after its parent, are linked too.
 */
static int cgroup_link(struct ml_cgroups *out, size_t i, size_t *stack, unsigned int *depth,
		       unsigned int line, struct ml_error *err)
{
	struct ml_cgroup *r = &out->rows[i];
	const char *path = ml_cgroup_path(out, r);

	if (!i) {
		if (strcmp(path, "/") != 0)
			return fail(err, MEMLENS_FILE_CGROUPS, line, "the first row is not the root");
		r->parent = -1;
		stack[0] = 0;
		*depth = 1;
		return 0;
	}
	while (*depth && !cgroup_child_of(path, ml_cgroup_path(out, &out->rows[stack[*depth - 1]])))
		--*depth;
	if (!*depth && cgroup_relink(out, i, stack, depth))
		return fail(err, MEMLENS_FILE_CGROUPS, line, "cgroup %s before its parent", path);
	r->parent = (long)stack[*depth - 1];
	r->depth = *depth;
	stack[(*depth)++] = i;
	return 0;
}

static int cmp_cgroup_id(const void *a, const void *b, void *data)
{
	const struct ml_cgroup *rows = data;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	uint64_t x = rows[i].val[MEMLENS_CGROUPS_ID], y = rows[j].val[MEMLENS_CGROUPS_ID];

	/* the file's order between equals: an id twice is said at its second row */
	if (x != y)
		return x < y ? -1 : 1;
	return i < j ? -1 : i > j;
}

const struct ml_cgroup *ml_cgroup_find(const struct ml_cgroups *c, uint64_t id)
{
	size_t lo = 0, hi = c->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->rows[c->by_id[mid]].val[MEMLENS_CGROUPS_ID] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == c->n || c->rows[c->by_id[lo]].val[MEMLENS_CGROUPS_ID] != id)
		return NULL;
	return &c->rows[c->by_id[lo]];
}

/*
 * The header names the numeric columns in any order (new ones allowed),
 * then the state and the path; or the file is the one line
 * "unsupported: REASON".  Each row's parent is found as it comes: a row
 * whose parent is not open before it is an error, as is an id twice.
 */
int ml_parse_cgroups(const char *buf, size_t len, struct ml_cgroups *out, struct ml_error *err)
{
	static const char *const names[] = { MEMLENS_CGROUPS_STATE, MEMLENS_CGROUPS_PATH };
	struct table t = { .c = { .buf = buf, .len = len }, .file = MEMLENS_FILE_CGROUPS };
	struct cgroups_out o = { .out = out, .size = len + 2 };
	size_t ll, cap = 0, *stack = NULL, i;
	unsigned int depth = 0;
	const char *line;

	memset(out, 0, sizeof(*out));
	if (table_first(&t, &line, &ll, err))
		return -1;
	if (parse_unsupported(line, ll, out->unsupported, sizeof(out->unsupported)))
		return 0;
	if (table_header(&t, line, ll, names, 0, 2, ml_cgroups_fmt, MEMLENS_CGROUPS_NR_NUMERIC,
			 err))
		return -1;
	/* unescaped strings are never longer than the file's; a row has 6 bytes or more */
	out->strings = malloc(o.size);
	stack = malloc((len / 6 + 1) * sizeof(*stack));
	if (!out->strings || !stack) {
		fail(err, MEMLENS_FILE_CGROUPS, 1, "out of memory");
		goto out_free;
	}
	while (next_line(&t.c, &line, &ll)) {
		if (!next_row(line, ll, t.f, t.nf, (void **)&out->rows, out->n, &cap,
			      sizeof(*out->rows), t.file, t.c.line, err) ||
		    parse_cgroups_row(&o, t.f, t.nf, t.map, t.c.line, err))
			goto out_free;
		if (cgroup_link(out, out->n, stack, &depth, t.c.line, err))
			goto out_free;
		out->n++;
	}
	out->by_id = malloc((out->n + 1) * sizeof(*out->by_id));
	if (!out->by_id) {
		fail(err, t.file, 1, "out of memory");
		goto out_free;
	}
	for (i = 0; i < out->n; i++)
		out->by_id[i] = i;
	qsort_r(out->by_id, out->n, sizeof(*out->by_id), cmp_cgroup_id, out->rows);
	for (i = 1; i < out->n; i++)
		if (out->rows[out->by_id[i]].val[MEMLENS_CGROUPS_ID] ==
		    out->rows[out->by_id[i - 1]].val[MEMLENS_CGROUPS_ID]) {
			fail(err, t.file, out->by_id[i] + 2, "cgroup id %llu twice",
			     (unsigned long long)out->rows[out->by_id[i]].val[MEMLENS_CGROUPS_ID]);
			goto out_free;
		}
	free(stack);
	return 0;
out_free:
	free(stack);
	ml_cgroups_free(out);
	return -1;
}

void ml_cgroups_free(struct ml_cgroups *c)
{
	free(c->strings);
	free(c->by_id);
	c->strings = NULL;
	c->by_id = NULL;
	rows_free((void **)&c->rows, &c->n);
}
