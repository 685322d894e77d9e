// SPDX-License-Identifier: GPL-2.0
/*
 * The files view against what the test does to files: read and drop part
 * of one (mincore() says what is cached), dirty and sync one, map one from
 * N processes, delete one that is open; a memfd, a tmpfs file, a SysV shm
 * segment, a file mapped from a lazily unmounted tmpfs; the sums against
 * Buffers and Cached of /proc/meminfo; read sizes; umount after a read;
 * 200,000 files; the total rows and the dirs view against the rows.
 */
#include <sys/mount.h>
#include <sys/shm.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define FILES		MEMLENS_DIR "/files"
#define DIRS		MEMLENS_DIR "/dirs"
#define PAGE		sysconf(_SC_PAGESIZE)

struct frow {
	unsigned int major, minor;
	unsigned long long ino;
	char fstype[64];
	unsigned long long val[MEMLENS_FILES_NR_COLUMNS];
	char path[4096];
};

/* Undo the \ooo escapes of a string field, in place. */
static void unescape(char *s)
{
	char *d = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] && s[3]) {
			*d++ = (s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0');
			s += 3;
		} else {
			*d++ = *s;
		}
	}
	*d = '\0';
}

static int parse_row(const char *line, struct frow *r)
{
	unsigned long long *v = r->val;
	int n;

	n = sscanf(line, "%u:%u %llu %63s %llu %llu %llu %llu %llu %llu %llu %4095s",
		   &r->major, &r->minor, &r->ino, r->fstype, &v[MEMLENS_FILES_CACHED],
		   &v[MEMLENS_FILES_DIRTY], &v[MEMLENS_FILES_WRITEBACK], &v[MEMLENS_FILES_MAPPED],
		   &v[MEMLENS_FILES_IN_RSS], &v[MEMLENS_FILES_PROCS], &v[MEMLENS_FILES_NLINK],
		   r->path);
	if (n != 12)
		return -1;
	unescape(r->fstype);
	unescape(r->path);
	return 0;
}

/* The file, read with @chunk-byte reads; NULL on error. */
static char *read_files(size_t chunk, size_t *len)
{
	return read_file(FILES, len, chunk);
}

/* The row of inode @ino on device @dev, from a fresh read; 0 if found. */
static int find_row_id(dev_t dev, ino_t ino, struct frow *r)
{
	size_t len;
	char *buf, *line;
	int ret = -1;

	buf = read_files(1 << 20, &len);
	if (!buf)
		return -1;
	for (line = strchr(buf, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
		if (parse_row(line + 1, r))
			continue;
		if (r->ino == ino && r->major == major(dev) && r->minor == minor(dev)) {
			ret = 0;
			break;
		}
	}
	free(buf);
	return ret;
}

/* The row of the inode @fd is open on, from a fresh read; 0 if found. */
static int find_row(int fd, struct frow *r)
{
	struct stat st;

	if (fstat(fd, &st))
		return -1;
	return find_row_id(st.st_dev, st.st_ino, r);
}

/* Pages of @fd's first @size bytes in the page cache, by mincore(). */
static long mincore_pages(int fd, size_t size)
{
	size_t n = (size + PAGE - 1) / PAGE, i;
	unsigned char *vec = malloc(n);
	long pages = 0;
	void *p;

	p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED || !vec || mincore(p, size, vec)) {
		free(vec);
		return -1;
	}
	for (i = 0; i < n; i++)
		pages += vec[i] & 1;
	munmap(p, size);
	free(vec);
	return pages;
}

/* A new file of @pages pages of data at @path, written; its fd. */
static int new_file(const char *path, long pages)
{
	char *buf = malloc(PAGE);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	long i;

	memset(buf, 'm', PAGE);
	for (i = 0; fd >= 0 && i < pages; i++)
		if (write(fd, buf, PAGE) != PAGE) {
			close(fd);
			fd = -1;
		}
	free(buf);
	return fd;
}

TEST(header)
{
	static const char *names[] = {
#define NAME(id, name, unit, width, help) name,
		MEMLENS_FILES_COLUMNS(NAME)
	};
	char expect[256] = "", *buf;
	size_t len, i;

	for (i = 0; i < MEMLENS_FILES_NR_COLUMNS; i++) {
		strcat(expect, names[i]);
		strcat(expect, i + 1 < MEMLENS_FILES_NR_COLUMNS ? " " : "\n");
	}
	buf = read_files(4096, &len);
	ASSERT_NE(NULL, buf);
	EXPECT_EQ(0, strncmp(buf, expect, strlen(expect))) TH_LOG("header: %.200s", buf);
	EXPECT_EQ(NULL, strstr(buf, "\n" MEMLENS_FILES_TRUNCATED "\n"));
	free(buf);
}

/* Read fully, then half dropped: cached equals mincore() to the page. */
TEST(cached_equals_mincore)
{
	const char *mnt = scratch("fs");
	const long pages = 1024;
	char path[128], *buf;
	struct frow r;
	long in_core;
	int fd, attempt;

	if (!mnt)
		SKIP(return, "no scratch disk");
	snprintf(path, sizeof(path), "%s/files-cached", mnt);
	fd = new_file(path, pages);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fsync(fd));
	ASSERT_EQ(0, posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED));
	buf = malloc(pages * PAGE);
	ASSERT_EQ(pages * PAGE, pread(fd, buf, pages * PAGE, 0));
	free(buf);
	ASSERT_EQ(0, posix_fadvise(fd, pages / 2 * PAGE, 0, POSIX_FADV_DONTNEED));
	for (attempt = 0; attempt < 5; attempt++) {
		long before = mincore_pages(fd, pages * PAGE);

		ASSERT_EQ(0, find_row(fd, &r));
		in_core = mincore_pages(fd, pages * PAGE);
		if (before == in_core)
			break;
	}
	TH_LOG("cached %llu kB, mincore %ld pages, %s %s", r.val[MEMLENS_FILES_CACHED], in_core,
	       r.fstype, r.path);
	EXPECT_EQ(pages / 2, in_core);
	EXPECT_EQ((unsigned long long)in_core * PAGE_KB, r.val[MEMLENS_FILES_CACHED]);
	EXPECT_STREQ("/files-cached", r.path);
	EXPECT_EQ(1, r.val[MEMLENS_FILES_NLINK]);
	close(fd);
	unlink(path);
}

TEST(dirty_until_fsync)
{
	const char *mnt = scratch("fs");
	char path[128];
	struct frow r;
	int fd;

	if (!mnt)
		SKIP(return, "no scratch disk");
	snprintf(path, sizeof(path), "%s/files-dirty", mnt);
	fd = new_file(path, 64);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, find_row(fd, &r));
	TH_LOG("written: cached %llu dirty %llu writeback %llu kB", r.val[MEMLENS_FILES_CACHED],
	       r.val[MEMLENS_FILES_DIRTY], r.val[MEMLENS_FILES_WRITEBACK]);
	EXPECT_LT(0, r.val[MEMLENS_FILES_DIRTY]);
	EXPECT_GE(r.val[MEMLENS_FILES_CACHED], r.val[MEMLENS_FILES_DIRTY]);
	ASSERT_EQ(0, fsync(fd));
	ASSERT_EQ(0, find_row(fd, &r));
	TH_LOG("after fsync: dirty %llu writeback %llu kB", r.val[MEMLENS_FILES_DIRTY],
	       r.val[MEMLENS_FILES_WRITEBACK]);
	EXPECT_EQ(0, r.val[MEMLENS_FILES_DIRTY]);
	EXPECT_EQ(0, r.val[MEMLENS_FILES_WRITEBACK]);
	close(fd);
	unlink(path);
}

