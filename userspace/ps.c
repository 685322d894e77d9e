// SPDX-License-Identifier: GPL-2.0
/*
 * memlens ps: the process table, once or as a live view with deltas.
 */
#include <ctype.h>
#include <err.h>
#include <fcntl.h>
#include <langinfo.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libsmartcols.h>

#include "reader.h"

/*
 * The pss file's columns a process table can show, by their index there:
 * its rss and swap are the processes file's own.
 */
static const int pss_src[] = {
	MEMLENS_PSS_PSS, MEMLENS_PSS_PSS_ANON, MEMLENS_PSS_PSS_FILE, MEMLENS_PSS_PSS_SHMEM,
	MEMLENS_PSS_USS, MEMLENS_PSS_SWAP_PSS,
};
#define PS_NPSS	((int)ARRAY_SIZE(pss_src))

/*
 * The table's columns: the file's numbers, with the user's name after the
 * ids, then %mem, the command and its arguments, the pss file's numbers
 * and the row's status there, and, in a live view, the deltas.
 */
enum {
	PS_USER = MEMLENS_PROC_UID,
	PS_PMEM = MEMLENS_PROC_NR_NUMERIC + 1,
	PS_COMM,
	PS_ARGS,
	PS_PSS,
	PS_PSS_STATUS = PS_PSS + PS_NPSS,
	PS_DRSS,
	PS_DSWAP,
	PS_CHANGE,
	PS_NCOLS
};

/* Where the file's column @i is in the table. */
static int ps_col(int i)
{
	return i < PS_USER ? i : i + 1;
}

static struct ml_col ps_cols[PS_NCOLS];
static char ps_names[MEMLENS_PROC_NR_NUMERIC + PS_NPSS][16];

/* "PSS_ANON" from "pss_anon" */
static const char *upper(char *buf, size_t len, const char *name)
{
	size_t j;

	for (j = 0; j < len - 1 && name[j]; j++)
		buf[j] = toupper((unsigned char)name[j]);
	buf[j] = '\0';
	return buf;
}

/* Shown unless -o says otherwise. */
static const char *const ps_default[] = {
	"pid", "user", "vsz", "rss", "anon", "file", "shmem", "swap",
};

/*
 * The table's columns, from the format's own definition (uapi/memlens.h);
 * @ascii: names for programs (-J, -r).
 */
static const struct ml_col *ps_columns(bool watch, bool ascii)
{
	/* Δ for people on a UTF-8 terminal; keys and raw names stay the same everywhere */
	bool utf8 = !ascii && !strcmp(nl_langinfo(CODESET), "UTF-8");
	enum ml_shown always = watch ? ML_ALWAYS : ML_HIDE;
	int i;

	for (i = 0; i < MEMLENS_PROC_NR_NUMERIC; i++) {
		const struct memlens_column *c = &ml_proc_fmt[i];

		ps_cols[ps_col(i)] = (struct ml_col){
			upper(ps_names[i], sizeof(ps_names[i]), c->name), ml_kind_of(c->unit), i,
			ml_shown_if(ml_in_list(ps_default, ARRAY_SIZE(ps_default), c->name)),
			c->help
		};
	}
	/* a walk of every page table: only when asked for by name */
	for (i = 0; i < PS_NPSS; i++) {
		const struct memlens_column *c = &ml_pss_fmt[pss_src[i]];
		char *name = ps_names[MEMLENS_PROC_NR_NUMERIC + i];

		ps_cols[PS_PSS + i] = (struct ml_col){
			upper(name, sizeof(ps_names[0]), c->name), ml_kind_of(c->unit),
			PS_PSS + i, ML_NAMED, c->help
		};
	}
	ps_cols[PS_PSS_STATUS] = (struct ml_col){ "PSS_STATUS", ML_STR, PS_PSS_STATUS, ML_NAMED,
						  MEMLENS_PSS_STATUS_HELP };
	ps_cols[PS_USER] = (struct ml_col){ "USER", ML_STR, PS_USER, ML_SHOW,
					    "effective user name" };
	/* the path, through the cgroups view: a read, only when asked for by name */
	ps_cols[ps_col(MEMLENS_PROC_CGROUP)] = (struct ml_col){
		"CGROUP", ML_STR, MEMLENS_PROC_CGROUP, ML_NAMED,
		"path of the process's memory cgroup (memlens cgroups); - without one"
	};
	ps_cols[PS_COMM] = (struct ml_col){ "COMM", ML_STR, PS_COMM, ML_SHOW,
					    MEMLENS_PROC_COMM_HELP };
	ps_cols[PS_PMEM] = (struct ml_col){ "%MEM", ML_PERCENT, PS_PMEM, ML_HIDE,
					    "rss as a share of MemTotal, as ps's %MEM" };
	ps_cols[PS_ARGS] = (struct ml_col){ "ARGS", ML_STR, PS_ARGS, ML_HIDE,
					    "command line (/proc/PID/cmdline); [comm] if empty" };
	/* what a live view is for: shown whatever -o says */
	ps_cols[PS_DRSS] = (struct ml_col){ utf8 ? "ΔRSS" : "DRSS", ML_DELTA, PS_DRSS, always,
					    "change of rss since the last sample" };
	ps_cols[PS_DSWAP] = (struct ml_col){ utf8 ? "ΔSWAP" : "DSWAP", ML_DELTA, PS_DSWAP, always,
					     "change of swap since the last sample" };
	ps_cols[PS_CHANGE] = (struct ml_col){ "CHANGE", ML_STR, PS_CHANGE, always,
					      "new or exited since the last sample" };
	return ps_cols;
}

