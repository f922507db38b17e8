// SPDX-License-Identifier: GPL-2.0
/*
 * What the recording hooks write: the values of non-deterministic inputs
 * as the guest receives them.
 *
 *  - RDTSC/RDTSCP: their exits are turned on for recorded vCPUs at every
 *    entry; the exit hook emulates them (KVM has no handler) and records
 *    the value. RDRAND/RDSEED likewise on VMX where the CPU can make them
 *    exit (KVM's handler would inject #UD): executed on the host.
 *  - RDPMC: after KVM's handler, the value it returned.
 *  - IN data, MMIO read data, CPUID results: KVM's kvm_pio, kvm_mmio and
 *    kvm_cpuid tracepoints fire when the value is known, whether a device
 *    in KVM or one in the VMM (then at the next KVM_RUN) produced it.
 *    OUT and MMIO write data too: outputs, which replay compares.
 *  - A digest of the guest's state where a chunk closes at a synchronous
 *    exit (and where KVM_RUN returns, run_hook.c), which replay checks.
 *  - RDMSR: KVM's kvm_msr tracepoint, for every read that exits.
 *  - Injected interrupts, NMIs and exceptions: at kvm_entry, from the
 *    VMCB/VMCS field that injects them, with RIP, RCX and RFLAGS.
 *  - KVM's writes of the guest's kvmclock area: at kvm_entry, its content
 *    whenever it changed (KVM updates it just before an entry); one after
 *    an asynchronous exit only at the entry after the next synchronous one.
 *
 * Exit-ordinal mode (no PMU): the ordinal counts only synchronous exits,
 * those a guest instruction causes and replay reaches the same way.
 * After any other exit the guest stopped at an instruction nobody can
 * find again, so KVM is kept from injecting interrupts and NMIs
 * (KVM_GUESTDBG_BLOCKIRQ) until the next synchronous exit: every
 * asynchronous event is delivered at an exit ordinal.
 *
 * Probes append under RCU, the exit hook under the recorder's SRCU.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/kvm_host.h>
#include <asm/archrandom.h>
#include <asm/msr-index.h>

#include "compat/kvm-tracepoints.h"
#include "cpuid_mask.h"
#include "rec_clock.h"
#include "digest.h"
#include "kvm_tracepoints.h"
#include "rand_emul.h"
#include "rec_hooks.h"
#include "rec_pmu.h"
#include "record.h"
#include "session.h"
#include "vcpu.h"
#include "vendor.h"

/*
 * Exit-ordinal mode: how long interrupts may wait for a synchronous exit
 * before a guest that runs without exits gets them anyway, after an
 * asynchronous exit (VMTRACE_RECF_ASYNC: replay must then find the point
 * by RIP and registers). Longer means fewer such events and more latency
 * for a guest that computes without exits.
 */
static unsigned int irq_hold_ms = 2;
module_param(irq_hold_ms, uint, 0644);
MODULE_PARM_DESC(irq_hold_ms, "exit-ordinal mode: ms an interrupt waits for a synchronous exit (default 2)");
#define VMTRACE_SPIN_NS		((u64)READ_ONCE(irq_hold_ms) * NSEC_PER_MSEC)

/* How long detach waits for a vCPU in guest mode to come back to KVM. */
#define VMTRACE_RELEASE_TIMEOUT	(10 * HZ)

/* The recording state of the vCPU running on this CPU, if recorded. */
static struct vmtrace_vcpu_rec *vmtrace_rec_current(void)
{
	struct kvm_vcpu *vcpu = kvm_get_running_vcpu();
	struct vmtrace_vcpu *v = vcpu ? vmtrace_vcpu_find(vcpu) : NULL;

	if (!v || !v->rec || !READ_ONCE(v->rec->rec->active))
		return NULL;
	return v->rec;
}

static void vmtrace_probe_pio(void *data, unsigned int rw, unsigned int port,
			      unsigned int size, unsigned int count,
			      const void *val)
{
	u16 type = rw ? VMTRACE_REC_PIO_OUT : VMTRACE_REC_PIO_IN;
	struct vmtrace_vcpu_rec *vr;
	struct vmtrace_rec_pio *r;
	u32 n = size * count;

	rcu_read_lock();
	vr = vmtrace_rec_current();
	r = vr ? vmtrace_rec_append(vr, type, sizeof(*r) + n, 0) : NULL;
	if (r) {
		r->port = port;
		r->size = size;
		r->count = count;
		r->pad = 0;
		memcpy(r->data, val, n);
		memset(r->data + n, 0, r->hdr.size - sizeof(*r) - n);
	}
	rcu_read_unlock();
}

