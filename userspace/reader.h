/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memlens reader: shared declarations.
 */
#ifndef MEMLENS_READER_H
#define MEMLENS_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "uapi/memlens.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#ifndef MEMLENS_VERSION
#define MEMLENS_VERSION "unknown"	/* the Makefile defines it from VERSION */
#endif

#define ML_EXIT_OK	0
#define ML_EXIT_FAIL	1

/* Where a parse failed: "processes:3: expected 20 fields, found 7". */
struct ml_error {
	char file[32];
	unsigned int line;
	char msg[160];
};

/* parse.c: the debugfs files, parsed; no I/O, so the fuzzer can drive it. */
struct ml_proc {
	uint64_t val[MEMLENS_PROC_NR_NUMERIC];	/* sizes in bytes; ids, counts */
	char comm[32];				/* unescaped: 15 bytes and a NUL from the kernel */
};

struct ml_procs {
	struct ml_proc *rows;
	size_t n;
	bool has_cgroup;	/* the cgroup column: not from a module older than it */
};

struct ml_system {
	uint64_t val[MEMLENS_SYS_NR_KEYS];	/* sizes in bytes; counts */
	bool present[MEMLENS_SYS_NR_KEYS];
	bool unavailable[MEMLENS_SYS_NR_KEYS];
};

struct ml_slab {
	char name[256];				/* unescaped */
	uint64_t val[MEMLENS_SLAB_NR_NUMERIC];	/* sizes in bytes; counts */
};

struct ml_slabs {
	struct ml_slab *rows;
	size_t n;
	char unsupported[256];	/* the reason, when the view is unsupported */
};

/*
 * A row of the files, mapped, dirs or cgroup_files view.  fstype and path
 * are offsets into the table's strings, unescaped; val[] holds the numeric
 * columns by their index in the view (enum memlens_files_column; for dirs,
 * enum memlens_dirs_column; for cgroup_files, enum
 * memlens_cgroup_files_column), the sizes in bytes.
 */
#define ML_MAX(a, b)	((int)(a) > (int)(b) ? (int)(a) : (int)(b))
#define ML_FILE_NVAL	ML_MAX(ML_MAX(MEMLENS_FILES_NR_COLUMNS, MEMLENS_DIRS_NR_COLUMNS),	\
			       MEMLENS_CGROUP_FILES_NR_COLUMNS)
struct ml_file {
	uint64_t val[ML_FILE_NVAL];
	unsigned int major, minor;
	size_t fstype, path;
};

/*
 * A superblock's total row: its numbers over every inode walked, those
 * whose rows were left out too; by enum memlens_files_total_column.
 */
struct ml_files_total {
	uint64_t val[MEMLENS_FILES_TOTAL_NR_COLUMNS];
	unsigned int major, minor;
	size_t fstype;
};

struct ml_files {
	struct ml_file *rows;
	size_t n;
	char *strings;
	struct ml_files_total *totals;	/* none from a module older than them */
	size_t ntotals;
	/* the rows of below_rows files with less than below_size cached are not listed */
	bool below;
	uint64_t below_size, below_rows;
	bool truncated;		/* the module ran out of memory: rows are missing */
	char unsupported[256];
};

static inline const char *ml_file_path(const struct ml_files *f, const struct ml_file *r)
{
	return f->strings + r->path;
}

static inline const char *ml_file_fstype(const struct ml_files *f, const struct ml_file *r)
{
	return f->strings + r->fstype;
}

/*
 * A row of the pss view, its sizes in bytes.  A number the module did not
 * know (MEMLENS_BLANK) has its bit in blank and is 0 in val[].
 */
enum ml_pss_status { ML_PSS_OK, ML_PSS_BUSY, ML_PSS_PARTIAL, ML_PSS_OTHER };

struct ml_pss_row {
	uint64_t val[MEMLENS_PSS_NR_NUMERIC];
	uint32_t blank;				/* bit i: val[i] is MEMLENS_BLANK */
	enum ml_pss_status status;		/* ML_PSS_OTHER: a word added later */
	char comm[32];				/* unescaped */
};

struct ml_pss {
	struct ml_pss_row *rows;
	size_t n;
};

/*
 * The pages view: a row per node and class, sizes in bytes.  cls indexes
 * the classes: uapi's (enum memlens_page_class) first, then any class a
 * newer module appends, named in later[] in the order first met.
 */
#define ML_PAGES_MAX_LATER	16
#define ML_PAGES_MAX_CLASSES	(MEMLENS_NR_PAGE_CLASSES + ML_PAGES_MAX_LATER)

