// SPDX-License-Identifier: GPL-2.0
/*
 * Every validation branch of VMTRACE_ATTACH and VMTRACE_SESSION_INFO,
 * each with otherwise valid input, and the VM untouched after each.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vmm.h"
#include "vt.h"

FIXTURE(errors) {
	struct vmm vmm;
	int ctl;
	struct vmtrace_attach a;
};

FIXTURE_SETUP(errors)
{
	VT_SETUP_CTL(self->ctl);
	ASSERT_EQ(0, vmm_create(&self->vmm, VMM_REAL, GUEST_PROG(real_spin)));
	ASSERT_EQ(0, vmm_start(&self->vmm));
	memset(&self->a, 0, sizeof(self->a));
	self->a.size = sizeof(self->a);
	self->a.vm_fd = self->vmm.vm_fd;
}

FIXTURE_TEARDOWN(errors)
{
	if (self->ctl < 0)
		return;
	/* Whatever failed, the guest still runs. */
	EXPECT_TRUE(vmm_wait_ticks(&self->vmm, 10, 5000));
	vmm_destroy(&self->vmm);
	close(self->ctl);
}

static int attach_errno(int ctl, void *arg)
{
	return ioctl(ctl, VMTRACE_ATTACH, arg) < 0 ? errno : 0;
}

TEST_F(errors, size_zero)
{
	self->a.size = 0;
	EXPECT_EQ(EINVAL, attach_errno(self->ctl, &self->a));
}

TEST_F(errors, size_smaller_than_v1)
{
	self->a.size = 8;
	EXPECT_EQ(EINVAL, attach_errno(self->ctl, &self->a));
}

TEST_F(errors, size_larger_than_a_page)
{
	self->a.size = 8192;
	EXPECT_EQ(E2BIG, attach_errno(self->ctl, &self->a));
}

TEST_F(errors, larger_struct_with_nonzero_tail)
{
	struct { struct vmtrace_attach a; __u64 more; } big = { self->a, 7 };

	big.a.size = sizeof(big);
	EXPECT_EQ(E2BIG, attach_errno(self->ctl, &big));
}

TEST_F(errors, larger_struct_with_zero_tail_is_accepted)
{
	struct { struct vmtrace_attach a; __u64 more; } big = { self->a, 0 };
	int s;

	big.a.size = sizeof(big);
	s = ioctl(self->ctl, VMTRACE_ATTACH, &big);
	ASSERT_LE(0, s);
	EXPECT_NE(0, big.a.session_id);
	EXPECT_EQ(0, big.more);
	close(s);
}

TEST_F(errors, unknown_flag)
{
	self->a.flags = 1ULL << 63;
	EXPECT_EQ(EINVAL, attach_errno(self->ctl, &self->a));
}

/* A digest at every exit is a recording option: alone, or for a replay, no. */
TEST_F(errors, digest_exits_without_record)
{
	self->a.flags = VMTRACE_ATTACH_DIGEST_EXITS;
	EXPECT_EQ(EINVAL, attach_errno(self->ctl, &self->a));
	self->a.flags = VMTRACE_ATTACH_DIGEST_EXITS | VMTRACE_ATTACH_REPLAY;
	EXPECT_EQ(EINVAL, attach_errno(self->ctl, &self->a));
	self->a.flags = VMTRACE_ATTACH_DIGEST_EXITS | VMTRACE_ATTACH_RESUME;
	EXPECT_EQ(EINVAL, attach_errno(self->ctl, &self->a));
}

