// SPDX-License-Identifier: GPL-2.0
/*
 * What the hooks do for a replayed vCPU. The records a VMM fed for this
 * KVM_RUN (replay.c) are consumed in order, each where recording wrote it:
 *
 *  - RDTSC, RDTSCP, RDRAND, RDSEED: the exit hook gives the recorded value
 *    (the host's TSC and RNG are never read).
 *  - CPUID, RDPMC, RDMSR: KVM handles the exit, then the guest's registers
 *    get the recorded result.
 *  - IN, OUT, MMIO reads and writes: KVM's tracepoints; the values must be
 *    the recorded ones (the VMM answers the VMM's devices from the trace).
 *  - Interrupts, NMIs, exceptions: KVM may inject one only at the ordinal
 *    the recording has one (KVM_GUESTDBG_BLOCKIRQ otherwise), and the one
 *    injected must be the recorded one.
 *  - kvmclock: the guest sees the recorded content, never KVM's live one;
 *    the wall clock KVM writes for a WRMSR: the recorded bytes.
 *  - Digests: computed at the same points and compared.
 *
 * The first mismatch is a divergence: it is described in the vCPU's
 * status and KVM_RUN returns to the VMM at the next exit, which is left
 * unhandled. So is the first exit past the feed's stop ordinal.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kvm_host.h>
#include <asm/apicdef.h>

#include "compat/kvm-private.h"
#include "compat/kvm-tracepoints.h"
#include "digest.h"
#include "kvm_tracepoints.h"
#include "rand_emul.h"
#include "rec_hooks.h"
#include "redirect.h"
#include "replay.h"
#include "session.h"
#include "vcpu.h"
#include "vendor.h"

/* What happened, for a divergence report. */
struct vmtrace_rep_seen {
	u32 type;	/* VMTRACE_REC_* of the event seen */
	u32 field;	/* VMTRACE_FIELD_* that differs */
	u64 expected;
	u64 seen;
	u64 detail;
};

static const struct vmtrace_rec *vmtrace_rep_head(struct vmtrace_vcpu_rep *rp)
{
	return rp->pos < rp->len ? (const struct vmtrace_rec *)(rp->buf + rp->pos) :
				   NULL;
}

static void vmtrace_rep_pop(struct vmtrace_vcpu_rep *rp)
{
	rp->pos += vmtrace_rep_head(rp)->size;
	rp->consumed++;
}

static void vmtrace_rep_diverge(struct vmtrace_vcpu_rep *rp, u32 why,
				const struct vmtrace_rec *want,
				const struct vmtrace_rep_seen *seen, u64 rip)
{
	struct vmtrace_replay_status *st = &rp->status;

	if (st->diverged)
		return;
	st->diverged = why;
	st->expected_type = want ? want->type : 0;
	st->seen_type = seen->type;
	st->field = seen->field;
	st->expected = seen->expected;
	st->seen = seen->seen;
	st->detail = seen->detail;
	st->rip = rip;
}

/*
 * The next record if it is a @type at the vCPU's ordinal; otherwise the
 * event @type is a divergence, and NULL.
 */
static const struct vmtrace_rec *vmtrace_rep_expect(struct vmtrace_vcpu_rep *rp,
						    u16 type, u64 rip)
{
	const struct vmtrace_rec *r = vmtrace_rep_head(rp);
	struct vmtrace_rep_seen seen = { .type = type };

	if (r && r->type == type && r->ordinal == rp->ordinal)
		return r;
	if (!r) {
		seen.seen = type;
		vmtrace_rep_diverge(rp, VMTRACE_DIVERGE_EXTRA, NULL, &seen, rip);
	} else if (r->type != type) {
		seen.expected = r->type;
		seen.seen = type;
		vmtrace_rep_diverge(rp, VMTRACE_DIVERGE_EVENT, r, &seen, rip);
	} else {
		seen.field = VMTRACE_FIELD_ORDINAL;
		seen.expected = r->ordinal;
		seen.seen = rp->ordinal;
		vmtrace_rep_diverge(rp, VMTRACE_DIVERGE_EVENT, r, &seen, rip);
	}
	return NULL;
}

/* A value of record @r that differs: a divergence, and false. */
static bool vmtrace_rep_same(struct vmtrace_vcpu_rep *rp,
			     const struct vmtrace_rec *r, u32 field, u64 want,
			     u64 got, u64 detail, u64 rip)
{
	struct vmtrace_rep_seen seen = { r->type, field, want, got, detail };

	if (want == got)
		return true;
	vmtrace_rep_diverge(rp, VMTRACE_DIVERGE_VALUE, r, &seen, rip);
	return false;
}

/* Back to the VMM with this exit left unhandled: it comes again. */
static bool vmtrace_rep_to_vmm(struct kvm_vcpu *vcpu, int *ret)
{
	vcpu->run->exit_reason = KVM_EXIT_INTR;
	*ret = 0;
	return true;
}

