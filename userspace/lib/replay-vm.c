// SPDX-License-Identifier: GPL-2.0
/*
 * The replay VM: a KVM VM with one vCPU built from a trace's checkpoint.
 * Memory is anonymous, one mapping per recorded memslot, filled with the
 * recorded pages; the vCPU's and the VM's state are set back in the
 * order KVM needs (CPUID before the registers, MSRs after XSAVE, ...).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "replay.h"
#include "vmtrace.h"

#define TSS_ADDR	0xfffbd000ULL	/* 3 pages, below the BIOS */
#define IDENTITY_ADDR	0xfeffc000ULL	/* 1 page */

static void warn(const struct replay_vm *vm, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void warn(const struct replay_vm *vm, const char *fmt, ...)
{
	va_list ap;

	if (!vm->log)
		return;
	fputs("vmtrace-ctl replay: warning: ", vm->log);
	va_start(ap, fmt);
	vfprintf(vm->log, fmt, ap);
	va_end(ap);
	fputc('\n', vm->log);
}

static int fail(char *err, const char *step)
{
	snprintf(err, VMTRACE_ERRLEN, "%s: %s", step, strerror(errno));
	return -1;
}

static int vm_open(struct replay_vm *vm, char *err)
{
	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		return fail(err, "opening /dev/kvm");
	if (ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
		return snprintf(err, VMTRACE_ERRLEN, "/dev/kvm speaks another KVM API than %d",
				KVM_API_VERSION), -1;
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	return vm->vm_fd < 0 ? fail(err, "KVM_CREATE_VM") : 0;
}

static bool slots_overlap(const struct replay_ckpt *ck, uint64_t gpa, uint64_t len)
{
	unsigned int i;

	for (i = 0; i < ck->nr_slots; i++)
		if (gpa < ck->slots[i].gpa + ck->slots[i].size && ck->slots[i].gpa < gpa + len)
			return true;
	return false;
}

/* The in-kernel devices the recorded VM had, and the VMX helper pages. */
static int vm_devices(struct replay_vm *vm, const struct replay_ckpt *ck, char *err)
{
	struct kvm_pit_config pit = { .flags = 0 };
	uint64_t identity = IDENTITY_ADDR;

	if (ck->nr_irqchip) {
		if (ioctl(vm->vm_fd, KVM_CREATE_IRQCHIP, 0))
			return fail(err, "KVM_CREATE_IRQCHIP");
		vm->irqchip = true;
	} else if (ck->state[VMTRACE_CKPT_SPLIT_IRQCHIP]) {
		struct kvm_enable_cap cap = { .cap = KVM_CAP_SPLIT_IRQCHIP };

		memcpy(&cap.args[0], ck->state[VMTRACE_CKPT_SPLIT_IRQCHIP]->data,
		       sizeof(cap.args[0]));
		if (ioctl(vm->vm_fd, KVM_ENABLE_CAP, &cap))
			return fail(err, "KVM_ENABLE_CAP(KVM_CAP_SPLIT_IRQCHIP)");
		vm->irqchip = true;	/* the LAPIC is in KVM: the module injects */
	}
	if (ck->state[VMTRACE_CKPT_PIT2] && ioctl(vm->vm_fd, KVM_CREATE_PIT2, &pit))
		return fail(err, "KVM_CREATE_PIT2");
	/* Needed on Intel only; AMD may refuse them. */
	if (!slots_overlap(ck, TSS_ADDR, 3 * VMTRACE_PAGE_SIZE))
		ioctl(vm->vm_fd, KVM_SET_TSS_ADDR, (unsigned long)TSS_ADDR);
	if (!slots_overlap(ck, IDENTITY_ADDR, VMTRACE_PAGE_SIZE))
		ioctl(vm->vm_fd, KVM_SET_IDENTITY_MAP_ADDR, &identity);
	return 0;
}

static int vm_slot(struct replay_vm *vm, struct replay_slot *s, char *err)
{
	struct kvm_userspace_memory_region r = { .slot = s->slot,
		.flags = s->flags & KVM_MEM_READONLY, .guest_phys_addr = s->gpa,
		.memory_size = s->size };
	void *p = s->alias ? vm->slots[s->alias_of].hva + s->alias_offset :
		  mmap(NULL, s->size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return snprintf(err, VMTRACE_ERRLEN, "mapping memslot %u (0x%llx bytes): %s", s->slot,
				(unsigned long long)s->size, strerror(errno)), -1;
	s->hva = p;
	r.userspace_addr = (uintptr_t)p;
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &r))
		return snprintf(err, VMTRACE_ERRLEN, "KVM_SET_USER_MEMORY_REGION (slot %u, gpa 0x%llx): %s",
				s->slot, (unsigned long long)s->gpa, strerror(errno)), -1;
	return 0;
}

static int vm_memory(struct replay_vm *vm, const struct replay_ckpt *ck, char *err)
{
	uint64_t i;

	vm->slots = calloc(ck->nr_slots, sizeof(*vm->slots));
	if (!vm->slots)
		return snprintf(err, VMTRACE_ERRLEN, "out of memory"), -1;
	for (i = 0; i < ck->nr_slots; i++) {
		vm->slots[i] = ck->slots[i];
		vm->slots[i].hva = NULL;
		vm->nr_slots++;
		if (vm_slot(vm, &vm->slots[i], err))
			return -1;
	}
	for (i = 0; i < ck->nr_pages; i++) {
		const struct replay_page *pg = &ck->pages[i];
		const struct replay_slot *s = &vm->slots[pg->slot];

		memcpy(s->hva + (pg->gpa - s->gpa), pg->data, VMTRACE_PAGE_SIZE);
	}
	return 0;
}

static int vcpu_create(struct replay_vm *vm, char *err)
{
	int size;

	vm->vcpu_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu_fd < 0)
		return fail(err, "KVM_CREATE_VCPU");
	size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < (int)sizeof(struct kvm_run))
		return fail(err, "KVM_GET_VCPU_MMAP_SIZE");
	vm->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu_fd, 0);
	if (vm->run == MAP_FAILED) {
		vm->run = NULL;
		return fail(err, "mapping kvm_run");
	}
	vm->run_size = size;
	return 0;
}

