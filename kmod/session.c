// SPDX-License-Identifier: GPL-2.0
/*
 * Attaching to a KVM VM, the session registry, detach.
 *
 * A session is created by VMTRACE_ATTACH and owned by the session fd. It
 * holds a reference on the VM while attached. It detaches when the fd is
 * closed, or earlier when only vmtrace still holds the VM: the VMM exited,
 * was killed, or closed every VM and vCPU fd. The fd then stays usable for
 * VMTRACE_SESSION_INFO and reports POLLHUP.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/kvm_host.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/slab.h>
#include <uapi/linux/vmtrace.h>

#include "debugfs.h"
#include "hooks.h"
#include "rec_hooks.h"
#include "record.h"
#include "replay.h"
#include "session.h"
#include "vcpu.h"
#include "vendor.h"

/* How often an attached session checks whether its VM was abandoned. */
#define VMTRACE_WATCH_INTERVAL	msecs_to_jiffies(200)

static DEFINE_HASHTABLE(vmtrace_sessions, 6);
/* Protects vmtrace_sessions (writers) and the hooks' user count. */
static DEFINE_MUTEX(vmtrace_sessions_lock);
static atomic64_t vmtrace_next_id = ATOMIC64_INIT(0);

/**
 * vmtrace_session_find() - the attached session of a VM
 * @kvm: the VM.
 *
 * Context: RCU read-side critical section; the result is valid inside it.
 * Return: the session, or NULL if @kvm has none.
 */
struct vmtrace_session *vmtrace_session_find(struct kvm *kvm)
{
	struct vmtrace_session *s;

	hash_for_each_possible_rcu(vmtrace_sessions, s, hnode, (unsigned long)kvm)
		if (s->kvm == kvm)
			return s;
	return NULL;
}

/* Register @s for its VM; fails if the VM already has a session. */
static int vmtrace_session_register(struct vmtrace_session *s)
{
	int ret;

	mutex_lock(&vmtrace_sessions_lock);
	rcu_read_lock();
	ret = vmtrace_session_find(s->kvm) ? -EBUSY : 0;
	rcu_read_unlock();
	if (!ret)
		ret = vmtrace_hooks_get(s->vendor);
	if (!ret)
		hash_add_rcu(vmtrace_sessions, &s->hnode, (unsigned long)s->kvm);
	mutex_unlock(&vmtrace_sessions_lock);
	return ret;
}

/* Make @s invisible to the probes; on return no probe still uses it. */
static void vmtrace_session_unregister(struct vmtrace_session *s)
{
	mutex_lock(&vmtrace_sessions_lock);
	hash_del_rcu(&s->hnode);
	vmtrace_hooks_put();
	mutex_unlock(&vmtrace_sessions_lock);
	synchronize_rcu();
}

/**
 * vmtrace_session_vmm_vnr() - the VMM's pid as the caller sees it
 * @s: the session.
 *
 * Context: process context.
 * Return: the pid in the caller's pid namespace, 0 if it is not visible
 * there or has exited.
 */
u32 vmtrace_session_vmm_vnr(struct vmtrace_session *s)
{
	pid_t nr;

	rcu_read_lock();
	nr = pid_vnr(find_pid_ns(s->vmm_pid, &init_pid_ns));
	rcu_read_unlock();
	return nr;
}

static void vmtrace_session_watch(struct work_struct *work)
{
	struct vmtrace_session *s = container_of(to_delayed_work(work),
						 struct vmtrace_session,
						 watch_work);

	/* Ours is the last reference: nobody can run this VM any more. */
	if (refcount_read(&s->kvm->users_count) == 1) {
		pr_info("session %llu: VM of pid %d is gone, detaching\n",
			s->id, s->vmm_pid);
		vmtrace_session_detach(s);
		return;
	}
	schedule_delayed_work(&s->watch_work, VMTRACE_WATCH_INTERVAL);
}

static struct vmtrace_session *vmtrace_session_alloc(struct kvm *kvm)
{
	const struct vmtrace_vendor_ops *vendor = vmtrace_vendor_find();
	struct vmtrace_session *s;

	if (!vendor)
		return ERR_PTR(-ENODEV);
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return ERR_PTR(-ENOMEM);
	s->vendor = vendor;
	s->id = atomic64_inc_return(&vmtrace_next_id);
	s->kvm = kvm;
	s->vmm_pid = kvm->userspace_pid;
	s->state = VMTRACE_STATE_ATTACHED;
	mutex_init(&s->lock);
	xa_init(&s->vcpus);
	INIT_WORK(&s->discover_work, vmtrace_vcpus_discover_work);
	INIT_DELAYED_WORK(&s->watch_work, vmtrace_session_watch);
	init_waitqueue_head(&s->wq);
	return s;
}

/**
 * vmtrace_session_create() - attach to a VM
 * @kvm: the VM; the caller's reference passes to the session on success.
 * @flags: VMTRACE_ATTACH_* flags, already validated.
 *
 * Finds the VM's vCPUs, enables the KVM probes and publishes the session
 * in the registry and in debugfs.
 *
 * Context: process context, may sleep.
 * Return: the session, ERR_PTR(-EBUSY) if the VM already has one, or
 * another ERR_PTR on failure (the caller keeps its reference then).
 */