/*
 * The event the coming entry is to inject, or NULL: the next interrupt,
 * NMI or exception record at the vCPU's ordinal. The records before it
 * at that ordinal are consumed before that entry: this exit's inputs and
 * outputs, the IN or MMIO read the VMM answers as KVM_RUN starts, the
 * kvmclock updates of the entry.
 */
static const struct vmtrace_rec *vmtrace_rep_due(struct vmtrace_vcpu_rep *rp)
{
	const struct vmtrace_rec *r;
	u32 pos = rp->pos;

	while (pos < rp->len) {
		r = (const struct vmtrace_rec *)(rp->buf + pos);
		if (r->ordinal != rp->ordinal)
			return NULL;
		if (r->type == VMTRACE_REC_IRQ || r->type == VMTRACE_REC_NMI ||
		    r->type == VMTRACE_REC_EXCEPTION)
			return r;
		pos += r->size;
	}
	return NULL;
}

/*
 * With the in-kernel LAPIC, the interrupt due is made pending there, and
 * nothing else is: the recording, not the replay VM's live timers and
 * devices, says which vector comes next. Once per record.
 */
static void vmtrace_rep_raise(struct vmtrace_vcpu_rep *rp, struct kvm_vcpu *vcpu,
			      const struct vmtrace_rec *r)
{
	const struct vmtrace_rec_event *e = (const void *)r;
	u32 off = (const u8 *)r - rp->buf;
	int vec;

	if (!vcpu->arch.apic || r->type != VMTRACE_REC_IRQ ||
	    (r->flags & (VMTRACE_RECF_SOFT | VMTRACE_RECF_REINJECTED |
			 VMTRACE_RECF_EXTINT)) ||
	    rp->raised == off + 1 || e->vector < 16 || e->vector > 255)
		return;
	while ((vec = kvm_lapic_find_highest_irr(vcpu)) >= 0)
		kvm_apic_clear_irr(vcpu, vec);
	/* A fixed self-IPI: IRR, its pending flag, KVM_REQ_EVENT, as KVM does. */
	kvm_apic_send_ipi(vcpu->arch.apic, APIC_DEST_SELF | APIC_DM_FIXED |
			  e->vector, 0);
	rp->raised = off + 1;
}

/*
 * PMU mode: is interrupt or NMI @r, placed by branch count, due here? If
 * not, KVM_RUN is to return for the VMM to find its point, or runs on
 * towards it with the overflow armed (rep_pmu.c).
 */
static bool vmtrace_rep_gate_pmu(struct vmtrace_session *s,
				 struct vmtrace_vcpu *v,
				 const struct vmtrace_rec *r)
{
	const struct vmtrace_rec_event *e = (const void *)r;
	struct vmtrace_vcpu_rep *rp = v->rep;
	u64 count = vmtrace_rep_pmu_count(v);
	struct vmtrace_rep_seen seen = { r->type, VMTRACE_FIELD_BRANCHES,
					 e->branches, count, 0 };
	enum vmtrace_rep_place place;

	/* The VMM steps towards the point: held back, never passed. */
	if (rp->feed_flags & VMTRACE_FEED_SEEK)
		place = count > e->branches ? VMTRACE_REP_PAST : VMTRACE_REP_RUN;
	else
		place = vmtrace_rep_pmu_place(s, v, e);
	rp->pause = place == VMTRACE_REP_BEFORE || place == VMTRACE_REP_WITHIN;
	if (place == VMTRACE_REP_PAST)
		vmtrace_rep_diverge(rp, VMTRACE_DIVERGE_VALUE, r, &seen,
				    s->vendor->rip(v->vcpu));
	else if (place == VMTRACE_REP_FAILED)
		vmtrace_rep_diverge(rp, VMTRACE_DIVERGE_UNSUPPORTED, r, &seen,
				    s->vendor->rip(v->vcpu));
	return place == VMTRACE_REP_AT;
}

/**
 * vmtrace_rep_gate() - let KVM inject an interrupt or NMI only where one is due
 * @s: the session.
 * @v: a replayed vCPU, not in guest mode.
 *
 * Context: the exit hook, or the feed with vcpu->mutex held.
 */
void vmtrace_rep_gate(struct vmtrace_session *s, struct vmtrace_vcpu *v)
{
	struct vmtrace_vcpu_rep *rp = v->rep;
	const struct vmtrace_rec *r = vmtrace_rep_due(rp);
	bool due = r && (r->type == VMTRACE_REC_IRQ || r->type == VMTRACE_REC_NMI);

	/* Delivered after an asynchronous exit: only at its point. */
	if (due && (r->flags & VMTRACE_RECF_ASYNC) &&
	    !(rp->feed_flags & VMTRACE_FEED_AT_POINT)) {
		rp->pause = !(rp->feed_flags & VMTRACE_FEED_SEEK);
		due = false;
	} else if (due && s->rep->pmu && (r->flags & VMTRACE_RECF_BRANCHES) &&
		   !(rp->feed_flags & VMTRACE_FEED_AT_POINT) &&
		   !READ_ONCE(s->rep->release)) {
		due = vmtrace_rep_gate_pmu(s, v, r);
	}
	if (READ_ONCE(s->rep->release))
		due = true;	/* detached: KVM injects as it likes again */
	else if (due)
		vmtrace_rep_raise(rp, v->vcpu, r);
	spin_lock_irq(&v->icpt_lock);
	vmtrace_block_irq(v->vcpu, &rp->blocked, !due);
	spin_unlock_irq(&v->icpt_lock);
}

