# SPDX-License-Identifier: GPL-2.0
#
# tests/unit.mk - what every host-side unit test of a pure kernel file
# shares. The including Makefile sets NAME (kmod/NAME.c is built unchanged,
# with tests/include/ standing in for the kernel headers it uses, next to
# NAME_test.c):
#
#   make -C tests/DIR test    build and run (TAP; exit 1 on failure)
#   make -C tests/DIR clean
#
HERE := $(abspath $(dir $(firstword $(MAKEFILE_LIST))))
TESTS := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
KMOD := $(TESTS)/../kmod
OUT ?= $(abspath $(TESTS)/../build/tests/$(notdir $(HERE)))

CC ?= cc
CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -Wall -Wextra -Werror=implicit-function-declaration
CPPFLAGS += -I$(TESTS)/include -I$(KMOD)

SRCS := $(HERE)/$(NAME)_test.c $(KMOD)/$(NAME).c
HDRS := $(KMOD)/$(NAME).h $(wildcard $(TESTS)/include/*.h $(TESTS)/include/linux/*.h)

.PHONY: all test clean

all: $(OUT)/$(NAME)_test

$(OUT)/$(NAME)_test: $(SRCS) $(HDRS)
	@mkdir -p $(OUT)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $(SRCS)

test: $(OUT)/$(NAME)_test
	$(OUT)/$(NAME)_test

clean:
	rm -rf $(OUT)
