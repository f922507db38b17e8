// SPDX-License-Identifier: GPL-2.0
/*
 * KVM tracepoints that kvm.ko does not export: kvm_pio, kvm_mmio and
 * kvm_cpuid. They carry the values recording needs (an IN's data when it
 * arrives, an MMIO read's value, a CPUID's result). The tracepoint module
 * notifier hands us every module's tracepoint table, so we find them by
 * name there, without kallsyms. This is the only place that resolves
 * symbols kvm.ko keeps to itself.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "kvm_tracepoints.h"

static const char * const vmtrace_ktp_names[VMTRACE_KTP_NR] = {
	[VMTRACE_KTP_PIO]	= "kvm_pio",
	[VMTRACE_KTP_MMIO]	= "kvm_mmio",
	[VMTRACE_KTP_CPUID]	= "kvm_cpuid",
};

static struct tracepoint *vmtrace_ktp[VMTRACE_KTP_NR];
static DEFINE_MUTEX(vmtrace_ktp_lock);

static void vmtrace_ktp_scan(struct module *mod, bool coming)
{
	unsigned int i, k;

	if (strcmp(mod->name, "kvm"))
		return;
	mutex_lock(&vmtrace_ktp_lock);
	for (i = 0; i < mod->num_tracepoints; i++) {
		struct tracepoint *tp = tracepoint_ptr_deref(&mod->tracepoints_ptrs[i]);

		for (k = 0; k < VMTRACE_KTP_NR; k++)
			if (!strcmp(tp->name, vmtrace_ktp_names[k]))
				vmtrace_ktp[k] = coming ? tp : NULL;
	}
	mutex_unlock(&vmtrace_ktp_lock);
}

static int vmtrace_ktp_notify(struct notifier_block *nb, unsigned long val,
			      void *data)
{
	struct tp_module *tp_mod = data;

	if (val == MODULE_STATE_COMING || val == MODULE_STATE_GOING)
		vmtrace_ktp_scan(tp_mod->mod, val == MODULE_STATE_COMING);
	return NOTIFY_OK;
}

static struct notifier_block vmtrace_ktp_nb = {
	.notifier_call = vmtrace_ktp_notify,
};

/**
 * vmtrace_kvm_tracepoint() - one of KVM's unexported tracepoints
 * @id: which.
 *
 * Context: process context.
 * Return: the tracepoint, or NULL if kvm.ko is not loaded.
 */
struct tracepoint *vmtrace_kvm_tracepoint(enum vmtrace_ktp id)
{
	struct tracepoint *tp;

	mutex_lock(&vmtrace_ktp_lock);
	tp = vmtrace_ktp[id];
	mutex_unlock(&vmtrace_ktp_lock);
	return tp;
}

/**
 * vmtrace_kvm_tracepoints_init() - start tracking kvm.ko's tracepoints
 *
 * Context: module init.
 * Return: 0 or the notifier registration's error.
 */
int vmtrace_kvm_tracepoints_init(void)
{
	return register_tracepoint_module_notifier(&vmtrace_ktp_nb);
}

/**
 * vmtrace_kvm_tracepoints_exit() - stop tracking them
 *
 * Context: module exit.
 */
void vmtrace_kvm_tracepoints_exit(void)
{
	unregister_tracepoint_module_notifier(&vmtrace_ktp_nb);
}
