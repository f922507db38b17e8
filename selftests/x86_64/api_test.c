// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/vmtrace system ioctls: API version and extensions.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vt.h"

FIXTURE(api) {
	int fd;
};

FIXTURE_SETUP(api)
{
	VT_SETUP_CTL(self->fd);
}

FIXTURE_TEARDOWN(api)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(api, version)
{
	EXPECT_EQ(VMTRACE_API_VERSION, ioctl(self->fd, VMTRACE_GET_API_VERSION, 0));
	EXPECT_EQ(-1, ioctl(self->fd, VMTRACE_GET_API_VERSION, 1));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(api, known_extensions)
{
	EXPECT_EQ(1, ioctl(self->fd, VMTRACE_CHECK_EXTENSION, VMTRACE_CAP_ATTACH));
	EXPECT_EQ(1, ioctl(self->fd, VMTRACE_CHECK_EXTENSION,
			   VMTRACE_CAP_SESSION_INFO));
}

TEST_F(api, vendor_extensions_match_loaded_module)
{
	EXPECT_EQ(!access("/sys/module/kvm_amd", F_OK),
		  ioctl(self->fd, VMTRACE_CHECK_EXTENSION, VMTRACE_CAP_SVM));
	EXPECT_EQ(!access("/sys/module/kvm_intel", F_OK),
		  ioctl(self->fd, VMTRACE_CHECK_EXTENSION, VMTRACE_CAP_VMX));
}

TEST_F(api, unknown_extension_is_zero)
{
	EXPECT_EQ(0, ioctl(self->fd, VMTRACE_CHECK_EXTENSION, 0));
	EXPECT_EQ(0, ioctl(self->fd, VMTRACE_CHECK_EXTENSION, 12345));
}

TEST_F(api, unknown_ioctl_is_enotty)
{
	EXPECT_EQ(-1, ioctl(self->fd, _IO(VMTRACEIO, 0x0f), 0));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, VMTRACE_SESSION_INFO, NULL));
	EXPECT_EQ(ENOTTY, errno);
}

TEST_F(api, debugfs_version)
{
	char buf[64] = "", want[16];
	FILE *f = fopen(VT_DEBUGFS "/version", "r");

	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(buf, sizeof(buf), f));
	fclose(f);
	snprintf(want, sizeof(want), " api %d\n", VMTRACE_API_VERSION);
	EXPECT_NE(NULL, strstr(buf, want));
}

/* debugfs's pmu file and VMTRACE_CAP_REPLAY_PMU give the same answer. */
TEST_F(api, debugfs_pmu)
{
	int cap = ioctl(self->fd, VMTRACE_CHECK_EXTENSION, VMTRACE_CAP_REPLAY_PMU);
	FILE *f = fopen(VT_DEBUGFS "/pmu", "r");
	char buf[256] = "";

	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(buf, sizeof(buf), f));
	fclose(f);
	TH_LOG("%s", buf);
	ASSERT_TRUE(cap == 0 || cap == 1);
	EXPECT_EQ(0, strncmp(buf, cap ? "pmu: yes (" : "pmu: no (", cap ? 10 : 9));
	EXPECT_NE(NULL, strchr(buf, ')'));
}

TEST_HARNESS_MAIN
