// SPDX-License-Identifier: GPL-2.0
/*
 * memlens_bench: how long memlens takes to answer, against the tools that
 * answer the same question otherwise, all measured in one VM run:
 *
 *  processes  one full read of the processes file against a C loop over
 *             /proc/PID/statm and /proc/PID/status, ps and smem -t, with
 *             1,000 and 10,000 extra sleeping processes; then cyclictest's
 *             worst latency with memlens reads or ps looping;
 *  pss        one read of the pss file against a C loop over every
 *             /proc/PID/smaps_rollup, memlens ps -o pid,pss,uss and
 *             smem -t, at 1,000 and 10,000 extra sleeping processes; then
 *             the loop rate and slowest loop of a target that maps and
 *             unmaps in a loop, idle, with pss read and with the loop;
 *  shared     with 1,000 extra processes running coreutils' sleep (each
 *             maps libc and ld.so), memlens shared -r against smem -m, as
 *             from a shell with LANG=C.UTF-8, and the command's parts;
 *  files      with 100,000 cached files of one page on the scratch disk,
 *             one read of the files file (and memlens files -r) against
 *             fincore and vmtouch given every path, and a C loop of
 *             open + cachestat() (mincore() before 6.5) + close.
 *  pages      one read of the pages file (the census of every page of
 *             RAM) against a C loop reading /proc/kpageflags for every
 *             PFN, what tools/mm/page-types reads, and memlens pages.
 *
 * In-process methods are timed in-process (starting a program costs
 * ~20 ms under TCG), commands as a user runs them; medians of several
 * runs.  Run by scripts/bench.sh; prints a report, not a verdict.
 *
 *   memlens_bench [--only processes,pss,shared,files,pages] [--small N] [--large N]
 *                 [--runs N] [--latency SECONDS] [--no-smem]
 *                 [--shared N] [--files N] [--slow-runs N]
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "uapi/memlens.h"

#define PROCESSES	MEMLENS_DEFAULT_PATH "/" MEMLENS_FILE_PROCESSES
#define FILES		MEMLENS_DEFAULT_PATH "/" MEMLENS_FILE_FILES
#define PAGES		MEMLENS_DEFAULT_PATH "/" MEMLENS_FILE_PAGES

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

/*
 * A command, output thrown away, as a user would run it from a shell that
 * is already running: spawned directly, so that no /bin/sh start (tens of
 * milliseconds under TCG) is counted.  Arguments are split at spaces.
 */
static void run(const char *cmd)
{
	posix_spawn_file_actions_t fa;
	char copy[256], *argv[32], *save = NULL;
	int argc = 0, status;
	pid_t pid;

	snprintf(copy, sizeof(copy), "%s", cmd);
	for (argv[argc] = strtok_r(copy, " ", &save); argv[argc] && argc < 31;
	     argv[++argc] = strtok_r(NULL, " ", &save))
		;
	argv[argc] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) ||
	    waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		fprintf(stderr, "# '%s' failed\n", cmd);
	posix_spawn_file_actions_destroy(&fa);
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

/*
 * Children up to @total: sleeping in pause(), or running @prog (a path)
 * with @arg, a real program that maps its shared libraries.  They die with
 * the bench.
 */
static void spawn(int total, const char *prog, const char *arg)
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
			if (prog) {
				execl(prog, prog, arg, (char *)NULL);
				_exit(127);
			}
			for (;;)
				pause();
		}
		sleepers[nsleepers] = p;
	}
}

static void kill_children(void)
{
	int i;

	for (i = 0; i < nsleepers; i++)
		kill(sleepers[i], SIGKILL);
	while (wait(NULL) > 0)
		;
	nsleepers = 0;
}

/* Wait until every child has exec'd @comm; false if one has died. */
static bool wait_exec(const char *comm)
{
	char path[64], line[64];
	int i;

	for (i = 0; i < nsleepers; i++) {
		for (;;) {
			FILE *f;

			snprintf(path, sizeof(path), "/proc/%d/comm", sleepers[i]);
			f = fopen(path, "r");
			if (!f)
				return false;
			if (!fgets(line, sizeof(line), f))
				line[0] = '\0';
			fclose(f);
			line[strcspn(line, "\n")] = '\0';
			if (!strcmp(line, comm))
				break;
			if (waitpid(sleepers[i], NULL, WNOHANG) == sleepers[i])
				return false;
			usleep(10000);
		}
	}
	return true;
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

static void bench_processes(int small, int large, int runs, int latency, bool smem)
{
	struct point p[2];
	long lat[3] = { -1, -1, -1 };
	int i;

	spawn(small, NULL, NULL);
	measure(&p[0], runs, smem);
	spawn(large, NULL, NULL);
	measure(&p[1], runs, smem);
	if (latency > 0) {
		lat[0] = latency_with(NULL, latency);
		lat[1] = latency_with(read_memlens, latency);
		lat[2] = latency_with(ps_loop, latency);
	}
	kill_children();

	printf("\nmemlens bench: processes: one VM, medians of %d runs (smem: 1 run)\n\n", runs);
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
	fflush(stdout);
}

/* Whether the reader in the VM has @cmd yet: its --help lists it. */
static bool reader_has(const char *cmd)
{
	char line[256], want[64];
	bool found = false;
	FILE *f = popen("memlens --help 2>/dev/null", "r");

	snprintf(want, sizeof(want), " memlens %s ", cmd);
	while (f && fgets(line, sizeof(line), f))
		found |= !strncmp(line, want, strlen(want));
	if (f)
		pclose(f);
	return found;
}

/* One way to the answer: a function timed in-process, or a command. */
struct method {
	const char *name;
	void (*fn)(void);
	const char *cmd;
	const char *missing;	/* why it is skipped */
	int reps;		/* timed this many times a round, the median kept (0: once) */
	double ms, min, max;	/* median, fastest and slowest run */
	double run[16];		/* each round's time, in round order */
};

/* Whether @prog is installed. */
static bool have_program(const char *prog)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", prog);
	return !system(cmd);
}

