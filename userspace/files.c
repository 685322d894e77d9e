// SPDX-License-Identifier: GPL-2.0
/*
 * memlens files: what is in the page cache, file by file, with full paths;
 * memlens shared: the mapped files, each held once in memory but counted
 * in the RSS of every process that maps it.
 *
 * The module gives each inode's path within its filesystem and its
 * superblock's device; the full path comes from the reader's own mount
 * table (/proc/self/mountinfo), as findmnt resolves it.  A file whose
 * superblock has no mount here (a tmpfs unmounted while a process still
 * maps a file on it) keeps its in-filesystem path behind its device.
 */
#include <ctype.h>
#include <err.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <libsmartcols.h>

#include "reader.h"

enum {
	FL_CACHED, FL_DIRTY, FL_WRITEBACK, FL_MAPPED, FL_IN_RSS, FL_EXTRA, FL_PROCS,
	FL_FACTOR, FL_NLINK, FL_DEV, FL_INO, FL_FSTYPE, FL_STATE, FL_PATH, FL_NCOLS
};

/* The view's column behind each numeric table column, -1 for others. */
static const int fl_src[FL_NCOLS] = {
	[FL_CACHED] = MEMLENS_FILES_CACHED, [FL_DIRTY] = MEMLENS_FILES_DIRTY,
	[FL_WRITEBACK] = MEMLENS_FILES_WRITEBACK, [FL_MAPPED] = MEMLENS_FILES_MAPPED,
	[FL_IN_RSS] = MEMLENS_FILES_IN_RSS, [FL_EXTRA] = -1,
	[FL_PROCS] = MEMLENS_FILES_PROCS, [FL_FACTOR] = -1, [FL_NLINK] = MEMLENS_FILES_NLINK,
	[FL_DEV] = -1, [FL_INO] = MEMLENS_FILES_INO, [FL_FSTYPE] = -1, [FL_STATE] = -1,
	[FL_PATH] = -1,
};

static struct ml_col fl_cols[FL_NCOLS];
static char fl_names[FL_NCOLS][16];

static const char *const files_default[] = {
	"CACHED", "DIRTY", "WRITEBACK", "MAPPED", "FSTYPE", "STATE", "PATH",
};
static const char *const shared_default[] = {
	"MAPPED", "IN_RSS", "EXTRA", "PROCS", "FACTOR", "PATH",
};

/* The columns: the view's, upper-cased, then what the reader adds. */
const struct ml_col *ml_files_columns(bool shared)
{
	const char *const *def = shared ? shared_default : files_default;
	size_t n = shared ? ARRAY_SIZE(shared_default) : ARRAY_SIZE(files_default);
	int i;
	size_t j;

	for (i = 0; i < FL_NCOLS; i++) {
		const struct memlens_column *c = fl_src[i] >= 0 ? &ml_files_fmt[fl_src[i]] : NULL;

		fl_cols[i].src = i;
		if (!c)
			continue;
		for (j = 0; j < sizeof(fl_names[i]) - 1 && c->name[j]; j++)
			fl_names[i][j] = toupper((unsigned char)c->name[j]);
		fl_cols[i].name = fl_names[i];
		fl_cols[i].kind = ml_kind_of(c->unit);
		fl_cols[i].help = c->help;
	}
	fl_cols[FL_EXTRA] = (struct ml_col){ "EXTRA", ML_SIZE, FL_EXTRA, ML_HIDE,
		"counted in RSS beyond the one copy held: in_rss - mapped" };
	fl_cols[FL_FACTOR] = (struct ml_col){ "FACTOR", ML_COUNT, FL_FACTOR, ML_HIDE,
		"sharing factor: in_rss / mapped, processes per mapped page" };
	fl_cols[FL_DEV] = (struct ml_col){ "DEV", ML_STR, FL_DEV, ML_HIDE,
		ml_files_fmt[MEMLENS_FILES_DEV].help };
	fl_cols[FL_FSTYPE] = (struct ml_col){ "FSTYPE", ML_STR, FL_FSTYPE, ML_HIDE,
		"filesystem type" };
	fl_cols[FL_STATE] = (struct ml_col){ "STATE", ML_STR, FL_STATE, ML_HIDE,
		"deleted (no links left), unmounted (no mount of it here)" };
	fl_cols[FL_PATH] = (struct ml_col){ "PATH", ML_STR, FL_PATH, ML_HIDE,
		"full path; [MAJOR:MINOR] and the path within the filesystem when not mounted" };
	for (i = 0; i < FL_NCOLS; i++)
		fl_cols[i].shown = ml_shown_if(ml_in_list(def, n, fl_cols[i].name));
	return fl_cols;
}

