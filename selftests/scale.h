/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixture of the tests and benchmark at scale: SCALE_FILES one-byte
 * files on a tmpfs of their own, 1,000 to a directory (d0000/f0000 ...),
 * and big/ with five files of 5 to 50 MiB.  Made by one static program,
 * one worker per CPU: under TCG a file costs about 100 us whatever makes
 * it (the kernel unpacking an initramfs is no faster), so two million
 * take minutes.
 */
#ifndef MEMLENS_SELFTEST_SCALE_H
#define MEMLENS_SELFTEST_SCALE_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SCALE_DIR	"/tmp/memlens-scale"
#define PER_DIR		1000
#define NBIG		5

static const int big_mib[NBIG] = { 5, 10, 20, 35, 50 };

static inline long scale_files(void)
{
	const char *s = getenv("SCALE_FILES");

	return s && atol(s) > 0 ? atol(s) : 20000;
}

static inline double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Files FIRST, FIRST + STEP, ... of N in directories of PER_DIR. */
static inline int make_files(int root, long n, int first, int step)
{
	char name[32];
	long d, i;

	for (d = first; d * PER_DIR < n; d += step) {
		int dfd;

		snprintf(name, sizeof(name), "d%04ld", d);
		if (mkdirat(root, name, 0755) && errno != EEXIST)
			return -1;
		dfd = openat(root, name, O_DIRECTORY | O_RDONLY);
		if (dfd < 0)
			return -1;
		for (i = 0; i < PER_DIR && d * PER_DIR + i < n; i++) {
			int fd;

			snprintf(name, sizeof(name), "f%04ld", i);
			fd = openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (fd < 0 || write(fd, "x", 1) != 1)
				return -1;
			close(fd);
		}
		close(dfd);
	}
	return 0;
}

/*
 * The fixture: a tmpfs at SCALE_DIR with N one-byte files and big/ with
 * the large files; "done" marks it whole.  0, or -1 with a message.
 */
static inline int fixture(void)
{
	long n = scale_files();
	int root, w, workers = sysconf(_SC_NPROCESSORS_ONLN), st, fail = 0;
	char path[64], *mib;
	double t0 = now();
	pid_t pid;

	if (!access(SCALE_DIR "/done", F_OK))
		return 0;
	mkdir(SCALE_DIR, 0755);
	if (mount("tmpfs", SCALE_DIR, "tmpfs", 0, "size=100%,nr_inodes=0")) {
		perror("mount " SCALE_DIR);
		return -1;
	}
	root = open(SCALE_DIR, O_DIRECTORY | O_RDONLY);
	if (root < 0)
		return -1;
	for (w = 1; w < workers; w++) {
		pid = fork();
		if (!pid)
			_exit(make_files(root, n, w, workers) ? 1 : 0);
	}
	fail = make_files(root, n, 0, workers);
	while (wait(&st) > 0)
		fail |= !WIFEXITED(st) || WEXITSTATUS(st);
	if (fail) {
		perror("making the fixture's files");
		return -1;
	}
	mkdir(SCALE_DIR "/big", 0755);
	mib = malloc(1 << 20);
	memset(mib, 'b', 1 << 20);
	for (w = 0; w < NBIG; w++) {
		int fd, i;

		snprintf(path, sizeof(path), SCALE_DIR "/big/big-%dM", big_mib[w]);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		for (i = 0; fd >= 0 && i < big_mib[w]; i++)
			if (write(fd, mib, 1 << 20) != 1 << 20)
				fail = 1;
		if (fd < 0 || fail)
			return -1;
		close(fd);
	}
	free(mib);
	close(open(SCALE_DIR "/done", O_WRONLY | O_CREAT, 0644));
	printf("# fixture: %ld files in %.1f s (%d workers)\n", n, now() - t0, workers);
	fflush(stdout);
	return 0;
}
#endif /* MEMLENS_SELFTEST_SCALE_H */
