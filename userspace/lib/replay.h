/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replaying a trace (vmtrace-ctl replay): loading it into memory
 * (replay-load.c: the checkpoint and vCPU 0's records split into KVM_RUN
 * batches, no system calls but the file's), building a KVM VM from the
 * checkpoint (replay-vm.c), running it under the module (replay-run.c)
 * and describing a divergence (replay-report.c).
 */
#ifndef _VMTRACE_REPLAY_H
#define _VMTRACE_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "trace.h"

#define REPLAY_MAX_IRQCHIP	4

/* A memslot of the checkpoint. */
struct replay_slot {
	uint32_t slot;
	uint32_t flags;		/* KVM_MEM_* */
	uint64_t gpa;
	uint64_t size;
	uint64_t pages;		/* CKPT_PAGE records the trace has for it */
	bool alias;		/* shares the memory of slots[alias_of] */
	unsigned int alias_of;	/* index in replay_ckpt.slots */
	uint64_t alias_offset;	/* where in that slot's memory it starts */
	uint8_t *hva;		/* replay-vm.c: where it is mapped */
};

/* A page of the checkpoint that is not all zero. */
struct replay_page {
	uint64_t gpa;
	unsigned int slot;	/* index in replay_ckpt.slots */
	const uint8_t *data;	/* VMTRACE_PAGE_SIZE bytes */
};

/* The checkpoint; every pointer is into replay_trace.ckpt_recs. */
struct replay_ckpt {
	uint64_t ordinal;	/* of the CKPT_STATE REGS record */
	/* vCPU pieces, and PIT2 and CLOCK of the VM; NULL: absent. */
	const struct vmtrace_rec_ckpt_state *state[VMTRACE_CKPT_NR];
	const struct vmtrace_rec_ckpt_state *irqchip[REPLAY_MAX_IRQCHIP];
	unsigned int nr_irqchip;
	struct replay_slot *slots;	/* in trace order */
	unsigned int nr_slots;
	struct replay_page *pages;
	uint64_t nr_pages;
};

/*
 * One KVM_RUN to replay (or part of one, when its records do not fit in a
 * VMTRACE_REPLAY_FEED: then every part but the last is @cont).
 */
struct replay_batch {
	uint64_t ordinal;	/* the VCPU_IN's: exit ordinal at the start */
	uint64_t stop_ordinal;	/* the VCPU_OUT's (or the part's last exit) */
	uint32_t exit_reason;	/* the VCPU_OUT's KVM_EXIT_* */
	bool open_end;		/* the recording ends in it: no VCPU_OUT */
	bool cont;		/* the KVM_RUN goes on in the next batch */
	size_t feed_off;	/* its records for VMTRACE_REPLAY_FEED, in feed */
	uint32_t feed_bytes;
	uint32_t nr_feed;
	size_t vmm_off;		/* its VMTRACE_RECF_VMM writes, in vmm */
	uint32_t vmm_bytes;
	uint32_t nr_vmm;
};

/* A trace, ready to replay. */
struct replay_trace {
	struct replay_ckpt ckpt;
	uint8_t *ckpt_recs;
	size_t ckpt_len;
	uint8_t *feed;		/* every batch's fed records, in order */
	size_t feed_len;
	uint8_t *vmm;		/* every batch's VMM writes, in order */
	size_t vmm_len;
	struct replay_batch *batches;
	size_t nr_batches;
	uint64_t nr_feed;	/* records in feed */
	uint64_t skipped;	/* records from before the checkpoint */
	uint64_t last_ordinal;	/* the recording's last exit of vCPU 0 */
	uint64_t duration_ns;	/* END's, 0 if unknown */
	uint32_t feed_max;	/* bytes per batch at most; 0: VMTRACE_REPLAY_MAX */
	unsigned int vcpus;
	bool pmu;		/* events placed by branch count: needs a PMU */
};

int replay_ckpt_parse(struct replay_ckpt *ck, const uint8_t *recs, size_t len,
		      char *err);
int replay_split(struct replay_trace *t, const uint8_t *stream, size_t len,
		 char *err);
int replay_load(struct replay_trace *t, const char *path, char *err);
void replay_trace_free(struct replay_trace *t);

/* What went wrong first, as the module (VMTRACE_REPLAY_STATUS) or the VMM saw it. */
struct replay_div {
	uint64_t ordinal;
	uint64_t rip;
	uint32_t kind;			/* VMTRACE_DIVERGE_*; NONE: found by the VMM */
	char why[160];			/* what happened, in words */
	uint32_t expected_type;		/* 0: nothing was expected */
	const struct vmtrace_rec *expected_rec;	/* that record, if known */
	uint32_t seen_type;		/* a VMTRACE_REC_*, or 0 and: */
	char seen[64];			/* what was seen, if not a record type */
	bool has_field;
	uint32_t field;			/* VMTRACE_FIELD_* */
	uint64_t expected;
	uint64_t seen_value;
	bool has_detail;
	uint64_t detail;		/* port, GPA, MSR, CPUID leaf */
	const struct vmtrace_rec *last_input;
};

const char *replay_exit_name(uint32_t reason);
int replay_rec_text(char *buf, size_t len, const struct vmtrace_rec *r);
const struct vmtrace_rec *replay_last_input(const struct replay_trace *t,
					    size_t feed_pos);
void replay_div_from_status(struct replay_div *d,
			    const struct vmtrace_replay_status *st,
			    const struct replay_trace *t,
			    const struct replay_batch *b);
void replay_div_print(FILE *out, const struct replay_div *d);
void replay_div_json(FILE *out, const struct replay_div *d);

/* The VM that replays (replay-vm.c). */
struct replay_vm {
	int kvm_fd;
	int vm_fd;
	int vcpu_fd;
	struct kvm_run *run;
	size_t run_size;
	bool irqchip;
	struct replay_slot *slots;	/* copies of the checkpoint's, mapped */
	unsigned int nr_slots;
	FILE *log;			/* warnings; NULL: none */
};

int replay_vm_build(struct replay_vm *vm, const struct replay_ckpt *ck,
		    FILE *log, char *err);
void replay_vm_free(struct replay_vm *vm);
uint8_t *replay_vm_hva(const struct replay_vm *vm, uint64_t gpa, uint64_t len);
uint64_t replay_mem_digest(const struct replay_slot *slots, unsigned int n);
int replay_vm_digest(const struct replay_vm *vm, uint64_t *regs, uint64_t *mem);

/* The run (replay-run.c). */
enum replay_verdict {
	REPLAY_IDENTICAL,
	REPLAY_UNTIL,		/* identical up to replay_opts.until */
	REPLAY_DIVERGED,
};

struct replay_result {
	enum replay_verdict verdict;
	uint64_t fed;		/* records given to VMTRACE_REPLAY_FEED */
	uint64_t consumed;	/* of them, consumed */
	uint64_t kvm_runs;
	uint64_t outputs;	/* OUT and MMIO write exits */
	uint64_t seeks;		/* asynchronous events whose point was found */
	uint64_t seek_stops;	/* breakpoint and single-step stops to find them */
	uint64_t ordinal;	/* the vCPU's last exit ordinal */
	uint64_t wall_ns;
	struct replay_div div;
};

struct replay_opts {
	uint64_t until;		/* VMTRACE_REPLAY_NO_STOP: to the end */
	/* Called after every KVM_RUN; may be NULL. */
	void (*progress)(void *ctx, const struct replay_result *r);
	/* The bytes the guest wrote to COM1's THR; may be NULL. */
	void (*console)(void *ctx, const void *p, size_t n);
	void *ctx;
};

int replay_run(struct replay_vm *vm, int session_fd, const struct replay_trace *t,
	       const struct replay_opts *o, struct replay_result *res, char *err);

/*
 * A KVM_RUN is checked every REPLAY_WATCHDOG_S seconds (the run loop's
 * SIGALRM): one that consumed nothing and passed no exit since the last
 * check is stuck (a guest waiting for something the replay does not
 * give it), not slow.
 */
#define REPLAY_WATCHDOG_S	10

/* Single steps the search for a point takes at most without a breakpoint. */
#define REPLAY_SEEK_STEPS	20000

/* How the search for an asynchronous event's point went (replay-seek.c). */
struct replay_seek {
	uint64_t runs;		/* KVM_RUNs */
	uint64_t stops;		/* breakpoint and single-step stops */
	uint64_t steps;		/* of them, single steps away from the RIP */
	uint32_t exit;		/* a KVM_RUN exit that was not a debug stop */
	bool stuck;		/* no breakpoint stop, and too many steps */
	bool passed;		/* the branch count went past the event's */
};

/* Where an event was delivered, as the search compares it. */
struct replay_seek_target {
	uint64_t rip, rcx, rflags;
	uint64_t digest;	/* of the 16 GPRs, as the module computes it */
	bool has_branches;	/* PMU mode: @branches must match too */
	uint64_t branches;
};

/* What the search sees of the vCPU at a stop. */
struct replay_seek_view {
	uint64_t rip, rcx, rflags, digest;
	uint64_t branches;	/* guest branches so far, if counted */
};

enum replay_seek_how {
	REPLAY_SEEK_BREAKPOINT,	/* run to a breakpoint on the RIP */
	REPLAY_SEEK_STEP,	/* one instruction */
};

/* The vCPU under the search: the replay VM's, or a model in the tests. */
struct replay_seek_ops {
	int (*view)(void *ctx, struct replay_seek_view *v);
	/*
	 * Run @how towards @rip, cut after @ms if not 0: 0 at a debug stop
	 * or a cut (*cut), 1 if the guest went elsewhere, -1 on an error.
	 */
	int (*run)(void *ctx, enum replay_seek_how how, uint64_t rip, unsigned int ms,
		   struct replay_seek *sk, bool *cut);
};

void replay_seek_target(struct replay_seek_target *t, const struct vmtrace_rec_event *e,
			bool pmu);
int replay_seek_find(const struct replay_seek_ops *ops, void *ctx,
		     const struct replay_seek_target *t, struct replay_seek *sk);
int replay_seek(struct replay_vm *vm, int session_fd, const struct vmtrace_rec_event *e,
		bool pmu, struct replay_seek *sk, char *err);

#endif /* _VMTRACE_REPLAY_H */
