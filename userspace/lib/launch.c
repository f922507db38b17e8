// SPDX-License-Identifier: GPL-2.0
/*
 * Launching a VMM stopped at its first KVM_RUN, so that a recording
 * starts with the guest's very first instruction.
 *
 * The VMM runs under ptrace (PTRACE_SEIZE, syscall stops, following its
 * threads) until one of its threads enters ioctl(KVM_RUN). That thread
 * stays stopped at the syscall's entry while the caller attaches to the VM;
 * vmtrace_launch_release() then detaches from every thread and the VMM
 * runs on, untraced.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "launch.h"

/*
 * No PTRACE_O_EXITKILL: should vmtrace-ctl die, the kernel detaches the
 * VMM's threads and it runs on.
 */
#define LAUNCH_OPTS	(PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE | \
			 PTRACE_O_TRACEEXEC)

static int launch_add_tid(struct vmtrace_launch *l, pid_t tid)
{
	int i;

	for (i = 0; i < l->nr_tids; i++)
		if (l->tids[i] == tid)
			return 0;
	if (l->nr_tids == VMTRACE_LAUNCH_MAX_TIDS)
		return -1;
	l->tids[l->nr_tids++] = tid;
	return 0;
}

static void launch_del_tid(struct vmtrace_launch *l, pid_t tid)
{
	int i;

	for (i = 0; i < l->nr_tids; i++)
		if (l->tids[i] == tid)
			l->tids[i] = l->tids[--l->nr_tids];
}

static int launch_index(struct vmtrace_launch *l, pid_t tid)
{
	int i;

	for (i = 0; i < l->nr_tids; i++)
		if (l->tids[i] == tid)
			return i;
	return -1;
}

/* A clone event: the new thread joins the list before it ever stops. */
static void launch_note_clone(struct vmtrace_launch *l, pid_t tid, int st)
{
	unsigned long child;

	if ((st >> 8) == (SIGTRAP | (PTRACE_EVENT_CLONE << 8)) &&
	    !ptrace(PTRACE_GETEVENTMSG, tid, 0, &child))
		launch_add_tid(l, (pid_t)child);
}

/* Is @tid stopped at the entry of ioctl(fd, KVM_RUN)? */
static bool launch_at_kvm_run(pid_t tid)
{
	struct user_regs_struct regs;

	if (ptrace(PTRACE_GETREGS, tid, 0, &regs))
		return false;
	return regs.orig_rax == SYS_ioctl && regs.rsi == KVM_RUN &&
	       (long)regs.rax == -ENOSYS;
}

/* The signal a stop reported by waitpid() status @st should deliver. */
static int launch_signal(int st)
{
	int sig = WSTOPSIG(st);

	if (sig == (SIGTRAP | 0x80) || (st >> 16))	/* syscall or event stop */
		return 0;
	return sig;
}

static pid_t launch_fork(char *const argv[])
{
	pid_t pid = fork();

	if (pid == 0) {
		/*
		 * The module finds the VMM's writes into guest RAM by page;
		 * a huge page would be recorded whole for one byte written.
		 * The setting is inherited across execve.
		 */
		if (prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0))
			fprintf(stderr, "vmtrace: cannot disable huge pages: %s\n",
				strerror(errno));
		raise(SIGSTOP);		/* wait for the tracer */
		execvp(argv[0], argv);
		fprintf(stderr, "vmtrace: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	return pid;
}

/* Follow the VMM until a thread enters KVM_RUN; -1 if the VMM ended. */
static int launch_trace(struct vmtrace_launch *l)
{
	int st;
	pid_t tid;

	for (;;) {
		tid = waitpid(-1, &st, __WALL);
		if (tid < 0)
			return -1;
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			launch_del_tid(l, tid);
			if (tid == l->pid) {
				l->status = st;
				return -1;
			}
			continue;
		}
		if (launch_add_tid(l, tid))
			return -1;
		launch_note_clone(l, tid, st);
		if (WSTOPSIG(st) == (SIGTRAP | 0x80) && launch_at_kvm_run(tid)) {
			l->run_tid = tid;
			return 0;
		}
		ptrace(PTRACE_SYSCALL, tid, 0, launch_signal(st));
	}
}

/**
 * vmtrace_launch() - run a VMM, stopped where its first vCPU would run
 * @l: out: the VMM's pid and threads.
 * @argv: the VMM's command line.
 *
 * Return: VMTRACE_OK with the VMM stopped at its first KVM_RUN; otherwise
 * an error, and the VMM has exited (its wait status is in @l->status).
 */
enum vmtrace_err vmtrace_launch(struct vmtrace_launch *l, char *const argv[])
{
	int st;

	memset(l, 0, sizeof(*l));
	l->pid = launch_fork(argv);
	if (l->pid < 0)
		return vmtrace_err_from_errno(errno);
	if (waitpid(l->pid, &st, WUNTRACED) != l->pid || !WIFSTOPPED(st))
		goto err_kill;
	if (ptrace(PTRACE_SEIZE, l->pid, 0, LAUNCH_OPTS) ||
	    ptrace(PTRACE_INTERRUPT, l->pid, 0, 0))
		goto err_kill;
	kill(l->pid, SIGCONT);
	if (launch_trace(l))
		return VMTRACE_E_NOTVMM;
	return VMTRACE_OK;

err_kill:
	kill(l->pid, SIGKILL);
	waitpid(l->pid, &l->status, 0);
	return VMTRACE_E_OTHER;
}

/* Wait until every thread in the list is stopped; note their signals. */
static void launch_stop_all(struct vmtrace_launch *l, bool *stopped, int *sig)
{
	int i, st, left = 0;
	pid_t tid;

	for (i = 0; i < l->nr_tids; i++)
		if (!stopped[i] && !ptrace(PTRACE_INTERRUPT, l->tids[i], 0, 0))
			left++;
	while (left > 0 && (tid = waitpid(-1, &st, __WALL)) > 0) {
		i = launch_index(l, tid);
		if (i < 0 && WIFSTOPPED(st)) {	/* born meanwhile: stopped */
			launch_add_tid(l, tid);
			i = launch_index(l, tid);
			left++;
		}
		if (i < 0 || stopped[i])
			continue;
		launch_note_clone(l, tid, st);
		stopped[i] = true;
		sig[i] = WIFSTOPPED(st) ? launch_signal(st) : -1;
		left--;
	}
}

/**
 * vmtrace_launch_release() - let the VMM run on, untraced
 * @l: a VMM vmtrace_launch() stopped.
 *
 * Stops every thread (so that none is born untracked meanwhile), then
 * detaches from all of them, each with the signal it was stopped for.
 */
void vmtrace_launch_release(struct vmtrace_launch *l)
{
	bool stopped[VMTRACE_LAUNCH_MAX_TIDS] = { false };
	int sig[VMTRACE_LAUNCH_MAX_TIDS] = { 0 };
	int i = launch_index(l, l->run_tid);

	if (i >= 0)
		stopped[i] = true;
	launch_stop_all(l, stopped, sig);
	for (i = 0; i < l->nr_tids; i++)
		if (sig[i] >= 0)
			ptrace(PTRACE_DETACH, l->tids[i], 0, sig[i]);
	l->nr_tids = 0;
}
