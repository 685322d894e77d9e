// SPDX-License-Identifier: GPL-2.0
/*
 * Row formatting shared by the views.  Rows are built straight into the
 * seq_file buffer: a table of ten thousand processes is mostly numbers,
 * and printf-style formatting would cost more than reading them.
 */
#include "memlens.h"

static char *fmt_u64(char *p, u64 v, unsigned int width)
{
	char tmp[20];
	unsigned int n = 0;

	do {
		tmp[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	for (; width > n; width--)
		*p++ = ' ';
	while (n)
		*p++ = tmp[--n];
	return p;
}

/*
 * A string field that can neither split a row nor forge one: every byte
 * uapi/memlens.h says must be escaped becomes \ooo, as in /proc/mounts.
 * An empty string becomes \000 so that the field is still there.
 * A leading string field is padded to MEMLENS_SLAB_NAME_WIDTH, as
 * /proc/slabinfo pads its names.
 * Writes at most 4 * len + 4 bytes.
 */
static char *fmt_escaped(char *p, const char *s, size_t len)
{
	size_t i;

	if (!len || !s[0])
		return memcpy(p, "\\000", 4) + 4;
	for (i = 0; i < len && s[i]; i++) {
		unsigned char c = s[i];

		if (MEMLENS_MUST_ESCAPE(c)) {
			*p++ = '\\';
			*p++ = '0' + (c >> 6);
			*p++ = '0' + ((c >> 3) & 7);
			*p++ = '0' + (c & 7);
		} else {
			*p++ = c;
		}
	}
	return p;
}

/**
 * memlens_seq_row() - append one row of a table
 * @m: the file
 * @str: the row's string field (escaped), or NULL
 * @str_len: its maximum length
 * @str_first: put it before the numbers rather than after
 * @val: the numbers
 * @cols: their columns, for the width each is right-aligned to
 * @n: how many numbers
 *
 * The row is written whole or not at all: when the buffer is full the
 * seq_file core retries it in a bigger one.
 */
void memlens_seq_row(struct seq_file *m, const char *str, size_t str_len, bool str_first,
		     const u64 *val, const struct memlens_column *cols, int n)
{
	size_t room = n * 21 + 4 * str_len + MEMLENS_SLAB_NAME_WIDTH + 8;
	char *buf, *p;
	int i;

	if (seq_get_buf(m, &buf) < room) {
		seq_commit(m, -1);
		return;
	}
	p = buf;
	if (str && str_first) {
		p = fmt_escaped(p, str, str_len);
		while (p - buf < MEMLENS_SLAB_NAME_WIDTH - 1)
			*p++ = ' ';
	}
	for (i = 0; i < n; i++) {
		if (i || (str && str_first))
			*p++ = ' ';
		p = fmt_u64(p, val[i], cols[i].width);
	}
	if (str && !str_first) {
		*p++ = ' ';
		p = fmt_escaped(p, str, str_len);
	}
	*p++ = '\n';
	seq_commit(m, p - buf);
}

/**
 * memlens_seq_header() - the header line of a table
 * @m: the file
 * @first: name of a leading string field, or NULL
 * @cols: the numeric columns
 * @n: how many
 * @last: name of a trailing string field, or NULL
 */
void memlens_seq_header(struct seq_file *m, const char *first,
			const struct memlens_column *cols, int n, const char *last)
{
	int i;

	if (first)
		seq_printf(m, "%-*s", MEMLENS_SLAB_NAME_WIDTH - 1, first);
	for (i = 0; i < n; i++)
		seq_printf(m, "%s%*s", i || first ? " " : "", cols[i].width, cols[i].name);
	if (last)
		seq_printf(m, " %s", last);
	seq_putc(m, '\n');
}
