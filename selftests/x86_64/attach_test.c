// SPDX-License-Identifier: GPL-2.0
/*
 * Attaching to a VM of our own while its guest runs: what the session
 * reports, debugfs, one session per VM, re-attach, late vCPUs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vmm.h"
#include "vt.h"

FIXTURE(attach) {
	struct vmm vmm;
	int ctl;
};

FIXTURE_SETUP(attach)
{
	VT_SETUP_CTL(self->ctl);
	ASSERT_EQ(0, vmm_create(&self->vmm, VMM_REAL, GUEST_PROG(real_spin)));
	ASSERT_EQ(0, vmm_start(&self->vmm));
	ASSERT_TRUE(vmm_wait_ticks(&self->vmm, 10, 5000));
}

FIXTURE_TEARDOWN(attach)
{
	if (self->ctl < 0)
		return;
	vmm_destroy(&self->vmm);
	close(self->ctl);
}

TEST_F(attach, session_info)
{
	struct vmtrace_session_info info;
	struct vmtrace_attach a;
	int s = vt_attach(self->ctl, self->vmm.vm_fd, &a);

	ASSERT_LE(0, s);
	EXPECT_EQ(getpid(), (pid_t)a.vmm_pid);
	EXPECT_EQ(1, a.nr_vcpus);
	EXPECT_NE(0, a.session_id);
	ASSERT_EQ(0, vt_info(s, &info));
	EXPECT_EQ(sizeof(info), info.size);
	EXPECT_EQ(a.session_id, info.session_id);
	EXPECT_EQ(getpid(), (pid_t)info.vmm_pid);
	EXPECT_EQ(VMTRACE_STATE_ATTACHED, info.state);
	EXPECT_EQ(1, info.nr_vcpus);
	EXPECT_EQ(0, info.reserved[0] | info.reserved[3]);
	close(s);
}

TEST_F(attach, counters_grow_while_guest_runs)
{
	struct vmtrace_session_info before, after;
	struct vmtrace_attach a;
	int s = vt_attach(self->ctl, self->vmm.vm_fd, &a);

	ASSERT_LE(0, s);
	ASSERT_TRUE(vmm_wait_ticks(&self->vmm, 10, 5000));
	ASSERT_EQ(0, vt_info(s, &before));
	ASSERT_TRUE(vmm_wait_ticks(&self->vmm, 100, 5000));
	ASSERT_EQ(0, vt_info(s, &after));
	EXPECT_LE(before.entries + 100, after.entries);
	EXPECT_LE(before.exits + 100, after.exits);
	/* Every tick is an OUT: an I/O exit through handle_exit. */
	EXPECT_LE(100, vt_status(a.session_id, "exits_io"));
	close(s);
}

TEST_F(attach, debugfs_status_lives_with_the_fd)
{
	struct vmtrace_attach a;
	int s = vt_attach(self->ctl, self->vmm.vm_fd, &a);

	ASSERT_LE(0, s);
	EXPECT_TRUE(vt_session_listed(a.session_id));
	EXPECT_EQ(getpid(), vt_status(a.session_id, "vmm_pid"));
	EXPECT_EQ(1, vt_status(a.session_id, "vcpus"));
	EXPECT_EQ(1, vt_status(a.session_id, "state"));
	close(s);
	EXPECT_FALSE(vt_session_listed(a.session_id));
}

TEST_F(attach, second_attach_is_ebusy)
{
	struct vmtrace_attach a, b;
	int s = vt_attach(self->ctl, self->vmm.vm_fd, &a);

	ASSERT_LE(0, s);
	EXPECT_EQ(-1, vt_attach(self->ctl, self->vmm.vm_fd, &b));
	EXPECT_EQ(EBUSY, errno);
	/* The first session is untouched. */
	EXPECT_EQ(1, vt_status(a.session_id, "state"));
	close(s);
}

TEST_F(attach, reattach_after_detach)
{
	struct vmtrace_attach a, b;
	int s = vt_attach(self->ctl, self->vmm.vm_fd, &a);

	ASSERT_LE(0, s);
	close(s);
	s = vt_attach(self->ctl, self->vmm.vm_fd, &b);
	ASSERT_LE(0, s);
	EXPECT_NE(a.session_id, b.session_id);
	EXPECT_TRUE(vmm_wait_ticks(&self->vmm, 10, 5000));
	close(s);
}

TEST_F(attach, vcpu_created_after_attach_is_found)
{
	struct vmtrace_session_info info;
	struct vmtrace_attach a;
	int s = vt_attach(self->ctl, self->vmm.vm_fd, &a), i, idx;

	ASSERT_LE(0, s);
	idx = vmm_add_vcpu(&self->vmm);
	ASSERT_EQ(1, idx);
	/* Its first entry makes the module notice it. */
	ASSERT_EQ(0, vmm_run_once(&self->vmm, idx));
	for (i = 0; i < 100; i++) {
		ASSERT_EQ(0, vt_info(s, &info));
		if (info.nr_vcpus == 2)
			break;
		usleep(10000);
	}
	EXPECT_EQ(2, info.nr_vcpus);
	close(s);
}

TEST_HARNESS_MAIN
