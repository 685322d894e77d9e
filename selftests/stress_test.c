// SPDX-License-Identifier: GPL-2.0
/*
 * Try to break memlens: for STRESS_SECONDS (default 60) run at once
 *  - a fork/exit storm: short-lived processes and threads, some renaming
 *    themselves to names that need escaping, mapping and unmapping memory;
 *  - four readers of every memlens file, with random read sizes and random
 *    lseek()s;
 *  - an rmmod/modprobe of memlens every second while the readers hold files
 *    open (an open file pins the module, so rmmod succeeds in the moments
 *    between two reads; when none comes in a fifth of a second, the readers
 *    are asked to close their files and wait until the module is back).
 * Every read must parse or fail cleanly (the file is gone after an unload);
 * afterwards kmemleak (on the debug kernel) finds nothing of memlens's, and
 * the kernel's unreclaimable slab and vmalloc use is back where it started.
 * The VM run fails on any warning in the kernel log.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define VIEW_FILE(id, file, help) #file,
static const char *const files[] = {
	"version", MEMLENS_VIEWS(VIEW_FILE)
};

struct counters {
	long forks, threads, renames, reads, bytes, lseeks, gone, parsed, load_cycles, busy, held;
	volatile int hold;	/* the reloader asks readers to close and wait */
};

static struct counters *shared;	/* MAP_SHARED: updated by every process */

static int stress_seconds(void)
{
	const char *s = getenv("STRESS_SECONDS");

	return s && atoi(s) > 0 ? atoi(s) : 60;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *short_thread(void *arg)
{
	char *m = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m != MAP_FAILED) {
		memset(m, 1, 1 << 16);
		munmap(m, 1 << 16);
	}
	return arg;
}

/* One short life: maybe a strange name, some memory, some threads. */
static void storm_child(unsigned int seed)
{
	static const char *const names[] = { "x\n1 2 3", "a b\tc", "\\\\", "", "é€", "\x7f\x01" };
	pthread_t t[4];
	size_t len = ((seed % 16) + 1) << 16;
	char *m;
	int i, n = seed % 4;

	if (seed % 3 == 0) {
		prctl(PR_SET_NAME, names[seed % 6]);
		__atomic_fetch_add(&shared->renames, 1, __ATOMIC_RELAXED);
	}
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m != MAP_FAILED)
		memset(m, 2, len);
	for (i = 0; i < n; i++)
		if (!pthread_create(&t[i], NULL, short_thread, NULL))
			__atomic_fetch_add(&shared->threads, 1, __ATOMIC_RELAXED);
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	if (m != MAP_FAILED && seed % 2)
		munmap(m, len);	/* else exit unmaps it */
	_exit(0);
}

static void storm(double end, unsigned int seed)
{
	while (now() < end) {
		pid_t p = fork();

		seed = seed * 1103515245 + 12345;
		if (!p)
			storm_child(seed >> 8);
		if (p > 0)
			__atomic_fetch_add(&shared->forks, 1, __ATOMIC_RELAXED);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		usleep(1000);	/* hundreds a second, not all of the CPU */
	}
	while (wait(NULL) > 0)
		;
}

/* Read a file in random pieces with random seeks; 0 if all went well. */
static int reader_once(const char *file, unsigned int *seed)
{
	static char buf[1 << 16];
	char path[128];
	int fd, i;
	ssize_t r;

	snprintf(path, sizeof(path), MEMLENS_DIR "/%s", file);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		/* unloaded (ENOENT), or being unloaded (debugfs says ENXIO): clean */
		if (errno == ENOENT || errno == ENXIO) {
			__atomic_fetch_add(&shared->gone, 1, __ATOMIC_RELAXED);
			return 0;
		}
		return errno;
	}
	for (i = 0; i < 64 && !shared->hold; i++) {
		size_t want = 1 + rand_r(seed) % sizeof(buf);

		if (rand_r(seed) % 4 == 0) {
			lseek(fd, rand_r(seed) % (1 << 18), rand_r(seed) % 2 ? SEEK_SET : SEEK_CUR);
			__atomic_fetch_add(&shared->lseeks, 1, __ATOMIC_RELAXED);
		}
		r = read(fd, buf, want);
		if (r < 0 && errno != EIO) {
			close(fd);
			return errno;
		}
		__atomic_fetch_add(&shared->reads, 1, __ATOMIC_RELAXED);
		if (r > 0)
			__atomic_fetch_add(&shared->bytes, r, __ATOMIC_RELAXED);
		if (r <= 0)
			break;
	}
	close(fd);
	return 0;
}