struct ml_page_row {
	uint64_t val[MEMLENS_PAGES_NR_NUMERIC];
	unsigned int cls;
};

struct ml_pages {
	struct ml_page_row *rows;
	size_t n;
	unsigned int nclasses;		/* MEMLENS_NR_PAGE_CLASSES + later ones */
	char later[ML_PAGES_MAX_LATER][32];
	char unsupported[256];		/* the reason, when the view is unsupported */
};

extern const char *const ml_page_class_name[MEMLENS_NR_PAGE_CLASSES];
extern const char *const ml_page_class_help[MEMLENS_NR_PAGE_CLASSES];
const char *ml_pages_class(const struct ml_pages *p, unsigned int cls);
const char *ml_pages_help(const struct ml_pages *p, unsigned int cls);
/* Bytes of class @cls over every node; of every class (present RAM) for -1. */
uint64_t ml_pages_bytes(const struct ml_pages *p, int cls);

/*
 * A row of the cgroups view, its sizes in bytes.  A number the module
 * did not give (MEMLENS_BLANK: no limit, the root's current, a value
 * the kernel lacks) has its bit in blank and is 0 in val[].  parent is
 * the index of its parent's row, -1 for the root; depth, 0 for the root.
 */
enum ml_cgroup_state { ML_CGROUP_ONLINE, ML_CGROUP_DYING, ML_CGROUP_OTHER };

struct ml_cgroup {
	uint64_t val[MEMLENS_CGROUPS_NR_NUMERIC];
	uint64_t blank;				/* bit i: val[i] is MEMLENS_BLANK */
	enum ml_cgroup_state state;		/* ML_CGROUP_OTHER: a word added later */
	long parent;
	unsigned int depth;
	size_t path;				/* offset in the strings, unescaped */
};

struct ml_cgroups {
	struct ml_cgroup *rows;		/* in the file's order: each after its parent */
	size_t n;
	char *strings;
	size_t *by_id;			/* the rows' indexes by ascending id */
	char unsupported[256];		/* the reason, when the view is unsupported */
};

static inline const char *ml_cgroup_path(const struct ml_cgroups *c, const struct ml_cgroup *r)
{
	return c->strings + r->path;
}

static inline bool ml_cgroup_blank(const struct ml_cgroup *r, int col)
{
	return r->blank >> col & 1;
}

/* The row of cgroup @id, NULL if there is none. */
const struct ml_cgroup *ml_cgroup_find(const struct ml_cgroups *c, uint64_t id);

#define ML_MAX_VIEWS 16
struct ml_version {
	char module[64];
	char kernel[128];
	unsigned int nviews;
	struct {
		char name[32];
		char status[256];	/* "available", "partial: ...", "unsupported: ..." */
	} views[ML_MAX_VIEWS];
};

/* The views, from uapi's one list: each one's file, by enum memlens_view_id. */
extern const char *const ml_view_file[MEMLENS_NR_VIEWS];

/* What the version file says of a view. */
enum ml_view_status {
	ML_VIEW_UNLISTED,	/* not there: a module older than the view */
	ML_VIEW_AVAILABLE,
	ML_VIEW_PARTIAL,	/* works but for what the reason says; or a word added later */
	ML_VIEW_UNSUPPORTED,	/* does not work on this kernel, for the reason */
};

enum ml_view_status ml_view_status(const struct ml_version *v, enum memlens_view_id view,
				   const char **reason);

/* Whether a view is there to read: listed and not unsupported. */
static inline bool ml_view_up(const struct ml_version *v, enum memlens_view_id view)
{
	enum ml_view_status s = ml_view_status(v, view, NULL);

	return s == ML_VIEW_AVAILABLE || s == ML_VIEW_PARTIAL;
}

int ml_parse_processes(const char *buf, size_t len, struct ml_procs *out,
		       struct ml_error *err);
int ml_parse_system(const char *buf, size_t len, struct ml_system *out, struct ml_error *err);
/* The most parts a breakdown has: the first range's and the split rest's. */
#define ML_SYS_MAX_PARTS							\
	(MEMLENS_SYS_LAST_PART - MEMLENS_SYS_FIRST_PART + 1 +			\
	 MEMLENS_SYS_LAST_OTHER_PART - MEMLENS_SYS_FIRST_OTHER_PART + 1)
