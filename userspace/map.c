// SPDX-License-Identifier: GPL-2.0
/*
 * memlens map PID: one process's virtual address space from low to high,
 * as the textbooks draw it (program, heap growing up from brk, the mapping
 * region with the libraries and malloc's large blocks, the stack growing
 * down), from /proc/PID/smaps: a row per VMA, the holes between them as
 * rows of their own, a bar drawn to scale where a row allows it, and the
 * sums checked against /proc/PID/status.
 *
 * One row per VMA, not per object: a library's four VMAs differ in
 * permissions and offset, which a merged row would hide; adjacent rows of
 * one object follow each other, with no gap row between them.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libsmartcols.h>

#include "reader.h"

#define MAP_PROC	"/proc"
#define BAR_WIDTH	16

/* In the order shown; the change columns only with --watch by default. */
enum {
	MP_START, MP_END, MP_VSZ, MP_RSS, MP_PSS, MP_SHARED, MP_PRIVATE, MP_DIRTY, MP_ANON,
	MP_SWAP, MP_LOCKED, MP_DVSZ, MP_DRSS, MP_DSWAP, MP_CHANGE, MP_PERM, MP_OFFSET,
	MP_DEV, MP_INODE, MP_KIND, MP_MAP, MP_NAME, MP_NCOLS
};

static struct ml_col map_cols[MP_NCOLS] = {
	{ "START", ML_STR, MP_START, ML_SHOW, "first address (hex)" },
	{ "END", ML_STR, MP_END, ML_SHOW, "address after the last (hex)" },
	{ "VSZ", ML_SIZE, MP_VSZ, ML_SHOW, "virtual size (smaps Size); of a gap, its size" },
	{ "RSS", ML_SIZE, MP_RSS, ML_SHOW, "resident (smaps Rss)" },
	{ "PSS", ML_SIZE, MP_PSS, ML_HIDE, "proportional share of the resident pages (Pss)" },
	{ "SHARED", ML_SIZE, MP_SHARED, ML_HIDE, "resident and mapped by others too" },
	{ "PRIVATE", ML_SIZE, MP_PRIVATE, ML_HIDE, "resident and mapped by this process only" },
	{ "DIRTY", ML_SIZE, MP_DIRTY, ML_HIDE, "resident and dirty, shared or private" },
	{ "ANON", ML_SIZE, MP_ANON, ML_HIDE, "anonymous pages (smaps Anonymous)" },
	{ "SWAP", ML_SIZE, MP_SWAP, ML_SHOW, "swapped out, shmem included (smaps Swap)" },
	{ "LOCKED", ML_SIZE, MP_LOCKED, ML_HIDE, "locked in memory (smaps Locked)" },
	{ "ΔVSZ", ML_DELTA, MP_DVSZ, ML_HIDE, "change of vsz since the last sample (--watch)" },
	{ "ΔRSS", ML_DELTA, MP_DRSS, ML_HIDE, "change of rss since the last sample (--watch)" },
	{ "ΔSWAP", ML_DELTA, MP_DSWAP, ML_HIDE, "change of swap since the last sample (--watch)" },
	{ "CHANGE", ML_STR, MP_CHANGE, ML_HIDE, "new or gone since the last sample (--watch)" },
	{ "PERM", ML_STR, MP_PERM, ML_SHOW, "read, write, execute; private or shared" },
	{ "OFFSET", ML_STR, MP_OFFSET, ML_HIDE, "offset in the file (hex)" },
	{ "DEV", ML_STR, MP_DEV, ML_HIDE, "the file's device, major:minor" },
	{ "INODE", ML_ID, MP_INODE, ML_HIDE, "the file's inode number" },
	{ "KIND", ML_STR, MP_KIND, ML_SHOW, "program, library, file, heap, stack, anon, shm, "
	  "vdso, vvar, vsyscall, special, or gap" },
	{ "MAP", ML_STR, MP_MAP, ML_SHOW, "the region to scale: # resident, - not; . a gap, "
	  "~//~ a gap too big to draw (not in -J, -r)" },
	{ "NAME", ML_STR, MP_NAME, ML_SHOW, "the file, or the kernel's [name] of the region" },
};