/* One run of @m: the median of its ->reps timings, in ms. */
static double time_method(const struct method *m)
{
	double t[16], start;
	int k, reps = m->reps > 1 ? (m->reps < 16 ? m->reps : 16) : 1;

	for (k = 0; k < reps; k++) {
		start = now_ms();
		if (m->fn)
			m->fn();
		else
			run(m->cmd);
		t[k] = now_ms() - start;
	}
	qsort(t, reps, sizeof(t[0]), cmp_double);
	return t[reps / 2];
}

/*
 * Time every method @runs times, in rounds of every method in turn (drift
 * in the VM's speed then affects them all alike); the medians in ->ms.
 */
static void measure_methods(struct method *m, int n, int runs)
{
	double t[16][16] = { { 0 } };
	int r, i;

	if (runs > 16)
		runs = 16;
	for (r = 0; r < runs; r++)
		for (i = 0; i < n && i < 16; i++)
			if (!m[i].missing)
				t[i][r] = time_method(&m[i]);
	for (i = 0; i < n && i < 16; i++) {
		memcpy(m[i].run, t[i], sizeof(m[i].run));
		qsort(t[i], runs, sizeof(t[i][0]), cmp_double);
		m[i].ms = m[i].missing ? 0 : t[i][runs / 2];
		m[i].min = t[i][0];
		m[i].max = t[i][runs - 1];
	}
}

/*
 * @peer against @ours, round by round: a slower host moves both within a
 * round, so this ratio moves less than one of medians timed apart.
 */
static void rounds(const struct method *peer, const struct method *ours, int runs,
		   const char *target)
{
	double r[16];
	int i;

	if (runs > 16)
		runs = 16;
	printf("%s against %s, each round:", peer->name, ours->name);
	for (i = 0; i < runs; i++) {
		r[i] = peer->run[i] / ours->run[i];
		printf(" %.1f/%.1f ms = %.1fx%s", peer->run[i], ours->run[i], r[i],
		       i + 1 < runs ? ";" : "\n");
	}
	qsort(r, runs, sizeof(r[0]), cmp_double);
	printf("  median of the rounds: %.1fx, lowest %.1fx (target: %s)\n", r[runs / 2], r[0],
	       target);
}

/*
 * pss: one read of the pss file against the loop a monitor runs today
 * (open, read, close of every /proc/PID/smaps_rollup), memlens ps with
 * the pss columns, and smem -t (which reads every smaps), at @small and
 * @large extra sleeping processes.  Forked sleepers share the bench's
 * pages copy-on-write, so every page has many mappers to divide among.
 */
#define PSS		MEMLENS_DEFAULT_PATH "/" MEMLENS_FILE_PSS

static void read_pss(void)
{
	if (slurp(PSS) <= 0) {
		perror(PSS);
		exit(1);
	}
}

static void read_rollups(void) { proc_loop("smaps_rollup"); }

/* The control: as busy as a reader, taking no lock of the target's. */
static void spin(void)
{
	double start = now_ms();

	while (now_ms() - start < 10)
		;
}

enum { Q_PSS, Q_ROLLUP, Q_READER, Q_SMEM, NQ };

/*
 * The target of the stall figures: 256 MiB populated, looping mmap,
 * mprotect, munmap of 64 MiB (each takes its mmap lock for write).  It
 * counts its loops and keeps its slowest one since @reset was set.
 */
struct target {
	volatile long count;
	volatile double worst_ms;
	volatile int reset;
};

/* Run on @cpu only, if the VM has it; false if it has not. */
static bool pin(int cpu)
{
	cpu_set_t set;

	if (sysconf(_SC_NPROCESSORS_ONLN) <= cpu)
		return false;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return !sched_setaffinity(0, sizeof(set), &set);
}

