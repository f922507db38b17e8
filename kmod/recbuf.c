// SPDX-License-Identifier: GPL-2.0
/*
 * Per-vCPU record buffers.
 *
 * Each vCPU owns VMTRACE_BUFS_PER_VCPU buffers. Its thread appends to the
 * current one without locks (record.h). In the exit hook, where it may
 * sleep, a buffer filled beyond its margin is closed and queued to the
 * recorder's worker, and the thread takes a free buffer, waiting for the
 * worker to return one if none is free: backpressure, never loss.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/sched.h>
#include <linux/stddef.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "rec_pmu.h"
#include "record.h"

static void vmtrace_buf_reset(struct vmtrace_buf *b, u16 type)
{
	b->type = type;
	b->used = 0;
	b->nr_records = 0;
	b->first_ordinal = 0;
	b->last_ordinal = 0;
}

/**
 * vmtrace_recbuf_put() - give a buffer back to its vCPU
 * @b: a buffer the worker is done with.
 *
 * Context: any context.
 */
void vmtrace_recbuf_put(struct vmtrace_buf *b)
{
	struct vmtrace_vcpu_rec *vr = b->vr;
	unsigned long flags;

	spin_lock_irqsave(&vr->lock, flags);
	list_add_tail(&b->node, &vr->free);
	spin_unlock_irqrestore(&vr->lock, flags);
	wake_up(&vr->wq);
}

static struct vmtrace_buf *vmtrace_buf_get(struct vmtrace_vcpu_rec *vr)
{
	struct vmtrace_buf *b;
	unsigned long flags;

	spin_lock_irqsave(&vr->lock, flags);
	b = list_first_entry_or_null(&vr->free, struct vmtrace_buf, node);
	if (b)
		list_del(&b->node);
	spin_unlock_irqrestore(&vr->lock, flags);
	return b;
}

/*
 * Wait for a free buffer, counted as a wait if there was none at once.
 * NULL if the recording stopped meanwhile, or if the VMM is being killed:
 * its VM ends there, and so does the recording.
 */
static struct vmtrace_buf *vmtrace_buf_get_wait(struct vmtrace_vcpu_rec *vr)
{
	struct vmtrace_buf *b = vmtrace_buf_get(vr);
	int ret;

	if (b)
		return b;
	vr->waits++;
	ret = wait_event_killable(vr->wq, (b = vmtrace_buf_get(vr)) ||
				  !READ_ONCE(vr->rec->active));
	return ret ? NULL : b;
}

/**
 * vmtrace_recbuf_make_room() - close the buffer if it is nearly full
 * @vr: the vCPU's recorder.
 *
 * Context: the vCPU's thread in the exit hook; may sleep until the worker
 * frees a buffer.
 */
void vmtrace_recbuf_make_room(struct vmtrace_vcpu_rec *vr)
{
	struct vmtrace_buf *b = vr->cur;

	if (likely(b && b->used <= VMTRACE_BUF_SIZE - VMTRACE_BUF_MARGIN))
		return;
	vmtrace_recbuf_next(vr, b ? b->type : VMTRACE_CHUNK_RECORDS);
}

/**
 * vmtrace_recbuf_next() - close the buffer and continue in a new one
 * @vr: the vCPU's recorder.
 * @type: chunk type of the new buffer: VMTRACE_CHUNK_RECORDS or
 *	VMTRACE_CHUNK_CHECKPOINT.
 *
 * An empty buffer is not closed, only given the new type.
 *
 * Context: the vCPU's thread where it may sleep, as make_room.
 */
void vmtrace_recbuf_next(struct vmtrace_vcpu_rec *vr, u16 type)
{
	struct vmtrace_buf *b = vr->cur;

	if (b && !b->used) {
		b->type = type;
		return;
	}
	if (b)
		vmtrace_recbuf_queue(vr->rec, b);
	b = vmtrace_buf_get_wait(vr);
	if (b)
		vmtrace_buf_reset(b, type);
	vr->cur = b;
}

/**
 * vmtrace_recbuf_end() - close the vCPU's records and queue its END chunk
 * @vr: the vCPU's recorder; no vCPU thread appends any more.
 *
 * Context: process context, may sleep.
 */
void vmtrace_recbuf_end(struct vmtrace_vcpu_rec *vr)
{
	struct vmtrace_buf *b = vr->cur;

	if (vr->ended)
		return;
	vr->cur = NULL;
	if (b && b->used)
		vmtrace_recbuf_queue(vr->rec, b);
	else if (b)
		vmtrace_recbuf_put(b);
	b = vr->end;
	vmtrace_buf_reset(b, VMTRACE_CHUNK_END);
	b->first_ordinal = vr->ordinal;
	b->last_ordinal = vr->ordinal;
	vmtrace_recbuf_queue(vr->rec, b);
	vr->ended = true;
}

/**
 * vmtrace_recbuf_vcpu_new() - recording state and buffers of a vCPU
 * @rec: the session's recorder.
 * @vcpu_idx: the vCPU.
 *
 * Context: process context.
 * Return: the state with a current buffer, or NULL without memory.
 */
struct vmtrace_vcpu_rec *vmtrace_recbuf_vcpu_new(struct vmtrace_recorder *rec,
						 u32 vcpu_idx)
{
	struct vmtrace_vcpu_rec *vr = kzalloc(sizeof(*vr), GFP_KERNEL);
	struct vmtrace_buf *b;
	int i;

	if (!vr)
		return NULL;
	vr->rec = rec;
	vr->vcpu_idx = vcpu_idx;
	vr->extint = -1;
	spin_lock_init(&vr->lock);
	INIT_LIST_HEAD(&vr->free);
	init_waitqueue_head(&vr->wq);
	/* The END chunk has no records: its buffer needs no data. */
	vr->end = kzalloc(offsetof(struct vmtrace_buf, data), GFP_KERNEL);
	if (!vr->end)
		goto err_free;
	vr->end->vr = vr;
	for (i = 0; i < VMTRACE_BUFS_PER_VCPU; i++) {
		b = vzalloc(sizeof(*b));
		if (!b)
			goto err_free;
		b->vr = vr;
		list_add_tail(&b->node, &vr->free);
	}
	vr->cur = vmtrace_buf_get(vr);
	vmtrace_buf_reset(vr->cur, VMTRACE_CHUNK_RECORDS);
	return vr;

err_free:
	vmtrace_recbuf_vcpu_free(vr);
	return NULL;
}

/**
 * vmtrace_recbuf_vcpu_free() - free a vCPU's recording state
 * @vr: the state; all its buffers are back (the worker is flushed).
 *
 * Context: process context.
 */
void vmtrace_recbuf_vcpu_free(struct vmtrace_vcpu_rec *vr)
{
	struct vmtrace_buf *b, *tmp;

	vmtrace_rec_pmu_free(vr);
	if (vr->cur)
		list_add(&vr->cur->node, &vr->free);
	list_for_each_entry_safe(b, tmp, &vr->free, node) {
		list_del(&b->node);
		vfree(b);
	}
	kfree(vr->end);
	kfree(vr);
}