/*
 * Each child's file column in the processes view and its RssFile in
 * /proc/PID/status, read while the children wait on the pipe, into
 * @file and @status (kB, -1 if not found).
 */
static int children_rss_file(const pid_t *pids, int n, long long *file, long long *status)
{
	struct ml_procs p;
	char path[64];
	int i;

	if (read_processes(&p, 1 << 16))
		return -1;
	for (i = 0; i < n; i++) {
		const struct ml_proc *row = find_proc(&p, pids[i]);

		snprintf(path, sizeof(path), "/proc/%d/status", pids[i]);
		file[i] = row ? (long long)row->val[MEMLENS_PROC_FILE] : -1;
		status[i] = proc_field(path, "RssFile", 1);
	}
	ml_procs_free(&p);
	return 0;
}

/*
 * N processes map a cached file and touch every page of it (fault-around
 * maps cached neighbours of a touched page anyway): procs N, mapped the
 * file, in_rss N times that.  In the processes view each child's file
 * column holds the file's pages and equals its RssFile to the kB: both
 * views read the same counters of an idle child, so no tolerance.  Before
 * 6.2 both read the mm's atomic counter, which a child's own rss cache
 * feeds only every 64 faults: each child flushes it (flush_rss()).  From
 * 6.12.39 (every Debian 6.12) both sum the per-cpu counters exactly.
 */
TEST(mapped_by_n_processes)
{
	const char *mnt = scratch("fs");
	const long pages = 32;
	const int n = 4;
	int fd, i, ready[2], go[2];
	long long file[4], status[4];
	pid_t pids[4];
	char path[128], c = 0;
	struct frow r;

	if (!mnt)
		SKIP(return, "no scratch disk");
	snprintf(path, sizeof(path), "%s/files-mapped", mnt);
	fd = new_file(path, pages);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fsync(fd));
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i]) {
			volatile char *p = mmap(NULL, pages * PAGE, PROT_READ, MAP_SHARED, fd, 0);
			long j, sum = 0;

			close(go[1]);	/* the parent's close is the signal to exit */
			if (p == MAP_FAILED)
				_exit(1);
			for (j = 0; j < pages; j++)
				sum += p[j * PAGE];
			flush_rss();
			if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) < 0)
				_exit(2);
			_exit(sum == 0);
		}
	}
	for (i = 0; i < n; i++)
		ASSERT_EQ(1, read(ready[0], &c, 1));
	ASSERT_EQ(0, find_row(fd, &r));
	ASSERT_EQ(0, children_rss_file(pids, n, file, status));
	TH_LOG("cached %llu mapped %llu in_rss %llu kB, procs %llu",
	       r.val[MEMLENS_FILES_CACHED], r.val[MEMLENS_FILES_MAPPED],
	       r.val[MEMLENS_FILES_IN_RSS], r.val[MEMLENS_FILES_PROCS]);
	close(go[1]);
	for (i = 0; i < n; i++) {
		int st;

		waitpid(pids[i], &st, 0);
		EXPECT_EQ(0, st);
		TH_LOG("child %d: file %lld kB, RssFile %lld kB", pids[i], file[i], status[i]);
		EXPECT_EQ(status[i], file[i]);
		EXPECT_LE(pages * PAGE_KB, file[i]);
	}
	EXPECT_EQ(n, r.val[MEMLENS_FILES_PROCS]);
	EXPECT_EQ(pages * PAGE_KB, r.val[MEMLENS_FILES_MAPPED]);
	EXPECT_EQ(n * pages * PAGE_KB, r.val[MEMLENS_FILES_IN_RSS]);
	ASSERT_EQ(0, find_row(fd, &r));
	EXPECT_EQ(0, r.val[MEMLENS_FILES_PROCS]);
	EXPECT_EQ(0, r.val[MEMLENS_FILES_MAPPED]);
	close(fd);
	unlink(path);
}

/*
 * procs counts processes, not mappings: 100 processes map one page of a
 * file 1 to 24 times each (same offset: the mappings cannot merge), 1,210
 * mappings in all, more than the module's first list of 1,024 holds, so
 * that it grows, and many mm's collide in its set.
 */
TEST(procs_counts_processes_not_mappings)
{
	const char *mnt = scratch("fs");
	int fd, i, k, ready[2], go[2], st;
	const int n = 100;
	pid_t pids[100];
	char path[128], c = 0;
	long vmas = 0;
	struct frow r;

	if (!mnt)
		SKIP(return, "no scratch disk");
	snprintf(path, sizeof(path), "%s/files-procs", mnt);
	fd = new_file(path, 1);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	for (i = 0; i < n; i++) {
		vmas += i % 24 + 1;
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i]) {
			close(go[1]);
			for (k = 0; k <= i % 24; k++)
				if (mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED)
					_exit(1);
			if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) < 0)
				_exit(2);
			_exit(0);
		}
	}
	for (i = 0; i < n; i++)
		ASSERT_EQ(1, read(ready[0], &c, 1));
	ASSERT_EQ(0, find_row(fd, &r));
	TH_LOG("%ld mappings by %d processes: procs %llu", vmas, n,
	       r.val[MEMLENS_FILES_PROCS]);
	close(go[1]);
	for (i = 0; i < n; i++) {
		waitpid(pids[i], &st, 0);
		EXPECT_EQ(0, st);
	}
	EXPECT_LT(1024, vmas);
	EXPECT_EQ(n, r.val[MEMLENS_FILES_PROCS]);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(fd);
	unlink(path);
}

TEST(deleted_but_open)
{
	const char *mnt = scratch("fs");
	char path[128];
	struct frow r;
	int fd;

	if (!mnt)
		SKIP(return, "no scratch disk");
	snprintf(path, sizeof(path), "%s/files-deleted", mnt);
	fd = new_file(path, 8);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, unlink(path));
	ASSERT_EQ(0, find_row(fd, &r));
	TH_LOG("nlink %llu cached %llu kB path %s", r.val[MEMLENS_FILES_NLINK],
	       r.val[MEMLENS_FILES_CACHED], r.path);
	EXPECT_EQ(0, r.val[MEMLENS_FILES_NLINK]);
	EXPECT_EQ(8 * PAGE_KB, r.val[MEMLENS_FILES_CACHED]);
	close(fd);
}

/*
 * A name with every kind of byte that must be escaped, before, across and
 * after the eight-byte words the module copies at once, comes back whole.
 */
