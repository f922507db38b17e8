/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Recording: per-vCPU record buffers and the session's chunk channel.
 */
#ifndef _VMTRACE_RECORD_H
#define _VMTRACE_RECORD_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/srcu.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <uapi/linux/vmtrace.h>

#include "pgwalk.h"
#include "pmu.h"

struct vmtrace_session;
struct vmtrace_vcpu;
struct vmtrace_record_info;
struct rchan;

/* Bytes of records in one buffer, i.e. in one chunk before compression. */
#define VMTRACE_BUF_SIZE	(32 * 1024)
/*
 * Room a buffer keeps for the records appended between two points where
 * the vCPU may sleep (the exit hook): at most one string IN of a page,
 * one MMIO read per fragment, an injected event and a CPUID.
 */
#define VMTRACE_BUF_MARGIN	(8 * 1024)
/* Bytes of the kvmclock area (struct pvclock_vcpu_time_info). */
#define VMTRACE_PVCLOCK_SIZE	32
/* Buffers per vCPU: one filling, the others queued or compressing. */
#define VMTRACE_BUFS_PER_VCPU	4

/**
 * struct vmtrace_buf - a buffer of records, closed into one chunk
 * @node: in the vCPU's free list or the recorder's queue.
 * @vr: the vCPU recorder owning it.
 * @type: VMTRACE_CHUNK_RECORDS, VMTRACE_CHUNK_CHECKPOINT or
 *	VMTRACE_CHUNK_END.
 * @seq: the chunk's global marker, given when the buffer is queued.
 * @used: bytes of records in @data.
 * @nr_records: records in @data, counted when the chunk is built.
 * @first_ordinal: ordinal of the first record (END: of the last exit).
 * @last_ordinal: ordinal of the last record (END: of the last exit).
 * @data: the records.
 */
struct vmtrace_buf {
	struct list_head node;
	struct vmtrace_vcpu_rec *vr;
	u16 type;
	u64 seq;
	u32 used;
	u32 nr_records;
	u64 first_ordinal;
	u64 last_ordinal;
	u8 data[VMTRACE_BUF_SIZE];
};

/**
 * struct vmtrace_vcpu_rec - recording state of one vCPU
 * @rec: the session's recorder.
 * @vcpu_idx: the vCPU's index, named in its chunks.
 * @cur: buffer being filled; only the vCPU thread touches it.
 * @end: the END chunk, allocated up front so that stopping never waits.
 * @ordinal: exits of this vCPU since recording began.
 * @records: records appended, by type; written by the vCPU thread.
 * @waits: times the vCPU waited for a free buffer.
 * @lock: protects @free.
 * @free: free buffers.
 * @wq: woken when a buffer is freed.
 * @cpuid_in: EAX and ECX of a CPUID exit being handled.
 * @cpuid_pending: KVM is handling a CPUID exit.
 * @last_cpuid: the record the kvm_cpuid probe wrote for it.
 * @rdpmc_pending: KVM is handling an RDPMC exit.
 * @rdpmc_ecx: the guest's ECX at that exit.
 * @rdpmc_rip: the guest's RIP at that exit: RDPMC completed if it moved.
 * @pmu: PMU mode: the guest-only retired branch counter of the vCPU thread.
 * @pmu_task: the thread it counts (a reference held), NULL if none yet.
 * @branches: PMU mode: the count at the last exit, from the checkpoint
 *	on; unchanged until the next entry, since the counter counts in
 *	guest mode only.
 * @branches_base: PMU mode: the counter's value at the checkpoint (it
 *	counts from attach, and an attached vCPU may run before it).
 * @blocked: vmtrace holds KVM_GUESTDBG_BLOCKIRQ on the vCPU.
 * @blocked_at: since when (ktime ns).
 * @async_ok: the guest spun without exits for too long: events may be
 *	delivered after this asynchronous exit (recorded VMTRACE_RECF_ASYNC).
 * @after_async: the last exit was asynchronous.
 * @pvclock_gpa: GPA of the kvmclock area last recorded.
 * @pvclock: its content as last recorded: what the guest sees.
 * @pvclock_held: KVM updated the area after an asynchronous exit; the
 *	guest keeps @pvclock until the entry after the next synchronous exit.
 * @pvclock_next: KVM's update, held back.
 * @wall_clock_pending: KVM wrote the wall clock while handling this exit.
 * @wall_clock_gpa: where.
 * @last_event: the last event recorded, to skip its re-injections.
 * @last_event_ordinal: the ordinal it was recorded at.
 * @overflow: a record did not fit: the recording is broken.
 * @ended: the END chunk was queued.
 * @npf_exit: a nested page fault exit is being handled.
 * @npf_hva: the VMM address of the RAM page KVM faults in for the guest.
 * @npf_pending: @npf_hva is set: the fault is on RAM.
 * @npf_state: VMTRACE_PG_* state of its VMM mapping before KVM handled it.
 * @ckpt_done: the vCPU's state is in the checkpoint (checkpoint.c).
 * @extint: the ExtINT vector the VMM queued (KVM_INTERRUPT with a split
 *	irqchip) when this KVM_RUN started, -1 if none.
 */
