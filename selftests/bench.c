// SPDX-License-Identifier: GPL-2.0
/*
 * memlens_bench: how long one full read of memlens's processes file takes,
 * against getting the same numbers from procfs, ps and smem, with 1,000 and
 * 10,000 extra sleeping processes, all measured in one VM run.  Timed
 * in-process (starting a program costs ~20 ms under TCG), medians of
 * several runs.  Run by scripts/bench.sh; prints a report, not a verdict.
 *
 *   memlens_bench [--small N] [--large N] [--runs N] [--latency SECONDS] [--no-smem]
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROCESSES "/sys/kernel/debug/memlens/processes"

static char buf[1 << 20];

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long slurp(const char *path)
{
	long total = 0;
	ssize_t r;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		total += r;
	close(fd);
	return total;
}

/* (a), (b): one open/read/close of /proc/PID/<file> for every process. */
static void proc_loop(const char *file)
{
	char path[300];
	struct dirent *de;
	DIR *d = opendir("/proc");

	while (d && (de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/%s", de->d_name, file);
		slurp(path);
	}
	if (d)
		closedir(d);
}

static void read_memlens(void)
{
	if (slurp(PROCESSES) <= 0) {
		perror(PROCESSES);
		exit(1);
	}
}

static void read_statm(void) { proc_loop("statm"); }
static void read_status(void) { proc_loop("status"); }

/* A command, output thrown away, as a user would run it. */
static void run(const char *cmd)
{
	char full[256];

	snprintf(full, sizeof(full), "%s >/dev/null 2>&1", cmd);
	if (system(full))
		fprintf(stderr, "# '%s' failed\n", cmd);
}

static const char *cmd_arg;
static void run_cmd(void) { run(cmd_arg); }

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median_ms(void (*fn)(void), int runs)
{
	double t[64], start;
	int i;

	fn();	/* warm the caches */
	for (i = 0; i < runs && i < 64; i++) {
		start = now_ms();
		fn();
		t[i] = now_ms() - start;
	}
	qsort(t, i, sizeof(t[0]), cmp_double);
	return t[i / 2];
}

static pid_t *sleepers;
static int nsleepers;

static void spawn(int total)
{
	sleepers = realloc(sleepers, total * sizeof(*sleepers));
	for (; nsleepers < total; nsleepers++) {
		pid_t p = fork();

		if (p < 0) {
			perror("fork");
			exit(1);
		}
		if (!p) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (;;)
				pause();
		}
		sleepers[nsleepers] = p;
	}
}

static int count_processes(void)
{
	struct dirent *de;
	int n = 0;
	DIR *d = opendir("/proc");

	while (d && (de = readdir(d)))
		n += de->d_name[0] >= '1' && de->d_name[0] <= '9';
	if (d)
		closedir(d);
	return n;
}

enum { M_MEMLENS, M_STATM, M_STATUS, M_PS, M_CAT, M_READER, M_SMEM, NM };

static const char *const names[NM] = {
	"memlens processes, one read",
	"(a) /proc/PID/statm loop",
	"(b) /proc/PID/status loop",
	"(c) ps -eo pid,rss,vsz,comm",
	"cat processes (command)",
	"memlens ps -r (command)",
	"smem -t",
};

struct point {
	int procs;
	double ms[NM];
};

/*
 * Rounds of every method in turn, medians per method: drift in the VM's
 * speed then affects them all alike.
 */
static void measure(struct point *pt, int runs, bool smem)
{
	static const char *const cmds[NM] = {
		[M_PS] = "ps -eo pid,rss,vsz,comm",
		[M_CAT] = "cat " PROCESSES,
		[M_READER] = "memlens ps -r",
	};
	double t[NM][64], start;
	int r, m;

	if (runs > 64)
		runs = 64;
	pt->procs = count_processes();
	read_memlens();		/* warm the caches */
	read_statm();
	for (r = 0; r < runs; r++) {
		for (m = 0; m < M_SMEM; m++) {
			start = now_ms();
			if (m == M_MEMLENS)
				read_memlens();
			else if (m == M_STATM)
				read_statm();
			else if (m == M_STATUS)
				read_status();
			else
				run(cmds[m]);
			t[m][r] = now_ms() - start;
		}
	}
	for (m = 0; m < M_SMEM; m++) {
		qsort(t[m], runs, sizeof(t[m][0]), cmp_double);
		pt->ms[m] = t[m][runs / 2];
	}
	cmd_arg = "smem -t";
	pt->ms[M_SMEM] = smem ? median_ms(run_cmd, 1) : 0;
	fprintf(stderr, "# measured at %d processes\n", pt->procs);
}