TEST(odd_name_escaped)
{
	static const char name[] = "files odd\tname\nwith a \\ and \x7f, then a long tail "
				   "of plain bytes\n";
	const char *mnt = scratch("fs");
	char path[256];
	struct frow r;
	int fd;

	if (!mnt)
		SKIP(return, "no scratch disk");
	snprintf(path, sizeof(path), "%s/%s", mnt, name);
	fd = new_file(path, 2);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, find_row(fd, &r));
	EXPECT_EQ('/', r.path[0]);
	EXPECT_STREQ(name, r.path + 1);
	EXPECT_EQ(2 * PAGE_KB, r.val[MEMLENS_FILES_CACHED]);
	close(fd);
	unlink(path);
}

TEST(memfd)
{
	int fd = memfd_create("memlens test", 0);
	struct frow r;
	char *p;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, 40 * PAGE));
	p = mmap(NULL, 40 * PAGE, PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	memset(p, 1, 40 * PAGE);
	munmap(p, 40 * PAGE);
	ASSERT_EQ(0, find_row(fd, &r));
	TH_LOG("%s %s cached %llu kB", r.fstype, r.path, r.val[MEMLENS_FILES_CACHED]);
	EXPECT_EQ(40 * PAGE_KB, r.val[MEMLENS_FILES_CACHED]);
	EXPECT_STREQ("memfd:memlens test", r.path);
	close(fd);
}

/*
 * The @i-th path of a test below, within its filesystem: where the file
 * is made, or (@shown) where the files view must show it.
 */
typedef void (*files_path_fn)(char *path, size_t size, int i, bool shown);

#define FILES_MADE_MAX	64

/* @n files of one page made at @mnt + path(i), their inode numbers in @ino. */
static void make_named_files(struct __test_metadata *_metadata, const char *mnt, int n,
			     files_path_fn path_of, ino_t *ino, struct stat *st)
{
	char rel[256], path[512];
	int i, fd;

	for (i = 0; i < n; i++) {
		path_of(rel, sizeof(rel), i, false);
		snprintf(path, sizeof(path), "%s%s", mnt, rel);
		fd = new_file(path, 1);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, fstat(fd, st));
		ino[i] = st->st_ino;
		close(fd);
	}
}

/* In one read of files, each of the @n files on @st's device has its shown path. */
static void expect_named_files(struct __test_metadata *_metadata, int n, files_path_fn path_of,
			       const ino_t *ino, const struct stat *st)
{
	char path[256], *buf, *line;
	int i, found = 0;
	struct frow r;
	size_t len;

	buf = read_files(1 << 20, &len);
	ASSERT_NE(NULL, buf);
	for (line = strchr(buf, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
		if (parse_row(line + 1, &r) || r.major != major(st->st_dev) ||
		    r.minor != minor(st->st_dev))
			continue;
		for (i = 0; i < n; i++) {
			if (r.ino != ino[i])
				continue;
			path_of(path, sizeof(path), i, true);
			EXPECT_STREQ(path, r.path);
			found++;
		}
	}
	free(buf);
	EXPECT_EQ(n, found);
}

/*
 * Names with bytes to escape, short (in the dentry) or long, with one
 * such byte at each place in turn, before, across and after the
 * eight-byte words the module tests at once, or none; all in /d.
 */
static void odd_path(char *path, size_t size, int i, bool shown)
{
	static const char odd[] = " \t\n\\\x7f";
	int width = i % 2 ? 1 + i / 2 % 20 : 41 + i / 2;
	char digits[64];
	int k;

	/* the digits of i alone tell the names apart: one byte is put among them */
	k = snprintf(digits, sizeof(digits), "%0*d", width, i);
	if (i % 7 == 6) {
		snprintf(path, size, "/d/%s", digits);
		return;
	}
	k = i * 5 % (k + 1);
	snprintf(path, size, "/d/%.*s%c%s", k, digits, odd[i % 5], digits + k);
}

/*
 * All in one directory, so that the module makes every path but the
 * first from the directory's, kept: each comes back whole.
 */
TEST(names_escaped_in_one_directory)
{
	const char *mnt = "/tmp/memlens-files-names";
	ino_t ino[FILES_MADE_MAX];
	char path[256];
	struct stat st;

	mkdir(mnt, 0700);
	ASSERT_EQ(0, mount("tmpfs", mnt, "tmpfs", 0, "size=16m"));
	snprintf(path, sizeof(path), "%s/d", mnt);
	ASSERT_EQ(0, mkdir(path, 0700));
	make_named_files(_metadata, mnt, 60, odd_path, ino, &st);
	expect_named_files(_metadata, 60, odd_path, ino, &st);
	EXPECT_EQ(0, umount(mnt));
	rmdir(mnt);
}

static const char *const across_dirs[] = {
	"", "/d1", "/d1/sub", "/d2", "/d 3\tand a name longer than forty bytes"
};

/*
 * The @i-th file of paths_across_directories: made in each directory in
 * turn, its name short or too long for a dentry; /d2 is renamed after.
 */
static void across_path(char *path, size_t size, int i, bool shown)
{
	snprintf(path, size, "%s/%s%d", shown && i % 5 == 3 ? "/d2 renamed" : across_dirs[i % 5],
		 i % 3 ? "f" : "a name longer than a dentry holds inline ", i);
}

/*
 * Paths of files made in turn in five directories (one renamed after, one
 * with a name to escape, one deeper), with short and long names, as
 * stat() knows them: a directory's path made for one file and used for
 * the next must be that file's directory's.
 */
TEST(paths_across_directories)
{
	const char *mnt = "/tmp/memlens-files-paths";
	char path[512], from[512];
	ino_t ino[FILES_MADE_MAX];
	struct stat st;
	int i;

	mkdir(mnt, 0700);
	ASSERT_EQ(0, mount("tmpfs", mnt, "tmpfs", 0, "size=16m"));
	for (i = 1; i < 5; i++) {
		snprintf(path, sizeof(path), "%s%s", mnt, across_dirs[i]);
		ASSERT_EQ(0, mkdir(path, 0700));
	}
	make_named_files(_metadata, mnt, 40, across_path, ino, &st);
	snprintf(from, sizeof(from), "%s/d2", mnt);
	snprintf(path, sizeof(path), "%s/d2 renamed", mnt);
	ASSERT_EQ(0, rename(from, path));
	expect_named_files(_metadata, 40, across_path, ino, &st);
	EXPECT_EQ(0, umount(mnt));
	rmdir(mnt);
}

/* A tmpfs file shows; the tmpfs unmounts right after a read. */
TEST(tmpfs_file_and_umount)
{
	const char *mnt = "/tmp/memlens-files-tmpfs";
	struct frow r;
	size_t len;
	char *buf;
	int fd;

	mkdir(mnt, 0700);
	ASSERT_EQ(0, mount("tmpfs", mnt, "tmpfs", 0, "size=16m"));
	fd = new_file("/tmp/memlens-files-tmpfs/f", 20);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, find_row(fd, &r));
	TH_LOG("%s %s cached %llu kB", r.fstype, r.path, r.val[MEMLENS_FILES_CACHED]);
	EXPECT_EQ(20 * PAGE_KB, r.val[MEMLENS_FILES_CACHED]);
	EXPECT_STREQ("tmpfs", r.fstype);
	EXPECT_STREQ("/f", r.path);
	close(fd);
	buf = read_files(4096, &len);
	ASSERT_NE(NULL, buf);
	free(buf);
	EXPECT_EQ(0, umount(mnt)) TH_LOG("umount: %s", strerror(errno));
	rmdir(mnt);
}