struct vmtrace_vcpu_rec {
	struct vmtrace_recorder *rec;
	u32 vcpu_idx;
	struct vmtrace_buf *cur;
	struct vmtrace_buf *end;
	u64 ordinal;
	u64 records[VMTRACE_REC_NR];
	u64 waits;
	spinlock_t lock;	/* see the kernel-doc above */
	struct list_head free;
	wait_queue_head_t wq;
	struct vmtrace_pmu pmu;
	struct task_struct *pmu_task;
	u64 branches;
	u64 branches_base;
	u32 cpuid_in[2];
	bool cpuid_pending;
	struct vmtrace_rec_cpuid *last_cpuid;
	bool rdpmc_pending;
	u32 rdpmc_ecx;
	u64 rdpmc_rip;
	bool blocked;
	u64 blocked_at;
	bool async_ok;
	bool after_async;
	u64 pvclock_gpa;
	u8 pvclock[VMTRACE_PVCLOCK_SIZE];
	bool pvclock_held;
	u8 pvclock_next[VMTRACE_PVCLOCK_SIZE];
	bool wall_clock_pending;
	u64 wall_clock_gpa;
	struct vmtrace_rec_event last_event;
	u64 last_event_ordinal;
	bool overflow;
	bool ended;
	bool npf_exit;
	unsigned long npf_hva;
	bool npf_pending;
	unsigned int npf_state;
	bool ckpt_done;
	int extint;
};

/**
 * struct vmtrace_recorder - the recording of one session
 * @session: the session.
 * @digest_exits: a digest at every synchronous exit
 *	(VMTRACE_ATTACH_DIGEST_EXITS).
 * @mode: VMTRACE_MODE_EXIT_ORDINAL or VMTRACE_MODE_PMU, fixed at start.
 * @active: records are being appended; cleared by stop.
 * @release: RDTSC exiting must go off (detach is under way).
 * @srcu: readers are vCPU threads in the exit hook, which may sleep.
 * @chan: relay channel, one global buffer: debugfs <session>/chunks0.
 * @lock: protects @queue and @seq.
 * @queue: closed buffers waiting for compression, in close order.
 * @seq: marker of the next chunk closed.
 * @work: compresses @queue into the channel, in order.
 * @wq: ordered workqueue running @work.
 * @zstd_ws: zstd workspace.
 * @zstd_cctx: zstd context in @zstd_ws.
 * @out: a chunk being assembled: header, payload, padding.
 * @out_size: bytes of @out.
 * @chunks: chunks written to the channel.
 * @bytes: bytes written to the channel.
 * @bytes_raw: record bytes before compression.
 * @vcpus_ended: END chunks written to the channel.
 * @error: first error of the channel side, 0 if none.
 * @emit_lock: serializes writing to the channel with a resume.
 * @kept: copies of the chunks written last, oldest first, for a new
 *	owner to get again what its killed predecessor read but did not
 *	save.
 * @kept_bytes: bytes in @kept.
 * @next_emit: seq of the next chunk the channel gets.
 * @resend_from: a resume asked for the kept chunks from this seq on.
 * @resend: a resume is pending.
 * @resume_wait: resumes waiting for @emit_lock: a write waiting for room
 *	in the channel gives up for them.
 * @sched_seq: the next VCPU_IN/VCPU_OUT marker.
 * @mem_lock: serializes the scans of guest RAM for VMM writes.
 * @mem_baseline: the first scan, which only clears, is done.
 * @mem_dirty: the scan's bitmap of written pages, @mem_dirty_bits long.
 * @mem_dirty_bits: pages @mem_dirty has room for.
 * @mem_leaves: the huge pages the scan cleared.
 * @ckpt_lock: serializes the vCPUs' checkpoints.
 * @ckpt_vm: the VM's part of the checkpoint is saved.
 * @ckpt_error: the first checkpoint that failed, 0 if none.
 */