int ml_files_ncols(void)
{
	return FL_NCOLS;
}

/* The name the module gives a block device's own inode. */
#define BDEV_PREFIX	MEMLENS_FILES_NONAME_PREFIX "block:"

/* The reader's mounts, from /proc/self/mountinfo. */
struct mount {
	unsigned int major, minor;
	char *root, *target;
};

static struct {
	bool ready;
	const char *file;
	struct mount *m;
	size_t n;
} mounts = { .file = "/proc/self/mountinfo" };

/* --mountinfo FILE: another mount table, e.g. a container's /proc/PID/mountinfo. */
void ml_mountinfo(const char *file)
{
	if (file)
		mounts.file = file;
}

/* A mountinfo field: octal escapes as in the module's files; NULL if bad. */
static char *mount_field(const char *s, size_t len)
{
	char *out = malloc(len + 1);

	if (!out)
		err(ML_EXIT_FAIL, "malloc");
	if (ml_unescape(s, len, out, len + 1) == (size_t)-1) {
		free(out);
		return NULL;
	}
	return out;
}

/* The next space-separated field of a line from *@p, its length in *@len. */
static const char *mount_next(const char **p, const char *end, size_t *len)
{
	const char *s = *p, *e = memchr(s, ' ', (size_t)(end - s));

	e = e ? e : end;
	*len = (size_t)(e - s);
	*p = e < end ? e + 1 : end;
	return s;
}

/* "ID PARENT MAJOR:MINOR ROOT TARGET ...", the line without its newline. */
static void mounts_add(const char *line, const char *end)
{
	const char *dev, *root, *target;
	struct mount m = { 0 };
	size_t len, rlen, tlen;
	unsigned long v[2];
	char *e;

	mount_next(&line, end, &len);
	mount_next(&line, end, &len);
	dev = mount_next(&line, end, &len);
	root = mount_next(&line, end, &rlen);
	target = mount_next(&line, end, &tlen);
	if (!rlen || !tlen)
		return;
	v[0] = strtoul(dev, &e, 10);
	if (e == dev || *e != ':')
		return;
	dev = e + 1;
	v[1] = strtoul(dev, &e, 10);
	if (e == dev || *e != ' ' || v[0] > UINT_MAX || v[1] > UINT_MAX)
		return;
	m.major = (unsigned int)v[0];
	m.minor = (unsigned int)v[1];
	m.root = mount_field(root, rlen);
	m.target = mount_field(target, tlen);
	if (!m.root || !m.target) {
		free(m.root);
		free(m.target);
		return;
	}
	mounts.m = realloc(mounts.m, (mounts.n + 1) * sizeof(*mounts.m));
	if (!mounts.m)
		err(ML_EXIT_FAIL, "realloc");
	mounts.m[mounts.n++] = m;
}

