// SPDX-License-Identifier: GPL-2.0
/*
 * The session ends cleanly when the VM does: the VMM killed while
 * attached, or the VM destroyed while the VMM lives on.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vmm.h"
#include "vt.h"

#define HUP_TIMEOUT_MS	5000

FIXTURE(vmm_exit) {
	int ctl;
};

FIXTURE_SETUP(vmm_exit)
{
	VT_SETUP_CTL(self->ctl);
}

FIXTURE_TEARDOWN(vmm_exit)
{
	if (self->ctl >= 0)
		close(self->ctl);
}

static void expect_detached(struct __test_metadata *_metadata, int s,
			    uint64_t id)
{
	struct vmtrace_session_info info;

	EXPECT_TRUE(vt_wait_hup(s, HUP_TIMEOUT_MS));
	ASSERT_EQ(0, vt_info(s, &info));
	EXPECT_EQ(VMTRACE_STATE_DETACHED, info.state);
	EXPECT_EQ(2, vt_status(id, "state"));
}

TEST_F(vmm_exit, vmm_killed_while_attached)
{
	struct vmtrace_attach a;
	int pid, remote, vm_fd, s;

	ASSERT_EQ(0, vmm_child(VMM_REAL, GUEST_PROG(real_spin), &remote, &pid));
	vm_fd = vt_grab_fd(pid, remote);
	ASSERT_LE(0, vm_fd);
	s = vt_attach(self->ctl, vm_fd, &a);
	close(vm_fd);
	ASSERT_LE(0, s);
	EXPECT_EQ(pid, (int)a.vmm_pid);
	/* Not detached while the VMM lives. */
	EXPECT_FALSE(vt_wait_hup(s, 500));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	expect_detached(_metadata, s, a.session_id);
	close(s);
	EXPECT_FALSE(vt_session_listed(a.session_id));
}

/* A VMM of ours in this process, its guest running, attached. */
static int attach_own_vmm(struct __test_metadata *_metadata, int ctl,
			  struct vmm *vmm, struct vmtrace_attach *a)
{
	int s;

	EXPECT_EQ(0, vmm_create(vmm, VMM_REAL, GUEST_PROG(real_spin)));
	EXPECT_EQ(0, vmm_start(vmm));
	s = vt_attach(ctl, vmm->vm_fd, a);
	EXPECT_LE(0, s);
	return s;
}

TEST_F(vmm_exit, vm_destroyed_while_vmm_lives)
{
	struct vmtrace_attach a;
	struct vmm vmm;
	int s = attach_own_vmm(_metadata, self->ctl, &vmm, &a);

	ASSERT_LE(0, s);
	EXPECT_FALSE(vt_wait_hup(s, 300));
	vmm_destroy(&vmm);
	expect_detached(_metadata, s, a.session_id);
	close(s);
}

TEST_F(vmm_exit, closing_the_vm_fd_alone_keeps_the_session)
{
	struct vmtrace_attach a;
	struct vmm vmm;
	int s = attach_own_vmm(_metadata, self->ctl, &vmm, &a);

	/* The vCPU fd still holds the VM: it is not gone. */
	ASSERT_LE(0, s);
	close(vmm.vm_fd);
	vmm.vm_fd = -1;
	EXPECT_FALSE(vt_wait_hup(s, 600));
	EXPECT_TRUE(vmm_wait_ticks(&vmm, 10, 5000));
	vmm_destroy(&vmm);
	expect_detached(_metadata, s, a.session_id);
	close(s);
}

TEST_HARNESS_MAIN
