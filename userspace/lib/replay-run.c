// SPDX-License-Identifier: GPL-2.0
/*
 * The replay's run loop: for each KVM_RUN of the recording, make the
 * VMM's writes into guest RAM, complete the last exit's IN or MMIO read
 * with the recorded data, inject what a VMM without an in-kernel irqchip
 * injected, hand the module the KVM_RUN's records (VMTRACE_REPLAY_FEED),
 * run, and compare how KVM_RUN ended (VMTRACE_REPLAY_STATUS, the exit)
 * with the recording. The first difference ends the replay.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/kvm.h>

#include "replay.h"
#include "vmtrace.h"

#define COM1_THR	0x3f8
#define COM1_LCR	0x3fb
#define UART_LCR_DLAB	0x80	/* THR's port is then the divisor's low byte */

_Static_assert(sizeof(struct vmtrace_replay_feed) == 80, "replay_feed layout");
_Static_assert(sizeof(struct vmtrace_replay_status) == 112, "replay_status layout");

struct runner {
	struct replay_vm *vm;
	int session_fd;
	const struct replay_trace *t;
	const struct replay_opts *o;
	struct replay_result *res;
	char *err;
	bool stuck;	/* the last KVM_RUN stopped making progress */
	bool dlab;	/* COM1's divisor latch is selected: no output */
};

static int run_fail(struct runner *r, const char *step)
{
	snprintf(r->err, VMTRACE_ERRLEN, "%s: %s", step, strerror(errno));
	return -1;
}

static const struct vmtrace_rec *rec_at(const struct replay_trace *t, size_t off)
{
	return (const void *)(t->feed + off);
}

/* Feed offset of the first record of @type in @b, or its end. */
static size_t batch_find(const struct replay_trace *t, const struct replay_batch *b,
			 uint32_t type)
{
	size_t off = b->feed_off, end = b->feed_off + b->feed_bytes;

	while (off < end && rec_at(t, off)->type != type)
		off += rec_at(t, off)->size;
	return off;
}