static void target_loop(struct target *t)
{
	const size_t big = 256UL << 20, len = 64UL << 20;
	char *m = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	double start, ms;
	size_t i;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (m == MAP_FAILED)
		_exit(1);
	pin(1);		/* a CPU of its own: what is measured is waiting */
	madvise(m, big, MADV_NOHUGEPAGE);	/* 65,536 PTEs to walk */
	for (i = 0; i < big; i += 4096)
		m[i] = 1;
	for (;;) {
		start = now_ms();
		m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m != MAP_FAILED) {
			/* no huge page to clear: the loop is its mmap lock */
			madvise(m, len, MADV_NOHUGEPAGE);
			m[0] = 1;
			mprotect(m, len, PROT_READ);
			munmap(m, len);
		}
		ms = now_ms() - start;
		if (t->reset) {
			t->reset = 0;
			t->worst_ms = 0;
		}
		if (ms > t->worst_ms)
			t->worst_ms = ms;
		t->count++;
	}
}

struct stall {
	double rate, worst_ms;
};

/* The target's loops per second and slowest loop while @load loops. */
static void stall_with(struct target *t, void (*load)(void), int seconds, struct stall *s)
{
	double start;
	long c0;

	t->reset = 1;
	while (t->reset)
		usleep(1000);
	c0 = t->count;
	start = now_ms();
	while (now_ms() - start < seconds * 1e3) {
		if (load)
			load();
		else
			usleep(10 * 1000);
	}
	s->rate = (t->count - c0) * 1e3 / (now_ms() - start);
	s->worst_ms = t->worst_ms;
}