/* Read whole and split by hand: no stdio or scanf for a dozen lines. */
static void mounts_load(void)
{
	char *buf, *line, *nl, *end;
	size_t len;
	int fd;

	if (mounts.ready)
		return;
	mounts.ready = true;
	fd = open(mounts.file, O_RDONLY | O_CLOEXEC);
	buf = fd < 0 ? NULL : ml_read_fd(fd, 1 << 14, &len);
	if (!buf)
		err(ML_EXIT_FAIL, "%s", mounts.file);
	for (line = buf, end = buf + len; line < end; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (!nl)
			nl = end;
		mounts_add(line, nl);
	}
	free(buf);
}

/**
 * ml_path_below() - what is left of a path below a root, component-wise
 * @path: the path
 * @root: the root
 *
 * Return: the rest of @path ("" for the root itself), or NULL if @path is
 * not @root or below it.
 */
const char *ml_path_below(const char *path, const char *root)
{
	size_t n = strlen(root);

	while (n > 1 && root[n - 1] == '/')
		n--;
	if (n == 1 && root[0] == '/')
		return path;
	if (strncmp(path, root, n) != 0 || (path[n] && path[n] != '/'))
		return NULL;
	return path + n;
}

/*
 * The mount that shows @path of device @major:@minor: the one whose root
 * is the deepest prefix of it (a bind mount of a subdirectory shows its
 * files under a shorter path); the first such in mount order.  Rows come
 * a superblock at a time: the device's mounts are found once for its rows.
 */
static const struct mount *mount_of(unsigned int major, unsigned int minor, const char *path)
{
	static struct {
		bool valid;
		unsigned int major, minor;
		size_t first, count;	/* where its mounts are, how many */
	} dev;
	const struct mount *best = NULL;
	size_t i, depth = 0;

	mounts_load();
	if (!dev.valid || dev.major != major || dev.minor != minor) {
		dev.valid = true;
		dev.major = major;
		dev.minor = minor;
		dev.count = 0;
		for (i = 0; i < mounts.n; i++) {
			if (mounts.m[i].major != major || mounts.m[i].minor != minor)
				continue;
			if (!dev.count++)
				dev.first = i;
		}
	}
	/* one mount of the device: the usual case, nothing to compare */
	if (dev.count == 1)
		return ml_path_below(path, mounts.m[dev.first].root) ? &mounts.m[dev.first] : NULL;
	for (i = dev.count ? dev.first : mounts.n; i < mounts.n; i++) {
		const struct mount *m = &mounts.m[i];
		const char *rest;

		if (m->major != major || m->minor != minor)
			continue;
		rest = ml_path_below(path, m->root);
		/* the deeper the root, the less of the path is left */
		if (rest && (!best || (size_t)(rest - path) + 1 > depth)) {
			best = m;
			depth = rest - path + 1;
		}
	}
	return best;
}

/**
 * ml_block_name() - a block device's name, as /dev shows it
 * @major: its major
 * @minor: its minor
 * @buf: for the name
 * @len: size of @buf
 *
 * Return: "/dev/NAME" from sysfs's uevent, or the module's "<block:MAJOR:MINOR>".
 */
const char *ml_block_name(unsigned int major, unsigned int minor, char *buf, size_t len)
{
	char path[64], line[256];
	FILE *f;

	snprintf(buf, len, BDEV_PREFIX "%u:%u>", major, minor);
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/uevent", major, minor);
	f = fopen(path, "re");
	if (!f)
		return buf;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "DEVNAME=", 8) != 0)
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(buf, len, "/dev/%s", line + 8);
		break;
	}
	fclose(f);
	return buf;
}

bool ml_file_is_bdev(const struct ml_files *f, const struct ml_file *r)
{
	return !strncmp(ml_file_path(f, r), BDEV_PREFIX, strlen(BDEV_PREFIX));
}

/*
 * A block device's own inode: the row's dev is the bdev pseudo
 * filesystem's, the device itself is in the name, "<block:MAJOR:MINOR>".
 */
bool ml_file_bdev(const struct ml_files *f, const struct ml_file *r, unsigned int *major,
		  unsigned int *minor)
{
	return ml_file_is_bdev(f, r) &&
	       sscanf(ml_file_path(f, r) + strlen(BDEV_PREFIX), "%u:%u", major, minor) == 2;
}

