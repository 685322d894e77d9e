// SPDX-License-Identifier: GPL-2.0
/*
 * namedprocs N: N processes, each with a name of its own (p1, p2, ...),
 * for the Prometheus series cap.  Prints "ready" once all are named, then
 * sleeps until killed; the children die with it.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc == 2 ? atoi(argv[1]) : 0, i, p[2];
	char name[16], c;

	if (n <= 0 || pipe(p))
		return 2;
	for (i = 1; i <= n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (!pid) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			snprintf(name, sizeof(name), "p%d", i);
			prctl(PR_SET_NAME, name);
			close(p[0]);
			/* named: tell the parent, which counts the bytes */
			if (write(p[1], "x", 1) != 1)
				_exit(1);
			close(p[1]);
			for (;;)
				pause();
		}
	}
	close(p[1]);
	for (i = 0; i < n; i++)
		if (read(p[0], &c, 1) != 1)
			return 1;
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
