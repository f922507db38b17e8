// SPDX-License-Identifier: GPL-2.0
/*
 * KVM's writes of the guest's clocks into guest memory, as recording sees
 * them:
 *
 *  - kvmclock (MSR_KVM_SYSTEM_TIME_NEW): KVM rewrites the area just before
 *    an entry whenever it recomputes the clock; recorded at kvm_entry when
 *    it changed. An update after an asynchronous exit (KVM's delayed
 *    global update kicks the vCPU 100 ms after the guest turns kvmclock
 *    on; a preemption can move the vCPU thread) is held back, the guest
 *    still seeing the last recorded content, until the entry after the
 *    next synchronous exit: every update is then seen at an exit ordinal.
 *  - The wall clock (MSR_KVM_WALL_CLOCK_NEW, MSR_KVM_WALL_CLOCK): KVM
 *    writes the host's time of day at the GPA the guest gives, while it
 *    handles the WRMSR; recorded after that exit, flag VMTRACE_RECF_IN_EXIT.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kvm_host.h>
#include <asm/kvm_para.h>
#include <asm/pvclock-abi.h>

#include "rec_clock.h"
#include "record.h"
#include "session.h"

/* A MEM_WRITE record of @len bytes KVM wrote at @gpa. */
static void vmtrace_rec_kvm_write(struct vmtrace_vcpu_rec *vr, u64 gpa,
				  const void *data, u32 len, u32 flags)
{
	struct vmtrace_rec_mem *r;

	r = vmtrace_rec_append(vr, VMTRACE_REC_MEM_WRITE, sizeof(*r) + len, flags);
	if (!r)
		return;
	r->gpa = gpa;
	r->len = len;
	r->pad = 0;
	memcpy(r->data, data, len);
	memset(r->data + len, 0, r->hdr.size - sizeof(*r) - len);
}

/*
 * What the guest is to see in its kvmclock area at this entry, in @now;
 * true if that is a change to record. An update KVM makes after an
 * asynchronous exit (a host interrupt, a preemption that moved the vCPU
 * thread) is held back until the entry after the next synchronous exit,
 * so that every update is seen at an exit ordinal. Under gpc->lock.
 */
static bool vmtrace_rec_pvclock_now(struct vmtrace_vcpu_rec *vr, u8 *khva,
				    u64 gpa, u8 *now)
{
	memcpy(now, khva, VMTRACE_PVCLOCK_SIZE);
	if (gpa != vr->pvclock_gpa) {
		/* Moved by the guest's WRMSR, a synchronous exit: seen now. */
		vr->pvclock_held = false;
		return true;
	}
	if (memcmp(now, vr->pvclock, VMTRACE_PVCLOCK_SIZE)) {
		memcpy(vr->pvclock_next, now, VMTRACE_PVCLOCK_SIZE);
		vr->pvclock_held = true;
	}
	if (!vr->pvclock_held)
		return false;
	if (vr->after_async) {
		memcpy(khva, vr->pvclock, VMTRACE_PVCLOCK_SIZE);
		return false;
	}
	memcpy(now, vr->pvclock_next, VMTRACE_PVCLOCK_SIZE);
	memcpy(khva, now, VMTRACE_PVCLOCK_SIZE);
	vr->pvclock_held = false;
	return true;
}

/**
 * vmtrace_rec_pvclock() - record the kvmclock area where the guest sees it change
 * @v: a recorded vCPU about to enter the guest.
 *
 * Context: the kvm_entry probe: IRQs off, vCPU loaded, RCU read side.
 */
void vmtrace_rec_pvclock(struct vmtrace_vcpu *v)
{
	struct gfn_to_pfn_cache *gpc = &v->vcpu->arch.pv_time;
	struct vmtrace_vcpu_rec *vr = v->rec;
	u8 now[VMTRACE_PVCLOCK_SIZE];
	unsigned long flags;
	bool changed = false;
	u64 gpa = 0;

	if (!READ_ONCE(gpc->active))
		return;
	read_lock_irqsave(&gpc->lock, flags);
	if (gpc->valid && gpc->khva) {
		gpa = gpc->gpa;
		changed = vmtrace_rec_pvclock_now(vr, gpc->khva, gpa, now);
	}
	read_unlock_irqrestore(&gpc->lock, flags);
	if (!changed)
		return;
	vmtrace_rec_kvm_write(vr, gpa, now, sizeof(now), 0);
	vr->pvclock_gpa = gpa;
	memcpy(vr->pvclock, now, sizeof(now));
}

/**
 * vmtrace_rec_unhold() - give the guest the kvmclock update held back
 * @v: a vCPU whose recording stopped.
 *
 * KVM writes the area afresh at the vCPU's next entry.
 *
 * Context: process context, no recording probe running for @v.
 */
void vmtrace_rec_unhold(struct vmtrace_vcpu *v)
{
	if (!v->rec->pvclock_held)
		return;
	v->rec->pvclock_held = false;
	kvm_make_request(KVM_REQ_CLOCK_UPDATE, v->vcpu);
	kvm_vcpu_kick(v->vcpu);
}

/**
 * vmtrace_rec_wall_clock_msr() - the guest wrote an MSR
 * @vr: its recorder.
 * @msr: the MSR.
 * @gpa: the value written: for the wall-clock MSRs, where KVM wrote it.
 *
 * Context: the kvm_msr probe, after KVM handled the write; RCU read side.
 */
void vmtrace_rec_wall_clock_msr(struct vmtrace_vcpu_rec *vr, u32 msr, u64 gpa)
{
	if (msr != MSR_KVM_WALL_CLOCK_NEW && msr != MSR_KVM_WALL_CLOCK)
		return;
	vr->wall_clock_gpa = gpa;
	vr->wall_clock_pending = true;
}

/**
 * vmtrace_rec_wall_clock() - record the wall clock KVM wrote in this exit
 * @v: a recorded vCPU.
 *
 * Context: after KVM's handle_exit: preemptible, vCPU loaded, kvm->srcu
 * held.
 */
void vmtrace_rec_wall_clock(struct vmtrace_vcpu *v)
{
	struct vmtrace_vcpu_rec *vr = v->rec;
	struct pvclock_wall_clock wc;

	if (!vr->wall_clock_pending)
		return;
	vr->wall_clock_pending = false;
	if (kvm_read_guest(v->vcpu->kvm, vr->wall_clock_gpa, &wc, sizeof(wc)))
		return;		/* not RAM: KVM could not write it either */
	vmtrace_rec_kvm_write(vr, vr->wall_clock_gpa, &wc, sizeof(wc),
			      VMTRACE_RECF_IN_EXIT);
}