/* SysV shared memory: "/SYSV" and the key, on the kernel's own shm mount. */
static bool is_sysv(const struct ml_files *f, const struct ml_file *r)
{
	const char *p = ml_file_path(f, r);

	return !strncmp(p, "/SYSV", 5) && strlen(p) == 13 &&
	       strspn(p + 5, "0123456789abcdef") == 8;
}

/**
 * ml_file_fullpath() - the path a person would use for a row
 * @f: the rows
 * @r: the row
 * @buf: for the path
 * @len: size of @buf
 * @mounted: set to false when the file's filesystem has no mount here
 *
 * Return: @buf, or the row's own path when it needs no change.
 */
const char *ml_file_fullpath(const struct ml_files *f, const struct ml_file *r,
			     char *buf, size_t len, bool *mounted)
{
	const char *p = ml_file_path(f, r), *rest, *target;
	const struct mount *m;
	unsigned int major, minor;
	size_t tlen, rlen;

	*mounted = true;
	if (ml_file_bdev(f, r, &major, &minor))
		return ml_block_name(major, minor, buf, len);
	/* memfd:NAME, <unnamed>, SysV shm: names, not paths of a mount */
	if (p[0] != '/' || is_sysv(f, r))
		return p;
	m = mount_of(r->major, r->minor, p);
	if (!m) {
		*mounted = false;
		snprintf(buf, len, "[%u:%u]%s", r->major, r->minor, p);
		return buf;
	}
	rest = ml_path_below(p, m->root);
	target = strcmp(m->target, "/") ? m->target : "";
	if (!*rest && !*target)
		rest = "/";
	/* not snprintf(): this is most of what a row of a hundred thousand costs */
	tlen = strlen(target);
	rlen = strlen(rest);
	if (tlen + rlen >= len)
		rlen = tlen >= len ? 0 : len - 1 - tlen;
	if (tlen >= len)
		tlen = len - 1;
	memcpy(buf, target, tlen);
	memcpy(buf + tlen, rest, rlen);
	buf[tlen + rlen] = '\0';
	return buf;
}

/* Add row @r to the totals @t. */
static void totals_add(struct ml_file_totals *t, const struct ml_file *r)
{
	const uint64_t *v = r->val;

	t->files++;
	t->cached += v[MEMLENS_FILES_CACHED];
	t->dirty += v[MEMLENS_FILES_DIRTY] + v[MEMLENS_FILES_WRITEBACK];
	t->mapped += v[MEMLENS_FILES_MAPPED];
	t->in_rss += v[MEMLENS_FILES_IN_RSS];
	t->shared_files += v[MEMLENS_FILES_PROCS] > 0;
}

/* The sum of the total rows, every superblock's, into @t. */
static void totals_of_rows(const struct ml_files *f, struct ml_file_totals *t)
{
	size_t i;

	for (i = 0; i < f->ntotals; i++) {
		const uint64_t *v = f->totals[i].val;

		t->files += v[MEMLENS_FILES_TOTAL_FILES];
		t->cached += v[MEMLENS_FILES_TOTAL_CACHED];
		t->dirty += v[MEMLENS_FILES_TOTAL_DIRTY] + v[MEMLENS_FILES_TOTAL_WRITEBACK];
		t->mapped += v[MEMLENS_FILES_TOTAL_MAPPED];
		t->in_rss += v[MEMLENS_FILES_TOTAL_IN_RSS];
	}
}

/**
 * ml_files_totals() - the totals of every file of a files or mapped view
 * @f: the view
 * @t: its totals
 *
 * From the total rows, which count the files whose rows were left out; from
 * the rows with a module older than them.  shared_files counts the rows of
 * files some process maps: with a below line, ml_mapped_files() has them all.
 */
