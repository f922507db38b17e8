/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Recording the host's writes into guest RAM.
 */
#ifndef _VMTRACE_VMM_WRITES_H
#define _VMTRACE_VMM_WRITES_H

#include "exit_kinds.h"

struct vmtrace_session;
struct vmtrace_vcpu;
struct vmtrace_vcpu_rec;

void vmtrace_vmm_writes_record(struct vmtrace_session *s,
			       struct vmtrace_vcpu_rec *vr);
void vmtrace_vmm_writes_exit(struct vmtrace_vcpu *v,
			     enum vmtrace_exit_kind kind);
void vmtrace_vmm_writes_exit_done(struct vmtrace_vcpu *v);
int vmtrace_vmm_writes_probes_register(void);
void vmtrace_vmm_writes_probes_unregister(void);

#endif /* _VMTRACE_VMM_WRITES_H */
