// SPDX-License-Identifier: GPL-2.0
/*
 * Recording a guest of our own that consumes a known number of each kind
 * of input and reports what it received: the trace must hold exactly those
 * records, with exactly those values, and nothing else from the guest.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "chunks.h"
#include "vmm.h"
#include "vt.h"

/* As in guest_long_inputs (lib/guest_code.S). */
#define NR_RDTSC	20
#define NR_RDTSCP	5
#define NR_CPUID	3
#define NR_IN		5

FIXTURE(record) {
	struct vmm vmm;
	struct vt_records recs;
	struct vmtrace_attach a;
	int ctl, session;
};

FIXTURE_SETUP(record)
{
	memset(&self->recs, 0, sizeof(self->recs));
	self->session = -1;
	VT_SETUP_CTL(self->ctl);
	ASSERT_EQ(0, vmm_create(&self->vmm, VMM_LONG, GUEST_PROG(long_inputs)));
	self->session = vt_attach_flags(self->ctl, self->vmm.vm_fd,
					VMTRACE_ATTACH_RECORD, &self->a);
	ASSERT_LE(0, self->session) TH_LOG("attach: %s", strerror(errno));
	ASSERT_EQ(0, vmm_run_to_done(&self->vmm, 10000));
	ASSERT_EQ(0, vt_ioctl(self->session, VMTRACE_RECORD_STOP, NULL));
	ASSERT_EQ(0, vt_drain(self->a.session_id, self->session, 1, &self->recs, 10000))
		TH_LOG("%s", self->recs.error);
}

FIXTURE_TEARDOWN(record)
{
	if (self->ctl < 0)
		return;
	vt_records_free(&self->recs);
	if (self->session >= 0)
		close(self->session);
	vmm_destroy(&self->vmm);
	close(self->ctl);
}

static uint64_t report64(struct vmm *vmm, int i)
{
	return vmm->reports[i] | (uint64_t)vmm->reports[i + 1] << 32;
}

TEST_F(record, exactly_the_inputs_the_guest_consumed)
{
	uint64_t *c = self->recs.count;

	EXPECT_EQ(NR_RDTSC, c[VMTRACE_REC_RDTSC]);
	EXPECT_EQ(NR_RDTSCP, c[VMTRACE_REC_RDTSCP]);
	EXPECT_EQ(NR_CPUID, c[VMTRACE_REC_CPUID]);
	EXPECT_EQ(NR_IN, c[VMTRACE_REC_PIO_IN]);
	EXPECT_EQ(0, c[VMTRACE_REC_MMIO_READ] + c[VMTRACE_REC_MSR_READ] +
		  c[VMTRACE_REC_IRQ] + c[VMTRACE_REC_NMI] + c[VMTRACE_REC_EXCEPTION]);
	EXPECT_EQ(1, self->recs.end_chunks);
	EXPECT_EQ(2 * NR_RDTSC + 3 * NR_RDTSCP + NR_CPUID + NR_IN, self->vmm.nr_reports);
}

TEST_F(record, rdtsc_values_are_what_the_guest_read)
{
	const struct vmtrace_rec *r = NULL;
	uint64_t prev = 0;
	int i;

	for (i = 0; i < NR_RDTSC; i++) {
		const struct vmtrace_rec_tsc *t;

		r = vt_rec_next(&self->recs, r, VMTRACE_REC_RDTSC);
		ASSERT_NE(NULL, r);
		t = (const void *)r;
		EXPECT_EQ(report64(&self->vmm, 2 * i), t->tsc);
		EXPECT_LT(prev, t->tsc);
		EXPECT_EQ(GUEST_CODE_GPA, t->rip & ~0xfffULL);
		prev = t->tsc;
	}
}

TEST_F(record, rdtscp_values_and_tsc_aux)
{
	const struct vmtrace_rec *r = NULL;
	int i, base = 2 * NR_RDTSC;

	for (i = 0; i < NR_RDTSCP; i++) {
		const struct vmtrace_rec_tsc *t;

		r = vt_rec_next(&self->recs, r, VMTRACE_REC_RDTSCP);
		ASSERT_NE(NULL, r);
		t = (const void *)r;
		EXPECT_EQ(report64(&self->vmm, base + 3 * i), t->tsc);
		EXPECT_EQ(self->vmm.reports[base + 3 * i + 2], t->aux);
	}
}

