// SPDX-License-Identifier: GPL-2.0
/*
 * The recorder of a session: turns closed record buffers into chunks and
 * writes them to the session's relay channel.
 *
 * Buffers are queued in the order vCPUs close them, which gives each
 * chunk its global marker (seq). One ordered worker compresses them with
 * the kernel's zstd, off the vCPU's path, checksums them with CRC32C and
 * writes them to a relay channel with a single global buffer, debugfs
 * <session>/chunks0, which vmtraced reads. A full channel makes the
 * worker wait, which leaves the vCPU without free buffers, which makes it
 * wait in turn: nothing is dropped.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/crc32.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/kvm_host.h>
#include <linux/relay.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/zstd.h>

#include "rec_clock.h"
#include "rec_pmu.h"
#include "record.h"
#include "session.h"

#define VMTRACE_CHAN_SUBBUF	(256 * 1024)
#define VMTRACE_CHAN_SUBBUFS	8
#define VMTRACE_ZSTD_LEVEL	3
/*
 * Chunks kept after they went into the channel: the channel's size plus
 * what vmtraced may hold unsaved (it reads at most 256 KiB at a time).
 */
#define VMTRACE_KEEP_BYTES	(VMTRACE_CHAN_SUBBUF * VMTRACE_CHAN_SUBBUFS + \
				 512 * 1024)

/**
 * struct vmtrace_kept - a copy of a chunk written to the channel
 * @node: in &vmtrace_recorder.kept.
 * @seq: the chunk's seq.
 * @size: bytes of @data.
 * @data: the chunk.
 */
struct vmtrace_kept {
	struct list_head node;
	u64 seq;
	size_t size;
	u8 data[];
};

static struct dentry *vmtrace_chan_create(const char *name,
					  struct dentry *parent, umode_t mode,
					  struct rchan_buf *buf, int *is_global)
{
	*is_global = 1;
	return debugfs_create_file(name, 0400, parent, buf,
				   &relay_file_operations);
}

static int vmtrace_chan_remove(struct dentry *dentry)
{
	debugfs_remove(dentry);
	return 0;
}

static const struct rchan_callbacks vmtrace_chan_cb = {
	.create_buf_file	= vmtrace_chan_create,
	.remove_buf_file	= vmtrace_chan_remove,
};

/* Would writing @len bytes now succeed, rather than be dropped by relay? */
static bool vmtrace_chan_room(struct rchan *chan, size_t len)
{
	struct rchan_buf *buf = *per_cpu_ptr(chan->buf, 0);

	if (buf->offset + len <= chan->subbuf_size)
		return true;
	return buf->subbufs_produced + 1 - buf->subbufs_consumed <
	       chan->n_subbufs;
}

/* Compress @b behind the chunk header in rec->out; return payload bytes. */
static size_t vmtrace_chunk_payload(struct vmtrace_recorder *rec,
				    struct vmtrace_buf *b, u32 *flags)
{
	u8 *payload = rec->out + sizeof(struct vmtrace_chunk);
	size_t room = rec->out_size - sizeof(struct vmtrace_chunk) - 8;
	zstd_parameters params;
	size_t n;

	*flags = 0;
	if (!b->used)
		return 0;
	params = zstd_get_params(VMTRACE_ZSTD_LEVEL, VMTRACE_BUF_SIZE);
	n = zstd_compress_cctx(rec->zstd_cctx, payload, room, b->data, b->used,
			       &params);
	if (!zstd_is_error(n) && n < b->used) {
		*flags = VMTRACE_CHUNK_ZSTD;
		return n;
	}
	memcpy(payload, b->data, b->used);
	return b->used;
}

/*
 * Count the records of @b and find their first and last ordinals: off
 * the vCPU's path, which only appends.
 */
static void vmtrace_buf_scan(struct vmtrace_buf *b)
{
	struct vmtrace_rec *r;
	u32 off;

	if (b->type == VMTRACE_CHUNK_END)
		return;
	b->nr_records = 0;
	for (off = 0; off < b->used; off += r->size) {
		r = (struct vmtrace_rec *)(b->data + off);
		if (!b->nr_records++)
			b->first_ordinal = r->ordinal;
		b->last_ordinal = r->ordinal;
	}
}

/* Build the chunk of @b in rec->out; return its size. */
static size_t vmtrace_chunk_build(struct vmtrace_recorder *rec,
				  struct vmtrace_buf *b, u64 seq)
{
	struct vmtrace_chunk *c = (struct vmtrace_chunk *)rec->out;
	u32 flags, crc;
	size_t n, size;