/*
 * A whole read of processes must parse, whatever the storm did; an open
 * that fails because memlens is being unloaded or gone is clean.
 */
static int reader_parse(void)
{
	struct ml_procs p;
	struct ml_error e;
	size_t len;
	char *buf = read_file(PROCESSES, &len, 4096);
	int ret;

	if (!buf)
		return errno == ENOENT || errno == ENXIO ? 0 : errno;
	ret = ml_parse_processes(buf, len, &p, &e);
	free(buf);
	if (ret) {
		fprintf(stderr, "# processes:%u: %s\n", e.line, e.msg);
		return EBADMSG;
	}
	ml_procs_free(&p);
	__atomic_fetch_add(&shared->parsed, 1, __ATOMIC_RELAXED);
	return 0;
}

static int reader(double end, unsigned int seed)
{
	int ret;

	while (now() < end) {
		/* an open may still race the unload: only the next one waits */
		while (shared->hold && now() < end)
			usleep(1000);
		ret = rand_r(&seed) % 8 ? reader_once(files[rand_r(&seed) % ARRAY_SIZE(files)], &seed)
					: reader_parse();
		if (ret)
			return ret;
		/* an open file pins the module: leave rmmod a moment now and then */
		usleep(rand_r(&seed) % 50000);
	}
	return 0;
}

static int module_fd = -1;

/*
 * Unload, then load.  While a reader has a file open the module is pinned
 * and rmmod fails with EWOULDBLOCK: retry until @give_up, asking the
 * readers to hold off after the first fifth of the second (under KASAN,
 * moments with no file open can be seconds apart, and one read of a file
 * can take half a second).
 */
static int reload(double give_up)
{
	int ret = 0;

	while (syscall(SYS_delete_module, "memlens", O_NONBLOCK)) {
		if (errno != EWOULDBLOCK && errno != EBUSY && errno != EAGAIN) {
			ret = errno;
			goto out;
		}
		__atomic_fetch_add(&shared->busy, 1, __ATOMIC_RELAXED);
		if (now() > give_up)
			goto out;	/* busy all second: try again next time */
		if (!shared->hold && now() > give_up - 0.8) {
			shared->hold = 1;
			__atomic_fetch_add(&shared->held, 1, __ATOMIC_RELAXED);
		}
		usleep(1000);
	}
	if (syscall(SYS_finit_module, module_fd, "", 0))
		ret = errno;
	else
		__atomic_fetch_add(&shared->load_cycles, 1, __ATOMIC_RELAXED);
out:
	shared->hold = 0;
	return ret;
}

static long long kernel_kb(void)
{
	drop_caches();
	return proc_field("/proc/meminfo", "SUnreclaim", 1) +
	       proc_field("/proc/meminfo", "VmallocUsed", 1);
}

#define KMEMLEAK "/sys/kernel/debug/kmemleak"

/*
 * Suspected leaks kmemleak finds with memlens in their backtrace; memlens
 * must be loaded, or its addresses print as numbers.  -1: no kmemleak.
 */
static int kmemleak_memlens(void)
{
	char line[512];
	int n = 0;
	FILE *f;

	if (access(KMEMLEAK, F_OK))
		return -1;
	/* an object must look unreferenced over two scans, seconds apart */
	sh("echo scan > " KMEMLEAK "; sleep 6; echo scan > " KMEMLEAK);
	f = fopen(KMEMLEAK, "r");
	while (f && fgets(line, sizeof(line), f))
		n += strstr(line, "[memlens]") != NULL;
	if (f)
		fclose(f);
	return n;
}