static void bench_pss(int small, int large, int runs, int seconds, bool smem)
{
	static struct method m[2][NQ] = { {
		[Q_PSS] = { "memlens pss, one read", read_pss },
		[Q_ROLLUP] = { "/proc/PID/smaps_rollup loop", read_rollups },
		[Q_READER] = { "memlens ps -o pid,pss,uss -r", NULL, "memlens ps -o pid,pss,uss -r" },
		[Q_SMEM] = { "smem -t", NULL, "smem -t" },
	} };
	static const char *const loads[4] = {
		"reader idle", "reader spinning (control)", "pss read in a loop",
		"smaps_rollup loop in a loop",
	};
	struct stall st[4];
	struct target *t;
	int procs[3], i, p;
	pid_t tp;

	memcpy(m[1], m[0], sizeof(m[0]));
	if (system("memlens ps -o pid,pss,uss -r >/dev/null 2>&1"))
		m[0][Q_READER].missing = m[1][Q_READER].missing = "(not in this reader)";
	if (!smem || !have_program("smem"))
		m[0][Q_SMEM].missing = m[1][Q_SMEM].missing = "(not run)";
	for (p = 0; p < 2; p++) {
		spawn(p ? large : small, NULL, NULL);
		procs[p] = count_processes();
		read_pss();	/* warm the caches */
		read_rollups();
		measure_methods(m[p], Q_SMEM, runs);
		if (!m[p][Q_SMEM].missing)
			measure_methods(m[p] + Q_SMEM, 1, 1);
		fprintf(stderr, "# pss: measured at %d processes\n", procs[p]);
	}

	/* without the sleepers, so that the target is most of what either load reads */
	kill_children();
	procs[2] = count_processes();
	t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (t == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	memset(t, 0, sizeof(*t));
	tp = fork();
	if (!tp)
		target_loop(t);
	while (t->count < 10)
		usleep(10000);
	stall_with(t, NULL, seconds, &st[0]);
	stall_with(t, spin, seconds, &st[1]);
	stall_with(t, read_pss, seconds, &st[2]);
	stall_with(t, read_rollups, seconds, &st[3]);
	kill(tp, SIGKILL);
	waitpid(tp, NULL, 0);
	munmap(t, sizeof(*t));

	printf("\nmemlens bench: pss: one VM, medians of %d runs (smem: 1 run)\n\n", runs);
	printf("%-30s %12s %12s %14s\n", "method", "ms @ small", "ms @ large", "us/process");
	for (i = 0; i < NQ; i++) {
		if (m[0][i].missing) {
			printf("%-30s %12s\n", m[0][i].name, m[0][i].missing);
			continue;
		}
		printf("%-30s %12.1f %12.1f %14.2f\n", m[0][i].name, m[0][i].ms, m[1][i].ms,
		       (m[1][i].ms - m[0][i].ms) * 1000 / (procs[1] - procs[0]));
	}
	printf("(processes: %d and %d)\n", procs[0], procs[1]);
	for (p = 0; p < 2; p++) {
		printf("ratios at %d processes: smaps_rollup loop %.1fx (target: 2x)", procs[p],
		       m[p][Q_ROLLUP].ms / m[p][Q_PSS].ms);
		if (!m[p][Q_SMEM].missing)
			printf(", smem -t %.1fx (target: 20x)", m[p][Q_SMEM].ms / m[p][Q_PSS].ms);
		if (!m[p][Q_READER].missing)
			printf("; memlens ps -o pid,pss,uss -r against smem -t %.1fx",
			       m[p][Q_SMEM].missing ? 0 : m[p][Q_SMEM].ms / m[p][Q_READER].ms);
		printf("\n");
	}
	printf("\nstall of a target (256 MiB populated, looping mmap/madvise/mprotect/munmap of 64 MiB),\n"
	       "at %d processes, %d s each, %s:\n", procs[2] + 1, seconds,
	       sysconf(_SC_NPROCESSORS_ONLN) > 1 ? "target and reader on a vCPU each" :
	       "1 vCPU shared by target and reader");
	for (i = 0; i < 4; i++)
		printf("  %-30s %8.0f loops/s (%3.0f%% of the control), slowest loop %8.1f ms\n",
		       loads[i], st[i].rate, 100 * st[i].rate / st[1].rate, st[i].worst_ms);
	fflush(stdout);
}

/*
 * One read of the files file, parsed just enough: its rows, and of those
 * the rows on @dev under /@dir/ with pages cached (dir NULL: none), and
 * the processes mapping the file named @lib (NULL: none).
 */
struct files_scan {
	long rows, cached, lib_procs;
};

static void scan_files(dev_t dev, const char *dir, const char *lib, struct files_scan *fs)
{
	char *line = NULL, fstype[64], prefix[128];
	unsigned long long ino, v[7];
	unsigned int maj, min;
	size_t cap = 0;
	ssize_t len;
	FILE *f = fopen(FILES, "r");

	memset(fs, 0, sizeof(*fs));
	snprintf(prefix, sizeof(prefix), "/%s/", dir ? dir : "");
	if (f && getline(&line, &cap, f) < 0)	/* the header */
		goto out;
	while (f && (len = getline(&line, &cap, f)) > 0) {
		char *path = strrchr(line, ' ');

		if (sscanf(line, "%u:%u %llu %63s %llu %llu %llu %llu %llu %llu %llu",
			   &maj, &min, &ino, fstype, &v[0], &v[1], &v[2], &v[3], &v[4],
			   &v[5], &v[6]) < 11 || !path)
			continue;
		path++;
		path[strcspn(path, "\n")] = '\0';
		fs->rows++;
		if (dir && maj == major(dev) && min == minor(dev) && v[0] &&
		    !strncmp(path, prefix, strlen(prefix)))
			fs->cached++;
		if (lib && strlen(path) >= strlen(lib) &&
		    !strcmp(path + strlen(path) - strlen(lib), lib) && (long)v[5] > fs->lib_procs)
			fs->lib_procs = v[5];
	}
out:
	free(line);
	if (f)
		fclose(f);
}

static void read_files(void)
{
	if (slurp(FILES) <= 0) {
		perror(FILES);
		exit(1);
	}
}

#define MAPPED		MEMLENS_DEFAULT_PATH "/" MEMLENS_FILE_MAPPED

static void read_mapped(void)
{
	if (slurp(MAPPED) <= 0) {
		perror(MAPPED);
		exit(1);
	}
}

/*
 * shared: @n processes each running sleep(1) from coreutils, so each maps
 * the program, ld.so and libc like any dynamic program; memlens shared -r
 * against smem -m, which reads every process's smaps to total each mapped
 * file, both run as from a shell with LANG=C.UTF-8.  The command's parts
 * are timed apart: a dynamic program's start (true), the reader's
 * (memlens --version) and one read of the mapped file, the module's part.
 * The processes stay for the files part.
 * Returns smem -m's time.
 */
enum { S_TRUE, S_VERSION, S_MAPPED, S_READER, S_SMEM, NS };

static double bench_shared(int n, int runs)
{
	static struct method m[NS] = {
		[S_TRUE] = { "true (a dynamic program's start)", NULL, "true" },
		[S_VERSION] = { "memlens --version (its start)", NULL, "memlens --version" },
		/* a 3-run median of a few ms is noise */
		[S_MAPPED] = { "memlens: one read of mapped", read_mapped, .reps = 5 },
		[S_READER] = { "memlens shared -r (command)", NULL, "memlens shared -r" },
		[S_SMEM] = { "smem -m", NULL, "smem -m" },
	};
	struct files_scan fs;
	double start = now_ms();
	int i;

	spawn(n, "/usr/bin/sleep", "infinity");
	if (!wait_exec("sleep")) {
		fprintf(stderr, "# shared: /usr/bin/sleep did not start\n");
		exit(1);
	}
	fprintf(stderr, "# shared: %d processes running sleep in %.1f s\n", n,
		(now_ms() - start) / 1000);
	if (!have_program("smem"))
		m[S_SMEM].missing = "(not installed)";
	scan_files(0, NULL, "/libc.so.6", &fs);
	read_mapped();		/* warm the caches */
	run(m[S_READER].cmd);
	/* as from a user's shell, which has a UTF-8 locale (C.UTF-8 in the VM) */
	setenv("LANG", "C.UTF-8", 1);
	measure_methods(m, NS, runs);
	unsetenv("LANG");

	printf("\nmemlens bench: shared: %d extra processes running sleep (libc.so.6 mapped by %ld processes), %d processes in all, %ld rows in the files file; medians of %d runs\n\n",
	       n, fs.lib_procs, count_processes(), fs.rows, runs);
	printf("%-34s %12s %21s\n", "method", "ms", "range");
	for (i = 0; i < NS; i++) {
		if (m[i].missing)
			printf("%-34s %12s\n", m[i].name, m[i].missing);
		else
			printf("%-34s %12.1f %10.1f-%.1f\n", m[i].name, m[i].ms,
			       m[i].min, m[i].max);
	}
	printf("the command's parts: start %.1f ms (a dynamic program's: %.1f), the mapped read %.1f, the rest %.1f\n",
	       m[S_VERSION].ms, m[S_TRUE].ms, m[S_MAPPED].ms,
	       m[S_READER].ms - m[S_VERSION].ms - m[S_MAPPED].ms);
	if (m[S_SMEM].missing) {
		fflush(stdout);
		return 0;
	}
	rounds(&m[S_SMEM], &m[S_READER], runs, "100x");
	fflush(stdout);
	return m[S_SMEM].ms;
}

/*
 * files: @n files of one page (4 KiB) each on the scratch disk's ext2, in
 * directories of 1,000, written and synced, so every page is cached and
 * clean.  The peers are handed the list of paths (finding the files is
 * not timed for them); memlens lists every cached inode of the system.
 */
#define BENCH_DIR	"memlens-bench"
#define PATH_LIST	"/tmp/memlens-bench.list"

#ifndef __NR_cachestat
#define __NR_cachestat	451	/* v6.5 */
#endif

struct bench_cachestat_range {
	uint64_t off, len;
};

struct bench_cachestat {
	uint64_t nr_cache, nr_dirty, nr_writeback, nr_evicted, nr_recently_evicted;
};

static char **paths;
static int npaths;
static bool have_cachestat = true;
static long loop_pages;

/* Pages of the open file @fd in the page cache: cachestat(), else mincore(). */
static long cached_pages(int fd)
{
	struct bench_cachestat_range range = { 0, 0 };	/* len 0: to the end */
	struct bench_cachestat cs;
	long page = sysconf(_SC_PAGESIZE), pages = 0, i, n;
	unsigned char *vec;
	struct stat st;
	void *p;

	if (have_cachestat) {
		if (!syscall(__NR_cachestat, fd, &range, &cs, 0))
			return cs.nr_cache;
		if (errno != ENOSYS)
			return 0;
		have_cachestat = false;
	}
	if (fstat(fd, &st) || !st.st_size)
		return 0;
	n = (st.st_size + page - 1) / page;
	p = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	vec = malloc(n);
	if (p != MAP_FAILED && vec && !mincore(p, st.st_size, vec))
		for (i = 0; i < n; i++)
			pages += vec[i] & 1;
	free(vec);
	if (p != MAP_FAILED)
		munmap(p, st.st_size);
	return pages;
}

static void cachestat_loop(void)
{
	long pages = 0;
	int i, fd;

	for (i = 0; i < npaths; i++) {
		fd = open(paths[i], O_RDONLY);
		if (fd < 0)
			continue;
		pages += cached_pages(fd);
		close(fd);
	}
	loop_pages = pages;
}

/* The files, and the list of their paths, NUL-separated, for the commands. */
static int make_files(const char *mnt, int n)
{
	static char page[4096];
	char path[256];
	FILE *list;
	int i, fd;

	memset(page, 'm', sizeof(page));
	paths = calloc(n, sizeof(*paths));
	list = fopen(PATH_LIST, "w");
	if (!paths || !list)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", mnt, BENCH_DIR);
	if (mkdir(path, 0755))
		return -1;
	for (i = 0; i < n; i++) {
		if (i % 1000 == 0) {
			snprintf(path, sizeof(path), "%s/%s/%03d", mnt, BENCH_DIR, i / 1000);
			if (mkdir(path, 0755))
				return -1;
		}
		snprintf(path, sizeof(path), "%s/%s/%03d/%d", mnt, BENCH_DIR, i / 1000, i);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0 || write(fd, page, sizeof(page)) != sizeof(page))
			return -1;
		close(fd);
		paths[i] = strdup(path);
		fwrite(path, strlen(path) + 1, 1, list);
		npaths++;
	}
	sync();
	return fclose(list);
}

