// SPDX-License-Identifier: GPL-2.0
/*
 * memlens files --by-dir [DEPTH]: the page cache by directory, as
 * du -d DEPTH | sort -rh shows disk usage: every directory down to DEPTH
 * below the root (or below each path given) with the sums of all the
 * files under it, largest first; live, with each one's change, with -w.
 *
 * The module's dirs view has a row per directory with cached files
 * directly in it, its path within its filesystem.  The tree is rebuilt
 * here from the full paths, through the reader's mount table as memlens
 * files resolves them: a filesystem mounted below another counts in the
 * directories above its mount point, as du counts it without -x.  Files
 * in no directory (block devices' buffers, memfds, SysV shm) are the one
 * entry MEMLENS_DIRS_NODIR; a filesystem with no mount here is its own
 * tree, "[MAJOR:MINOR]".
 */
#include <err.h>
#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reader.h"

enum { DR_CACHED, DR_DIRTY, DR_WRITEBACK, DR_MAPPED, DR_FILES, DR_OWN, DR_DCACHED, DR_PATH,
       DR_NCOLS };

/* The sums a directory carries: the dirs view's columns behind DR_CACHED..DR_FILES. */
#define DR_NSUMS	(DR_FILES + 1)
static const int dr_src[DR_NSUMS] = {
	[DR_CACHED] = MEMLENS_DIRS_CACHED, [DR_DIRTY] = MEMLENS_DIRS_DIRTY,
	[DR_WRITEBACK] = MEMLENS_DIRS_WRITEBACK, [DR_MAPPED] = MEMLENS_DIRS_MAPPED,
	[DR_FILES] = MEMLENS_DIRS_FILES,
};

static struct ml_col dirs_cols[DR_NCOLS] = {
	{ "CACHED", ML_SIZE, DR_CACHED, ML_SHOW, "page cache of the files in it and below it" },
	{ "DIRTY", ML_SIZE, DR_DIRTY, ML_SHOW, "their dirty pages" },
	{ "WRITEBACK", ML_SIZE, DR_WRITEBACK, ML_SHOW, "their pages under writeback" },
	{ "MAPPED", ML_SIZE, DR_MAPPED, ML_SHOW,
	  "their cached pages mapped by at least one process" },
	{ "FILES", ML_COUNT, DR_FILES, ML_SHOW, "files with pages in the page cache" },
	{ "OWN", ML_SIZE, DR_OWN, ML_HIDE,
	  "page cache of the files directly in it, not in its subdirectories" },
	{ "ΔCACHED", ML_DELTA, DR_DCACHED, ML_HIDE,
	  "change of CACHED since the last sample (--watch)" },
	{ "PATH", ML_STR, DR_PATH, ML_SHOW,
	  "the directory; [MAJOR:MINOR] and its path within the filesystem when not mounted" },
};

/* The columns: the change in a live view, Δ where it shows. */
const struct ml_col *ml_dirs_columns(bool watch, bool human)
{
	bool utf8 = human && !strcmp(nl_langinfo(CODESET), "UTF-8");

	dirs_cols[DR_DCACHED].name = utf8 ? "ΔCACHED" : "DCACHED";
	dirs_cols[DR_DCACHED].shown = watch ? ML_ALWAYS : ML_HIDE;
	return dirs_cols;
}

int ml_dirs_ncols(void)
{
	return DR_NCOLS;
}

/* A directory of the tree: its path in the tree's names, its sums. */
struct dir_node {
	size_t name;
	uint64_t sum[DR_NSUMS];
	uint64_t own;
};

/*
 * The directories shown, found by path through a hash table of open
 * addressing (slots hold a node's index + 1, 0 when free), at most half
 * full.  Its size is the number of directories down to DEPTH, not of files.
 */
struct dir_tree {
	struct dir_node *nodes;
	size_t n, cap;
	char *names;
	size_t used, size;
	size_t *slots;
	size_t nslots;		/* a power of two */
};

