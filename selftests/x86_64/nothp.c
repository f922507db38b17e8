// SPDX-License-Identifier: GPL-2.0
/*
 * nothp CMD [ARG...]: run CMD with transparent huge pages disabled
 * (PR_SET_THP_DISABLE, inherited across execve), as `vmtrace-ctl record`
 * starts a VMM. The tests start every QEMU this way, so that a recording
 * attached to a running QEMU tracks its writes per 4 KiB page too
 * (busybox has no tool for it).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: nothp CMD [ARG...]\n");
		return 2;
	}
	if (prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0)) {
		perror("nothp");
		return 125;
	}
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
