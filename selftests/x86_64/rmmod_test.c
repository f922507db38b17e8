// SPDX-License-Identifier: GPL-2.0
/*
 * rmmod while attached is refused and leaves the VM running; after the
 * session is closed it succeeds. The module is inserted again from
 * $VMTRACE_KO so the tests after this one still have it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vmm.h"
#include "vt.h"

static int delete_module(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK);
}

static int insert_module(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -1;
	ret = syscall(SYS_finit_module, fd, "", 0);
	close(fd);
	return ret;
}

TEST(rmmod_refused_while_attached_then_allowed)
{
	const char *ko = getenv("VMTRACE_KO");
	struct vmtrace_attach a;
	struct vmm vmm;
	int ctl, s;

	if (vt_skip_reason())
		SKIP(return, "%s", vt_skip_reason());
	if (!ko || access(ko, R_OK))
		SKIP(return, "VMTRACE_KO does not name the module file");
	ASSERT_EQ(0, vmm_create(&vmm, VMM_REAL, GUEST_PROG(real_spin)));
	ASSERT_EQ(0, vmm_start(&vmm));
	ctl = vt_open();
	ASSERT_LE(0, ctl);
	s = vt_attach(ctl, vmm.vm_fd, &a);
	ASSERT_LE(0, s);
	close(ctl);

	EXPECT_EQ(-1, delete_module("vmtrace"));
	EXPECT_EQ(EWOULDBLOCK, errno);
	EXPECT_TRUE(vmm_wait_ticks(&vmm, 100, 5000));
	EXPECT_EQ(1, vt_status(a.session_id, "state"));

	close(s);
	ASSERT_EQ(0, delete_module("vmtrace"));
	EXPECT_NE(0, access("/dev/vmtrace", F_OK));
	EXPECT_TRUE(vmm_wait_ticks(&vmm, 100, 5000));
	ASSERT_EQ(0, insert_module(ko));
	EXPECT_EQ(0, access("/dev/vmtrace", F_OK));
	vmm_destroy(&vmm);
}

TEST_HARNESS_MAIN
