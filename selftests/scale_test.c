// SPDX-License-Identifier: GPL-2.0
/*
 * The files and dirs views at scale: SCALE_FILES (default 20,000; two
 * million on one kernel of make check) one-byte files on a tmpfs of their
 * own, 1,000 to a directory, and five large files of 5 to 50 MiB among
 * them.  At two million the files view's rows do not fit its 64 MiB cap:
 *  - the total rows are exact: the fixture's superblock counts every file
 *    it holds and its bytes, all superblocks but bdev add up to Cached and
 *    the shmem-backed ones to Shmem within 1%; listed rows and the rows
 *    the below line leaves out add up to the total rows' files;
 *  - the ten largest rows are the ten largest files: each equal to
 *    mincore() of the file, and no file outside the fixture's small ones
 *    (every regular file the walk of / finds, mincore()d) larger than the
 *    tenth unless it is among them; the below line's KB is no more than
 *    the tenth row's;
 *  - the dirs view's rows of each superblock add up to its total row, the
 *    fixture's directories each with their own files;
 *  - the reader's "memlens files -t 10" and "--by-dir 2" exit 0 with no
 *    warning, and -t 10 lists the large files and counts every file in
 *    its total;
 *  - reads of files, mapped and dirs while files are made, unlinked and a
 *    tmpfs is unmounted parse, and the umount succeeds.
 * The fixture (scale.h) is made once, by the first test, and left
 * mounted for the others.
 */
#include <ftw.h>
#include <sys/mount.h>
#include <sys/swap.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "kselftest_harness.h"
#include "helpers.h"
#include "scale.h"

static long long meminfo(const char *key)
{
	return proc_field("/proc/meminfo", key, 1);
}

/* One row of files: its inode and size; or of total, below. */
struct row {
	unsigned int maj, min;
	unsigned long long ino, kb;
};

struct total {
	unsigned int maj, min;
	char fstype[32];
	unsigned long long files, cached, dirty, writeback, mapped, in_rss;
};

struct view {
	struct row *rows;
	long nrows;
	struct total totals[256];
	int ntotals;
	/* dirs: the rows' sums, one per superblock */
	struct total sums[256];
	int nsums;
	bool below, truncated;
	unsigned long long below_kb, below_rows;
	/* dirs: the fixture's directories' rows, by path */
	long fixture_dirs, fixture_dirs_bad;
	unsigned long long big_dir_files, big_dir_kb;
	double took;
};

static const struct total *find_total(const struct view *v, unsigned int maj, unsigned int min)
{
	int i;

	for (i = 0; i < v->ntotals; i++)
		if (v->totals[i].maj == maj && v->totals[i].min == min)
			return &v->totals[i];
	return NULL;
}

/*
 * Read and parse a files (DIRS false) or dirs view in 1 MiB reads.  For
 * dirs, the rows are summed by superblock in v->sums, and the rows of the
 * fixture's superblock (@fix) are held against what it holds.
 */
