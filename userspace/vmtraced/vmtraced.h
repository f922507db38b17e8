/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmtraced: the daemon's state, shared by main.c (session, pid file,
 * event loop) and record.c (the trace file).
 */
#ifndef _VMTRACED_H
#define _VMTRACED_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "../lib/trace.h"

struct vmtraced {
	pid_t vmm_pid;
	int session_fd;
	int ready_fd;
	int signal_fd;
	int lock_fd;
	const char *log;
	const char *output;	/* record into this trace file (absolute) */
	char output_abs[PATH_MAX];
	bool resume;		/* take over a recording whose daemon died */
	bool force;		/* overwrite an existing trace file */
	bool foreground;
	uint64_t session_id;
	uint32_t nr_vcpus;
	uint64_t start_ns;	/* CLOCK_MONOTONIC when the daemon attached or started */
	char pidfile[PATH_MAX];
	/* record.c */
	struct vmtrace_tw tw;
	int chan_fd;
	uint8_t *buf;
	size_t len;
	bool cpuid_written;
};

void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vmtraced_rec_open(struct vmtraced *d);
int vmtraced_rec_drain(struct vmtraced *d);
int vmtraced_rec_finish(struct vmtraced *d, bool stop);

#endif /* _VMTRACED_H */