/* Set one piece of state with @req (named @req_name); absent pieces are skipped. */
static int set_piece(int fd, unsigned long req, const char *req_name,
		     const struct vmtrace_rec_ckpt_state *st, char *err)
{
	if (!st || ioctl(fd, req, (void *)(uintptr_t)st->data) >= 0)
		return 0;
	return snprintf(err, VMTRACE_ERRLEN, "restoring the checkpoint's %s (%s): %s",
			vmtrace_ckpt_name(st->what), req_name, strerror(errno)), -1;
}

#define SET(fd, req, st) set_piece(fd, req, #req, st, err)

static int set_tsc_khz(struct replay_vm *vm, const struct vmtrace_rec_ckpt_state *st,
		       char *err)
{
	uint64_t khz;

	if (!st)
		return 0;
	memcpy(&khz, st->data, sizeof(khz));
	if (ioctl(vm->vcpu_fd, KVM_SET_TSC_KHZ, (unsigned long)khz) >= 0)
		return 0;
	if (errno != EINVAL && errno != ENOTTY)
		return fail(err, "restoring the checkpoint's tsc_khz (KVM_SET_TSC_KHZ)");
	warn(vm, "cannot set the guest TSC to %llu kHz (%s): its TSC runs at the host's rate",
	     (unsigned long long)khz, strerror(errno));
	return 0;
}

/* XSAVE, in a buffer as large as KVM copies (KVM_CAP_XSAVE2 may say more than 4096). */
static int set_xsave(struct replay_vm *vm, const struct vmtrace_rec_ckpt_state *st, char *err)
{
	int cap = ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_XSAVE2);
	size_t size = cap > (int)st->len ? (size_t)cap : st->len;
	void *buf;
	int ret;

	buf = calloc(1, size);
	if (!buf)
		return snprintf(err, VMTRACE_ERRLEN, "out of memory"), -1;
	memcpy(buf, st->data, st->len);
	ret = ioctl(vm->vcpu_fd, KVM_SET_XSAVE, buf);
	free(buf);
	return ret < 0 ? fail(err, "restoring the checkpoint's xsave (KVM_SET_XSAVE)") : 0;
}

#define MSR_IA32_MCG_CAP	0x179

/*
 * Machine checks: the recorded VM's MCG_CAP (its banks) goes to
 * KVM_X86_SETUP_MCE, before the banks' MSRs are set; KVM_SET_MSRS
 * refuses MCG_CAP itself, so it is taken out of @m.
 */
