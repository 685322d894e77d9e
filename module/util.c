// SPDX-License-Identifier: GPL-2.0
/*
 * Row formatting shared by the views.  Rows are built straight into the
 * seq_file buffer, without printf-style formatting: a table is mostly
 * numbers, and writing them must cost less than reading them.
 */
#include <linux/math64.h>

#include "memlens.h"

static unsigned int digits_u32(u32 v)
{
	unsigned int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* "00" to "99": two digits a division, copied rather than computed */
#define DIGIT_PAIRS(d)	d "0" d "1" d "2" d "3" d "4" d "5" d "6" d "7" d "8" d "9"
static const char digit_pairs[] =
	DIGIT_PAIRS("0") DIGIT_PAIRS("1") DIGIT_PAIRS("2") DIGIT_PAIRS("3") DIGIT_PAIRS("4")
	DIGIT_PAIRS("5") DIGIT_PAIRS("6") DIGIT_PAIRS("7") DIGIT_PAIRS("8") DIGIT_PAIRS("9");

/* Write @v's digits so that the last one is just before @q. */
static char *put_digits(char *q, u32 v)
{
	while (v >= 100) {
		u32 r = v % 100;

		v /= 100;
		q -= 2;
		memcpy(q, &digit_pairs[2 * r], 2);
	}
	if (v >= 10) {
		q -= 2;
		memcpy(q, &digit_pairs[2 * v], 2);
	} else {
		*--q = '0' + v;
	}
	return q;
}

/*
 * A number right-aligned to @width, written in place from its last digit,
 * so that no number costs a memcpy() call.  Values are cut in parts below
 * 10^9, which fit 32 bits, so that each division is a multiply by a
 * constant; nearly every value is one part; two digits per division by 100.
 */
static char *fmt_u64(char *p, u64 v, unsigned int width)
{
	u32 part[3];
	unsigned int np = 0, n, i;
	char *q;

	do {
		v = div_u64_rem(v, 1000000000, &part[np++]);
	} while (v);
	n = digits_u32(part[np - 1]) + 9 * (np - 1);
	for (; width > n; width--)
		*p++ = ' ';
	q = p + n;
	for (i = 0; i + 1 < np; i++) {
		char *low = q - 9;

		/* a lower part has exactly nine digits, leading zeros included */
		for (q = put_digits(q, part[i]); q > low; )
			*--q = '0';
	}
	put_digits(q, part[np - 1]);
	return p + n;
}

/* The byte @n in every byte of a long. */
#define WORD_BYTES(n)		(~0UL / 255 * (n))
/* Whether a byte of @w is below @n (n <= 128): bit twiddling, exact as a whole. */
static __always_inline unsigned long word_has_less(unsigned long w, unsigned long n)
{
	return (w - WORD_BYTES(n)) & ~w & WORD_BYTES(0x80);
}

/*
 * Whether a byte of @w must be escaped (MEMLENS_MUST_ESCAPE(): up to a
 * space, DEL, a backslash) or is the NUL: eight bytes tested at once.
 */
static __always_inline bool word_must_escape(unsigned long w)
{
	return word_has_less(w, 0x21) || word_has_less(w ^ WORD_BYTES(0x7f), 1) ||
	       word_has_less(w ^ WORD_BYTES('\\'), 1);
}

/*
 * A string field that can neither split a row nor forge one: every byte
 * uapi/memlens.h says must be escaped becomes \ooo, as in /proc/mounts.
 * An empty string becomes \000 so that the field is still there.
 * Words are tested and copied whole while @readable bytes last: @len, or
 * more when plain bytes follow the string (memlens_escape_padded()), so
 * that even a short name's last word goes at once; a word needing an
 * escape then needs it within the string.
 * Writes at most 4 * len + 4 bytes, or 4 * len + 8 when @readable > @len.
 */
static __always_inline char *escape_words(char *p, const char *s, size_t len,
					  size_t readable)
{
	unsigned long w;
	size_t i = 0, k;

	if (!len || !s[0])
		return memcpy(p, "\\000", 4) + 4;
	while (i < len && s[i]) {
		unsigned char c;

		/* a word with nothing to escape (nor the NUL) at once: paths are long */
		if (i + sizeof(w) <= readable) {
			memcpy(&w, s + i, sizeof(w));
			if (!word_must_escape(w)) {
				memcpy(p, &w, sizeof(w));
				k = min(len - i, sizeof(w));
				p += k;
				i += k;
				continue;
			}
		}
		c = s[i++];
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

static char *fmt_escaped(char *p, const char *s, size_t len)
{
	return escape_words(p, s, len, len);
}

/**
 * memlens_seq_row() - append one row of a table
 * @m: the file
 * @t: the table's columns
 * @val: the numbers, @t->n of them
 * @blank: bit i set: @val[i] is not known, and is written MEMLENS_BLANK
 * @word: a field written as it is after the numbers (a constant of the
 *	caller), or NULL
 * @str: the string field (escaped), or NULL
 * @str_len: its maximum length
 *
 * The row is written whole or not at all: when the buffer is full the
 * seq_file core retries it in a bigger one.
 */
void memlens_seq_row(struct seq_file *m, const struct memlens_table *t, const u64 *val,
		     unsigned long blank, const char *word, const char *str, size_t str_len)
{
	size_t wlen = word ? strlen(word) : 0;
	size_t room = t->n * 21 + t->str_width + wlen + 4 * str_len + 8;
	char *buf, *p;
	int i;

	if (seq_get_buf(m, &buf) < room) {
		seq_commit(m, -1);
		return;
	}
	p = buf;
	if (str && t->str_width) {
		p = fmt_escaped(p, str, str_len);
		while (p - buf < t->str_width)
			*p++ = ' ';
	}
	for (i = 0; i < t->n; i++) {
		if (p != buf)
			*p++ = ' ';
		if (blank & BIT(i)) {
			memcpy(p, MEMLENS_BLANK, sizeof(MEMLENS_BLANK) - 1);
			p += sizeof(MEMLENS_BLANK) - 1;
		} else {
			p = fmt_u64(p, val[i], t->cols[i].width);
		}
	}
	if (word) {
		*p++ = ' ';
		p = memcpy(p, word, wlen) + wlen;
	}
	if (str && !t->str_width) {
		*p++ = ' ';
		p = fmt_escaped(p, str, str_len);
	}
	*p++ = '\n';
	seq_commit(m, p - buf);
}

/**
 * memlens_seq_header() - the header line of a table
 * @m: the file
 * @t: the table's columns
 * @str: the name of its string field (and of @word's, before it), or NULL
 */
void memlens_seq_header(struct seq_file *m, const struct memlens_table *t, const char *str)
{
	int i;

	if (str && t->str_width)
		seq_printf(m, "%-*s", t->str_width, str);
	for (i = 0; i < t->n; i++)
		seq_printf(m, "%s%*s", i || (str && t->str_width) ? " " : "", t->cols[i].width,
			   t->cols[i].name);
	if (str && !t->str_width)
		seq_printf(m, " %s", str);
	seq_putc(m, '\n');
}

/**
 * memlens_u64_slow() - memlens_u64() of a number of two digits or more
 * @p: where to write; room for 20 bytes
 * @v: the number, at least 10
 *
 * Return: the end of what was written.
 */
char *memlens_u64_slow(char *p, u64 v)
{
	char tmp[32] = { 0 }, *q;	/* what is copied past the digits: zeros */

	if (v >= 1000000000)
		return fmt_u64(p, v, 0);
	/*
	 * Up to nine digits, written backwards without counting them first,
	 * then copied at a constant size: a few moves, not a call.
	 */
	q = put_digits(tmp + 16, v);
	memcpy(p, q, 16);
	return p + (tmp + 16 - q);
}

/**
 * memlens_escape() - write a string field, escaped as uapi/memlens.h says
 * @p: where to write; room for 4 * @len + 4 bytes
 * @s: the string, ending at its NUL or after @len bytes
 * @len: its maximum length
 *
 * For views that build their rows outside a seq_file.
 *
 * Return: the end of what was written.
 */
char *memlens_escape(char *p, const char *s, size_t len)
{
	return fmt_escaped(p, s, len);
}

/**
 * memlens_escape_padded() - memlens_escape() of a string that is followed
 * by MEMLENS_ESCAPE_PAD bytes that need no escape
 * @p: where to write; room for 4 * @len + MEMLENS_ESCAPE_PAD bytes
 * @s: the string, @len bytes, not empty, with no NUL in it
 * @len: its length
 *
 * A short name (most file names are) is then tested and copied in whole
 * words: the bytes read past its end are plain, so a word needing an
 * escape needs it within the string.
 *
 * Return: the end of what was written.
 */
char *memlens_escape_padded(char *p, const char *s, size_t len)
{
	BUILD_BUG_ON(sizeof(unsigned long) != MEMLENS_ESCAPE_PAD);
	return escape_words(p, s, len, len + MEMLENS_ESCAPE_PAD);
}