static int read_scale_view(const char *path, bool dirs, struct view *v, const struct stat *fix)
{
	size_t len, cap = 1 << 16;
	char *buf, *line, *end;
	double t0 = now();

	memset(v, 0, sizeof(*v));
	buf = read_file(path, &len, 1 << 20);
	if (!buf)
		return -1;
	v->took = now() - t0;
	v->rows = malloc(cap * sizeof(*v->rows));
	line = strchr(buf, '\n');
	if (!line || !v->rows)
		return -1;
	for (line++; *line; line = end + 1) {
		struct total t = { 0 };
		struct row r = { 0 };
		char fstype[32], rpath[4096];
		unsigned long long f[5];
		int i;

		end = strchr(line, '\n');
		if (!end)
			return -1;
		*end = '\0';
		if (!strcmp(line, MEMLENS_FILES_TRUNCATED)) {
			v->truncated = true;
		} else if (!strncmp(line, MEMLENS_FILES_TOTAL " ", 6)) {
			if (sscanf(line, "total %u:%u %31s %llu %llu %llu %llu %llu %llu", &t.maj, &t.min,
				   t.fstype, &t.files, &t.cached, &t.dirty, &t.writeback, &t.mapped,
				   &t.in_rss) != 9 || v->ntotals == 256)
				return -1;
			v->totals[v->ntotals++] = t;
		} else if (!strncmp(line, MEMLENS_FILES_BELOW " ", 6)) {
			if (sscanf(line, "below %llu %llu", &v->below_kb, &v->below_rows) != 2)
				return -1;
			v->below = true;
		} else if (v->ntotals || v->below || v->truncated) {
			fprintf(stderr, "# a row after the total rows: %s\n", line);
			return -1;
		} else if (dirs) {
			if (sscanf(line, "%u:%u %31s %llu %llu %llu %llu %llu %4095s", &r.maj, &r.min,
				   fstype, &f[0], &f[1], &f[2], &f[3], &f[4], rpath) != 9)
				return -1;
			if (v->nrows == (long)cap)
				return -1;
			v->rows[v->nrows].maj = r.maj;
			v->rows[v->nrows].min = r.min;
			v->rows[v->nrows].ino = f[0];	/* files */
			v->rows[v->nrows++].kb = f[1];	/* cached */
			if (fix && makedev(r.maj, r.min) == fix->st_dev) {
				if (!strcmp(rpath, "/big")) {
					v->big_dir_files = f[0];
					v->big_dir_kb = f[1];
				} else if (!strncmp(rpath, "/d", 2)) {
					v->fixture_dirs++;
					if (f[1] != f[0] * PAGE_KB || f[2] || f[3] || f[4])
						v->fixture_dirs_bad++;
				}
			}
			for (i = 0; i < v->nsums; i++)
				if (v->sums[i].maj == r.maj && v->sums[i].min == r.min)
					break;
			if (i == v->nsums) {
				if (v->nsums == 256)
					return -1;
				v->sums[v->nsums].maj = r.maj;
				v->sums[v->nsums++].min = r.min;
			}
			v->sums[i].files += f[0];
			v->sums[i].cached += f[1];
			v->sums[i].dirty += f[2];
			v->sums[i].writeback += f[3];
			v->sums[i].mapped += f[4];
		} else {
			if (sscanf(line, "%u:%u %llu %31s %llu", &r.maj, &r.min, &r.ino, fstype,
				   &r.kb) != 5)
				return -1;
			if (v->nrows == (long)cap) {
				cap *= 2;
				v->rows = realloc(v->rows, cap * sizeof(*v->rows));
				if (!v->rows)
					return -1;
			}
			v->rows[v->nrows++] = r;
		}
	}
	free(buf);
	return 0;
}

static int by_kb_desc(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	return x->kb < y->kb ? 1 : x->kb > y->kb ? -1 : 0;
}

/* Cached kB of a file by mincore(), or -1. */
static long long mincore_kb(const char *path, off_t size)
{
	long page = sysconf(_SC_PAGESIZE), n = (size + page - 1) / page, i, kb = 0;
	unsigned char *vec;
	void *map;
	int fd;

	if (!size)
		return 0;
	fd = open(path, O_RDONLY | O_NOATIME);
	if (fd < 0)
		fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return -1;
	vec = malloc(n);
	if (!vec || mincore(map, size, vec)) {
		free(vec);
		munmap(map, size);
		return -1;
	}
	for (i = 0; i < n; i++)
		kb += (vec[i] & 1) * (page / 1024);
	free(vec);
	munmap(map, size);
	return kb;
}

/*
 * Every regular file outside the fixture's directories, with mincore()
 * before and after the read: a file whose cache moved meanwhile (a program
 * run since, as busybox's applets are each second) is not compared.
 */
struct cand {
	dev_t dev;
	ino_t ino;
	off_t size;
	long long kb;
	bool moved;
	char path[256];
};
static struct cand *cands;
static long ncands, cands_cap;