static int setup_mce(struct replay_vm *vm, struct kvm_msrs *m, char *err)
{
	uint64_t cap = 0;
	uint32_t i, k = 0;

	for (i = 0; i < m->nmsrs; i++) {
		if (m->entries[i].index == MSR_IA32_MCG_CAP)
			cap = m->entries[i].data;
		else
			m->entries[k++] = m->entries[i];
	}
	m->nmsrs = k;
	if (cap && ioctl(vm->vcpu_fd, KVM_X86_SETUP_MCE, &cap) < 0)
		return fail(err, "restoring the checkpoint's MCG_CAP (KVM_X86_SETUP_MCE)");
	return 0;
}

/* MSRs: KVM sets them in order and stops at one it refuses; skip that one. */
static int set_msrs(struct replay_vm *vm, const struct vmtrace_rec_ckpt_state *st, char *err)
{
	struct kvm_msrs *src = malloc(st->len), *m = malloc(st->len);
	uint32_t done = 0, skipped = 0;
	int n, ret = -1;

	if (!m || !src) {
		snprintf(err, VMTRACE_ERRLEN, "out of memory");
		goto out;
	}
	memcpy(src, st->data, st->len);
	if (setup_mce(vm, src, err))
		goto out;
	while (done < src->nmsrs) {
		m->nmsrs = src->nmsrs - done;
		m->pad = 0;
		memcpy(m->entries, src->entries + done, m->nmsrs * sizeof(m->entries[0]));
		n = ioctl(vm->vcpu_fd, KVM_SET_MSRS, m);
		if (n < 0)
			break;
		done += n;
		if (done < src->nmsrs && !skipped++)
			warn(vm, "KVM refuses MSR 0x%x of the checkpoint; skipped",
			     src->entries[done].index);
		done += done < src->nmsrs;
	}
	if (skipped > 1)
		warn(vm, "%u MSRs of the checkpoint skipped in all", skipped);
	ret = done < src->nmsrs ? fail(err, "restoring the checkpoint's msrs (KVM_SET_MSRS)") : 0;
out:
	free(src);
	free(m);
	return ret;
}

/*
 * The VM capabilities that the recorded VMM enabled and that the saved
 * events use: an exception payload, a pending triple fault.
 */
static int vm_event_caps(struct replay_vm *vm, const struct vmtrace_rec_ckpt_state *ev,
			 char *err)
{
	struct kvm_enable_cap cap = { .args = { 1 } };
	struct kvm_vcpu_events e;

	if (!ev || ev->len < sizeof(e))
		return 0;
	memcpy(&e, ev->data, sizeof(e));
	cap.cap = KVM_CAP_EXCEPTION_PAYLOAD;
	if ((e.flags & KVM_VCPUEVENT_VALID_PAYLOAD) && ioctl(vm->vm_fd, KVM_ENABLE_CAP, &cap))
		return fail(err, "KVM_ENABLE_CAP(KVM_CAP_EXCEPTION_PAYLOAD)");
#ifdef KVM_VCPUEVENT_VALID_TRIPLE_FAULT
	cap.cap = KVM_CAP_X86_TRIPLE_FAULT_EVENT;
	if ((e.flags & KVM_VCPUEVENT_VALID_TRIPLE_FAULT) && ioctl(vm->vm_fd, KVM_ENABLE_CAP, &cap))
		return fail(err, "KVM_ENABLE_CAP(KVM_CAP_X86_TRIPLE_FAULT_EVENT)");
#endif
	return 0;
}

static int vcpu_state(struct replay_vm *vm, const struct replay_ckpt *ck, char *err)
{
	const struct vmtrace_rec_ckpt_state *const *s = ck->state;
	int fd = vm->vcpu_fd;

	if (SET(fd, KVM_SET_CPUID2, s[VMTRACE_CKPT_CPUID]) ||
	    set_tsc_khz(vm, s[VMTRACE_CKPT_TSC_KHZ], err) ||
	    SET(fd, KVM_SET_SREGS, s[VMTRACE_CKPT_SREGS]) ||
	    SET(fd, KVM_SET_REGS, s[VMTRACE_CKPT_REGS]) ||
	    (s[VMTRACE_CKPT_XSAVE] && set_xsave(vm, s[VMTRACE_CKPT_XSAVE], err)) ||
	    SET(fd, KVM_SET_XCRS, s[VMTRACE_CKPT_XCRS]) ||
	    (s[VMTRACE_CKPT_MSRS] && set_msrs(vm, s[VMTRACE_CKPT_MSRS], err)) ||
	    SET(fd, KVM_SET_MP_STATE, s[VMTRACE_CKPT_MP_STATE]) ||
	    (vm->irqchip && SET(fd, KVM_SET_LAPIC, s[VMTRACE_CKPT_LAPIC])) ||
	    vm_event_caps(vm, s[VMTRACE_CKPT_EVENTS], err) ||
	    SET(fd, KVM_SET_VCPU_EVENTS, s[VMTRACE_CKPT_EVENTS]) ||
	    SET(fd, KVM_SET_DEBUGREGS, s[VMTRACE_CKPT_DEBUGREGS]))
		return -1;
	return 0;
}