/**
 * vmtrace_rep_pausing() - is KVM_RUN to return for the VMM to find a point?
 * @v: a replayed vCPU that has just handled an exit, or enters KVM_RUN.
 *
 * Context: the vCPU's thread.
 * Return: true if an asynchronous event is due whose point the VMM finds.
 */
bool vmtrace_rep_pausing(struct vmtrace_vcpu *v)
{
	return v->rep->pause && !v->rep->status.diverged;
}

/* A digest due here: computed and compared. False on a divergence. */
static bool vmtrace_rep_digest(struct vmtrace_session *s, struct vmtrace_vcpu *v,
			       u32 flags)
{
	struct vmtrace_vcpu_rep *rp = v->rep;
	const struct vmtrace_rec *r = vmtrace_rep_head(rp);
	const struct vmtrace_rec_digest *want = (const void *)r;
	struct vmtrace_rec_digest d;

	if (!r || r->type != VMTRACE_REC_DIGEST || r->ordinal != rp->ordinal ||
	    (r->flags & VMTRACE_RECF_AT_EXIT) != flags)
		return true;
	vmtrace_digest_fill(s->vendor, v->vcpu, rp->ordinal, &d);
	if (!vmtrace_rep_same(rp, r, VMTRACE_FIELD_RIP, want->rip, d.rip, 0, d.rip) ||
	    !vmtrace_rep_same(rp, r, VMTRACE_FIELD_RFLAGS, want->rflags, d.rflags,
			      0, d.rip) ||
	    !vmtrace_rep_same(rp, r, VMTRACE_FIELD_REGS, want->regs, d.regs, 0,
			      d.rip) ||
	    !vmtrace_rep_same(rp, r, VMTRACE_FIELD_MEM, want->mem, d.mem,
			      want->mem_gpa, d.rip))
		return false;
	vmtrace_rep_pop(rp);
	return true;
}

static bool vmtrace_rep_tsc(struct vmtrace_session *s, struct vmtrace_vcpu *v,
			    u16 type, int *ret)
{
	struct vmtrace_vcpu_rep *rp = v->rep;
	struct kvm_vcpu *vcpu = v->vcpu;
	u64 rip = s->vendor->rip(vcpu);
	const struct vmtrace_rec_tsc *t;
	const struct vmtrace_rec *r;

	r = vmtrace_rep_expect(rp, type, rip);
	t = (const void *)r;
	if (!r || !vmtrace_rep_same(rp, r, VMTRACE_FIELD_RIP, t->rip, rip, 0, rip))
		return vmtrace_rep_to_vmm(vcpu, ret);
	vcpu->arch.regs[VCPU_REGS_RAX] = (u32)t->tsc;
	vcpu->arch.regs[VCPU_REGS_RDX] = t->tsc >> 32;
	if (type == VMTRACE_REC_RDTSCP)
		vcpu->arch.regs[VCPU_REGS_RCX] = t->aux;
	vcpu->arch.regs_dirty |= BIT(VCPU_REGS_RAX) | BIT(VCPU_REGS_RDX) |
				 BIT(VCPU_REGS_RCX);
	vmtrace_rep_pop(rp);
	*ret = kvm_skip_emulated_instruction(vcpu);
	return true;
}

static bool vmtrace_rep_rand(struct vmtrace_session *s, struct vmtrace_vcpu *v,
			     u16 type, const struct vmtrace_rand_insn *in,
			     int *ret)
{
	struct vmtrace_vcpu_rep *rp = v->rep;
	struct kvm_vcpu *vcpu = v->vcpu;
	u64 rip = s->vendor->rip(vcpu);
	const struct vmtrace_rec_rand *t;
	const struct vmtrace_rec *r;
	bool ok;

	r = vmtrace_rep_expect(rp, type, rip);
	t = (const void *)r;
	if (!r || !vmtrace_rep_same(rp, r, VMTRACE_FIELD_RIP, t->rip, rip, 0, rip) ||
	    !vmtrace_rep_same(rp, r, VMTRACE_FIELD_WHERE, t->reg, in->reg, 0, rip))
		return vmtrace_rep_to_vmm(vcpu, ret);
	ok = t->hdr.flags & VMTRACE_RECF_RAND_OK;
	vcpu->arch.regs[in->reg] = vmtrace_rand_merge(vcpu->arch.regs[in->reg],
						      t->value, in->width);
	vcpu->arch.regs_avail |= BIT(in->reg);
	vcpu->arch.regs_dirty |= BIT(in->reg);
	kvm_set_rflags(vcpu, vmtrace_rand_rflags(kvm_get_rflags(vcpu), ok));
	vmtrace_rep_pop(rp);
	*ret = kvm_skip_emulated_instruction(vcpu);
	return true;
}