/* The columns: Δ where the terminal shows it, change columns in a live view. */
const struct ml_col *ml_map_columns(bool watch, bool human)
{
	bool utf8 = human && !strcmp(nl_langinfo(CODESET), "UTF-8");

	map_cols[MP_DVSZ].name = utf8 ? "ΔVSZ" : "DVSZ";
	map_cols[MP_DRSS].name = utf8 ? "ΔRSS" : "DRSS";
	map_cols[MP_DSWAP].name = utf8 ? "ΔSWAP" : "DSWAP";
	map_cols[MP_DVSZ].shown = ml_shown_if(watch);
	map_cols[MP_DRSS].shown = ml_shown_if(watch);
	map_cols[MP_CHANGE].shown = ml_shown_if(watch);
	map_cols[MP_MAP].shown = ml_shown_if(human);
	return map_cols;
}

int ml_map_ncols(void)
{
	return MP_NCOLS;
}

/* What a process's map is read from, and what it is drawn with. */
struct map_ctx {
	const struct ml_options *o;
	long pid;
	char exe[PATH_MAX + 16];	/* the program's path, "" if unknown */
	uint64_t scale;			/* the largest region: a full bar */
	bool human, watch;
};

/* A /proc file of the process, whole; NULL with errno set. */
static char *read_proc(const struct map_ctx *c, const char *file, size_t *len,
		       char *path, size_t plen)
{
	int fd;

	snprintf(path, plen, "%s/%ld/%s", c->o->proc, c->pid, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? NULL : ml_read_fd(fd, 1 << 16, len);
}

/* The initial user namespace as /proc/PID/ns/user names it, on every kernel */
#define USER_NS_INITIAL		"user:[4026531837]"
#define CAP_SYS_PTRACE_BIT	19

/*
 * Why root has no ptrace read access to a process, as far as memlens's own
 * credentials (@proc/self) tell: a user namespace other than the initial
 * one, whose root has none outside it; no CAP_SYS_PTRACE, without which
 * only a dumpable process of the same ids and no capability more is
 * readable; else a security module, the only other thing that denies root.
 */
static const char *ptrace_denier(const char *proc)
{
	char path[PATH_MAX], ns[64], *buf, *cap = NULL;
	unsigned long long eff;
	const char *why = NULL;
	size_t len;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/self/ns/user", proc);
	n = readlink(path, ns, sizeof(ns) - 1);
	ns[n > 0 ? n : 0] = '\0';
	if (n > 0 && strcmp(ns, USER_NS_INITIAL) != 0)
		return "memlens runs in a user namespace, whose root has none over a process outside it";
	snprintf(path, sizeof(path), "%s/self/status", proc);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	buf = fd < 0 ? NULL : ml_read_fd(fd, 1 << 12, &len);
	if (buf)
		cap = strstr(buf, "\nCapEff:");
	if (n > 0 && cap && sscanf(cap + strlen("\nCapEff:"), "%llx", &eff) == 1)
		why = eff & 1ULL << CAP_SYS_PTRACE_BIT ? "a security module denies it" :
		      "memlens runs without CAP_SYS_PTRACE, which a process of other ids, with "
		      "more capabilities or not dumpable requires";
	free(buf);
	return why ? why : "a user namespace, a dropped capability or a security module denies it";
}

/*
 * The process's VMAs.  Every failure is one line and status 1, except a
 * process gone in a live view (@gone_ok): -1, to end the view.
 */
static int load(const struct map_ctx *c, struct ml_vmas *v, bool gone_ok)
{
	struct ml_error e = { 0 };
	char path[PATH_MAX];
	size_t len = 0;
	char *buf = read_proc(c, "smaps", &len, path, sizeof(path));
	int ret;

	if (!buf && (errno == ENOENT || errno == ESRCH) && gone_ok)
		return -1;
	if (!buf && (errno == ENOENT || errno == ESRCH))
		errx(ML_EXIT_FAIL, "no such process: %ld", c->pid);
	/* root too may lack ptrace read access */
	if (!buf && (errno == EACCES || errno == EPERM) && geteuid() == 0)
		errx(ML_EXIT_FAIL, "permission denied reading %s: even root needs ptrace read "
		     "access to the process: %s", path, ptrace_denier(c->o->proc));
	if (!buf && (errno == EACCES || errno == EPERM))
		errx(ML_EXIT_FAIL, "permission denied reading %s: run memlens as root or as "
		     "the process's user", path);
	if (!buf)
		err(ML_EXIT_FAIL, "%s", path);
	ret = ml_parse_smaps(buf, len, v, &e);
	free(buf);
	if (ret)
		errx(ML_EXIT_FAIL, "%s:%u: %s", path, e.line, e.msg);
	if (!v->n && gone_ok)
		return -1;
	if (!v->n)
		errx(ML_EXIT_FAIL, "process %ld has no address space (a kernel thread, or "
		     "exiting)", c->pid);
	return 0;
}

/* The program's path, as smaps names it, or "" (then: the lowest file). */
static void find_exe(struct map_ctx *c, const struct ml_vmas *v)
{
	char path[PATH_MAX];
	ssize_t n;
	size_t i;

	snprintf(path, sizeof(path), "%s/%ld/exe", c->o->proc, c->pid);
	n = readlink(path, c->exe, sizeof(c->exe) - 1);
	c->exe[n > 0 ? n : 0] = '\0';
	for (i = 0; !c->exe[0] && i < v->n; i++) {
		const char *name = ml_vma_name(v, &v->rows[i]);

		if (v->rows[i].inode && name[0] == '/')
			snprintf(c->exe, sizeof(c->exe), "%s", name);
	}
}

static bool has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* "libc.so.6", "ld-linux-x86-64.so.2", "_ssl.cpython-311-x86_64-linux-gnu.so" */
static bool is_library(const char *path)
{
	const char *base = strrchr(path, '/'), *so;

	for (so = strstr(base ? base : path, ".so"); so; so = strstr(so + 3, ".so"))
		if (so[3] == '\0' || so[3] == '.' || so[3] == ' ')
			return true;
	return false;
}

/* What a region is: see KIND in memlens(8). */
static const char *kind_of(const struct map_ctx *c, const struct ml_vma *r, const char *name)
{
	if (!name[0])
		return "anon";
	if (!strcmp(name, "[heap]"))
		return "heap";
	if (has_prefix(name, "[stack"))		/* [stack:TID] before 4.5 */
		return "stack";
	if (!strcmp(name, "[vdso]"))
		return "vdso";
	if (has_prefix(name, "[vvar"))		/* [vvar_vclock] since 6.13 */
		return "vvar";
	if (!strcmp(name, "[vsyscall]"))
		return "vsyscall";
	if (has_prefix(name, "[anon_shmem:"))
		return "shm";
	if (has_prefix(name, "[anon:"))		/* named with PR_SET_VMA_ANON_NAME */
		return "anon";
	if (name[0] == '[')			/* [uprobes], [sigpage], ... */
		return "special";
	if (c->exe[0] && !strcmp(name, c->exe))
		return "program";
	/* SysV shm, memfd, POSIX shm, and shared anonymous memory: all shmem */
	if (has_prefix(name, "/SYSV") || has_prefix(name, "/memfd:") ||
	    has_prefix(name, "/dev/shm/") ||
	    (r->perms[3] == 's' && !strcmp(name, "/dev/zero (deleted)")))
		return "shm";
	if (is_library(name))
		return "library";
	return "file";
}

/* The row's bar: its size against the largest region's, rounded up. */
static void bar(const struct map_ctx *c, uint64_t size, uint64_t rss, bool gap, char *buf)
{
	uint64_t cells, res, i;

	if (gap && size > c->scale) {
		/* too big to draw: broken */
		memset(buf, '~', BAR_WIDTH);
		memcpy(buf + BAR_WIDTH / 2 - 1, "//", 2);
		buf[BAR_WIDTH] = '\0';
		return;
	}
	cells = 1;
	if (c->scale)
		cells = (uint64_t)(((unsigned __int128)size * BAR_WIDTH + c->scale - 1) / c->scale);
	if (cells < 1 || cells > BAR_WIDTH)	/* 0 for size 0; never above when drawn */
		cells = cells ? BAR_WIDTH : 1;
	res = 0;
	if (size)
		res = (uint64_t)(((unsigned __int128)rss * cells + size / 2) / size);
	if (rss && !res)
		res = 1;
	if (res > cells)
		res = cells;
	for (i = 0; i < cells; i++)
		buf[i] = gap ? '.' : i < res ? '#' : '-';
	buf[cells] = '\0';
}

static void set_hex(struct ml_table *t, struct ml_line ln, int col, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%012llx", (unsigned long long)v);
	ml_table_set(t, ln, col, buf, (int64_t)v);
}

/* The hole between two regions. */
static void gap_line(struct ml_table *t, const struct map_ctx *c, uint64_t start, uint64_t end)
{
	struct ml_line ln = ml_table_line(t);
	char buf[BAR_WIDTH + 1];
	int i;

	set_hex(t, ln, MP_START, start);
	set_hex(t, ln, MP_END, end);
	ml_table_set(t, ln, MP_VSZ, NULL, (int64_t)(end - start));
	/* no memory: empty cells, null in JSON */
	for (i = MP_RSS; i < MP_PERM; i++)
		if (i != MP_CHANGE)
			ml_table_set(t, ln, i, "", 0);
	ml_table_set(t, ln, MP_KIND, "gap", 0);
	if (ml_table_shows(t, MP_MAP)) {
		bar(c, end - start, 0, true, buf);
		ml_table_set(t, ln, MP_MAP, buf, 0);
	}
}

/*
 * A cell's bytes.  In unsigned arithmetic: the values of a file given with
 * --proc are bounded (below 2^64) but their sums need not be.
 */
static int64_t cell(uint64_t bytes)
{
	return (int64_t)bytes;
}

/* From @before to @after, in bytes; either may be absent (0). */
static int64_t delta(const struct ml_vma *after, const struct ml_vma *before, int k)
{
	return cell((after ? after->bytes[k] : 0) - (before ? before->bytes[k] : 0));
}

/*
 * A region; @prev is the same region in the previous sample of a live
 * view (NULL: there was none), @change says "new" or "gone".
 */
static void region_line(struct ml_table *t, const struct map_ctx *c, const struct ml_vmas *v,
			const struct ml_vma *r, const struct ml_vma *prev, const char *change)
{
	struct ml_line ln = ml_table_line(t);
	const char *name = ml_vma_name(v, r);
	const uint64_t *b = r->bytes;
	char buf[PATH_MAX];
	bool gone = change && !strcmp(change, "gone");

	set_hex(t, ln, MP_START, r->start);
	set_hex(t, ln, MP_END, r->end);
	ml_table_set(t, ln, MP_VSZ, NULL, (int64_t)(r->end - r->start));
	ml_table_set(t, ln, MP_RSS, NULL, cell(b[ML_VMA_RSS]));
	ml_table_set(t, ln, MP_PSS, NULL, cell(b[ML_VMA_PSS]));
	ml_table_set(t, ln, MP_SHARED, NULL,
		     cell(b[ML_VMA_SHARED_CLEAN] + b[ML_VMA_SHARED_DIRTY]));
	ml_table_set(t, ln, MP_PRIVATE, NULL,
		     cell(b[ML_VMA_PRIVATE_CLEAN] + b[ML_VMA_PRIVATE_DIRTY]));
	ml_table_set(t, ln, MP_DIRTY, NULL,
		     cell(b[ML_VMA_SHARED_DIRTY] + b[ML_VMA_PRIVATE_DIRTY]));
	ml_table_set(t, ln, MP_ANON, NULL, cell(b[ML_VMA_ANON]));
	ml_table_set(t, ln, MP_SWAP, NULL, cell(b[ML_VMA_SWAP]));
	ml_table_set(t, ln, MP_LOCKED, NULL, cell(b[ML_VMA_LOCKED]));
	if (c->watch) {
		/* a region gone takes its memory with it */
		const struct ml_vma *after = gone ? NULL : r, *before = gone ? r : prev;

		ml_table_set(t, ln, MP_DVSZ, NULL, delta(after, before, ML_VMA_SIZE));
		ml_table_set(t, ln, MP_DRSS, NULL, delta(after, before, ML_VMA_RSS));
		ml_table_set(t, ln, MP_DSWAP, NULL, delta(after, before, ML_VMA_SWAP));
		ml_table_set(t, ln, MP_CHANGE, change ? change : "", 0);
	} else {
		ml_table_set(t, ln, MP_DVSZ, "", 0);
		ml_table_set(t, ln, MP_DRSS, "", 0);
		ml_table_set(t, ln, MP_DSWAP, "", 0);
		ml_table_set(t, ln, MP_CHANGE, "", 0);
	}
	ml_table_set(t, ln, MP_PERM, r->perms, 0);
	snprintf(buf, sizeof(buf), "%llx", (unsigned long long)r->offset);
	ml_table_set(t, ln, MP_OFFSET, buf, (int64_t)r->offset);
	snprintf(buf, sizeof(buf), "%x:%x", r->major, r->minor);
	ml_table_set(t, ln, MP_DEV, buf, 0);
	ml_table_set(t, ln, MP_INODE, NULL, (int64_t)r->inode);
	ml_table_set(t, ln, MP_KIND, kind_of(c, r, name), 0);
	if (ml_table_shows(t, MP_MAP)) {
		bar(c, r->end - r->start, b[ML_VMA_RSS], false, buf);
		ml_table_set(t, ln, MP_MAP, buf, 0);
	}
	ml_table_set(t, ln, MP_NAME, name, 0);
}

/* The same region in two samples: one object, and an address in common. */
static bool same_region(const struct ml_vmas *a, const struct ml_vma *x,
			const struct ml_vmas *b, const struct ml_vma *y)
{
	return x->start < y->end && y->start < x->end && x->inode == y->inode &&
	       !strcmp(ml_vma_name(a, x), ml_vma_name(b, y));
}

/*
 * The rows of @now, low to high, with the gaps between them; in a live
 * view each against the region it was in @before (both in ascending
 * order), and the regions of @before that are gone, where they were.
 */
static void map_lines(struct ml_table *t, const struct map_ctx *c, const struct ml_vmas *now,
		      const struct ml_vmas *before)
{
	size_t i, j = 0, k, m = before ? before->n : 0;
	bool *matched = calloc(m + 1, sizeof(*matched));

	if (!matched)
		err(ML_EXIT_FAIL, "calloc");
	for (i = 0; i < now->n; i++) {
		const struct ml_vma *r = &now->rows[i], *prev = NULL;

		/* those wholly below this region are gone, if nothing matched them */
		for (; j < m && before->rows[j].end <= r->start; j++)
			if (!matched[j])
				region_line(t, c, before, &before->rows[j], NULL, "gone");
		for (k = j; k < m && before->rows[k].start < r->end && !prev; k++) {
			if (!matched[k] && same_region(now, r, before, &before->rows[k])) {
				matched[k] = true;
				prev = &before->rows[k];
			}
		}
		if (i && now->rows[i - 1].end < r->start)
			gap_line(t, c, now->rows[i - 1].end, r->start);
		region_line(t, c, now, r, before ? prev : r, before && !prev ? "new" : NULL);
	}
	for (; j < m; j++)
		if (!matched[j])
			region_line(t, c, before, &before->rows[j], NULL, "gone");
	free(matched);
}

/* VmSize, VmRSS and VmSwap of /proc/PID/status, in bytes; false if unread. */
static bool status_bytes(const struct map_ctx *c, uint64_t bytes[3])
{
	static const char *const keys[3] = { "VmSize:", "VmRSS:", "VmSwap:" };
	char path[PATH_MAX], *buf, *line, *end;
	bool found[3] = { false };
	size_t len;
	int k;

	buf = read_proc(c, "status", &len, path, sizeof(path));
	if (!buf)
		return false;
	for (line = buf; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		for (k = 0; k < 3; k++) {
			if (strncmp(line, keys[k], strlen(keys[k])) != 0)
				continue;
			errno = 0;
			bytes[k] = strtoull(line + strlen(keys[k]), &end, 10);
			found[k] = !errno && end != line + strlen(keys[k]) &&
				   !strncmp(end, " kB", 3) && bytes[k] < 1ULL << 54;
			bytes[k] <<= 10;
		}
	}
	free(buf);
	return found[0] && found[1];
}

static void size_str(const struct ml_options *o, uint64_t bytes, char *buf)
{
	ml_size_str(bytes, o->bytes, buf, 32);
}

/* "VmRSS 2.1M (12K below the sum)"; true if equal */
static bool compare(const struct ml_options *o, const char *sep, const char *key,
		    uint64_t bytes, uint64_t sum)
{
	char a[32], d[32];

	size_str(o, bytes, a);
	printf("%s%s %s", sep, key, a);
	if (bytes == sum)
		return true;
	size_str(o, bytes > sum ? bytes - sum : sum - bytes, d);
	printf(" (%s %s the sum)", d, bytes > sum ? "above" : "below");
	return false;
}

/*
 * The total line: the sums over smaps, then /proc/PID/status's counters
 * beside them.  The gate VMA ([vsyscall]) is in smaps but not in the mm,
 * so not in VmSize.
 */
static void map_total(const struct map_ctx *c, const struct ml_vmas *v)
{
	const struct ml_options *o = c->o;
	uint64_t sum[ML_VMA_NR] = { 0 }, gate = 0, st[3] = { 0 };
	char a[32], b[32], p[32], s[32];
	size_t i;
	int k;
	bool same;

	for (i = 0; i < v->n; i++) {
		for (k = 0; k < ML_VMA_NR; k++)
			sum[k] += v->rows[i].bytes[k];
		if (!strcmp(ml_vma_name(v, &v->rows[i]), "[vsyscall]"))
			gate += v->rows[i].bytes[ML_VMA_SIZE];
	}
	size_str(o, sum[ML_VMA_SIZE], a);
	size_str(o, sum[ML_VMA_RSS], b);
	size_str(o, sum[ML_VMA_PSS], p);
	size_str(o, sum[ML_VMA_SWAP], s);
	printf("Total: %zu region%s, VSZ %s, RSS %s, PSS %s, SWAP %s: the sums over %s/%ld/smaps\n",
	       v->n, v->n == 1 ? "" : "s", a, b, p, s, o->proc, c->pid);
	if (!status_bytes(c, st))
		return;
	printf("%s/%ld/status", o->proc, c->pid);
	same = compare(o, ": ", "VmSize", st[0], sum[ML_VMA_SIZE] - gate);
	same = compare(o, ", ", "VmRSS", st[1], sum[ML_VMA_RSS]) && same;
	size_str(o, st[2], s);
	printf(", VmSwap %s", s);
	if (same)
		printf(": VmSize and VmRSS equal the sums");
	if (gate)
		printf("%s[vsyscall] is not in VmSize", same ? "; " : ": ");
	if (!same)
		printf("; the process changed between the reads, or the kernel is older than "
		       "6.2 (its RSS counters lag by up to 64 pages a thread)");
	putchar('\n');
}

static int map_print(struct map_ctx *c, const struct ml_vmas *now, const struct ml_vmas *before)
{
	const struct ml_options *o = c->o;
	struct ml_table t;
	size_t i;
	int ret;

	c->scale = 0;
	for (i = 0; i < now->n; i++)
		if (now->rows[i].end - now->rows[i].start > c->scale)
			c->scale = now->rows[i].end - now->rows[i].start;
	if (ml_table_init(&t, o, "map", ml_map_columns(c->watch, c->human), MP_NCOLS))
		return -1;
	map_lines(&t, c, now, before);
	ret = ml_table_print(&t, o, o->top);
	ml_table_free(&t);
	if (!ret && c->human && !o->noheadings)
		map_total(c, now);
	return ret;
}

static long map_pid(const struct ml_options *o)
{
	char *end;
	long pid;

	if (o->npaths != 1)
		errx(ML_EXIT_FAIL, "%s: memlens map PID", o->npaths ? "one pid only" :
		     "no pid given");
	errno = 0;
	pid = strtol(o->paths[0], &end, 10);
	if (errno || end == o->paths[0] || *end || pid <= 0 || pid > INT_MAX)
		errx(ML_EXIT_FAIL, "invalid pid: '%s'", o->paths[0]);
	return pid;
}

static void map_sleep(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int ml_cmd_map(const struct ml_options *o)
{
	struct map_ctx c = { .o = o, .watch = o->watch > 0, .human = !o->json && !o->raw };
	struct ml_options mo = *o;
	struct ml_vmas now, before = { 0 };
	long n;

	/* options map does not take were refused by main() */
	if (!mo.proc)
		mo.proc = MAP_PROC;
	c.o = &mo;
	c.pid = map_pid(o);
	for (n = 0; ; n++) {
		if (load(&c, &now, n > 0)) {
			warnx("process %ld exited", c.pid);
			break;
		}
		if (!n)
			find_exe(&c, &now);
		if (n && c.human)
			putchar('\n');
		if (map_print(&c, &now, n ? &before : NULL)) {
			ml_vmas_free(&now);
			ml_vmas_free(&before);
			return ML_EXIT_FAIL;
		}
		fflush(stdout);
		ml_vmas_free(&before);
		before = now;
		if (!c.watch || (o->count && n + 1 >= o->count))
			break;
		map_sleep(o->watch);
	}
	ml_vmas_free(&before);
	return ML_EXIT_OK;
}