TEST_F(record, cpuid_and_in_values)
{
	const struct vmtrace_rec *r = NULL;
	int i, base = 2 * NR_RDTSC + 3 * NR_RDTSCP;

	for (i = 0; i < NR_CPUID; i++) {
		const struct vmtrace_rec_cpuid *cp;

		r = vt_rec_next(&self->recs, r, VMTRACE_REC_CPUID);
		ASSERT_NE(NULL, r);
		cp = (const void *)r;
		EXPECT_EQ(0, cp->function);
		EXPECT_EQ(self->vmm.reports[base + i], cp->ebx);
	}
	base += NR_CPUID;
	r = NULL;
	for (i = 0; i < NR_IN; i++) {
		const struct vmtrace_rec_pio *p;
		uint32_t v = 0;

		r = vt_rec_next(&self->recs, r, VMTRACE_REC_PIO_IN);
		ASSERT_NE(NULL, r);
		p = (const void *)r;
		EXPECT_EQ(PORT_INPUT, p->port);
		EXPECT_EQ(4, p->size);
		EXPECT_EQ(1, p->count);
		memcpy(&v, p->data, 4);
		EXPECT_EQ(VMM_INPUT(i), v);
		EXPECT_EQ(self->vmm.reports[base + i], v);
	}
}

TEST_F(record, ordinals_grow_and_info_counts)
{
	struct vmtrace_record_info info = { .size = sizeof(info) };
	const struct vmtrace_rec *r = NULL;
	uint64_t prev = 0;

	while ((r = vt_rec_next(&self->recs, r, 0))) {
		EXPECT_LE(prev, r->ordinal);
		prev = r->ordinal;
	}
	/* Every RDTSC is an exit, and so is each OUT reporting it. */
	EXPECT_LE(2 * NR_RDTSC, prev);
	ASSERT_EQ(0, vt_ioctl(self->session, VMTRACE_RECORD_INFO, &info));
	EXPECT_EQ(VMTRACE_MODE_EXIT_ORDINAL, info.mode);
	EXPECT_EQ(NR_RDTSC, info.records[VMTRACE_REC_RDTSC]);
	EXPECT_EQ(self->recs.chunks, info.chunks);
	EXPECT_EQ(1, info.vcpus_ended);
	EXPECT_LT(0, info.bytes);
	EXPECT_LE(self->recs.size, info.bytes_raw);
}

/*
 * The features recording cannot cover are hidden from a recorded guest,
 * and the CPUID records say so. The control run without recording shows
 * the bits the test VM's CPU (QEMU's "max") does offer.
 */
#define LEAF1_ECX_RDRAND	(1u << 30)
#define LEAF7_EBX_HLE		(1u << 4)
#define LEAF7_EBX_RTM		(1u << 11)
#define LEAF7_EBX_RDSEED	(1u << 18)
#define LEAF7_ECX_WAITPKG	(1u << 5)

static void run_cpuid_guest(struct __test_metadata *_metadata, int ctl,
			    bool record, struct vmm *vmm, struct vt_records *recs)
{
	struct vmtrace_attach a;
	int s = -1;

	ASSERT_EQ(0, vmm_create(vmm, VMM_LONG, GUEST_PROG(long_cpuid)));
	ASSERT_EQ(0, vmm_set_supported_cpuid(vmm, 0));
	if (record) {
		s = vt_attach_flags(ctl, vmm->vm_fd, VMTRACE_ATTACH_RECORD, &a);
		ASSERT_LE(0, s);
	}
	ASSERT_EQ(0, vmm_run_to_done(vmm, 1000));
	ASSERT_EQ(3, vmm->nr_reports);
	if (record) {
		ASSERT_EQ(0, vt_ioctl(s, VMTRACE_RECORD_STOP, NULL));
		ASSERT_EQ(0, vt_drain(a.session_id, s, 1, recs, 10000))
			TH_LOG("%s", recs->error);
		close(s);
	}
}

TEST(cpuid_hides_what_recording_cannot_cover)
{
	struct vt_records recs = {};
	const struct vmtrace_rec_cpuid *c;
	struct vmm plain, rec;
	int ctl;

	VT_SETUP_CTL(ctl);
	run_cpuid_guest(_metadata, ctl, false, &plain, NULL);
	run_cpuid_guest(_metadata, ctl, true, &rec, &recs);
	if (!(plain.reports[0] & LEAF1_ECX_RDRAND))
		TH_LOG("the CPU has no RDRAND: that part proves nothing");
	EXPECT_EQ(plain.reports[0] & ~LEAF1_ECX_RDRAND, rec.reports[0]);
	EXPECT_EQ(plain.reports[1] & ~(LEAF7_EBX_HLE | LEAF7_EBX_RTM | LEAF7_EBX_RDSEED),
		  rec.reports[1]);
	EXPECT_EQ(plain.reports[2] & ~LEAF7_ECX_WAITPKG, rec.reports[2]);
	ASSERT_EQ(2, recs.count[VMTRACE_REC_CPUID]);
	c = (const void *)vt_rec_next(&recs, NULL, VMTRACE_REC_CPUID);
	EXPECT_EQ(1, c->function);
	EXPECT_EQ(rec.reports[0], c->ecx);
	EXPECT_EQ(!!(plain.reports[0] & LEAF1_ECX_RDRAND),
		  !!(c->hdr.flags & VMTRACE_RECF_MASKED));
	c = (const void *)vt_rec_next(&recs, &c->hdr, VMTRACE_REC_CPUID);
	EXPECT_EQ(7, c->function);
	EXPECT_EQ(rec.reports[1], c->ebx);
	vt_records_free(&recs);
	vmm_destroy(&plain);
	vmm_destroy(&rec);
	close(ctl);
}