FIXTURE(stress) {};
FIXTURE_SETUP(stress) {}
FIXTURE_TEARDOWN(stress) {}

/* The storm's length, then the leak checks and unloads. */
TEST_F_TIMEOUT(stress, storm_readers_and_reloads, 2 * stress_seconds() + 600)
{
	int seconds = stress_seconds(), i, status, failed = 0;
	long long before, after;
	double next;
	char path[256];
	pid_t kids[6];
	double end;
	FILE *f;

	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		      -1, 0);
	ASSERT_NE(MAP_FAILED, shared);
	f = popen("modinfo -n memlens", "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(path, sizeof(path), f));
	pclose(f);
	path[strcspn(path, "\n")] = '\0';
	module_fd = open(path, O_RDONLY);
	ASSERT_LE(0, module_fd);

	sh("rmmod memlens");
	sh("[ ! -e " KMEMLEAK " ] || echo clear > " KMEMLEAK);
	before = kernel_kb();
	ASSERT_EQ(0, sh("modprobe memlens"));
	end = now() + seconds;
	for (i = 0; i < 6; i++) {
		kids[i] = fork();
		ASSERT_LE(0, kids[i]);
		if (!kids[i]) {
			if (i < 2)
				storm(end, 1 + i);
			_exit(i < 2 ? 0 : reader(end, 100 + i));
		}
	}
	/* a cycle a second: each second, unload as soon as no file is open */
	for (next = now() + 1; next < end; next += 1) {
		i = reload(next);
		EXPECT_EQ(0, i) TH_LOG("reload: %s", strerror(i));
		while (now() < next)
			usleep(10000);
	}
	for (i = 0; i < 6; i++) {
		ASSERT_EQ(kids[i], waitpid(kids[i], &status, 0));
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
			TH_LOG("worker %d: %s", i, WIFEXITED(status) ?
			       strerror(WEXITSTATUS(status)) : "killed");
	}
	TH_LOG("%d s: %ld processes forked, %ld threads, %ld renamed; %ld reads, %ld bytes, "
	       "%ld lseeks, %ld full reads parsed, %ld opens after unload failed cleanly; "
	       "%ld load cycles (%ld rmmod retries while readers held files; "
	       "readers held off in %ld seconds)",
	       seconds, shared->forks, shared->threads, shared->renames, shared->reads,
	       shared->bytes, shared->lseeks, shared->parsed, shared->gone, shared->load_cycles,
	       shared->busy, shared->held);
	/*
	 * A reload a second, but a read begun before the hold may outlast
	 * the second (KASAN, a busy host: 5 of 60 seen, 2 of 60 with ten
	 * views to read): one in thirty.
	 */
	EXPECT_GE(shared->load_cycles, seconds >= 30 ? seconds / 30 : 1);
	EXPECT_GT(shared->parsed, 0);
	EXPECT_EQ(0, failed);

	ASSERT_TRUE(!access(PROCESSES, F_OK) || !sh("modprobe memlens"));
	i = kmemleak_memlens();
	sh("rmmod memlens");
	if (i >= 0) {
		TH_LOG("kmemleak: %d suspected leaks with memlens in their backtrace", i);
		EXPECT_EQ(0, i);
	} else {
		TH_LOG("kmemleak: not in this kernel (make check-debug has it)");
	}
	after = kernel_kb();
	TH_LOG("unreclaimable slab + vmalloc: %lld kB before, %lld kB after", before, after);
	/* slab the storm left in per-cpu partial lists may stay: 1 MiB of slack */
	EXPECT_LE(after - before, 1024);
	ASSERT_EQ(0, sh("modprobe memlens"));
	close(module_fd);
}

TEST_HARNESS_MAIN
