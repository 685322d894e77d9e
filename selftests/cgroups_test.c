// SPDX-License-Identifier: GPL-2.0
/*
 * The cgroups view against the cgroup2 files it reads the kernel's
 * numbers of: cgroups made with mkdir, holding anonymous memory, a tmpfs
 * file and a file read from the scratch disk; every row equal to
 * memory.current, memory.max, memory.high, memory.swap.current,
 * memory.events and memory.stat read before and after it, when those did
 * not move in between; procs equal to cgroup.procs; a process moved to
 * another cgroup; a removed cgroup with page cache charged to it listed as
 * dying, and gone once that cache is dropped.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define CGROUPS		MEMLENS_DIR "/cgroups"
#define CGROUP_FILES	MEMLENS_DIR "/cgroup_files"
#define CGROOT		"/sys/fs/cgroup"
#define TOP		"/mlt"
#define TMPFS		"/mnt/mlt-tmpfs"
#define MAX_ROWS	4096

static const struct memlens_column cols[] = {
	MEMLENS_CGROUPS_COLUMNS(MEMLENS_COLUMN)
};

#define NCOLS		MEMLENS_CGROUPS_NR_NUMERIC
#define BLANK		(-1LL)

struct cg_row {
	long long val[NCOLS];		/* BLANK for "-" */
	char state[16];
	char path[256];
};

struct cg_view {
	struct cg_row *rows;
	int n;
};

/* The file, every row checked; 1 when unsupported, -1 when malformed. */
static int read_cgroups(struct cg_view *v)
{
	char *buf, *line, *save, *tok, *tsave;
	size_t len;
	int i, ret = -1;

	v->rows = calloc(MAX_ROWS, sizeof(*v->rows));
	v->n = 0;
	buf = read_file(CGROUPS, &len, 4096);
	if (!buf || !v->rows)
		goto out;
	if (!strncmp(buf, MEMLENS_STATUS_UNSUPPORTED, strlen(MEMLENS_STATUS_UNSUPPORTED))) {
		ret = 1;
		goto out;
	}
	line = strtok_r(buf, "\n", &save);
	/* the header: the columns' names, then state and path */
	for (i = 0, tok = strtok_r(line, " ", &tsave); i < NCOLS;
	     i++, tok = strtok_r(NULL, " ", &tsave))
		if (!tok || strcmp(tok, cols[i].name))
			goto out;
	if (!tok || strcmp(tok, MEMLENS_CGROUPS_STATE) ||
	    !(tok = strtok_r(NULL, " ", &tsave)) || strcmp(tok, MEMLENS_CGROUPS_PATH) ||
	    strtok_r(NULL, " ", &tsave))
		goto out;
	while ((line = strtok_r(NULL, "\n", &save)) && v->n < MAX_ROWS) {
		struct cg_row *r = &v->rows[v->n++];

		for (i = 0, tok = strtok_r(line, " ", &tsave); i < NCOLS;
		     i++, tok = strtok_r(NULL, " ", &tsave)) {
			if (!tok)
				goto out;
			r->val[i] = strcmp(tok, MEMLENS_BLANK) ? strtoll(tok, NULL, 10) : BLANK;
		}
		if (!tok || (strcmp(tok, MEMLENS_CGROUP_ONLINE) && strcmp(tok, MEMLENS_CGROUP_DYING)))
			goto out;
		snprintf(r->state, sizeof(r->state), "%s", tok);
		tok = strtok_r(NULL, " ", &tsave);
		if (!tok || strtok_r(NULL, " ", &tsave))
			goto out;
		snprintf(r->path, sizeof(r->path), "%s", tok);
	}
	ret = v->n ? 0 : -1;
out:
	free(buf);
	return ret;
}

static const struct cg_row *find_row(const struct cg_view *v, const char *path)
{
	int i;

	for (i = 0; i < v->n; i++)
		if (!strcmp(v->rows[i].path, path))
			return &v->rows[i];
	return NULL;
}

static int col_index(const char *name)
{
	int i;

	for (i = 0; i < NCOLS; i++)
		if (!strcmp(cols[i].name, name))
			return i;
	return -1;
}

/*
 * What the cgroup's files say, in the view's units: kB, BLANK for "max"
 * or a file or key that is not there; a memory.stat key under its name.
 */
