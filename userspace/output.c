// SPDX-License-Identifier: GPL-2.0
/*
 * Tables through libsmartcols, as util-linux's own tools make them:
 * column selection (-o), raw (-r), JSON (-J, with typed numbers), no
 * headings (-n), and sorting (--sort) with a numeric comparator.
 */
#include <err.h>
#include <inttypes.h>
#include <limits.h>
#include <libsmartcols.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "reader.h"

/* bytes / 1024^u in tenths, rounded half up; 64 bits do unless near 2^64 */
static uint64_t size_tenths(uint64_t bytes, int u)
{
	uint64_t half = u ? 1ULL << (10 * u - 1) : 0;

	if (bytes < UINT64_MAX / 10 - half)
		return (bytes * 10 + half) >> (10 * u);
	return (uint64_t)(((unsigned __int128)bytes * 10 + half) >> (10 * u));
}

/**
 * ml_size_str() - a size for people
 * @bytes: the size
 * @exact: print the number of bytes (-b)
 * @buf: output
 * @len: its size
 *
 * Human sizes use powers of 1024 and one decimal, rounded half up, with a
 * trailing ".0" dropped: 1536 -> "1.5K", 1048576 -> "1M", 1000 -> "1000B".
 */
void ml_size_str(uint64_t bytes, bool exact, char *buf, size_t len)
{
	static const char units[] = "BKMGTPE";
	uint64_t tenths;
	char *p = buf;
	int u = 0;

	if (len < 24) {
		if (len)
			*buf = '\0';
		return;
	}
	if (exact) {
		p = ml_fmt_u64(p, bytes);
		*p = '\0';
		return;
	}
	while (u < 6 && bytes >> (10 * (u + 1)))
		u++;
	tenths = size_tenths(bytes, u);
	if (u < 6 && tenths >= 10240)		/* rounded up to the next unit */
		tenths = size_tenths(bytes, ++u);
	p = ml_fmt_u64(p, (uint64_t)(tenths / 10));
	if (u && tenths % 10) {
		*p++ = '.';
		*p++ = '0' + (char)(tenths % 10);
	}
	*p++ = units[u];
	*p = '\0';
}

/* Decimal digits of @v at @p, not terminated; returns the end. */
char *ml_fmt_u64(char *p, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* Is @name one of the @n names of @list?  (A command's default columns.) */
bool ml_in_list(const char *const *list, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i], name))
			return true;
	return false;
}

enum ml_kind ml_kind_of(enum memlens_unit unit)
{
	switch (unit) {
	case MEMLENS_UNIT_ID:
		return ML_ID;
	case MEMLENS_UNIT_KB:
	case MEMLENS_UNIT_BYTES:
		return ML_SIZE;
	case MEMLENS_UNIT_PERCENT:
		return ML_PERCENT;
	default:
		return ML_COUNT;
	}
}

/* Column names match case-insensitively; a "Δ" may be spelled "D". */
static bool same_name(const char *col, const char *name, size_t len)
{
	static const char delta[] = "Δ";

	if (!strncmp(col, delta, strlen(delta)) && len && (*name == 'd' || *name == 'D'))
		return strlen(col) - strlen(delta) == len - 1 &&
		       !strncasecmp(col + strlen(delta), name + 1, len - 1);
	return strlen(col) == len && !strncasecmp(col, name, len);
}

static int find_col(const struct ml_col *cols, int ncols, const char *name, size_t len)
{
	int i;

	for (i = 0; i < ncols; i++)
		if (same_name(cols[i].name, name, len))
			return i;
	return -1;
}

/* -o LIST: "A,B" replaces the defaults, "+A,B" adds to them. */
static int select_cols(struct ml_table *t, const struct ml_options *o)
{
	const char *list = o->output, *p, *end;
	int i, c;

	t->nsel = 0;
	if (o->output_all || !list || list[0] == '+') {
		for (i = 0; i < t->ncols; i++) {
			enum ml_shown shown = t->cols[i].shown;

			if (shown != ML_NAMED && (o->output_all || shown != ML_HIDE))
				t->sel[t->nsel++] = i;
		}
		if (list && list[0] == '+')
			list++;
		else
			list = NULL;
	}
	for (p = list; p && *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ',');
		c = find_col(t->cols, t->ncols, p, end - p);
		if (c < 0) {
			warnx("unknown column: %.*s (%s -H lists the columns)", (int)(end - p), p,
			      o->command ? o->command : "memlens");
			return -1;
		}
		if (t->nsel == (int)(sizeof(t->sel) / sizeof(t->sel[0])))
			break;
		t->sel[t->nsel++] = c;
	}
	if (!t->nsel) {
		warnx("no columns to show");
		return -1;
	}
	/* what a live view is for: its deltas, whatever -o says */
	for (c = 0; c < t->ncols; c++) {
		for (i = 0; t->cols[c].shown == ML_ALWAYS && i < t->nsel && t->sel[i] != c; i++)
			;
		if (t->cols[c].shown == ML_ALWAYS && i == t->nsel && t->nsel < ML_MAX_COLS)
			t->sel[t->nsel++] = c;
	}
	/* sorting by a column not shown: carry it, hidden */
	t->hidden = -1;
	if (o->sort) {
		const char *name = ml_sort_name(o->sort);

		c = find_col(t->cols, t->ncols, name, strlen(name));
		for (i = 0; c >= 0 && i < t->nsel && t->sel[i] != c; i++)
			;
		if (c >= 0 && i == t->nsel && t->nsel < (int)(sizeof(t->sel) / sizeof(t->sel[0]))) {
			t->hidden = t->nsel;
			t->sel[t->nsel++] = c;
		}
	}
	return 0;
}

