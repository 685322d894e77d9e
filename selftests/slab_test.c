// SPDX-License-Identifier: GPL-2.0
/*
 * The slab view against /proc/slabinfo, against a cache of known contents
 * (the memlens_selftest module), under cache churn, and on the path where
 * the kernel's layout cannot be verified.
 */
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define MAX_CACHES 1024

struct slabinfo_row {
	char name[128];
	unsigned long long v[7];	/* active_objs ... num_slabs */
};

/* /proc/slabinfo 2.1: "name a n size per pages : tunables ... : slabdata as ns sa" */
static int read_slabinfo(struct slabinfo_row *rows, int max)
{
	char line[512];
	int n = 0;
	FILE *f = fopen("/proc/slabinfo", "r");
	unsigned long long t;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f) && n < max) {
		struct slabinfo_row *r = &rows[n];

		if (sscanf(line, "%127s %llu %llu %llu %llu %llu : tunables %llu %llu %llu : slabdata %llu %llu",
			   r->name, &r->v[0], &r->v[1], &r->v[2], &r->v[3], &r->v[4], &t, &t, &t,
			   &r->v[5], &r->v[6]) == 11)
			n++;
	}
	fclose(f);
	return n;
}

/* The @nth cache called @name (names may repeat). */
static const struct slabinfo_row *find_info(const struct slabinfo_row *r, int n,
					    const char *name, int nth)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(r[i].name, name) && nth-- == 0)
			return &r[i];
	return NULL;
}

static const struct ml_slab *find_slab(const struct ml_slabs *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->rows[i].name, name))
			return &s->rows[i];
	return NULL;
}

static int nth_of(const struct ml_slabs *s, size_t i)
{
	size_t j;
	int nth = 0;

	for (j = 0; j < i; j++)
		nth += !strcmp(s->rows[j].name, s->rows[i].name);
	return nth;
}

/* A cache whose numbers did not lie between the two reads of a round. */
struct slab_miss {
	char name[sizeof(((struct ml_slab *)0)->name)];
	int nth;
	char msg[sizeof(((struct ml_slab *)0)->name) + 128];
};

static bool missed_before(const struct slab_miss *miss, int n, const char *name, int nth)
{
	int i;

	for (i = 0; i < n; i++)
		if (miss[i].nth == nth && !strcmp(miss[i].name, name))
			return true;
	return false;
}

/*
 * One round: /proc/slabinfo, ours, /proc/slabinfo again.  Each cache of
 * @prev (every cache when @nprev < 0) whose seven numbers do not all lie
 * between the two reads goes to @miss; returns how many did.
 */
static int slab_round(const struct ml_slabs *s, const struct slabinfo_row *a, int na,
		      const struct slabinfo_row *b, int nb, const struct slab_miss *prev,
		      int nprev, struct slab_miss *miss, int *exact, int *moved)
{
	int n = 0, c;
	size_t r;

	for (r = 0; r < s->n && n < MAX_CACHES; r++) {
		int nth = nth_of(s, r);
		const struct slabinfo_row *x = find_info(a, na, s->rows[r].name, nth);
		const struct slabinfo_row *y = find_info(b, nb, s->rows[r].name, nth);
		bool same = true;

		if (!x || !y || (nprev >= 0 && !missed_before(prev, nprev, s->rows[r].name, nth)))
			continue;
		for (c = 0; c < 7; c++) {
			unsigned long long lo = x->v[c] < y->v[c] ? x->v[c] : y->v[c];
			unsigned long long hi = x->v[c] < y->v[c] ? y->v[c] : x->v[c];

			same &= lo == hi;
			if (s->rows[r].val[c] >= lo && s->rows[r].val[c] <= hi)
				continue;
			snprintf(miss[n].name, sizeof(miss[n].name), "%s", s->rows[r].name);
			miss[n].nth = nth;
			snprintf(miss[n].msg, sizeof(miss[n].msg), "%s %s: memlens %llu, slabinfo %llu..%llu",
				 s->rows[r].name, ml_slab_fmt[c].name,
				 (unsigned long long)s->rows[r].val[c], lo, hi);
			n++;
			break;
		}
		if (nprev < 0) {
			*exact += same;
			*moved += !same;
		}
	}
	return n;
}

/*
 * /proc/slabinfo read before and after ours: every cache in both is ours,
 * ours are in one of them, and each of the seven numbers lies between the
 * two reads (equal for caches that did not move).  A count may fall and
 * rise again between the reads (kmemleak's own cache does on the debug
 * kernel): a cache that missed is compared again, up to five rounds.
 */