/* Device and inode of the file mapped at [@addr, @addr + @len), by /proc/self/map_files. */
static int mapped_file(const void *addr, size_t len, struct stat *st)
{
	char path[96];

	snprintf(path, sizeof(path), "/proc/self/map_files/%lx-%lx", (unsigned long)addr,
		 (unsigned long)addr + len);
	return stat(path, st);
}

/* The rss column of SysV shm segment @id in /proc/sysvipc/shm, in bytes; -1 if absent. */
static long long sysvipc_shm_rss(int id)
{
	long long v[16], rss = -1;
	char line[512], *p, *end;
	FILE *f = fopen("/proc/sysvipc/shm", "r");
	int n;

	/* key shmid perms size cpid lpid nattch uid gid cuid cgid atime dtime ctime rss swap */
	while (f && fgets(line, sizeof(line), f)) {
		for (n = 0, p = line; n < 16; n++, p = end) {
			v[n] = strtoll(p, &end, 10);
			if (end == p)
				break;
		}
		if (n == 16 && v[1] == id)
			rss = v[14];
	}
	if (f)
		fclose(f);
	return rss;
}

/*
 * A SysV shm segment attached and touched: its row is on the kernel's
 * internal tmpfs mount, named SYSV and the key, unlinked; cached is what
 * /proc/sysvipc/shm says it holds, the whole segment, all of it mapped by
 * this one process.  Gone once removed.
 */
TEST(sysv_shm)
{
	const long pages = 48;
	long long rss = -1;
	struct stat st;
	struct frow r;
	int id, found = -1;
	char *p;

	id = shmget(IPC_PRIVATE, pages * PAGE, IPC_CREAT | 0600);
	ASSERT_LE(0, id) TH_LOG("shmget: %s", strerror(errno));
	p = shmat(id, NULL, 0);
	if (p != (void *)-1) {
		memset(p, 1, pages * PAGE);
		found = mapped_file(p, pages * PAGE, &st) ? -2 :
			find_row_id(st.st_dev, st.st_ino, &r);
		rss = sysvipc_shm_rss(id);
		shmdt(p);
	}
	shmctl(id, IPC_RMID, NULL);
	ASSERT_NE((void *)-1, p) TH_LOG("shmat: %s", strerror(errno));
	ASSERT_EQ(0, found) TH_LOG("%s", found == -2 ? "no map_files entry" : "no row");
	TH_LOG("%u:%u %llu %s %s: cached %llu mapped %llu in_rss %llu kB, procs %llu, nlink %llu",
	       r.major, r.minor, r.ino, r.fstype, r.path, r.val[MEMLENS_FILES_CACHED],
	       r.val[MEMLENS_FILES_MAPPED], r.val[MEMLENS_FILES_IN_RSS],
	       r.val[MEMLENS_FILES_PROCS], r.val[MEMLENS_FILES_NLINK]);
	TH_LOG("/proc/sysvipc/shm rss %lld kB", rss / 1024);
	EXPECT_STREQ("tmpfs", r.fstype);
	EXPECT_STREQ("SYSV00000000", r.path);
	EXPECT_EQ(0, r.val[MEMLENS_FILES_NLINK]);
	EXPECT_EQ(pages * PAGE_KB, r.val[MEMLENS_FILES_CACHED]);
	EXPECT_EQ(rss / 1024, (long long)r.val[MEMLENS_FILES_CACHED]);
	EXPECT_EQ(pages * PAGE_KB, r.val[MEMLENS_FILES_MAPPED]);
	EXPECT_EQ(pages * PAGE_KB, r.val[MEMLENS_FILES_IN_RSS]);
	/* the harness runs each test in a process of its own: no one else attached */
	EXPECT_EQ(1, r.val[MEMLENS_FILES_PROCS]);
	/* the last detach and IPC_RMID freed the inode before shmctl() returned */
	EXPECT_NE(0, find_row_id(st.st_dev, st.st_ino, &r));
}

/*
 * A file of a tmpfs lazily unmounted while a mapping of it is the last
 * thing that holds the superblock: its row is still there, with the file
 * all cached and mapped by this process.  The munmap() ends the
 * superblock, the read after it works, and the row is gone: the last
 * fput() and mntput() run before munmap() returns to user space.
 */
TEST(lazily_unmounted_tmpfs_still_mapped)
{
	const char *mnt = "/tmp/memlens-files-lazy";
	volatile char *p;
	const long pages = 24;
	struct stat st;
	struct frow r;
	size_t len;
	long i, sum = 0;
	char *buf;
	int fd;

	mkdir(mnt, 0700);
	ASSERT_EQ(0, mount("tmpfs", mnt, "tmpfs", 0, "size=16m"));
	fd = new_file("/tmp/memlens-files-lazy/f", pages);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fstat(fd, &st));
	p = mmap(NULL, pages * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	for (i = 0; i < pages; i++)
		sum += p[i * PAGE];
	close(fd);
	ASSERT_EQ(0, umount2(mnt, MNT_DETACH)) TH_LOG("umount2: %s", strerror(errno));
	rmdir(mnt);
	ASSERT_EQ(0, find_row_id(st.st_dev, st.st_ino, &r));
	TH_LOG("%u:%u %llu %s %s detached: cached %llu mapped %llu in_rss %llu kB, procs %llu",
	       r.major, r.minor, r.ino, r.fstype, r.path, r.val[MEMLENS_FILES_CACHED],
	       r.val[MEMLENS_FILES_MAPPED], r.val[MEMLENS_FILES_IN_RSS],
	       r.val[MEMLENS_FILES_PROCS]);
	EXPECT_EQ(pages * 'm', sum);
	EXPECT_STREQ("tmpfs", r.fstype);
	EXPECT_STREQ("/f", r.path);
	EXPECT_EQ(pages * PAGE_KB, r.val[MEMLENS_FILES_CACHED]);
	EXPECT_EQ(pages * PAGE_KB, r.val[MEMLENS_FILES_MAPPED]);
	EXPECT_EQ(pages * PAGE_KB, r.val[MEMLENS_FILES_IN_RSS]);
	EXPECT_EQ(1, r.val[MEMLENS_FILES_PROCS]);
	ASSERT_EQ(0, munmap((void *)p, pages * PAGE));
	buf = read_files(4096, &len);
	ASSERT_NE(NULL, buf);
	free(buf);
	EXPECT_NE(0, find_row_id(st.st_dev, st.st_ino, &r)) TH_LOG("%s still there", r.path);
}

struct fid {
	unsigned int major, minor;
	uint64_t ino;
};

