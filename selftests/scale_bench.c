// SPDX-License-Identifier: GPL-2.0
/*
 * The cost of the files and dirs views at scale (scripts/bench-scale.sh):
 * on the fixture of scale.h (SCALE_FILES, default two million cached
 * inodes),
 *  - the time of one whole read of files and of dirs (the median of
 *    three), and per million inodes walked (the total rows' files);
 *  - the latency of a creat + write + close + unlink loop on the fixture's
 *    tmpfs for SECONDS (default 20) each: alone, while files is read in a
 *    loop, while dirs is; its rate, 99th percentile and worst.
 * Not a test: it prints figures.  The loop and the reader are separate
 * processes, each free to run on its own CPU.
 *
 *   scale_bench [SECONDS]
 */
#include <signal.h>
#include <sys/prctl.h>

#include "helpers.h"
#include "scale.h"

#define BUCKETS	100000	/* latency histogram: 10 us steps up to one second */

/* Read a whole memlens file: seconds taken; the total rows' files to @inodes. */
static double read_once(const char *path, long *inodes)
{
	double t0 = now(), took;
	size_t len;
	char *buf = read_file(path, &len, 1 << 20), *p;

	took = now() - t0;
	if (!buf) {
		fprintf(stderr, "scale_bench: cannot read %s\n", path);
		exit(1);
	}
	*inodes = 0;
	for (p = buf; (p = strstr(p, "\n" MEMLENS_FILES_TOTAL " ")); p++) {
		unsigned long long f;

		if (sscanf(p + 7, "%*s %*s %llu", &f) == 1)
			*inodes += f;
	}
	free(buf);
	return took;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void read_times(const char *view)
{
	char path[64];
	double t[3];
	long inodes;
	int i;

	snprintf(path, sizeof(path), MEMLENS_DIR "/%s", view);
	for (i = 0; i < 3; i++)
		t[i] = read_once(path, &inodes);
	qsort(t, 3, sizeof(*t), cmp_double);
	printf("%-6s one read: %.0f ms (of %.0f-%.0f) for %ld inodes: %.0f ms per million\n",
	       view, t[1] * 1e3, t[0] * 1e3, t[2] * 1e3, inodes,
	       inodes ? t[1] * 1e3 * 1e6 / inodes : 0.0);
	fflush(stdout);
}

/* A reader of @view in a loop until killed; 0 for none. */
static pid_t reader_loop(const char *view)
{
	char path[64];
	long inodes;
	pid_t pid;

	if (!view)
		return 0;
	snprintf(path, sizeof(path), MEMLENS_DIR "/%s", view);
	pid = fork();
	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (;;)
		read_once(path, &inodes);
}

/* The creat/unlink loop for @seconds with @view read beside it (or not). */
static void churn(const char *view, int seconds)
{
	static unsigned int hist[BUCKETS + 1];
	double end, a, b, worst = 0;
	long n = 0, i, seen = 0, p99 = 0;
	pid_t reader = reader_loop(view);
	char name[32];
	int dir, fd;

	memset(hist, 0, sizeof(hist));
	mkdir(SCALE_DIR "/churn", 0755);
	dir = open(SCALE_DIR "/churn", O_DIRECTORY | O_RDONLY);
	if (dir < 0) {
		perror("scale_bench: " SCALE_DIR "/churn");
		exit(1);
	}
	end = now() + seconds;
	for (a = now(); a < end; a = b) {
		snprintf(name, sizeof(name), "c%ld", n % 1000);
		fd = openat(dir, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write(fd, "x", 1) != 1 || close(fd) || unlinkat(dir, name, 0)) {
			perror("scale_bench: the creat/unlink loop");
			exit(1);
		}
		b = now();
		worst = b - a > worst ? b - a : worst;
		i = (long)((b - a) * 1e5);
		hist[i < BUCKETS ? i : BUCKETS]++;
		n++;
	}
	if (reader) {
		kill(reader, SIGKILL);
		waitpid(reader, NULL, 0);
	}
	close(dir);
	for (i = 0; i <= BUCKETS; i++) {
		seen += hist[i];
		if (seen * 100 >= n * 99) {
			p99 = i;
			break;
		}
	}
	printf("creat/unlink loop, %-22s %8.0f/s, 99%% under %5.2f ms, worst %7.2f ms\n",
	       view ? (!strcmp(view, "files") ? "files read in a loop:" : "dirs read in a loop:") :
	       "alone:", n / (double)seconds, (p99 + 1) / 100.0, worst * 1e3);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	int seconds = argc > 1 ? atoi(argv[1]) : 20;

	if (seconds <= 0) {
		fprintf(stderr, "usage: scale_bench [SECONDS]\n");
		return 1;
	}
	if (fixture())
		return 1;
	read_times("files");
	read_times(MEMLENS_FILE_DIRS);
	churn(NULL, seconds);
	churn("files", seconds);
	churn(MEMLENS_FILE_DIRS, seconds);
	churn(NULL, seconds);
	return 0;
}
