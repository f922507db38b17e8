# SPDX-License-Identifier: GPL-2.0
#
# Makefile - build, install dependencies, test.
#
#   make                 module for KVER (default: the running kernel if its
#                        headers are installed, else the newest installed
#                        kernel), user-space tools and selftests
#   make KVER=<ver>      module for another installed kernel (or KDIR=<path>)
#   make deps            install everything builds and tests need (root)
#   make check           all tests: host unit tests, both kernels' builds,
#                        checkpatch, the in-VM suites on 6.1 and 6.12
#   make demo            the main job in the test VM
#
REPO := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD := $(REPO)/build

# Kernels with headers installed, oldest first.
KVERS := $(shell ls -d /lib/modules/*/build 2>/dev/null | \
		 sed 's,^/lib/modules/,,;s,/build$$,,' | sort -V)
RUNNING := $(shell uname -r)
KVER ?= $(if $(wildcard /lib/modules/$(RUNNING)/build),$(RUNNING),$(lastword $(KVERS)))
KDIR ?= /lib/modules/$(KVER)/build

# Sources only: an in-tree build's generated vmtrace.mod.c (whose layout
# changes between kernels) must not reach another kernel's tree.
KMOD_SRCS := Kbuild uapi/linux/vmtrace.h \
	     $(filter-out %.mod.c,$(wildcard kmod/*.c kmod/*.h kmod/Kbuild \
				kmod/compat/*.h kmod/compat/*.c))

.PHONY: all kmod kmod-for kmod-all userspace selftests deps check checkpatch \
	demo clean help

all: kmod userspace selftests

help:
	@sed -n '3,14p' $(REPO)/Makefile | sed 's/^# \{0,1\}//'

# The module for KVER/KDIR, in the source tree: kmod/vmtrace.ko.
kmod:
	@test -d "$(KDIR)" || { echo "make: no kernel headers at $(KDIR);" \
		"installed: $(KVERS); try 'make deps' or KVER=<ver>" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(REPO) modules

# The module for KVER in its own tree, build/<KVER>/kmod/vmtrace.ko, so
# that several kernels' builds do not overwrite each other.
kmod-for:
	@test -d "$(KDIR)" || { echo "make: no kernel headers at $(KDIR)" >&2; exit 1; }
	@mkdir -p $(BUILD)/$(KVER)
	@cd $(REPO) && cp -a --parents $(KMOD_SRCS) $(BUILD)/$(KVER)/
	$(MAKE) -C $(KDIR) M=$(BUILD)/$(KVER) modules

kmod-all:
	@for v in $(KVERS); do $(MAKE) --no-print-directory kmod-for KVER=$$v || exit 1; done

userspace:
	$(MAKE) -C $(REPO)/userspace

selftests:
	$(MAKE) -C $(REPO)/selftests

deps:
	$(REPO)/scripts/install-deps.sh

check:
	$(REPO)/scripts/check.sh

checkpatch:
	$(REPO)/scripts/checkpatch.sh

demo: kmod-all userspace selftests
	$(REPO)/scripts/demo.sh

clean:
	-test -d "$(KDIR)" && $(MAKE) -C $(KDIR) M=$(REPO) clean
	-$(MAKE) -C $(REPO)/userspace clean
	-$(MAKE) -C $(REPO)/selftests clean
	rm -rf $(BUILD)