/* The exits the module answers from the trace; true if this was one. */
static bool vmtrace_rep_emulate(struct vmtrace_session *s,
				struct vmtrace_vcpu *v, int *ret)
{
	struct vmtrace_rand_insn in;
	u32 info = 0;
	u16 type;

	type = s->vendor->tsc_exit(v->vcpu);
	if (type)
		return vmtrace_rep_tsc(s, v, type, ret);
	type = s->vendor->rand_exit(v->vcpu, &info);
	if (type && vmtrace_rand_decode(info, &in))
		return vmtrace_rep_rand(s, v, type, &in, ret);
	return false;
}

static void vmtrace_rep_exit_inputs(struct vmtrace_session *s,
				    struct vmtrace_vcpu *v,
				    enum vmtrace_exit_kind kind)
{
	struct vmtrace_vcpu_rep *rp = v->rep;
	unsigned long *regs = v->vcpu->arch.regs;

	rp->msr_pending = false;
	rp->cpuid_pending = kind == VMTRACE_EXIT_CPUID;
	rp->cpuid_in[0] = regs[VCPU_REGS_RAX];
	rp->cpuid_in[1] = regs[VCPU_REGS_RCX];
	rp->rdpmc_pending = kind == VMTRACE_EXIT_RDPMC;
	rp->hlt_pending = kind == VMTRACE_EXIT_HLT;
	rp->exit_rip = s->vendor->rip(v->vcpu);
}

/**
 * vmtrace_rep_exit() - a replayed vCPU exited, before KVM handles it
 * @s: its session.
 * @v: the vCPU.
 * @kind: the kind of exit.
 * @ret: out: handle_exit's return value, if the exit was handled here.
 *
 * Context: the exit hook: preemptible, vCPU loaded, kvm->srcu and the
 * replayer's SRCU held.
 * Return: true if the exit was handled (or left for the VMM), false if
 * KVM must handle it.
 */
bool vmtrace_rep_exit(struct vmtrace_session *s, struct vmtrace_vcpu *v,
		      enum vmtrace_exit_kind kind, int *ret)
{
	struct vmtrace_vcpu_rep *rp = v->rep;
	bool sync = s->vendor->exit_sync(v->vcpu);

	vmtrace_rep_pmu_exit(s, v);
	if (rp->status.diverged || rp->ordinal >= rp->stop)
		return vmtrace_rep_to_vmm(v->vcpu, ret);
	if (sync)
		rp->ordinal++;
	rp->last_sync = sync;
	if (sync && !vmtrace_rep_digest(s, v, VMTRACE_RECF_AT_EXIT))
		return vmtrace_rep_to_vmm(v->vcpu, ret);
	vmtrace_rep_gate(s, v);
	vmtrace_rep_exit_inputs(s, v, kind);
	rp->in_exit = true;
	if (!vmtrace_rep_emulate(s, v, ret))
		return false;
	rp->in_exit = false;
	/* As after KVM's handling: what it consumed may bring an event due. */
	if (!rp->status.diverged)
		vmtrace_rep_gate(s, v);
	if (vmtrace_rep_pausing(v) && *ret > 0) {
		v->vcpu->run->exit_reason = KVM_EXIT_INTR;
		*ret = 0;
	}
	return true;
}

static void vmtrace_rep_set_regs(struct kvm_vcpu *vcpu, const u32 *out, int n)
{
	static const int regs[] = { VCPU_REGS_RAX, VCPU_REGS_RBX,
				    VCPU_REGS_RCX, VCPU_REGS_RDX };
	int i;

	for (i = 0; i < n; i++) {
		vcpu->arch.regs[regs[i]] = out[i];
		vcpu->arch.regs_dirty |= BIT(regs[i]);
	}
}

/* RDMSR, RDPMC: EDX:EAX get @value; RBX and RCX keep all their bits. */
static void vmtrace_rep_set_edx_eax(struct kvm_vcpu *vcpu, u64 value)
{
	vcpu->arch.regs[VCPU_REGS_RAX] = (u32)value;
	vcpu->arch.regs[VCPU_REGS_RDX] = value >> 32;
	vcpu->arch.regs_dirty |= BIT(VCPU_REGS_RAX) | BIT(VCPU_REGS_RDX);
}

/* After KVM's CPUID: the recorded result, for the recorded leaf. */
static void vmtrace_rep_cpuid_done(struct vmtrace_session *s,
				   struct vmtrace_vcpu *v)
{
	struct vmtrace_vcpu_rep *rp = v->rep;
	u64 rip = rp->exit_rip;
	const struct vmtrace_rec_cpuid *c;
	const struct vmtrace_rec *r;