TEST(rows_equal_slabinfo)
{
	static struct slabinfo_row a[MAX_CACHES], b[MAX_CACHES];
	static struct slab_miss miss[2][MAX_CACHES];
	int na, nb, i, round, nmiss = -1, moved = 0, exact = 0;
	struct ml_slabs s;

	for (round = 0; round < 5 && nmiss; round++) {
		struct slab_miss *prev = miss[(round + 1) % 2];

		na = read_slabinfo(a, MAX_CACHES);
		ASSERT_EQ(0, read_slab(&s));
		nb = read_slabinfo(b, MAX_CACHES);
		ASSERT_LT(0, na);
		ASSERT_EQ(0, s.unsupported[0]) TH_LOG("unsupported: %s", s.unsupported);
		if (!round) {
			for (i = 0; i < na; i++)
				if (find_info(b, nb, a[i].name, 0))
					EXPECT_NE(NULL, find_slab(&s, a[i].name))
						TH_LOG("%s missing", a[i].name);
			for (i = 0; i < (int)s.n; i++)
				EXPECT_TRUE(find_info(a, na, s.rows[i].name, nth_of(&s, i)) ||
					    find_info(b, nb, s.rows[i].name, nth_of(&s, i)))
					TH_LOG("%s is in no /proc/slabinfo", s.rows[i].name);
		}
		nmiss = slab_round(&s, a, na, b, nb, prev, round ? nmiss : -1, miss[round % 2],
				   &exact, &moved);
		if (nmiss && round < 4)
			ml_slabs_free(&s);
	}
	for (i = 0; i < nmiss; i++)
		EXPECT_TRUE(false) TH_LOG("%s, in each of 5 rounds", miss[(round - 1) % 2][i].msg);
	TH_LOG("%zu caches: %d quiescent and exact, %d moving and bracketed", s.n, exact, moved);
	EXPECT_GT(exact, 50);
	ml_slabs_free(&s);
}

/* The derived columns follow from the others as docs/formats.md says. */
TEST(derived_columns)
{
	struct ml_slabs s;
	size_t r;

	ASSERT_EQ(0, read_slab(&s));
	for (r = 0; r < s.n; r++) {
		const uint64_t *v = s.rows[r].val;
		uint64_t total = v[MEMLENS_SLAB_NUM_SLABS] * v[MEMLENS_SLAB_PAGESPERSLAB] *
				 getpagesize();

		EXPECT_EQ(total / 1024, v[MEMLENS_SLAB_TOTAL]);
		EXPECT_EQ(v[MEMLENS_SLAB_ACTIVE_OBJS] * v[MEMLENS_SLAB_SIZE] / 1024,
			  v[MEMLENS_SLAB_ACTIVE]);
		EXPECT_EQ((total - v[MEMLENS_SLAB_ACTIVE_OBJS] * v[MEMLENS_SLAB_SIZE]) / 1024,
			  v[MEMLENS_SLAB_WASTE]);
		EXPECT_EQ(v[MEMLENS_SLAB_OBJSIZE], v[MEMLENS_SLAB_SIZE]);
		EXPECT_LE(v[MEMLENS_SLAB_OBJECT_SIZE], v[MEMLENS_SLAB_SIZE]);
		EXPECT_LE(v[MEMLENS_SLAB_EFF], 100);
	}
	ml_slabs_free(&s);
}

static uint64_t slabinfo_objsize(const char *name)
{
	static struct slabinfo_row a[MAX_CACHES];
	int n = read_slabinfo(a, MAX_CACHES);
	const struct slabinfo_row *r = find_info(a, n, name, 0);

	return r ? r->v[2] : 0;
}

/* K objects of a known size: exactly K active, and the row goes with the cache. */
TEST(known_cache)
{
	const struct ml_slab *row;
	struct ml_slabs s;

	ASSERT_EQ(0, sh("modprobe memlens_selftest objects=1000 size=200"));
	ASSERT_EQ(0, read_slab(&s));
	row = find_slab(&s, "memlens_selftest");
	ASSERT_NE(NULL, row);
	TH_LOG("memlens_selftest: %llu active of %llu, object_size %llu, objsize %llu",
	       (unsigned long long)row->val[MEMLENS_SLAB_ACTIVE_OBJS],
	       (unsigned long long)row->val[MEMLENS_SLAB_NUM_OBJS],
	       (unsigned long long)row->val[MEMLENS_SLAB_OBJECT_SIZE],
	       (unsigned long long)row->val[MEMLENS_SLAB_OBJSIZE]);
	EXPECT_EQ(1000, row->val[MEMLENS_SLAB_ACTIVE_OBJS]);
	EXPECT_EQ(200, row->val[MEMLENS_SLAB_OBJECT_SIZE]);
	EXPECT_EQ(slabinfo_objsize("memlens_selftest"), row->val[MEMLENS_SLAB_OBJSIZE]);
	EXPECT_EQ(0, row->val[MEMLENS_SLAB_MERGED]);
	ml_slabs_free(&s);
	ASSERT_EQ(0, sh("rmmod memlens_selftest"));
	ASSERT_EQ(0, read_slab(&s));
	EXPECT_EQ(NULL, find_slab(&s, "memlens_selftest"));
	ml_slabs_free(&s);
}