bool ml_system_split(const struct ml_system *s);
int ml_system_parts(const struct ml_system *s, int keys[ML_SYS_MAX_PARTS]);
int ml_parse_slab(const char *buf, size_t len, struct ml_slabs *out, struct ml_error *err);
int ml_parse_version(const char *buf, size_t len, struct ml_version *out,
		     struct ml_error *err);
int ml_parse_files(const char *buf, size_t len, struct ml_files *out, struct ml_error *err);
int ml_parse_dirs(const char *buf, size_t len, struct ml_files *out, struct ml_error *err);
int ml_parse_pss(const char *buf, size_t len, struct ml_pss *out, struct ml_error *err);
int ml_parse_pages(const char *buf, size_t len, struct ml_pages *out, struct ml_error *err);
int ml_parse_cgroups(const char *buf, size_t len, struct ml_cgroups *out, struct ml_error *err);
int ml_parse_cgroup_files(const char *buf, size_t len, struct ml_files *out,
			  struct ml_error *err);
void ml_cgroups_free(struct ml_cgroups *c);
void ml_pages_free(struct ml_pages *p);
void ml_pss_free(struct ml_pss *p);
void ml_procs_free(struct ml_procs *p);
void ml_files_free(struct ml_files *f);
void ml_slabs_free(struct ml_slabs *s);
size_t ml_unescape(const char *in, size_t len, char *out, size_t size);
size_t ml_plain_len(const char *s, size_t len);

extern const struct memlens_column ml_proc_fmt[MEMLENS_PROC_NR_NUMERIC];
extern const struct memlens_column ml_system_fmt[MEMLENS_SYS_NR_KEYS];
extern const struct memlens_column ml_slab_fmt[MEMLENS_SLAB_NR_NUMERIC];
extern const struct memlens_column ml_files_fmt[MEMLENS_FILES_NR_COLUMNS];
extern const struct memlens_column ml_files_total_fmt[MEMLENS_FILES_TOTAL_NR_COLUMNS];
extern const struct memlens_column ml_dirs_fmt[MEMLENS_DIRS_NR_COLUMNS];
extern const struct memlens_column ml_pss_fmt[MEMLENS_PSS_NR_NUMERIC];
extern const struct memlens_column ml_pages_fmt[MEMLENS_PAGES_NR_NUMERIC];
extern const struct memlens_column ml_cgroups_fmt[MEMLENS_CGROUPS_NR_NUMERIC];
extern const struct memlens_column ml_cgroup_files_fmt[MEMLENS_CGROUP_FILES_NR_COLUMNS];

/* source.c: reading the files, with errors a person can act on. */
struct ml_options;
char *ml_read_fd(int fd, size_t cap, size_t *len);
char *ml_read_view(const struct ml_options *o, const char *file, size_t *len);
void ml_load_processes(const struct ml_options *o, struct ml_procs *p);
void ml_load_system(const struct ml_options *o, struct ml_system *s);
void ml_load_slab(const struct ml_options *o, struct ml_slabs *s);
void ml_load_version(const struct ml_options *o, struct ml_version *v);
void __attribute__((noreturn)) ml_view_unsupported(const char *view, const char *reason,
						   const char *others);
int ml_load_files(const struct ml_options *o, struct ml_files *f, bool quiet);
int ml_load_files_from(const struct ml_options *o, const char *file, struct ml_files *f,
		       bool quiet);
int ml_load_pss(const struct ml_options *o, struct ml_pss *p, bool quiet);
int ml_load_pages(const struct ml_options *o, struct ml_pages *p, bool quiet,
		  const char **partial);
int ml_load_cgroups(const struct ml_options *o, struct ml_cgroups *c, bool quiet,
		    const char *others);
int ml_load_cgroup_files(const struct ml_options *o, struct ml_files *f, bool quiet,
			 const char *others);

enum ml_colour { ML_COLOUR_AUTO, ML_COLOUR_ALWAYS, ML_COLOUR_NEVER };

