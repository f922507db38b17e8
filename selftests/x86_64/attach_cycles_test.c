// SPDX-License-Identifier: GPL-2.0
/*
 * 100 attach/detach cycles while the guest runs: every cycle works, the
 * session disappears each time, the guest keeps making progress.
 */
#define _GNU_SOURCE
#include <unistd.h>

#include "kselftest_harness.h"
#include "vmm.h"
#include "vt.h"

#define CYCLES	100

FIXTURE(cycles) {
	int unused;
};

FIXTURE_SETUP(cycles)
{
}

FIXTURE_TEARDOWN(cycles)
{
}

/* Under TCG each cycle takes most of a second (RCU grace periods). */
TEST_F_TIMEOUT(cycles, hundred_attach_detach_cycles, 600)
{
	struct vmtrace_attach a;
	int ctl, s, i, failed = 0, listed = 0;
	uint64_t ticks;
	struct vmm vmm;

	if (vt_skip_reason())
		SKIP(return, "%s", vt_skip_reason());
	ASSERT_EQ(0, vmm_create(&vmm, VMM_REAL, GUEST_PROG(real_spin)));
	ASSERT_EQ(0, vmm_start(&vmm));
	ctl = vt_open();
	ASSERT_LE(0, ctl);
	ticks = vmm.ticks;
	for (i = 0; i < CYCLES; i++) {
		s = vt_attach(ctl, vmm.vm_fd, &a);
		if (s < 0) {
			failed++;
			continue;
		}
		close(s);
		listed += vt_session_listed(a.session_id);
	}
	EXPECT_EQ(0, failed);
	EXPECT_EQ(0, listed);
	EXPECT_LT(ticks, vmm.ticks);
	EXPECT_TRUE(vmm_wait_ticks(&vmm, 100, 5000));
	EXPECT_EQ(0, vmm.exit_reason);
	close(ctl);
	vmm_destroy(&vmm);
}

TEST_HARNESS_MAIN