static bool is_numeric(const struct ml_col *c)
{
	return c->kind != ML_STR;
}

/*
 * Ascending numbers; the column's data says whether to turn it around.  A
 * blank (ML_NUM_BLANK) goes last either way: nothing is known to rank.
 */
/* cppcheck-suppress constParameter ; libsmartcols's callback type */
static int cmp_num_cells(struct libscols_cell *a, struct libscols_cell *b, void *data)
{
	const int64_t *x = scols_cell_get_userdata(a), *y = scols_cell_get_userdata(b);
	int64_t va = x ? *x : 0, vb = y ? *y : 0;
	int r = va < vb ? -1 : va > vb;

	if ((va == ML_NUM_BLANK) != (vb == ML_NUM_BLANK))
		return va == ML_NUM_BLANK ? 1 : -1;
	return data ? -r : r;
}

/* Strings likewise. */
/* cppcheck-suppress constParameter ; libsmartcols's callback type */
static int cmp_str_cells(struct libscols_cell *a, struct libscols_cell *b, void *data)
{
	int r = scols_cmpstr_cells(a, b, NULL);

	return data ? -r : r;
}

/* The column of -s [+-]COL. */
const char *ml_sort_name(const char *sort)
{
	return sort + (*sort == '+' || *sort == '-');
}

/*
 * Whether -s sorts a column of @kind largest first: sizes and counts do,
 * ids and names do not (as top and ps); "+COL" is ascending and "-COL"
 * descending, as ps --sort has them; --reverse turns either around.
 */
bool ml_sort_descending(const struct ml_options *o, enum ml_kind kind)
{
	bool desc = o->sort[0] == '-' ||
		    (o->sort[0] != '+' && kind != ML_ID && kind != ML_STR);

	return desc != o->reverse;
}

/**
 * ml_locale() - the user's locale, once
 *
 * Numbers keep a decimal point whatever the locale: -r and -J are read by
 * programs.
 */
void ml_locale(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
}

int ml_table_init(struct ml_table *t, const struct ml_options *o, const char *name,
		  const struct ml_col *cols, int ncols)
{
	int i;

	memset(t, 0, sizeof(*t));
	t->keep = -1;
	t->cols = cols;
	t->ncols = ncols;
	t->bytes = o->bytes;
	t->sorting = o->sort != NULL;
	t->direct = o->raw && !o->json && !o->sort;
	t->top = o->top;
	t->human = !o->raw && !o->json;
	t->json = o->json;
	if (ncols > ML_MAX_COLS || select_cols(t, o))
		return -1;
	/* where each column is shown, and where again if twice */
	for (i = 0; i < ML_MAX_COLS; i++)
		t->pos[i] = -1;
	for (i = t->nsel - 1; i >= 0; i--) {
		t->next[i] = t->pos[t->sel[i]];
		t->pos[t->sel[i]] = i;
	}
	if (t->direct) {
		t->cells = calloc(t->nsel, sizeof(*t->cells));
		if (!t->cells)
			err(ML_EXIT_FAIL, "calloc");
		t->headed = o->noheadings;
		return 0;
	}
	/* libsmartcols escapes raw cells by the locale's characters */
	ml_locale();
	t->tb = scols_new_table();
	if (!t->tb)
		err(ML_EXIT_FAIL, "cannot create table");
	scols_table_set_name(t->tb, name);
	scols_table_enable_raw(t->tb, o->raw);
	scols_table_enable_json(t->tb, o->json);
	scols_table_enable_noheadings(t->tb, o->noheadings);
	for (i = 0; i < t->nsel; i++) {
		const struct ml_col *c = &cols[t->sel[i]];
		struct libscols_column *cl;

		cl = scols_table_new_column(t->tb, c->name, 0,
					    (is_numeric(c) ? SCOLS_FL_RIGHT : 0) |
					    (i == t->hidden ? SCOLS_FL_HIDDEN : 0));
		if (!cl)
			err(ML_EXIT_FAIL, "cannot create column");
		/* sizes are strings ("1.5M") unless -b makes them numbers */
		if (is_numeric(c) && (o->bytes || (c->kind != ML_SIZE && c->kind != ML_DELTA)))
			scols_column_set_json_type(cl, SCOLS_JSON_NUMBER);
	}
	return 0;
}