/* Record a whole run of @vmm's guest; the VMM is set up by the caller. */
static void record_run(struct __test_metadata *_metadata, struct vmm *vmm,
		       struct vt_records *recs)
{
	struct vmtrace_attach a;
	int ctl, s;

	ctl = vt_open();
	ASSERT_LE(0, ctl);
	s = vt_attach_flags(ctl, vmm->vm_fd, VMTRACE_ATTACH_RECORD, &a);
	ASSERT_LE(0, s);
	ASSERT_EQ(0, vmm_run_to_done(vmm, 100000));
	ASSERT_EQ(0, vt_ioctl(s, VMTRACE_RECORD_STOP, NULL));
	ASSERT_EQ(0, vt_drain(a.session_id, s, 1, recs, 10000))
		TH_LOG("%s", recs->error);
	close(s);
	close(ctl);
}

TEST(mmio_and_msr_reads)
{
	const struct vmtrace_rec *r = NULL;
	struct vt_records recs = {};
	struct vmm vmm;
	int i;

	if (vt_skip_reason())
		SKIP(return, "%s", vt_skip_reason());
	ASSERT_EQ(0, vmm_create(&vmm, VMM_LONG, GUEST_PROG(long_mmio_msr)));
	record_run(_metadata, &vmm, &recs);
	ASSERT_EQ(9, vmm.nr_reports);
	ASSERT_EQ(4, recs.count[VMTRACE_REC_MMIO_READ]);
	for (i = 0; i < 4; i++) {
		const struct vmtrace_rec_mmio *m;

		r = vt_rec_next(&recs, r, VMTRACE_REC_MMIO_READ);
		m = (const void *)r;
		EXPECT_EQ(0x10000000 + (i == 3 ? 8 : 0), m->gpa);
		EXPECT_EQ(i == 3 ? 8 : 4, m->len);
		EXPECT_EQ(i == 3 ? VMM_MMIO(3) : (uint32_t)VMM_MMIO(i), m->data);
	}
	EXPECT_EQ((uint32_t)VMM_MMIO(3), vmm.reports[3]);
	EXPECT_EQ(VMM_MMIO(3) >> 32, vmm.reports[4]);
	/* IA32_TSC: a read KVM answers from the host's clock. */
	ASSERT_EQ(2, recs.count[VMTRACE_REC_MSR_READ]);
	r = NULL;
	for (i = 0; i < 2; i++) {
		const struct vmtrace_rec_msr *m;

		r = vt_rec_next(&recs, r, VMTRACE_REC_MSR_READ);
		m = (const void *)r;
		EXPECT_EQ(0x10, m->index);
		EXPECT_EQ(vmm.reports[5 + 2 * i] |
			  (uint64_t)vmm.reports[6 + 2 * i] << 32, m->value);
	}
	vt_records_free(&recs);
	vmm_destroy(&vmm);
}

TEST(irqs_at_the_points_the_guest_saw)
{
	const struct vmtrace_rec *r = NULL;
	struct vt_records recs = {};
	struct vmm vmm;
	int i;

	if (vt_skip_reason())
		SKIP(return, "%s", vt_skip_reason());
	ASSERT_EQ(0, vmm_create(&vmm, VMM_REAL, GUEST_PROG(real_irq)));
	vmm.irq_every = 50;
	vmm.irq_vector = 0x20;
	record_run(_metadata, &vmm, &recs);
	ASSERT_EQ(5, vmm.nr_reports);
	EXPECT_EQ(5, vmm.nr_irqs);
	ASSERT_EQ(5, recs.count[VMTRACE_REC_IRQ]);
	for (i = 0; i < 5; i++) {
		const struct vmtrace_rec_event *e;

		r = vt_rec_next(&recs, r, VMTRACE_REC_IRQ);
		e = (const void *)r;
		EXPECT_EQ(0x20, e->vector);
		/* The IP the handler found on its stack is where it was injected. */
		EXPECT_EQ(vmm.reports[i], e->rip);
		EXPECT_EQ(0, e->hdr.flags & VMTRACE_RECF_SOFT);
		EXPECT_NE(0, e->rflags & 0x200);	/* IF */
	}
	vt_records_free(&recs);
	vmm_destroy(&vmm);
}

