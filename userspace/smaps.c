// SPDX-License-Identifier: GPL-2.0
/*
 * A parser of /proc/PID/smaps (fs/proc/task_mmu.c show_smap(), described
 * in Documentation/filesystems/proc.rst): a header line per VMA,
 *
 *   start-end perms offset major:minor inode   [name]
 *
 * then "Key:   value kB" lines.  Like parse.c it takes a buffer, never a
 * file, and trusts nothing in it: every number is bounded, the VMAs must
 * be in ascending order without overlap, and each one's Size must be its
 * range, so that the sums the reader makes cannot overflow.  Keys it does
 * not know are skipped (the kernel adds some every few releases).
 * fuzz/parse_fuzz.c drives it with arbitrary bytes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"

const char *const ml_vma_keys[ML_VMA_NR] = {
	[ML_VMA_SIZE] = "Size", [ML_VMA_RSS] = "Rss", [ML_VMA_PSS] = "Pss",
	[ML_VMA_SHARED_CLEAN] = "Shared_Clean", [ML_VMA_SHARED_DIRTY] = "Shared_Dirty",
	[ML_VMA_PRIVATE_CLEAN] = "Private_Clean", [ML_VMA_PRIVATE_DIRTY] = "Private_Dirty",
	[ML_VMA_ANON] = "Anonymous", [ML_VMA_SWAP] = "Swap", [ML_VMA_LOCKED] = "Locked",
};

/* The parse in progress: the line, and which keys the current VMA has. */
struct smaps {
	const char *p, *end;		/* the rest of the current line */
	unsigned int line;
	struct ml_vmas *out;
	size_t cap, scap, slen;
	bool seen[ML_VMA_NR];
	struct ml_error *err;
};