static struct libscols_line *table_line(struct ml_table *t);

/*
 * A raw field as libsmartcols writes it, into @p: a byte that would split
 * or hide the field becomes \xHH.  Writes at most 4 * strlen(s) bytes.
 */
static char *put_raw(char *p, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t len = strlen(s), plain;
	unsigned char c;

	for (;;) {
		plain = ml_plain_len(s, len);
		p = (char *)memcpy(p, s, plain) + plain;
		s += plain;
		len -= plain;
		if (!len)
			return p;
		c = *s++;
		len--;
		*p++ = '\\';
		*p++ = 'x';
		*p++ = hex[c >> 4];
		*p++ = hex[c & 15];
	}
}

/* Direct mode: write the header, or the line just made, in one go. */
static void direct_flush(struct ml_table *t)
{
	char line[ML_MAX_COLS * (4 * sizeof(t->cells[0]) + 1) + 1], *p = line;
	int i;

	if (!t->headed) {
		for (i = 0; i < t->nsel; i++) {
			if (i == t->hidden)
				continue;
			if (p != line)
				*p++ = ' ';
			p = put_raw(p, t->cols[t->sel[i]].name);
		}
		*p++ = '\n';
		t->headed = true;
	}
	if (t->lines && (t->top <= 0 || t->lines <= t->top)) {
		bool first = true;

		/* an empty cell is an empty field: the separator still follows it */
		for (i = 0; i < t->nsel; i++) {
			if (i == t->hidden)
				continue;
			if (!first)
				*p++ = ' ';
			first = false;
			p = put_raw(p, t->cells[i]);
			t->cells[i][0] = '\0';
		}
		*p++ = '\n';
	}
	fwrite_unlocked(line, 1, p - line, stdout);
}

struct ml_line ml_table_line(struct ml_table *t)
{
	if (t->direct) {
		direct_flush(t);
		t->lines++;
		/* no libscols line: cells are filled through the table */
		return (struct ml_line){ .ln = NULL };
	}
	return (struct ml_line){ .ln = table_line(t) };
}

/**
 * ml_table_child() - a line under another, for -J: in its "children"
 * @t: the table, not direct, made a tree by ml_table_tree()
 * @parent: the line it belongs to
 *
 * For people and raw output it is one more line, after those before it.
 *
 * Return: the line.
 */
struct ml_line ml_table_child(struct ml_table *t, struct ml_line parent)
{
	struct libscols_line *ln = table_line(t);

	if (scols_table_is_json(t->tb) && scols_line_add_child(parent.ln, ln))
		err(ML_EXIT_FAIL, "cannot create line");
	return (struct ml_line){ .ln = ln };
}

/* -J nests ml_table_child()'s lines under their parents: @col is the tree's. */
void ml_table_tree(struct ml_table *t, int col)
{
	if (!t->tb || !t->json || t->pos[col] < 0)
		return;
	scols_column_set_flags(scols_table_get_column(t->tb, t->pos[col]),
			       scols_column_get_flags(scols_table_get_column(t->tb, t->pos[col])) |
			       SCOLS_FL_TREE);
}

static struct libscols_line *table_line(struct ml_table *t)
{
	struct libscols_line *ln = scols_table_new_line(t->tb, NULL);
	int64_t *nums;

	if (!ln)
		err(ML_EXIT_FAIL, "cannot create line");
	if (!t->sorting)
		return ln;
	/* the numbers behind the cells, for sorting */
	nums = calloc(t->nsel, sizeof(*nums));
	if (!nums)
		err(ML_EXIT_FAIL, "calloc");
	scols_line_set_userdata(ln, nums);
	return ln;
}

/**
 * ml_table_set() - fill a cell, if its column is shown
 * @t: the table
 * @line: the line
 * @col: index in the table's columns
 * @str: the text of a string column, or NULL for a number
 * @num: the number: bytes for a size, the value otherwise; ML_NUM_BLANK
 *	 with a NULL @str for a number not known
 */