int ml_ps_ncols(bool watch)
{
	return watch ? PS_NCOLS : PS_DRSS;
}

const struct ml_col *ml_ps_columns(bool watch, bool ascii)
{
	return ps_columns(watch, ascii);
}

/* A user name, from a small cache: a table has few users and many rows. */
const char *ml_user_name(uint64_t uid)
{
	static struct {
		uint64_t uid;
		char name[64];
	} cache[64];
	static unsigned int n;
	struct passwd *pw;
	unsigned int i, slot;

	for (i = 0; i < n; i++)
		if (cache[i].uid == uid)
			return cache[i].name;
	slot = n < 64 ? n++ : uid % 64;
	cache[slot].uid = uid;
	pw = getpwuid(uid);
	if (pw)
		snprintf(cache[slot].name, sizeof(cache[slot].name), "%s", pw->pw_name);
	else
		snprintf(cache[slot].name, sizeof(cache[slot].name), "%llu",
			 (unsigned long long)uid);
	return cache[slot].name;
}

/**
 * ml_pmem_tenths() - %MEM in tenths of a percent, as procps computes it
 * @rss: resident set size
 * @memtotal: MemTotal, in the same unit
 *
 * Return: rss * 1000 / memtotal, rounded down and at most 999 (99.9%),
 * as ps prints it; 0 without a MemTotal.
 */
unsigned int ml_pmem_tenths(uint64_t rss, uint64_t memtotal)
{
	unsigned __int128 t;

	if (!memtotal)
		return 0;
	t = (unsigned __int128)rss * 1000 / memtotal;
	return t > 999 ? 999 : (unsigned int)t;
}

/**
 * ml_cmdline() - a process's command line, as ps's args shows it
 * @proc: the proc directory (the reader's pid namespace's)
 * @pid: the process
 * @comm: its command name, for an empty command line
 *
 * The arguments are joined by spaces.  A kernel thread, or a process
 * that has exited, has none: "[comm]", as ps shows it.
 *
 * Return: the string, to be freed; NULL when it cannot be read (the
 * process is gone).
 */
