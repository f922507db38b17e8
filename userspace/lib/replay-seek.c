// SPDX-License-Identifier: GPL-2.0
/*
 * Finding the point of an event the recording delivered after an
 * asynchronous exit (VMTRACE_RECF_ASYNC): no exit marks it, only its RIP,
 * RCX and the digest of the 16 GPRs; in PMU mode (VMTRACE_RECF_BRANCHES)
 * the guest's branch count too, which the module has brought within the
 * counter's skid of it first (VMTRACE_FEED_BRANCHES). A hardware breakpoint on RIP stops
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

/**
 * replay_seek_target() - the point of event @e
 * @t: out.
 * @e: an interrupt or NMI record.
 * @pmu: place it by branch count too (VMTRACE_RECF_BRANCHES, PMU mode).
 */
void replay_seek_target(struct replay_seek_target *t, const struct vmtrace_rec_event *e,
			bool pmu)
{
	t->rip = e->rip;
	t->rcx = e->rcx;
	t->rflags = e->rflags;
	t->digest = e->regs_digest;
	t->has_branches = pmu && (e->hdr.flags & VMTRACE_RECF_BRANCHES);
	t->branches = e->branches;
}

/* Is the vCPU at @t? -1 on an error; *v: what it looks like. */
static int at_point(const struct replay_seek_ops *ops, void *ctx,
		    const struct replay_seek_target *t, struct replay_seek_view *v)
{
	if (ops->view(ctx, v))
		return -1;
	return v->rip == t->rip && v->rcx == t->rcx && v->digest == t->digest &&
	       ((v->rflags ^ t->rflags) & ~(uint64_t)(RFLAGS_TF | RFLAGS_RF)) == 0 &&
	       (!t->has_branches || v->branches == t->branches);
}

/* Has the guest gone past @t? Only a branch count can tell. */
static bool past_point(const struct replay_seek_target *t, const struct replay_seek_view *v)
{
	return t->has_branches && v->branches > t->branches;
}

/**
 * replay_seek_find() - run a vCPU to point @t
 * @ops: how to look at and run the vCPU.
 * @ctx: their context.
 * @t: the point.
 * @sk: out: how the search went.
 *
 * A breakpoint on @t->rip stops the guest each time it gets there; where
 * the rest differs (another iteration of a loop), one single step takes it
 * past. A breakpoint run that ends on the RIP without a debug stop (cut)
 * counts as a stop; after SEEK_SLICES_MAX cuts elsewhere, the search
 * single-steps. A branch count above @t's is the point passed.
 *
 * Return: 0 at the point, 1 if the guest went elsewhere (@sk->exit,
 * @sk->stuck, @sk->passed, or the module's status says how), -1 on an
 * error.
 */
int replay_seek_find(const struct replay_seek_ops *ops, void *ctx,
		     const struct replay_seek_target *t, struct replay_seek *sk)
{
	struct replay_seek_view v;
	int found, ret = 0, cuts = 0;
	bool on_rip, cut, stepping;

	memset(sk, 0, sizeof(*sk));
	while ((found = at_point(ops, ctx, t, &v)) == 0) {
		if (past_point(t, &v)) {
			sk->passed = true;
			return 1;
		}
		on_rip = v.rip == t->rip;
		stepping = on_rip || cuts >= SEEK_SLICES_MAX;
		ret = ops->run(ctx, stepping ? REPLAY_SEEK_STEP : REPLAY_SEEK_BREAKPOINT, t->rip,
			       stepping ? 0 : SEEK_SLICE_MS, sk, &cut);
		if (ret)
			break;
		if (cut && (found = at_point(ops, ctx, t, &v)) < 0)
			break;
		cut = cut && v.rip != t->rip;	/* stopped on the breakpoint's address */
		cuts = cut ? cuts + 1 : cuts < SEEK_SLICES_MAX ? 0 : cuts;
		sk->steps += stepping && !cut;
		sk->stuck = sk->steps > REPLAY_SEEK_STEPS || (stepping && cut);
		if (sk->stuck) {
			ret = 1;
			break;
		}
		sk->stops += !cut;
	}
	return found < 0 || ret < 0 ? -1 : ret;
}

/* The KVM side of the search: the replay VM's vCPU. */
struct seek_kvm {
	struct replay_vm *vm;
	int session_fd;
	bool branches;		/* read the module's branch count */
	uint64_t cs_base;
};

