// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side unit tests of libvmtrace and vmtrace-ctl's command line:
 * everything that does not need the module. TAP output.
 *
 * usage: unit PATH-TO-vmtrace-ctl
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmtrace.h"

#include "unit.h"

static int tests, failures;
static char tmp[] = "/tmp/vmtrace-unit-XXXXXX";
static const char *ctl;

void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	failures += !cond;
}

static void mkpath(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void mkpath(const char *fmt, ...)
{
	char path[512], cmd[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", path);
	if (system(cmd))
		abort();
}

static void fake_fd(int pid, int fd, const char *target)
{
	char path[512];

	mkpath("%s/proc/%d/fd", tmp, pid);
	snprintf(path, sizeof(path), "%s/proc/%d/fd/%d", tmp, pid, fd);
	if (symlink(target, path))
		abort();
}

static void test_find_vm_fd(void)
{
	enum vmtrace_err err;
	char proc[512];
	int fd = -1;

	snprintf(proc, sizeof(proc), "%s/proc", tmp);
	fake_fd(100, 0, "/dev/null");
	fake_fd(100, 9, "anon_inode:kvm-vcpu:0");
	fake_fd(100, 7, "anon_inode:kvm-vm");
	err = vmtrace_find_vm_fd(proc, 100, &fd);
	ok(err == VMTRACE_OK && fd == 7, "finds the kvm-vm fd among others (got %d)", fd);
	fake_fd(101, 3, "anon_inode:kvm-vm");
	fake_fd(101, 12, "anon_inode:kvm-vm");
	err = vmtrace_find_vm_fd(proc, 101, &fd);
	ok(err == VMTRACE_OK && fd == 3, "with several VMs, takes the lowest fd (got %d)", fd);
	fake_fd(102, 1, "/dev/kvm");
	fake_fd(102, 4, "anon_inode:kvm-vcpu:0");
	ok(vmtrace_find_vm_fd(proc, 102, &fd) == VMTRACE_E_NOTVMM,
	   "a process with /dev/kvm and a vCPU fd but no VM is not a VMM");
	ok(vmtrace_find_vm_fd(proc, 4242, &fd) == VMTRACE_E_NOPID,
	   "a pid that does not exist is reported as such");
	ok(vmtrace_find_vm_fd(proc, -1, &fd) == VMTRACE_E_NOPID,
	   "a negative pid is rejected");
}

static const char sample[] =
	"session: 12\nvmm_pid: 345\nvendor: svm\nstate: attached\n"
	"this line has no key\n\nexits: 99\nvcpu0: entries=3 exits=4\n";

static void test_status_parse(void)
{
	struct vmtrace_status st;
	FILE *f = fmemopen((void *)sample, strlen(sample), "r");
	const char *v;

	ok(vmtrace_status_parse(f, &st) == 6, "status: parses key: value lines only");
	fclose(f);
	v = vmtrace_status_get(&st, "vmm_pid");
	ok(v && !strcmp(v, "345"), "status: vmm_pid is 345");
	v = vmtrace_status_get(&st, "vcpu0");
	ok(v && !strcmp(v, "entries=3 exits=4"), "status: value keeps inner spaces");
	ok(!vmtrace_status_get(&st, "nonexistent"), "status: unknown key is NULL");
}

static void test_status_json(void)
{
	struct vmtrace_status st = { .nr = 3 };
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	strcpy(st.key[0], "exits");
	strcpy(st.value[0], "17");
	strcpy(st.key[1], "state");
	strcpy(st.value[1], "attached");
	strcpy(st.key[2], "odd");
	strcpy(st.value[2], "a\"b\\c\n");
	vmtrace_status_print_json(f, &st);
	fclose(f);
	ok(!strcmp(buf, "{\"exits\": 17, \"state\": \"attached\", \"odd\": \"a\\\"b\\\\c\\u000a\"}"),
	   "json: numbers stay numbers, strings are escaped (%s)", buf);
	free(buf);
}

static void fake_session(const char *dir, const char *name, int vmm_pid)
{
	char path[512];
	FILE *f;

	mkpath("%s/%s", dir, name);
	snprintf(path, sizeof(path), "%s/%s/status", dir, name);
	f = fopen(path, "w");
	fprintf(f, "session: %s\nvmm_pid: %d\nstate: attached\n", name, vmm_pid);
	fclose(f);
}

static void test_status_list(const char *dbg)
{
	struct vmtrace_status *list = NULL;
	int n;

	mkpath("%s", dbg);
	fake_session(dbg, "10", 500);
	fake_session(dbg, "9", 400);
	n = vmtrace_status_list(dbg, &list);
	ok(n == 2 && !strcmp(vmtrace_status_get(&list[0], "session"), "9"),
	   "list: every session directory, in numeric order (n=%d)", n);
	free(list);
	ok(vmtrace_status_list("/nonexistent/vmtrace", &list) < 0,
	   "list: a missing debugfs directory is an error");
}

static void test_errno_map(void)
{
	ok(vmtrace_err_from_errno(EPERM) == VMTRACE_E_PERM &&
	   vmtrace_err_from_errno(EACCES) == VMTRACE_E_PERM, "errno: EPERM, EACCES -> 7");
	ok(vmtrace_err_from_errno(EBUSY) == VMTRACE_E_BUSY, "errno: EBUSY -> 6");
	ok(vmtrace_err_from_errno(ESRCH) == VMTRACE_E_NOPID, "errno: ESRCH -> 4");
	ok(vmtrace_err_from_errno(ENOENT) == VMTRACE_E_NOMODULE, "errno: ENOENT -> 3");
	ok(strcmp(vmtrace_strerror(VMTRACE_E_NOTVMM), vmtrace_strerror(VMTRACE_E_BUSY)),
	   "errors have distinct messages");
}

/* Run vmtrace-ctl with an environment prefix; return its exit status. */
static int run_ctl(const char *env, const char *args)
{
	char cmd[4096];
	int st;

	snprintf(cmd, sizeof(cmd), "env %s '%s' %s >/dev/null 2>&1", env, ctl, args);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_cli(const char *dbg)
{
	char env[2048], dev[512];

	snprintf(dev, sizeof(dev), "%s/dev-vmtrace", tmp);
	fclose(fopen(dev, "w"));
	snprintf(env, sizeof(env), "VMTRACE_DEV=%s VMTRACE_DEBUGFS=%s VMTRACE_RUNDIR=%s/run",
		 dev, dbg, tmp);
	ok(run_ctl("", "--version") == 0, "cli: --version exits 0");
	ok(run_ctl("", "--help") == 0 && run_ctl("", "help start") == 0,
	   "cli: --help and help COMMAND exit 0");
	ok(run_ctl("", "") == 2 && run_ctl("", "frobnicate") == 2,
	   "cli: no command or an unknown one is a usage error (2)");
	ok(run_ctl("", "start --vm abc") == 2 && run_ctl("", "start") == 2 &&
	   run_ctl("", "stop --vm 0") == 2, "cli: bad or missing --vm is a usage error (2)");
	ok(run_ctl("VMTRACE_DEV=/nonexistent", "status") == 3 &&
	   run_ctl("VMTRACE_DEV=/nonexistent", "start --vm 1") == 3 &&
	   run_ctl("VMTRACE_DEV=/nonexistent", "stop --vm 1") == 3,
	   "cli: module not loaded is exit 3 for start, stop, status");
	ok(run_ctl(env, "status --vm 500") == 0, "cli: status --vm of an attached VM is 0");
	ok(run_ctl(env, "status --vm 501") == 8, "cli: status --vm of another VM is 8");
	ok(run_ctl(env, "stop --vm 501") == 8, "cli: stop of a VM not attached is 8");
	ok(run_ctl(env, "status --json") == 0, "cli: status --json is 0");
}

int main(int argc, char **argv)
{
	char dbg[512], cmd[600];

	if (argc != 2 || !mkdtemp(tmp)) {
		fprintf(stderr, "usage: unit PATH-TO-vmtrace-ctl\n");
		return 2;
	}
	ctl = argv[1];
	snprintf(dbg, sizeof(dbg), "%s/debugfs", tmp);
	test_find_vm_fd();
	test_status_parse();
	test_status_json();
	test_status_list(dbg);
	test_errno_map();
	test_cli(dbg);
	test_trace(tmp, ctl);
	test_trace_records(tmp, ctl);
	test_replay(tmp, ctl);
	test_seek();
	printf("1..%d\n", tests);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", tmp);
	return failures ? 1 : 0;
}