/* FNV-1a */
static size_t path_hash(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037ULL;

	while (len--) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

static const char *node_name(const struct dir_tree *t, const struct dir_node *d)
{
	return t->names + d->name;
}

/* The slot of path @s (@len bytes): its node's, or the free one it would take. */
static size_t *tree_slot(const struct dir_tree *t, const char *s, size_t len)
{
	size_t i = path_hash(s, len) & (t->nslots - 1);

	for (;; i = (i + 1) & (t->nslots - 1)) {
		const char *name;

		if (!t->slots[i])
			return &t->slots[i];
		name = node_name(t, &t->nodes[t->slots[i] - 1]);
		if (!strncmp(name, s, len) && !name[len])
			return &t->slots[i];
	}
}

static void tree_rehash(struct dir_tree *t)
{
	size_t i;

	free(t->slots);
	t->nslots = t->nslots ? t->nslots * 2 : 1024;
	t->slots = calloc(t->nslots, sizeof(*t->slots));
	if (!t->slots)
		err(ML_EXIT_FAIL, "calloc");
	for (i = 0; i < t->n; i++) {
		const char *name = node_name(t, &t->nodes[i]);

		*tree_slot(t, name, strlen(name)) = i + 1;
	}
}

/* The node of path @s (@len bytes), made if new. */
static struct dir_node *tree_node(struct dir_tree *t, const char *s, size_t len)
{
	struct dir_node *d;
	size_t *slot;

	if (t->n * 2 >= t->nslots)
		tree_rehash(t);
	slot = tree_slot(t, s, len);
	if (*slot)
		return &t->nodes[*slot - 1];
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->nodes = realloc(t->nodes, t->cap * sizeof(*t->nodes));
		if (!t->nodes)
			err(ML_EXIT_FAIL, "realloc");
	}
	while (t->used + len + 1 > t->size) {
		t->size = t->size ? t->size * 2 : 1 << 16;
		t->names = realloc(t->names, t->size);
		if (!t->names)
			err(ML_EXIT_FAIL, "realloc");
	}
	d = &t->nodes[t->n];
	memset(d, 0, sizeof(*d));
	d->name = t->used;
	memcpy(t->names + t->used, s, len);
	t->names[t->used + len] = '\0';
	t->used += len + 1;
	*slot = ++t->n;
	return d;
}

/* The node of path @s, NULL if the tree has none. */
static const struct dir_node *tree_find(const struct dir_tree *t, const char *s)
{
	size_t *slot;

	if (!t->nslots)
		return NULL;
	slot = tree_slot(t, s, strlen(s));
	return *slot ? &t->nodes[*slot - 1] : NULL;
}