struct vmtrace_session *vmtrace_session_create(struct kvm *kvm, u64 flags)
{
	struct vmtrace_session *s = vmtrace_session_alloc(kvm);
	int ret;

	if (IS_ERR(s))
		return s;
	vmtrace_debugfs_session_add(s);
	if (flags & VMTRACE_ATTACH_RECORD) {
		ret = vmtrace_record_create(s, flags);
		if (ret)
			goto err_remove_debugfs;
	}
	if (flags & VMTRACE_ATTACH_REPLAY) {
		ret = vmtrace_replay_create(s, flags);
		if (ret)
			goto err_remove_debugfs;
	}
	ret = vmtrace_vcpus_discover(s);
	if (ret)
		goto err_free_vcpus;
	ret = vmtrace_session_register(s);
	if (ret)
		goto err_free_vcpus;
	if (s->rec) {
		vmtrace_rec_prepare(s);
		vmtrace_record_start(s);
	}
	if (s->rep)	/* BLOCKIRQ needs APICv off, as in recording */
		vmtrace_rec_prepare(s);
	schedule_delayed_work(&s->watch_work, VMTRACE_WATCH_INTERVAL);
	return s;

err_free_vcpus:
	vmtrace_record_destroy(s);
	vmtrace_replay_destroy(s);
	vmtrace_vcpus_free(s);
err_remove_debugfs:
	vmtrace_debugfs_session_remove(s);
	kfree(s);
	return ERR_PTR(ret);
}

/**
 * vmtrace_session_keep() - record the session's file; keep recordings alive
 * @s: a new session.
 * @file: its file.
 *
 * A recording session is kept by the module, so that the death of its
 * owner loses nothing: the VM goes on (and waits once the channel is
 * full) until a new owner takes over.
 *
 * Context: process context, before the file gets its fd.
 */
void vmtrace_session_keep(struct vmtrace_session *s, struct file *file)
{
	s->file = file;
	if (!s->rec)
		return;
	get_file(file);
	s->kept = true;
}

/**
 * vmtrace_session_unkeep() - let the session end with its last fd
 * @s: the session.
 *
 * Context: process context.
 */
void vmtrace_session_unkeep(struct vmtrace_session *s)
{
	bool kept;

	mutex_lock(&s->lock);
	kept = s->kept;
	s->kept = false;
	mutex_unlock(&s->lock);
	if (kept)
		fput(s->file);
}

/**
 * vmtrace_session_take_over() - the file of a VM's ownerless recording
 * @kvm: the VM.
 *
 * Context: process context.
 * Return: a new reference on the session's file; ERR_PTR(-ENOENT) if the
 * VM has no recording session, ERR_PTR(-EBUSY) if it has an owner.
 */
struct file *vmtrace_session_take_over(struct kvm *kvm)
{
	struct file *file = ERR_PTR(-ENOENT);
	struct vmtrace_session *s;

	mutex_lock(&vmtrace_sessions_lock);
	rcu_read_lock();
	s = vmtrace_session_find(kvm);
	rcu_read_unlock();
	if (s) {
		mutex_lock(&s->lock);
		if (!s->kept)
			file = ERR_PTR(-ENOENT);
		else if (file_count(s->file) > 1)
			file = ERR_PTR(-EBUSY);
		else
			file = get_file(s->file);
		mutex_unlock(&s->lock);
	}
	mutex_unlock(&vmtrace_sessions_lock);
	return file;
}

/**
 * vmtrace_session_detach() - stop observing the VM and drop it
 * @s: the session; nothing happens if it is already detached.
 *
 * Context: process context, may sleep; not from @s->discover_work.
 */
void vmtrace_session_detach(struct vmtrace_session *s)
{
	struct kvm *kvm;

	mutex_lock(&s->lock);
	if (s->state != VMTRACE_STATE_ATTACHED) {
		mutex_unlock(&s->lock);
		return;
	}
	s->state = VMTRACE_STATE_DETACHED;
	mutex_unlock(&s->lock);

	if (s->rec) {
		vmtrace_record_stop(s);
		vmtrace_rec_release(s);
	}
	if (s->rep)
		vmtrace_replay_release(s);
	vmtrace_session_unregister(s);
	cancel_work_sync(&s->discover_work);
	/* The vCPU entries stay, with their counters, until destroy. */
	mutex_lock(&s->lock);
	kvm = s->kvm;
	s->kvm = NULL;
	mutex_unlock(&s->lock);
	kvm_put_kvm(kvm);
	wake_up_interruptible_all(&s->wq);
	/* The recording is complete: nobody needs to take it over. */
	vmtrace_session_unkeep(s);
}

/**
 * vmtrace_session_destroy() - detach if needed and free a session
 * @s: the session, whose fd is being released.
 *
 * Context: process context, may sleep.
 */
void vmtrace_session_destroy(struct vmtrace_session *s)
{
	cancel_delayed_work_sync(&s->watch_work);
	vmtrace_session_detach(s);
	vmtrace_record_destroy(s);
	vmtrace_debugfs_session_remove(s);
	/* Waits for hooks still in a replayed vCPU, then frees. */
	vmtrace_replay_destroy(s);
	vmtrace_vcpus_free(s);
	kfree(s);
}
