/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Redirecting a KVM function to a wrapper of ours for attached vCPUs.
 */
#ifndef _VMTRACE_REDIRECT_H
#define _VMTRACE_REDIRECT_H

#include <linux/kprobes.h>
#include <linux/module.h>

/**
 * struct vmtrace_redirect - a KVM function whose calls for attached vCPUs
 *	go to a wrapper
 * @symbol: the function; its first argument is a struct kvm_vcpu *.
 * @wrapper: ours, with the same prototype; it calls the original through
 *	@orig and ends with vmtrace_redirect_done().
 * @kp: the kprobe on the function's ftrace site.
 * @orig: entry of the original; set at registration, never cleared, so
 *	that a wrapper already running can always call it.
 * @armed: calls are redirected.
 *
 * Every redirected call holds a reference on this module until its
 * wrapper returns, so that the module cannot go while a wrapper still has
 * a frame on some stack (a KVM_RUN wrapper may wait in a halted guest for
 * a long time). The few instructions after the last module_put() are
 * covered by synchronize_rcu_tasks() at module exit.
 */
struct vmtrace_redirect {
	const char *symbol;
	void *wrapper;
	struct kprobe kp;
	unsigned long orig;
	bool armed;
};

int vmtrace_redirect_register(struct vmtrace_redirect *r);
void vmtrace_redirect_unregister(struct vmtrace_redirect *r);

/**
 * vmtrace_redirect_done() - a wrapper is about to return
 * @r: its redirect.
 *
 * Context: the wrapper, last thing before returning.
 */
static inline void vmtrace_redirect_done(struct vmtrace_redirect *r)
{
	module_put(THIS_MODULE);
}

#endif /* _VMTRACE_REDIRECT_H */
