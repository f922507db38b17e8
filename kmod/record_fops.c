// SPDX-License-Identifier: GPL-2.0
/*
 * The recording ioctls of a session fd: VMTRACE_RECORD_STOP,
 * VMTRACE_RECORD_INFO and VMTRACE_GET_CPUID.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kvm_host.h>
#include <linux/uaccess.h>
#include <uapi/linux/vmtrace.h>

#include "compat/uaccess.h"
#include "cpuid_mask.h"
#include "record.h"
#include "record_fops.h"
#include "session.h"
#include "vendor.h"

#define VMTRACE_RECORD_INFO_SIZE_VER0	sizeof(struct vmtrace_record_info)
#define VMTRACE_CPUID_SIZE_VER0		sizeof(struct vmtrace_cpuid)

/* The layouts of the recording ABI, pinned. */
static_assert(sizeof(struct vmtrace_rec) == 16);
static_assert(sizeof(struct vmtrace_rec_tsc) == 40);
static_assert(sizeof(struct vmtrace_rec_rand) == 40);
static_assert(sizeof(struct vmtrace_rec_rdpmc) == 32);
static_assert(sizeof(struct vmtrace_rec_cpuid) == 40);
static_assert(sizeof(struct vmtrace_rec_pio) == 32);
static_assert(sizeof(struct vmtrace_rec_mmio) == 40);
static_assert(sizeof(struct vmtrace_rec_msr) == 32);
static_assert(sizeof(struct vmtrace_rec_event) == 64);
static_assert(sizeof(struct vmtrace_rec_mem) == 32);
static_assert(sizeof(struct vmtrace_rec_sched) == 32);
static_assert(sizeof(struct vmtrace_chunk) == 64);
static_assert(offsetof(struct vmtrace_chunk, crc32c) == 56);
static_assert(sizeof(struct vmtrace_record_info) == 256);
static_assert(sizeof(struct vmtrace_cpuid_entry) == 32);
static_assert(sizeof(struct vmtrace_cpuid) == 24);
static_assert(sizeof(struct vmtrace_file_header) == 32);
static_assert(sizeof(struct vmtrace_section) == 16);
static_assert(sizeof(struct vmtrace_file_end) == 240);
static_assert(sizeof(struct vmtrace_rec_digest) == 56);
static_assert(sizeof(struct vmtrace_rec_ckpt_state) == 24);
static_assert(sizeof(struct vmtrace_rec_ckpt_slot) == 64);
static_assert(sizeof(struct vmtrace_replay_feed) == 80);
static_assert(sizeof(struct vmtrace_replay_status) == 112);
static_assert(offsetof(struct vmtrace_replay_status, rip) == 40);

static long vmtrace_record_info_ioctl(struct vmtrace_session *s,
				      struct vmtrace_record_info __user *uarg)
{
	struct vmtrace_record_info info = {};
	u32 usize, flags;

	if (get_user(usize, &uarg->size) || get_user(flags, &uarg->flags))
		return -EFAULT;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	if (usize < VMTRACE_RECORD_INFO_SIZE_VER0 || flags)
		return -EINVAL;
	info.size = sizeof(info);
	mutex_lock(&s->lock);
	vmtrace_record_info(s, &info);
	mutex_unlock(&s->lock);
	return vmtrace_copy_struct_to_user(uarg, usize, &info, sizeof(info));
}

/*
 * Copy @vcpu's CPUID entries out, as a recorded guest sees them; the vCPU
 * has run, so they are fixed.
 */
static long vmtrace_cpuid_copy(struct vmtrace_session *s, struct kvm_vcpu *vcpu,
			       struct vmtrace_cpuid *c)
{
	struct vmtrace_cpuid_entry __user *dst = u64_to_user_ptr(c->entries);
	struct kvm_cpuid_entry2 *e = vcpu->arch.cpuid_entries;
	u32 i, nr = vcpu->arch.cpuid_nent;

	if (nr > c->nr) {
		c->nr = nr;
		return -E2BIG;
	}
	for (i = 0; i < nr; i++) {
		struct vmtrace_cpuid_entry out = {
			.function = e[i].function, .index = e[i].index,
			.flags = e[i].flags,
		};
		u32 r[4] = { e[i].eax, e[i].ebx, e[i].ecx, e[i].edx };

		if (s->rec)
			vmtrace_cpuid_mask(vcpu, s->vendor->hide_rand(),
					   out.function, out.index, r);
		out.eax = r[0];
		out.ebx = r[1];
		out.ecx = r[2];
		out.edx = r[3];
		if (copy_to_user(&dst[i], &out, sizeof(out)))
			return -EFAULT;
	}
	c->nr = nr;
	return 0;
}

static long vmtrace_get_cpuid_ioctl(struct vmtrace_session *s,
				    struct vmtrace_cpuid __user *uarg)
{
	struct vmtrace_cpuid c;
	struct kvm_vcpu *vcpu;
	long ret;

	if (copy_from_user(&c, uarg, sizeof(c)))
		return -EFAULT;
	if (c.size != sizeof(c) || c.pad)
		return -EINVAL;
	mutex_lock(&s->lock);
	vcpu = s->kvm ? kvm_get_vcpu(s->kvm, c.vcpu) : NULL;
	if (!vcpu)
		ret = s->kvm ? -ENOENT : -ESRCH;
	else if (READ_ONCE(vcpu->arch.last_vmentry_cpu) == -1)
		ret = -EAGAIN;
	else
		ret = vmtrace_cpuid_copy(s, vcpu, &c);
	mutex_unlock(&s->lock);
	if ((!ret || ret == -E2BIG) && put_user(c.nr, &uarg->nr))
		return -EFAULT;
	return ret;
}

static long vmtrace_record_resume_ioctl(struct vmtrace_session *s,
					u64 __user *uarg)
{
	u64 next_seq;

	if (get_user(next_seq, uarg))
		return -EFAULT;
	return vmtrace_record_resume(s, next_seq);
}

/**
 * vmtrace_record_ioctl() - the recording ioctls of a session fd
 * @s: the session.
 * @cmd: the ioctl.
 * @arg: its argument.
 *
 * Context: process context, the ioctl caller.
 * Return: the ioctl's result; -ENOTTY if @cmd is not a recording ioctl,
 * -EINVAL if the session does not record.
 */
long vmtrace_record_ioctl(struct vmtrace_session *s, unsigned int cmd,
			  unsigned long arg)
{
	switch (cmd) {
	case VMTRACE_RECORD_STOP:
	case VMTRACE_RECORD_INFO:
	case VMTRACE_RECORD_RESUME:
		break;
	case VMTRACE_GET_CPUID:
		return vmtrace_get_cpuid_ioctl(s, (void __user *)arg);
	default:
		return -ENOTTY;
	}
	if (!s->rec)
		return -EINVAL;
	if (cmd == VMTRACE_RECORD_INFO)
		return vmtrace_record_info_ioctl(s, (void __user *)arg);
	if (cmd == VMTRACE_RECORD_RESUME)
		return vmtrace_record_resume_ioctl(s, (u64 __user *)arg);
	if (arg)
		return -EINVAL;
	vmtrace_record_stop(s);
	vmtrace_session_unkeep(s);
	return 0;
}