	vmtrace_buf_scan(b);
	n = vmtrace_chunk_payload(rec, b, &flags);
	size = ALIGN(sizeof(*c) + n, 8);

	memset(rec->out + sizeof(*c) + n, 0, size - sizeof(*c) - n);
	*c = (struct vmtrace_chunk) {
		.magic		= VMTRACE_CHUNK_MAGIC,
		.version	= VMTRACE_CHUNK_VERSION,
		.type		= b->type,
		.size		= size,
		.vcpu		= b->vr->vcpu_idx,
		.seq		= seq,
		.first_ordinal	= b->first_ordinal,
		.last_ordinal	= b->last_ordinal,
		.nr_records	= b->nr_records,
		.flags		= flags,
		.raw_size	= b->used,
		.payload_size	= n,
	};
	crc = __crc32c_le(~0U, (u8 *)c, sizeof(*c));
	c->crc32c = ~__crc32c_le(crc, rec->out + sizeof(*c), n);
	return size;
}

/*
 * Write chunk @seq, @size bytes at @data, to the channel once there is
 * room. False if the channel failed, or if a resume waits for emit_lock.
 */
static bool vmtrace_chan_write(struct vmtrace_recorder *rec, const void *data,
			       size_t size, u64 seq)
{
	while (!vmtrace_chan_room(rec->chan, size)) {
		if (READ_ONCE(rec->error) || atomic_read(&rec->resume_wait))
			return false;
		usleep_range(1000, 2000);
	}
	relay_write(rec->chan, data, size);
	rec->next_emit = seq + 1;
	return true;
}

static void vmtrace_chunk_forget(struct vmtrace_recorder *rec)
{
	struct vmtrace_kept *k = list_first_entry(&rec->kept,
						  struct vmtrace_kept, node);

	list_del(&k->node);
	rec->kept_bytes -= k->size;
	kvfree(k);
}

/*
 * Keep a copy of the chunk in rec->out; forget the oldest beyond the
 * limit. Without memory, forget all: a resume from before then fails
 * with ENODATA instead of skipping a chunk.
 */
static void vmtrace_chunk_keep(struct vmtrace_recorder *rec, u64 seq,
			       size_t size)
{
	struct vmtrace_kept *k = kvmalloc(struct_size(k, data, size), GFP_KERNEL);

	if (!k) {
		while (!list_empty(&rec->kept))
			vmtrace_chunk_forget(rec);
		return;
	}
	k->seq = seq;
	k->size = size;
	memcpy(k->data, rec->out, size);
	list_add_tail(&k->node, &rec->kept);
	rec->kept_bytes += size;
	while (rec->kept_bytes > VMTRACE_KEEP_BYTES)
		vmtrace_chunk_forget(rec);
}

/*
 * Write again the kept chunks a resume asked for. Interrupted by another
 * resume, it stays pending from where it got to; a chunk it has no copy
 * of fails the recording.
 */
static void vmtrace_chunk_resend(struct vmtrace_recorder *rec)
{
	struct vmtrace_kept *k;

	rec->next_emit = rec->resend_from;
	list_for_each_entry(k, &rec->kept, node) {
		if (k->seq < rec->resend_from)
			continue;
		if (k->seq != rec->next_emit) {
			pr_err("session %llu: chunk %llu is lost for the resume\n",
			       rec->session->id, rec->next_emit);
			WRITE_ONCE(rec->error, -ENODATA);
			return;
		}
		if (!vmtrace_chan_write(rec, k->data, k->size, k->seq)) {
			rec->resend_from = rec->next_emit;
			return;
		}
	}
	rec->resend = false;
}

/* Write chunk @seq, built in rec->out, after every chunk before it. */
static void vmtrace_chunk_write(struct vmtrace_recorder *rec, u64 seq,
				size_t size)
{
	mutex_lock(&rec->emit_lock);
	/*
	 * Kept before it is written: a resume that comes while the channel
	 * is full (its reader died) writes it again with the others.
	 */
	vmtrace_chunk_keep(rec, seq, size);
	while (!READ_ONCE(rec->error)) {
		if (rec->resend)
			vmtrace_chunk_resend(rec);
		if (rec->next_emit > seq)	/* the resend wrote it */
			break;
		if (!rec->resend && rec->next_emit == seq &&
		    vmtrace_chan_write(rec, rec->out, size, seq))
			break;
		/* A resume waits for emit_lock: let it have it, then retry. */
		mutex_unlock(&rec->emit_lock);
		usleep_range(1000, 2000);
		mutex_lock(&rec->emit_lock);
	}
	mutex_unlock(&rec->emit_lock);
}

