// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the VMM makes into guest RAM while the vCPU is out of KVM_RUN
 * (device emulation, DMA) and the KVM_RUN markers around them.
 *
 * The guest asks the VMM NR_DMA times to write a qword into a page
 * (PORT_DMA) and reports what it then reads there; before each request it
 * writes to a page it never touched, which KVM faults in for it. The trace
 * must hold every VMM write, with the bytes the guest read, right after
 * the VCPU_IN marker of the KVM_RUN that follows the request, and none of
 * the guest's own writes. Without huge pages each write is exactly one
 * page record; with them (the kernel's default here) a write is recorded
 * with the whole huge page around it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "chunks.h"
#include "vmm.h"
#include "vt.h"

#define NR_DMA		4	/* as in guest_long_dma */
#define TOUCH_GPA	0x180000UL	/* not in the huge page of the writes */

FIXTURE(vmm_writes) {
	struct vmm vmm;
	struct vt_records recs;
	int ctl, session;
};

FIXTURE_VARIANT(vmm_writes) {
	bool huge_pages;
	uint64_t split;		/* two memslots, the second from here */
};

FIXTURE_VARIANT_ADD(vmm_writes, small_pages) {
	.huge_pages = false,
};

FIXTURE_VARIANT_ADD(vmm_writes, huge_pages) {
	.huge_pages = true,
};

/* One huge page backs the end of slot 0 and the start of slot 1. */
FIXTURE_VARIANT_ADD(vmm_writes, huge_page_in_two_slots) {
	.huge_pages = true,
	.split = VMM_DMA_GPA(1),
};

FIXTURE_SETUP(vmm_writes)
{
	struct vmtrace_attach a;

	memset(&self->recs, 0, sizeof(self->recs));
	self->session = -1;
	VT_SETUP_CTL(self->ctl);
	/* Each test runs in a child of its own: this stays there. */
	ASSERT_EQ(0, prctl(PR_SET_THP_DISABLE, !variant->huge_pages, 0, 0, 0));
	ASSERT_EQ(0, vmm_create(&self->vmm, VMM_LONG, GUEST_PROG(long_dma)));
	if (variant->split)
		ASSERT_EQ(0, vmm_split_slot(&self->vmm, variant->split));
	self->session = vt_attach_flags(self->ctl, self->vmm.vm_fd,
					VMTRACE_ATTACH_RECORD, &a);
	ASSERT_LE(0, self->session) TH_LOG("attach: %s", strerror(errno));
	ASSERT_EQ(0, vmm_run_to_done(&self->vmm, 10000));
	ASSERT_EQ(0, vt_ioctl(self->session, VMTRACE_RECORD_STOP, NULL));
	ASSERT_EQ(0, vt_drain(a.session_id, self->session, 1, &self->recs, 20000))
		TH_LOG("%s", self->recs.error);
}

FIXTURE_TEARDOWN(vmm_writes)
{
	if (self->ctl < 0)
		return;
	vt_records_free(&self->recs);
	if (self->session >= 0)
		close(self->session);
	vmm_destroy(&self->vmm);
	close(self->ctl);
}

/*
 * The last VMM page record holding @gpa, NULL if none. A huge page is
 * recorded again at every write into it; its last record has every write.
 */
static const struct vmtrace_rec_mem *vmm_page(const struct vt_records *recs,
					      uint64_t gpa)
{
	const struct vmtrace_rec *r = NULL;
	const struct vmtrace_rec_mem *last = NULL;

	while ((r = vt_rec_next(recs, r, VMTRACE_REC_MEM_WRITE))) {
		const struct vmtrace_rec_mem *m = (const void *)r;

		if ((r->flags & VMTRACE_RECF_VMM) && m->gpa <= gpa &&
		    gpa < m->gpa + m->len)
			last = m;
	}
	return last;
}

TEST_F(vmm_writes, guest_read_what_the_trace_says_the_vmm_wrote)
{
	int i;

	ASSERT_EQ(NR_DMA, self->vmm.nr_dma);
	ASSERT_EQ(2 * NR_DMA, self->vmm.nr_reports);
	for (i = 0; i < NR_DMA; i++) {
		uint64_t seen = self->vmm.reports[2 * i] |
				(uint64_t)self->vmm.reports[2 * i + 1] << 32;
		const struct vmtrace_rec_mem *m = vmm_page(&self->recs,
							   VMM_DMA_GPA(i));
		uint64_t v;

		EXPECT_EQ(VMM_DMA(i), seen);
		ASSERT_NE(NULL, m) TH_LOG("no record of the write at %#lx",
					  VMM_DMA_GPA(i));
		EXPECT_EQ(4096, m->len);
		memcpy(&v, m->data + (VMM_DMA_GPA(i) - m->gpa), sizeof(v));
		EXPECT_EQ(VMM_DMA(i), v);
	}
}

TEST_F(vmm_writes, each_write_follows_the_vcpu_in_of_the_next_run)
{
	const struct vmtrace_rec *r = NULL, *prev = NULL;
	int found = 0;

	while ((r = vt_rec_next(&self->recs, r, 0))) {
		if (r->type == VMTRACE_REC_MEM_WRITE && (r->flags & VMTRACE_RECF_VMM)) {
			ASSERT_NE(NULL, prev);
			/* Only VCPU_IN or another page of the same scan before. */
			EXPECT_TRUE(prev->type == VMTRACE_REC_VCPU_IN ||
				    (prev->type == VMTRACE_REC_MEM_WRITE &&
				     (prev->flags & VMTRACE_RECF_VMM)))
				TH_LOG("a VMM write after record type %u", prev->type);
			EXPECT_EQ(prev->ordinal, r->ordinal);
			found++;
		}
		prev = r;
	}
	EXPECT_LE(NR_DMA, found);
}

TEST_F(vmm_writes, the_guests_own_writes_are_not_recorded)
{
	uint64_t vmm_pages = 0;
	const struct vmtrace_rec *r = NULL;
	int i;

	for (i = 0; i < NR_DMA; i++)
		EXPECT_EQ(NULL, vmm_page(&self->recs, TOUCH_GPA + 4096 * i));
	while ((r = vt_rec_next(&self->recs, r, VMTRACE_REC_MEM_WRITE)))
		vmm_pages += !!(r->flags & VMTRACE_RECF_VMM);
	/* With small pages, one page per write; a huge page goes whole. */
	if (!variant->huge_pages) {
		EXPECT_EQ(NR_DMA, vmm_pages);
	} else {
		EXPECT_LE(NR_DMA, vmm_pages);
	}
}

TEST_F(vmm_writes, vcpu_in_and_out_bracket_every_kvm_run)
{
	const struct vmtrace_rec *r = NULL;
	uint64_t seq = 0, in = 0, out = 0;
	bool inside = false;

	while ((r = vt_rec_next(&self->recs, r, 0))) {
		const struct vmtrace_rec_sched *m = (const void *)r;

		if (r->type != VMTRACE_REC_VCPU_IN && r->type != VMTRACE_REC_VCPU_OUT)
			continue;
		EXPECT_EQ(seq, m->seq);
		seq++;
		/* They alternate, IN first. */
		EXPECT_EQ(inside, r->type == VMTRACE_REC_VCPU_OUT);
		inside = r->type == VMTRACE_REC_VCPU_IN;
		in += r->type == VMTRACE_REC_VCPU_IN;
		out += r->type == VMTRACE_REC_VCPU_OUT;
		if (r->type == VMTRACE_REC_VCPU_OUT)
			EXPECT_EQ(KVM_EXIT_IO, m->exit_reason);
	}
	/* Every KVM_RUN of the recording, each of which returned. */
	EXPECT_EQ(self->vmm.nr_runs, in);
	EXPECT_EQ(in, out);
	EXPECT_EQ(self->recs.count[VMTRACE_REC_VCPU_IN], in);
}

TEST_HARNESS_MAIN