static int add_cand(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	if (type == FTW_D && (!strcmp(path, "/proc") || !strcmp(path, "/sys") ||
			      !strncmp(path, SCALE_DIR "/d", strlen(SCALE_DIR "/d"))))
		return FTW_SKIP_SUBTREE;
	if (type != FTW_F || !S_ISREG(st->st_mode))
		return FTW_CONTINUE;
	if (ncands == cands_cap) {
		cands_cap = cands_cap ? 2 * cands_cap : 4096;
		cands = realloc(cands, cands_cap * sizeof(*cands));
		if (!cands)
			return FTW_STOP;
	}
	cands[ncands].dev = st->st_dev;
	cands[ncands].ino = st->st_ino;
	cands[ncands].size = st->st_size;
	cands[ncands].kb = mincore_kb(path, st->st_size);
	cands[ncands].moved = false;
	snprintf(cands[ncands].path, sizeof(cands[ncands].path), "%s", path);
	ncands++;
	return FTW_CONTINUE;
}

/* mincore() of every candidate again: those whose cache moved are marked. */
static void cands_again(void)
{
	long i;

	for (i = 0; i < ncands; i++) {
		cands[i].moved = mincore_kb(cands[i].path, cands[i].size) != cands[i].kb;
		if (cands[i].moved)
			ksft_print_msg("cache moved during the read, not compared: %s\n",
				       cands[i].path);
	}
}

static const struct cand *find_cand(unsigned int maj, unsigned int min, unsigned long long ino)
{
	long i;

	for (i = 0; i < ncands; i++)
		if (cands[i].dev == makedev(maj, min) && cands[i].ino == ino)
			return &cands[i];
	return NULL;
}

static bool shmem_backed(const char *fstype)
{
	return !strcmp(fstype, "tmpfs") || !strcmp(fstype, "rootfs") || !strcmp(fstype, "devtmpfs");
}

/* |GOT - WANT| within 1% of WANT, and at least 1 MiB (per-cpu counters lag). */
static bool near(long long got, long long lo, long long hi)
{
	long long slack = hi / 100 > 1024 ? hi / 100 : 1024;

	return got >= lo - slack && got <= hi + slack;
}

/*
 * Every swap area off and on again, so that no shmem page is in swap: a
 * page swapped out and still in the swap cache is not in its file's page
 * cache (nrpages, Shmem) but mincore() and cachestat() count it.  The
 * earlier tests of the VM swap shmem out, the rootfs's programs among it.
 */
static void swap_in_all(void)
{
	char line[512], path[400];
	FILE *f = fopen("/proc/swaps", "r");

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%399s", path) != 1 || path[0] != '/')
			continue;
		if (swapoff(path))
			ksft_print_msg("swapoff %s: %s\n", path, strerror(errno));
		else if (swapon(path, 0))
			ksft_print_msg("swapon %s: %s\n", path, strerror(errno));
	}
	if (f)
		fclose(f);
}

