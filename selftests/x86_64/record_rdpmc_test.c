// SPDX-License-Identifier: GPL-2.0
/*
 * RDPMC in a recorded guest. KVM either answers it, and the trace holds an
 * rdpmc record per instruction with the counter the guest asked for and
 * the value it got, or refuses it with #GP, and the trace holds that #GP
 * at the RDPMC instead, and no rdpmc record. Each test checks one case and
 * skips in the other. In the test VM (no host PMU) KVM 6.1 answers (0),
 * KVM 6.12 refuses ("no PMU in KVM: RDPMC raises #GP").
 */
#define _GNU_SOURCE
#include <errno.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "chunks.h"
#include "vmm.h"
#include "vt.h"

/* As in guest_real_rdpmc (lib/guest_code.S). */
#define NR_RDPMC	3
#define RDPMC_GP_TAG	0x80000000u
/* What the guest writes to the AMD counter before reading it. */
#define RDPMC_VALUE	0x12349abcde00ull

FIXTURE(rdpmc) {
	struct vmm vmm;
	struct vt_records recs;
	int ctl, nr_gp;
};

FIXTURE_SETUP(rdpmc)
{
	struct vmtrace_attach a;
	int s, i;

	memset(&self->recs, 0, sizeof(self->recs));
	VT_SETUP_CTL(self->ctl);
	ASSERT_EQ(0, vmm_create(&self->vmm, VMM_REAL, GUEST_PROG(real_rdpmc)));
	s = vt_attach_flags(self->ctl, self->vmm.vm_fd, VMTRACE_ATTACH_RECORD, &a);
	ASSERT_LE(0, s) TH_LOG("attach: %s", strerror(errno));
	ASSERT_EQ(0, vmm_run_to_done(&self->vmm, 10000));
	ASSERT_EQ(0, vt_ioctl(s, VMTRACE_RECORD_STOP, NULL));
	ASSERT_EQ(0, vt_drain(a.session_id, s, 1, &self->recs, 10000))
		TH_LOG("%s", self->recs.error);
	close(s);
	ASSERT_EQ(3 * NR_RDPMC, self->vmm.nr_reports);
	self->nr_gp = 0;
	for (i = 0; i < NR_RDPMC; i++)
		if (self->vmm.reports[3 * i] & RDPMC_GP_TAG)
			self->nr_gp++;
}

FIXTURE_TEARDOWN(rdpmc)
{
	if (self->ctl < 0)
		return;
	vt_records_free(&self->recs);
	vmm_destroy(&self->vmm);
	close(self->ctl);
}

/* The counter the guest's i-th RDPMC asked for. */
static uint32_t rdpmc_ecx(int i)
{
	return NR_RDPMC - 1 - i;
}

TEST_F(rdpmc, refused_rdpmc_is_its_gp_not_a_value)
{
	const struct vmtrace_rec *r = NULL;
	int i;

	if (self->nr_gp != NR_RDPMC)
		SKIP(return, "KVM answered %d of %d RDPMCs: no #GP to check",
		     NR_RDPMC - self->nr_gp, NR_RDPMC);
	EXPECT_EQ(0, self->recs.count[VMTRACE_REC_RDPMC]);
	ASSERT_EQ(NR_RDPMC, self->recs.count[VMTRACE_REC_EXCEPTION]);
	for (i = 0; i < NR_RDPMC; i++) {
		const struct vmtrace_rec_event *e;

		r = vt_rec_next(&self->recs, r, VMTRACE_REC_EXCEPTION);
		ASSERT_NE(NULL, r);
		e = (const void *)r;
		EXPECT_EQ(13, e->vector);	/* #GP */
		/* The handler saw the IP of the RDPMC, where it was injected. */
		EXPECT_EQ(self->vmm.reports[3 * i] & ~RDPMC_GP_TAG, e->rip);
		EXPECT_EQ(rdpmc_ecx(i), e->rcx);
	}
}

TEST_F(rdpmc, rdpmc_values_are_what_the_guest_read)
{
	const struct vmtrace_rec *r = NULL;
	int i;

	if (self->nr_gp == NR_RDPMC)
		SKIP(return, "no PMU in KVM: RDPMC raises #GP");
	/* Either KVM has a PMU or it has none: never some of each. */
	ASSERT_EQ(0, self->nr_gp);
	EXPECT_EQ(0, self->recs.count[VMTRACE_REC_EXCEPTION]);
	ASSERT_EQ(NR_RDPMC, self->recs.count[VMTRACE_REC_RDPMC]);
	for (i = 0; i < NR_RDPMC; i++) {
		const struct vmtrace_rec_rdpmc *p;
		uint64_t got = self->vmm.reports[3 * i + 1] |
			       (uint64_t)self->vmm.reports[3 * i + 2] << 32;

		r = vt_rec_next(&self->recs, r, VMTRACE_REC_RDPMC);
		ASSERT_NE(NULL, r);
		p = (const void *)r;
		EXPECT_EQ(rdpmc_ecx(i), p->ecx);
		EXPECT_EQ(got, p->value);
		EXPECT_EQ(0, p->pad);
		/* An AMD vPMU returns what the guest wrote; others their count. */
		TH_LOG("RDPMC of counter %u: %#llx%s", p->ecx,
		       (unsigned long long)p->value,
		       p->value == RDPMC_VALUE + p->ecx ? " (the value written)" : "");
	}
}

TEST_HARNESS_MAIN