static int vm_state(struct replay_vm *vm, const struct replay_ckpt *ck, char *err)
{
	const struct vmtrace_rec_ckpt_state *clock = ck->state[VMTRACE_CKPT_CLOCK];
	struct kvm_clock_data cd;
	unsigned int i;

	for (i = 0; i < ck->nr_irqchip; i++)
		if (SET(vm->vm_fd, KVM_SET_IRQCHIP, ck->irqchip[i]))
			return -1;
	if (SET(vm->vm_fd, KVM_SET_PIT2, ck->state[VMTRACE_CKPT_PIT2]))
		return -1;
	if (!clock)
		return 0;
	memcpy(&cd, clock->data, sizeof(cd));
	cd.flags = 0;
	if (ioctl(vm->vm_fd, KVM_SET_CLOCK, &cd))
		return fail(err, "restoring the checkpoint's clock (KVM_SET_CLOCK)");
	return 0;
}

/**
 * replay_vm_build() - the VM of a checkpoint
 * @vm: out: the VM; replay_vm_free() it, even after a failure.
 * @ck: the checkpoint.
 * @log: where warnings go (NULL: nowhere).
 * @err: the step that failed and why.
 *
 * Return: 0, or -1.
 */
int replay_vm_build(struct replay_vm *vm, const struct replay_ckpt *ck, FILE *log,
		    char *err)
{
	memset(vm, 0, sizeof(*vm));
	vm->kvm_fd = vm->vm_fd = vm->vcpu_fd = -1;
	vm->log = log;
	if (vm_open(vm, err) || vm_devices(vm, ck, err) || vm_memory(vm, ck, err) ||
	    vcpu_create(vm, err) || vcpu_state(vm, ck, err) || vm_state(vm, ck, err))
		return -1;
	return 0;
}

void replay_vm_free(struct replay_vm *vm)
{
	unsigned int i;

	if (vm->run)
		munmap(vm->run, vm->run_size);
	for (i = 0; i < vm->nr_slots; i++)
		if (vm->slots[i].hva && !vm->slots[i].alias)
			munmap(vm->slots[i].hva, vm->slots[i].size);
	free(vm->slots);
	if (vm->vcpu_fd >= 0)
		close(vm->vcpu_fd);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	memset(vm, 0, sizeof(*vm));
	vm->kvm_fd = vm->vm_fd = vm->vcpu_fd = -1;
}

/* Where @len bytes at @gpa are mapped, if one memslot holds them all. */
uint8_t *replay_vm_hva(const struct replay_vm *vm, uint64_t gpa, uint64_t len)
{
	unsigned int i;

	for (i = 0; i < vm->nr_slots; i++) {
		const struct replay_slot *s = &vm->slots[i];

		if (gpa >= s->gpa && len <= s->size && gpa - s->gpa <= s->size - len)
			return s->hva + (gpa - s->gpa);
	}
	return NULL;
}

/* FNV-1a 64 over every slot's bytes, in increasing GPA order. */
uint64_t replay_mem_digest(const struct replay_slot *slots, unsigned int n)
{
	uint64_t h = VMTRACE_FNV1A_INIT, last = 0;
	unsigned int i, k, done;

	for (done = 0; done < n; done++) {
		for (k = n, i = 0; i < n; i++)
			if ((!done || slots[i].gpa > last) &&
			    (k == n || slots[i].gpa < slots[k].gpa))
				k = i;
		if (k == n)
			break;
		h = vmtrace_fnv1a(h, slots[k].hva, slots[k].size);
		last = slots[k].gpa;
	}
	return h;
}

/* The digests of the final state: registers (struct kvm_regs) and memory. */
int replay_vm_digest(const struct replay_vm *vm, uint64_t *regs, uint64_t *mem)
{
	struct kvm_regs r;

	if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &r))
		return -1;
	*regs = vmtrace_fnv1a(VMTRACE_FNV1A_INIT, &r, sizeof(r));
	*mem = replay_mem_digest(vm->slots, vm->nr_slots);
	return 0;
}