/* The C loop right after the read: a round's two fastest, timed side by side */
enum { F_FILES, F_LOOP, F_READER, F_SHARED, F_FINCORE, F_VMTOUCH, NF };

/* The peers: what the read is compared with. */
static bool files_peer(int i)
{
	return i == F_LOOP || i >= F_FINCORE;
}

static void bench_files(int n, int runs, double smem_ms)
{
	static struct method m[NF] = {
		/* the fast ones a few times a round: a 3-run median of 0.1 s is noise */
		[F_FILES] = { "memlens files, one read", read_files, .reps = 5 },
		[F_READER] = { "memlens files -r (command)", NULL, "memlens files -r" },
		[F_SHARED] = { "memlens shared -r (command)", NULL, "memlens shared -r" },
		/* few, long command lines: fincore started 4 times, not 30 */
		[F_FINCORE] = { "fincore -r (xargs)", NULL,
				"xargs -0 -s 1048576 -a " PATH_LIST " fincore -r" },
		[F_VMTOUCH] = { "vmtouch -b LIST -0", NULL, "vmtouch -0 -b " PATH_LIST },
		[F_LOOP] = { "C loop: open+cachestat+close", cachestat_loop, .reps = 5 },
	};
	struct files_scan before, after;
	double start, ms0;
	const char *mnt;
	struct stat st;
	char line[128];
	int i, peer;
	FILE *f;

	f = popen("/usr/lib/memlens/selftests/scratch.sh", "r");
	if (!f || !fgets(line, sizeof(line), f)) {
		fprintf(stderr, "# files: no scratch disk (scripts/bench.sh gives one)\n");
		exit(1);
	}
	pclose(f);
	line[strcspn(line, "\n")] = '\0';
	mnt = line;
	if (stat(mnt, &st)) {
		perror(mnt);
		exit(1);
	}

	/* the files file before: its per-row cost is the slope from here */
	read_files();
	scan_files(st.st_dev, BENCH_DIR, NULL, &before);
	m[F_FILES].ms = 0;
	measure_methods(m, 1, runs);
	ms0 = m[F_FILES].ms;

	start = now_ms();
	if (make_files(mnt, n)) {
		perror("files: making the files");
		exit(1);
	}
	fprintf(stderr, "# files: %d files made and synced in %.1f s\n", npaths,
		(now_ms() - start) / 1000);
	/* TODO: drop these two once the reader has both commands */
	if (!reader_has("files"))
		m[F_READER].missing = "(not in this reader yet)";
	if (!reader_has("shared"))
		m[F_SHARED].missing = "(not in this reader yet)";
	if (!have_program("fincore"))
		m[F_FINCORE].missing = "(not installed)";
	if (!have_program("vmtouch"))
		m[F_VMTOUCH].missing = "(not installed)";
	scan_files(st.st_dev, BENCH_DIR, NULL, &after);
	cachestat_loop();	/* warm the caches; says which syscall works */
	if (!have_cachestat)
		m[F_LOOP].name = "C loop: open+mmap+mincore+close";
	measure_methods(m, NF, runs);

	printf("\nmemlens bench: files: %d files of 4 KiB on ext2 (scratch disk), cached: %ld by memlens's rows, %ld pages by %s; medians of %d runs (the read and the C loop: of %d runs, %d timings each)\n\n",
	       npaths, after.cached, loop_pages, have_cachestat ? "cachestat" : "mincore", runs,
	       runs, m[F_FILES].reps);
	printf("%-34s %12s %10s %21s\n", "method", "ms", "us/file", "range");
	for (i = 0, peer = F_LOOP; i < NF; i++) {
		if (m[i].missing) {
			printf("%-34s %12s\n", m[i].name, m[i].missing);
			continue;
		}
		printf("%-34s %12.1f %10.2f %10.1f-%.1f\n", m[i].name, m[i].ms,
		       m[i].ms * 1000 / npaths, m[i].min, m[i].max);
		if (files_peer(i) && m[i].ms < m[peer].ms)
			peer = i;
	}
	printf("(memlens's read lists every cached inode: %ld rows; before the files %ld rows in %.1f ms; %.2f us per row, %.2f us per added row)\n",
	       after.rows, before.rows, ms0, m[F_FILES].ms * 1000 / after.rows,
	       (m[F_FILES].ms - ms0) * 1000 / (after.rows - before.rows));
	printf("ratios (peer's time / memlens's one read; target: 10x against the fastest):\n");
	for (i = 0; i < NF; i++)
		if (files_peer(i) && !m[i].missing)
			printf("  %-32s %8.1fx%s\n", m[i].name, m[i].ms / m[F_FILES].ms,
			       i == peer ? "  (fastest peer)" : "");
	rounds(&m[F_LOOP], &m[F_FILES], runs, "10x");
	if (!m[F_READER].missing)
		printf("fastest peer against memlens files -r: %.1fx\n",
		       m[peer].ms / m[F_READER].ms);
	if (smem_ms > 0) {	/* the shared part ran */
		i = m[F_SHARED].missing ? F_FILES : F_SHARED;
		printf("shared again, with these files cached too: %s %.1f ms: smem -m (above) %.1fx\n",
		       m[i].name, m[i].ms, smem_ms / m[i].ms);
	}
	fflush(stdout);
}