static void vmtrace_chunk_emit(struct vmtrace_recorder *rec,
			       struct vmtrace_buf *b, u64 seq)
{
	size_t size = vmtrace_chunk_build(rec, b, seq);

	vmtrace_chunk_write(rec, seq, size);
	spin_lock_irq(&rec->lock);
	rec->chunks++;
	rec->bytes += size;
	rec->bytes_raw += b->used;
	if (b->type == VMTRACE_CHUNK_END)
		rec->vcpus_ended++;
	spin_unlock_irq(&rec->lock);
}

/**
 * vmtrace_record_resume() - a new owner has every chunk before @next_seq
 * @s: a recording session taken over with VMTRACE_ATTACH_RESUME.
 * @next_seq: the first chunk the new owner lacks.
 *
 * Empties the channel; the worker writes the kept chunks from @next_seq
 * on before anything new.
 *
 * Context: process context.
 * Return: 0; -EINVAL if @next_seq was never written; -ENODATA if chunk
 * @next_seq is no longer kept.
 */
int vmtrace_record_resume(struct vmtrace_session *s, u64 next_seq)
{
	struct vmtrace_recorder *rec = s->rec;
	struct vmtrace_kept *k;
	int ret = 0;

	atomic_inc(&rec->resume_wait);
	mutex_lock(&rec->emit_lock);
	atomic_dec(&rec->resume_wait);
	k = list_first_entry_or_null(&rec->kept, struct vmtrace_kept, node);
	if (next_seq > rec->next_emit) {
		ret = -EINVAL;
	} else if (next_seq < rec->next_emit && (!k || next_seq < k->seq)) {
		ret = -ENODATA;
	} else {
		relay_reset(rec->chan);
		rec->resend_from = next_seq;
		rec->resend = true;
	}
	mutex_unlock(&rec->emit_lock);
	if (!ret)
		queue_work(rec->wq, &rec->work);
	return ret;
}

static void vmtrace_record_work(struct work_struct *work)
{
	struct vmtrace_recorder *rec = container_of(work, struct vmtrace_recorder,
						    work);
	struct vmtrace_buf *b;

	mutex_lock(&rec->emit_lock);
	if (rec->resend)
		vmtrace_chunk_resend(rec);
	mutex_unlock(&rec->emit_lock);
	for (;;) {
		spin_lock_irq(&rec->lock);
		b = list_first_entry_or_null(&rec->queue, struct vmtrace_buf,
					     node);
		if (b)
			list_del(&b->node);
		spin_unlock_irq(&rec->lock);
		if (!b)
			break;
		vmtrace_chunk_emit(rec, b, b->seq);
		if (b->type != VMTRACE_CHUNK_END)
			vmtrace_recbuf_put(b);
	}
}

/**
 * vmtrace_recbuf_queue() - hand a closed buffer to the worker
 * @rec: the recorder.
 * @b: the buffer; gives it the next global marker.
 *
 * Context: process context.
 */
void vmtrace_recbuf_queue(struct vmtrace_recorder *rec, struct vmtrace_buf *b)
{
	spin_lock_irq(&rec->lock);
	b->seq = rec->seq++;
	list_add_tail(&b->node, &rec->queue);
	spin_unlock_irq(&rec->lock);
	queue_work(rec->wq, &rec->work);
}

static int vmtrace_record_alloc_zstd(struct vmtrace_recorder *rec)
{
	zstd_parameters params = zstd_get_params(VMTRACE_ZSTD_LEVEL,
						 VMTRACE_BUF_SIZE);
	/* The compression parameters are the first member of params. */
	size_t ws_size = zstd_cctx_workspace_bound((const void *)&params);

	rec->zstd_ws = vzalloc(ws_size);
	if (!rec->zstd_ws)
		return -ENOMEM;
	rec->zstd_cctx = zstd_init_cctx(rec->zstd_ws, ws_size);
	if (!rec->zstd_cctx)
		return -EINVAL;
	rec->out_size = sizeof(struct vmtrace_chunk) +
			zstd_compress_bound(VMTRACE_BUF_SIZE) + 8;
	rec->out = vzalloc(rec->out_size);
	return rec->out ? 0 : -ENOMEM;
}

static void vmtrace_record_free(struct vmtrace_recorder *rec)
{
	struct vmtrace_kept *k, *tmp;

	list_for_each_entry_safe(k, tmp, &rec->kept, node)
		kvfree(k);
	if (rec->wq)
		destroy_workqueue(rec->wq);
	if (rec->chan)
		relay_close(rec->chan);
	cleanup_srcu_struct(&rec->srcu);
	vfree(rec->out);
	vfree(rec->zstd_ws);
	kvfree(rec->mem_dirty);
	kvfree(rec->mem_leaves.r);
	kfree(rec);
}

