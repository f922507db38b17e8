/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The recorder's branch counter in PMU mode (rec_pmu.c).
 */
#ifndef _VMTRACE_REC_PMU_H
#define _VMTRACE_REC_PMU_H

struct vmtrace_session;
struct vmtrace_vcpu;
struct vmtrace_vcpu_rec;

int vmtrace_rec_pmu_attach(struct vmtrace_session *s, struct vmtrace_vcpu *v);
void vmtrace_rec_pmu_run(struct vmtrace_session *s, struct vmtrace_vcpu *v);
void vmtrace_rec_branches_start(struct vmtrace_session *s, struct vmtrace_vcpu *v);
void vmtrace_rec_pmu_exit(struct vmtrace_session *s, struct vmtrace_vcpu *v);
void vmtrace_rec_pmu_free(struct vmtrace_vcpu_rec *vr);

#endif /* _VMTRACE_REC_PMU_H */
