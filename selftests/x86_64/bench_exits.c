// SPDX-License-Identifier: GPL-2.0
/*
 * bench_exits: a VMM whose guest runs an exit-heavy loop (50000 x RDTSC
 * and OUT) once; prints the guest's run time in ms. Used by
 * bench/record-overhead.sh, recorded and not, side by side.
 */
#include <stdio.h>
#include <time.h>

#include "vmm.h"

int main(void)
{
	struct timespec t0, t1;
	struct vmm vmm;

	if (vmm_create(&vmm, VMM_REAL, GUEST_PROG(real_rdtsc_loop))) {
		perror("bench_exits: vmm_create");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (vmm_run_to_done(&vmm, 1000000)) {
		fprintf(stderr, "bench_exits: the guest did not finish\n");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.1f\n", (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	vmm_destroy(&vmm);
	return 0;
}
