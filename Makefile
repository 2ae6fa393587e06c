# execmon: see README.md. `make V=1` shows the full commands.

# The version is debian/changelog's first entry, the one place it is set:
# the package and the binary's --version cannot disagree.
VERSION   := $(shell sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)
PREFIX    ?= /usr/local
DESTDIR   ?=

CLANG     ?= clang
BPFTOOL   ?= bpftool

# The architecture to build for, as bpf_tracing.h names it: this machine's
# by default. make ARCH=arm64 on an x86-64 machine cross-builds with
# Debian's toolchain and the arm64 packages (make deps ARCH=arm64); the
# kernel's and Debian's names (x86_64, amd64, aarch64) are taken too.
HOST_ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
ARCH      ?= $(HOST_ARCH)
override ARCH := $(patsubst x86_64,x86,$(patsubst amd64,x86,$(patsubst aarch64,arm64,$(ARCH))))
# Debian's name of each, and its multiarch triplet
DEB_ARCH_x86   := amd64
DEB_ARCH_arm64 := arm64
TRIPLET_x86    := x86_64-linux-gnu
TRIPLET_arm64  := aarch64-linux-gnu
DEB_ARCH  := $(DEB_ARCH_$(ARCH))
TRIPLET   := $(TRIPLET_$(ARCH))
ifeq ($(TRIPLET),)
$(error ARCH=$(ARCH) is not one execmon builds for: x86 or arm64)
endif
# Another architecture's objects go to a folder of their own, so that
# they never mix with this machine's (a BUILD given still wins).
ifeq ($(ARCH),$(HOST_ARCH))
CROSS     :=
BUILD     ?= build
else
CROSS     := $(TRIPLET)-
BUILD     ?= build-$(ARCH)
endif
# What runs the build here (the tests, tracing, the benchmark, the matrix,
# whose arm64 kernels take ARM64_BUILD) needs this machine's architecture.
NATIVE_GOALS := run test test-kernels test-package soak bench bench-kernel fuzz
ifneq ($(CROSS),)
ifneq ($(filter $(NATIVE_GOALS),$(MAKECMDGOALS)),)
$(error make $(filter $(NATIVE_GOALS),$(MAKECMDGOALS)) ARCH=$(ARCH): an $(ARCH) build cannot run on this $(HOST_ARCH) machine; make ARCH=$(ARCH) builds it, and make test-kernels KERNELS=arm64-6.12 tests it under an emulated arm64 kernel)
endif
endif
# Where Debian keeps the UAPI's asm/ headers, which the BPF target does
# not search by itself: the target's.
MULTIARCH ?= $(if $(CROSS),$(TRIPLET),$(shell $(CLANG) -print-multiarch 2>/dev/null))
PKG_CONFIG ?= $(CROSS)pkg-config

# make's own default for CC is cc: a CC from the command line or the
# environment has another origin and is kept.
ifeq ($(origin CC),default)
CC        := $(CROSS)gcc
endif

CFLAGS    ?= -O2 -g
WARNINGS  := -Wall -Wextra -Wshadow -Wformat=2 -Wno-unused-parameter
# The tracer is told ARCH too: bpf/arch.h stops a build whose CC makes
# code for another architecture than the BPF object's.
CPPFLAGS  += -I$(BUILD) -Ibpf -Itracer -DEXECMON_VERSION='"$(VERSION)"' -D_GNU_SOURCE \
	-D__TARGET_ARCH_$(ARCH)
LDLIBS    += -lbpf -lelf -lz
# --journal: sd_journal_sendv
CPPFLAGS  += $(shell $(PKG_CONFIG) --cflags libsystemd 2>/dev/null)
LDLIBS    += $(shell $(PKG_CONFIG) --libs libsystemd 2>/dev/null || echo -lsystemd)
# --hash: SHA-256 (OpenSSL's libcrypto, which every Debian system has), in
# a worker thread
CPPFLAGS  += $(shell $(PKG_CONFIG) --cflags libcrypto 2>/dev/null)
LDLIBS    += $(shell $(PKG_CONFIG) --libs libcrypto 2>/dev/null || echo -lcrypto) -pthread

BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Ibpf -idirafter /usr/include/$(MULTIARCH) \
	-Wall -Wno-unused-function

# make WERROR=1: a warning fails the build (tests/build.sh, for gcc and
# clang). Not by default, so that a newer compiler's new warning does not
# stop a build from source.
ifeq ($(WERROR),1)
WARNINGS   += -Werror
BPF_CFLAGS += -Werror
endif