char *ml_cmdline(const char *proc, uint64_t pid, const char *comm)
{
	char path[4096], *buf, *p;
	size_t len;
	int fd;

	snprintf(path, sizeof(path), "%s/%llu/cmdline", proc, (unsigned long long)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = ml_read_fd(fd, 4096, &len);
	if (!buf)
		return NULL;
	while (len && !buf[len - 1])
		len--;
	if (!len) {
		free(buf);
		if (asprintf(&buf, "[%s]", comm) < 0)
			err(ML_EXIT_FAIL, "asprintf");
		return buf;
	}
	for (p = buf; p < buf + len; p++)
		if (!*p)
			*p = ' ';
	buf[len] = '\0';
	return buf;
}

/**
 * ml_pss_find() - a process's row of the pss file
 * @pss: the rows, by ascending pid (ml_load_pss())
 * @p: the process
 *
 * The two files are read one after the other: a pid whose command differs
 * between them was reused, or the process exec'ed, between the reads, and
 * the pss row describes other memory.
 *
 * Return: the row, or NULL when the process is not in the file.
 */
const struct ml_pss_row *ml_pss_find(const struct ml_pss *pss, const struct ml_proc *p)
{
	uint64_t pid = p->val[MEMLENS_PROC_PID];
	size_t lo = 0, hi = pss->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (pss->rows[mid].val[MEMLENS_PSS_PID] < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == pss->n || pss->rows[lo].val[MEMLENS_PSS_PID] != pid ||
	    strcmp(pss->rows[lo].comm, p->comm) != 0)
		return NULL;
	return &pss->rows[lo];
}

/* What a table's pss cells hold: blanks, partial numbers. */
struct pss_marks {
	long blank, partial;
};

static const char *pss_word(const struct ml_pss_row *r)
{
	switch (r->status) {
	case ML_PSS_OK:
		return MEMLENS_PSS_OK;
	case ML_PSS_BUSY:
		return MEMLENS_PSS_BUSY;
	case ML_PSS_PARTIAL:
		return MEMLENS_PSS_PARTIAL;
	default:
		return "?";
	}
}

/*
 * A process's pss cells from its row @r: "-" when it has none (not in the
 * file, or busy) or a number is blank; a partial row's numbers are the
 * walk's so far, marked "*" for people.
 */
static void pss_cells(struct ml_table *t, struct ml_line ln,
		      const struct ml_pss_row *r, struct pss_marks *m)
{
	bool none = !r || r->status == ML_PSS_BUSY;
	char buf[64];
	int i;

	for (i = 0; i < PS_NPSS; i++) {
		int64_t v = r ? (int64_t)r->val[pss_src[i]] : 0;

		if (!ml_table_shows(t, PS_PSS + i))
			continue;
		if (none || r->blank & (1u << pss_src[i])) {
			ml_table_set(t, ln, PS_PSS + i, NULL, ML_NUM_BLANK);
		} else if (r->status == ML_PSS_PARTIAL && t->human) {
			ml_size_str(v, t->bytes, buf, sizeof(buf) - 1);
			memcpy(buf + strlen(buf), "*", 2);
			ml_table_set(t, ln, PS_PSS + i, buf, v);
		} else {
			ml_table_set(t, ln, PS_PSS + i, NULL, v);
		}
	}
	if (r)
		ml_table_set(t, ln, PS_PSS_STATUS, pss_word(r), r->status);
	else
		ml_table_set(t, ln, PS_PSS_STATUS, NULL, ML_NUM_BLANK);
	if (m) {
		m->blank += none;
		m->partial += r && r->status == ML_PSS_PARTIAL;
	}
}

/* A sample: the processes, their pss rows when a column needs them, MemTotal. */
struct ps_sample {
	struct ml_procs procs;
	struct ml_pss pss;
	bool has_pss;
	struct ml_cgroups cgroups;
	bool has_cgroups;
	uint64_t memtotal;	/* bytes, for %mem; 0 when not read */
};

/* %mem and args, the cells that need more than the process's row */
static void ps_more(struct ml_table *t, struct ml_line ln, const struct ml_options *o,
		    const struct ml_proc *p, uint64_t memtotal)
{
	unsigned int tenths;
	char buf[16], *args;

	if (ml_table_shows(t, PS_PMEM)) {
		tenths = ml_pmem_tenths(p->val[MEMLENS_PROC_RSS], memtotal);
		snprintf(buf, sizeof(buf), "%u.%u", tenths / 10, tenths % 10);
		ml_table_set(t, ln, PS_PMEM, buf, tenths);
	}
	if (ml_table_shows(t, PS_ARGS)) {
		args = ml_cmdline(o->proc ? o->proc : "/proc", p->val[MEMLENS_PROC_PID], p->comm);
		ml_table_set(t, ln, PS_ARGS, args, args ? 0 : ML_NUM_BLANK);
		free(args);
	}
}

/* A process's cgroup, by its path; "-" without one (a kernel thread), or gone. */
static void ps_cgroup(struct ml_table *t, struct ml_line ln, const struct ps_sample *s,
		      const struct ml_proc *p)
{
	const struct ml_cgroup *c;
	int col = ps_col(MEMLENS_PROC_CGROUP);

	if (!ml_table_shows(t, col))
		return;
	c = p->val[MEMLENS_PROC_CGROUP] ?
	    ml_cgroup_find(&s->cgroups, p->val[MEMLENS_PROC_CGROUP]) : NULL;
	if (c)
		ml_table_set(t, ln, col, ml_cgroup_path(&s->cgroups, c), 0);
	else
		ml_table_set(t, ln, col, NULL, ML_NUM_BLANK);
}

/*
 * One process's line; in a live view, with its changes @drss and @dswap
 * (bytes).  @pss: the pss file read with it, NULL when no column needs it.
 */
static void ps_line(struct ml_table *t, const struct ml_options *o, const struct ml_proc *p,
		    const struct ps_sample *s, struct pss_marks *m,
		    int64_t drss, int64_t dswap, const char *change)
{
	struct ml_line ln = ml_table_line(t);
	int i;

	for (i = 0; i < MEMLENS_PROC_NR_NUMERIC; i++) {
		if (ml_table_shows(t, ps_col(i)) && i != MEMLENS_PROC_CGROUP)
			ml_table_set(t, ln, ps_col(i), NULL, (int64_t)p->val[i]);
	}
	if (s->has_cgroups)
		ps_cgroup(t, ln, s, p);
	if (ml_table_shows(t, PS_USER))
		ml_table_set(t, ln, PS_USER, ml_user_name(p->val[MEMLENS_PROC_UID]), 0);
	ml_table_set(t, ln, PS_COMM, p->comm, 0);
	ps_more(t, ln, o, p, s->memtotal);
	if (s->has_pss)
		pss_cells(t, ln, ml_pss_find(&s->pss, p), m);
	ml_table_set(t, ln, PS_DRSS, NULL, drss);
	ml_table_set(t, ln, PS_DSWAP, NULL, dswap);
	ml_table_set(t, ln, PS_CHANGE, change, 0);
}

/* What a table needs besides the processes file, for its columns. */
struct ps_wants {
	bool pss, memtotal, cgroups;
};

/* Processes first: a process in them but not in pss shows "-", not 0. */
static void ps_load(const struct ml_options *o, struct ps_sample *s, const struct ps_wants *wants)
{
	struct ml_system sys;

	ml_load_processes(o, &s->procs);
	s->has_cgroups = wants->cgroups;
	if (wants->cgroups) {
		ml_load_cgroups(o, &s->cgroups, false,
				"memlens ps works without -o cgroup and --cgroup");
		ml_select_cgroups(o, &s->procs, &s->cgroups);
		if (!s->procs.has_cgroup)
			errx(ML_EXIT_FAIL, "%s/%s has no cgroup column: the memlens module is "
			     "older than this reader", o->debugfs, MEMLENS_FILE_PROCESSES);
	}
	s->has_pss = wants->pss;
	if (wants->pss)
		ml_load_pss(o, &s->pss, false);
	s->memtotal = 0;
	if (wants->memtotal) {
		ml_load_system(o, &sys);
		s->memtotal = sys.val[MEMLENS_SYS_MEMTOTAL];
	}
}

/* Selected, and not a kernel thread memlens ps hides. */
static bool ps_shown(const struct ml_options *o, const struct ml_proc *p)
{
	return ml_proc_selected(o, p) && !(o->hide_kthreads && ml_proc_kthread(p));
}

static void ps_sample_free(struct ps_sample *s)
{
	ml_procs_free(&s->procs);
	if (s->has_pss)
		ml_pss_free(&s->pss);
	if (s->has_cgroups)
		ml_cgroups_free(&s->cgroups);
}

/* What a sample of the live view holds, for the screen's header. */
struct ps_totals {
	long procs, new, exited;
	uint64_t rss, swap;	/* bytes, of the processes there now */
	struct pss_marks marks;
};

/* @p's line, with its change since @prev (NULL: it has none). */
static void ps_delta_line(struct ml_table *t, const struct ml_options *o,
			  const struct ml_proc *p, const struct ml_proc *prev,
			  const struct ps_sample *s, const char *change, struct ps_totals *sum)
{
	int64_t rss = (int64_t)p->val[MEMLENS_PROC_RSS], swap = (int64_t)p->val[MEMLENS_PROC_SWAP];

	if (!ps_shown(o, p))
		return;
	if (!strcmp(change, "exited")) {
		/* its last values; what it held, given back */
		ps_line(t, o, p, s, &sum->marks, -rss, -swap, change);
		sum->exited++;
		return;
	}
	if (prev == p)	/* the first sample: no change to show, not a change of 0 */
		ps_line(t, o, p, s, &sum->marks, ML_NUM_BLANK, ML_NUM_BLANK, change);
	else if (prev)
		ps_line(t, o, p, s, &sum->marks, rss - (int64_t)prev->val[MEMLENS_PROC_RSS],
			swap - (int64_t)prev->val[MEMLENS_PROC_SWAP], change);
	else
		ps_line(t, o, p, s, &sum->marks, rss, swap, change);
	sum->procs++;
	sum->new += !prev && *change;
	sum->rss += rss;
	sum->swap += swap;
}

/*
 * Rows of the new sample against the old, both in ascending pid order as
 * the file gives them: a process in only one of them appeared or exited.
 * The first sample has nothing to compare with: no change.  An exited
 * process shows its last pss, from the sample it was in.
 */
static void ps_deltas(struct ml_table *t, const struct ml_options *o,
		      const struct ps_sample *snow, const struct ps_sample *sbefore,
		      struct ps_totals *sum)
{
	const struct ml_procs *now = &snow->procs, *before;
	size_t i = 0, j = 0;

	if (!sbefore) {
		for (i = 0; i < now->n; i++)
			ps_delta_line(t, o, &now->rows[i], &now->rows[i], snow, "", sum);
		return;
	}
	before = &sbefore->procs;
	while (i < now->n || j < before->n) {
		const struct ml_proc *a = i < now->n ? &now->rows[i] : NULL;
		const struct ml_proc *b = j < before->n ? &before->rows[j] : NULL;

		if (a && b && a->val[MEMLENS_PROC_PID] == b->val[MEMLENS_PROC_PID] &&
		    !strcmp(a->comm, b->comm)) {
			ps_delta_line(t, o, a, b, snow, "", sum);
			i++, j++;
		} else if (b && (!a || b->val[MEMLENS_PROC_PID] <= a->val[MEMLENS_PROC_PID])) {
			/* gone, or its pid now belongs to another command */
			ps_delta_line(t, o, b, NULL, sbefore, "exited", sum);
			j++;
		} else if (a) {
			ps_delta_line(t, o, a, NULL, snow, "new", sum);
			i++;
		}
	}
}

/* The screen's second line: what the sample holds. */
static void ps_status(const struct ps_totals *sum, bool pss, bool bytes, char *buf, size_t len)
{
	char rss[32], swap[32];
	int n;

	ml_size_str(sum->rss, bytes, rss, sizeof(rss));
	ml_size_str(sum->swap, bytes, swap, sizeof(swap));
	n = snprintf(buf, len, "%ld processes (%ld new, %ld exited), RSS %s, swap %s",
		     sum->procs, sum->new, sum->exited, rss, swap);
	/* the screen has no room for a footnote: the counts, with their marks */
	if (pss && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - n, ", pss: %ld not known (-), %ld partial (*)",
			 sum->marks.blank, sum->marks.partial);
}

/*
 * Under a table for people: what "-" and "*" in the pss cells of the
 * lines printed mean.  A "-" is also a swap_pss the kernel cannot give.
 */
static void pss_footnote(const struct ml_table *t)
{
	bool blank = false, partial = false;
	struct libscols_iter *it;
	struct libscols_line *ln;
	const char *s;
	int i;

	it = scols_new_iter(SCOLS_ITER_FORWARD);
	if (!it)
		err(ML_EXIT_FAIL, "cannot create iterator");
	while (scols_table_next_line(t->tb, it, &ln) == 0) {
		for (i = PS_PSS; i < PS_PSS + PS_NPSS; i++) {
			if (!ml_table_shows(t, i) || t->pos[i] == t->hidden)
				continue;
			s = scols_cell_get_data(scols_line_get_cell(ln, t->pos[i]));
			if (!s || !*s)
				continue;
			blank |= !strcmp(s, MEMLENS_BLANK);
			partial |= s[strlen(s) - 1] == '*';
		}
	}
	scols_free_iter(it);
	if (blank)
		puts("-: not known: mmap lock busy (not waited for), or the process came or went");
	if (partial)
		puts("*: partial: the time budget ran out; the pages counted so far");
}

/*
 * ARGS may be wider than a terminal: cut to fit it, as ps cuts args, not
 * pushing the line past its edge.
 */
static void args_fit(const struct ml_table *t)
{
	struct libscols_column *cl;

	if (!t->tb || !ml_table_shows(t, PS_ARGS))
		return;
	cl = scols_table_get_column(t->tb, t->pos[PS_ARGS]);
	scols_column_set_flags(cl, scols_column_get_flags(cl) | SCOLS_FL_TRUNC);
}

/* Under a table for people: how many kernel threads it leaves out. */
static void kthreads_footnote(const struct ml_options *o, const struct ml_procs *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->n; i++)
		n += ml_proc_selected(o, &p->rows[i]) && ml_proc_kthread(&p->rows[i]);
	if (n)
		printf("%zu kernel thread%s not shown (-A shows them)\n", n, n > 1 ? "s" : "");
}

