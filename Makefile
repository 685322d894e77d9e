# SPDX-License-Identifier: GPL-2.0
#
# memlens: the kernel module (built by Kbuild), the reader (userspace/) and
# the selftests (selftests/).
#
#   make                 module and reader, for the running kernel (its
#                        headers: linux-headers-$(uname -r))
#   make KVER=R | KDIR=D the same for another installed kernel or tree
#   make -C userspace    the reader alone (needs libsmartcols only)
#   make selftests       the VM tests' programs and test module (needs
#                        Debian's linux-source-6.12: make check builds them)
#   make install         modules_install + depmod, reader and man page
#   make uninstall       the reverse
#   make check           every test, in VMs, on Debian 12's 6.1 and 6.12
#                        (KERNELS=trixie TESTS=module_test.sh for one;
#                        names in scripts/kernels.conf)
#   make check-matrix    the selftests on every other Debian kernel: trixie
#                        (generic, rt, cloud), trixie-backports, sid
#   make demo            boot a VM with memlens loaded, a Debian userspace
#                        and a few programs, and show what memlens shows
#                        (KERNEL=trixie-bpo: another kernel)
#   make shell           the demo's VM with a root shell on this terminal
#                        (KERNEL= as for make demo; Ctrl-A X quits);
#                        CMD='...': that command instead, stdin passed,
#                        in /memlens (this checkout, read-only); make
#                        then says "Error N" for its status N
#   make lint            checkpatch, sparse, W=1, cppcheck, clang-tidy
#   make bench           speed against procfs, ps and smem, in a VM
#   make check-debug     the tests on a KASAN/lockdep/kmemleak kernel
#   make check-dkms      install the Debian packages through DKMS, in VMs
#   make deb             memlens-dkms and memlens .deb packages
#   make dkms-src        the DKMS source tree in $(DESTDIR)/usr/src/memlens-VERSION
#   make fuzz            fuzz the reader's parsers (FUZZ_SECONDS=60)
#   make docs            docs/formats.md from the uapi header's X-macros

VERSION := $(shell cat VERSION)
KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
PREFIX ?= /usr/local
DESTDIR ?=

all: module reader

# Without the kernel's build tree, one line saying so rather than kbuild's
# "No such file or directory"; expanded only by the targets that need it.
need_kdir = $(if $(wildcard $(KDIR)/Makefile),,$(error no kernel headers for $(KVER) in \
	$(KDIR): install linux-headers-$(KVER), or build for another kernel with \
	make KVER=<release> or KDIR=<dir>; make -C userspace builds the reader alone))

module:
	$(need_kdir)$(MAKE) -C $(KDIR) M=$(CURDIR) modules

reader:
	$(MAKE) -C userspace

selftests:
	$(need_kdir)$(MAKE) -C selftests
	$(MAKE) -C $(KDIR) M=$(CURDIR)/selftests/module modules

install: module reader
	$(need_kdir)$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) modules_install
	$(if $(DESTDIR),,depmod -a $(KVER))
	$(MAKE) -C userspace install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)

# modules_install may compress the module (Debian's 6.12: .ko.xz)
uninstall:
	rm -f $(DESTDIR)/lib/modules/$(KVER)/updates/memlens.ko* \
	      $(DESTDIR)/lib/modules/$(KVER)/extra/memlens.ko*
	$(if $(DESTDIR),,depmod -a $(KVER))
	$(MAKE) -C userspace uninstall PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)

# The tree "dkms add/build/install memlens/VERSION" works from.
dkms_src := $(DESTDIR)/usr/src/memlens-$(VERSION)
dkms-src:
	rm -rf $(dkms_src)
	mkdir -p $(dkms_src)
	cp -a Kbuild VERSION include module $(dkms_src)/
	find $(dkms_src) \( -name '*.o' -o -name '.*.cmd' -o -name '*.ko' -o -name '*.mod*' \) -delete
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf >$(dkms_src)/dkms.conf

# Works without kernel headers: kbuild's own clean needs $(KDIR).
clean:
	find . \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
		-o -name '.*.cmd' -o -name '*.o.d' -o -name modules.order \
		-o -name Module.symvers \) -not -path './.git/*' -delete
	$(MAKE) -C userspace clean
	$(MAKE) -C selftests clean
	rm -rf build

# KERNELS="bookworm-6.1 trixie-bpo" and TESTS="module_test.sh ..." narrow a run.
check:
	scripts/check.sh $(foreach k,$(KERNELS),--kernel $(k)) $(TESTS)

demo:
	scripts/demo.sh $(KERNEL)

# CMD as written: $(value) keeps its $, each ' is quoted for the shell; no
# echo, so that the command's output alone is on stdout.
shell:
	@scripts/shell.sh $(if $(value CMD),-c '$(subst ','\'',$(value CMD))') $(KERNEL)

lint:
	scripts/lint.sh

bench:
	scripts/bench.sh

check-matrix:
	scripts/check.sh --matrix $(TESTS)

check-debug:
	scripts/check.sh --debug $(TESTS)

check-dkms:
	scripts/check-dkms.sh

deb:
	scripts/deb.sh

fuzz:
	$(MAKE) -C userspace fuzz

# Rewritten only when it changed, so that a current tree stays untouched.
docs:
	mkdir -p build
	$(CC) -std=gnu11 -Wall -Wextra -Werror -Iinclude -o build/gen-formats scripts/gen-formats.c
	build/gen-formats >build/formats.md
	cmp -s build/formats.md docs/formats.md || cp build/formats.md docs/formats.md

.PHONY: all module reader selftests install uninstall dkms-src clean check demo shell lint bench \
	check-matrix check-debug check-dkms deb fuzz docs