struct vmtrace_recorder {
	struct vmtrace_session *session;
	bool digest_exits;
	u32 mode;
	bool active;
	bool release;
	struct srcu_struct srcu;
	struct rchan *chan;
	spinlock_t lock;	/* see the kernel-doc above */
	struct list_head queue;
	u64 seq;
	struct work_struct work;
	struct workqueue_struct *wq;
	void *zstd_ws;
	void *zstd_cctx;
	u8 *out;
	size_t out_size;
	u64 chunks;
	u64 bytes;
	u64 bytes_raw;
	u32 vcpus_ended;
	int error;
	struct mutex emit_lock;	/* see the kernel-doc above */
	struct list_head kept;
	size_t kept_bytes;
	u64 next_emit;
	u64 resend_from;
	bool resend;
	atomic_t resume_wait;
	atomic64_t sched_seq;
	struct mutex mem_lock;	/* see the kernel-doc above */
	bool mem_baseline;
	unsigned long *mem_dirty;
	unsigned long mem_dirty_bits;
	struct vmtrace_pgleaves mem_leaves;
	struct mutex ckpt_lock;	/* see the kernel-doc above */
	bool ckpt_vm;
	int ckpt_error;
};

int vmtrace_record_create(struct vmtrace_session *s, u64 flags);
void vmtrace_record_start(struct vmtrace_session *s);
void vmtrace_record_stop(struct vmtrace_session *s);
int vmtrace_record_resume(struct vmtrace_session *s, u64 next_seq);
void vmtrace_record_destroy(struct vmtrace_session *s);
void vmtrace_record_info(struct vmtrace_session *s,
			 struct vmtrace_record_info *info);
const char *vmtrace_rec_name(unsigned int type);
int vmtrace_record_vcpu_add(struct vmtrace_session *s, struct vmtrace_vcpu *v);

void vmtrace_recbuf_queue(struct vmtrace_recorder *rec, struct vmtrace_buf *b);
void vmtrace_recbuf_put(struct vmtrace_buf *b);
void vmtrace_recbuf_make_room(struct vmtrace_vcpu_rec *vr);
void vmtrace_recbuf_next(struct vmtrace_vcpu_rec *vr, u16 type);
void vmtrace_recbuf_end(struct vmtrace_vcpu_rec *vr);
struct vmtrace_vcpu_rec *vmtrace_recbuf_vcpu_new(struct vmtrace_recorder *rec,
						 u32 vcpu_idx);
void vmtrace_recbuf_vcpu_free(struct vmtrace_vcpu_rec *vr);

/**
 * vmtrace_recbuf_full() - will vmtrace_recbuf_make_room() close the buffer?
 * @vr: the vCPU's recorder.
 *
 * Context: the vCPU's thread.
 * Return: true if the buffer is past its margin (or there is none).
 */
static inline bool vmtrace_recbuf_full(struct vmtrace_vcpu_rec *vr)
{
	return !vr->cur || vr->cur->used > VMTRACE_BUF_SIZE - VMTRACE_BUF_MARGIN;
}

/**
 * vmtrace_rec_append() - reserve a record in the vCPU's buffer
 * @vr: the vCPU's recorder.
 * @type: VMTRACE_REC_*.
 * @size: bytes of the record, header included; rounded up to 8.
 * @flags: VMTRACE_RECF_* bits.
 *
 * The fast path: a bounds check and a few stores. The caller fills the
 * payload, every byte of it up to the rounded size.
 *
 * Context: the vCPU's thread, any context (probes run with IRQs off).
 * Return: the record, or NULL if it does not fit (the recording is then
 * marked overflowed, which fails it loudly) or if the vCPU has no buffer
 * (the recording stopped, or its VMM is being killed).
 */
static inline void *vmtrace_rec_append(struct vmtrace_vcpu_rec *vr, u16 type,
				       u32 size, u32 flags)
{
	struct vmtrace_buf *b = vr->cur;
	struct vmtrace_rec *r;

	size = ALIGN(size, 8);
	if (unlikely(!b))	/* stopped, or the VMM is being killed */
		return NULL;
	if (unlikely(b->used + size > VMTRACE_BUF_SIZE)) {
		vr->overflow = true;
		return NULL;
	}
	r = (struct vmtrace_rec *)(b->data + b->used);
	r->type = type;
	r->size = size;
	r->flags = flags;
	r->ordinal = vr->ordinal;
	b->used += size;
	vr->records[type]++;
	return r;
}

#endif /* _VMTRACE_RECORD_H */