/* One table: the processes once, or a sample of the live view @w. */
static int ps_print(const struct ml_options *o, struct ml_watch *w,
		    const struct ps_sample *now, const struct ps_sample *before)
{
	struct ps_totals sum = { 0 };
	struct ml_options so = *o;
	bool screen = w && w->screen;
	char status[224];
	struct ml_table t;
	size_t i;
	long rows;
	int ret;

	/*
	 * -t N: the N largest, as top has them; --reverse alone: the pid
	 * order turned.  A screen, too, shows the largest that fit.
	 */
	if (!so.sort && (so.top || so.reverse || screen))
		so.sort = so.top || screen ? "rss" : "pid";
	o = &so;
	if (ml_table_init(&t, o, MEMLENS_FILE_PROCESSES, ml_ps_columns(w != NULL, o->json || o->raw),
			  ml_ps_ncols(w != NULL)))
		return -1;
	if (t.direct && ml_table_shows(&t, PS_ARGS)) {
		/*
		 * -r writes its rows directly, each cell cut at 255 bytes; a
		 * command line can be longer: through libsmartcols, in the
		 * file's pid order.
		 */
		ml_table_free(&t);
		so.sort = "pid";
		if (ml_table_init(&t, o, MEMLENS_FILE_PROCESSES,
				  ml_ps_columns(w != NULL, o->json || o->raw), ml_ps_ncols(w != NULL)))
			return -1;
	}
	args_fit(&t);
	if (w) {
		/* rows go out as they are made with -r: the stamp first */
		ml_watch_stamp(w);
		ps_deltas(&t, o, now, before, &sum);
		ps_status(&sum, now->has_pss, o->bytes, status, sizeof(status));
		rows = ml_watch_header(w, "memlens ps", status);
		ml_table_watch(&t, w, PS_CHANGE, rows);
	} else {
		for (i = 0; i < now->procs.n; i++)
			if (ps_shown(o, &now->procs.rows[i]))
				ps_line(&t, o, &now->procs.rows[i], now, NULL, 0, 0, NULL);
	}
	ret = ml_table_print(&t, o, o->top);
	if (!ret && now->has_pss && t.human && !o->noheadings && !screen && t.tb)
		pss_footnote(&t);
	if (!ret && o->hide_kthreads && t.human && !o->noheadings && !w)
		kthreads_footnote(o, &now->procs);
	ml_table_free(&t);
	return ret;
}