/* Options shared by every command. */
struct ml_options {
	const char *debugfs;		/* --debugfs DIR */
	const char *output;		/* -o COLS */
	bool output_all;		/* --output-all */
	const char *sort;		/* -s [+-]COL */
	bool reverse;			/* --reverse */
	bool noheadings, raw, json, bytes;
	long top;			/* -t N, 0 for all */
	const char *pids;		/* -p LIST, repeats joined by commas */
	const char *comm;		/* -c PATTERNS, likewise */
	const char *user;		/* -u NAMES|UIDS, likewise */
	double watch;			/* -w SECONDS, 0 for once */
	long count;			/* --count N, 0 for forever */
	bool prometheus;		/* --prometheus */
	const char *textfile;		/* --textfile DIR (--prometheus) */
	bool group_by_user;		/* --group-by user (--prometheus) */
	long groups;			/* --groups N (--prometheus) */
	long per_process;		/* --per-process N (--prometheus) */
	uint64_t slab_min;		/* --slab-min SIZE, bytes (--prometheus) */
	long max_series;		/* --max-series N (--prometheus) */
	const char *fstype;		/* --fstype LIST (files, shared) */
	bool deleted, dirty;		/* --deleted, --dirty (files, shared) */
	char **paths;			/* path prefixes (files, shared); the pid (map) */
	int npaths;
	const char *proc;		/* --proc DIR (map), default /proc */
	enum ml_colour colour;		/* --color */
	bool hide_kthreads;		/* memlens ps without -A or a selection */
	bool per_node;			/* --per-node (pages) */
	bool by_dir;			/* --by-dir (files) */
	long depth;			/* its DEPTH, directories below the root */
	bool dying_only;		/* --dying (cgroups) */
	const char **cgroups;		/* --cgroup PATH, each (ps) */
	int ncgroups;
	long cgroups_top;		/* --cgroups N (--prometheus) */
	long files_top;			/* --files [N] (cgroups), 0 without */
	const char *command;		/* "memlens ps", for messages; NULL: "memlens" */
};

/* output.c: sizes, and tables through libsmartcols. */
struct libscols_table;
struct libscols_line;

enum ml_kind { ML_STR, ML_ID, ML_COUNT, ML_SIZE, ML_PERCENT, ML_DELTA };

/*
 * Whether a column is shown: by default, or even when -o leaves it out; or
 * only when -o or -s names it, not with --output-all (it costs a read).
 */
enum ml_shown { ML_HIDE, ML_SHOW, ML_ALWAYS, ML_NAMED };

static inline enum ml_shown ml_shown_if(bool by_default)
{
	return by_default ? ML_SHOW : ML_HIDE;
}

/* A number not known: "-" in a table, null in JSON, last whichever the sort. */
#define ML_NUM_BLANK	INT64_MIN

/* A column the reader can show; src is the index in the parsed row. */
struct ml_col {
	const char *name;
	enum ml_kind kind;
	int src;
	enum ml_shown shown;
	const char *help;
};

#define ML_MAX_COLS 64

struct ml_table {
	struct libscols_table *tb;
	const struct ml_col *cols;
	int ncols;
	int sel[ML_MAX_COLS];	/* selected columns, in output order */
	int nsel;
	int pos[ML_MAX_COLS];	/* where a column is in sel[], -1 if not shown */
	int next[ML_MAX_COLS];	/* where the same column is shown again, or -1 */
	int hidden;		/* sel[] index of a hidden sort column, or -1 */
	bool bytes;		/* -b: sizes in bytes */
	bool sorting;		/* cells carry their numbers for --sort */
	bool human;		/* not -r or -J: "%" after a percentage */
	bool json;		/* -J: a blank number is null */
	/*
	 * A live view (-w): a line with a non-empty cell in column @keep (a
	 * process new or exited) stays past -t; at most @max lines fit the
	 * screen; @screen: each line clears the rest of the screen's line;
	 * @jsonl: members that open the document, printed on one line.
	 */
	int keep;
	long max;
	bool screen;
	const char *jsonl;
	/*
	 * -r without --sort: rows go straight out as they are made, in the
	 * raw format libsmartcols writes, at a fraction of its cost.
	 */
	bool direct;
	bool headed;		/* direct: the header is out */
	long lines, top;	/* direct: lines made, how many to write */
	char (*cells)[256];	/* direct: the current line's cells */
};

void ml_size_str(uint64_t bytes, bool exact, char *buf, size_t len);

/*
 * Before 6.2 each thread keeps up to 64 page events of its RSS to itself:
 * the counters' sum, as /proc's, can fall below what a walk of the page
 * tables finds (the PSS, the files' map counts).  Said, rather than left
 * as a contradiction.
 */
#define ML_RSS_LAG	"RSS counters lag behind its page tables"

static inline bool ml_rss_lags(uint64_t walked, uint64_t counted)
{
	return walked > counted;
}
char *ml_fmt_u64(char *p, uint64_t v);
int ml_table_init(struct ml_table *t, const struct ml_options *o, const char *name,
		  const struct ml_col *cols, int ncols);
/*
 * A line of a table, for ml_table_set(): a libscols line, or none (NULL)
 * when the table is direct and the cells go to t->cells.
 */
