// SPDX-License-Identifier: GPL-2.0
/*
 * Selections: which processes -p, -c and -u leave in, for every command
 * that shows processes (ps, the summary's top, Prometheus' groups).
 */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"

/*
 * -p, -c and -u: comma lists, repeats already joined (-p 1 -p 2 is -p 1,2),
 * prepared once.  Items of one option add up, as with ps; different
 * options must all match, as with pgrep.
 */
static struct {
	bool ready;
	long *pids;
	size_t npids;
	regex_t *res;
	size_t nres;
	uint64_t *uids;
	size_t nuids;
	uint64_t *cgroups;	/* --cgroup: the ids of the cgroups selected, ascending */
	size_t ncgroups;
} filter;

/* Room for one more of @n items of @size at *@v. */
static void grow(void *v, size_t n, size_t size)
{
	void **p = v;

	*p = reallocarray(*p, n + 1, size);
	if (!*p)
		err(ML_EXIT_FAIL, "reallocarray");
}

/* The item of a comma list at @s, up to its comma or end: its length. */
static size_t item_len(const char *s)
{
	return strchrnul(s, ',') - s;
}

/* A pid: digits only, 1 to INT_MAX as pid_t allows; as ps, nothing else. */
static void filter_pids(const char *list)
{
	const char *p;
	size_t n;
	long v;

	for (p = list; ; p += n + 1) {
		n = item_len(p);
		errno = 0;
		v = n && strspn(p, "0123456789") == n ? strtol(p, NULL, 10) : 0;
		if (errno || v <= 0 || v > INT_MAX)
			errx(ML_EXIT_FAIL, "invalid pid: '%.*s'", (int)n, p);
		grow(&filter.pids, filter.npids, sizeof(*filter.pids));
		filter.pids[filter.npids++] = v;
		if (!p[n])
			break;
	}
}

/* A user name, or else a number that is a uid (as ps); no name is an error. */
static void filter_users(const char *list)
{
	char name[LOGIN_NAME_MAX + 1];
	const struct passwd *pw;
	unsigned long long uid;
	const char *p;
	size_t n;

	for (p = list; ; p += n + 1) {
		n = item_len(p);
		snprintf(name, sizeof(name), "%.*s", (int)n, p);
		pw = n < sizeof(name) ? getpwnam(name) : NULL;
		errno = 0;
		uid = pw ? pw->pw_uid : n && strspn(name, "0123456789") == n ?
		      strtoull(name, NULL, 10) : ULLONG_MAX;
		/* (uid_t)-1 is no user's */
		if (errno || uid >= UINT32_MAX)
			errx(ML_EXIT_FAIL, "unknown user: '%.*s'", (int)n, p);
		grow(&filter.uids, filter.nuids, sizeof(*filter.uids));
		filter.uids[filter.nuids++] = uid;
		if (!p[n])
			break;
	}
}

/* The last byte of the bracket expression opening at @p ("[a,b]", "[[:alpha:]]"). */
static const char *bracket_end(const char *p)
{
	const char *q = p + 1, *e;

	q += *q == '^';
	q += *q == ']';		/* a ']' first is one of the set */
	for (; *q && *q != ']'; q++) {
		if (*q != '[' || !strchr(":.=", q[1]) || !q[1])
			continue;
		e = strchr(q + 2, q[1]);
		while (e && e[1] != ']')
			e = strchr(e + 1, q[1]);
		if (e)
			q = e + 1;
	}
	return *q ? q : q - 1;
}

/*
 * The pattern at @s up to a comma: a comma in a bracket expression or in
 * braces ("a{1,3}"), or after a backslash, belongs to the pattern.
 */
static size_t pattern_len(const char *s)
{
	const char *p;
	int braces = 0;

	for (p = s; *p && (*p != ',' || braces); p++) {
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '[')
			p = bracket_end(p);
		else if (*p == '{')
			braces++;
		else if (*p == '}' && braces)
			braces--;
	}
	return p - s;
}

static void filter_comms(const char *list)
{
	const char *p;
	char *pat;
	size_t n;
	int ret;

	for (p = list; ; p += n + 1) {
		n = pattern_len(p);
		pat = strndup(p, n);
		if (!pat)
			err(ML_EXIT_FAIL, "strndup");
		grow(&filter.res, filter.nres, sizeof(*filter.res));
		ret = n ? regcomp(&filter.res[filter.nres], pat, REG_EXTENDED | REG_NOSUB) : -1;
		if (ret) {
			char msg[128] = "empty pattern";

			if (ret > 0)
				regerror(ret, &filter.res[filter.nres], msg, sizeof(msg));
			errx(ML_EXIT_FAIL, "invalid pattern '%s': %s", pat, msg);
		}
		filter.nres++;
		free(pat);
		if (!p[n])
			break;
	}
}