void ml_files_totals(const struct ml_files *f, struct ml_file_totals *t)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < f->n; i++)
		totals_add(t, &f->rows[i]);
	if (!f->ntotals)
		return;
	i = t->shared_files;
	memset(t, 0, sizeof(*t));
	totals_of_rows(f, t);
	t->shared_files = i;
}

/**
 * ml_mapped_files() - how many files some process maps
 * @o: options, for the directory
 * @f: the files view
 *
 * Its rows with processes, when it lists every file; else the mapped
 * view's total rows, which count them all.
 *
 * Return: that number, a lower bound with an older module whose rows
 * were cut.
 */
uint64_t ml_mapped_files(const struct ml_options *o, const struct ml_files *f)
{
	struct ml_file_totals t;
	struct ml_files m;

	ml_files_totals(f, &t);
	if (!f->below || ml_load_files_from(o, MEMLENS_FILE_MAPPED, &m, true))
		return t.shared_files;
	if (m.ntotals) {
		ml_files_totals(&m, &t);
		t.shared_files = t.files;
	}
	ml_files_free(&m);
	return t.shared_files;
}

/* The number a row sorts by in table column @col, a numeric one. */
static int64_t sort_key(const struct ml_file *r, int col)
{
	const uint64_t *v = r->val;

	switch (col) {
	case FL_EXTRA:
		return (int64_t)(v[MEMLENS_FILES_IN_RSS] - v[MEMLENS_FILES_MAPPED]);
	case FL_FACTOR:
		return v[MEMLENS_FILES_MAPPED] ?
		       (int64_t)(v[MEMLENS_FILES_IN_RSS] * 1000 / v[MEMLENS_FILES_MAPPED]) : 0;
	default:
		return (int64_t)v[fl_src[col]];
	}
}

static int key_col;
static bool key_desc;

static int cmp_key(const void *a, const void *b)
{
	int64_t x = sort_key(a, key_col), y = sort_key(b, key_col);
	int r = x < y ? -1 : x > y;

	return key_desc ? -r : r;
}

/* Sort by table column @col, a numeric one, largest first if @desc. */
static void files_sort_col(struct ml_files *f, int col, bool desc)
{
	key_col = col;
	key_desc = desc;
	qsort(f->rows, f->n, sizeof(*f->rows), cmp_key);
}

/* Largest first by the view's column @col, a size or a count. */
void ml_files_sort(struct ml_files *f, int col)
{
	int i;

	for (i = 0; i < FL_NCOLS; i++)
		if (fl_src[i] == col)
			files_sort_col(f, i, true);
}

/* --fstype LIST: whether @fstype is in it. */
bool ml_fstype_selected(const char *list, const char *fstype)
{
	size_t n = strlen(fstype);
	const char *p, *end;

	for (p = list; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ',');
		if ((size_t)(end - p) == n && !strncmp(p, fstype, n))
			return true;
	}
	return false;
}

/*
 * The path prefixes, made absolute: "." is the cwd.  A path that does not
 * exist is an error, as for fincore; one that realpath() cannot resolve (a
 * dangling symlink) stays as given.
 */
void ml_paths_prepare(const struct ml_options *o)
{
	struct stat st;
	char *real;
	int i;

	for (i = 0; i < o->npaths; i++) {
		if (lstat(o->paths[i], &st))
			err(ML_EXIT_FAIL, "%s", o->paths[i]);
		real = realpath(o->paths[i], NULL);
		if (real)
			o->paths[i] = real;	/* freed at exit */
	}
}

static bool path_selected(const struct ml_options *o, const char *path)
{
	int i;

	if (!o->npaths)
		return true;
	for (i = 0; i < o->npaths; i++)
		if (ml_path_below(path, o->paths[i]))
			return true;
	return false;
}