static bool any_selected(const struct ml_options *o, const struct ml_procs *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (ps_shown(o, &p->rows[i]))
			return true;
	return false;
}

/*
 * What -o and -s ask for besides the processes file: the pss file, far
 * dearer, is read only for its columns; MemTotal for %mem.
 */
static void ps_wanted(const struct ml_options *o, bool watch, struct ps_wants *wants)
{
	struct ml_table t;
	int i;

	/* a bad column is refused here, once, before anything is read */
	if (ml_table_init(&t, o, MEMLENS_FILE_PROCESSES, ml_ps_columns(watch, o->json || o->raw),
			  ml_ps_ncols(watch)))
		exit(ML_EXIT_FAIL);
	wants->pss = false;
	for (i = PS_PSS; i <= PS_PSS_STATUS; i++)
		wants->pss |= ml_table_shows(&t, i);
	wants->memtotal = ml_table_shows(&t, PS_PMEM);
	wants->cgroups = o->ncgroups || ml_table_shows(&t, ps_col(MEMLENS_PROC_CGROUP));
	ml_table_free(&t);
}

/* -w: a sample every interval, each against the one before. */
static void ps_watch(const struct ml_options *o, const struct ps_wants *wants,
		     struct ps_sample *last)
{
	struct ps_sample now, before = { 0 };
	enum ml_watch_next next;
	struct ml_watch w;

