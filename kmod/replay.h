/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replay: a vCPU takes its inputs from records the replay VMM feeds it
 * (replay.c) and every event is checked against them (rep_hooks.c).
 */
#ifndef _VMTRACE_REPLAY_H
#define _VMTRACE_REPLAY_H

#include <linux/srcu.h>
#include <linux/types.h>
#include <uapi/linux/vmtrace.h>

#include "exit_kinds.h"
#include "rep_pmu.h"

struct vmtrace_session;
struct vmtrace_vcpu;

/* Bytes of the kvmclock area (struct pvclock_vcpu_time_info). */
#define VMTRACE_REP_PVCLOCK	32

/**
 * struct vmtrace_vcpu_rep - replay state of one vCPU
 * @buf: the records of the current KVM_RUN, from VMTRACE_REPLAY_FEED.
 * @len: bytes in @buf.
 * @pos: offset of the next record to consume.
 * @consumed: records consumed since the feed.
 * @ordinal: the vCPU's exit ordinal, counted as recording did.
 * @stop: return to the VMM once @ordinal reaches this.
 * @last_sync: the last exit was synchronous.
 * @blocked: KVM_GUESTDBG_BLOCKIRQ is held on the vCPU.
 * @exiting: RDTSC exiting is on.
 * @cpuid_pending: a CPUID exit is being handled: @cpuid_in are its inputs.
 * @cpuid_in: EAX and ECX of that CPUID.
 * @rdpmc_pending: an RDPMC exit is being handled.
 * @hlt_pending: a HLT exit is being handled.
 * @exit_rip: guest RIP at the exit being handled.
 * @msr_pending: KVM read an MSR for the guest: it gets @msr_value.
 * @msr_value: the recorded value.
 * @pvclock_gpa: GPA of the kvmclock area the guest was last given.
 * @pvclock: what it was given.
 * @last_event: the last event checked, to let its re-injections pass.
 * @last_event_ordinal: the ordinal it was checked at.
 * @raised: 1 + the offset of the IRQ record whose vector was put in the
 *	in-kernel LAPIC's IRR, 0 if none.
 * @in_exit: an exit is being handled (between the exit hook and its end).
 * @pio_pending: an IN KVM answered inside this exit gets @pio_value.
 * @pio_size: its size in bytes.
 * @pio_value: the recorded bytes.
 * @feed_flags: VMTRACE_FEED_* of the last feed.
 * @pause: KVM_RUN is to return for the VMM to find the point of the
 *	asynchronous event due (VMTRACE_PENDING_POINT).
 * @pmu: the branch counter, in PMU mode.
 * @status: the divergence, once there is one (@status.diverged).
 */
struct vmtrace_vcpu_rep {
	u8 *buf;
	u32 len;
	u32 pos;
	u32 consumed;
	u64 ordinal;
	u64 stop;
	bool last_sync;
	bool blocked;
	bool exiting;
	bool cpuid_pending;
	u32 cpuid_in[2];
	bool rdpmc_pending;
	bool hlt_pending;
	u64 exit_rip;
	bool msr_pending;
	u64 msr_value;
	u64 pvclock_gpa;
	u8 pvclock[VMTRACE_REP_PVCLOCK];
	struct vmtrace_rec_event last_event;
	u64 last_event_ordinal;
	u32 raised;
	bool in_exit;
	bool pio_pending;
	u32 pio_size;
	u64 pio_value;
	u64 feed_flags;
	bool pause;
	struct vmtrace_rep_pmu pmu;
	struct vmtrace_replay_status status;
};

/**
 * struct vmtrace_replayer - the replay side of a session
 * @srcu: readers are the vCPU threads in the hooks, which may sleep.
 * @release: the session detaches: exits and blocks go off.
 * @pmu: PMU mode (VMTRACE_ATTACH_PMU): events placed by branch count.
 */
struct vmtrace_replayer {
	struct srcu_struct srcu;
	bool release;
	bool pmu;
};

int vmtrace_replay_create(struct vmtrace_session *s, u64 flags);
void vmtrace_replay_release(struct vmtrace_session *s);
void vmtrace_replay_destroy(struct vmtrace_session *s);
int vmtrace_replay_vcpu_add(struct vmtrace_session *s, struct vmtrace_vcpu *v);
void vmtrace_replay_vcpu_free(struct vmtrace_vcpu *v);
long vmtrace_replay_ioctl(struct vmtrace_session *s, unsigned int cmd,
			  unsigned long arg);

/* rep_hooks.c */
bool vmtrace_rep_exit(struct vmtrace_session *s, struct vmtrace_vcpu *v,
		      enum vmtrace_exit_kind kind, int *ret);
void vmtrace_rep_exit_done(struct vmtrace_session *s, struct vmtrace_vcpu *v);
void vmtrace_rep_entry(struct vmtrace_session *s, struct vmtrace_vcpu *v);
void vmtrace_rep_run_done(struct vmtrace_session *s, struct vmtrace_vcpu *v,
			  int ret);
void vmtrace_rep_gate(struct vmtrace_session *s, struct vmtrace_vcpu *v);
bool vmtrace_rep_pausing(struct vmtrace_vcpu *v);
int vmtrace_rep_probes_register(void);
void vmtrace_rep_probes_unregister(void);
int vmtrace_rep_timer_register(void);
void vmtrace_rep_timer_unregister(void);

#endif /* _VMTRACE_REPLAY_H */