/* --fstype, --deleted and --dirty; the path prefixes are path_selected()'s. */
static bool file_selected(const struct ml_options *o, const struct ml_files *f,
			  const struct ml_file *r)
{
	const uint64_t *v = r->val;

	if (o->fstype && !ml_fstype_selected(o->fstype, ml_file_fstype(f, r)))
		return false;
	if (o->deleted && v[MEMLENS_FILES_NLINK])
		return false;
	return !o->dirty || v[MEMLENS_FILES_DIRTY] || v[MEMLENS_FILES_WRITEBACK];
}

static void set_state(struct ml_table *t, struct ml_line ln, const struct ml_file *r,
		      bool mounted, const struct ml_files *f)
{
	bool deleted = !r->val[MEMLENS_FILES_NLINK] && !ml_file_is_bdev(f, r);
	const char *state = deleted ? (mounted ? "deleted" : "deleted,unmounted") :
				      (mounted ? "" : "unmounted");

	ml_table_set(t, ln, FL_STATE, state, 0);
}

/* The sharing factor with one decimal: 40 processes mapping a page is 40.0. */
static void set_factor(struct ml_table *t, struct ml_line ln, const uint64_t *v)
{
	uint64_t tenths = v[MEMLENS_FILES_MAPPED] ?
			  (v[MEMLENS_FILES_IN_RSS] * 10 + v[MEMLENS_FILES_MAPPED] / 2) /
			  v[MEMLENS_FILES_MAPPED] : 0;
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu.%llu", (unsigned long long)(tenths / 10),
		 (unsigned long long)(tenths % 10));
	ml_table_set(t, ln, FL_FACTOR, buf, (int64_t)tenths);
}

/* "MAJOR:MINOR", made once for the rows of each superblock. */
static const char *dev_str(const struct ml_file *r)
{
	static char buf[24] = "";
	static unsigned int major, minor;

	if (!buf[0] || r->major != major || r->minor != minor) {
		major = r->major;
		minor = r->minor;
		snprintf(buf, sizeof(buf), "%u:%u", major, minor);
	}
	return buf;
}

static void file_line(struct ml_table *t, const struct ml_files *f, const struct ml_file *r,
		      const char *path, bool mounted)
{
	struct ml_line ln = ml_table_line(t);
	const uint64_t *v = r->val;
	int i;

	for (i = 0; i < FL_NCOLS; i++) {
		int src = fl_src[i];

		if (src < 0 || !ml_table_shows(t, i))
			continue;
		ml_table_set(t, ln, i, NULL, (int64_t)v[src]);
	}
	ml_table_set(t, ln, FL_EXTRA, NULL,
		     (int64_t)(v[MEMLENS_FILES_IN_RSS] - v[MEMLENS_FILES_MAPPED]));
	if (ml_table_shows(t, FL_FACTOR))
		set_factor(t, ln, v);
	if (ml_table_shows(t, FL_DEV))
		ml_table_set(t, ln, FL_DEV, dev_str(r), 0);
	ml_table_set(t, ln, FL_FSTYPE, ml_file_fstype(f, r), 0);
	set_state(t, ln, r, mounted, f);
	ml_table_set(t, ln, FL_PATH, path, 0);
}

/*
 * The rows @o selects, into @t, the first @limit of them (0: all); the
 * totals of them all into @sum.
 */
static long files_lines(struct ml_table *t, const struct ml_options *o,
			const struct ml_files *f, bool shared, long limit,
			struct ml_file_totals *sum)
{
	char buf[PATH_MAX + 64];
	const char *path;
	bool mounted, past;
	long lines = 0;
	size_t i;

	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < f->n; i++) {
		const struct ml_file *r = &f->rows[i];
		const uint64_t *v = r->val;

		if (shared && !v[MEMLENS_FILES_PROCS] && !v[MEMLENS_FILES_MAPPED])
			continue;
		if (!file_selected(o, f, r))
			continue;
		/* past the limit a row counts only in the total: its path only selects it */
		past = limit && lines >= limit;
		if (past && !o->npaths) {
			totals_add(sum, r);
			continue;
		}
		/* the path last: it is the dearest to make */
		path = ml_file_fullpath(f, r, buf, sizeof(buf), &mounted);
		if (!path_selected(o, path))
			continue;
		if (!past) {
			file_line(t, f, r, path, mounted);
			lines++;
		}
		totals_add(sum, r);
	}
	return lines;
}

