/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for tests of /dev/vmtrace: raw ioctls with their size checked
 * against the ioctl number at build time, debugfs status, fd grabbing.
 */
#ifndef _VMTRACE_SELFTEST_VT_H
#define _VMTRACE_SELFTEST_VT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <linux/vmtrace.h>

#define VT_DEBUGFS	"/sys/kernel/debug/vmtrace"

/* ioctl() with the argument's size checked against the command's. */
#define vt_ioctl(fd, cmd, arg) ({					\
	_Static_assert(!_IOC_SIZE(cmd) || sizeof(*(arg)) == _IOC_SIZE(cmd), \
		       "ioctl argument size");				\
	ioctl(fd, cmd, arg);						\
})

/*
 * In a FIXTURE_SETUP: skip with the reason if vmtrace cannot be tested
 * here, else open /dev/vmtrace into @ctl (-1 when skipped, for teardown).
 */
#define VT_SETUP_CTL(ctl) do {						\
	const char *__why = vt_skip_reason();				\
									\
	(ctl) = -1;							\
	if (__why)							\
		SKIP(return, "%s", __why);				\
	(ctl) = vt_open();						\
	ASSERT_LE(0, (ctl));						\
} while (0)

int vt_open(void);
int vt_attach(int ctl_fd, int vm_fd, struct vmtrace_attach *a);
int vt_attach_flags(int ctl_fd, int vm_fd, uint64_t flags,
		    struct vmtrace_attach *a);
int vt_info(int session_fd, struct vmtrace_session_info *info);
long long vt_status(uint64_t session_id, const char *key);
bool vt_session_listed(uint64_t session_id);
int vt_grab_fd(int pid, int remote_fd);
bool vt_wait_hup(int session_fd, int timeout_ms);
const char *vt_skip_reason(void);

#endif /* _VMTRACE_SELFTEST_VT_H */