static void read_files(const char *cg, long long *val)
{
	char path[512], key[64], *buf;
	unsigned long long v;
	size_t len;
	FILE *f;
	int i;

	for (i = 0; i < NCOLS; i++)
		val[i] = BLANK;
	snprintf(path, sizeof(path), CGROOT "%s/memory.stat", cg);
	f = fopen(path, "r");
	while (f && fscanf(f, "%63s %llu", key, &v) == 2) {
		i = col_index(key);
		if (i >= MEMLENS_CGROUPS_ANON)
			val[i] = v / 1024;
	}
	if (f)
		fclose(f);
	snprintf(path, sizeof(path), CGROOT "%s/memory.events", cg);
	f = fopen(path, "r");
	while (f && fscanf(f, "%63s %llu", key, &v) == 2)
		if (!strcmp(key, "oom_kill"))
			val[MEMLENS_CGROUPS_OOM_KILL] = v;
	if (f)
		fclose(f);
	static const struct { int col; const char *file; } one[] = {
		{ MEMLENS_CGROUPS_CURRENT, "memory.current" },
		{ MEMLENS_CGROUPS_MAX, "memory.max" },
		{ MEMLENS_CGROUPS_HIGH, "memory.high" },
		{ MEMLENS_CGROUPS_SWAP, "memory.swap.current" },
	};
	for (i = 0; i < ARRAY_SIZE(one); i++) {
		snprintf(path, sizeof(path), CGROOT "%s/%s", cg, one[i].file);
		buf = read_file(path, &len, 4096);
		if (buf && strncmp(buf, "max", 3))
			val[one[i].col] = strtoull(buf, NULL, 10) / 1024;
		free(buf);
	}
}

/* Processes in the cgroup itself, as cgroup.procs lists them. */
static long long count_procs(const char *cg)
{
	char path[512], line[32];
	long long n = 0;
	FILE *f;

	snprintf(path, sizeof(path), CGROOT "%s/cgroup.procs", cg);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		n++;
	if (f)
		fclose(f);
	return n;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ret;

	if (fd < 0)
		return -1;
	ret = write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
	close(fd);
	return ret;
}

static int cg_write(const char *cg, const char *file, const char *s)
{
	char path[512];

	snprintf(path, sizeof(path), CGROOT "%s/%s", cg, file);
	return write_str(path, s);
}

/* cgroup2 mounted, with memory for TOP and its children a, b, c: 0, or 1 to skip. */
static int cg_setup(void)
{
	struct stat st;

	mkdir(CGROOT, 0755);
	if (stat(CGROOT "/cgroup.controllers", &st) &&
	    mount("none", CGROOT, "cgroup2", 0, NULL))
		return 1;
	if (cg_write("", "cgroup.subtree_control", "+memory"))
		return 1;
	mkdir(CGROOT TOP, 0755);
	if (cg_write(TOP, "cgroup.subtree_control", "+memory"))
		return 1;
	mkdir(CGROOT TOP "/a", 0755);
	mkdir(CGROOT TOP "/b", 0755);
	mkdir(CGROOT TOP "/c", 0755);
	return 0;
}

/* Make a file of @mb MiB on the scratch disk, not in the page cache. */
static int disk_file(const char *path, int mb)
{
	static char chunk[1 << 20];
	int fd, i;

	memset(chunk, 'm', sizeof(chunk));
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd < 0)
		return -1;
	for (i = 0; i < mb; i++)
		if (write(fd, chunk, sizeof(chunk)) != sizeof(chunk))
			break;
	fsync(fd);
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	close(fd);
	return i == mb ? 0 : -1;
}

static void read_whole(const char *path)
{
	static char buf[1 << 16];
	int fd = open(path, O_RDONLY);

	while (fd >= 0 && read(fd, buf, sizeof(buf)) > 0)
		;
	if (fd >= 0)
		close(fd);
}

/* The first or second half of a file of @mb MiB, without readahead. */
static void read_half(const char *path, int mb, bool second)
{
	static char buf[1 << 16];
	off_t off = second ? (off_t)mb << 19 : 0, end = off + ((off_t)mb << 19);
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return;
	posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);
	for (; off < end; off += sizeof(buf))
		if (pread(fd, buf, sizeof(buf), off) <= 0)
			break;
	close(fd);
}