static int cmp_fid(const void *a, const void *b)
{
	const struct fid *x = a, *y = b;

	if (x->major != y->major)
		return x->major < y->major ? -1 : 1;
	if (x->minor != y->minor)
		return x->minor < y->minor ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/*
 * The inodes of @path's rows that some process maps, sorted, into *@ids;
 * their number, or -1.  @unmapped counts rows of @path with procs 0.
 */
static long mapped_ids(const char *path, struct fid **ids, long *unmapped)
{
	struct ml_files f;
	long n = 0;
	size_t i;

	if (read_view(path, 1 << 20, ml_parse_files, &f))
		return -1;
	*ids = calloc(f.n + 1, sizeof(**ids));
	*unmapped = 0;
	for (i = 0; *ids && i < f.n; i++) {
		if (!f.rows[i].val[MEMLENS_FILES_PROCS]) {
			++*unmapped;
			continue;
		}
		(*ids)[n++] = (struct fid){ f.rows[i].major, f.rows[i].minor,
					   f.rows[i].val[MEMLENS_FILES_INO] };
	}
	ml_files_free(&f);
	if (!*ids)
		return -1;
	qsort(*ids, n, sizeof(**ids), cmp_fid);
	return n;
}

/*
 * The mapped file has the rows of the files some process maps, and no
 * other: the same inodes as the files file's rows with procs > 0 (read
 * again while the system moves).  This test's own program is one.
 */
TEST(mapped_file_is_the_mapped_rows)
{
	long nf = -1, nm = -1, unmapped = 0, skip = 0, attempt, i;
	struct fid *f = NULL, *m = NULL, self;
	bool same = false, found = false;
	struct stat st;

	ASSERT_EQ(0, stat("/proc/self/exe", &st));
	self = (struct fid){ major(st.st_dev), minor(st.st_dev), st.st_ino };
	for (attempt = 0; attempt < 5 && !same; attempt++) {
		free(f);
		free(m);
		nf = mapped_ids(FILES, &f, &skip);
		nm = mapped_ids(MEMLENS_DIR "/" MEMLENS_FILE_MAPPED, &m, &unmapped);
		ASSERT_LE(0, nf);
		ASSERT_LE(0, nm);
		same = nf == nm && !unmapped && !memcmp(f, m, nf * sizeof(*f));
		TH_LOG("attempt %ld: %ld mapped rows in files (of %ld), %ld in mapped, "
		       "%ld there unmapped", attempt, nf, nf + skip, nm, unmapped);
	}
	for (i = 0; i < nm; i++)
		found |= !cmp_fid(&m[i], &self);
	EXPECT_TRUE(same);
	EXPECT_TRUE(found) TH_LOG("no row for this program, %u:%u %llu", self.major,
				  self.minor, (unsigned long long)self.ino);
	free(f);
	free(m);
}

struct sums {
	unsigned long long bdev, other;
};

static int sum_rows(struct sums *s)
{
	struct frow *r = malloc(sizeof(*r));
	size_t len;
	char *buf = read_files(1 << 20, &len), *line;

	if (!buf || !r) {
		free(buf);
		free(r);
		return -1;
	}
	memset(s, 0, sizeof(*s));
	for (line = strchr(buf, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
		if (parse_row(line + 1, r))
			continue;
		if (!strcmp(r->fstype, "bdev"))
			s->bdev += r->val[MEMLENS_FILES_CACHED];
		else
			s->other += r->val[MEMLENS_FILES_CACHED];
	}
	free(buf);
	free(r);
	return 0;
}

/* Buffers exactly, Cached within 1% (1 MiB at least), each read around the file. */
TEST(sums_match_meminfo)
{
	long long b0, b1, c0, c1, lo, hi;
	struct sums s;
	int attempt;

	/* some Buffers: the scratch disk read through its block device */
	if (scratch("fs"))
		sh("dd if=/dev/vda of=/dev/null bs=64k count=16 2>/dev/null");
	for (attempt = 0; attempt < 5; attempt++) {
		b0 = proc_field("/proc/meminfo", "Buffers", 1);
		c0 = proc_field("/proc/meminfo", "Cached", 1);
		ASSERT_EQ(0, sum_rows(&s));
		b1 = proc_field("/proc/meminfo", "Buffers", 1);
		c1 = proc_field("/proc/meminfo", "Cached", 1);
		if (b0 == b1 && (long long)s.bdev == b0)
			break;
	}
	TH_LOG("bdev rows %llu kB, Buffers %lld..%lld; other rows %llu kB, Cached %lld..%lld",
	       s.bdev, b0, b1, s.other, c0, c1);
	lo = b0 < b1 ? b0 : b1;
	hi = b0 < b1 ? b1 : b0;
	EXPECT_LE(lo, (long long)s.bdev);
	EXPECT_GE(hi, (long long)s.bdev);
	/*
	 * /proc/meminfo's Cached is the global NR_FILE_PAGES, which lags the
	 * per-cpu deltas not yet folded into it (up to the vmstat threshold,
	 * tens of pages, per cpu): 1%, and at least 1 MiB.
	 */
	lo = (c0 < c1 ? c0 : c1) * 99 / 100 - 1024;
	hi = (c0 < c1 ? c1 : c0) * 101 / 100 + 1024;
	EXPECT_LE(lo, (long long)s.other);
	EXPECT_GE(hi, (long long)s.other);
}

/*
 * The fields of @buf's rows that processes starting and exiting between
 * two reads move (mapped, in_rss, procs: the test runner starts some
 * every second) blanked, so that reads can be compared byte for byte.
 */
static void blank_mappers(char *buf, size_t len)
{
	char *p = buf, *end = buf + len;
	int field = 0;
	bool in_field = false;

	for (; p < end; p++) {
		if (*p == '\n') {
			field = 0;
			in_field = false;
		} else if (*p == ' ') {
			in_field = false;
		} else {
			if (!in_field)
				field++;
			in_field = true;
			if (field >= MEMLENS_FILES_MAPPED + 1 && field <= MEMLENS_FILES_PROCS + 1)
				*p = '-';
		}
	}
}

/* 1 B, 4 KiB and 1 MiB reads give the same rows (retried if the system moved). */
TEST(read_sizes_same_rows)
{
	static const size_t chunks[] = { 1, 4096, 1 << 20 };
	char *buf[3];
	size_t len[3];
	int attempt, i, same = 0;

	for (attempt = 0; attempt < 5 && !same; attempt++) {
		sync();
		for (i = 0; i < 3; i++) {
			buf[i] = read_files(chunks[i], &len[i]);
			ASSERT_NE(NULL, buf[i]);
			blank_mappers(buf[i], len[i]);
		}
		same = len[0] == len[1] && len[1] == len[2] && !memcmp(buf[0], buf[1], len[0]) &&
		       !memcmp(buf[1], buf[2], len[0]);
		TH_LOG("attempt %d: %zu, %zu, %zu bytes", attempt, len[0], len[1], len[2]);
		for (i = 0; i < 3; i++)
			free(buf[i]);
	}
	EXPECT_TRUE(same);
}

static int cmp_ids(const void *a, const void *b)
{
	const unsigned long long *x = a, *y = b;

	return x[0] != y[0] ? (x[0] < y[0] ? -1 : 1) : (x[1] < y[1] ? -1 : x[1] > y[1]);
}

static int dirs_parses(void);

/* One read: rows that parse, none twice; the number of rows, or -1. */
static long read_unique(void)
{
	struct frow *r = malloc(sizeof(*r));
	unsigned long long (*ids)[2] = NULL;
	long n = 0, i, ret = -1;
	size_t len;
	char *buf = read_files(65536, &len), *line;

	if (!buf || !r)
		goto out;
	ids = malloc(len / 20 * sizeof(*ids));
	for (line = strchr(buf, '\n'); ids && line && line[1]; line = strchr(line + 1, '\n')) {
		/* the rows end where the total rows begin */
		if (!strncmp(line + 1, MEMLENS_FILES_TOTAL " ", strlen(MEMLENS_FILES_TOTAL) + 1))
			break;
		if (parse_row(line + 1, r))
			goto out;
		ids[n][0] = (unsigned long long)r->major << 32 | r->minor;
		ids[n++][1] = r->ino;
	}
	qsort(ids, n, sizeof(*ids), cmp_ids);
	for (i = 1; i < n; i++)
		if (!cmp_ids(ids[i - 1], ids[i]))
			goto out;
	ret = n;
out:
	free(ids);
	free(buf);
	free(r);
	return ret;
}

/*
 * A reader loops while tmpfs filesystems with cached files are mounted,
 * filled, emptied and unmounted: every umount succeeds at once, every read
 * of files parses and shows no inode twice, every read of dirs parses.
 */
TEST(umount_and_churn_while_read)
{
	const char *mnt = "/tmp/memlens-files-churn";
	int i, j, fd, st, stop[2];
	char path[128], c;
	pid_t reader;

	mkdir(mnt, 0700);
	ASSERT_EQ(0, pipe(stop));
	reader = fork();
	ASSERT_LE(0, reader);
	if (!reader) {
		long reads = 0;

		close(stop[1]);
		fcntl(stop[0], F_SETFL, O_NONBLOCK);
		while (read(stop[0], &c, 1) < 0) {
			if (read_unique() < 0 || dirs_parses())
				_exit(1);
			reads++;
		}
		printf("# %ld reads, each parsed and without a repeated inode\n", reads);
		_exit(0);
	}
	close(stop[0]);
	for (i = 0; i < 30; i++) {
		ASSERT_EQ(0, mount("tmpfs", mnt, "tmpfs", 0, "size=8m"));
		for (j = 0; j < 20; j++) {
			snprintf(path, sizeof(path), "%s/f%d", mnt, j);
			fd = new_file(path, 4);
			ASSERT_LE(0, fd);
			close(fd);
			if (j % 2)
				unlink(path);
		}
		ASSERT_EQ(0, umount(mnt)) TH_LOG("umount %d: %s", i, strerror(errno));
	}
	close(stop[1]);
	ASSERT_EQ(reader, waitpid(reader, &st, 0));
	EXPECT_EQ(0, st);
	rmdir(mnt);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The rows of superblock @major:@minor in @buf, sorted, joined; NULL on error. */
static char *rows_of(char *buf, unsigned int major, unsigned int minor, long *n)
{
	char prefix[32], *line, *next, **lines = NULL, *out = NULL, *p;
	size_t cap = 0, total = 0;
	long i;

	snprintf(prefix, sizeof(prefix), "%u:%u ", major, minor);
	*n = 0;
	for (line = buf; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (strncmp(line, prefix, strlen(prefix)))
			continue;
		if ((size_t)*n == cap) {
			cap = 2 * cap + 1024;
			lines = realloc(lines, cap * sizeof(*lines));
			if (!lines)
				return NULL;
		}
		lines[(*n)++] = line;
		total += strlen(line) + 1;
	}
	qsort(lines, *n, sizeof(*lines), cmp_str);
	out = p = malloc(total + 1);
	if (out)
		*out = '\0';
	for (i = 0; out && i < *n; i++)
		p += sprintf(p, "%s\n", lines[i]);
	free(lines);
	return out;
}

/* The first line where @a and @b differ, shortened, into @why; 0 if they do not. */
static int first_difference(const char *a, const char *b, char *why, size_t len)
{
	size_t i, line = 0;

	for (i = 0; a[i] && a[i] == b[i]; i++)
		if (a[i] == '\n')
			line = i + 1;
	if (!a[i] && !b[i])
		return 0;
	snprintf(why, len, "'%.*s' vs '%.*s'", (int)strcspn(a + line, "\n"), a + line,
		 (int)strcspn(b + line, "\n"), b + line);
	return -1;
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* @n files of one byte, named 0 to n - 1, in directory @dir; 0 on success. */
static int one_byte_files(const char *dir, long n)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY), fd = 0;
	char name[32];
	long i;

	for (i = 0; dfd >= 0 && fd >= 0 && i < n; i++) {
		snprintf(name, sizeof(name), "%ld", i);
		fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (fd >= 0 && write(fd, "m", 1) != 1) {
			close(fd);
			fd = -1;
		}
		if (fd >= 0)
			close(fd);
	}
	if (dfd >= 0)
		close(dfd);
	return dfd < 0 || fd < 0 ? -1 : 0;
}

/* Whether @row is that of a one_byte_files() file not @seen before, which it marks. */
static bool one_byte_row(const char *row, long n, char *seen)
{
	unsigned long long v[7];
	char fstype[64];
	int end = 0;
	long i;

	if (sscanf(row, "%*u:%*u %*u %63s %llu %llu %llu %llu %llu %llu %llu /%ld%n", fstype,
		   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &i, &end) != 9 || row[end])
		return false;
	return !strcmp(fstype, "tmpfs") && v[0] == (unsigned long long)PAGE_KB && !v[1] &&
	       !v[2] && !v[3] && !v[4] && !v[5] && v[6] == 1 && i >= 0 && i < n && !seen[i]++;
}

/*
 * Rows @set are those of @n one_byte_files(): each file once, one page
 * cached, clean, unmapped, one link.  0 if so; else the first row that is
 * not into @why.  Each row is copied out first: sscanf() takes the
 * strlen() of its input.
 */
static int one_byte_rows(const char *set, long n, char *why, size_t size)
{
	char *seen = calloc(n, 1), row[256] = "";
	const char *line;
	long rows = 0;
	size_t len;

	for (line = set; seen && *line; line += len + 1, rows++) {
		len = strcspn(line, "\n");
		snprintf(row, sizeof(row), "%.*s", (int)len, line);
		if (!one_byte_row(row, n, seen))
			break;
	}
	snprintf(why, size, "'%.200s' after %ld rows", row, rows);
	free(seen);
	return seen && !*line && rows == n ? 0 : -1;
}

static long long meminfo_kb(const char *key)
{
	return proc_field("/proc/meminfo", key, 1);
}

/*
 * FILES_MANY (default 200,000) cached files on one tmpfs: every one has its
 * row, and 1 B, 4 KiB and 1 MiB reads give the same rows.  A file of one
 * byte holds a page of shmem and about 1 kB of slab (inode, dentry):
 * 200,000 take about 1 GiB of the test VM's 2 GiB, checked first.  The
 * whole file, ~7.8 MB, is read 1 B at a time: ~7.8 million read() calls,
 * 16-35 s under TCG; each number is logged.
 */
TEST(many_cached_files)
{
	static const size_t chunks[] = { 1, 4096, 1 << 20 };
	const char *mnt = "/tmp/memlens-files-many";
	long n = getenv("FILES_MANY") ? atol(getenv("FILES_MANY")) : 200000, rows[3];
	long long avail, shmem, slab;
	char opts[64], why[256], *buf, *set[3];
	struct stat st;
	double t;
	size_t len;
	int k;

	avail = meminfo_kb("MemAvailable");
	shmem = meminfo_kb("Shmem");
	slab = meminfo_kb("Slab");
	ASSERT_LT(n * (PAGE_KB + 2) + (256 << 10), avail)
		TH_LOG("%ld files need about %ld MiB, MemAvailable is %lld MiB", n,
		       n * (PAGE_KB + 2) / 1024 + 256, avail / 1024);
	mkdir(mnt, 0700);
	snprintf(opts, sizeof(opts), "nr_blocks=%ld,nr_inodes=0", n + 64);
	ASSERT_EQ(0, mount("tmpfs", mnt, "tmpfs", 0, opts));
	ASSERT_EQ(0, stat(mnt, &st));
	t = now_ms();
	ASSERT_EQ(0, one_byte_files(mnt, n)) TH_LOG("%s", strerror(errno));
	TH_LOG("%ld files in %.0f ms: Shmem +%lld kB, Slab +%lld kB; MemAvailable %lld -> %lld kB",
	       n, now_ms() - t, meminfo_kb("Shmem") - shmem, meminfo_kb("Slab") - slab, avail,
	       meminfo_kb("MemAvailable"));
	for (k = 0; k < 3; k++) {
		t = now_ms();
		buf = read_files(chunks[k], &len);
		ASSERT_NE(NULL, buf);
		TH_LOG("%zu B reads: %zu bytes in %.0f ms", chunks[k], len, now_ms() - t);
		EXPECT_EQ(NULL, strstr(buf, "\n" MEMLENS_FILES_TRUNCATED "\n"));
		set[k] = rows_of(buf, major(st.st_dev), minor(st.st_dev), &rows[k]);
		free(buf);
		ASSERT_NE(NULL, set[k]);
		EXPECT_EQ(n, rows[k]);
	}
	t = now_ms();
	EXPECT_EQ(0, one_byte_rows(set[0], n, why, sizeof(why))) TH_LOG("row %s", why);
	TH_LOG("rows checked in %.0f ms", now_ms() - t);
	for (k = 1; k < 3; k++) {
		EXPECT_EQ(0, first_difference(set[0], set[k], why, sizeof(why)))
			TH_LOG("1 B and %zu B reads differ: %s", chunks[k], why);
	}
	for (k = 0; k < 3; k++)
		free(set[k]);
	t = now_ms();
	EXPECT_EQ(0, umount(mnt)) TH_LOG("umount: %s", strerror(errno));
	TH_LOG("umount in %.0f ms", now_ms() - t);
	rmdir(mnt);
}

#define SB_MAX		256

/* One superblock's total row, and the sums of its rows, of one read. */
struct sb_sums {
	unsigned int major, minor;
	unsigned long long total[MEMLENS_FILES_TOTAL_NR_COLUMNS];
	unsigned long long rows[MEMLENS_FILES_TOTAL_NR_COLUMNS];
	bool has_total;
};

static struct sb_sums *sb_of(struct sb_sums *sb, int *n, unsigned int major, unsigned int minor)
{
	int i;

	for (i = 0; i < *n; i++)
		if (sb[i].major == major && sb[i].minor == minor)
			return &sb[i];
	if (*n == SB_MAX)
		return NULL;
	memset(&sb[*n], 0, sizeof(sb[*n]));
	sb[*n].major = major;
	sb[*n].minor = minor;
	return &sb[(*n)++];
}

/*
 * The superblocks of one read of @path (files or dirs), each with its
 * total row and its rows' sums in the total's columns; @below set if a
 * below line ends the read.  -1 if a line is neither.
 */
static int sb_sums(const char *path, struct sb_sums *sb, int *n, bool *below)
{
	bool dirs = !strcmp(path, DIRS);
	unsigned long long v[8];
	unsigned int major, minor;
	char fstype[64], *buf, *line, *nl;
	struct sb_sums *x;
	size_t len;
	int k, ret = 0;

	buf = read_file(path, &len, 1 << 20);
	if (!buf)
		return -1;
	*n = 0;
	*below = false;
	line = strchr(buf, '\n');
	for (line = line ? line + 1 : NULL; line && *line && !ret; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break;
		*nl = '\0';
		if (sscanf(line, MEMLENS_FILES_TOTAL " %u:%u %63s %llu %llu %llu %llu %llu %llu",
			   &major, &minor, fstype, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) == 9) {
			x = sb_of(sb, n, major, minor);
			if (!x || x->has_total)
				ret = -1;
			else
				x->has_total = true;
			for (k = 0; x && k < 6; k++)
				x->total[MEMLENS_FILES_TOTAL_FILES + k] = v[k];
			continue;
		}
		if (!strncmp(line, MEMLENS_FILES_BELOW " ", strlen(MEMLENS_FILES_BELOW) + 1)) {
			*below = true;
			continue;
		}
		if (dirs)
			k = sscanf(line, "%u:%u %63s %llu %llu %llu %llu %llu", &major, &minor, fstype,
				   &v[0], &v[1], &v[2], &v[3], &v[4]) - 3;
		else
			k = sscanf(line, "%u:%u %*u %63s %llu %llu %llu %llu %llu", &major, &minor,
				   fstype, &v[1], &v[2], &v[3], &v[4], &v[5]) - 3;
		x = sb_of(sb, n, major, minor);
		if (k != 5 || !x || x->has_total) {
			ret = -1;	/* not a row, or a row after its total */
			break;
		}
		x->rows[MEMLENS_FILES_TOTAL_FILES]++;
		for (k = 1; k < (dirs ? 5 : 6); k++)
			x->rows[MEMLENS_FILES_TOTAL_FILES + k] += v[k];
	}
	free(buf);
	return ret;
}

/* One read of dirs: every line a row, a total row or the below line; 0 if so. */
static int dirs_parses(void)
{
	struct sb_sums *sb = calloc(SB_MAX, sizeof(*sb));
	bool below;
	int n, ret = sb ? sb_sums(DIRS, sb, &n, &below) : -1;

	free(sb);
	return ret;
}

/* Each superblock's rows of one read of @path add up to its total row. */
static void expect_totals(struct __test_metadata *_metadata, const char *path)
{
	struct sb_sums *sb = calloc(SB_MAX, sizeof(*sb));
	bool below;
	int i, k, n;

	ASSERT_NE(NULL, sb);
	ASSERT_EQ(0, sb_sums(path, sb, &n, &below)) TH_LOG("%s: a line not understood", path);
	EXPECT_FALSE(below);
	EXPECT_LT(0, n);
	for (i = 0; i < n; i++) {
		EXPECT_TRUE(sb[i].has_total) TH_LOG("%s: %u:%u has rows, no total", path,
						    sb[i].major, sb[i].minor);
		/* dirs rows count files: their files column is the total's */
		if (!strcmp(path, DIRS))
			sb[i].rows[MEMLENS_FILES_TOTAL_FILES] = sb[i].total[MEMLENS_FILES_TOTAL_FILES];
		for (k = MEMLENS_FILES_TOTAL_FILES; k < MEMLENS_FILES_TOTAL_NR_COLUMNS; k++) {
			if (!strcmp(path, DIRS) && k == MEMLENS_FILES_TOTAL_IN_RSS)
				continue;
			EXPECT_EQ(sb[i].total[k], sb[i].rows[k])
				TH_LOG("%s: %u:%u column %d: total %llu, rows %llu", path,
				       sb[i].major, sb[i].minor, k, sb[i].total[k], sb[i].rows[k]);
		}
	}
	free(sb);
}

/* Every superblock's rows add up to its total row, in files, mapped and dirs. */
TEST(total_rows_are_the_rows_sums)
{
	expect_totals(_metadata, FILES);
	expect_totals(_metadata, MEMLENS_DIR "/mapped");
	expect_totals(_metadata, DIRS);
}

/* The dirs row of @dir on @st's device: its files and cached; -1 if none. */
static int dir_row(const struct stat *st, const char *dir, unsigned long long *files,
		   unsigned long long *cached)
{
	char *buf, *line, *nl, path[4096];
	unsigned int major, minor;
	size_t len;
	int ret = -1;

	buf = read_file(DIRS, &len, 4096);
	for (line = buf; buf && line && *line && ret; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break;
		*nl = '\0';
		if (sscanf(line, "%u:%u %*s %llu %llu %*u %*u %*u %4095s", &major, &minor, files,
			   cached, path) == 5 && major == major(st->st_dev) &&
		    minor == minor(st->st_dev)) {
			unescape(path);
			if (!strcmp(path, dir))
				ret = 0;
		}
	}
	free(buf);
	return ret;
}

/*
 * A tree of files of known sizes: each directory's row has its own
 * files, not its subdirectories'; a file at the root is in "/", a
 * directory with a name to escape comes back whole.
 */
TEST(dirs_rows_of_a_tree)
{
	static const struct {
		const char *path;
		int pages;
	} files[] = {
		{ "/f0", 1 }, { "/a/f1", 2 }, { "/a/f2", 3 }, { "/a/b c/f3", 4 },
	};
	static const struct {
		const char *dir;
		unsigned long long files, pages;
	} dirs[] = {
		{ "/", 1, 1 }, { "/a", 2, 5 }, { "/a/b c", 1, 4 },
	};
	const char *mnt = "/tmp/memlens-files-tree";
	unsigned long long nfiles, cached;
	char path[256];
	struct stat st;
	size_t i;
	int fd;

	mkdir(mnt, 0700);
	ASSERT_EQ(0, mount("tmpfs", mnt, "tmpfs", 0, "size=16m"));
	snprintf(path, sizeof(path), "%s/a", mnt);
	ASSERT_EQ(0, mkdir(path, 0700));
	snprintf(path, sizeof(path), "%s/a/b c", mnt);
	ASSERT_EQ(0, mkdir(path, 0700));
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s%s", mnt, files[i].path);
		fd = new_file(path, files[i].pages);
		ASSERT_LE(0, fd);
		close(fd);
	}
	ASSERT_EQ(0, stat(mnt, &st));
	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		EXPECT_EQ(0, dir_row(&st, dirs[i].dir, &nfiles, &cached))
			TH_LOG("no row for %s", dirs[i].dir);
		EXPECT_EQ(dirs[i].files, nfiles) TH_LOG("%s", dirs[i].dir);
		EXPECT_EQ(dirs[i].pages * PAGE_KB, cached) TH_LOG("%s", dirs[i].dir);
	}
	EXPECT_EQ(0, umount(mnt));
	rmdir(mnt);
}

