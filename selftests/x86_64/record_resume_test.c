// SPDX-License-Identifier: GPL-2.0
/*
 * A recording outlives its owner: when the process holding the session
 * fd dies (here: closes it without VMTRACE_RECORD_STOP), the session
 * stays, a new owner takes it over with VMTRACE_ATTACH_RESUME and
 * VMTRACE_RECORD_RESUME, and gets every chunk its predecessor read but
 * did not keep. Nothing is lost.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "chunks.h"
#include "vmm.h"
#include "vt.h"

#define SAVED_CHUNKS	3

FIXTURE(resume) {
	struct vmm vmm;
	int ctl;
};

FIXTURE_SETUP(resume)
{
	VT_SETUP_CTL(self->ctl);
	ASSERT_EQ(0, vmm_create(&self->vmm, VMM_REAL, GUEST_PROG(real_rdtsc_spin)));
	ASSERT_EQ(0, vmm_start(&self->vmm));
	ASSERT_TRUE(vmm_wait_ticks(&self->vmm, 10, 5000));
}

FIXTURE_TEARDOWN(resume)
{
	if (self->ctl < 0)
		return;
	vmm_destroy(&self->vmm);
	close(self->ctl);
}

static uint64_t tsc_of(const struct vmtrace_rec *r)
{
	return ((const struct vmtrace_rec_tsc *)r)->tsc;
}

TEST_F(resume, owner_killed_then_taken_over_without_loss)
{
	struct vmtrace_record_info info = { .size = sizeof(info) };
	struct vt_records saved, rest;
	struct vmtrace_attach a, b;
	uint64_t next = SAVED_CHUNKS, bad;
	int s1, s2;

	s1 = vt_attach_flags(self->ctl, self->vmm.vm_fd, VMTRACE_ATTACH_RECORD, &a);
	ASSERT_LE(0, s1);
	/* The first owner reads more than it saves, then dies. */
	ASSERT_EQ(0, vt_read_chunks(a.session_id, SAVED_CHUNKS, &saved, 30000))
		TH_LOG("%s", saved.error);
	close(s1);
	EXPECT_TRUE(vt_session_listed(a.session_id));
	EXPECT_GT(0, vt_attach(self->ctl, self->vmm.vm_fd, &b));
	EXPECT_EQ(EBUSY, errno);

	s2 = vt_attach_flags(self->ctl, self->vmm.vm_fd, VMTRACE_ATTACH_RESUME, &b);
	ASSERT_LE(0, s2) TH_LOG("resume: %s", strerror(errno));
	EXPECT_EQ(a.session_id, b.session_id);
	EXPECT_GT(0, vt_attach_flags(self->ctl, self->vmm.vm_fd,
				     VMTRACE_ATTACH_RESUME, &b));
	EXPECT_EQ(EBUSY, errno);
	bad = 1ULL << 40;
	EXPECT_GT(0, ioctl(s2, VMTRACE_RECORD_RESUME, &bad));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, ioctl(s2, VMTRACE_RECORD_RESUME, &next));

	ASSERT_TRUE(vmm_wait_ticks(&self->vmm, 2000, 20000));
	ASSERT_EQ(0, vt_ioctl(s2, VMTRACE_RECORD_STOP, NULL));
	ASSERT_EQ(0, vt_drain_from(a.session_id, s2, 1, SAVED_CHUNKS, &rest, 30000))
		TH_LOG("%s", rest.error);
	ASSERT_EQ(0, vt_ioctl(s2, VMTRACE_RECORD_INFO, &info));
	EXPECT_EQ(info.records[VMTRACE_REC_RDTSC],
		  saved.count[VMTRACE_REC_RDTSC] + rest.count[VMTRACE_REC_RDTSC]);
	EXPECT_EQ(info.chunks, SAVED_CHUNKS + rest.chunks);
	EXPECT_EQ(1, rest.end_chunks);
	/* The TSC values continue across the takeover: none is missing. */
	ASSERT_NE(NULL, vt_rec_last(&saved, VMTRACE_REC_RDTSC));
	ASSERT_NE(NULL, vt_rec_next(&rest, NULL, VMTRACE_REC_RDTSC));
	EXPECT_LT(tsc_of(vt_rec_last(&saved, VMTRACE_REC_RDTSC)),
		  tsc_of(vt_rec_next(&rest, NULL, VMTRACE_REC_RDTSC)));
	EXPECT_EQ(vt_rec_last(&saved, VMTRACE_REC_RDTSC)->ordinal + 2,
		  vt_rec_next(&rest, NULL, VMTRACE_REC_RDTSC)->ordinal);
	vt_records_free(&saved);
	vt_records_free(&rest);
	close(s2);
	EXPECT_FALSE(vt_session_listed(a.session_id));
}

TEST_F(resume, a_stopped_recording_ends_with_its_fd)
{
	struct vmtrace_attach a, b;
	int s = vt_attach_flags(self->ctl, self->vmm.vm_fd,
				VMTRACE_ATTACH_RECORD, &a);

	ASSERT_LE(0, s);
	ASSERT_EQ(0, vt_ioctl(s, VMTRACE_RECORD_STOP, NULL));
	close(s);
	EXPECT_FALSE(vt_session_listed(a.session_id));
	EXPECT_GT(0, vt_attach_flags(self->ctl, self->vmm.vm_fd,
				     VMTRACE_ATTACH_RESUME, &b));
	EXPECT_EQ(ENOENT, errno);
}

TEST_F(resume, an_ownerless_recording_ends_with_its_vm)
{
	struct vmtrace_attach a;
	int s = vt_attach_flags(self->ctl, self->vmm.vm_fd,
				VMTRACE_ATTACH_RECORD, &a);
	int i;

	ASSERT_LE(0, s);
	close(s);
	ASSERT_TRUE(vt_session_listed(a.session_id));
	vmm_destroy(&self->vmm);
	for (i = 0; i < 50 && vt_session_listed(a.session_id); i++)
		usleep(100000);
	EXPECT_FALSE(vt_session_listed(a.session_id));
	/* For the teardown. */
	ASSERT_EQ(0, vmm_create(&self->vmm, VMM_REAL, GUEST_PROG(real_spin)));
}

TEST_HARNESS_MAIN
