/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Recording KVM's writes of the guest's clocks into guest memory.
 */
#ifndef _VMTRACE_REC_CLOCK_H
#define _VMTRACE_REC_CLOCK_H

#include <linux/types.h>

struct vmtrace_vcpu;
struct vmtrace_vcpu_rec;

void vmtrace_rec_pvclock(struct vmtrace_vcpu *v);
void vmtrace_rec_unhold(struct vmtrace_vcpu *v);
void vmtrace_rec_wall_clock_msr(struct vmtrace_vcpu_rec *vr, u32 msr, u64 gpa);
void vmtrace_rec_wall_clock(struct vmtrace_vcpu *v);

#endif /* _VMTRACE_REC_CLOCK_H */