	r = vmtrace_rep_expect(rp, VMTRACE_REC_CPUID, rip);
	c = (const void *)r;
	if (!r || !vmtrace_rep_same(rp, r, VMTRACE_FIELD_WHERE, c->function,
				    rp->cpuid_in[0], rp->cpuid_in[0], rip) ||
	    !vmtrace_rep_same(rp, r, VMTRACE_FIELD_WHERE, c->index,
			      rp->cpuid_in[1], rp->cpuid_in[0], rip))
		return;
	vmtrace_rep_set_regs(v->vcpu, &c->eax, 4);
	vmtrace_rep_pop(rp);
}

/* After KVM's RDPMC, if it completed: the recorded value. */
static void vmtrace_rep_rdpmc_done(struct vmtrace_session *s,
				   struct vmtrace_vcpu *v)
{
	struct vmtrace_vcpu_rep *rp = v->rep;
	const struct vmtrace_rec_rdpmc *p;
	const struct vmtrace_rec *r;

	if (s->vendor->rip(v->vcpu) == rp->exit_rip)
		return;		/* #GP, checked at the entry that injects it */
	r = vmtrace_rep_expect(rp, VMTRACE_REC_RDPMC, rp->exit_rip);
	p = (const void *)r;
	if (!r || !vmtrace_rep_same(rp, r, VMTRACE_FIELD_WHERE, p->ecx,
				    (u32)v->vcpu->arch.regs[VCPU_REGS_RCX],
				    p->ecx, rp->exit_rip))
		return;
	vmtrace_rep_set_edx_eax(v->vcpu, p->value);
	vmtrace_rep_pop(rp);
}

/*
 * An IN that a device inside KVM (PIT, PIC) answered during this exit:
 * the guest gets the recorded bytes, not the live device's.
 */
static void vmtrace_rep_pio_done(struct kvm_vcpu *vcpu,
				 struct vmtrace_vcpu_rep *rp)
{
	unsigned long *rax = &vcpu->arch.regs[VCPU_REGS_RAX];

	rp->pio_pending = false;
	if (rp->pio_size == 4)
		*rax = (u32)rp->pio_value;
	else if (rp->pio_size == 2)
		*rax = (*rax & ~0xffffUL) | (rp->pio_value & 0xffff);
	else
		*rax = (*rax & ~0xffUL) | (rp->pio_value & 0xff);
	vcpu->arch.regs_dirty |= BIT(VCPU_REGS_RAX);
}

/*
 * What KVM wrote into guest memory while it handled this exit (the wall
 * clock): the recorded bytes, over KVM's live ones.
 */
static void vmtrace_rep_in_exit_writes(struct kvm_vcpu *vcpu,
				       struct vmtrace_vcpu_rep *rp)
{
	const struct vmtrace_rec *r;
	const struct vmtrace_rec_mem *m;

	while ((r = vmtrace_rep_head(rp)) && r->type == VMTRACE_REC_MEM_WRITE &&
	       r->ordinal == rp->ordinal && (r->flags & VMTRACE_RECF_IN_EXIT)) {
		m = (const void *)r;
		kvm_write_guest(vcpu->kvm, m->gpa, m->data, m->len);
		vmtrace_rep_pop(rp);
	}
}

/*
 * A HLT never waits in replay. Where the recording has an event next,
 * the gate raises it and KVM injects it at the next entry; where it has
 * none, something live woke the recorded vCPU without an interrupt for
 * it (KVM opening a window the recorder then held shut) and the guest
 * went on past the HLT: so does the replayed one, with no live timer to
 * wake it.
 */
static void vmtrace_rep_hlt_done(struct kvm_vcpu *vcpu, struct vmtrace_vcpu_rep *rp)
{
	if (rp->hlt_pending && vcpu->arch.mp_state == KVM_MP_STATE_HALTED)
		vcpu->arch.mp_state = KVM_MP_STATE_RUNNABLE;
	rp->hlt_pending = false;
}

/**
 * vmtrace_rep_exit_done() - KVM handled an exit of a replayed vCPU
 * @s: its session.
 * @v: the vCPU.
 *
 * CPUID, RDPMC and RDMSR results are replaced by the recorded ones, and
 * what KVM wrote into guest memory for the exit by the recorded bytes.
 *
 * Context: as vmtrace_rep_exit(), after KVM's handle_exit.
 */
void vmtrace_rep_exit_done(struct vmtrace_session *s, struct vmtrace_vcpu *v)
{
	struct vmtrace_vcpu_rep *rp = v->rep;

	if (rp->cpuid_pending)
		vmtrace_rep_cpuid_done(s, v);
	if (rp->rdpmc_pending)
		vmtrace_rep_rdpmc_done(s, v);
	if (rp->msr_pending)
		vmtrace_rep_set_edx_eax(v->vcpu, rp->msr_value);
	if (rp->pio_pending)
		vmtrace_rep_pio_done(v->vcpu, rp);
	vmtrace_rep_in_exit_writes(v->vcpu, rp);
	vmtrace_rep_hlt_done(v->vcpu, rp);
	rp->cpuid_pending = false;
	rp->rdpmc_pending = false;
	rp->msr_pending = false;
	rp->in_exit = false;
	/* What this exit consumed may have brought an interrupt due. */
	if (!rp->status.diverged)
		vmtrace_rep_gate(s, v);
}