static int __attribute__((format(printf, 2, 3))) fail(struct smaps *s, const char *fmt, ...)
{
	va_list ap;

	snprintf(s->err->file, sizeof(s->err->file), "smaps");
	s->err->line = s->line;
	va_start(ap, fmt);
	vsnprintf(s->err->msg, sizeof(s->err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static int hexdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Up to 16 lowercase hex digits, as the kernel prints them. */
static bool hex(struct smaps *s, uint64_t *v)
{
	int n = 0, d;

	*v = 0;
	while (s->p < s->end && (d = hexdigit(*s->p)) >= 0) {
		if (++n > 16)
			return false;
		*v = *v << 4 | (uint64_t)d;
		s->p++;
	}
	return n > 0;
}

/* A decimal number that fits in 64 bits. */
static bool dec(struct smaps *s, uint64_t *v)
{
	const char *start = s->p;

	*v = 0;
	while (s->p < s->end && *s->p >= '0' && *s->p <= '9') {
		unsigned int d = (unsigned int)(*s->p - '0');

		if (*v > (UINT64_MAX - d) / 10)
			return false;
		*v = *v * 10 + d;
		s->p++;
	}
	return s->p > start;
}

static bool eat(struct smaps *s, char c)
{
	if (s->p == s->end || *s->p != c)
		return false;
	s->p++;
	return true;
}

static void skip_blanks(struct smaps *s)
{
	while (s->p < s->end && *s->p == ' ')
		s->p++;
}

/* The name, copied with its NUL into the strings; its offset in @r. */
static int add_name(struct smaps *s, struct ml_vma *r, const char *name, size_t len)
{
	char *p;

	if (s->scap - s->slen < len + 1) {
		size_t cap = s->scap ? s->scap : 4096;

		while (cap - s->slen < len + 1)
			cap *= 2;
		p = realloc(s->out->strings, cap);
		if (!p)
			return fail(s, "out of memory");
		s->out->strings = p;
		s->scap = cap;
	}
	memcpy(s->out->strings + s->slen, name, len);
	s->out->strings[s->slen + len] = '\0';
	r->name = s->slen;
	s->slen += len + 1;
	return 0;
}

/* Whether the VMA just read is whole: every check on its values. */
static int vma_done(struct smaps *s)
{
	const struct ml_vma *r;
	uint64_t size;

	if (!s->out->n)
		return 0;
	r = &s->out->rows[s->out->n - 1];
	size = r->end - r->start;
	if (!s->seen[ML_VMA_SIZE] || !s->seen[ML_VMA_RSS])
		return fail(s, "the VMA at %llx has no %s line", (unsigned long long)r->start,
			    s->seen[ML_VMA_SIZE] ? "Rss" : "Size");
	if (r->bytes[ML_VMA_SIZE] != size)
		return fail(s, "the VMA at %llx: Size %llu kB is not its range's %llu kB",
			    (unsigned long long)r->start,
			    (unsigned long long)r->bytes[ML_VMA_SIZE] >> 10,
			    (unsigned long long)size >> 10);
	if (r->bytes[ML_VMA_RSS] > size || r->bytes[ML_VMA_SWAP] > size ||
	    r->bytes[ML_VMA_PSS] > r->bytes[ML_VMA_RSS])
		return fail(s, "the VMA at %llx: Rss or Swap above Size, or Pss above Rss",
			    (unsigned long long)r->start);
	return 0;
}

/* "start-end perms offset major:minor inode [name]": a new VMA. */
static int header(struct smaps *s)
{
	struct ml_vmas *v = s->out;
	uint64_t major, minor, prev = v->n ? v->rows[v->n - 1].end : 0;
	struct ml_vma *r;
	int i;

	if (vma_done(s))
		return -1;
	if (v->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;

		r = realloc(v->rows, cap * sizeof(*r));
		if (!r)
			return fail(s, "out of memory");
		v->rows = r;
		s->cap = cap;
	}
	r = &v->rows[v->n];
	memset(r, 0, sizeof(*r));
	memset(s->seen, 0, sizeof(s->seen));
	if (!hex(s, &r->start) || !eat(s, '-') || !hex(s, &r->end) || !eat(s, ' '))
		return fail(s, "not a VMA line: start-end expected");
	if (r->start >= r->end || r->start < prev || (r->end - r->start) & 1023)
		return fail(s, "VMA %llx-%llx: empty, out of order, overlapping or not in whole kB",
			    (unsigned long long)r->start, (unsigned long long)r->end);
	for (i = 0; i < 4; i++) {
		static const char ok[4][3] = { "r-", "w-", "x-", "ps" };

		if (s->p == s->end || !memchr(ok[i], *s->p, 2))
			return fail(s, "bad permissions");
		r->perms[i] = *s->p++;
	}
	if (!eat(s, ' ') || !hex(s, &r->offset) || !eat(s, ' ') || !hex(s, &major) ||
	    !eat(s, ':') || !hex(s, &minor) || !eat(s, ' ') || !dec(s, &r->inode) ||
	    major > UINT32_MAX || minor > UINT32_MAX)
		return fail(s, "bad offset, device or inode");
	r->major = (unsigned int)major;
	r->minor = (unsigned int)minor;
	if (s->p < s->end && *s->p != ' ')
		return fail(s, "bad inode");
	skip_blanks(s);
	if (add_name(s, r, s->p, (size_t)(s->end - s->p)))
		return -1;
	v->n++;
	return 0;
}

/* "Key: value kB": one of ours is kept, any other skipped. */
static int field(struct smaps *s)
{
	const char *key = s->p;
	struct ml_vma *r;
	size_t klen;
	uint64_t v;
	int k;

	while (s->p < s->end && *s->p != ':' && *s->p != ' ')
		s->p++;
	klen = (size_t)(s->p - key);
	if (!klen || klen > 32 || !eat(s, ':'))
		return fail(s, "not a VMA line nor a \"Key: value\" line");
	if (!s->out->n)
		return fail(s, "a \"Key: value\" line before the first VMA");
	for (k = 0; k < ML_VMA_NR; k++)
		if (strlen(ml_vma_keys[k]) == klen && !memcmp(key, ml_vma_keys[k], klen))
			break;
	if (k == ML_VMA_NR)
		return 0;
	if (s->seen[k])
		return fail(s, "%s twice in a VMA", ml_vma_keys[k]);
	skip_blanks(s);
	/* below 2^54 kB, a value is below 2^64 bytes */
	if (!dec(s, &v) || v >> 54 || !eat(s, ' ') || !eat(s, 'k') || !eat(s, 'B') ||
	    s->p != s->end)
		return fail(s, "%s: not a number of kB", ml_vma_keys[k]);
	r = &s->out->rows[s->out->n - 1];
	r->bytes[k] = v << 10;
	s->seen[k] = true;
	return 0;
}

/**
 * ml_parse_smaps() - parse a process's smaps
 * @buf: the file
 * @len: its length
 * @out: the VMAs, in the file's (ascending) order; to free with
 *	 ml_vmas_free() on success
 * @err: where a failure was, and why
 *
 * An empty file is no error: a kernel thread has no address space.
 *
 * Return: 0, or -1 with @err set and nothing to free.
 */
int ml_parse_smaps(const char *buf, size_t len, struct ml_vmas *out, struct ml_error *err)
{
	struct smaps s = { .out = out, .err = err };
	const char *p = buf, *end = buf + len, *nl;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	while (p < end && !ret) {
		nl = memchr(p, '\n', (size_t)(end - p));
		s.p = p;
		s.end = nl ? nl : end;
		s.line++;
		/* the kernel prints addresses in lowercase hex, keys capitalised */
		ret = hexdigit(*p) >= 0 ? header(&s) : field(&s);
		p = nl ? nl + 1 : end;
	}
	if (!ret)
		ret = vma_done(&s);
	if (ret)
		ml_vmas_free(out);
	return ret;
}

void ml_vmas_free(struct ml_vmas *v)
{
	free(v->rows);
	free(v->strings);
	memset(v, 0, sizeof(*v));
}