static void vmtrace_probe_mmio(void *data, int type, int len, u64 gpa,
			       void *val)
{
	struct vmtrace_vcpu_rec *vr;
	struct vmtrace_rec_mmio *r;

	/* KVM_TRACE_MMIO_READ (1) and KVM_TRACE_MMIO_WRITE (2) */
	if ((type != 1 && type != 2) || !val || len <= 0 || len > 8)
		return;
	rcu_read_lock();
	vr = vmtrace_rec_current();
	r = vr ? vmtrace_rec_append(vr, type == 1 ? VMTRACE_REC_MMIO_READ :
				    VMTRACE_REC_MMIO_WRITE, sizeof(*r), 0) : NULL;
	if (r) {
		r->gpa = gpa;
		r->len = len;
		r->pad = 0;
		r->data = 0;
		memcpy(&r->data, val, len);
	}
	rcu_read_unlock();
}

static void vmtrace_probe_cpuid(void *data, unsigned int function,
				unsigned int index, unsigned long rax,
				unsigned long rbx, unsigned long rcx,
				unsigned long rdx, bool found,
				bool used_max_basic)
{
	struct vmtrace_vcpu_rec *vr;
	struct vmtrace_rec_cpuid *r;

	rcu_read_lock();
	vr = vmtrace_rec_current();
	r = vr ? vmtrace_rec_append(vr, VMTRACE_REC_CPUID, sizeof(*r), 0) :
		 NULL;
	if (r) {
		r->function = function;
		r->index = index;
		r->eax = rax;
		r->ebx = rbx;
		r->ecx = rcx;
		r->edx = rdx;
		vr->last_cpuid = r;
	}
	rcu_read_unlock();
}

static void vmtrace_probe_msr(void *data, unsigned int write, u32 ecx,
			      u64 value, bool exception)
{
	struct vmtrace_vcpu_rec *vr;
	struct vmtrace_rec_msr *r;

	if (exception)
		return;
	rcu_read_lock();
	vr = vmtrace_rec_current();
	if (write) {
		if (vr)
			vmtrace_rec_wall_clock_msr(vr, ecx, value);
		rcu_read_unlock();
		return;
	}
	r = vr ? vmtrace_rec_append(vr, VMTRACE_REC_MSR_READ, sizeof(*r), 0) :
		 NULL;
	if (r) {
		r->index = ecx;
		r->pad = 0;
		r->value = value;
	}
	rcu_read_unlock();
}

static void vmtrace_rec_event(struct vmtrace_session *s, struct vmtrace_vcpu *v)
{
	struct vmtrace_vcpu_rec *vr = v->rec;
	struct kvm_vcpu *vcpu = v->vcpu;
	struct vmtrace_rec_event e = {}, *r;
	struct vmtrace_event ev;

	if (!s->vendor->pending_event(vcpu, &ev))
		return;
	e.hdr.type = ev.type;
	e.vector = ev.vector;
	e.error_code = ev.error_code;
	e.rip = s->vendor->rip(vcpu);
	e.rcx = vcpu->arch.regs[VCPU_REGS_RCX];
	e.rflags = kvm_get_rflags(vcpu);
	e.regs_digest = vmtrace_regs_digest(s->vendor, vcpu);
	if (READ_ONCE(s->rec->mode) == VMTRACE_MODE_PMU) {
		e.branches = vr->branches;
		ev.flags |= VMTRACE_RECF_BRANCHES;
	}
	if (vmtrace_event_again(&vr->last_event, vr->last_event_ordinal,
				vr->ordinal, &e))
		return;
	if (vr->async_ok)
		ev.flags |= VMTRACE_RECF_ASYNC;
	/* KVM took the VMM's queued ExtINT vector for this injection. */
	if (ev.type == VMTRACE_REC_IRQ && vr->extint >= 0 &&
	    vcpu->arch.pending_external_vector == -1 && ev.vector == vr->extint) {
		ev.flags |= VMTRACE_RECF_EXTINT;
		vr->extint = -1;
	}
	r = vmtrace_rec_append(vr, ev.type, sizeof(*r), ev.flags);
	if (!r)
		return;
	e.hdr = r->hdr;
	*r = e;
	vr->last_event = e;
	vr->last_event_ordinal = vr->ordinal;
}