static void tree_free(struct dir_tree *t)
{
	free(t->nodes);
	free(t->names);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

/*
 * The length of the root that @path's tree starts from: a path given
 * (the first it is below), "/", "[MAJOR:MINOR]" for a filesystem with no
 * mount here, or the whole of a name that is no path (MEMLENS_DIRS_NODIR);
 * 0 when @path is below no path given.
 */
static size_t root_len(const struct ml_options *o, const char *path)
{
	const char *end;
	int i;

	for (i = 0; i < o->npaths; i++)
		if (ml_path_below(path, o->paths[i]))
			return strlen(o->paths[i]) - (strlen(o->paths[i]) > 1 &&
						       o->paths[i][strlen(o->paths[i]) - 1] == '/');
	if (o->npaths)
		return 0;
	if (path[0] == '/')
		return 1;
	end = path[0] == '[' ? strchr(path, ']') : NULL;
	return end ? (size_t)(end - path) + 1 : strlen(path);
}

/*
 * A directory's row into the tree: its sums into every directory from its
 * root (the first @root bytes of @path) down to it, or down to @depth
 * below the root, which then sums what is deeper.
 */
static void tree_add(struct dir_tree *t, const char *path, size_t root, const uint64_t *val,
		     long depth)
{
	struct dir_node *d;
	size_t len = root;
	long level = 0;
	int k;

	for (;;) {
		d = tree_node(t, path, len);
		for (k = 0; k < DR_NSUMS; k++)
			d->sum[k] += val[dr_src[k]];
		if (!path[len]) {
			d->own += val[MEMLENS_DIRS_CACHED];
			return;
		}
		if (level++ == depth)
			return;
		len += path[len] == '/';
		len += strcspn(path + len, "/");
	}
}

/* The full path of dirs row @r, in @buf: no trailing slash but for "/". */
static char *dir_path(const struct ml_files *f, const struct ml_file *r, char *buf, size_t size)
{
	const char *p;
	bool mounted;
	size_t n;

	p = ml_file_fullpath(f, r, buf, size, &mounted);
	if (p != buf)
		snprintf(buf, size, "%s", p);
	n = strlen(buf);
	while (n > 1 && buf[n - 1] == '/')
		buf[--n] = '\0';
	return buf;
}

/* A sample: the dirs view, the tree made of it, its nodes largest first. */
struct dir_sample {
	struct ml_files f;
	struct dir_tree tree;
	size_t *order;			/* the nodes' indexes */
	struct ml_file_totals sum;	/* of the rows selected */
	size_t rows;			/* how many */
};

static int cmp_nodes(const void *a, const void *b, void *data)
{
	const struct dir_tree *t = data;
	const struct dir_node *x = &t->nodes[*(const size_t *)a];
	const struct dir_node *y = &t->nodes[*(const size_t *)b];

	if (x->sum[DR_CACHED] != y->sum[DR_CACHED])
		return x->sum[DR_CACHED] < y->sum[DR_CACHED] ? 1 : -1;
	return strcmp(node_name(t, x), node_name(t, y));
}

static void dirs_load(const struct ml_options *o, struct dir_sample *s)
{
	char path[PATH_MAX + 64], *p;
	size_t i, root;

	memset(s, 0, sizeof(*s));
	snprintf(path, sizeof(path), "%s/%s", o->debugfs, MEMLENS_FILE_DIRS);
	if (access(path, F_OK) && errno == ENOENT && !access(o->debugfs, F_OK))
		errx(ML_EXIT_FAIL, "%s: no such file: the memlens module is older than this "
		     "reader, with no dirs view (memlens files works)", path);
	ml_load_files_from(o, MEMLENS_FILE_DIRS, &s->f, false);
	for (i = 0; i < s->f.n; i++) {
		const struct ml_file *r = &s->f.rows[i];
		const uint64_t *v = r->val;

		if (o->fstype && !ml_fstype_selected(o->fstype, ml_file_fstype(&s->f, r)))
			continue;
		p = dir_path(&s->f, r, path, sizeof(path));
		root = root_len(o, p);
		if (!root)
			continue;
		s->rows++;
		s->sum.files += v[MEMLENS_DIRS_FILES];
		s->sum.cached += v[MEMLENS_DIRS_CACHED];
		s->sum.dirty += v[MEMLENS_DIRS_DIRTY] + v[MEMLENS_DIRS_WRITEBACK];
		s->sum.mapped += v[MEMLENS_DIRS_MAPPED];
		tree_add(&s->tree, p, root, v, o->depth);
	}
	s->order = malloc((s->tree.n + 1) * sizeof(*s->order));
	if (!s->order)
		err(ML_EXIT_FAIL, "malloc");
	for (i = 0; i < s->tree.n; i++)
		s->order[i] = i;
	qsort_r(s->order, s->tree.n, sizeof(*s->order), cmp_nodes, &s->tree);
}

static void dirs_sample_free(struct dir_sample *s)
{
	ml_files_free(&s->f);
	tree_free(&s->tree);
	free(s->order);
	s->order = NULL;
}

static void dir_line(struct ml_table *t, const struct dir_sample *s, const struct dir_node *d,
		     const struct dir_sample *before, bool watch)
{
	const char *name = node_name(&s->tree, d);
	struct ml_line ln = ml_table_line(t);
	const struct dir_node *prev;
	int k;

	for (k = 0; k < DR_NSUMS; k++)
		ml_table_set(t, ln, k, NULL, (int64_t)d->sum[k]);
	ml_table_set(t, ln, DR_OWN, NULL, (int64_t)d->own);
	if (watch) {
		prev = before ? tree_find(&before->tree, name) : NULL;
		ml_table_set(t, ln, DR_DCACHED, NULL, prev ?
			     (int64_t)(d->sum[DR_CACHED] - prev->sum[DR_CACHED]) : ML_NUM_BLANK);
	}
	ml_table_set(t, ln, DR_PATH, name, 0);
}

/* Whether @o narrows the directories: the total is then the sum of those it selects. */
static bool dirs_selecting(const struct ml_options *o)
{
	return o->npaths || o->fstype;
}

/* The totals: of every file from the total rows, else of the rows selected. */
static void dirs_totals(const struct ml_options *o, const struct dir_sample *s,
			struct ml_file_totals *sum)
{
	*sum = s->sum;
	if (!dirs_selecting(o) && s->f.ntotals)
		ml_files_totals(&s->f, sum);
}

static void dirs_status(const struct ml_options *o, const struct dir_sample *s, char *buf,
			size_t len)
{
	char c[32], d[32], m[32];
	struct ml_file_totals sum;

	dirs_totals(o, s, &sum);
	ml_size_str(sum.cached, o->bytes, c, sizeof(c));
	ml_size_str(sum.dirty, o->bytes, d, sizeof(d));
	ml_size_str(sum.mapped, o->bytes, m, sizeof(m));
	snprintf(buf, len, "%llu file%s, %s cached, %s dirty or under writeback, %s mapped",
		 (unsigned long long)sum.files, sum.files == 1 ? "" : "s", c, d, m);
}

/*
 * Under the table for people: the total, and the directories the module
 * left out (its below line); for programs, these on stderr.  Any sum may
 * lack some: a directory of many small subdirectories left out can hold
 * more than one listed, whatever -t.
 */
static void dirs_footer(const struct ml_options *o, const struct dir_sample *s)
{
	unsigned long long n = s->f.below_rows;
	bool human = !o->json && !o->raw && !o->noheadings;
	size_t dirs = s->rows + (dirs_selecting(o) ? 0 : n);
	char status[256], size[32];

	if (human) {
		dirs_status(o, s, status, sizeof(status));
		printf("Total: %s, in %zu director%s\n", status, dirs, dirs == 1 ? "y" : "ies");
	}
	if (!s->f.below)
		return;
	ml_size_str(s->f.below_size, o->bytes, size, sizeof(size));
	if (human)
		printf("Directories with less than %s cached directly in them are not listed "
		       "(%llu director%s): the sums above them leave them out, the total %s.\n",
		       size, n, n == 1 ? "y" : "ies",
		       dirs_selecting(o) ? "too" : "counts them");
	else
		warnx("directories with less than %s cached directly in them are not listed "
		      "(%llu director%s)", size, n, n == 1 ? "y" : "ies");
}

static int dirs_print(const struct ml_options *o, struct ml_watch *w, const struct dir_sample *now,
		      const struct dir_sample *before)
{
	bool human = !o->json && !o->raw;
	char status[256];
	struct ml_table t;
	size_t i;
	int ret;

	if (ml_table_init(&t, o, MEMLENS_FILE_DIRS, ml_dirs_columns(w, human), DR_NCOLS))
		return -1;
	if (w) {
		ml_watch_stamp(w);
		dirs_status(o, now, status, sizeof(status));
		ml_table_watch(&t, w, -1, ml_watch_header(w, "memlens files --by-dir", status));
	}
	for (i = 0; i < now->tree.n; i++) {
		/* --reverse without -s: smallest first */
		size_t k = o->reverse && !o->sort ? now->tree.n - 1 - i : i;

		dir_line(&t, now, &now->tree.nodes[now->order[k]], before, w);
	}
	ret = ml_table_print(&t, o, o->top);
	ml_table_free(&t);
	if (!ret && !(w && w->screen))
		dirs_footer(o, now);
	return ret;
}

/**
 * ml_cmd_dirs() - memlens files --by-dir [DEPTH]
 * @o: options; o->depth, the directories' depth below the root
 *
 * Return: the exit status: 1 when the paths given hold nothing cached.
 */
int ml_cmd_dirs(const struct ml_options *o)
{
	struct dir_sample now = { 0 }, before = { 0 };
	enum ml_watch_next next;
	struct ml_watch w;
	struct ml_table t;
	size_t selected;

	/* a bad column is refused before anything is read */
	if (ml_table_init(&t, o, MEMLENS_FILE_DIRS,
			  ml_dirs_columns(o->watch > 0, !o->json && !o->raw), DR_NCOLS))
		return ML_EXIT_FAIL;
	ml_table_free(&t);
	ml_paths_prepare(o);
	if (o->watch <= 0) {
		dirs_load(o, &now);
		if (dirs_print(o, NULL, &now, NULL))
			return ML_EXIT_FAIL;
		selected = now.tree.n;
		dirs_sample_free(&now);
		/* paths under which nothing is cached: an empty selection, as ps -p's */
		return o->npaths && !selected ? ML_EXIT_FAIL : ML_EXIT_OK;
	}
	ml_watch_start(&w, o);
	do {
		dirs_load(o, &now);
		ml_watch_sample(&w);
		do {
			if (dirs_print(o, &w, &now, w.sample > 1 ? &before : NULL))
				exit(ML_EXIT_FAIL);
			next = ml_watch_wait(&w);
		} while (next == ML_WATCH_REDRAW);
		dirs_sample_free(&before);
		before = now;
	} while (next == ML_WATCH_NEXT);
	ml_watch_end(&w);
	dirs_sample_free(&before);
	return ML_EXIT_OK;
}