TEST(nmis_at_the_points_the_guest_saw)
{
	const struct vmtrace_rec *r = NULL;
	struct vt_records recs = {};
	struct vmm vmm;
	int i;

	if (vt_skip_reason())
		SKIP(return, "%s", vt_skip_reason());
	ASSERT_EQ(0, vmm_create(&vmm, VMM_REAL, GUEST_PROG(real_nmi)));
	vmm.nmi_every = 40;
	record_run(_metadata, &vmm, &recs);
	ASSERT_EQ(5, vmm.nr_reports);
	EXPECT_LE(5, vmm.nr_nmis);
	ASSERT_EQ(5, recs.count[VMTRACE_REC_NMI]);
	for (i = 0; i < 5; i++) {
		const struct vmtrace_rec_event *e;

		r = vt_rec_next(&recs, r, VMTRACE_REC_NMI);
		e = (const void *)r;
		EXPECT_EQ(2, e->vector);
		EXPECT_EQ(vmm.reports[i], e->rip);
		EXPECT_EQ(0, e->rflags & 0x200);	/* IF clear: an NMI all the same */
	}
	vt_records_free(&recs);
	vmm_destroy(&vmm);
}

TEST(exceptions_kvm_injects)
{
	const struct vmtrace_rec *r = NULL;
	struct vt_records recs = {};
	struct vmm vmm;
	int i;

	if (vt_skip_reason())
		SKIP(return, "%s", vt_skip_reason());
	ASSERT_EQ(0, vmm_create(&vmm, VMM_REAL, GUEST_PROG(real_gp)));
	record_run(_metadata, &vmm, &recs);
	ASSERT_EQ(3, vmm.nr_reports);
	ASSERT_EQ(3, recs.count[VMTRACE_REC_EXCEPTION]);
	for (i = 0; i < 3; i++) {
		const struct vmtrace_rec_event *e;

		r = vt_rec_next(&recs, r, VMTRACE_REC_EXCEPTION);
		e = (const void *)r;
		EXPECT_EQ(13, e->vector);	/* #GP */
		/* Real mode: exceptions push no error code. */
		EXPECT_EQ(0, e->hdr.flags & VMTRACE_RECF_ERROR_CODE);
		/* The handler saw the IP of the RDMSR, where it was injected. */
		EXPECT_EQ(vmm.reports[i], e->rip);
		EXPECT_EQ(0x12345678, e->rcx);
	}
	vt_records_free(&recs);
	vmm_destroy(&vmm);
}

TEST(kvmclock_writes_are_recorded)
{
	const struct vmtrace_rec *r;
	const struct vmtrace_rec_mem *m;
	struct vt_records recs = {};
	uint32_t d[8];
	struct vmm vmm;

	if (vt_skip_reason())
		SKIP(return, "%s", vt_skip_reason());
	ASSERT_EQ(0, vmm_create(&vmm, VMM_REAL, GUEST_PROG(real_kvmclock)));
	record_run(_metadata, &vmm, &recs);
	ASSERT_EQ(3, vmm.nr_reports);
	ASSERT_LE(1, recs.count[VMTRACE_REC_MEM_WRITE]);
	/* KVM's writes, not the pages found written through the VMM. */
	for (r = NULL, m = NULL; (r = vt_rec_next(&recs, r, VMTRACE_REC_MEM_WRITE));)
		if (!(r->flags & VMTRACE_RECF_VMM))
			m = (const void *)r;
	ASSERT_NE(NULL, m);
	EXPECT_EQ(0x3000, m->gpa);
	EXPECT_EQ(32, m->len);
	memcpy(d, m->data, sizeof(d));
	/* What the guest read is what the trace says KVM wrote. */
	EXPECT_EQ(vmm.reports[0], d[0]);
	EXPECT_EQ(0, vmm.reports[0] & 1);	/* a finished update */
	EXPECT_EQ(vmm.reports[1], d[2]);
	EXPECT_EQ(vmm.reports[2], d[4]);
	vt_records_free(&recs);
	vmm_destroy(&vmm);
}

TEST_HARNESS_MAIN