struct ml_line {
	struct libscols_line *ln;
};

struct ml_line ml_table_line(struct ml_table *t);
struct ml_line ml_table_child(struct ml_table *t, struct ml_line parent);
void ml_table_tree(struct ml_table *t, int col);
void ml_table_set(struct ml_table *t, struct ml_line line, int col, const char *str,
		  int64_t num);
int ml_table_print(struct ml_table *t, const struct ml_options *o, long top);
void ml_table_free(struct ml_table *t);
struct ml_watch;
void ml_table_watch(struct ml_table *t, const struct ml_watch *w, int keep, long rows);

/* Whether column @col is shown (or carried for sorting). */
static inline bool ml_table_shows(const struct ml_table *t, int col)
{
	return col >= 0 && col < t->ncols && t->pos[col] >= 0;
}
void ml_print_columns(const struct ml_col *cols, int n);
void ml_locale(void);
enum ml_kind ml_kind_of(enum memlens_unit unit);
bool ml_in_list(const char *const *list, size_t n, const char *name);
const char *ml_sort_name(const char *sort);
bool ml_sort_descending(const struct ml_options *o, enum ml_kind kind);

/* watch.c: the live view of -w, on a screen or as a stream of samples. */
struct ml_watch {
	const struct ml_options *o;
	bool screen;		/* redrawn in place on a terminal */
	bool keys;		/* reading keys from it: q quits */
	bool redrawn;		/* the last wait ended for a redraw */
	long sample;		/* 1, 2, ... */
	time_t stamp;		/* when it was taken */
	struct timespec next;	/* when the next is due, on the monotonic clock */
	int rows, cols;		/* the screen's size */
	char json_head[128];	/* "time":"...","sample":N,"interval":S, */
};

enum ml_watch_next { ML_WATCH_NEXT, ML_WATCH_REDRAW, ML_WATCH_QUIT };

void ml_watch_start(struct ml_watch *w, const struct ml_options *o);
void ml_watch_sample(struct ml_watch *w);
void ml_watch_stamp(const struct ml_watch *w);
long ml_watch_header(const struct ml_watch *w, const char *title, const char *status);
enum ml_watch_next ml_watch_wait(struct ml_watch *w);
void ml_watch_end(struct ml_watch *w);

/* The commands. */
int ml_cmd_ps(const struct ml_options *o);
int ml_cmd_mem(const struct ml_options *o);
int ml_cmd_slab(const struct ml_options *o);
int ml_cmd_summary(const struct ml_options *o);
int ml_cmd_version(const struct ml_options *o);
int ml_cmd_files(const struct ml_options *o);
int ml_cmd_shared(const struct ml_options *o);
int ml_cmd_pages(const struct ml_options *o);
int ml_cmd_vmalloc(const struct ml_options *o);
int ml_prometheus(const struct ml_options *o);

/* Each command's columns, for its table and for --list-columns. */
const struct ml_col *ml_ps_columns(bool watch, bool ascii);
int ml_ps_ncols(bool watch);
const struct ml_col *ml_slab_columns(void);
int ml_slab_ncols(void);
const struct ml_col *ml_files_columns(bool shared);
int ml_files_ncols(void);
const struct ml_col *ml_mem_columns(void);
int ml_mem_ncols(void);
const struct ml_col *ml_pages_columns(bool per_node, bool watch, bool human);
int ml_pages_ncols(void);
const struct ml_col *ml_vmalloc_columns(void);
int ml_vmalloc_ncols(void);

/* select.c: -p, -c and -u, for ps, the summary and Prometheus output. */
void ml_select_prepare(const struct ml_options *o);
bool ml_selecting(const struct ml_options *o);
bool ml_proc_selected(const struct ml_options *o, const struct ml_proc *p);
bool ml_procs_whole_system(const struct ml_procs *p);
void ml_select_cgroups(const struct ml_options *o, const struct ml_procs *p,
		       const struct ml_cgroups *c);
bool *ml_cgroups_subtree(const struct ml_options *o, const struct ml_cgroups *c);

/*
 * Kernel threads: kthreadd and its children, which have no mm.  In a pid
 * namespace they are not seen, and pid 2 is a process like any other.
 */
static inline bool ml_proc_kthread(const struct ml_proc *r)
{
	return !r->val[MEMLENS_PROC_VSZ] &&
	       (r->val[MEMLENS_PROC_PID] == 2 || r->val[MEMLENS_PROC_PPID] == 2);
}

