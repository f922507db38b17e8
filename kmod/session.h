/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An attachment of vmtrace to one KVM VM.
 */
#ifndef _VMTRACE_SESSION_H
#define _VMTRACE_SESSION_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "exit_kinds.h"

struct kvm;
struct kvm_vcpu;
struct dentry;
struct file;
struct vmtrace_vendor_ops;
struct vmtrace_recorder;
struct vmtrace_replayer;
struct vmtrace_vcpu_rec;
struct vmtrace_vcpu_rep;

/**
 * struct vmtrace_vcpu - what a session knows of one vCPU
 * @vcpu: the KVM vCPU; valid while the session holds its VM reference.
 * @idx: vcpu->vcpu_idx, the key in &vmtrace_session.vcpus.
 * @entries: VM entries seen; written only by the vCPU thread.
 * @exits: VM exits seen; written only by the vCPU thread.
 * @exit_kinds: exits that reached the vendor's handle_exit, by kind;
 *	written only by the vCPU thread.
 * @last_rip: guest RIP at the last exit that reached handle_exit.
 * @exit_entry: @entries when the last exit was counted, so that an exit
 *	the module handles itself is counted once, whether KVM traces
 *	kvm_exit before handle_exit (6.12) or inside it (6.1 SVM).
 * @rec: recording state, NULL unless the session records.
 * @rep: replay state, NULL unless the session replays.
 * @icpt_lock: orders the kvm_entry probe's and detach's changes of
 *	@exiting.
 * @exiting: vmtrace's exits (RDTSC/RDTSCP; RDRAND/RDSEED on VMX) are on
 *	in the vCPU's VMCB/VMCS.
 * @rcu: frees the struct after the probes can no longer see it.
 */
struct vmtrace_vcpu {
	struct kvm_vcpu *vcpu;
	unsigned int idx;
	u64 entries;
	u64 exits;
	u64 exit_kinds[VMTRACE_EXIT_NR];
	u64 last_rip;
	u64 exit_entry;
	struct vmtrace_vcpu_rec *rec;
	struct vmtrace_vcpu_rep *rep;
	spinlock_t icpt_lock;	/* see the kernel-doc above */
	bool exiting;
	struct rcu_head rcu;
};

/**
 * struct vmtrace_session - one attachment, owned by a session fd
 * @id: unique for the module's lifetime; names the debugfs directory.
 * @kvm: the VM; a reference is held while @state is ATTACHED.
 * @vendor: the KVM vendor module that runs the VM.
 * @vmm_pid: global pid of the VM's creator (kvm->userspace_pid).
 * @state: VMTRACE_STATE_*; changes under @lock, read locklessly.
 * @lock: serializes attach/detach against each other and status.
 * @hnode: entry in the registry, looked up by @kvm under RCU.
 * @vcpus: struct vmtrace_vcpu by vcpu_idx; RCU-safe lookups.
 * @nr_vcpus: entries in @vcpus.
 * @discover_work: adds vCPUs the VMM created after attach.
 * @watch_work: notices when only vmtrace still holds the VM.
 * @wq: woken when @state becomes DETACHED (poll on the session fd).
 * @debugfs: the session's debugfs directory.
 * @rec: the recorder, NULL unless attached with VMTRACE_ATTACH_RECORD.
 * @rep: the replayer, NULL unless attached with VMTRACE_ATTACH_REPLAY.
 * @file: the session's file, behind every fd to it.
 * @kept: the module holds a reference on @file: a recording outlives a
 *	killed owner until VMTRACE_RECORD_STOP or the end of the VM.
 */
struct vmtrace_session {
	u64 id;
	struct kvm *kvm;
	const struct vmtrace_vendor_ops *vendor;
	pid_t vmm_pid;
	u32 state;
	struct mutex lock;	/* see the kernel-doc above */
	struct hlist_node hnode;
	struct xarray vcpus;
	unsigned int nr_vcpus;
	struct work_struct discover_work;
	struct delayed_work watch_work;
	wait_queue_head_t wq;
	struct dentry *debugfs;
	struct vmtrace_recorder *rec;
	struct vmtrace_replayer *rep;
	struct file *file;
	bool kept;
};

struct vmtrace_session *vmtrace_session_create(struct kvm *kvm, u64 flags);
void vmtrace_session_destroy(struct vmtrace_session *s);
void vmtrace_session_detach(struct vmtrace_session *s);
struct vmtrace_session *vmtrace_session_find(struct kvm *kvm);
u32 vmtrace_session_vmm_vnr(struct vmtrace_session *s);
void vmtrace_session_keep(struct vmtrace_session *s, struct file *file);
void vmtrace_session_unkeep(struct vmtrace_session *s);
struct file *vmtrace_session_take_over(struct kvm *kvm);

#endif /* _VMTRACE_SESSION_H */