/**
 * vmtrace_rec_entry() - a recorded vCPU is about to enter the guest
 * @s: its session.
 * @v: the vCPU.
 *
 * Keeps RDTSC/RDTSCP exiting on (off once the recorder releases the
 * vCPU), records KVM's kvmclock updates and the event this entry injects.
 *
 * Context: the kvm_entry probe: IRQs off, vCPU loaded, RCU read side.
 */
void vmtrace_rec_entry(struct vmtrace_session *s, struct vmtrace_vcpu *v)
{
	struct vmtrace_recorder *rec = s->rec;
	bool on = !READ_ONCE(rec->release);

	spin_lock(&v->icpt_lock);
	s->vendor->set_exiting(v->vcpu, on);
	v->exiting = on;
	spin_unlock(&v->icpt_lock);
	if (READ_ONCE(rec->active)) {
		vmtrace_rec_pvclock(v);
		vmtrace_rec_event(s, v);
	}
}

static int vmtrace_rec_tsc(struct vmtrace_session *s, struct vmtrace_vcpu *v,
			   u16 type, bool record)
{
	struct kvm_vcpu *vcpu = v->vcpu;
	u64 tsc = kvm_read_l1_tsc(vcpu, rdtsc()), aux = 0;
	struct vmtrace_rec_tsc *r;

	if (type == VMTRACE_REC_RDTSCP && kvm_get_msr(vcpu, MSR_TSC_AUX, &aux))
		aux = 0;
	vcpu->arch.regs[VCPU_REGS_RAX] = (u32)tsc;
	vcpu->arch.regs[VCPU_REGS_RDX] = tsc >> 32;
	if (type == VMTRACE_REC_RDTSCP)
		vcpu->arch.regs[VCPU_REGS_RCX] = (u32)aux;
	vcpu->arch.regs_dirty |= BIT(VCPU_REGS_RAX) | BIT(VCPU_REGS_RDX) |
				 BIT(VCPU_REGS_RCX);
	r = record ? vmtrace_rec_append(v->rec, type, sizeof(*r), 0) : NULL;
	if (r) {
		r->tsc = tsc;
		r->rip = s->vendor->rip(vcpu);
		r->aux = (u32)aux;
		r->pad = 0;
	}
	return kvm_skip_emulated_instruction(vcpu);
}

/*
 * After an asynchronous exit (@async), hold interrupts back until the next
 * synchronous one, unless they have waited VMTRACE_SPIN_NS already: the
 * guest then spins without exits, and gets them now. Under v->icpt_lock.
 */
static void vmtrace_rec_gate_irq(struct vmtrace_vcpu *v, bool async)
{
	struct vmtrace_vcpu_rec *vr = v->rec;
	u64 now = ktime_get_ns();

	vr->async_ok = false;
	if (async && !vr->blocked)
		vr->blocked_at = now;
	else if (async && now - vr->blocked_at > VMTRACE_SPIN_NS)
		vr->async_ok = true;
	vmtrace_block_irq(v->vcpu, &vr->blocked, async && !vr->async_ok);
}

/* The host's RDRAND, or RDSEED if @seed; false if it failed or is absent. */
static bool vmtrace_host_rand(bool seed, unsigned long *v)
{
	if (seed)
		return arch_get_random_seed_longs(v, 1) == 1;
	return arch_get_random_longs(v, 1) == 1;
}

/*
 * An RDRAND or RDSEED (@type) that exits for vmtrace only: executed on the
 * host, its result given to the guest as the instruction would (a failure
 * too: CF = 0 and a zero operand), and recorded.
 */
static int vmtrace_rec_rand(struct vmtrace_session *s, struct vmtrace_vcpu *v,
			    u16 type, const struct vmtrace_rand_insn *in,
			    bool record)
{
	struct kvm_vcpu *vcpu = v->vcpu;
	unsigned long *reg = &vcpu->arch.regs[in->reg];
	struct vmtrace_rec_rand *r;
	unsigned long raw = 0;
	bool ok;
	u64 val;

	ok = vmtrace_host_rand(type == VMTRACE_REC_RDSEED, &raw);
	val = vmtrace_rand_value(raw, ok, in->width);
	*reg = vmtrace_rand_merge(*reg, val, in->width);
	vcpu->arch.regs_avail |= BIT(in->reg);
	vcpu->arch.regs_dirty |= BIT(in->reg);
	kvm_set_rflags(vcpu, vmtrace_rand_rflags(kvm_get_rflags(vcpu), ok));
	r = record ? vmtrace_rec_append(v->rec, type, sizeof(*r),
					ok ? VMTRACE_RECF_RAND_OK : 0) : NULL;
	if (r) {
		r->value = val;
		r->rip = s->vendor->rip(vcpu);
		r->reg = in->reg;
		r->width = in->width;
	}
	return kvm_skip_emulated_instruction(vcpu);
}