/* cgroups.c: memlens cgroups, the memory cgroups as a tree. */
int ml_cmd_cgroups(const struct ml_options *o);
const struct ml_col *ml_cgroups_columns(bool watch, bool human);
int ml_cgroups_ncols(void);
uint64_t ml_cgroup_current(const struct ml_cgroup *r);

/*
 * cgfiles.c: memlens files --cgroup, and the files of memlens cgroups
 * --files.  A file's page cache charged to a group of cgroups: its rows
 * of the cgroup_files view summed; row is its first (the file's dev, ino,
 * fstype and path), top the one of the most cached (its cgroup).
 */
struct ml_cgfile {
	size_t group;		/* the row of the cgroup in the cgroups view; 0 for --cgroup */
	size_t row, top;
	uint64_t cached, dirty, writeback;	/* bytes */
	unsigned int ncgroups;	/* the rows summed: cgroups charged */
};

int ml_cmd_cgroup_files(const struct ml_options *o);
const struct ml_col *ml_cgfiles_columns(void);
int ml_cgfiles_ncols(void);
size_t ml_cgroup_files_of(const struct ml_files *f, const struct ml_cgroups *c,
			  const bool *show, struct ml_cgfile **out);

/* ps.c, shared with the summary and Prometheus output. */
void ml_procs_sort_rss(struct ml_procs *p);
const struct ml_pss_row *ml_pss_find(const struct ml_pss *pss, const struct ml_proc *p);
const char *ml_user_name(uint64_t uid);
unsigned int ml_pmem_tenths(uint64_t rss, uint64_t memtotal);
char *ml_cmdline(const char *proc, uint64_t pid, const char *comm);

/* files.c, shared with the summary, memlens mem and Prometheus output. */
struct ml_file_totals {
	uint64_t files, cached, dirty, mapped, in_rss, shared_files;	/* bytes, counts */
};
void ml_files_totals(const struct ml_files *f, struct ml_file_totals *t);
uint64_t ml_mapped_files(const struct ml_options *o, const struct ml_files *f);
void ml_files_sort(struct ml_files *f, int col);
const char *ml_file_fullpath(const struct ml_files *f, const struct ml_file *r,
			     char *buf, size_t len, bool *mounted);
const char *ml_block_name(unsigned int major, unsigned int minor, char *buf, size_t len);
bool ml_file_is_bdev(const struct ml_files *f, const struct ml_file *r);
bool ml_file_bdev(const struct ml_files *f, const struct ml_file *r, unsigned int *major,
		  unsigned int *minor);
void ml_mountinfo(const char *file);
const char *ml_path_below(const char *path, const char *root);
bool ml_fstype_selected(const char *list, const char *fstype);
void ml_paths_prepare(const struct ml_options *o);

/* dirs.c: memlens files --by-dir, the page cache by directory. */
int ml_cmd_dirs(const struct ml_options *o);
const struct ml_col *ml_dirs_columns(bool watch, bool human);
int ml_dirs_ncols(void);

/*
 * smaps.c: /proc/PID/smaps, parsed; no I/O, so the fuzzer can drive it.
 * The values are bytes (kB in the file), by the keys of ml_vma_keys[].
 */
enum {
	ML_VMA_SIZE, ML_VMA_RSS, ML_VMA_PSS, ML_VMA_SHARED_CLEAN, ML_VMA_SHARED_DIRTY,
	ML_VMA_PRIVATE_CLEAN, ML_VMA_PRIVATE_DIRTY, ML_VMA_ANON, ML_VMA_SWAP, ML_VMA_LOCKED,
	ML_VMA_NR
};
extern const char *const ml_vma_keys[ML_VMA_NR];

struct ml_vma {
	uint64_t start, end, offset, inode;
	uint64_t bytes[ML_VMA_NR];
	unsigned int major, minor;
	char perms[5];
	size_t name;		/* offset in the strings, as the kernel wrote it */
};

struct ml_vmas {
	struct ml_vma *rows;
	size_t n;
	char *strings;
};

static inline const char *ml_vma_name(const struct ml_vmas *v, const struct ml_vma *r)
{
	return v->strings + r->name;
}

int ml_parse_smaps(const char *buf, size_t len, struct ml_vmas *out, struct ml_error *err);
void ml_vmas_free(struct ml_vmas *v);

/* map.c: memlens map PID, one process's address space. */
int ml_cmd_map(const struct ml_options *o);
const struct ml_col *ml_map_columns(bool watch, bool human);
int ml_map_ncols(void);

#endif /* MEMLENS_READER_H */