static void read_pages(void)
{
	slurp(PAGES);
}

static long kpageflags_pfns;

/* Every PFN's flags, 8 bytes each, in 64 KiB reads, as page-types reads them. */
static void read_kpageflags(void)
{
	int fd = open("/proc/kpageflags", O_RDONLY);
	ssize_t r;
	long n = 0;

	if (fd < 0)
		return;
	while ((r = read(fd, buf, 65536)) > 0)
		n += r / 8;
	close(fd);
	kpageflags_pfns = n;
}

/* Present pages, as the zones count them. */
static long present_pages(void)
{
	FILE *f = fopen("/proc/zoneinfo", "r");
	char line[256];
	long v, sum = 0;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, " present %ld", &v) == 1)
			sum += v;
	if (f)
		fclose(f);
	return sum;
}

enum { P_FILE, P_KPAGEFLAGS, P_READER, NP };

/* One measurement of the pages part's methods, @what the state of RAM. */
static void bench_pages_round(struct method *m, int runs, long present, const char *what)
{
	int i;

	measure_methods(m, NP, runs);
	printf("\nmemlens bench: pages, %s: %ld present pages (%ld MiB), %ld PFNs in /proc/kpageflags; medians of %d runs\n\n",
	       what, present, present >> 8, kpageflags_pfns, runs);
	printf("%-34s %12s %10s %21s\n", "method", "ms", "ns/page", "range");
	for (i = 0; i < NP; i++) {
		if (m[i].missing) {
			printf("%-34s %12s\n", m[i].name, m[i].missing);
			continue;
		}
		printf("%-34s %12.1f %10.1f %10.1f-%.1f\n", m[i].name, m[i].ms,
		       m[i].ms * 1e6 / present, m[i].min, m[i].max);
	}
	printf("ratio (kpageflags loop / memlens's one read; target: 5x): %.1fx\n",
	       m[P_KPAGEFLAGS].ms / m[P_FILE].ms);
	fflush(stdout);
}