/*
 * The exits the module handles instead of KVM: RDTSC, RDTSCP, and RDRAND,
 * RDSEED where only vmtrace made them exit. True if this was one.
 */
static bool vmtrace_rec_emulate(struct vmtrace_session *s,
				struct vmtrace_vcpu *v, bool active, int *ret)
{
	struct vmtrace_rand_insn in;
	u32 info = 0;
	u16 type;

	type = s->vendor->tsc_exit(v->vcpu);
	if (type) {
		*ret = vmtrace_rec_tsc(s, v, type, active);
	} else {
		type = s->vendor->rand_exit(v->vcpu, &info);
		if (!type || !vmtrace_rand_decode(info, &in))
			return false;
		*ret = vmtrace_rec_rand(s, v, type, &in, active);
	}
	/* KVM's handle_exit, which may trace kvm_exit, does not run. */
	if (v->exit_entry != v->entries) {
		WRITE_ONCE(v->exits, v->exits + 1);
		v->exit_entry = v->entries;
	}
	return true;
}

/* A chunk closes at this synchronous exit: a digest of the state first. */
static void vmtrace_rec_digest(struct vmtrace_session *s, struct vmtrace_vcpu *v)
{
	struct vmtrace_rec_digest *d;

	d = vmtrace_rec_append(v->rec, VMTRACE_REC_DIGEST, sizeof(*d),
			       VMTRACE_RECF_AT_EXIT);
	if (d)
		vmtrace_digest_fill(s->vendor, v->vcpu, v->rec->ordinal, d);
}

/*
 * The inputs of an exit KVM is about to handle that vmtrace_rec_exit_done()
 * needs afterwards: CPUID's leaf and subleaf, RDPMC's ECX and RIP.
 */
static void vmtrace_rec_exit_inputs(struct vmtrace_session *s,
				    struct vmtrace_vcpu *v,
				    enum vmtrace_exit_kind kind)
{
	struct vmtrace_vcpu_rec *vr = v->rec;
	unsigned long *regs = v->vcpu->arch.regs;

	vr->cpuid_pending = kind == VMTRACE_EXIT_CPUID;
	if (vr->cpuid_pending) {
		vr->cpuid_in[0] = regs[VCPU_REGS_RAX];
		vr->cpuid_in[1] = regs[VCPU_REGS_RCX];
		vr->last_cpuid = NULL;
	}
	vr->rdpmc_pending = kind == VMTRACE_EXIT_RDPMC;
	if (vr->rdpmc_pending) {
		vr->rdpmc_ecx = regs[VCPU_REGS_RCX];
		vr->rdpmc_rip = s->vendor->rip(v->vcpu);
	}
}

/**
 * vmtrace_rec_exit() - a recorded vCPU exited, before KVM handles it
 * @s: its session.
 * @v: the vCPU.
 * @kind: the kind of exit.
 * @ret: out: handle_exit's return value, if the exit was handled here.
 *
 * Counts synchronous exits, holds back interrupts after asynchronous
 * ones, closes a nearly full buffer (waiting for a free one if needed),
 * emulates RDTSC and RDTSCP (and RDRAND and RDSEED on VMX) and keeps the
 * inputs of CPUID and RDPMC for vmtrace_rec_exit_done().
 *
 * Context: the exit hook: preemptible, vCPU loaded, kvm->srcu and the
 * recorder's SRCU held.
 * Return: true if the exit was handled, false if KVM must handle it.
 */
bool vmtrace_rec_exit(struct vmtrace_session *s, struct vmtrace_vcpu *v,
		      enum vmtrace_exit_kind kind, int *ret)
{
	struct vmtrace_vcpu_rec *vr = v->rec;
	bool active = READ_ONCE(s->rec->active);
	bool sync = s->vendor->exit_sync(v->vcpu);

	spin_lock_irq(&v->icpt_lock);
	if (active && sync)
		v->rec->ordinal++;
	vr->after_async = !sync;
	/* With a branch count, any point can be found again: no gating. */
	vmtrace_rec_gate_irq(v, active && !sync &&
			     READ_ONCE(s->rec->mode) == VMTRACE_MODE_EXIT_ORDINAL);
	spin_unlock_irq(&v->icpt_lock);
	if (active)
		vmtrace_rec_pmu_exit(s, v);
	if (active && sync && (s->rec->digest_exits || vmtrace_recbuf_full(vr)))
		vmtrace_rec_digest(s, v);
	if (active)
		vmtrace_recbuf_make_room(v->rec);
	vmtrace_rec_exit_inputs(s, v, kind);
	return vmtrace_rec_emulate(s, v, active, ret);
}