/*
 * The kvmclock area: the recorded content where the recording has some at
 * this ordinal; KVM's own live updates are undone.
 */
static void vmtrace_rep_pvclock(struct vmtrace_vcpu_rep *rp, struct kvm_vcpu *vcpu)
{
	struct gfn_to_pfn_cache *gpc = &vcpu->arch.pv_time;
	const struct vmtrace_rec *r = vmtrace_rep_head(rp);
	const struct vmtrace_rec_mem *m = (const void *)r;
	unsigned long flags;
	bool due;

	if (!READ_ONCE(gpc->active))
		return;
	due = r && r->type == VMTRACE_REC_MEM_WRITE && r->ordinal == rp->ordinal &&
	      !(r->flags & VMTRACE_RECF_VMM) && m->len == VMTRACE_REP_PVCLOCK;
	read_lock_irqsave(&gpc->lock, flags);
	if (gpc->valid && gpc->khva && due && m->gpa == gpc->gpa) {
		memcpy(gpc->khva, m->data, VMTRACE_REP_PVCLOCK);
		memcpy(rp->pvclock, m->data, VMTRACE_REP_PVCLOCK);
		rp->pvclock_gpa = m->gpa;
		vmtrace_rep_pop(rp);
	} else if (gpc->valid && gpc->khva && rp->pvclock_gpa == gpc->gpa &&
		   memcmp(gpc->khva, rp->pvclock, VMTRACE_REP_PVCLOCK)) {
		memcpy(gpc->khva, rp->pvclock, VMTRACE_REP_PVCLOCK);
	}
	read_unlock_irqrestore(&gpc->lock, flags);
}

/* The event this entry injects must be the recorded one. */
static void vmtrace_rep_event(struct vmtrace_session *s, struct vmtrace_vcpu *v)
{
	struct vmtrace_vcpu_rep *rp = v->rep;
	struct kvm_vcpu *vcpu = v->vcpu;
	const struct vmtrace_rec_event *want;
	struct vmtrace_rec_event e = {};
	struct vmtrace_rep_seen seen;
	const struct vmtrace_rec *r;
	struct vmtrace_event ev;

	if (!s->vendor->pending_event(vcpu, &ev))
		return;
	e.hdr.type = ev.type;
	e.vector = ev.vector;
	e.rip = s->vendor->rip(vcpu);
	e.rcx = vcpu->arch.regs[VCPU_REGS_RCX];
	if (vmtrace_event_again(&rp->last_event, rp->last_event_ordinal,
				rp->ordinal, &e))
		return;
	r = vmtrace_rep_expect(rp, ev.type, e.rip);
	want = (const void *)r;
	if (r && (r->flags & VMTRACE_RECF_ASYNC) &&
	    !(rp->feed_flags & VMTRACE_FEED_AT_POINT)) {
		seen = (struct vmtrace_rep_seen){ .type = ev.type };
		vmtrace_rep_diverge(rp, VMTRACE_DIVERGE_UNSUPPORTED, r, &seen, e.rip);
		return;
	}
	if (!r || !vmtrace_rep_same(rp, r, VMTRACE_FIELD_VECTOR, want->vector,
				    e.vector, 0, e.rip) ||
	    !vmtrace_rep_same(rp, r, VMTRACE_FIELD_RIP, want->rip, e.rip, 0, e.rip) ||
	    !vmtrace_rep_same(rp, r, VMTRACE_FIELD_REGS, want->regs_digest,
			      vmtrace_regs_digest(s->vendor, vcpu), 0, e.rip))
		return;
	if (s->rep->pmu && (r->flags & VMTRACE_RECF_BRANCHES) &&
	    !vmtrace_rep_same(rp, r, VMTRACE_FIELD_BRANCHES, want->branches,
			      vmtrace_rep_pmu_count(v), 0, e.rip))
		return;
	vmtrace_rep_pop(rp);
	rp->feed_flags &= ~VMTRACE_FEED_AT_POINT;
	rp->last_event = e;
	rp->last_event_ordinal = rp->ordinal;
}

/**
 * vmtrace_rep_entry() - a replayed vCPU is about to enter the guest
 * @s: its session.
 * @v: the vCPU.
 *
 * Keeps RDTSC exiting on (off once the session releases the vCPU), gives
 * the guest the recorded kvmclock and checks the event injected.
 *
 * Context: the kvm_entry probe: IRQs off, vCPU loaded, RCU read side.
 */
