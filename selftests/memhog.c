// SPDX-License-Identifier: GPL-2.0
/*
 * memhog: change one's own memory on cue, for the reader's --watch tests.
 *   memhog grow MIB WHEN       at WHEN, touch MIB new MiB
 *   memhog pageout MIB WHEN    touch MIB MiB now; at WHEN page them out
 *                              (MADV_PAGEOUT)
 * WHEN is a delay in seconds, or "usr1": when SIGUSR1 comes, so that a
 * test can make the change fall between two samples however slow the
 * kernel.  Prints its pid once the memory is set up (pageout: touched),
 * then sleeps until killed.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

int main(int argc, char **argv)
{
	sigset_t cue;
	size_t len;
	char *m;
	int sig;

	if (argc != 4)
		return 2;
	len = (size_t)atoi(argv[2]) << 20;
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return 1;
	madvise(m, len, MADV_NOHUGEPAGE);
	/* blocked before the pid is out: a cue sent at once is not lost */
	sigemptyset(&cue);
	sigaddset(&cue, SIGUSR1);
	sigprocmask(SIG_BLOCK, &cue, NULL);
	if (!strcmp(argv[1], "pageout"))
		memset(m, 1, len);
	/* the pid says the memory is as the test expects it before WHEN */
	printf("%d\n", getpid());
	fflush(stdout);
	if (!strcmp(argv[3], "usr1"))
		sigwait(&cue, &sig);
	else
		usleep(atof(argv[3]) * 1e6);
	if (!strcmp(argv[1], "grow")) {
		char *scratch = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		memset(m, 1, len);
		/*
		 * Before 6.2 a task caches its last rss changes (up to 64
		 * faults' worth): zapping a page of its own publishes them.
		 */
		if (scratch != MAP_FAILED) {
			scratch[0] = 1;
			madvise(scratch, 4096, MADV_DONTNEED);
		}
	} else {
		madvise(m, len, MADV_PAGEOUT);
	}
	for (;;)
		pause();
}
