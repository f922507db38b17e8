// SPDX-License-Identifier: GPL-2.0
/*
 * record_pid PID: record the KVM VM of process PID until it exits, with
 * the raw ioctls and the chunk channel, no daemon. Prints the number of
 * records of each type, then the records of the types named in
 * RECORD_PID_SHOW (comma-separated type numbers), one per line. A test
 * helper: exits 1 with the reason if any chunk fails its checks.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chunks.h"
#include "vt.h"

static const char *const names[VMTRACE_REC_NR] = {
	"?", "rdtsc", "rdtscp", "rdrand", "rdseed", "rdpmc", "cpuid", "pio_in",
	"mmio_read", "msr_read", "irq", "nmi", "exception", "mem_write",
	"vcpu_in", "vcpu_out",
};

static int find_vm_fd(int pid)
{
	char path[320], link[64];
	struct dirent *d;
	int fd = -1;
	ssize_t n;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	dir = opendir(path);
	while (dir && (d = readdir(dir))) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%s", pid, d->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n > 0 && (link[n] = 0, !strcmp(link, "anon_inode:kvm-vm")))
			fd = atoi(d->d_name);
	}
	if (dir)
		closedir(dir);
	return fd;
}

int main(int argc, char **argv)
{
	struct vt_records recs;
	struct vmtrace_attach a;
	int pid, ctl, vm, s, k;

	if (argc != 2 || (pid = atoi(argv[1])) <= 0) {
		fprintf(stderr, "usage: record_pid PID\n");
		return 2;
	}
	ctl = vt_open();
	vm = find_vm_fd(pid);
	vm = vm < 0 ? -1 : vt_grab_fd(pid, vm);
	if (ctl < 0 || vm < 0) {
		fprintf(stderr, "record_pid: no /dev/vmtrace or no VM in %d\n", pid);
		return 1;
	}
	s = vt_attach_flags(ctl, vm, VMTRACE_ATTACH_RECORD, &a);
	close(vm);
	if (s < 0) {
		perror("record_pid: attach");
		return 1;
	}
	printf("attached session %llu\n", (unsigned long long)a.session_id);
	fflush(stdout);
	if (vt_drain(a.session_id, s, a.nr_vcpus, &recs, 600000)) {
		fprintf(stderr, "record_pid: %s\n", recs.error);
		return 1;
	}
	for (k = 1; k < VMTRACE_REC_NR; k++)
		printf("%s %llu\n", names[k], (unsigned long long)recs.count[k]);
	printf("chunks %llu\n", (unsigned long long)recs.chunks);
	return 0;
}