/* The total line, for people: not in JSON, raw or headless output. */
static bool want_total(const struct ml_options *o)
{
	return !o->json && !o->raw && !o->noheadings;
}

static void files_total(const struct ml_options *o, const struct ml_file_totals *s)
{
	char c[32], d[32], m[32];

	ml_size_str(s->cached, o->bytes, c, sizeof(c));
	ml_size_str(s->dirty, o->bytes, d, sizeof(d));
	ml_size_str(s->mapped, o->bytes, m, sizeof(m));
	printf("Total: %llu file%s, %s cached, %s dirty or under writeback, %s mapped\n",
	       (unsigned long long)s->files, s->files == 1 ? "" : "s", c, d, m);
}

/*
 * The total of memlens shared.  A page's mappings are counted by every
 * process of every pid namespace: their excess is compared with the RSS
 * sum only when the reader sees every process (the processes file and the
 * system's ProcessRssSum are of the reader's pid namespace), and otherwise
 * said to be system-wide.  Anon pages shared copy-on-write after fork are
 * in no file: the summary's RSS - PSS has them too, and is larger.
 */
static void shared_total(const struct ml_options *o, const struct ml_file_totals *s)
{
	char held[32], rss[32], extra[32], sum[32];
	struct ml_procs procs;
	struct ml_system sys;
	uint64_t all;
	bool whole;

	ml_load_processes(o, &procs);
	whole = ml_procs_whole_system(&procs);
	ml_procs_free(&procs);
	ml_size_str(s->mapped, o->bytes, held, sizeof(held));
	ml_size_str(s->in_rss, o->bytes, rss, sizeof(rss));
	ml_size_str(s->in_rss - s->mapped, o->bytes, extra, sizeof(extra));
	if (!whole) {
		printf("Total: %llu file%s, %s held once, counted %s in the RSS of every process:\n"
		       "%s of it is file and shmem pages counted again.\n"
		       "System-wide: every process of every pid namespace, not only this one's.\n",
		       (unsigned long long)s->files, s->files == 1 ? "" : "s", held, rss, extra);
		return;
	}
	ml_load_system(o, &sys);
	all = sys.val[MEMLENS_SYS_PROCESSRSSSUM];
	ml_size_str(all, o->bytes, sum, sizeof(sum));
	if (ml_rss_lags(s->in_rss - s->mapped, all)) {
		printf("Total: %llu file%s, %s held once, counted %s in the processes' RSS:\n"
		       "%s is file and shmem pages counted again, more than their RSS sum of %s:\n"
		       "this kernel's " ML_RSS_LAG ".\n",
		       (unsigned long long)s->files, s->files == 1 ? "" : "s", held, rss, extra,
		       sum);
		return;
	}
	printf("Total: %llu file%s, %s held once, counted %s in the processes' RSS:\n"
	       "%s of their RSS sum of %s (%.1f%%) is file and shmem pages counted again\n"
	       "(anon pages shared after fork, in no file, are in the summary's RSS - PSS).\n",
	       (unsigned long long)s->files, s->files == 1 ? "" : "s", held, rss, extra, sum,
	       all ? 100.0 * (double)(s->in_rss - s->mapped) / (double)all : 0.0);
}

/*
 * Sort by a numeric column here, not through libsmartcols: a table of a
 * hundred thousand files sorts in a fraction of the time, and raw output
 * can then skip the table altogether.  False for a string column.
 */