static int cmp_id(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

bool ml_selecting(const struct ml_options *o)
{
	return o->pids || o->comm || o->user || o->ncgroups;
}

/* Refuses a bad pid, user or pattern: call before reading anything. */
void ml_select_prepare(const struct ml_options *o)
{
	if (filter.ready)
		return;
	filter.ready = true;
	if (o->pids)
		filter_pids(o->pids);
	if (o->comm)
		filter_comms(o->comm);
	if (o->user)
		filter_users(o->user);
}

bool ml_proc_selected(const struct ml_options *o, const struct ml_proc *p)
{
	size_t i;

	ml_select_prepare(o);
	for (i = 0; i < filter.npids; i++)
		if ((uint64_t)filter.pids[i] == p->val[MEMLENS_PROC_PID])
			break;
	if (filter.npids && i == filter.npids)
		return false;
	for (i = 0; i < filter.nres; i++)
		if (!regexec(&filter.res[i], p->comm, 0, NULL, 0))
			break;
	if (filter.nres && i == filter.nres)
		return false;
	if (o->ncgroups && !bsearch(&p->val[MEMLENS_PROC_CGROUP], filter.cgroups, filter.ncgroups,
				    sizeof(*filter.cgroups), cmp_id))
		return false;
	for (i = 0; i < filter.nuids; i++)
		if (filter.uids[i] == p->val[MEMLENS_PROC_UID])
			break;
	return !filter.nuids || i < filter.nuids;
}

/* "/a/b" for "/a/b/" or "/a//b": the form of the view's paths. */
static void cgroup_path(const char *in, char *out, size_t len)
{
	size_t n = 0;

	for (; *in && n + 1 < len; in++)
		if (*in != '/' || !n || out[n - 1] != '/')
			out[n++] = *in;
	while (n > 1 && out[n - 1] == '/')
		n--;
	out[n] = '\0';
}

/**
 * ml_cgroups_subtree() - the cgroups --cgroup selects
 * @o: options, their paths
 * @c: the cgroups view
 *
 * Each path selects its cgroup and every cgroup below it (the dying one
 * of the same path too).  A path the view does not have exits with a
 * message: an empty selection would say nothing true.
 *
 * Return: for each row of @c, whether it is selected; to be freed.
 */
bool *ml_cgroups_subtree(const struct ml_options *o, const struct ml_cgroups *c)
{
	char want[4096];
	bool *in, found;
	size_t i;
	int k;

	in = calloc(c->n + 1, sizeof(*in));
	if (!in)
		err(ML_EXIT_FAIL, "calloc");
	for (k = 0; k < o->ncgroups; k++) {
		cgroup_path(o->cgroups[k], want, sizeof(want));
		for (i = 0, found = false; i < c->n; i++) {
			if (strcmp(ml_cgroup_path(c, &c->rows[i]), want) != 0)
				continue;
			in[i] = found = true;
		}
		if (!found)
			errx(ML_EXIT_FAIL, "unknown cgroup: '%s' (memlens cgroups lists them)",
			     o->cgroups[k]);
	}
	/* each row after its parent: a row is in when its parent is */
	for (i = 0; i < c->n; i++)
		in[i] |= c->rows[i].parent >= 0 && in[c->rows[i].parent];
	return in;
}

/**
 * ml_select_cgroups() - resolve --cgroup against the cgroups view
 * @o: options, their paths
 * @p: the processes, read with @c: their file must have the cgroup column
 * @c: the cgroups view
 *
 * The processes of the cgroups ml_cgroups_subtree() selects.  Processes
 * without the column exit with a message.
 */
void ml_select_cgroups(const struct ml_options *o, const struct ml_procs *p,
		       const struct ml_cgroups *c)
{
	size_t i;
	bool *in;

	if (!o->ncgroups)
		return;
	if (!p->has_cgroup)
		errx(ML_EXIT_FAIL, "%s/%s has no cgroup column: the memlens module is older than "
		     "this reader (--cgroup needs it)", o->debugfs, MEMLENS_FILE_PROCESSES);
	in = ml_cgroups_subtree(o, c);
	filter.cgroups = reallocarray(filter.cgroups, c->n + 1, sizeof(*filter.cgroups));
	if (!filter.cgroups)
		err(ML_EXIT_FAIL, "reallocarray");
	filter.ncgroups = 0;
	for (i = 0; i < c->n; i++)
		if (in[i])
			filter.cgroups[filter.ncgroups++] = c->rows[i].val[MEMLENS_CGROUPS_ID];
	qsort(filter.cgroups, filter.ncgroups, sizeof(*filter.cgroups), cmp_id);
	free(in);
}

/**
 * ml_procs_whole_system() - whether @p is every process of the system
 * @p: the processes file's rows, in the pid namespace of the reader
 *
 * The module walks the processes of the reader's pid namespace.  Kernel
 * threads are in the initial one only, where kthreadd is pid 2, with no
 * parent and no mm, from boot on; in any other namespace, pid 2 is a
 * process whose parent, if outside, shows as 0, and which has an mm.
 *
 * Return: true when @p was read in the initial pid namespace.
 */
bool ml_procs_whole_system(const struct ml_procs *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->rows[i].val[MEMLENS_PROC_PID] == 2)
			return !p->rows[i].val[MEMLENS_PROC_PPID] && !p->rows[i].val[MEMLENS_PROC_VSZ];
	return false;
}