static int set_debug(struct replay_vm *vm, uint32_t control, uint64_t linear)
{
	struct kvm_guest_debug dbg = { .control = control };

	if (control & KVM_GUESTDBG_USE_HW_BP) {
		dbg.arch.debugreg[0] = linear;
		dbg.arch.debugreg[7] = DR7_FIXED_1 | DR7_L0;
	}
	return ioctl(vm->vcpu_fd, KVM_SET_GUEST_DEBUG, &dbg);
}

static int kvm_view(void *ctx, struct replay_seek_view *v)
{
	struct vmtrace_replay_status st = { .size = sizeof(st) };
	struct seek_kvm *k = ctx;
	struct kvm_regs regs;

	if (ioctl(k->vm->vcpu_fd, KVM_GET_REGS, &regs))
		return -1;
	if (k->branches && ioctl(k->session_fd, VMTRACE_REPLAY_STATUS, &st))
		return -1;
	v->rip = regs.rip;
	v->rcx = regs.rcx;
	v->rflags = regs.rflags;
	v->digest = regs_digest(&regs);
	v->branches = st.branches;
	return 0;
}

/*
 * One KVM_RUN of the search, cut after @ms if not 0: 0 at a debug stop or
 * cut (*cut), 1 if it ended otherwise, -1 on an error.
 */
static int kvm_seek_run(void *ctx, enum replay_seek_how how, uint64_t rip, unsigned int ms,
			struct replay_seek *sk, bool *cut)
{
	uint32_t bp = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP | KVM_GUESTDBG_BLOCKIRQ;
	uint32_t step = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP | KVM_GUESTDBG_BLOCKIRQ;
	struct itimerval it = { .it_value = { ms / 1000, (ms % 1000) * 1000 } };
	struct itimerval off = { 0 };
	struct vmtrace_replay_status st = { .size = sizeof(st) };
	struct seek_kvm *k = ctx;
	int ret, run_errno;

	if (set_debug(k->vm, how == REPLAY_SEEK_STEP ? step : bp, k->cs_base + rip))
		return -1;
	if (!ms)
		it.it_value.tv_sec = REPLAY_WATCHDOG_S;
	setitimer(ITIMER_REAL, &it, NULL);
	ret = ioctl(k->vm->vcpu_fd, KVM_RUN, 0);
	run_errno = errno;
	setitimer(ITIMER_REAL, &off, NULL);
	sk->runs++;
	if (ret < 0 && run_errno != EINTR)
		return errno = run_errno, -1;
	if (ioctl(k->session_fd, VMTRACE_REPLAY_STATUS, &st))
		return -1;
	if (st.diverged)
		return 1;
	*cut = ret < 0 || k->vm->run->exit_reason == KVM_EXIT_INTR;
	if (*cut)
		return 0;
	sk->exit = k->vm->run->exit_reason;
	return sk->exit == KVM_EXIT_DEBUG ? 0 : 1;
}

/**
 * replay_seek() - run the replay VM's vCPU to the point of event @e
 * @vm: the replay VM, its vCPU fed with VMTRACE_FEED_SEEK.
 * @session_fd: the replay session.
 * @e: the event record.
 * @pmu: the session counts branches (VMTRACE_ATTACH_PMU): place @e by its
 *	count if it has one.
 * @sk: out: how the search went.
 * @err: the step that failed, for -1.
 *
 * Return: as replay_seek_find(). Guest debugging is off again, unless -1.
 */
int replay_seek(struct replay_vm *vm, int session_fd, const struct vmtrace_rec_event *e,
		bool pmu, struct replay_seek *sk, char *err)
{
	static const struct replay_seek_ops ops = { kvm_view, kvm_seek_run };
	struct seek_kvm k = { vm, session_fd, false, 0 };
	struct replay_seek_target t;
	struct kvm_sregs sregs;
	int ret = -1;

	memset(sk, 0, sizeof(*sk));
	replay_seek_target(&t, e, pmu);
	k.branches = t.has_branches;
	if (!ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sregs)) {
		k.cs_base = sregs.cs.base;
		ret = replay_seek_find(&ops, &k, &t, sk);
	}
	if (ret < 0 || set_debug(vm, 0, 0)) {
		snprintf(err, VMTRACE_ERRLEN, "finding the point of an asynchronous event: %s",
			 strerror(errno));
		return -1;
	}
	return ret;
}