# make EXECMON_STAGES=1 (with a BUILD of its own): the BPF program times
# its stages for bench/run; the normal build's object is the same without.
ifeq ($(EXECMON_STAGES),1)
BPF_CFLAGS += -DEXECMON_STAGES
endif

# The tracer proper, and what the unit tests link against (everything but main).
TRACER_SRCS := $(wildcard tracer/*.c)
LIB_SRCS    := $(filter-out tracer/main.c,$(TRACER_SRCS))
TRACER_OBJS := $(TRACER_SRCS:tracer/%.c=$(BUILD)/%.o)
LIB_OBJS    := $(LIB_SRCS:tracer/%.c=$(BUILD)/%.o)
UNIT_SRCS   := $(wildcard tests/unit/*.c)
UNIT_BINS   := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-5s %s\n' "$(1)" "$(2)";
endif

.DELETE_ON_ERROR:
.PHONY: all clean deps run test unit-tests test-progs install uninstall bench bench-kernel fuzz soak FORCE

all: $(BUILD)/execmon

$(BUILD) $(BUILD)/tests $(BUILD)/san $(BUILD)/test-progs:
	$(Q)mkdir -p $@

# What this folder's objects are built for. Another ARCH or CC in the same
# BUILD rewrites it, and everything is built again, rather than new
# objects linked with old ones or "nothing to be done" over the other
# architecture's binary.
TARGET := $(BUILD)/target
$(TARGET): FORCE | $(BUILD)
	$(Q)echo '$(ARCH) $(CC)' | cmp -s - $@ || echo '$(ARCH) $(CC)' >$@

# The kernel's types come from bpf/kernel_types.h, not from the build
# machine's BTF: see there. The headers it includes (bpf/lib/ and the
# rest) come from clang's .d file, as the tracer's do; its target is the
# object, not the temporary file clang writes.
$(BUILD)/execmon.bpf.o: bpf/execmon.bpf.c $(TARGET)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -MMD -MP -MF $(@:.o=.d) -MT $@ -c $< -o $@.tmp
	$(Q)$(BPFTOOL) gen object $@ $@.tmp && rm -f $@.tmp

$(BUILD)/execmon.skel.h: $(BUILD)/execmon.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name execmon_bpf > $@

# The skeleton must exist before the first build of a file that includes
# it; from then on, the .d files say which do.
$(BUILD)/%.o: tracer/%.c $(TARGET) | $(BUILD)/execmon.skel.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(WARNINGS) -MMD -MP -c $< -o $@

$(BUILD)/execmon: $(TRACER_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

# Unit tests: no root needed; built with the sanitizers, as are the
# tracer's modules they link with, each compiled once for all of them.
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SAN_OBJS  := $(LIB_SRCS:tracer/%.c=$(BUILD)/san/%.o)

$(SAN_OBJS): $(BUILD)/san/%.o: tracer/%.c $(TARGET) | $(BUILD)/execmon.skel.h $(BUILD)/san
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) -O1 -g $(WARNINGS) $(SAN_FLAGS) -MMD -MP -c $< -o $@

$(BUILD)/tests/%: tests/unit/%.c $(SAN_OBJS) $(wildcard tracer/*.h) tests/unit/unit.h \
		$(BUILD)/execmon.skel.h $(TARGET) | $(BUILD)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) -Itests/unit -O1 -g $(WARNINGS) $(SAN_FLAGS) $< $(SAN_OBJS) $(LDLIBS) -o $@

unit-tests: $(UNIT_BINS)

# Debian packages needed to build, run and test; installed only when missing.
DEPS := make gcc clang llvm libbpf-dev libelf-dev zlib1g-dev bpftool pkg-config \
	python3 jq man-db bash-completion util-linux procps passwd zsh fish libclang-rt-dev \
	logrotate systemd libsystemd-dev systemd-journal-remote libssl-dev
# make test-kernels: the VMs and their initramfs; the arm64 guests and
# their root filesystem (tests/kernels/rootfs).
DEPS += qemu-system-x86 busybox-static cpio xz-utils zstd qemu-system-arm mmdebstrap arch-test
# make deb and make test-package: the package's build, lintian, and the
# Debian 12 root it is installed in (mmdebstrap, above).
DEPS += dpkg-dev debhelper fakeroot lintian
# tests/ecs.sh: --json=ecs against the ECS schema.
DEPS += python3-jsonschema

# make deps ARCH=arm64 (on x86-64): the cross toolchain, and the target's
# libraries and pkg-config through dpkg multiarch.
ifneq ($(CROSS),)
DEPS += crossbuild-essential-$(DEB_ARCH) $(addsuffix :$(DEB_ARCH),pkgconf libbpf-dev libelf-dev \
	zlib1g-dev libsystemd-dev libssl-dev)
endif

# --no-remove: a package of the other architecture that cannot be installed
# beside this one's stops the install rather than replace it.
deps:
	$(Q)missing=$$(for p in $(DEPS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "  DEPS  installing:" $$missing; \
		SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		if [ -n "$(CROSS)" ] && ! dpkg --print-foreign-architectures | grep -qx '$(DEB_ARCH)' && \
			[ "$$(dpkg --print-architecture)" != '$(DEB_ARCH)' ]; then \
			echo "  DEPS  dpkg --add-architecture $(DEB_ARCH)"; \
			$$SUDO dpkg --add-architecture $(DEB_ARCH) || exit 1; \
		fi; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
			-o DPkg::Lock::Timeout=600 \
			--no-remove $$missing; \
	fi

run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; exec $$SUDO ./$(BUILD)/execmon $(ARGS)

# The exec storm of the benchmark, which the load tests use too.
$(BUILD)/storm: bench/storm.c $(TARGET)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(WARNINGS) $< -o $@

# The root suites' helper programs (tests/progs), built with the rest so
# that a machine without a compiler (an arm64 guest) runs them too; the
# suites compile their own where these are missing or older than their
# source (tests/lib.sh: test_prog).
TEST_PROGS := $(patsubst tests/progs/%.c,$(BUILD)/test-progs/%,$(wildcard tests/progs/*.c))
$(BUILD)/test-progs/%: tests/progs/%.c $(TARGET) | $(BUILD)/test-progs
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(WARNINGS) $< -o $@

# Everything the root suites run besides execmon, for this ARCH.
test-progs: $(BUILD)/storm $(BUILD)/progs $(TEST_PROGS)

test: deps
	$(Q)$(MAKE) --no-print-directory all unit-tests test-progs $(BUILD)/recfmt
	$(Q)BUILD=$(BUILD) tests/run

# The root tests under Debian's kernels in qemu (tests/kernels/run): the
# kernels to boot, those of them that run the full suites (the others run
# the smoke test), the suites, the storm's size under emulation, where
# the kernel packages are kept across runs, and how many kernels run at
# once. The arm64 kernels run the arm64 build, in ARM64_BUILD, which
# tests/kernels/run makes with the cross compiler (make deps ARCH=arm64
# installs it when KERNELS has an arm64 kernel).
KERNELS       ?= host 5.10 6.1 6.1-cloud 6.1-rt 6.12 6.12-trixie arm64-6.1 arm64-6.12 forky
KERNELS_FULL  ?= host 5.10 6.1 arm64-6.12
# and those that run the suites of -x alone: forky (Debian's testing) is the
# one kernel of the matrix with both BPF trampolines and exec checks
KERNELS_FAILS ?= forky
KERNELS_JOBS  ?= 1
ARM64_BUILD   ?= build-arm64
# and those booted again with lockdown=confidentiality and =integrity
KERNELS_LOCKDOWN ?= 6.12-trixie
# docs.sh, build.sh, quoting.sh and vm.sh test nothing of the kernel;
# service.sh tests journald, logrotate and the unit, and shipper.sh
# rsyslog, on top of what the others trace.
KERNEL_SUITES ?= $(filter-out tests/lib.sh tests/docs.sh tests/build.sh tests/quoting.sh \
	tests/vm.sh tests/service.sh tests/shipper.sh,\
	$(wildcard tests/*.sh))
KERNELS_STORM_EXECS ?= 2000
KERNELS_CACHE ?= /var/cache/execmon-kernels
.PHONY: test-kernels
test-kernels: deps
	$(if $(filter arm64-%,$(KERNELS)),$(Q)$(MAKE) --no-print-directory deps ARCH=arm64)
	$(Q)$(MAKE) --no-print-directory all unit-tests test-progs
	$(Q)BUILD=$(BUILD) KERNELS="$(KERNELS)" KERNELS_FULL="$(KERNELS_FULL)" KERNELS_FAILS="$(KERNELS_FAILS)" \
		KERNELS_LOCKDOWN="$(KERNELS_LOCKDOWN)" \
		KERNEL_SUITES="$(KERNEL_SUITES)" KERNELS_STORM_EXECS=$(KERNELS_STORM_EXECS) \
		KERNELS_CACHE=$(KERNELS_CACHE) KERNELS_JOBS=$(KERNELS_JOBS) ARM64_BUILD=$(ARM64_BUILD) \
		tests/kernels/run

# A million execs, argv of mixed sizes up to past the limit; bounded by
# SOAK_EXECS. Every exec must be printed once, or counted as lost.
SOAK_EXECS ?= 1000000
soak: deps
	$(Q)$(MAKE) --no-print-directory all $(BUILD)/storm
	$(Q)BUILD=$(BUILD) STORM_EXECS=$(SOAK_EXECS) tests/run tests/storm.sh

# Record files through every output, for tests/structure.sh.
$(BUILD)/recfmt: tests/tools/recfmt.c $(LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(WARNINGS) $(LDFLAGS) \
		-Wl,--wrap=cgroup_container,--wrap=hash_of $^ $(LDLIBS) -o $@

# Cheap system calls and no exec, as dd bs=1 makes: the benchmark's
# measure of what a tracer adds to every system call of the machine.
$(BUILD)/syscalls: bench/syscalls.c $(TARGET)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(WARNINGS) $< -o $@

# The tracer's formatting alone, per event, for the benchmark's report.
$(BUILD)/fmtbench: bench/fmt.c $(LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(WARNINGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

# The verifier's instruction count of BPF programs by id, which Debian's
# bpftool does not show; for the benchmark's report.
$(BUILD)/progs: tests/kernels/progs.c $(TARGET)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(WARNINGS) $(LDFLAGS) $< -lbpf -o $@

# Attaches and detaches sys_enter in a loop: the emulator's stall, reproduced.
$(BUILD)/flip: tests/kernels/flip.c $(TARGET)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(WARNINGS) $(LDFLAGS) $< -lbpf -o $@

# The benchmark runs the stage-timing build from $(BUILD)/stages as well,
# and the tracers it is compared with, Debian's libbpf-tools execsnoop and
# bpftrace's execsnoop.bt: make bench installs them when missing.
bench bench-kernel: DEPS += libbpf-tools bpftrace
bench bench-kernel: deps
	$(Q)$(MAKE) --no-print-directory all $(BUILD)/fmtbench $(BUILD)/progs $(BUILD)/syscalls
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/stages EXECMON_STAGES=1 all
	$(Q)$(if $(filter bench-kernel,$@),tests/kernels/vm --timeout 7200 --quiet 1800 $(BENCH_KERNEL) --) \
		env BUILD=$(BUILD) STAGES_BUILD=$(BUILD)/stages bench/run $(BENCH_ARGS)

# The same under one of the matrix's kernels in qemu (BENCH_KERNEL): where
# this machine's kernel refuses BPF trampolines and lacks kprobes, -x can
# only hook the system call tracepoints, and what it costs at the exec
# calls is measured there. Emulation slows everything, not alike: read
# the ratios of one run, not its times. Its results stay in the guest;
# what it prints is the report.
BENCH_KERNEL ?= 6.12
bench-kernel: BENCH_ARGS ?= -n 500 -p 3 --tax-calls 100000 -t execmon,execmon-json,execsnoop

# libFuzzer over the decoder and both formatters, from the seed corpus in
# tests/fuzz/corpus; new inputs it finds go to $(BUILD)/fuzz-corpus.
FUZZ_SECONDS ?= 60
$(BUILD)/fuzz_record: tests/fuzz/fuzz_record.c $(LIB_SRCS) $(wildcard tracer/*.h) | $(BUILD)
	$(call msg,CC,$@)
	$(Q)$(CLANG) $(CPPFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined $< $(LIB_SRCS) $(LDLIBS) -o $@

fuzz: $(BUILD)/fuzz_record
	$(Q)mkdir -p $(BUILD)/fuzz-corpus
	$(Q)$(BUILD)/fuzz_record -max_total_time=$(FUZZ_SECONDS) -timeout=5 \
		$(BUILD)/fuzz-corpus tests/fuzz/corpus

clean:
	$(call msg,CLEAN,$(BUILD))
	$(Q)rm -rf $(BUILD)

# Installation, under $(DESTDIR)$(PREFIX). The binary goes to sbin: tracing
# needs root (or CAP_BPF and CAP_PERFMON). zsh completions go to
# site-functions, which zsh searches under its own prefix and Debian's zsh
# searches under /usr/local too; Debian's vendor-completions is searched
# only under /usr, so it would miss the default PREFIX.
SBINDIR     ?= $(PREFIX)/sbin
MAN8DIR     ?= $(PREFIX)/share/man/man8
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
# The unit goes where systemd looks for a package's units under PREFIX;
# logrotate reads only /etc/logrotate.d, and the unit only
# /etc/default/execmon, whatever the PREFIX. debian/rules sets the Debian
# paths: this is the one list of what is installed.
UNITDIR     ?= $(PREFIX)/lib/systemd/system
LOGROTATEDIR ?= /etc/logrotate.d
DEFAULTDIR  ?= /etc/default
INSTALL     ?= install
INSTALLED   := $(SBINDIR)/execmon $(MAN8DIR)/execmon.8 $(BASHCOMPDIR)/execmon \
	$(ZSHCOMPDIR)/_execmon $(FISHCOMPDIR)/execmon.fish $(UNITDIR)/execmon.service \
	$(LOGROTATEDIR)/execmon

install: $(BUILD)/execmon
	$(call msg,INST,$(DESTDIR)$(PREFIX))
	$(Q)$(INSTALL) -D -m 755 $(BUILD)/execmon $(DESTDIR)$(SBINDIR)/execmon
	$(Q)$(INSTALL) -D -m 644 man/execmon.8 $(DESTDIR)$(MAN8DIR)/execmon.8
	$(Q)$(INSTALL) -D -m 644 completions/execmon.bash $(DESTDIR)$(BASHCOMPDIR)/execmon
	$(Q)$(INSTALL) -D -m 644 completions/_execmon $(DESTDIR)$(ZSHCOMPDIR)/_execmon
	$(Q)$(INSTALL) -D -m 644 completions/execmon.fish $(DESTDIR)$(FISHCOMPDIR)/execmon.fish
	$(Q)$(INSTALL) -d $(DESTDIR)$(UNITDIR)
	$(Q)sed 's|@SBINDIR@|$(SBINDIR)|g' systemd/execmon.service >$(DESTDIR)$(UNITDIR)/execmon.service
	$(Q)chmod 644 $(DESTDIR)$(UNITDIR)/execmon.service
	$(Q)$(INSTALL) -D -m 644 systemd/execmon.logrotate $(DESTDIR)$(LOGROTATEDIR)/execmon
	$(Q)test -e $(DESTDIR)$(DEFAULTDIR)/execmon || \
		$(INSTALL) -D -m 644 systemd/execmon.default $(DESTDIR)$(DEFAULTDIR)/execmon

# /etc/default/execmon is the administrator's once edited: install keeps
# one that is there, uninstall removes it only as shipped.
uninstall:
	$(call msg,RM,$(DESTDIR)$(PREFIX))
	$(Q)rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	$(Q)! cmp -s systemd/execmon.default $(DESTDIR)$(DEFAULTDIR)/execmon || \
		rm -f $(DESTDIR)$(DEFAULTDIR)/execmon

# The Debian package (debian/), built from a copy of the tree in
# $(BUILD)/deb so that dpkg-buildpackage's files land there and not beside
# the tree: make deb ARCH=arm64 cross-builds (dpkg-buildpackage -aarm64).
# A missing build dependency is named by dpkg-checkbuilddeps.
DEB_DIR     := $(BUILD)/deb/$(DEB_ARCH)
.PHONY: deb test-package
deb:
	$(Q)command -v dpkg-buildpackage >/dev/null || \
		{ echo "make deb: dpkg-buildpackage is missing: make deps installs it (dpkg-dev)" >&2; exit 1; }
	$(Q)dpkg-checkbuilddeps -a$(DEB_ARCH) debian/control || \
		{ echo "make deb: build dependencies for $(DEB_ARCH) are missing (above): make deps ARCH=$(ARCH) installs them" >&2; exit 1; }
	$(call msg,DEB,$(DEB_DIR))
	$(Q)rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/execmon-$(VERSION)
	$(Q)if [ -d .git ] || [ -f .git ]; then git ls-files -z -co --exclude-standard; \
		else find . -path ./$(BUILD) -prune -o -type f -print0; fi | \
		tar --null -T - -cf - | tar -xf - -C $(DEB_DIR)/execmon-$(VERSION)
	$(Q)cd $(DEB_DIR)/execmon-$(VERSION) && \
		dpkg-buildpackage -us -uc -b -a$(DEB_ARCH) >../build.log 2>&1 || \
		{ tail -n 30 ../build.log >&2; echo "make deb: dpkg-buildpackage failed: $(DEB_DIR)/build.log has it all" >&2; exit 1; }
	$(Q)ls $(DEB_DIR)/*.deb

# The package built, linted, installed, upgraded and purged in a Debian 12
# root, then booted in qemu with systemd as PID 1 (tests/package/run).
test-package: deps
	$(Q)$(MAKE) --no-print-directory deb
	$(Q)BUILD=$(BUILD) DEB_DIR=$(DEB_DIR) KERNELS_CACHE=$(KERNELS_CACHE) tests/package/run

-include $(TRACER_OBJS:.o=.d) $(SAN_OBJS:.o=.d) $(BUILD)/execmon.bpf.d