enum work { ANON, TMPFS_FILE, DISK_FILE, DISK_HALF1, DISK_HALF2 };

/*
 * A child in cgroup @cg that charges it with @mb MiB of @work, then waits
 * to be killed (or, with @exit_after, exits): its pid, once done.
 */
static pid_t run_in(const char *cg, enum work work, int mb, const char *file, bool exit_after)
{
	int pfd[2];
	pid_t pid;
	char c = 0;

	if (pipe(pfd))
		return -1;
	pid = fork();
	if (!pid) {
		char *p;

		if (cg_write(cg, "cgroup.procs", "0"))
			_exit(1);
		if (work == ANON) {
			p = mmap(NULL, mb << 20, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (p == MAP_FAILED)
				_exit(1);
			memset(p, 1, mb << 20);
		} else if (work == TMPFS_FILE) {
			static char chunk[1 << 20];
			int fd = open(file, O_CREAT | O_TRUNC | O_WRONLY, 0644), i;

			memset(chunk, 't', sizeof(chunk));
			for (i = 0; fd >= 0 && i < mb; i++)
				if (write(fd, chunk, sizeof(chunk)) != sizeof(chunk))
					_exit(1);
			if (fd >= 0)
				close(fd);
		} else if (work == DISK_FILE) {
			read_whole(file);
		} else {
			read_half(file, mb, work == DISK_HALF2);
		}
		if (write(pfd[1], &c, 1) != 1 || exit_after)
			_exit(0);
		for (;;)
			pause();
	}
	close(pfd[1]);
	if (pid < 0 || read(pfd[0], &c, 1) != 1) {
		close(pfd[0]);
		return -1;
	}
	close(pfd[0]);
	return pid;
}

static void stop(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

/*
 * Every number of the rows of @paths, against the files read around the
 * view: a value whose file did not move must be equal, to the kB.  Then
 * the count of the values compared, or -1 with what differed logged.
 */
static int compare(struct __test_metadata *_metadata, const char *const *paths, int n)
{
	long long before[8][NCOLS], after[8][NCOLS];
	struct cg_view v;
	int i, c, compared = 0, bad = 0;
	struct stat st;
	char dir[512];

	for (i = 0; i < n; i++)
		read_files(paths[i], before[i]);
	if (read_cgroups(&v)) {
		free(v.rows);
		TH_LOG("cannot read %s", CGROUPS);
		return -1;
	}
	for (i = 0; i < n; i++)
		read_files(paths[i], after[i]);
	for (i = 0; i < n; i++) {
		const struct cg_row *r = find_row(&v, *paths[i] ? paths[i] : "/");

		if (!r) {
			TH_LOG("no row for %s", paths[i]);
			bad++;
			continue;
		}
		snprintf(dir, sizeof(dir), CGROOT "%s", paths[i]);
		if (stat(dir, &st) || r->val[MEMLENS_CGROUPS_ID] != (long long)st.st_ino) {
			TH_LOG("%s: id %lld, inode %llu", paths[i], r->val[MEMLENS_CGROUPS_ID],
			       (unsigned long long)st.st_ino);
			bad++;
		}
		if (strcmp(r->state, MEMLENS_CGROUP_ONLINE)) {
			TH_LOG("%s: state %s", paths[i], r->state);
			bad++;
		}
		for (c = MEMLENS_CGROUPS_CURRENT; c < NCOLS; c++) {
			if (before[i][c] != after[i][c])
				continue;
			compared++;
			if (r->val[c] != before[i][c]) {
				TH_LOG("%s: %s %lld, the cgroup's files %lld", paths[i], cols[c].name,
				       r->val[c], before[i][c]);
				bad++;
			}
		}
	}
	free(v.rows);
	return bad ? -1 : compared;
}

TEST(header_is_the_contract)
{
	struct cg_view v;
	int ret = read_cgroups(&v);

	free(v.rows);
	if (ret == 1)
		SKIP(return, "cgroups view unsupported");
	ASSERT_EQ(0, ret);
}

TEST(rows_are_the_cgroup_files)
{
	static const char *const paths[] = { TOP, TOP "/a", TOP "/b", TOP "/c" };
	const struct cg_row *r;
	struct cg_view v;
	pid_t a, b, c;
	const char *mnt;
	char file[300];
	int compared = -1, i;

	if (cg_setup())
		SKIP(return, "no cgroup2 with the memory controller");
	mnt = scratch("fs");
	if (!mnt)
		SKIP(return, "no scratch filesystem");
	mkdir(TMPFS, 0755);
	ASSERT_EQ(0, mount("none", TMPFS, "tmpfs", 0, NULL));
	snprintf(file, sizeof(file), "%s/mlt-disk", mnt);
	ASSERT_EQ(0, disk_file(file, 8));
	ASSERT_EQ(0, cg_write(TOP "/a", "memory.max", "67108864"));
	ASSERT_EQ(0, cg_write(TOP "/a", "memory.high", "50331648"));
	a = run_in(TOP "/a", ANON, 16, NULL, false);
	b = run_in(TOP "/b", TMPFS_FILE, 8, TMPFS "/f", false);
	c = run_in(TOP "/c", DISK_FILE, 8, file, false);
	ASSERT_GT(a, 0);
	ASSERT_GT(b, 0);
	ASSERT_GT(c, 0);
	/* the statistics are flushed every 2 s: at rest after that */
	for (i = 0; i < 5 && compared < 0; i++) {
		sleep(3);
		compared = compare(_metadata, paths, ARRAY_SIZE(paths));
	}
	TH_LOG("%d values compared", compared);
	EXPECT_GE(compared, 60);
	ASSERT_EQ(0, read_cgroups(&v));
	for (i = 0; i < (int)ARRAY_SIZE(paths); i++) {
		r = find_row(&v, paths[i]);
		ASSERT_NE(NULL, r);
		EXPECT_EQ(count_procs(paths[i]), r->val[MEMLENS_CGROUPS_PROCS]);
	}
	/* what was put there is there */
	EXPECT_GE(find_row(&v, TOP "/a")->val[MEMLENS_CGROUPS_ANON], 16 << 10);
	EXPECT_EQ(65536, find_row(&v, TOP "/a")->val[MEMLENS_CGROUPS_MAX]);
	EXPECT_EQ(49152, find_row(&v, TOP "/a")->val[MEMLENS_CGROUPS_HIGH]);
	EXPECT_EQ(BLANK, find_row(&v, TOP "/b")->val[MEMLENS_CGROUPS_MAX]);
	EXPECT_GE(find_row(&v, TOP "/b")->val[MEMLENS_CGROUPS_SHMEM], 8 << 10);
	EXPECT_GE(find_row(&v, TOP "/c")->val[MEMLENS_CGROUPS_FILE], 8 << 10);
	EXPECT_EQ(BLANK, find_row(&v, "/")->val[MEMLENS_CGROUPS_CURRENT]);
	free(v.rows);
	stop(a);
	stop(b);
	stop(c);
	umount(TMPFS);
	unlink(file);
}

/* The processes view's cgroup column, and procs, follow a process moved. */
TEST(process_moved)
{
	long long ida, idc;
	struct ml_procs procs;
	const struct ml_proc *p;
	struct cg_view v;
	struct stat st;
	char pid[32];
	pid_t a;

	if (cg_setup())
		SKIP(return, "no cgroup2 with the memory controller");
	ASSERT_EQ(0, stat(CGROOT TOP "/a", &st));
	ida = st.st_ino;
	ASSERT_EQ(0, stat(CGROOT TOP "/c", &st));
	idc = st.st_ino;
	a = run_in(TOP "/a", ANON, 4, NULL, false);
	ASSERT_GT(a, 0);
	ASSERT_EQ(0, read_processes(&procs, 4096));
	p = find_proc(&procs, a);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(ida, (long long)p->val[MEMLENS_PROC_CGROUP]);
	ml_procs_free(&procs);
	snprintf(pid, sizeof(pid), "%d", a);
	ASSERT_EQ(0, cg_write(TOP "/c", "cgroup.procs", pid));
	ASSERT_EQ(0, read_processes(&procs, 4096));
	p = find_proc(&procs, a);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(idc, (long long)p->val[MEMLENS_PROC_CGROUP]);
	ml_procs_free(&procs);
	ASSERT_EQ(0, read_cgroups(&v));
	EXPECT_EQ(count_procs(TOP "/a"), find_row(&v, TOP "/a")->val[MEMLENS_CGROUPS_PROCS]);
	EXPECT_EQ(count_procs(TOP "/c"), find_row(&v, TOP "/c")->val[MEMLENS_CGROUPS_PROCS]);
	EXPECT_GE(find_row(&v, TOP "/c")->val[MEMLENS_CGROUPS_PROCS], 1);
	/* cgroup2 does not move charges: the memory stays with a */
	EXPECT_GE(find_row(&v, TOP "/a")->val[MEMLENS_CGROUPS_ANON], 4 << 10);
	free(v.rows);
	stop(a);
}

/* From 7.2 a dying memcg's page cache is given to its parent (compat.h). */
static bool reparents(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	uname(&u);
	sscanf(u.release, "%d.%d", &major, &minor);
	return major > 7 || (major == 7 && minor >= 2);
}

/*
 * A removed cgroup with page cache charged to it is dying, with that
 * cache (before 7.2; from 7.2 the cache goes to its parent); dropping the
 * cache frees it, and its row goes.
 */
TEST(dying_cgroup)
{
	const struct cg_row *r;
	const char *mnt;
	struct cg_view v;
	char file[300];
	int i, gone = 0;
	pid_t d;

	if (cg_setup())
		SKIP(return, "no cgroup2 with the memory controller");
	mnt = scratch("fs");
	if (!mnt)
		SKIP(return, "no scratch filesystem");
	snprintf(file, sizeof(file), "%s/mlt-dying", mnt);
	ASSERT_EQ(0, disk_file(file, 4));
	ASSERT_EQ(0, mkdir(CGROOT TOP "/d", 0755));
	d = run_in(TOP "/d", DISK_FILE, 4, file, true);
	ASSERT_GT(d, 0);
	waitpid(d, NULL, 0);
	ASSERT_EQ(0, rmdir(CGROOT TOP "/d"));
	ASSERT_EQ(0, read_cgroups(&v));
	r = find_row(&v, TOP "/d");
	if (reparents()) {
		/* offline at once or soon: its page cache goes to its parent */
		if (r)
			EXPECT_STREQ(MEMLENS_CGROUP_DYING, r->state);
		EXPECT_GE(find_row(&v, TOP)->val[MEMLENS_CGROUPS_FILE], 4 << 10);
	} else {
		ASSERT_NE(NULL, r);
		EXPECT_STREQ(MEMLENS_CGROUP_DYING, r->state);
		EXPECT_GE(r->val[MEMLENS_CGROUPS_FILE], 4 << 10);
		EXPECT_EQ(0, r->val[MEMLENS_CGROUPS_PROCS]);
	}
	free(v.rows);
	/* freeing a memcg waits for RCU and a work item */
	for (i = 0; i < 30 && !gone; i++) {
		sh("echo 1 > /proc/sys/vm/drop_caches");
		sleep(1);
		ASSERT_EQ(0, read_cgroups(&v));
		gone = !find_row(&v, TOP "/d");
		free(v.rows);
	}
	EXPECT_TRUE(gone);
	unlink(file);
}

/*
 * cgroup_files: the kB charged to cgroup @id, and to @id for inode @ino
 * (0: any) in *@of_ino with the number of such rows in *@rows; -1 when
 * the file is malformed, 1 when unsupported.
 */
static int read_cgroup_files(long long id, unsigned long long ino, long long *kb,
			     long long *of_ino, int *rows)
{
	char *buf, *line, *save, dev[32], fstype[64];
	unsigned long long cg, i, cached, dirty, wb;
	size_t len;
	int ret = -1;

	*kb = *of_ino = *rows = 0;
	buf = read_file(CGROUP_FILES, &len, 4096);
	if (!buf)
		return -1;
	if (!strncmp(buf, MEMLENS_STATUS_UNSUPPORTED, strlen(MEMLENS_STATUS_UNSUPPORTED))) {
		free(buf);
		return 1;
	}
	line = strtok_r(buf, "\n", &save);
	if (!line || strncmp(line, "cgroup dev ino cached dirty writeback fstype path", 49))
		goto out;
	while ((line = strtok_r(NULL, "\n", &save))) {
		if (!strncmp(line, MEMLENS_FILES_TOTAL " ", 6) ||
		    !strncmp(line, MEMLENS_FILES_BELOW " ", 6))
			continue;
		if (sscanf(line, "%llu %31s %llu %llu %llu %llu %63s", &cg, dev, &i, &cached,
			   &dirty, &wb, fstype) != 7 || dirty > cached || wb > cached)
			goto out;
		if ((long long)cg != id)
			continue;
		*kb += cached;
		if (i == ino) {
			*of_ino += cached;
			++*rows;
		}
	}
	ret = 0;
out:
	free(buf);
	return ret;
}

static long long stat_key(const char *cg, const char *key)
{
	char path[512], k[64];
	unsigned long long v;
	FILE *f;

	snprintf(path, sizeof(path), CGROOT "%s/memory.stat", cg);
	f = fopen(path, "r");
	while (f && fscanf(f, "%63s %llu", k, &v) == 2)
		if (!strcmp(k, key)) {
			fclose(f);
			return v / 1024;
		}
	if (f)
		fclose(f);
	return -1;
}

static long long cg_id(const char *cg)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), CGROOT "%s", cg);
	return stat(path, &st) ? -1 : (long long)st.st_ino;
}