	ml_watch_start(&w, o);
	do {
		ps_load(o, &now, wants);
		ml_watch_sample(&w);
		do {
			if (ps_print(o, &w, &now, w.sample > 1 ? &before : NULL))
				exit(ML_EXIT_FAIL);
			next = ml_watch_wait(&w);
		} while (next == ML_WATCH_REDRAW);
		ps_sample_free(&before);
		before = now;
	} while (next == ML_WATCH_NEXT);
	ml_watch_end(&w);
	*last = before;
}

int ml_cmd_ps(const struct ml_options *o)
{
	struct ps_sample now = { 0 };
	struct ps_wants wants;
	int ret;

	ps_wanted(o, o->watch > 0, &wants);
	if (o->watch > 0) {
		ps_watch(o, &wants, &now);
	} else {
		ps_load(o, &now, &wants);
		if (ps_print(o, NULL, &now, NULL))
			return ML_EXIT_FAIL;
	}
	/* as ps -p and pgrep: a selection of nothing fails, after the header */
	ret = ml_selecting(o) && !any_selected(o, &now.procs) ? ML_EXIT_FAIL : ML_EXIT_OK;
	ps_sample_free(&now);
	return ret;
}

static int cmp_rss_desc(const void *a, const void *b)
{
	const struct ml_proc *x = a, *y = b;
	uint64_t ra = x->val[MEMLENS_PROC_RSS], rb = y->val[MEMLENS_PROC_RSS];

	return ra < rb ? 1 : ra > rb ? -1 : 0;
}

void ml_procs_sort_rss(struct ml_procs *p)
{
	qsort(p->rows, p->n, sizeof(*p->rows), cmp_rss_desc);
}