/*
 * After KVM's CPUID: hide what recording cannot cover, in the guest's
 * registers and in the CPUID record.
 */
static void vmtrace_rec_cpuid_done(struct vmtrace_session *s,
				   struct vmtrace_vcpu *v)
{
	struct vmtrace_vcpu_rec *vr = v->rec;
	unsigned long *regs = v->vcpu->arch.regs;
	struct vmtrace_rec_cpuid *r = vr->last_cpuid;
	u32 out[4] = { regs[VCPU_REGS_RAX], regs[VCPU_REGS_RBX],
		       regs[VCPU_REGS_RCX], regs[VCPU_REGS_RDX] };

	if (!vr->cpuid_pending)
		return;
	vr->cpuid_pending = false;
	if (!vmtrace_cpuid_mask(v->vcpu, s->vendor->hide_rand(), vr->cpuid_in[0],
				vr->cpuid_in[1], out))
		return;
	regs[VCPU_REGS_RAX] = out[0];
	regs[VCPU_REGS_RBX] = out[1];
	regs[VCPU_REGS_RCX] = out[2];
	regs[VCPU_REGS_RDX] = out[3];
	v->vcpu->arch.regs_dirty |= BIT(VCPU_REGS_RAX) | BIT(VCPU_REGS_RBX) |
				    BIT(VCPU_REGS_RCX) | BIT(VCPU_REGS_RDX);
	if (r && READ_ONCE(s->rec->active)) {
		r->hdr.flags |= VMTRACE_RECF_MASKED;
		r->eax = out[0];
		r->ebx = out[1];
		r->ecx = out[2];
		r->edx = out[3];
	}
}

/*
 * After KVM's RDPMC: record the value if the instruction completed (RIP
 * moved). One KVM refused did not move RIP and got #GP, which the
 * kvm_entry probe records as an exception at this point.
 */
static void vmtrace_rec_rdpmc_done(struct vmtrace_session *s,
				   struct vmtrace_vcpu *v)
{
	struct vmtrace_vcpu_rec *vr = v->rec;
	unsigned long *regs = v->vcpu->arch.regs;
	struct vmtrace_rec_rdpmc *r;

	if (!vr->rdpmc_pending)
		return;
	vr->rdpmc_pending = false;
	if (!READ_ONCE(s->rec->active) ||
	    s->vendor->rip(v->vcpu) == vr->rdpmc_rip)
		return;
	r = vmtrace_rec_append(vr, VMTRACE_REC_RDPMC, sizeof(*r), 0);
	if (!r)
		return;
	r->value = (u32)regs[VCPU_REGS_RAX] |
		   (u64)(u32)regs[VCPU_REGS_RDX] << 32;
	r->ecx = vr->rdpmc_ecx;
	r->pad = 0;
}

/**
 * vmtrace_rec_exit_done() - KVM handled an exit of a recorded vCPU
 * @s: its session.
 * @v: the vCPU.
 *
 * CPUID: hides from the results what recording cannot cover, in the
 * guest's registers and in the CPUID record. RDPMC: records the value KVM
 * returned, if the instruction completed. A wall-clock MSR write: records
 * what KVM wrote into guest memory.
 *
 * Context: as vmtrace_rec_exit(), after KVM's handle_exit.
 */
void vmtrace_rec_exit_done(struct vmtrace_session *s, struct vmtrace_vcpu *v)
{
	vmtrace_rec_cpuid_done(s, v);
	vmtrace_rec_rdpmc_done(s, v);
	vmtrace_rec_wall_clock(v);
}

/*
 * Is @v's vCPU free of vmtrace: no RDTSC exiting, interrupts not held
 * back? A vCPU outside guest mode is freed here where the vendor allows.
 */
static bool vmtrace_rec_released(struct vmtrace_session *s,
				 struct vmtrace_vcpu *v)
{
	bool done;

	spin_lock_irq(&v->icpt_lock);
	if (READ_ONCE(v->vcpu->mode) == OUTSIDE_GUEST_MODE) {
		vmtrace_block_irq(v->vcpu, &v->rec->blocked, false);
		if (v->exiting &&
		    s->vendor->clear_exiting_remote(v->vcpu))
			v->exiting = false;
	}
	done = !v->exiting && !v->rec->blocked;
	spin_unlock_irq(&v->icpt_lock);
	return done;
}