/* A divergence the VMM found, at feed offset @pos; returns 1. */
static int vmm_div(struct runner *r, size_t pos, const struct vmtrace_rec *expected,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int vmm_div(struct runner *r, size_t pos, const struct vmtrace_rec *expected,
		   const char *fmt, ...)
{
	struct replay_div *d = &r->res->div;
	struct kvm_regs regs = { 0 };
	va_list ap;

	memset(d, 0, sizeof(*d));
	va_start(ap, fmt);
	vsnprintf(d->why, sizeof(d->why), fmt, ap);
	va_end(ap);
	ioctl(r->vm->vcpu_fd, KVM_GET_REGS, &regs);
	d->ordinal = r->res->ordinal;
	d->rip = regs.rip;
	d->expected_rec = expected;
	d->expected_type = expected ? expected->type : 0;
	snprintf(d->seen, sizeof(d->seen), "exit %s (%u)",
		 replay_exit_name(r->vm->run->exit_reason), r->vm->run->exit_reason);
	d->last_input = replay_last_input(r->t, pos);
	r->res->verdict = REPLAY_DIVERGED;
	return 1;
}

/* The VMM's writes into guest RAM while the vCPU was out. */
static int apply_vmm(struct runner *r, const struct replay_batch *b)
{
	size_t off = b->vmm_off, end = b->vmm_off + b->vmm_bytes;

	for (; off < end; off += ((const struct vmtrace_rec *)(r->t->vmm + off))->size) {
		const struct vmtrace_rec_mem *m = (const void *)(r->t->vmm + off);
		uint8_t *hva = replay_vm_hva(r->vm, m->gpa, m->len);

		if (!hva)
			return snprintf(r->err, VMTRACE_ERRLEN, "the VMM's write of %u bytes at gpa 0x%llx is outside guest memory",
					m->len, (unsigned long long)m->gpa), -1;
		memcpy(hva, m->data, m->len);
	}
	return 0;
}

/* The last exit was an IN: give the guest the recorded bytes. */
static int complete_pio(struct runner *r, const struct replay_batch *b)
{
	struct kvm_run *run = r->vm->run;
	size_t pos = batch_find(r->t, b, VMTRACE_REC_PIO_IN);
	const struct vmtrace_rec_pio *p = (const void *)rec_at(r->t, pos);
	size_t n = (size_t)run->io.size * run->io.count;

	if (pos == b->feed_off + b->feed_bytes)
		return vmm_div(r, pos, NULL, "the recording has no pio_in for the IN from port 0x%x",
			       run->io.port);
	if (p->port != run->io.port || p->size != run->io.size || p->count != run->io.count) {
		vmm_div(r, pos, &p->hdr, "an IN from port 0x%x, %u x %u bytes, where the recording has another",
			run->io.port, run->io.count, run->io.size);
		r->res->div.has_detail = true;
		r->res->div.detail = run->io.port;
		return 1;
	}
	if (run->io.data_offset + n > r->vm->run_size)
		return snprintf(r->err, VMTRACE_ERRLEN, "KVM's IN data area is too small"), -1;
	memcpy((uint8_t *)run + run->io.data_offset, p->data, n);
	return 0;
}

/* The last exit was an MMIO read: the recorded data. */
static int complete_mmio(struct runner *r, const struct replay_batch *b)
{
	struct kvm_run *run = r->vm->run;
	size_t pos = batch_find(r->t, b, VMTRACE_REC_MMIO_READ);
	const struct vmtrace_rec_mmio *m = (const void *)rec_at(r->t, pos);

	if (pos == b->feed_off + b->feed_bytes)
		return vmm_div(r, pos, NULL, "the recording has no mmio_read for the read of gpa 0x%llx",
			       (unsigned long long)run->mmio.phys_addr);
	if (m->gpa != run->mmio.phys_addr || m->len != run->mmio.len || m->len > 8) {
		vmm_div(r, pos, &m->hdr, "an MMIO read of %u bytes at gpa 0x%llx, where the recording has another",
			run->mmio.len, (unsigned long long)run->mmio.phys_addr);
		r->res->div.has_detail = true;
		r->res->div.detail = run->mmio.phys_addr;
		return 1;
	}
	memcpy(run->mmio.data, &m->data, m->len);
	return 0;
}

static int complete_exit(struct runner *r, const struct replay_batch *b)
{
	struct kvm_run *run = r->vm->run;

	if (!r->res->kvm_runs)
		return 0;
	if (run->exit_reason == KVM_EXIT_IO && run->io.direction == KVM_EXIT_IO_IN)
		return complete_pio(r, b);
	if (run->exit_reason == KVM_EXIT_MMIO && !run->mmio.is_write)
		return complete_mmio(r, b);
	return 0;
}

/*
 * What the recorded VMM queued itself: without an in-kernel irqchip every
 * interrupt and NMI; with a split one, the ExtINT vectors of its PIC. The
 * module makes the in-kernel LAPIC's interrupts pending.
 */
static int inject(struct runner *r, const struct replay_batch *b)
{
	size_t off = b->feed_off, end = b->feed_off + b->feed_bytes;
	bool user = !r->vm->irqchip;

	for (; off < end; off += rec_at(r->t, off)->size) {
		const struct vmtrace_rec_event *e = (const void *)rec_at(r->t, off);
		struct kvm_interrupt irq = { .irq = e->vector };
		bool again = e->hdr.flags & VMTRACE_RECF_REINJECTED;

		if (e->hdr.type == VMTRACE_REC_IRQ && !again &&
		    (user || (e->hdr.flags & VMTRACE_RECF_EXTINT)) &&
		    ioctl(r->vm->vcpu_fd, KVM_INTERRUPT, &irq))
			return run_fail(r, "KVM_INTERRUPT");
		if (e->hdr.type == VMTRACE_REC_NMI && !again && user &&
		    ioctl(r->vm->vcpu_fd, KVM_NMI, 0))
			return run_fail(r, "KVM_NMI");
	}
	return 0;
}

/* How much of @b to feed when stopping at @stop: records up to that exit. */
static void batch_prefix(const struct replay_trace *t, const struct replay_batch *b,
			 uint64_t stop, uint32_t *bytes, uint32_t *nr)
{
	size_t off = b->feed_off, end = b->feed_off + b->feed_bytes;

	for (*nr = 0; off < end && rec_at(t, off)->ordinal <= stop; (*nr)++)
		off += rec_at(t, off)->size;
	*bytes = off - b->feed_off;
}

/* What the vCPU is fed: records from @off on, from exit @ordinal on. */
struct feeding {
	size_t off;
	uint32_t bytes, nr;
	uint64_t ordinal, stop, flags;
};

/*
 * PMU mode: the module runs the guest to within the counter's skid of an
 * event placed by branch count on its own (VMTRACE_FEED_BRANCHES), and
 * returns for the breakpoint search only from there.
 */
static uint64_t pmu_flags(const struct runner *r)
{
	return r->t->pmu ? VMTRACE_FEED_BRANCHES : 0;
}

static int feed(struct runner *r, const struct feeding *fd)
{
	struct vmtrace_replay_feed f = { .size = sizeof(f), .vcpu = 0,
		.flags = fd->flags, .records = (uintptr_t)(r->t->feed + fd->off),
		.nr_bytes = fd->bytes, .nr_records = fd->nr, .ordinal = fd->ordinal,
		.stop_ordinal = fd->stop };

	if (ioctl(r->session_fd, VMTRACE_REPLAY_FEED, &f))
		return run_fail(r, "VMTRACE_REPLAY_FEED");
	if (!(fd->flags & (VMTRACE_FEED_SEEK | VMTRACE_FEED_AT_POINT)))
		r->res->fed += fd->nr;
	return 0;
}

static volatile sig_atomic_t watchdog_fired;

static void on_watchdog(int sig)
{
	(void)sig;
	watchdog_fired = 1;
}

/* One KVM_RUN under the watchdog, then the module's status. */
static int kvm_run_once(struct runner *r, struct vmtrace_replay_status *st,
			int *ret, int *run_errno)
{
	watchdog_fired = 0;
	alarm(REPLAY_WATCHDOG_S);
	*ret = ioctl(r->vm->vcpu_fd, KVM_RUN, 0);
	*run_errno = errno;
	alarm(0);
	r->res->kvm_runs++;
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	st->vcpu = 0;
	if (ioctl(r->session_fd, VMTRACE_REPLAY_STATUS, st))
		return run_fail(r, "VMTRACE_REPLAY_STATUS");
	return 0;
}

/* KVM_RUN, then the module's status; *exit: how KVM_RUN ended. */
static int kvm_run(struct runner *r, struct vmtrace_replay_status *st, uint32_t *exit)
{
	uint64_t ordinal = UINT64_MAX;
	uint32_t consumed = UINT32_MAX;
	int ret, run_errno;

	r->stuck = false;
	for (;;) {
		if (kvm_run_once(r, st, &ret, &run_errno))
			return -1;
		if (ret >= 0 || run_errno != EINTR || !watchdog_fired || st->diverged)
			break;
		if (st->ordinal == ordinal && st->consumed == consumed) {
			r->stuck = true;
			break;
		}
		ordinal = st->ordinal;
		consumed = st->consumed;
	}
	r->res->consumed += st->consumed;
	r->res->ordinal = st->ordinal;
	if (ret < 0 && run_errno != EINTR && !st->diverged) {
		errno = run_errno;
		return run_fail(r, "KVM_RUN");
	}
	*exit = ret < 0 ? KVM_EXIT_INTR : r->vm->run->exit_reason;
	return 0;
}

/* What the guest did outside KVM: its console output, counted outputs. */
static void handle_exit(struct runner *r, uint32_t exit)
{
	struct kvm_run *run = r->vm->run;
	size_t n;

	if (exit == KVM_EXIT_MMIO && run->mmio.is_write)
		r->res->outputs++;
	if (exit != KVM_EXIT_IO || run->io.direction != KVM_EXIT_IO_OUT)
		return;
	r->res->outputs++;
	n = (size_t)run->io.size * run->io.count;
	if (run->io.data_offset + n > r->vm->run_size)
		return;
	if (run->io.port == COM1_LCR && n)
		r->dlab = ((uint8_t *)run)[run->io.data_offset + n - 1] & UART_LCR_DLAB;
	if (run->io.port == COM1_THR && !r->dlab && r->o->console)
		r->o->console(r->o->ctx, (uint8_t *)run + run->io.data_offset, n);
}

/* After KVM_RUN: did it end where and how the recording's did? */
static int check_end(struct runner *r, const struct replay_batch *b,
		     const struct vmtrace_replay_status *st, const struct feeding *fd,
		     uint32_t exit, bool whole)
{
	size_t pos = fd->off;
	uint32_t i, nr = fd->nr;
	uint64_t stop = fd->stop;

	if (st->diverged) {
		replay_div_from_status(&r->res->div, st, r->t, b);
		r->res->verdict = REPLAY_DIVERGED;
		return 1;
	}
	for (i = 0; i < st->consumed && i < nr; i++)
		pos += rec_at(r->t, pos)->size;
	if (r->stuck)
		return vmm_div(r, pos, st->consumed < nr ? rec_at(r->t, pos) : NULL,
			       "stuck: no exit and no event for %d s (the recording's KVM_RUN went on to exit ordinal %llu)",
			       2 * REPLAY_WATCHDOG_S, (unsigned long long)stop);
	if (st->consumed < nr)
		return vmm_div(r, pos, rec_at(r->t, pos),
			       "the recording has more events in this KVM_RUN (%u of %u consumed)",
			       st->consumed, nr);
	if (!b->open_end && st->ordinal != stop)
		return vmm_div(r, pos, NULL, "KVM_RUN ended at exit ordinal %llu, the recording's at %llu",
			       (unsigned long long)st->ordinal, (unsigned long long)stop);
	if (whole && !b->open_end && !b->cont && exit != b->exit_reason)
		return vmm_div(r, pos, NULL, "KVM_RUN ended with exit %s (%u), recording had %s (%u)",
			       replay_exit_name(exit), exit, replay_exit_name(b->exit_reason),
			       b->exit_reason);
	return 0;
}

/* Past the @n records of @fd the vCPU consumed: what is left to feed. */
static void feeding_skip(const struct replay_trace *t, struct feeding *fd, uint32_t n)
{
	for (; n && fd->nr; n--, fd->nr--) {
		fd->bytes -= rec_at(t, fd->off)->size;
		fd->off += rec_at(t, fd->off)->size;
	}
}

/*
 * The first event of @fd whose point the VMM finds: delivered after an
 * asynchronous exit, or in PMU mode placed by branch count.
 */
static const struct vmtrace_rec_event *async_event(const struct replay_trace *t,
						   const struct feeding *fd)
{
	size_t off = fd->off, end = fd->off + fd->bytes;
	uint16_t placed = VMTRACE_RECF_ASYNC | (t->pmu ? VMTRACE_RECF_BRANCHES : 0);

	for (; off < end; off += rec_at(t, off)->size) {
		const struct vmtrace_rec *h = rec_at(t, off);

		if ((h->type == VMTRACE_REC_IRQ || h->type == VMTRACE_REC_NMI) &&
		    (h->flags & placed))
			return (const void *)h;
	}
	return NULL;
}

/*
 * KVM_RUN returned for the VMM to find the point of an asynchronous
 * event: search for it, the module holding the event back; then the
 * module delivers it at the next entry. Return: 0, 1 stop, -1 error.
 */
static int seek(struct runner *r, const struct replay_batch *b, struct feeding *fd)
{
	const struct vmtrace_rec_event *e = async_event(r->t, fd);
	struct feeding sf = *fd;
	struct vmtrace_replay_status st = { .size = sizeof(st) };
	struct replay_seek sk;
	int ret;

	if (!e)
		return vmm_div(r, fd->off, NULL, "the module waits for an asynchronous event's point, and this KVM_RUN has none");
	sf.stop = VMTRACE_REPLAY_NO_STOP;	/* the search passes only asynchronous exits */
	sf.flags = VMTRACE_FEED_SEEK | pmu_flags(r);
	if (feed(r, &sf))
		return -1;
	ret = replay_seek(r->vm, r->session_fd, e, r->t->pmu, &sk, r->err);
	r->res->kvm_runs += sk.runs;
	r->res->seek_stops += sk.stops;
	if (ret <= 0) {
		r->res->seeks += !ret;
		fd->flags = VMTRACE_FEED_AT_POINT | pmu_flags(r);
		return ret;
	}
	if (ioctl(r->session_fd, VMTRACE_REPLAY_STATUS, &st))
		return run_fail(r, "VMTRACE_REPLAY_STATUS");
	if (st.diverged) {
		replay_div_from_status(&r->res->div, &st, r->t, b);
		r->res->verdict = REPLAY_DIVERGED;
		return 1;
	}
	if (sk.passed)
		return vmm_div(r, fd->off, &e->hdr,
			       "the guest's branch count went past the event's (%llu) before its point",
			       (unsigned long long)e->branches);
	if (sk.stuck)
		return vmm_div(r, fd->off, &e->hdr,
			       "the point of the asynchronous event was not found: no breakpoint stop for %d s, and not within %d single steps",
			       REPLAY_WATCHDOG_S, REPLAY_SEEK_STEPS);
	return vmm_div(r, fd->off, &e->hdr, "the guest left KVM_RUN (%s) before the asynchronous event's point",
		       replay_exit_name(sk.exit));
}

/*
 * Feed @fd and run; each time KVM_RUN returns for an asynchronous event's
 * point, find it and go on with the rest. Return: 0, 1 stop, -1 error.
 */
static int run_fed(struct runner *r, const struct replay_batch *b, struct feeding *fd,
		   struct vmtrace_replay_status *st, uint32_t *exit)
{
	int ret;

	for (;;) {
		if (feed(r, fd) || kvm_run(r, st, exit))
			return -1;
		if (st->diverged || st->pending != VMTRACE_PENDING_POINT)
			return 0;
		feeding_skip(r->t, fd, st->consumed);
		fd->ordinal = st->ordinal;
		ret = seek(r, b, fd);
		if (ret)
			return ret;
	}
}

/* One batch. Return: 0 go on, 1 stop (verdict set), -1 error. */
static int run_batch(struct runner *r, const struct replay_batch *b)
{
	struct feeding fd = { b->feed_off, b->feed_bytes, b->nr_feed, b->ordinal,
			      b->stop_ordinal, pmu_flags(r) };
	struct vmtrace_replay_status st;
	bool whole = r->o->until >= fd.stop;
	uint32_t exit;
	int ret;

	if (apply_vmm(r, b))
		return -1;
	/*
	 * A KVM_RUN in which nothing happened (immediate_exit, a signal before
	 * the first exit, an error return) is not run again: the next one
	 * goes on from the same state, and completes the last exit then, as
	 * KVM did.
	 */
	if (!b->nr_feed && b->ordinal == b->stop_ordinal && !b->open_end && !b->cont)
		return 0;
	ret = complete_exit(r, b);
	if (ret)
		return ret;
	if (inject(r, b))
		return -1;
	if (!whole) {
		fd.stop = r->o->until;
		batch_prefix(r->t, b, fd.stop, &fd.bytes, &fd.nr);
	}
	ret = run_fed(r, b, &fd, &st, &exit);
	ret = ret ? ret : check_end(r, b, &st, &fd, exit, whole);
	if (ret)
		return ret < 0 ? -1 : ret;
	handle_exit(r, exit);
	if (r->o->progress)
		r->o->progress(r->o->ctx, r->res);
	if (st.ordinal >= r->o->until) {
		r->res->verdict = REPLAY_UNTIL;
		return 1;
	}
	return 0;
}

/**
 * replay_run() - replay a loaded trace in its VM
 * @vm: the VM built from the trace's checkpoint.
 * @session_fd: the VMTRACE_ATTACH_REPLAY session on it.
 * @t: the trace.
 * @o: options and callbacks.
 * @res: out: counts, verdict and, if it diverged, res->div.
 * @err: the step that failed, for -1.
 *
 * Return: 0 (res->verdict says how it ended), or -1.
 */
int replay_run(struct replay_vm *vm, int session_fd, const struct replay_trace *t,
	       const struct replay_opts *o, struct replay_result *res, char *err)
{
	struct runner r = { vm, session_fd, t, o, res, err, false, false };
	struct sigaction sa = { .sa_handler = on_watchdog };	/* no SA_RESTART */
	uint64_t t0 = vmtrace_monotonic_ns();
	size_t i;
	int ret = 0;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	memset(res, 0, sizeof(*res));
	res->ordinal = t->nr_batches ? t->batches[0].ordinal : t->ckpt.ordinal;
	res->verdict = REPLAY_IDENTICAL;
	if (res->ordinal >= o->until)
		res->verdict = REPLAY_UNTIL;
	for (i = 0; i < t->nr_batches && res->verdict == REPLAY_IDENTICAL && !ret; i++)
		ret = run_batch(&r, &t->batches[i]);
	res->wall_ns = vmtrace_monotonic_ns() - t0;
	return ret < 0 ? -1 : 0;
}
