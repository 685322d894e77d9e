// SPDX-License-Identifier: GPL-2.0
/*
 * memlens-procs N: N more processes for prom-check's cardinality check,
 * forked by one small static program, faster than a shell's forks under
 * qemu's emulation.  Prints "ready" when all are there; SIGTERM ends it and
 * all of them (they are its process group).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void end_all(int sig)
{
	(void)sig;
	kill(0, SIGKILL);
}

int main(int argc, char **argv)
{
	long i, n = argc > 1 ? strtol(argv[1], NULL, 10) : 0;

	if (n <= 0 || setpgid(0, 0)) {
		fputs("usage: memlens-procs N\n", stderr);
		return 1;
	}
	signal(SIGTERM, end_all);
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			kill(0, SIGKILL);
		}
		if (pid == 0)
			for (;;)
				pause();
	}
	puts("ready");
	fflush(stdout);
	for (;;)
		pause();
}
