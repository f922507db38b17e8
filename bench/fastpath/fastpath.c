// SPDX-License-Identifier: GPL-2.0
/*
 * The recording fast path, vmtrace_rec_append() from kmod/record.h,
 * compiled for user space with the same compiler options class as the
 * kernel (-O2), appending RDTSC records the way rec_hooks.c does. Run
 * under callgrind by run.sh, which reports instructions per event.
 *
 * usage: fastpath N	append N records (buffers recycled when full)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../kmod/record.h"

static struct vmtrace_buf buf;
static struct vmtrace_vcpu_rec vr = { .cur = &buf };

/* What vmtrace_rec_tsc() does with the record once it has one. */
__attribute__((noinline)) void bench_record_rdtsc(struct vmtrace_vcpu_rec *v,
						  u64 tsc, u64 rip)
{
	struct vmtrace_rec_tsc *r = vmtrace_rec_append(v, VMTRACE_REC_RDTSC,
						       sizeof(*r), 0);

	if (r) {
		r->tsc = tsc;
		r->rip = rip;
		r->aux = 0;
		r->pad = 0;
	}
}

int main(int argc, char **argv)
{
	unsigned long i, n = argc > 1 ? strtoul(argv[1], NULL, 0) : 1000000;

	for (i = 0; i < n; i++) {
		if (buf.used > VMTRACE_BUF_SIZE - VMTRACE_BUF_MARGIN) {
			buf.used = 0;
			buf.nr_records = 0;
		}
		vr.ordinal = i;
		bench_record_rdtsc(&vr, i * 3, 0x1000 + (i & 0xff));
	}
	if (vr.overflow || vr.records[VMTRACE_REC_RDTSC] != n) {
		fprintf(stderr, "fastpath: lost records\n");
		return 1;
	}
	return 0;
}