/*
 * A cgroup's cgroup_files rows add up to its memory.stat file within 1%;
 * a file read half in one cgroup and half in another has a row of half
 * its size in each.
 */
TEST(cgroup_files_split)
{
	static const char *const cgs[] = { TOP "/a", TOP "/c" };
	long long kb, of_ino, file;
	const char *mnt;
	char path[300];
	struct stat st;
	pid_t p[2];
	int i, rows, ret;

	if (cg_setup())
		SKIP(return, "no cgroup2 with the memory controller");
	mnt = scratch("fs");
	if (!mnt)
		SKIP(return, "no scratch filesystem");
	snprintf(path, sizeof(path), "%s/mlt-halves", mnt);
	ASSERT_EQ(0, disk_file(path, 8));
	ASSERT_EQ(0, stat(path, &st));
	p[0] = run_in(cgs[0], DISK_HALF1, 8, path, false);
	p[1] = run_in(cgs[1], DISK_HALF2, 8, path, false);
	ASSERT_GT(p[0], 0);
	ASSERT_GT(p[1], 0);
	for (i = 0; i < 2; i++) {
		ret = read_cgroup_files(cg_id(cgs[i]), st.st_ino, &kb, &of_ino, &rows);
		if (ret == 1)
			SKIP(break, "cgroup_files unsupported");
		ASSERT_EQ(0, ret);
		file = stat_key(cgs[i], "file");
		TH_LOG("%s: rows %lld kB, memory.stat file %lld kB, the file's row %lld kB",
		       cgs[i], kb, file, of_ino);
		EXPECT_EQ(1, rows);
		EXPECT_EQ(4096, of_ino);
		EXPECT_LE(kb, file + file / 100);
		EXPECT_GE(kb, file - file / 100);
	}
	stop(p[0]);
	stop(p[1]);
	unlink(path);
}