void vmtrace_rep_entry(struct vmtrace_session *s, struct vmtrace_vcpu *v)
{
	bool on = !READ_ONCE(s->rep->release);

	spin_lock(&v->icpt_lock);
	s->vendor->set_exiting(v->vcpu, on);
	v->rep->exiting = on;
	spin_unlock(&v->icpt_lock);
	if (!on || v->rep->status.diverged)
		return;
	vmtrace_rep_pvclock(v->rep, v->vcpu);
	vmtrace_rep_event(s, v);
}

/**
 * vmtrace_rep_run_done() - KVM_RUN of a replayed vCPU returns to the VMM
 * @s: its session.
 * @v: the vCPU.
 * @ret: what KVM_RUN returns.
 *
 * Checks the digest the recording took there.
 *
 * Context: the KVM_RUN hook after the original: process context, vCPU
 * not loaded, the replayer's SRCU held.
 */
void vmtrace_rep_run_done(struct vmtrace_session *s, struct vmtrace_vcpu *v,
			  int ret)
{
	int idx;

	if (v->rep->status.diverged || ret)
		return;
	vcpu_load(v->vcpu);
	idx = srcu_read_lock(&v->vcpu->kvm->srcu);
	vmtrace_rep_digest(s, v, 0);
	srcu_read_unlock(&v->vcpu->kvm->srcu, idx);
	vcpu_put(v->vcpu);
}

/*
 * The replay state of the vCPU running here, if it is replayed, and in
 * @rip the RIP of its last exit.
 */
static struct vmtrace_vcpu_rep *vmtrace_rep_current(u64 *rip)
{
	struct kvm_vcpu *vcpu = kvm_get_running_vcpu();
	struct vmtrace_vcpu *v = vcpu ? vmtrace_vcpu_find(vcpu) : NULL;

	if (!v || !v->rep || v->rep->status.diverged)
		return NULL;
	*rip = READ_ONCE(v->last_rip);
	return v->rep;
}

/* An IN (@rw 0) or OUT: the recorded port and bytes. */
static void vmtrace_rep_probe_pio(void *data, unsigned int rw, unsigned int port,
				  unsigned int size, unsigned int count,
				  const void *val)
{
	u16 type = rw ? VMTRACE_REC_PIO_OUT : VMTRACE_REC_PIO_IN;
	const struct vmtrace_rec_pio *p;
	struct vmtrace_vcpu_rep *rp;
	const struct vmtrace_rec *r;
	u64 want = 0, got = 0, rip = 0;
	u32 n = size * count;

	rcu_read_lock();
	rp = vmtrace_rep_current(&rip);
	r = rp ? vmtrace_rep_expect(rp, type, rip) : NULL;
	p = (const void *)r;
	if (r && vmtrace_rep_same(rp, r, VMTRACE_FIELD_WHERE, p->port, port, port, rip) &&
	    vmtrace_rep_same(rp, r, VMTRACE_FIELD_WHERE, p->size * p->count, n,
			     port, rip)) {
		/* The report shows the first 8 bytes of a string I/O that differs. */
		memcpy(&want, p->data, min(n, 8U));
		memcpy(&got, val, min(n, 8U));
		if (!rw && rp->in_exit && count == 1) {
			/* A device in KVM answered: the guest gets the recorded bytes. */
			rp->pio_pending = true;
			rp->pio_size = size;
			rp->pio_value = want;
			vmtrace_rep_pop(rp);
		} else if (!memcmp(p->data, val, n)) {
			vmtrace_rep_pop(rp);
		} else if (vmtrace_rep_same(rp, r, VMTRACE_FIELD_DATA, want, got, port, rip)) {
			vmtrace_rep_same(rp, r, VMTRACE_FIELD_DATA, 0, 1, port, rip);
		}
	}
	rcu_read_unlock();
}

/* An MMIO read (@type 1) or write (2): the recorded GPA and bytes. */
static void vmtrace_rep_probe_mmio(void *data, int type, int len, u64 gpa,
				   void *val)
{
	const struct vmtrace_rec_mmio *m;
	struct vmtrace_vcpu_rep *rp;
	const struct vmtrace_rec *r;
	u64 got = 0, rip = 0;

	if ((type != 1 && type != 2) || !val || len <= 0 || len > 8)
		return;
	rcu_read_lock();
	rp = vmtrace_rep_current(&rip);
	r = rp ? vmtrace_rep_expect(rp, type == 1 ? VMTRACE_REC_MMIO_READ :
				    VMTRACE_REC_MMIO_WRITE, rip) : NULL;
	m = (const void *)r;
	memcpy(&got, val, len);
	if (!r || !vmtrace_rep_same(rp, r, VMTRACE_FIELD_WHERE, m->gpa, gpa, gpa, rip) ||
	    !vmtrace_rep_same(rp, r, VMTRACE_FIELD_WHERE, m->len, len, gpa, rip)) {
		rcu_read_unlock();
		return;
	}
	if (type == 1)	/* the reader gets the recorded bytes, from any device */
		memcpy(val, &m->data, len);
	if (type == 1 || vmtrace_rep_same(rp, r, VMTRACE_FIELD_DATA, m->data, got, gpa, rip))
		vmtrace_rep_pop(rp);
	rcu_read_unlock();
}

