/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmtrace-ctl: the subcommand table's interface.
 */
#ifndef _VMTRACE_CTL_H
#define _VMTRACE_CTL_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#define VMTRACE_CTL_VERSION	"0.1.0"

struct vmtrace_cmd {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
	void (*usage)(FILE *out);
};

int cmd_start(int argc, char **argv);
int cmd_stop(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_replay(int argc, char **argv);
void cmd_start_usage(FILE *out);
void cmd_stop_usage(FILE *out);
void cmd_status_usage(FILE *out);
void cmd_record_usage(FILE *out);
void cmd_dump_usage(FILE *out);
void cmd_verify_usage(FILE *out);
void cmd_stats_usage(FILE *out);
void cmd_replay_usage(FILE *out);
int ctl_no_options(int argc, char **argv, void (*usage)(FILE *out));

/* What a new vmtraced is told (daemon.c). */
struct ctl_daemon_opts {
	const char *log;
	const char *output;	/* absolute path of the trace, or NULL */
	bool force;
	bool resume;	/* continue OUTPUT.incomplete */
};

int ctl_start_daemon(int session_fd, pid_t pid, const struct ctl_daemon_opts *o,
		     pid_t *daemon);
int ctl_output_path(const char *arg, bool force, char *buf, size_t len);

/* A trace walk that also knows FILE.incomplete (walk.c). */
struct vmtrace_walk;
struct vmtrace_walk_ops;
int ctl_walk(const char *path, const struct vmtrace_walk_ops *ops, void *ctx,
	     struct vmtrace_walk *w);
int ctl_walk_status(int ret, const struct vmtrace_walk *w);

/* Shared helpers (main.c). */
int ctl_fail(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int ctl_parse_pid(const char *arg, pid_t *pid);

#endif /* _VMTRACE_CTL_H */