TEST(files_totals_and_largest)
{
	long long cached0, cached1, shmem0, shmem1, buffers0, buffers1;
	unsigned long long sum_cached = 0, sum_shmem = 0, sum_bdev = 0, files = 0, listed_kb;
	unsigned long long want_kb;
	const struct total *t;
	struct stat fix;
	struct view v;
	long i, j, n = scale_files();
	int k;

	ASSERT_EQ(0, fixture());
	ASSERT_EQ(0, stat(SCALE_DIR, &fix));
	swap_in_all();
	cached0 = meminfo("Cached");
	shmem0 = meminfo("Shmem");
	buffers0 = meminfo("Buffers");
	ASSERT_EQ(0, nftw("/", add_cand, 64, FTW_PHYS | FTW_ACTIONRETVAL));
	ASSERT_EQ(0, read_scale_view(MEMLENS_DIR "/files", false, &v, NULL));
	cached1 = meminfo("Cached");
	shmem1 = meminfo("Shmem");
	buffers1 = meminfo("Buffers");
	ASSERT_LE(0, cached0 | cached1 | shmem0 | shmem1 | buffers0 | buffers1);
	ksft_print_msg("files: %ld rows, %d total rows, below %s %llu kB %llu rows, read in %.2f s\n",
		       v.nrows, v.ntotals, v.below ? "yes" : "no", v.below_kb, v.below_rows, v.took);
	EXPECT_FALSE(v.truncated);
	ASSERT_LT(0, v.ntotals);

	/* the fixture's superblock: every file it holds, to the page */
	t = find_total(&v, major(fix.st_dev), minor(fix.st_dev));
	ASSERT_NE(NULL, t);
	want_kb = n * PAGE_KB;
	for (k = 0; k < NBIG; k++)
		want_kb += big_mib[k] * 1024ULL;
	EXPECT_EQ(n + NBIG, t->files);
	EXPECT_EQ(want_kb, t->cached);
	EXPECT_EQ(0, t->dirty + t->writeback + t->mapped + t->in_rss);

	/* every superblock: Cached and Shmem within 1%, Buffers */
	for (k = 0; k < v.ntotals; k++) {
		files += v.totals[k].files;
		if (!strcmp(v.totals[k].fstype, "bdev")) {
			sum_bdev += v.totals[k].cached;
			continue;
		}
		sum_cached += v.totals[k].cached;
		if (shmem_backed(v.totals[k].fstype))
			sum_shmem += v.totals[k].cached;
	}
	ksft_print_msg("totals: %llu files, %llu kB cached (Cached %lld-%lld), %llu kB shmem (Shmem %lld-%lld), %llu kB bdev (Buffers %lld-%lld)\n",
		       files, sum_cached, cached0, cached1, sum_shmem, shmem0, shmem1, sum_bdev,
		       buffers0, buffers1);
	EXPECT_TRUE(near(sum_cached, cached0 < cached1 ? cached0 : cached1,
			 cached0 > cached1 ? cached0 : cached1));
	EXPECT_TRUE(near(sum_shmem, shmem0 < shmem1 ? shmem0 : shmem1,
			 shmem0 > shmem1 ? shmem0 : shmem1));
	EXPECT_TRUE(near(sum_bdev, buffers0 < buffers1 ? buffers0 : buffers1,
			 buffers0 > buffers1 ? buffers0 : buffers1));

	/* rows listed and rows left out: every file the totals count */
	EXPECT_EQ(files, v.nrows + v.below_rows);
	for (k = 0, listed_kb = 0; k < v.ntotals; k++) {
		unsigned long long kb = 0, nr = 0;

		for (i = 0; i < v.nrows; i++) {
			if (v.rows[i].maj != v.totals[k].maj || v.rows[i].min != v.totals[k].min)
				continue;
			kb += v.rows[i].kb;
			nr++;
		}
		listed_kb += kb;
		/* without a below line each superblock's rows are all there */
		if (!v.below) {
			EXPECT_EQ(v.totals[k].files, nr);
			EXPECT_EQ(v.totals[k].cached, kb);
		} else {
			EXPECT_LE(nr, v.totals[k].files);
			EXPECT_LE(kb, v.totals[k].cached);
		}
	}
	/* and no row of a superblock without a total row */
	for (i = 0, j = 0; i < v.nrows; i++)
		j += !find_total(&v, v.rows[i].maj, v.rows[i].min);
	EXPECT_EQ(0, j);
	if (v.below) {
		/* what is left out is less than KB each, so at most (KB - 1) kB */
		EXPECT_LE(sum_cached + sum_bdev - listed_kb, v.below_rows * v.below_kb);
		EXPECT_LE(v.below_rows * PAGE_KB, sum_cached + sum_bdev - listed_kb);
	}

	/* the ten largest rows against mincore() of every file but the small ones */
	ASSERT_LE(10, v.nrows);
	qsort(v.rows, v.nrows, sizeof(*v.rows), by_kb_desc);
	cands_again();
	ksft_print_msg("%ld candidate files; the ten largest rows:\n", ncands);
	for (i = 0; i < 10; i++) {
		const struct cand *c = find_cand(v.rows[i].maj, v.rows[i].min, v.rows[i].ino);

		ksft_print_msg("  %llu kB %s mincore %lld kB\n", v.rows[i].kb, c ? c->path : "?",
			       c ? c->kb : -1);
		/* a file with no path (memfd, SysV shm) has no mincore() here */
		if (c && !c->moved)
			EXPECT_EQ(c->kb, (long long)v.rows[i].kb);
	}
	if (v.below)
		EXPECT_LE(v.below_kb, v.rows[9].kb);
	for (i = 0; i < ncands; i++) {
		bool top = false;

		if (cands[i].moved || cands[i].kb <= (long long)v.rows[9].kb)
			continue;
		for (j = 0; j < 10; j++)
			top |= cands[i].dev == makedev(v.rows[j].maj, v.rows[j].min) &&
			       cands[i].ino == v.rows[j].ino;
		if (!top)
			ksft_print_msg("larger than the tenth row, not among them: %s %lld kB\n",
				       cands[i].path, cands[i].kb);
		EXPECT_TRUE(top);
	}
	/* the fixture's large files among them */
	for (k = 0; k < NBIG; k++) {
		char path[64];
		struct stat st;
		bool top = false;

		snprintf(path, sizeof(path), SCALE_DIR "/big/big-%dM", big_mib[k]);
		ASSERT_EQ(0, stat(path, &st));
		for (j = 0; j < 10; j++)
			top |= st.st_dev == makedev(v.rows[j].maj, v.rows[j].min) &&
			       st.st_ino == v.rows[j].ino && v.rows[j].kb == big_mib[k] * 1024ULL;
		EXPECT_TRUE(top);
	}
	free(v.rows);
}