/* Branch counting is a replay option; refused where the host has no counter. */
TEST_F(errors, pmu_flag)
{
	int cap = ioctl(self->ctl, VMTRACE_CHECK_EXTENSION, VMTRACE_CAP_REPLAY_PMU);
	int s, e;

	self->a.flags = VMTRACE_ATTACH_PMU;
	EXPECT_EQ(EINVAL, attach_errno(self->ctl, &self->a));
	self->a.flags = VMTRACE_ATTACH_PMU | VMTRACE_ATTACH_RECORD;
	EXPECT_EQ(EINVAL, attach_errno(self->ctl, &self->a));
	self->a.flags = VMTRACE_ATTACH_PMU | VMTRACE_ATTACH_RESUME;
	EXPECT_EQ(EINVAL, attach_errno(self->ctl, &self->a));
	ASSERT_TRUE(cap == 0 || cap == 1);
	self->a.flags = VMTRACE_ATTACH_PMU | VMTRACE_ATTACH_REPLAY;
	s = ioctl(self->ctl, VMTRACE_ATTACH, &self->a);
	e = s < 0 ? errno : 0;
	if (cap) {
		EXPECT_LE(0, s);
	} else {
		EXPECT_TRUE(e == ENODEV || e == EOPNOTSUPP);
		TH_LOG("no branch counter here: attach refused with %s", strerror(e));
	}
	if (s >= 0)
		close(s);
	/* Nothing was left attached: a plain attach works. */
	self->a.flags = 0;
	s = ioctl(self->ctl, VMTRACE_ATTACH, &self->a);
	EXPECT_LE(0, s);
	if (s >= 0)
		close(s);
}

TEST_F(errors, nonzero_reserved)
{
	self->a.reserved[2] = 1;
	EXPECT_EQ(EINVAL, attach_errno(self->ctl, &self->a));
}

TEST_F(errors, bad_fd)
{
	self->a.vm_fd = 100000;
	EXPECT_EQ(EBADF, attach_errno(self->ctl, &self->a));
}

TEST_F(errors, regular_file)
{
	int fd = open("/proc/self/status", O_RDONLY);

	self->a.vm_fd = fd;
	EXPECT_EQ(EINVAL, attach_errno(self->ctl, &self->a));
	close(fd);
}

TEST_F(errors, dev_kvm_is_not_a_vm)
{
	self->a.vm_fd = self->vmm.kvm_fd;
	EXPECT_EQ(EINVAL, attach_errno(self->ctl, &self->a));
}

TEST_F(errors, vcpu_fd_is_not_a_vm)
{
	self->a.vm_fd = self->vmm.vcpu[0].fd;
	EXPECT_EQ(EINVAL, attach_errno(self->ctl, &self->a));
}

TEST_F(errors, session_fd_is_not_a_vm)
{
	struct vmtrace_attach b;
	int s = vt_attach(self->ctl, self->vmm.vm_fd, &b);

	ASSERT_LE(0, s);
	self->a.vm_fd = s;
	EXPECT_EQ(EINVAL, attach_errno(self->ctl, &self->a));
	close(s);
}

TEST_F(errors, bad_pointer)
{
	EXPECT_EQ(EFAULT, attach_errno(self->ctl, (void *)16));
}

TEST_F(errors, not_permitted_without_cap_sys_admin)
{
	int status, pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* Keep the open /dev/vmtrace fd, lose root. */
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(100);
		_exit(attach_errno(self->ctl, &self->a));
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(EPERM, WEXITSTATUS(status));
}

TEST_F(errors, session_info_validation)
{
	struct vmtrace_session_info info = { .size = sizeof(info) };
	struct vmtrace_attach b;
	int s = vt_attach(self->ctl, self->vmm.vm_fd, &b);

	ASSERT_LE(0, s);
	info.size = 16;
	EXPECT_EQ(-1, vt_ioctl(s, VMTRACE_SESSION_INFO, &info));
	EXPECT_EQ(EINVAL, errno);
	info.size = sizeof(info);
	info.flags = 1;
	EXPECT_EQ(-1, vt_ioctl(s, VMTRACE_SESSION_INFO, &info));
	EXPECT_EQ(EINVAL, errno);
	info.flags = 0;
	info.size = 1 << 20;
	EXPECT_EQ(-1, vt_ioctl(s, VMTRACE_SESSION_INFO, &info));
	EXPECT_EQ(E2BIG, errno);
	EXPECT_EQ(-1, ioctl(s, VMTRACE_ATTACH, &self->a));
	EXPECT_EQ(ENOTTY, errno);
	close(s);
}

TEST_HARNESS_MAIN