/*
 * Scheduling latency while a load runs: cyclictest's max, with memlens
 * reads in a loop, with ps in a loop, and idle.
 */
static long cyclictest_max(int seconds)
{
	char cmd[128], line[512];
	long max = -1;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "cyclictest -q -m -t1 -p 80 -i 1000 -D %d 2>/dev/null", seconds);
	f = popen(cmd, "r");
	while (f && fgets(line, sizeof(line), f)) {
		char *p = strstr(line, "Max:");

		if (p)
			max = strtol(p + 4, NULL, 10);
	}
	if (f)
		pclose(f);
	return max;
}

static long latency_with(void (*load)(void), int seconds)
{
	pid_t p = 0;
	long max;

	if (load) {
		p = fork();
		if (!p) {
			for (;;)
				load();
		}
	}
	max = cyclictest_max(seconds);
	if (p) {
		kill(p, SIGKILL);
		waitpid(p, NULL, 0);
	}
	return max;
}

static void ps_loop(void) { run("ps -eo pid,rss,vsz,comm"); }

int main(int argc, char **argv)
{
	int small = 1000, large = 10000, runs = 5, latency = 10, i;
	bool smem = true;
	static const struct option opts[] = {
		{ "no-smem", no_argument, NULL, 'n' },
		{ "small", required_argument, NULL, 's' },
		{ "large", required_argument, NULL, 'l' },
		{ "runs", required_argument, NULL, 'r' },
		{ "latency", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	struct point p[2];
	long lat[3] = { -1, -1, -1 };
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': small = atoi(optarg); break;
		case 'l': large = atoi(optarg); break;
		case 'r': runs = atoi(optarg); break;
		case 't': latency = atoi(optarg); break;
		case 'n': smem = false; break;
		default: return 2;
		}
	}
	spawn(small);
	measure(&p[0], runs, smem);
	spawn(large);
	measure(&p[1], runs, smem);
	if (latency > 0) {
		lat[0] = latency_with(NULL, latency);
		lat[1] = latency_with(read_memlens, latency);
		lat[2] = latency_with(ps_loop, latency);
	}

	printf("\nmemlens bench: one VM, medians of %d runs (smem: 1 run)\n\n", runs);
	printf("%-30s %12s %12s %14s\n", "method", "ms @ small", "ms @ large", "us/process");
	for (i = 0; i < NM; i++) {
		double slope = (p[1].ms[i] - p[0].ms[i]) * 1000 / (p[1].procs - p[0].procs);

		printf("%-30s %12.1f %12.1f %14.2f\n", names[i], p[0].ms[i], p[1].ms[i], slope);
	}
	printf("(processes: %d and %d)\n\n", p[0].procs, p[1].procs);
	printf("ratios at %d processes (how many times faster memlens is):\n", p[1].procs);
	for (i = M_STATM; i <= M_PS; i++)
		printf("  %-28s %8.1fx\n", names[i], p[1].ms[i] / p[1].ms[M_MEMLENS]);
	printf("  %-28s %8.1fx\n", names[M_SMEM], p[1].ms[M_SMEM] / p[1].ms[M_MEMLENS]);
	printf("per-process cost of one memlens read: %.2f us at %d, %.2f us at %d (ratio %.2f)\n",
	       p[0].ms[M_MEMLENS] * 1000 / p[0].procs, p[0].procs,
	       p[1].ms[M_MEMLENS] * 1000 / p[1].procs, p[1].procs,
	       (p[1].ms[M_MEMLENS] / p[1].procs) / (p[0].ms[M_MEMLENS] / p[0].procs));
	printf("memlens ps -r against cat of the file: %.2fx\n",
	       p[1].ms[M_READER] / p[1].ms[M_CAT]);
	if (latency > 0)
		printf("\ncyclictest max latency over %d s (us): idle %ld, memlens reads looping %ld, ps looping %ld\n",
		       latency, lat[0], lat[1], lat[2]);
	for (i = 0; i < nsleepers; i++)
		kill(sleepers[i], SIGKILL);
	while (wait(NULL) > 0)
		;
	return 0;
}