TEST(dirs_add_up)
{
	struct stat fix;
	struct view v;
	long n = scale_files();
	int k, i;

	ASSERT_EQ(0, fixture());
	ASSERT_EQ(0, stat(SCALE_DIR, &fix));
	ASSERT_EQ(0, read_scale_view(MEMLENS_DIR "/" MEMLENS_FILE_DIRS, true, &v, &fix));
	ksft_print_msg("dirs: %ld rows, %d total rows, below %s, read in %.2f s\n", v.nrows,
		       v.ntotals, v.below ? "yes" : "no", v.took);
	EXPECT_FALSE(v.truncated);
	ASSERT_LT(0, v.ntotals);
	/* each superblock's directories add up to its total row */
	for (k = 0; k < v.ntotals; k++) {
		const struct total *t = &v.totals[k];
		const struct total *s = NULL;

		for (i = 0; i < v.nsums; i++)
			if (v.sums[i].maj == t->maj && v.sums[i].min == t->min)
				s = &v.sums[i];
		if (!s) {
			ksft_print_msg("no directory rows for total %u:%u %s\n", t->maj, t->min,
				       t->fstype);
			EXPECT_FALSE(true);
			continue;
		}
		if (v.below) {
			EXPECT_LE(s->files, t->files);
			EXPECT_LE(s->cached, t->cached);
			continue;
		}
		EXPECT_EQ(t->files, s->files);
		EXPECT_EQ(t->cached, s->cached);
		EXPECT_EQ(t->dirty, s->dirty);
		EXPECT_EQ(t->writeback, s->writeback);
		EXPECT_EQ(t->mapped, s->mapped);
	}
	/* the fixture: every directory with its own files, big/ with its five */
	EXPECT_EQ((n + PER_DIR - 1) / PER_DIR, v.fixture_dirs);
	EXPECT_EQ(0, v.fixture_dirs_bad);
	EXPECT_EQ(NBIG, v.big_dir_files);
	EXPECT_EQ((5 + 10 + 20 + 35 + 50) * 1024ULL, v.big_dir_kb);
	free(v.rows);
}

/* Run the reader: its exit status; its output (stdout and stderr) to OUT. */
static int reader(const char *args, const char *out)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "memlens %s >%s 2>&1", args, out);
	return sh(cmd);
}

static void reader_case(struct __test_metadata *_metadata, const char *args)
{
	const char *out = "/tmp/memlens-scale-reader.out";
	double t0 = now();
	int rc;

	ASSERT_EQ(0, fixture());
	rc = reader(args, out);
	ksft_print_msg("memlens %s: exit %d in %.2f s\n", args, rc, now() - t0);
	sh("head -n 14 /tmp/memlens-scale-reader.out | sed 's/^/#   /'");
	EXPECT_EQ(0, rc);
	EXPECT_NE(0, sh("grep -qi truncated /tmp/memlens-scale-reader.out"));
	EXPECT_NE(0, sh("grep -q 'memlens:' /tmp/memlens-scale-reader.out"));
}

