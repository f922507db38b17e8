// SPDX-License-Identifier: GPL-2.0
/*
 * Finding the point of an event the recording delivered after an
 * asynchronous exit (VMTRACE_RECF_ASYNC): no exit marks it, only its RIP,
 * RCX and the digest of the 16 GPRs. A hardware breakpoint on RIP stops
 * the guest each time it gets there; where the registers differ (another
 * iteration of a loop), one single step takes it past, and a REP string
 * instruction, which traps after each iteration when single-stepped, is
 * stepped through while RIP stays on it. The module holds the event back
 * meanwhile (VMTRACE_FEED_SEEK) and reports a divergence if the guest
 * reaches the next synchronous exit first.
 *
 * QEMU's emulated SVM (the test VM) single-steps a nested guest, but it
 * loads the guest's DR7 at VMRUN without arming its breakpoints: one
 * there may stop the guest without a #DB (it stays at the address), or
 * not at all. So a breakpoint run is cut after SEEK_SLICE_MS, ending on
 * the breakpoint's address counts as a stop, and if a watchdog period
 * passes without one the search single-steps, at most REPLAY_SEEK_STEPS.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "replay.h"
#include "vmtrace.h"

#define DR7_FIXED_1	0x400
#define DR7_L0		0x1	/* breakpoint 0, on execution */
#define RFLAGS_TF	0x100
#define RFLAGS_RF	0x10000
#define SEEK_SLICE_MS	100
/* Slices without a stop before the breakpoint is given up: a watchdog period. */
#define SEEK_SLICES_MAX	(REPLAY_WATCHDOG_S * 1000 / SEEK_SLICE_MS)

/* The module's digest of the GPRs: KVM's register order, 8 bytes each. */
static uint64_t regs_digest(const struct kvm_regs *r)
{
	const uint64_t g[16] = { r->rax, r->rcx, r->rdx, r->rbx, r->rsp, r->rbp,
				 r->rsi, r->rdi, r->r8, r->r9, r->r10, r->r11,
				 r->r12, r->r13, r->r14, r->r15 };

	return vmtrace_fnv1a(VMTRACE_FNV1A_INIT, g, sizeof(g));
}

static int set_debug(struct replay_vm *vm, uint32_t control, uint64_t linear)
{
	struct kvm_guest_debug dbg = { .control = control };

	if (control & KVM_GUESTDBG_USE_HW_BP) {
		dbg.arch.debugreg[0] = linear;
		dbg.arch.debugreg[7] = DR7_FIXED_1 | DR7_L0;
	}
	return ioctl(vm->vcpu_fd, KVM_SET_GUEST_DEBUG, &dbg);
}

/* Is the vCPU at @e's point? *on_rip: at least at its RIP. */
static int at_point(struct replay_vm *vm, const struct vmtrace_rec_event *e, bool *on_rip)
{
	struct kvm_regs regs;

	if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &regs))
		return -1;
	*on_rip = regs.rip == e->rip;
	return *on_rip && regs.rcx == e->rcx && regs_digest(&regs) == e->regs_digest &&
	       ((regs.rflags ^ e->rflags) & ~(uint64_t)(RFLAGS_TF | RFLAGS_RF)) == 0;
}

/*
 * One KVM_RUN of the search, cut after @ms if not 0: 0 at a debug stop or
 * cut (*cut), 1 if it ended otherwise, -1 on an error.
 */
static int seek_run(struct replay_vm *vm, int session_fd, unsigned int ms,
		    struct replay_seek *sk, bool *cut)
{
	struct itimerval it = { .it_value = { ms / 1000, (ms % 1000) * 1000 } };
	struct itimerval off = { 0 };
	struct vmtrace_replay_status st = { .size = sizeof(st) };
	int ret, run_errno;

	if (!ms)
		it.it_value.tv_sec = REPLAY_WATCHDOG_S;
	setitimer(ITIMER_REAL, &it, NULL);
	ret = ioctl(vm->vcpu_fd, KVM_RUN, 0);
	run_errno = errno;
	setitimer(ITIMER_REAL, &off, NULL);
	sk->runs++;
	if (ret < 0 && run_errno != EINTR)
		return errno = run_errno, -1;
	if (ioctl(session_fd, VMTRACE_REPLAY_STATUS, &st))
		return -1;
	if (st.diverged)
		return 1;
	*cut = ret < 0 || vm->run->exit_reason == KVM_EXIT_INTR;
	if (*cut)
		return 0;
	sk->exit = vm->run->exit_reason;
	return sk->exit == KVM_EXIT_DEBUG ? 0 : 1;
}

/**
 * replay_seek() - run the vCPU to the point of asynchronous event @e
 * @vm: the replay VM, its vCPU fed with VMTRACE_FEED_SEEK.
 * @session_fd: the replay session.
 * @e: the event record.
 * @sk: out: how the search went.
 * @err: the step that failed, for -1.
 *
 * Return: 0 at the point, 1 if the guest went elsewhere (the module's
 * status says how, or @sk->exit, or @sk->stuck), -1 on an error. Guest
 * debugging is off again, unless -1.
 */
int replay_seek(struct replay_vm *vm, int session_fd, const struct vmtrace_rec_event *e,
		struct replay_seek *sk, char *err)
{
	uint32_t bp = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP | KVM_GUESTDBG_BLOCKIRQ;
	uint32_t step = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP | KVM_GUESTDBG_BLOCKIRQ;
	struct kvm_sregs sregs;
	int found, ret = 0, cuts = 0;
	bool on_rip, cut, stepping;
	uint64_t linear;

	memset(sk, 0, sizeof(*sk));
	if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sregs))
		goto fail;
	linear = sregs.cs.base + e->rip;
	while ((found = at_point(vm, e, &on_rip)) == 0) {
		stepping = on_rip || cuts >= SEEK_SLICES_MAX;
		if (set_debug(vm, stepping ? step : bp, linear))
			goto fail;
		ret = seek_run(vm, session_fd, stepping ? 0 : SEEK_SLICE_MS, sk, &cut);
		if (ret)
			break;
		if (cut && at_point(vm, e, &on_rip) < 0)
			goto fail;
		cut = cut && !on_rip;	/* stopped on the breakpoint's address */
		cuts = cut ? cuts + 1 : cuts < SEEK_SLICES_MAX ? 0 : cuts;
		sk->steps += stepping && !cut;
		sk->stuck = sk->steps > REPLAY_SEEK_STEPS || (stepping && cut);
		if (sk->stuck) {
			ret = 1;
			break;
		}
		sk->stops += !cut;
	}
	if (found < 0 || ret < 0 || set_debug(vm, 0, 0))
		goto fail;
	return ret;
fail:
	snprintf(err, VMTRACE_ERRLEN, "finding the point of an asynchronous event: %s",
		 strerror(errno));
	return -1;
}