void ml_table_set(struct ml_table *t, struct ml_line line, int col, const char *str,
		  int64_t num)
{
	struct libscols_line *ln = line.ln;
	int64_t *nums = t->sorting ? scols_line_get_userdata(ln) : NULL;
	char buf[64], *end;
	int i;

	/* as util-linux prints an empty cell in JSON: null */
	if (!str && num == ML_NUM_BLANK)
		str = t->json ? "" : MEMLENS_BLANK;

	for (i = (col >= 0 && col < t->ncols) ? t->pos[col] : -1; i >= 0; i = t->next[i]) {
		const struct ml_col *c = &t->cols[col];

		if (nums) {
			nums[i] = num;
			scols_cell_set_userdata(scols_line_get_cell(ln, i), &nums[i]);
		}
		/* "12.5%" for people, 12.5 for programs */
		if (str && *str && c->kind == ML_PERCENT && t->human && num != ML_NUM_BLANK) {
			snprintf(buf, sizeof(buf), "%s%%", str);
			str = buf;
		}
		if (str) {
			if (t->direct) {
				size_t n = strnlen(str, sizeof(t->cells[i]) - 1);

				memcpy(t->cells[i], str, n);
				t->cells[i][n] = '\0';
			} else
				scols_line_set_data(ln, i, str);
			continue;
		}
		if (c->kind == ML_SIZE) {
			ml_size_str(num, t->bytes, buf, sizeof(buf));
		} else if (c->kind == ML_DELTA) {
			ml_size_str(num < 0 ? -(uint64_t)num : (uint64_t)num, t->bytes,
				    buf + 1, sizeof(buf) - 1);
			buf[0] = num < 0 ? '-' : '+';
			if (!num || (t->bytes && num > 0))
				memmove(buf, buf + 1, strlen(buf));
		} else {
			end = num < 0 ? ml_fmt_u64(buf + 1, -(uint64_t)num) :
					ml_fmt_u64(buf, num);
			buf[0] = num < 0 ? '-' : buf[0];
			if (c->kind == ML_PERCENT && t->human)
				*end++ = '%';
			*end = '\0';
		}
		if (t->direct)
			memcpy(t->cells[i], buf, strlen(buf) + 1);
		else
			scols_line_set_data(ln, i, buf);
	}
}

static int sort_col(struct ml_table *t, const char *name)
{
	int i, c = find_col(t->cols, t->ncols, name, strlen(name));

	for (i = 0; c >= 0 && i < t->nsel; i++)
		if (t->sel[i] == c)
			return i;
	return -1;
}

/* Sort by -s [+-]COL, in the order ml_sort_descending() says. */
static int sort_table(struct ml_table *t, const struct ml_options *o)
{
	int i = sort_col(t, ml_sort_name(o->sort));
	struct libscols_column *cl;
	const struct ml_col *c;

	if (i < 0) {
		warnx("cannot sort by %s: no such column (%s -H lists the columns)",
		      ml_sort_name(o->sort), o->command ? o->command : "memlens");
		return -1;
	}
	c = &t->cols[t->sel[i]];
	cl = scols_table_get_column(t->tb, i);
	scols_column_set_cmpfunc(cl, is_numeric(c) ? cmp_num_cells : cmp_str_cells,
				 ml_sort_descending(o, c->kind) ? (void *)1 : NULL);
	return scols_sort_table(t->tb, cl);
}

/*
 * A table without lines: libsmartcols prints nothing, ps -p prints its
 * header.  Its columns are as wide as their names, one space apart.
 */
static void empty_header(const struct ml_table *t)
{
	char name[4 * 64 + 1];
	int i;

	for (i = 0; i < t->nsel; i++) {
		if (i == t->hidden)
			continue;
		*put_raw(name, t->cols[t->sel[i]].name) = '\0';
		printf("%s%s", i ? " " : "", name);
	}
	fputs(t->screen ? "\033[K\n" : "\n", stdout);
}

/**
 * ml_table_watch() - make a table a sample of a live view
 * @t: the table, after ml_table_init()
 * @w: the view
 * @keep: the column whose non-empty cells keep their lines past -t
 * @rows: how many lines fit the screen (0: no limit)
 */
void ml_table_watch(struct ml_table *t, const struct ml_watch *w, int keep, long rows)
{
	t->keep = keep;
	t->max = w->screen ? rows : 0;
	t->screen = w->screen;
	t->jsonl = w->o->json ? w->json_head : NULL;
	/* as wide as the cells: the screen cuts what is too wide, as top's does */
	if (t->tb && w->screen)
		scols_table_set_termforce(t->tb, SCOLS_TERMFORCE_NEVER);
}

