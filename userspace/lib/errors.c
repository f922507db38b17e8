// SPDX-License-Identifier: GPL-2.0
/*
 * Error codes of libvmtrace, their messages, and where paths come from.
 */
#include <errno.h>
#include <stdlib.h>

#include "vmtrace.h"

static const char * const vmtrace_messages[] = {
	[VMTRACE_OK]		= "success",
	[VMTRACE_E_OTHER]	= "error",
	[VMTRACE_E_USAGE]	= "invalid usage",
	[VMTRACE_E_NOMODULE]	= "the vmtrace module is not loaded (no /dev/vmtrace)",
	[VMTRACE_E_NOPID]	= "no such process",
	[VMTRACE_E_NOTVMM]	= "the process is not a KVM VMM (it has no KVM VM)",
	[VMTRACE_E_BUSY]	= "the VM is already attached",
	[VMTRACE_E_PERM]	= "not permitted (needs root: CAP_SYS_ADMIN and ptrace access to the VMM)",
	[VMTRACE_E_NOTATTACHED]	= "the VM is not attached",
	[VMTRACE_E_VERSION]	= "the module speaks another API version; rebuild the tools",
	[VMTRACE_E_CORRUPT]	= "the trace file is corrupt or incomplete",
	[VMTRACE_E_DIVERGED]	= "the replay diverged from the recording",
	[VMTRACE_E_NOREPLAY]	= "the trace cannot be replayed",
};

const char *vmtrace_strerror(enum vmtrace_err err)
{
	if ((unsigned int)err >= sizeof(vmtrace_messages) / sizeof(vmtrace_messages[0]))
		return "unknown error";
	return vmtrace_messages[err];
}

enum vmtrace_err vmtrace_err_from_errno(int err)
{
	switch (err) {
	case 0:
		return VMTRACE_OK;
	case EPERM:
	case EACCES:
		return VMTRACE_E_PERM;
	case ESRCH:
		return VMTRACE_E_NOPID;
	case EBUSY:
		return VMTRACE_E_BUSY;
	case ENOENT:
	case ENODEV:
	case ENXIO:
		return VMTRACE_E_NOMODULE;
	}
	return VMTRACE_E_OTHER;
}

static const char *vmtrace_env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);

	return v && *v ? v : fallback;
}

const char *vmtrace_dev_path(void)
{
	return vmtrace_env_or("VMTRACE_DEV", "/dev/" VMTRACE_DEVICE_NAME);
}

const char *vmtrace_debugfs_dir(void)
{
	return vmtrace_env_or("VMTRACE_DEBUGFS", "/sys/kernel/debug/vmtrace");
}

const char *vmtrace_proc_dir(void)
{
	return vmtrace_env_or("VMTRACE_PROC", "/proc");
}

const char *vmtrace_run_dir(void)
{
	return vmtrace_env_or("VMTRACE_RUNDIR", "/run/vmtrace");
}
