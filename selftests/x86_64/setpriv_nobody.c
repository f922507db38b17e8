// SPDX-License-Identifier: GPL-2.0
/*
 * setpriv_nobody CMD [ARG...]: run CMD as uid/gid 65534 with no
 * capabilities (busybox has no setpriv).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <grp.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: setpriv_nobody CMD [ARG...]\n");
		return 2;
	}
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534)) {
		perror("setpriv_nobody");
		return 125;
	}
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