/**
 * vmtrace_record_create() - prepare recording a session's VM
 * @s: a new session with its debugfs directory, vCPUs not yet recorded.
 * @flags: the VMTRACE_ATTACH_* flags of the attach.
 *
 * Nothing is recorded before vmtrace_record_start().
 *
 * Context: process context.
 * Return: 0, -ENOMEM, or -ENODEV if debugfs cannot hold the channel.
 */
int vmtrace_record_create(struct vmtrace_session *s, u64 flags)
{
	struct vmtrace_recorder *rec = kzalloc(sizeof(*rec), GFP_KERNEL);
	const struct vmtrace_pmu_model *model;
	int ret;

	if (!rec)
		return -ENOMEM;
	rec->session = s;
	rec->digest_exits = flags & VMTRACE_ATTACH_DIGEST_EXITS;
	spin_lock_init(&rec->lock);
	INIT_LIST_HEAD(&rec->queue);
	mutex_init(&rec->emit_lock);
	mutex_init(&rec->mem_lock);
	mutex_init(&rec->ckpt_lock);
	INIT_LIST_HEAD(&rec->kept);
	INIT_WORK(&rec->work, vmtrace_record_work);
	ret = init_srcu_struct(&rec->srcu);
	if (ret) {
		kfree(rec);
		return ret;
	}
	ret = vmtrace_record_alloc_zstd(rec);
	if (ret)
		goto err_free;
	ret = -ENOMEM;
	rec->wq = alloc_ordered_workqueue("vmtrace-%llu", 0, s->id);
	if (!rec->wq)
		goto err_free;
	ret = -ENODEV;
	rec->chan = relay_open("chunks", s->debugfs, VMTRACE_CHAN_SUBBUF,
			       VMTRACE_CHAN_SUBBUFS, &vmtrace_chan_cb, rec);
	if (!rec->chan)
		goto err_free;
	rec->mode = vmtrace_pmu_probe(&model) ? VMTRACE_MODE_EXIT_ORDINAL :
						 VMTRACE_MODE_PMU;
	s->rec = rec;
	return 0;

err_free:
	vmtrace_record_free(rec);
	return ret;
}

/**
 * vmtrace_record_start() - the vCPUs record from their next exit on
 * @s: a session made by vmtrace_record_create(), registered.
 *
 * Context: process context.
 */
void vmtrace_record_start(struct vmtrace_session *s)
{
	WRITE_ONCE(s->rec->active, true);
}

/**
 * vmtrace_record_stop() - end the recording
 * @s: the session.
 *
 * Stops every vCPU appending, then queues each vCPU's last buffer and its
 * END chunk. Returns without waiting for the worker: the channel's reader
 * may be the caller, and the worker may be waiting for it to read.
 * VMTRACE_RECORD_INFO tells when every END chunk is in the channel.
 *
 * Context: process context, @s->lock not held; may sleep.
 */
void vmtrace_record_stop(struct vmtrace_session *s)
{
	struct vmtrace_recorder *rec = s->rec;
	struct vmtrace_vcpu *v;
	unsigned long i;

	if (!rec)
		return;
	mutex_lock(&s->lock);
	if (!rec->active) {
		mutex_unlock(&s->lock);
		return;
	}
	WRITE_ONCE(rec->active, false);
	xa_for_each(&s->vcpus, i, v)
		if (v->rec)
			wake_up(&v->rec->wq);
	mutex_unlock(&s->lock);
	/* Probes append under RCU, the exit hook under SRCU. */
	synchronize_rcu();
	synchronize_srcu(&rec->srcu);
	mutex_lock(&s->lock);
	xa_for_each(&s->vcpus, i, v)
		if (v->rec) {
			vmtrace_recbuf_end(v->rec);
			vmtrace_rec_unhold(v);
		}
	mutex_unlock(&s->lock);
}

/**
 * vmtrace_record_destroy() - free the recorder of a session
 * @s: the session, detached: no vCPU thread uses the recorder.
 *
 * Chunks nobody read are discarded with the channel.
 *
 * Context: process context, before the session's debugfs directory goes.
 */
void vmtrace_record_destroy(struct vmtrace_session *s)
{
	struct vmtrace_recorder *rec = s->rec;
	struct vmtrace_vcpu *v;
	unsigned long i;

	if (!rec)
		return;
	vmtrace_record_stop(s);
	/* The exit hook may still have emulated RDTSC after stop. */
	synchronize_srcu(&rec->srcu);
	WRITE_ONCE(rec->error, -EPIPE);
	flush_workqueue(rec->wq);
	xa_for_each(&s->vcpus, i, v) {
		if (v->rec)
			vmtrace_recbuf_vcpu_free(v->rec);
		v->rec = NULL;
	}
	mutex_lock(&s->lock);
	s->rec = NULL;
	mutex_unlock(&s->lock);
	vmtrace_record_free(rec);
}