/*
 * cgroups made, filled and removed in a loop while both views are read
 * in another: every read parses, and nothing is left behind.
 */
TEST(read_while_cgroups_come_and_go)
{
	long long kb, of_ino;
	int rows, reads = 0, ret;
	struct cg_view v;
	time_t end;
	pid_t churn;

	if (cg_setup())
		SKIP(return, "no cgroup2 with the memory controller");
	churn = fork();
	if (!churn) {
		char dir[64], file[80];
		int i;

		mkdir(CGROOT TOP "/churn", 0755);
		for (i = 0;; i++) {
			snprintf(dir, sizeof(dir), CGROOT TOP "/churn/%d", i % 8);
			snprintf(file, sizeof(file), "/tmp/mlt-churn%d", i % 8);
			mkdir(dir, 0755);
			/* a child charges a MiB of page cache there, then exits */
			waitpid(run_in(dir + strlen(CGROOT), TMPFS_FILE, 1, file, true), NULL, 0);
			unlink(file);
			rmdir(dir);
		}
	}
	ASSERT_GT(churn, 0);
	for (end = time(NULL) + 10; time(NULL) < end; reads++) {
		ret = read_cgroups(&v);
		free(v.rows);
		ASSERT_EQ(0, ret);
		ASSERT_EQ(0, read_cgroup_files(0, 0, &kb, &of_ino, &rows));
	}
	stop(churn);
	TH_LOG("%d reads of each view", reads);
	EXPECT_GE(reads, 3);
}

TEST_HARNESS_MAIN
