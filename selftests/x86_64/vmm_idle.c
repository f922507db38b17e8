// SPDX-License-Identifier: GPL-2.0
/*
 * vmm_idle: a VMM that runs a ticking guest until it is killed, for the
 * command-line tests. Prints "ready" once the guest runs.
 */
#define _GNU_SOURCE
#include <stdio.h>

#include "vmm.h"

int main(void)
{
	struct vmm vmm;

	if (vmm_create(&vmm, VMM_REAL, GUEST_PROG(real_spin)) ||
	    vmm_run_once(&vmm, 0)) {
		perror("vmm_idle");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		vmm_run_once(&vmm, 0);
}
