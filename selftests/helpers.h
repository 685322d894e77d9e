/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the C selftests: reading memlens and /proc files, and
 * measuring a process's own memory without disturbing it.
 *
 * The memlens files are parsed with the reader's own parser
 * (userspace/parse.c); every number is then held against /proc, which the
 * parser has no part in.
 */
#ifndef MEMLENS_SELFTEST_HELPERS_H
#define MEMLENS_SELFTEST_HELPERS_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reader.h"

/*
 * The harness gives a test 30 s; under TCG, and more so on the KASAN
 * kernel, a test of ten thousand processes needs more: making 100,000
 * inodes there took 277 s on a quiet host and 545 s on a busy one.  A
 * hang is still caught: by this timeout, run.sh's and the VM's.
 */
#ifdef TEST_TIMEOUT_DEFAULT
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT 1200
#endif

#define MEMLENS_DIR	"/sys/kernel/debug/memlens"
#define PROCESSES	MEMLENS_DIR "/processes"
#define SYSTEM		MEMLENS_DIR "/system"
#define SLAB		MEMLENS_DIR "/slab"
#define PAGE_KB		(sysconf(_SC_PAGESIZE) / 1024)

/* Read a whole file with read() calls of @chunk bytes; NULL (and errno) on error. */
static inline char *read_file(const char *path, size_t *len, size_t chunk)
{
	size_t cap = 1 << 20, n = 0;
	char *buf = malloc(cap + 1), *p;
	ssize_t r = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || !buf) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	for (;;) {
		if (cap - n < chunk) {
			cap = 2 * cap + chunk;
			p = realloc(buf, cap + 1);
			if (!p)
				break;
			buf = p;
		}
		r = read(fd, buf + n, chunk);
		if (r <= 0)
			break;
		n += r;
	}
	close(fd);
	if (r < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/*
 * A memlens file read with @chunk-byte reads and parsed by @parse (one of
 * the reader's ml_parse_*()) into @out; 0 on success.
 */
#define read_view(path, chunk, parse, out) ({					\
	struct ml_error __e;							\
	size_t __len;								\
	char *__buf = read_file(path, &__len, chunk);				\
	int __ret = __buf ? parse(__buf, __len, out, &__e) : -1;		\
										\
	if (__buf && __ret)							\
		fprintf(stderr, "# %s:%u: %s\n", __e.file, __e.line, __e.msg);	\
	free(__buf);								\
	__ret;									\
})

static inline int read_processes(struct ml_procs *p, size_t chunk)
{
	return read_view(PROCESSES, chunk, ml_parse_processes, p);
}

static inline int read_system(struct ml_system *s)
{
	return read_view(SYSTEM, 4096, ml_parse_system, s);
}

static inline int read_slab(struct ml_slabs *s)
{
	return read_view(SLAB, 4096, ml_parse_slab, s);
}

static inline int read_files_view(struct ml_files *f, size_t chunk)
{
	return read_view(MEMLENS_DIR "/files", chunk, ml_parse_files, f);
}

static inline const struct ml_proc *find_proc(const struct ml_procs *p, long pid)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->rows[i].val[MEMLENS_PROC_PID] == (uint64_t)pid)
			return &p->rows[i];
	return NULL;
}

/* A "Key: value" field of a /proc file, or -1 if it is not there. */
static inline long long proc_field(const char *path, const char *key, int nth)
{
	char line[512], *p;
	size_t kl = strlen(key);
	long long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, kl) || line[kl] != ':')
			continue;
		p = line + kl + 1;
		while (nth-- > 0) {
			v = strtoll(p, &p, 10);
		}
		break;
	}
	fclose(f);
	return v;
}

/*
 * A process's own row, measured without disturbing what is measured: the
 * file is read into a buffer touched in advance and parsed in place, so no
 * page is allocated between two measurements.
 */
static char own_buf[16 << 20];

static inline void own_prepare(void)
{
	memset(own_buf, 1, sizeof(own_buf));
	/*
	 * Fault in every page mapped so far, the program's text included: it
	 * runs from the initramfs, so its first touch of a code page would
	 * count as shmem between two measurements.
	 */
	mlockall(MCL_CURRENT);
}

/*
 * Before 6.2 each task caches its rss changes and flushes them to the mm
 * every 64 faults (SPLIT_RSS_COUNTING), and /proc reads the mm: zapping a
 * page of one's own flushes the cache (zap_pte_range -> sync_mm_rss).
 * Harmless on later kernels.
 */
static inline void flush_rss(void)
{
	static char *page;

	if (!page)
		page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	page[0] = 1;
	madvise(page, 4096, MADV_DONTNEED);
}

static inline int own_row(uint64_t *val)
{
	char *line, *end;
	size_t n = 0;
	ssize_t r;
	int fd, i;

	flush_rss();
	fd = open(PROCESSES, O_RDONLY);
	if (fd < 0)
		return -1;
	while ((r = read(fd, own_buf + n, sizeof(own_buf) - 1 - n)) > 0)
		n += r;
	close(fd);
	own_buf[n] = '\0';
	for (line = own_buf; *line; line = end + 1) {
		if (strtol(line, NULL, 10) == getpid()) {
			for (i = 0; i < MEMLENS_PROC_NR_NUMERIC; i++, line = end)
				val[i] = strtoull(line, &end, 10);
			return 0;
		}
		end = strchr(line, '\n');
		if (!end)
			break;
	}
	return -1;
}

/* The scratch filesystem of the VM (scratch.sh), or NULL to skip. */
static inline const char *scratch(const char *what)
{
	static char mnt[64];
	char cmd[300];
	FILE *f;

	snprintf(cmd, sizeof(cmd), "%.200s/scratch.sh %s", getenv("SELFTEST_DIR") ?
		 getenv("SELFTEST_DIR") : "/usr/lib/memlens/selftests", what);
	f = popen(cmd, "r");
	if (!f || !fgets(mnt, sizeof(mnt), f)) {
		if (f)
			pclose(f);
		return NULL;
	}
	pclose(f);
	mnt[strcspn(mnt, "\n")] = '\0';
	return mnt;
}

/* How many negative dentries the dentry tests make: DENTRIES, or 100,000. */
static inline int dentries_count(void)
{
	const char *s = getenv("DENTRIES");

	return s && atoi(s) > 0 ? atoi(s) : 100000;
}

/* Look up n missing names in dir: n new negative dentries. */
static inline void negative_dentries(const char *dir, const char *prefix, int n)
{
	struct stat st;
	char path[256];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s-%d", dir, prefix, i);
		stat(path, &st);
	}
}

/* A growth that may be negative: counters are unsigned, the change is not. */
#define DELTA(after, before)	((int64_t)(after) - (int64_t)(before))

/* Run a shell command; its exit status, or -1. */
static inline int sh(const char *cmd)
{
	int st = system(cmd);

	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/*
 * Drop the page cache, dentries and inodes, then shrink every slab cache:
 * under KASAN, freed objects wait in its quarantine still allocated to
 * SLUB, and only a cache shrink (or later allocations) gives them back.
 */
static inline void drop_caches(void)
{
	sync();
	sh("echo 3 > /proc/sys/vm/drop_caches");
	sh("echo 1 | tee /sys/kernel/slab/*/shrink >/dev/null 2>&1");
}

#endif /* MEMLENS_SELFTEST_HELPERS_H */
