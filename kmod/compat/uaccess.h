/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copying size-versioned ABI structs.
 *
 * copy_struct_from_user() exists in 6.1 and 6.12; its counterpart for
 * output structs, copy_struct_to_user(), only appeared in 6.13. This is
 * the same contract: copy min(ksize, usize) bytes and zero the user's
 * tail when user space knows a larger struct than we do.
 */
#ifndef _VMTRACE_COMPAT_UACCESS_H
#define _VMTRACE_COMPAT_UACCESS_H

#include <linux/uaccess.h>
#include <linux/minmax.h>

static inline int vmtrace_copy_struct_to_user(void __user *dst, size_t usize,
					      const void *src, size_t ksize)
{
	size_t size = min(ksize, usize);

	if (copy_to_user(dst, src, size))
		return -EFAULT;
	if (usize > ksize && clear_user(dst + size, usize - size))
		return -EFAULT;
	return 0;
}

#endif /* _VMTRACE_COMPAT_UACCESS_H */