/* An RDMSR KVM answered: the guest gets the recorded value instead. */
static void vmtrace_rep_probe_msr(void *data, unsigned int write, u32 ecx,
				  u64 value, bool exception)
{
	const struct vmtrace_rec_msr *m;
	struct vmtrace_vcpu_rep *rp;
	const struct vmtrace_rec *r;
	u64 rip = 0;

	if (write || exception)
		return;
	rcu_read_lock();
	rp = vmtrace_rep_current(&rip);
	r = rp ? vmtrace_rep_expect(rp, VMTRACE_REC_MSR_READ, rip) : NULL;
	m = (const void *)r;
	if (r && vmtrace_rep_same(rp, r, VMTRACE_FIELD_WHERE, m->index, ecx, ecx, rip)) {
		rp->msr_pending = true;
		rp->msr_value = m->value;
		vmtrace_rep_pop(rp);
	}
	rcu_read_unlock();
}

/**
 * vmtrace_rep_probes_register() - attach the replay probes
 *
 * Context: process context, registry lock held.
 * Return: 0, -ENOENT if kvm.ko lacks a tracepoint, or the registration's
 * error.
 */
int vmtrace_rep_probes_register(void)
{
	struct tracepoint *pio = vmtrace_kvm_tracepoint(VMTRACE_KTP_PIO);
	struct tracepoint *mmio = vmtrace_kvm_tracepoint(VMTRACE_KTP_MMIO);
	int ret;

	if (!pio || !mmio)
		return -ENOENT;
	ret = tracepoint_probe_register(&__tracepoint_kvm_msr,
					vmtrace_rep_probe_msr, NULL);
	if (ret)
		return ret;
	ret = tracepoint_probe_register(pio, vmtrace_rep_probe_pio, NULL);
	if (ret)
		goto err_msr;
	ret = tracepoint_probe_register(mmio, vmtrace_rep_probe_mmio, NULL);
	if (ret)
		goto err_pio;
	return 0;

err_pio:
	tracepoint_probe_unregister(pio, vmtrace_rep_probe_pio, NULL);
err_msr:
	tracepoint_probe_unregister(&__tracepoint_kvm_msr, vmtrace_rep_probe_msr,
				    NULL);
	return ret;
}

/**
 * vmtrace_rep_probes_unregister() - detach them
 *
 * The caller waits for running probes (tracepoint_synchronize_unregister).
 *
 * Context: process context, registry lock held.
 */
void vmtrace_rep_probes_unregister(void)
{
	tracepoint_probe_unregister(vmtrace_kvm_tracepoint(VMTRACE_KTP_MMIO),
				    vmtrace_rep_probe_mmio, NULL);
	tracepoint_probe_unregister(vmtrace_kvm_tracepoint(VMTRACE_KTP_PIO),
				    vmtrace_rep_probe_pio, NULL);
	tracepoint_probe_unregister(&__tracepoint_kvm_msr, vmtrace_rep_probe_msr,
				    NULL);
}

typedef void (*vmtrace_timer_inject_t)(struct kvm_vcpu *vcpu);

static void vmtrace_rep_timer_inject(struct kvm_vcpu *vcpu);

static struct vmtrace_redirect vmtrace_rep_timer_redirect = {
	.symbol		= "kvm_inject_pending_timer_irqs",
	.wrapper	= vmtrace_rep_timer_inject,
};

/*
 * KVM moving an expired in-kernel LAPIC timer into the IRR. A replayed
 * vCPU's timer is live host time, which must not reach the guest: its
 * interrupts come from the recording (vmtrace_rep_raise()). The expiry
 * stays pending, so the vCPU never blocks in HLT, which in a faithful
 * replay is always followed by the recorded interrupt anyway.
 */
static void vmtrace_rep_timer_inject(struct kvm_vcpu *vcpu)
{
	vmtrace_timer_inject_t orig =
		(vmtrace_timer_inject_t)READ_ONCE(vmtrace_rep_timer_redirect.orig);
	struct vmtrace_vcpu *v;
	bool replayed;

	rcu_read_lock();
	v = vmtrace_vcpu_find(vcpu);
	replayed = v && v->rep;
	rcu_read_unlock();
	if (!replayed)
		orig(vcpu);
	vmtrace_redirect_done(&vmtrace_rep_timer_redirect);
}

/**
 * vmtrace_rep_timer_register() - hook KVM's LAPIC timer injection
 *
 * Context: process context, registry lock held.
 * Return: 0, or the error of vmtrace_redirect_register().
 */
int vmtrace_rep_timer_register(void)
{
	return vmtrace_redirect_register(&vmtrace_rep_timer_redirect);
}

/**
 * vmtrace_rep_timer_unregister() - remove the hook
 *
 * Context: process context, registry lock held, may sleep.
 */
void vmtrace_rep_timer_unregister(void)
{
	vmtrace_redirect_unregister(&vmtrace_rep_timer_redirect);
}