static bool files_presort(struct ml_files *f, const struct ml_options *o)
{
	int i;

	for (i = 0; i < FL_NCOLS; i++)
		if (!strcasecmp(fl_cols[i].name, ml_sort_name(o->sort)))
			break;
	if (i == FL_NCOLS || (fl_src[i] < 0 && i != FL_EXTRA && i != FL_FACTOR))
		return false;
	files_sort_col(f, i, ml_sort_descending(o, fl_cols[i].kind));
	return true;
}

/* Whether @o narrows the rows: the total is then the sum of those it selects. */
static bool files_selecting(const struct ml_options *o)
{
	return o->npaths || o->fstype || o->deleted || o->dirty;
}

/*
 * The rows the module left out, all with less cached than any listed (its
 * below line): said under the total for people; on stderr for programs,
 * unless the rows shown are the -t largest by cached, which it never
 * leaves out.
 */
static void files_below(const struct ml_options *o, const struct ml_files *f, bool counted,
			bool complete)
{
	unsigned long long n = f->below_rows;
	char size[32];

	if (!f->below)
		return;
	ml_size_str(f->below_size, o->bytes, size, sizeof(size));
	if (want_total(o))
		printf("Files with less than %s cached are not listed (%llu file%s); the total %s.\n",
		       size, n, n == 1 ? "" : "s", counted ? "counts them" : "leaves them out");
	else if (!complete)
		warnx("files with less than %s cached are not listed (%llu file%s)", size, n,
		      n == 1 ? "" : "s");
}

static int files_cmd(const struct ml_options *o, bool shared)
{
	struct ml_options fo = *o;
	struct ml_file_totals sum;
	bool mapped, by_cached, counted;
	struct ml_files f;
	struct ml_table t;
	long lines;
	int ret;

	/* a module with the mapped file does the filtering for shared */
	mapped = shared && !ml_load_files_from(o, MEMLENS_FILE_MAPPED, &f, true);
	if (!mapped)
		ml_load_files(o, &f, false);
	ml_paths_prepare(o);
	if (!fo.sort)
		fo.sort = shared ? "in_rss" : "cached";
	ml_files_columns(shared);
	by_cached = !strcasecmp(ml_sort_name(fo.sort), "cached") &&
		    ml_sort_descending(&fo, ML_SIZE);
	if (files_presort(&f, &fo))
		fo.sort = NULL;
	if (ml_table_init(&t, &fo, MEMLENS_FILE_FILES, fl_cols, FL_NCOLS)) {
		ml_files_free(&f);
		return ML_EXIT_FAIL;
	}
	/* sorted here: the lines past -t need not be made at all */
	lines = files_lines(&t, &fo, &f, shared, fo.sort ? 0 : o->top, &sum);
	ret = ml_table_print(&t, &fo, o->top);
	ml_table_free(&t);
	/* the total rows count every file: of files, or of mapped ones for shared */
	counted = !files_selecting(o) && (!shared || mapped);
	if (counted && f.ntotals) {
		ml_files_totals(&f, &sum);
		if (shared)
			sum.shared_files = sum.files;
	}
	if (!ret && want_total(o)) {
		if (shared)
			shared_total(o, &sum);
		else
			files_total(o, &sum);
	}
	if (!ret)
		files_below(o, &f, counted, by_cached && o->top && lines >= o->top);
	ml_files_free(&f);
	if (ret)
		return ML_EXIT_FAIL;
	/* paths under which nothing is cached: an empty selection, as ps -p's */
	return o->npaths && !sum.files ? ML_EXIT_FAIL : ML_EXIT_OK;
}

int ml_cmd_files(const struct ml_options *o)
{
	if (o->ncgroups)
		return ml_cmd_cgroup_files(o);
	if (o->by_dir)
		return ml_cmd_dirs(o);
	return files_cmd(o, false);
}

int ml_cmd_shared(const struct ml_options *o)
{
	return files_cmd(o, true);
}