/* memlens loaded again with @params; 0 on success. */
static int reload(const char *params)
{
	char cmd[200];

	snprintf(cmd, sizeof(cmd), "rmmod memlens && modprobe memlens %s", params);
	return sh(cmd);
}

/* The cached of inode @ino on @st's device in @buf's rows; -1 if it has none. */
static long long row_cached(const char *buf, const struct stat *st, unsigned long long ino)
{
	unsigned long long i, kb;
	unsigned int major, minor;
	const char *line;

	for (line = strchr(buf, '\n'); line && line[1]; line = strchr(line + 1, '\n'))
		if (sscanf(line + 1, "%u:%u %llu %*s %llu", &major, &minor, &i, &kb) == 4 &&
		    major == major(st->st_dev) && minor == minor(st->st_dev) && i == ino)
			return kb;
	return -1;
}

/*
 * With a cap of 64 kB (files_cap_kb=64), 2,000 one-page files (about 90
 * kB of rows) and 20 of 2 to 21 pages: the small ones' rows are cut, the
 * last line says under what size and how many; every row listed is of
 * that size or more, the 20 large files are all listed with their size,
 * and the rows listed and left out together are the files the total rows
 * count.
 */
TEST(cut_keeps_the_largest_rows)
{
	const char *mnt = "/tmp/memlens-files-cut";
	unsigned long long below_kb = 0, below_rows = 0, rows = 0, files = 0, v;
	ino_t ino[20];
	char path[128], *buf, *line, *below = NULL;
	struct stat st;
	size_t len;
	int i, fd;

	mkdir(mnt, 0700);
	ASSERT_EQ(0, mount("tmpfs", mnt, "tmpfs", 0, "nr_inodes=0,size=256m"));
	ASSERT_EQ(0, one_byte_files(mnt, 2000)) TH_LOG("%s", strerror(errno));
	for (i = 0; i < 20; i++) {
		snprintf(path, sizeof(path), "%s/large%d", mnt, i);
		fd = new_file(path, i + 2);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, fstat(fd, &st));
		ino[i] = st.st_ino;
		close(fd);
	}
	ASSERT_EQ(0, reload("files_cap_kb=64"));
	buf = read_files(1 << 16, &len);
	EXPECT_EQ(0, reload(""));
	ASSERT_NE(NULL, buf);
	for (line = strchr(buf, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
		if (sscanf(line + 1, MEMLENS_FILES_TOTAL " %*s %*s %llu", &v) == 1)
			files += v;
		else if (sscanf(line + 1, MEMLENS_FILES_BELOW " %llu %llu", &below_kb,
				&below_rows) == 2)
			below = line + 1;
		else if (sscanf(line + 1, "%*u:%*u %*u %*s %llu", &v) == 1)
			rows++;
	}
	TH_LOG("%llu rows of %zu bytes, %llu left out under %llu kB, the totals count %llu files",
	       rows, len, below_rows, below_kb, files);
	ASSERT_NE(NULL, below);
	EXPECT_EQ('\0', strchr(below, '\n')[1]) TH_LOG("a line after %.40s", below);
	EXPECT_LT(PAGE_KB, below_kb);
	EXPECT_LE(2000, below_rows);
	EXPECT_EQ(files, rows + below_rows);
	ASSERT_EQ(0, stat(mnt, &st));
	for (i = 0; i < 20; i++)
		EXPECT_EQ((i + 2) * PAGE_KB, row_cached(buf, &st, ino[i])) TH_LOG("large%d", i);
	/* every row listed, of that size or more */
	for (line = strchr(buf, '\n'); line && line[1]; line = strchr(line + 1, '\n'))
		if (sscanf(line + 1, "%*u:%*u %*u %*s %llu", &v) == 1)
			EXPECT_LE(below_kb, v) TH_LOG("%.80s", line + 1);
	free(buf);
	EXPECT_EQ(0, umount(mnt));
	rmdir(mnt);
}

TEST_HARNESS_MAIN