/*
 * pages: the census of every page of RAM in one read, against what a
 * tool reads from userspace to classify pages (page-types: 8 bytes of
 * /proc/kpageflags per PFN, which names fewer classes).
 */
static void bench_pages(int runs)
{
	struct method m[NP] = {
		[P_FILE] = { "memlens: one read of pages", read_pages, NULL, NULL, 3 },
		[P_KPAGEFLAGS] = { "C loop: read /proc/kpageflags", read_kpageflags, NULL, NULL, 3 },
		[P_READER] = { "memlens pages", NULL, "memlens pages", NULL, 0 },
	};
	long present = present_pages();
	size_t len = (size_t)present << 11;	/* half of RAM */
	char *anon;
	int round;

	if (!reader_has("pages"))
		m[P_READER].missing = "(not in this reader yet)";
	else if (system("echo; echo 'the census of the bench VM:'; memlens pages"))
		m[P_READER].missing = "(failed)";
	read_kpageflags();
	for (round = 0; round < 2; round++) {
		if (round) {
			/* the worst case: in use, one page at a time, each read */
			anon = mmap(NULL, len, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (anon == MAP_FAILED)
				break;
			madvise(anon, len, 15 /* MADV_NOHUGEPAGE */);
			memset(anon, 1, len);
		}
		bench_pages_round(m, runs, present, round ?
				  "half of RAM in anonymous 4 KiB pages" : "RAM mostly free");
	}
	if (round == 2)
		munmap(anon, len);
}

#define CGROUPS		MEMLENS_DEFAULT_PATH "/" MEMLENS_FILE_CGROUPS
#define CGROOT		"/sys/fs/cgroup"
#define CGBENCH		CGROOT "/bench"

static int ncgroups;

static void read_cgroups(void)
{
	slurp(CGROUPS);
}

/*
 * What cAdvisor and systemd-cgtop read of every cgroup: memory.current,
 * memory.max, memory.high, memory.swap.current, memory.events and
 * memory.stat, each opened, read and closed.
 */
static void read_cgroup_files(void)
{
	static const char *const files[] = {
		"memory.current", "memory.max", "memory.high", "memory.swap.current",
		"memory.events", "memory.stat",
	};
	char path[128];
	int i, j;

	for (i = 0; i < ncgroups; i++)
		for (j = 0; j < (int)(sizeof(files) / sizeof(files[0])); j++) {
			snprintf(path, sizeof(path), CGBENCH "/%d/%s", i, files[j]);
			slurp(path);
		}
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

enum { C_FILE, C_LOOP, C_READER, NC };

/*
 * cgroups: every memory cgroup's numbers in one read, against reading the
 * files of each cgroup, at @n cgroups each charged with a MiB of tmpfs.
 */
static void bench_cgroups(int n, int runs)
{
	struct method m[NC] = {
		[C_FILE] = { "memlens: one read of cgroups", read_cgroups, NULL, NULL, 3 },
		[C_LOOP] = { "C loop: 6 files of every cgroup", read_cgroup_files, NULL, NULL, 3 },
		[C_READER] = { "memlens cgroups -r", NULL, "memlens cgroups -r", NULL, 0 },
	};
	char path[128], data[4096];
	struct stat st;
	int i, j, fd;

	memset(data, 'c', sizeof(data));
	mkdir(CGROOT, 0755);
	if (stat(CGROOT "/cgroup.controllers", &st))
		mount("none", CGROOT, "cgroup2", 0, NULL);
	write_str(CGROOT "/cgroup.subtree_control", "+memory");
	mkdir(CGBENCH, 0755);
	write_str(CGBENCH "/cgroup.subtree_control", "+memory");
	mkdir("/tmp/cgbench", 0755);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), CGBENCH "/%d", i);
		if (mkdir(path, 0755) && errno != EEXIST)
			break;
		/* a child in the cgroup writes a MiB of tmpfs, charged to it */
		if (!fork()) {
			snprintf(path, sizeof(path), CGBENCH "/%d/cgroup.procs", i);
			if (write_str(path, "0"))
				_exit(1);
			snprintf(path, sizeof(path), "/tmp/cgbench/%d", i);
			fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
			for (j = 0; fd >= 0 && j < 256; j++)
				if (write(fd, data, sizeof(data)) != sizeof(data))
					break;
			_exit(0);
		}
		wait(NULL);
	}
	ncgroups = i;
	if (!reader_has("cgroups"))
		m[C_READER].missing = "(not in this reader yet)";
	if (access(CGROUPS, R_OK))
		m[C_FILE].missing = m[C_READER].missing = "(no cgroups view)";
	measure_methods(m, NC, runs);
	printf("\nmemlens bench: cgroups, %d memory cgroups with a MiB of tmpfs each; medians of %d runs\n\n",
	       ncgroups, runs);
	printf("%-34s %12s %10s %21s\n", "method", "ms", "us/cgroup", "range");
	for (i = 0; i < NC; i++) {
		if (m[i].missing) {
			printf("%-34s %12s\n", m[i].name, m[i].missing);
			continue;
		}
		printf("%-34s %12.1f %10.1f %10.1f-%.1f\n", m[i].name, m[i].ms,
		       m[i].ms * 1e3 / (ncgroups ? ncgroups : 1), m[i].min, m[i].max);
	}
	if (!m[C_FILE].missing)
		printf("ratio (the files of each cgroup / memlens's one read): %.1fx\n",
		       m[C_LOOP].ms / m[C_FILE].ms);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	int small = 1000, large = 10000, runs = 5, latency = 10, nshared = 1000;
	int nfiles = 100000, slow_runs = 3, ncg = 1000;
	bool smem = true, all = true, p_procs = false, p_shared = false, p_files = false;
	bool p_pss = false, p_pages = false, p_cgroups = false;
	static const struct option opts[] = {
		{ "no-smem", no_argument, NULL, 'n' },
		{ "small", required_argument, NULL, 's' },
		{ "large", required_argument, NULL, 'l' },
		{ "runs", required_argument, NULL, 'r' },
		{ "latency", required_argument, NULL, 't' },
		{ "only", required_argument, NULL, 'o' },
		{ "shared", required_argument, NULL, 'S' },
		{ "files", required_argument, NULL, 'F' },
		{ "slow-runs", required_argument, NULL, 'R' },
		{ "cgroups", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 }
	};
	double smem_m = 0;
	int c;

	/*
	 * Everything on the first CPU, as on a one-CPU VM; the second is
	 * for the pss part's target alone.
	 */
	pin(0);

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': small = atoi(optarg); break;
		case 'l': large = atoi(optarg); break;
		case 'r': runs = atoi(optarg); break;
		case 't': latency = atoi(optarg); break;
		case 'n': smem = false; break;
		case 'S': nshared = atoi(optarg); break;
		case 'F': nfiles = atoi(optarg); break;
		case 'R': slow_runs = atoi(optarg); break;
		case 'C': ncg = atoi(optarg); break;
		case 'o':
			all = false;
			p_procs |= strstr(optarg, "processes") != NULL;
			p_shared |= strstr(optarg, "shared") != NULL;
			p_files |= strstr(optarg, "files") != NULL;
			p_pss |= strstr(optarg, "pss") != NULL;
			p_pages |= strstr(optarg, "pages") != NULL;
			p_cgroups |= strstr(optarg, "cgroups") != NULL;
			break;
		default: return 2;
		}
	}
	if (all || p_procs)
		bench_processes(small, large, runs, latency, smem);
	if (all || p_pss)
		bench_pss(small, large, runs, latency > 0 ? latency : 5, smem);
	if ((all || p_shared) && nshared > 0)
		smem_m = bench_shared(nshared, slow_runs);
	if ((all || p_files) && nfiles > 0)
		bench_files(nfiles, slow_runs, smem_m);
	if (all || p_pages)
		bench_pages(runs);
	if ((all || p_cgroups) && ncg > 0)
		bench_cgroups(ncg, runs);
	kill_children();
	return 0;
}