/* Whether line @ln stays past -t: its cell in the keep column says so. */
static bool kept(const struct ml_table *t, struct libscols_line *ln)
{
	const char *s;

	if (t->keep < 0 || t->pos[t->keep] < 0)
		return false;
	s = scols_cell_get_data(scols_line_get_cell(ln, t->pos[t->keep]));
	return s && *s;
}

/*
 * Keep the first @top lines (0: all) and, in a live view, every line kept
 * past them; then no more than fit the screen, the kept ones first.
 */
static void trim_table(struct ml_table *t, long top)
{
	long nkept = 0, plain = 0, keep = 0, max_plain, max_kept;
	struct libscols_iter *it = scols_new_iter(SCOLS_ITER_FORWARD);
	struct libscols_line *ln;

	if (!it)
		err(ML_EXIT_FAIL, "cannot create iterator");
	while (t->keep >= 0 && scols_table_next_line(t->tb, it, &ln) == 0)
		nkept += kept(t, ln);
	max_kept = t->max > 0 && nkept > t->max ? t->max : nkept;
	max_plain = top > 0 ? top : LONG_MAX;
	if (t->max > 0 && max_plain > t->max - max_kept)
		max_plain = t->max - max_kept;
	scols_reset_iter(it, SCOLS_ITER_FORWARD);
	while (scols_table_next_line(t->tb, it, &ln) == 0) {
		if (kept(t, ln) ? keep++ < max_kept : plain++ < max_plain)
			continue;
		if (t->sorting)
			free(scols_line_get_userdata(ln));
		scols_table_remove_line(t->tb, ln);
	}
	scols_free_iter(it);
}

/* JSON on one line: what is outside strings and not a space. */
static void compact_json(char *s)
{
	bool in_str = false;
	char *p = s;

	for (; *s; s++) {
		if (in_str) {
			if (*s == '\\' && s[1])
				*p++ = *s++;
			else if (*s == '"')
				in_str = false;
		} else if (*s == '"') {
			in_str = true;
		} else if (strchr(" \t\r\n", *s)) {
			continue;
		}
		*p++ = *s;
	}
	*p = '\0';
}

/*
 * A sample of a live view: one JSON document on one line, its stamp first;
 * or on the screen, each line clearing what the last frame left on it.
 */
static int print_watch(struct ml_table *t)
{
	char *s, *line, *save = NULL;

	if (scols_print_table_to_string(t->tb, &s))
		return -1;
	if (t->jsonl) {
		compact_json(s);
		printf("{%s%s\n", t->jsonl, *s == '{' ? s + 1 : "}");
	} else {
		for (line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			printf("%s\033[K\n", line);
	}
	free(s);
	return fflush(stdout) ? -1 : 0;
}

/* Sort (-s), keep the first @top lines (0: all), print. */
int ml_table_print(struct ml_table *t, const struct ml_options *o, long top)
{
	if (t->direct) {
		direct_flush(t);
		return fflush(stdout) ? -1 : 0;
	}
	if (o->sort && sort_table(t, o))
		return -1;
	if (!scols_table_get_nlines(t->tb) && !o->json) {
		if (!o->noheadings)
			empty_header(t);
		return fflush(stdout) ? -1 : 0;
	}
	if (top > 0 || t->max > 0)
		trim_table(t, top);
	if (t->jsonl || t->screen)
		return print_watch(t);
	return scols_print_table(t->tb);
}

void ml_table_free(struct ml_table *t)
{
	struct libscols_iter *it;
	struct libscols_line *ln;

	free(t->cells);
	t->cells = NULL;
	if (!t->tb)
		return;
	it = t->sorting ? scols_new_iter(SCOLS_ITER_FORWARD) : NULL;
	while (it && scols_table_next_line(t->tb, it, &ln) == 0)
		free(scols_line_get_userdata(ln));
	scols_free_iter(it);
	scols_unref_table(t->tb);
	t->tb = NULL;
}

/* For --help: the columns and what they mean, as util-linux tools list them. */
/* Columns on a terminal, not bytes: ΔRSS is five bytes and four columns. */
static int text_width(const char *s)
{
	wchar_t w[64];
	size_t n = mbstowcs(w, s, 64);
	int width = n == (size_t)-1 || n == 64 ? -1 : wcswidth(w, n);

	return width < 0 ? (int)strlen(s) : width;
}

void ml_print_columns(const struct ml_col *cols, int n)
{
	int i;

	for (i = 0; i < n; i++)
		printf(" %*s%s  %s\n", 12 - text_width(cols[i].name), "", cols[i].name,
		       cols[i].help);
}