/**
 * vmtrace_rec_release() - turn RDTSC exiting off on every vCPU
 * @s: a recording session about to unhook from its VM.
 *
 * KVM has no handler for RDTSC exits, so none may happen once the exit
 * hook is gone. A vCPU outside guest mode is changed directly where the
 * vendor allows it; one in guest mode is kicked and changes at its next
 * entry.
 *
 * Context: process context, hooks still registered; may sleep.
 */
void vmtrace_rec_release(struct vmtrace_session *s)
{
	unsigned long i, deadline = jiffies + VMTRACE_RELEASE_TIMEOUT;
	struct vmtrace_vcpu *v;

	WRITE_ONCE(s->rec->release, true);
	/* No kvm_entry probe still uses the old value once this returns. */
	synchronize_rcu();
	xa_for_each(&s->vcpus, i, v) {
		while (v->rec && !vmtrace_rec_released(s, v)) {
			if (time_after(jiffies, deadline)) {
				pr_err("session %llu: vCPU %u did not return to KVM; RDTSC exits stay on\n",
				       s->id, v->idx);
				break;
			}
			kvm_vcpu_kick(v->vcpu);
			usleep_range(500, 1000);
		}
	}
	kvm_set_or_clear_apicv_inhibit(s->kvm, APICV_INHIBIT_REASON_BLOCKIRQ,
				       false);
}

/**
 * vmtrace_rec_prepare() - make a VM recordable
 * @s: a new recording session.
 *
 * APICv and AVIC deliver interrupts without KVM's injection path, which
 * the recorder must see: inhibit them for the recording.
 *
 * Context: process context.
 */
void vmtrace_rec_prepare(struct vmtrace_session *s)
{
	kvm_set_or_clear_apicv_inhibit(s->kvm, APICV_INHIBIT_REASON_BLOCKIRQ,
				       true);
}

/*
 * The value-carrying probes. kvm_msr is exported; the others are found by
 * name (kvm_tracepoints.c).
 */
static const struct {
	enum vmtrace_ktp id;
	void *probe;
} vmtrace_rec_probes[] = {
	{ VMTRACE_KTP_PIO,	vmtrace_probe_pio },
	{ VMTRACE_KTP_MMIO,	vmtrace_probe_mmio },
	{ VMTRACE_KTP_CPUID,	vmtrace_probe_cpuid },
};

/**
 * vmtrace_rec_probes_register() - attach the recording probes
 *
 * Context: process context, registry lock held.
 * Return: 0, -ENOENT if kvm.ko lacks one of the tracepoints, or the
 * registration's error.
 */
int vmtrace_rec_probes_register(void)
{
	struct tracepoint *tp;
	int i, ret;

	ret = tracepoint_probe_register(&__tracepoint_kvm_msr,
					vmtrace_probe_msr, NULL);
	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(vmtrace_rec_probes); i++) {
		tp = vmtrace_kvm_tracepoint(vmtrace_rec_probes[i].id);
		ret = tp ? tracepoint_probe_register(tp, vmtrace_rec_probes[i].probe,
						     NULL) : -ENOENT;
		if (ret)
			goto err_unregister;
	}
	return 0;

err_unregister:
	while (--i >= 0)
		tracepoint_probe_unregister(vmtrace_kvm_tracepoint(vmtrace_rec_probes[i].id),
					    vmtrace_rec_probes[i].probe, NULL);
	tracepoint_probe_unregister(&__tracepoint_kvm_msr, vmtrace_probe_msr,
				    NULL);
	return ret;
}

/**
 * vmtrace_rec_probes_unregister() - detach them
 *
 * The caller waits for running probes (tracepoint_synchronize_unregister).
 *
 * Context: process context, registry lock held.
 */
void vmtrace_rec_probes_unregister(void)
{
	struct tracepoint *tp;
	int i;

	for (i = 0; i < ARRAY_SIZE(vmtrace_rec_probes); i++) {
		tp = vmtrace_kvm_tracepoint(vmtrace_rec_probes[i].id);
		if (tp)
			tracepoint_probe_unregister(tp, vmtrace_rec_probes[i].probe,
						    NULL);
	}
	tracepoint_probe_unregister(&__tracepoint_kvm_msr, vmtrace_probe_msr,
				    NULL);
}