TEST(reader_files_top)
{
	size_t len;
	char *out, *total;
	long files = 0;

	reader_case(_metadata, "files -t 10");
	/* the five large files are there, by their paths */
	EXPECT_EQ(0, sh("[ $(grep -c '/big/big-[0-9]*M$' /tmp/memlens-scale-reader.out) = 5 ]"));
	/* its total counts every file, not only the rows listed */
	out = read_file("/tmp/memlens-scale-reader.out", &len, 4096);
	ASSERT_NE(NULL, out);
	total = strstr(out, "Total: ");
	ASSERT_NE(NULL, total);
	EXPECT_EQ(1, sscanf(total, "Total: %ld files", &files));
	EXPECT_LE(scale_files() + NBIG, files);
	free(out);
}

TEST(reader_files_by_dir)
{
	if (sh("memlens files --help 2>&1 | grep -q -- --by-dir"))
		SKIP(return, "this reader has no files --by-dir");
	reader_case(_metadata, "files --by-dir 2");
}

/*
 * A reader of files, mapped and dirs in turn loops while a tmpfs is
 * mounted, filled with a quarter of SCALE_FILES files (5,000 at most) in
 * directories of 1,000, half of them unlinked and a directory renamed,
 * then unmounted; twice, and until the reader has read each view once
 * (at two million inodes a read outlasts a cycle).  Every umount succeeds
 * at once, every read parses; on the debug kernel lockdep and KASAN watch
 * the walk.  One
 * reader, not three: on one CPU they would starve the loop.
 */
TEST(churn_while_read)
{
	static const char *const views[] = { "files", "mapped", MEMLENS_FILE_DIRS };
	const char *mnt = "/tmp/memlens-scale-churn";
	long n = scale_files() / 4 < 5000 ? scale_files() / 4 : 5000, reads[3] = { 0 }, i;
	int cycle, st, stop[2], seen[2], root, k;
	char path[128], c;
	pid_t reader;

	ASSERT_EQ(0, fixture());
	mkdir(mnt, 0700);
	ASSERT_EQ(0, pipe(stop));
	ASSERT_EQ(0, pipe(seen));
	reader = fork();
	ASSERT_LE(0, reader);
	if (!reader) {
		close(stop[1]);
		fcntl(stop[0], F_SETFL, O_NONBLOCK);
		for (k = 0; read(stop[0], &c, 1) < 0; k = (k + 1) % 3) {
			struct view v;

			snprintf(path, sizeof(path), MEMLENS_DIR "/%s", views[k]);
			if (read_scale_view(path, k == 2, &v, NULL) || v.truncated || !v.ntotals) {
				printf("# %s: a read did not parse\n", views[k]);
				_exit(1);
			}
			free(v.rows);
			reads[k]++;
			if (k == 2 && reads[k] == 1 && write(seen[1], "r", 1) != 1)
				_exit(1);
		}
		printf("# %ld, %ld and %ld reads of files, mapped and dirs, each parsed\n",
		       reads[0], reads[1], reads[2]);
		_exit(0);
	}
	close(stop[0]);
	close(seen[1]);
	fcntl(seen[0], F_SETFL, O_NONBLOCK);
	for (cycle = 0; cycle < 2 || (read(seen[0], &c, 1) < 0 && cycle < 1000); cycle++) {
		ASSERT_EQ(0, mount("tmpfs", mnt, "tmpfs", 0, "nr_inodes=0"));
		root = open(mnt, O_DIRECTORY | O_RDONLY);
		ASSERT_LE(0, root);
		ASSERT_EQ(0, make_files(root, n, 0, 1));
		for (i = 0; i < n; i += 2) {
			snprintf(path, sizeof(path), "d%04ld/f%04ld", i / PER_DIR, i % PER_DIR);
			ASSERT_EQ(0, unlinkat(root, path, 0));
		}
		ASSERT_EQ(0, renameat(root, "d0000", root, "renamed"));
		close(root);
		ASSERT_EQ(0, umount(mnt)) TH_LOG("umount %d: %s", cycle, strerror(errno));
	}
	close(stop[1]);
	rmdir(mnt);
	ASSERT_EQ(reader, waitpid(reader, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st)) TH_LOG("the reader: status %#x", st);
}

TEST_HARNESS_MAIN