static const char * const vmtrace_rec_names[VMTRACE_REC_NR] = {
	[VMTRACE_REC_RDTSC]	= "rdtsc",
	[VMTRACE_REC_RDTSCP]	= "rdtscp",
	[VMTRACE_REC_RDRAND]	= "rdrand",
	[VMTRACE_REC_RDSEED]	= "rdseed",
	[VMTRACE_REC_RDPMC]	= "rdpmc",
	[VMTRACE_REC_CPUID]	= "cpuid",
	[VMTRACE_REC_PIO_IN]	= "pio_in",
	[VMTRACE_REC_MMIO_READ]	= "mmio_read",
	[VMTRACE_REC_MSR_READ]	= "msr_read",
	[VMTRACE_REC_IRQ]	= "irq",
	[VMTRACE_REC_NMI]	= "nmi",
	[VMTRACE_REC_EXCEPTION]	= "exception",
	[VMTRACE_REC_MEM_WRITE]	= "mem_write",
	[VMTRACE_REC_VCPU_IN]	= "vcpu_in",
	[VMTRACE_REC_VCPU_OUT]	= "vcpu_out",
	[VMTRACE_REC_PIO_OUT]	= "pio_out",
	[VMTRACE_REC_MMIO_WRITE] = "mmio_write",
	[VMTRACE_REC_DIGEST]	= "digest",
	[VMTRACE_REC_CKPT_STATE] = "ckpt_state",
	[VMTRACE_REC_CKPT_SLOT]	= "ckpt_slot",
	[VMTRACE_REC_CKPT_PAGE]	= "ckpt_page",
};

/**
 * vmtrace_rec_name() - the name tools and debugfs use for a record type
 * @type: VMTRACE_REC_*, 1 to VMTRACE_REC_NR - 1.
 *
 * Context: any.
 * Return: the lowercase uapi name without the VMTRACE_REC_ prefix.
 */
const char *vmtrace_rec_name(unsigned int type)
{
	return type && type < VMTRACE_REC_NR ? vmtrace_rec_names[type] : "?";
}

/**
 * vmtrace_record_vcpu_add() - start recording a vCPU
 * @s: a recording session.
 * @v: a vCPU of the session, not yet visible to the hooks.
 *
 * Context: process context, @s->lock held.
 * Return: 0 or -ENOMEM.
 */
int vmtrace_record_vcpu_add(struct vmtrace_session *s, struct vmtrace_vcpu *v)
{
	if (!s->rec)
		return 0;
	v->rec = vmtrace_recbuf_vcpu_new(s->rec, v->idx);
	if (!v->rec)
		return -ENOMEM;
	if (s->rec->mode == VMTRACE_MODE_PMU && vmtrace_rec_pmu_attach(s, v)) {
		pr_info("session %llu: no branch counter for vCPU %u; exit-ordinal mode\n",
			s->id, v->idx);
		WRITE_ONCE(s->rec->mode, VMTRACE_MODE_EXIT_ORDINAL);
	}
	return 0;
}

/**
 * vmtrace_record_info() - counters of a recording
 * @s: a recording session.
 * @info: out: everything but @info->size.
 *
 * Context: process context, @s->lock held.
 */
void vmtrace_record_info(struct vmtrace_session *s,
			 struct vmtrace_record_info *info)
{
	struct vmtrace_recorder *rec = s->rec;
	struct vmtrace_vcpu *v;
	unsigned long i;
	int k;

	info->mode = READ_ONCE(rec->mode);
	xa_for_each(&s->vcpus, i, v) {
		if (!v->rec)
			continue;
		for (k = 0; k < VMTRACE_REC_NR; k++)
			info->records[k] += READ_ONCE(v->rec->records[k]);
		info->waits += READ_ONCE(v->rec->waits);
		info->overflows += READ_ONCE(v->rec->overflow);
		info->checkpoints += READ_ONCE(v->rec->ckpt_done);
	}
	info->checkpoint_error = READ_ONCE(rec->ckpt_error);
	spin_lock_irq(&rec->lock);
	info->chunks = rec->chunks;
	info->bytes = rec->bytes;
	info->bytes_raw = rec->bytes_raw;
	info->vcpus_ended = rec->vcpus_ended;
	spin_unlock_irq(&rec->lock);
}
