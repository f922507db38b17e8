// SPDX-License-Identifier: GPL-2.0
/*
 * The VMM library itself: guests in real and long mode run and report
 * known values through the port protocol.
 */
#define _GNU_SOURCE
#include <unistd.h>

#include "kselftest_harness.h"
#include "vmm.h"

TEST(real_mode_reports)
{
	struct vmm vmm;

	if (access("/dev/kvm", R_OK | W_OK))
		SKIP(return, "no /dev/kvm");
	ASSERT_EQ(0, vmm_create(&vmm, VMM_REAL, GUEST_PROG(real_report)));
	ASSERT_EQ(0, vmm_run_to_done(&vmm, 100));
	EXPECT_EQ(0, vmm.exit_reason);
	ASSERT_EQ(2, vmm.nr_reports);
	EXPECT_EQ(0x12345678, vmm.reports[0]);
	EXPECT_EQ(0xcafe, vmm.reports[1]);
	vmm_destroy(&vmm);
}

TEST(long_mode_reports)
{
	struct vmm vmm;

	if (access("/dev/kvm", R_OK | W_OK))
		SKIP(return, "no /dev/kvm");
	ASSERT_EQ(0, vmm_create(&vmm, VMM_LONG, GUEST_PROG(long_report)));
	ASSERT_EQ(0, vmm_run_to_done(&vmm, 100));
	EXPECT_EQ(0, vmm.exit_reason);
	ASSERT_EQ(3, vmm.nr_reports);
	EXPECT_EQ(5050, vmm.reports[0]);
	EXPECT_EQ(0xdeadbeef, vmm.reports[1]);
	EXPECT_EQ(1, vmm.reports[2]);
	vmm_destroy(&vmm);
}

TEST(spinning_guest_ticks_in_a_thread)
{
	struct vmm vmm;

	if (access("/dev/kvm", R_OK | W_OK))
		SKIP(return, "no /dev/kvm");
	ASSERT_EQ(0, vmm_create(&vmm, VMM_REAL, GUEST_PROG(real_spin)));
	ASSERT_EQ(0, vmm_start(&vmm));
	EXPECT_TRUE(vmm_wait_ticks(&vmm, 100, 5000));
	vmm_stop(&vmm);
	EXPECT_EQ(0, vmm.exit_reason);
	vmm_destroy(&vmm);
}

TEST_HARNESS_MAIN