TEST(dentries_grow_the_dentry_row)
{
	const char *mnt = scratch("fs");
	int n = dentries_count();
	uint64_t before, after;
	struct ml_slabs s;

	if (!mnt)
		SKIP(return, "no scratch disk");
	/* else, under KASAN, new dentries reuse quarantined ones */
	drop_caches();
	ASSERT_EQ(0, read_slab(&s));
	ASSERT_NE(NULL, find_slab(&s, "dentry"));
	before = find_slab(&s, "dentry")->val[MEMLENS_SLAB_ACTIVE_OBJS];
	ml_slabs_free(&s);
	negative_dentries(mnt, "no-such", n);
	ASSERT_EQ(0, read_slab(&s));
	after = find_slab(&s, "dentry")->val[MEMLENS_SLAB_ACTIVE_OBJS];
	ml_slabs_free(&s);
	TH_LOG("dentry active objects: %llu, then %llu after %d lookups",
	       (unsigned long long)before, (unsigned long long)after, n);
	EXPECT_GE(DELTA(after, before), n / 20 * 19);
}

/* Caches come and go while the file is read: no warning, every read parses. */
TEST(read_while_caches_come_and_go)
{
	pid_t churn = fork();
	int reads;

	ASSERT_LE(0, churn);
	if (!churn) {
		for (;;) {
			sh("modprobe memlens_selftest objects=100 2>/dev/null");
			sh("rmmod memlens_selftest 2>/dev/null");
		}
	}
	for (reads = 0; reads < 200; reads++) {
		struct ml_slabs s;

		ASSERT_EQ(0, read_slab(&s));
		ml_slabs_free(&s);
	}
	kill(churn, SIGKILL);
	waitpid(churn, NULL, 0);
	sh("rmmod memlens_selftest 2>/dev/null");
	TH_LOG("%d reads while the test module loaded and unloaded", reads);
}

/* Reload memlens with btf=@btf; what its slab file then says. */
static int reload_with_btf(const char *btf, char *first_line, size_t len)
{
	char cmd[256], *buf, *nl;
	size_t n;

	sh("rmmod memlens");
	snprintf(cmd, sizeof(cmd), "modprobe memlens btf=%s", btf);
	if (sh(cmd))
		return -1;
	buf = read_file(SLAB, &n, 4096);
	if (!buf)
		return -1;
	nl = strchr(buf, '\n');
	snprintf(first_line, len, "%.*s", nl ? (int)(nl - buf) : (int)n, buf);
	free(buf);
	return 0;
}

/* The other views still work. */
static bool others_work(void)
{
	struct ml_procs p;
	size_t len;
	char *v = read_file(SYSTEM, &len, 4096);
	bool ok = v && strstr(v, "MemTotal:");

	free(v);
	if (read_processes(&p, 4096))
		return false;
	ok = ok && p.n > 10;
	ml_procs_free(&p);
	return ok;
}

/*
 * A layout that cannot be verified makes the slab view unsupported, says
 * why, and leaves every other view working: no BTF, a file that is not
 * BTF, and the kernel's BTF with a member the module needs renamed.
 */
TEST(unverifiable_layout_is_unsupported)
{
	char line[256];
	char *btf, *p;
	size_t len;
	FILE *f;

	ASSERT_EQ(0, reload_with_btf("/nonexistent", line, sizeof(line)));
	TH_LOG("no BTF: %s", line);
	EXPECT_EQ(0, strncmp(line, "unsupported: cannot read BTF /nonexistent", 41));
	EXPECT_TRUE(others_work());
	EXPECT_EQ(0, sh("grep -q '^slab: unsupported: ' " MEMLENS_DIR "/version"));

	ASSERT_EQ(0, sh("head -c 100000 /dev/urandom > /tmp/random.btf"));
	ASSERT_EQ(0, reload_with_btf("/tmp/random.btf", line, sizeof(line)));
	TH_LOG("random bytes: %s", line);
	EXPECT_EQ(0, strncmp(line, "unsupported: ", 13));
	EXPECT_TRUE(others_work());

	btf = read_file("/sys/kernel/btf/vmlinux", &len, 1 << 20);
	ASSERT_NE(NULL, btf);
	p = memmem(btf, len, "\0total_objects\0", 15);
	ASSERT_NE(NULL, p);
	p[13] = 'Z';	/* every member called total_objects is now total_objectZ */
	f = fopen("/tmp/renamed.btf", "w");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(len, fwrite(btf, 1, len, f));
	fclose(f);
	free(btf);
	ASSERT_EQ(0, reload_with_btf("/tmp/renamed.btf", line, sizeof(line)));
	TH_LOG("a renamed member: %s", line);
	EXPECT_STREQ("unsupported: struct kmem_cache_node has no member total_objects", line);
	EXPECT_TRUE(others_work());

	ASSERT_EQ(0, reload_with_btf("/sys/kernel/btf/vmlinux", line, sizeof(line)));
	EXPECT_EQ(0, strncmp(line, "name ", 5)) TH_LOG("the kernel's own BTF: %s", line);
}

TEST_HARNESS_MAIN
