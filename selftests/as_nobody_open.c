// SPDX-License-Identifier: GPL-2.0
/*
 * as_nobody_open FILE...: become uid/gid 65534 with no groups and try to
 * open each FILE; succeed only if every open fails with EACCES.
 */

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int i, fd, bad = 0;

	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534)) {
		perror("as_nobody_open: dropping privileges");
		return 2;
	}
	for (i = 1; i < argc; i++) {
		fd = open(argv[i], O_RDONLY);
		if (fd >= 0) {
			printf("%s: opened by uid 65534\n", argv[i]);
			close(fd);
			bad = 1;
		} else if (errno != EACCES) {
			printf("%s: %s, expected EACCES\n", argv[i], strerror(errno));
			bad = 1;
		}
	}
	return bad;
}
