/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names shown to users for ABI values.
 */
#ifndef _VMTRACE_STATUS_H
#define _VMTRACE_STATUS_H

#include <uapi/linux/vmtrace.h>

#define VMTRACE_MODULE_VERSION	"0.1.0"

static inline const char *vmtrace_state_name(u32 state)
{
	switch (state) {
	case VMTRACE_STATE_ATTACHED:
		return "attached";
	case VMTRACE_STATE_DETACHED:
		return "detached";
	}
	return "unknown";
}

#endif /* _VMTRACE_STATUS_H */
