// SPDX-License-Identifier: GPL-2.0
/*
 * The files view against what the test does to files: read and drop part
 * of one (mincore() says what is cached), dirty and sync one, map one from
 * N processes, delete one that is open; a memfd and a tmpfs file; the sums
 * against Buffers and Cached of /proc/meminfo; read sizes; umount after a
 * read.
 */
#include <sys/mount.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define FILES		MEMLENS_DIR "/files"
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

/* The row of the inode @fd is open on, from a fresh read; 0 if found. */
static int find_row(int fd, struct frow *r)
{
	struct stat st;
	size_t len;
	char *buf, *line;
	int ret = -1;

	if (fstat(fd, &st))
		return -1;
	buf = read_files(1 << 20, &len);
	if (!buf)
		return -1;
	for (line = strchr(buf, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
		if (parse_row(line + 1, r))
			continue;
		if (r->ino == st.st_ino && r->major == major(st.st_dev) &&
		    r->minor == minor(st.st_dev)) {
			ret = 0;
			break;
		}
	}
	free(buf);
	return ret;
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
 * N processes map a cached file and touch every page of it (fault-around
 * maps cached neighbours of a touched page anyway): procs N, mapped the
 * file, in_rss N times that.
 */
TEST(mapped_by_n_processes)
{
	const char *mnt = scratch("fs");
	const long pages = 32;
	const int n = 4;
	int fd, i, ready[2], go[2];
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
			if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) < 0)
				_exit(2);
			_exit(sum == 0);
		}
	}
	for (i = 0; i < n; i++)
		ASSERT_EQ(1, read(ready[0], &c, 1));
	ASSERT_EQ(0, find_row(fd, &r));
	TH_LOG("cached %llu mapped %llu in_rss %llu kB, procs %llu",
	       r.val[MEMLENS_FILES_CACHED], r.val[MEMLENS_FILES_MAPPED],
	       r.val[MEMLENS_FILES_IN_RSS], r.val[MEMLENS_FILES_PROCS]);
	close(go[1]);
	for (i = 0; i < n; i++) {
		int st;

		waitpid(pids[i], &st, 0);
		EXPECT_EQ(0, st);
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
 * parses and shows no inode twice.
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
			if (read_unique() < 0)
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

/*
 * FILES_MANY (default 20,000) cached files on one tmpfs: every one has its
 * row, and 4 KiB and 1 MiB reads give the same rows.
 */
TEST(many_cached_files)
{
	const char *mnt = "/tmp/memlens-files-many";
	long n = getenv("FILES_MANY") ? atol(getenv("FILES_MANY")) : 20000, i, rows[2];
	char path[128], *buf, *set[2];
	struct timespec t0, t1;
	struct stat st;
	size_t len;
	int fd, k;

	mkdir(mnt, 0700);
	ASSERT_EQ(0, mount("tmpfs", mnt, "tmpfs", 0, "size=256m,nr_inodes=0"));
	ASSERT_EQ(0, stat(mnt, &st));
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%ld", mnt, i);
		fd = open(path, O_WRONLY | O_CREAT, 0600);
		ASSERT_LE(0, fd);
		ASSERT_EQ(1, write(fd, "m", 1));
		close(fd);
	}
	for (k = 0; k < 2; k++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		buf = read_files(k ? 1 << 20 : 4096, &len);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ASSERT_NE(NULL, buf);
		TH_LOG("%s reads: %zu bytes in %.0f ms", k ? "1 MiB" : "4 KiB", len,
		       (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
		EXPECT_EQ(NULL, strstr(buf, "\n" MEMLENS_FILES_TRUNCATED "\n"));
		set[k] = rows_of(buf, major(st.st_dev), minor(st.st_dev), &rows[k]);
		free(buf);
		ASSERT_NE(NULL, set[k]);
	}
	EXPECT_EQ(n, rows[0]);
	EXPECT_EQ(n, rows[1]);
	EXPECT_STREQ(set[0], set[1]);
	free(set[0]);
	free(set[1]);
	EXPECT_EQ(0, umount(mnt)) TH_LOG("umount: %s", strerror(errno));
	rmdir(mnt);
}

TEST_HARNESS_MAIN
