# sysgate — see README.md. `make`, `make test`, `make static`, `make install`.
SHELL   := /bin/bash
CC      ?= cc
CFLAGS  ?= -O2 -g
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
LIBDIR  ?= $(PREFIX)/lib
INCDIR  ?= $(PREFIX)/include
MANDIR  ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
BASHCOMPDIR  ?= $(PREFIX)/share/bash-completion/completions
BUILD   ?= build
SAN     ?=
DEBUG   ?=
MULTIARCH := $(shell gcc -print-multiarch 2>/dev/null)

STD_FLAGS := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2
CPPFLAGS  += -D_GNU_SOURCE -Iinclude
# SG_DEBUG turns on the library's internal assertions (never in a release
# build, where the library must not abort): in the SAN=1 build, the fuzzers,
# and with DEBUG=1. Flags are not tracked per object, so give such a build a
# directory of its own: make DEBUG=1 BUILD=build/debug
ifeq ($(SAN),1)
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -DSG_DEBUG
endif
ifeq ($(DEBUG),1)
DEBUG_FLAGS := -DSG_DEBUG
endif
ALL_CFLAGS = $(STD_FLAGS) $(CFLAGS) $(SAN_FLAGS) $(DEBUG_FLAGS)

LIB_SRC := $(sort $(wildcard src/*.c) $(wildcard arch/*.c))
# the libraries a program linking libsysgate.a needs: libyaml reads YAML
# profiles (jsmn is a header; the static binary is built without libyaml and
# refuses YAML, see src/yaml.c); .clusterfuzzlite/build.sh asks for them
# (print-fuzz-vars)
LIB_LDLIBS ?= -lyaml
# the CLI binaries take libyaml's archive: one shared object fewer to load
# and search at every start (40,000 of the 1.5 million instructions a whole
# compile of Docker's default costs)
comma := ,
CLI_LDLIBS = $(if $(LIB_LDLIBS),-Wl$(comma)-Bstatic $(LIB_LDLIBS) -Wl$(comma)-Bdynamic)
CLI_SRC := $(sort $(wildcard src/cli/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
# linked into the binaries too: `make static` names its allocator here
EXTRA_SRC ?=
CLI_OBJ += $(EXTRA_SRC:%.c=$(BUILD)/obj/%.o)
TEST_BINS := $(BUILD)/tests/test_arch $(BUILD)/tests/test_parse $(BUILD)/tests/test_emulate \
	$(BUILD)/tests/test_compile $(BUILD)/tests/test_auditlog
TEST_BINS += $(BUILD)/tests/test_libseccomp $(BUILD)/tests/test_learn

TEST_BINS += $(BUILD)/tests/test_kernel
# dump: filters loaded in children, read back through ptrace
TEST_BINS += $(BUILD)/tests/test_dump
TEST_BINS += $(BUILD)/tests/test_default
# the symbolic engine (diff, decompile) against brute force
TEST_BINS += $(BUILD)/tests/test_symbolic
# lint: each check on inline profiles, the seeds, --json for the corpus
TEST_BINS += $(BUILD)/tests/test_lint
# baseProfileName's merge against its model, on random profiles
TEST_BINS += $(BUILD)/tests/test_source
# the static binary's own vfprintf and getdelim, beside glibc's
TEST_BINS += $(BUILD)/tests/test_printf
# exec.sh: the command run under sysgate exec, and a seccomp notify agent
TEST_BINS += $(BUILD)/tests/probe $(BUILD)/tests/agent
# record.sh: a workload whose parts each make a syscall of their own
TEST_BINS += $(BUILD)/tests/workload
# linear.sh: the worst shapes of input, written by mkshape (tests/shapes.c)
TEST_BINS += $(BUILD)/tests/mkshape

.PHONY: fuzz fuzz-smoke fuzz-replay cfl-smoke print-fuzz-vars run all deps test-deps test check-build clang-check \
	static shared install clean

all: deps $(BUILD)/sysgate $(BUILD)/libsysgate.a

# The main job: a program run under the embedded default profile.
run: all $(BUILD)/demo
	@echo '$$ $(BUILD)/sysgate exec -- $(BUILD)/demo    # the embedded default: Docker'"'"'s rules'
	@$(BUILD)/sysgate exec -- $(BUILD)/demo

$(BUILD)/demo: tests/demo.c
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -o $@ $<

# ---- dependencies: installed when root on Debian, named otherwise ----------
# $(call need,FILE,PACKAGE)
define need
@if [ ! -e $(1) ]; then \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "sysgate: installing $(2)"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y -q $(2) >/dev/null 2>&1 || \
		{ apt-get update -q >/dev/null && apt-get install -y -q $(2) >/dev/null; } || exit 1; \
	else \
		echo "sysgate: $(1) is missing; install it with: sudo apt-get install -y $(2)" >&2; exit 1; \
	fi; \
fi
endef

deps:
	$(call need,/usr/include/jsmn.h,libjsmn-dev)
	$(call need,/usr/include/yaml.h,libyaml-dev)

test-deps: deps
	$(call need,/usr/bin/valgrind,valgrind)
	$(call need,/usr/bin/clang,clang)
	$(call need,/usr/bin/musl-gcc,musl-tools)
	$(call need,/usr/include/seccomp.h,libseccomp-dev)
	$(call need,/usr/bin/zip,zip)
	$(call need,/usr/bin/unzip,unzip)
	$(call need,$(firstword $(wildcard /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a) /nonexistent),libclang-rt-14-dev)
	@# tests/install.sh: a C++ client built with pkg-config, the man page linted
	$(call need,/usr/bin/g++,g++)
	$(call need,/usr/bin/pkg-config,pkg-config)
	$(call need,/usr/bin/man,man-db)
	$(call need,/usr/bin/mandoc,mandoc)

# ---- build -------------------------------------------------------------------
$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The help texts (src/cli/texts.def) and the embedded default profile, packed
# into one compressed blob by a tool built and run on the build machine.
HOSTCC ?= cc
$(BUILD)/tools/pack: src/cli/tools/pack.c src/cli/texts.def src/cli/cli.h
	@mkdir -p $(dir $@)
	$(HOSTCC) -D_GNU_SOURCE $(filter -DSG_STATIC_LIBC,$(CPPFLAGS)) -Iinclude $(STD_FLAGS) -O2 -o $@ src/cli/tools/pack.c

$(BUILD)/gen/texts.c: $(BUILD)/tools/pack profiles/runtime-default.json
	@mkdir -p $(dir $@)
	$(BUILD)/tools/pack profiles/runtime-default.json > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/texts.o: $(BUILD)/gen/texts.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Isrc/cli $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libsysgate.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# The shared library, for `make install`: the same sources built
# position-independent into objects of their own ($(BUILD)/pic), so the
# archive and the binaries keep theirs. Its file name carries the version
# include/sysgate/version.h states, its SONAME the major number; only the API (sg_*) is
# exported, not the helpers stages share (dc_*, lint_*). -z defs: everything
# it needs is in it, libyaml or libc (sysgate.pc's Requires.private).
# (VERSION's pattern says . for the # that make would take for a comment.)
VERSION   := $(shell sed -n 's/^.define SYSGATE_VERSION "\(.*\)"$$/\1/p' include/sysgate/version.h)
SOVERSION := $(firstword $(subst ., ,$(VERSION)))
PIC_OBJ   := $(LIB_SRC:%.c=$(BUILD)/pic/%.o)

$(BUILD)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -fPIC -MMD -MP -c -o $@ $<

$(BUILD)/libsysgate.so.$(VERSION): $(PIC_OBJ)
	@test -n "$(VERSION)" || { echo "sysgate: no SYSGATE_VERSION in include/sysgate/version.h" >&2; exit 1; }
	@echo '{ global: sg_*; local: *; };' > $(BUILD)/libsysgate.map
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -shared -Wl,-soname,libsysgate.so.$(SOVERSION) \
		-Wl,--version-script,$(BUILD)/libsysgate.map -Wl,-z,defs -o $@ $(PIC_OBJ) $(LIB_LDLIBS)
	ln -sf libsysgate.so.$(VERSION) $(BUILD)/libsysgate.so.$(SOVERSION)
	ln -sf libsysgate.so.$(SOVERSION) $(BUILD)/libsysgate.so

shared: deps $(BUILD)/libsysgate.so.$(VERSION)

# The embedded default is also precompiled, by a first binary without it,
# so that `sysgate exec` with no options starts without compiling.
$(BUILD)/sysgate-boot: $(CLI_OBJ) $(BUILD)/obj/gen/texts.o $(BUILD)/libsysgate.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/obj/gen/texts.o $(BUILD)/libsysgate.a $(CLI_LDLIBS)

$(BUILD)/gen/default_bpf.c: $(BUILD)/sysgate-boot profiles/runtime-default.json
	@mkdir -p $(dir $@)
	$(BUILD)/sysgate-boot compile --format embed profiles/runtime-default.json -o $@

$(BUILD)/obj/gen/default_bpf.o: $(BUILD)/gen/default_bpf.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Isrc/cli $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/sysgate: $(CLI_OBJ) $(BUILD)/obj/gen/default_bpf.o $(BUILD)/obj/gen/texts.o $(BUILD)/libsysgate.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/obj/gen/default_bpf.o $(BUILD)/obj/gen/texts.o \
		$(BUILD)/libsysgate.a $(CLI_LDLIBS)

$(BUILD)/tests/%: tests/%.c $(BUILD)/libsysgate.a tests/check.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Isrc $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libsysgate.a $(LIB_LDLIBS) $(LDLIBS)

# exec.sh's probe and agent: plain programs, never sanitized, since a program
# under a seccomp filter must make only the calls the test expects (LeakSanitizer
# calls getppid at exit, and the tests make getppid fail)
$(BUILD)/tests/probe $(BUILD)/tests/agent $(BUILD)/tests/workload: $(BUILD)/tests/%: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(STD_FLAGS) $(CFLAGS) $(LDFLAGS) -pthread -o $@ $<

# the shapes are shared with the benchmark (bench/linear.c)
$(BUILD)/tests/mkshape: tests/mkshape.c tests/shapes.c tests/shapes.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ tests/mkshape.c tests/shapes.c

# the static binary's formatter and getdelim, built for the host under test names
$(BUILD)/tests/test_printf: tests/test_printf.c src/cli/static/printf.c src/cli/static/getdelim.c tests/check.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Isrc $(ALL_CFLAGS) $(LDFLAGS) -o $@ tests/test_printf.c src/cli/static/printf.c \
		src/cli/static/getdelim.c -lm

# libseccomp is only an oracle in this test, never a dependency of sysgate
$(BUILD)/tests/test_libseccomp: LDLIBS += -lseccomp
# its libseccomp filter builder (tests/lsc_build.c) is shared with the benchmark
$(BUILD)/tests/test_libseccomp: tests/test_libseccomp.c tests/lsc_build.c tests/lsc_build.h $(BUILD)/libsysgate.a tests/check.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Isrc $(ALL_CFLAGS) $(LDFLAGS) -o $@ tests/test_libseccomp.c tests/lsc_build.c $(BUILD)/libsysgate.a $(LIB_LDLIBS) $(LDLIBS)

# The static binary for minimal images (musl, no libc needed at run time).
# The flags keep the file small: -Oz; position-dependent code (-fno-pie: an
# address is a 4-byte immediate, not a 7-byte lea); switches as compares,
# not tables; one page-aligned code segment, no RELRO page (a static binary
# has nothing to relocate), no build-id note; the data segment placed right
# after the code (common-page-size=64: ld would otherwise move it to the next
# page whenever the two share a page badly, up to 4 KB of padding in the file,
# to save a page of memory); and an allocator, a qsort, a printf and a
# getdelim of its own (src/cli/static/) in place of musl's, 7 KB, 2 KB, 7 KB
# and 0.7 KB smaller.
STATIC_SRC := src/cli/static/malloc.c src/cli/static/qsort.c src/cli/static/printf.c \
	src/cli/static/getdelim.c
STATIC_OPT := -Oz -fno-pie -fno-jump-tables -fno-tree-switch-conversion
static: deps
	$(call need,/usr/bin/musl-gcc,musl-tools)
	$(MAKE) --no-print-directory BUILD=$(BUILD)/musl CC=musl-gcc EXTRA_SRC="$(STATIC_SRC)" LIB_LDLIBS= \
		CFLAGS="$(STATIC_OPT) -flto -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables" \
		CPPFLAGS="-D_GNU_SOURCE -DSG_STATIC_LIBC -Iinclude -idirafter /usr/include -idirafter /usr/include/$(MULTIARCH)" \
		LDFLAGS="-static -no-pie -flto $(STATIC_OPT) -Wl,--gc-sections -Wl,-z,noseparate-code -Wl,-z,norelro -Wl,--build-id=none -Wl,-z,common-page-size=64" \
		$(BUILD)/musl/sysgate
	cp $(BUILD)/musl/sysgate $(BUILD)/sysgate-static
	strip $(BUILD)/sysgate-static
	@echo "built $(BUILD)/sysgate-static ($$(stat -c %s $(BUILD)/sysgate-static) bytes)"
	musl-gcc -static -Os -D_GNU_SOURCE -std=c11 -Wall -Wextra -Werror -o $(BUILD)/demo-static tests/demo.c

# ---- tests -------------------------------------------------------------------
# The host's own x86 syscall headers, for cross-checking the generated tables.
$(BUILD)/tests/unistd_%.txt:
	@mkdir -p $(dir $@)
	echo '#include <asm/unistd_$*.h>' | $(CC) -dM -E - > $@

HOST_UNISTD := $(BUILD)/tests/unistd_64.txt $(BUILD)/tests/unistd_32.txt $(BUILD)/tests/unistd_x32.txt

# check-build: every suite against one build; WRAP runs each program under a
# tool. Each suite is a target of its own, so that `make -jN -O` (make test
# does) runs them side by side, each one's output kept together. linear.sh
# and record.sh time or race what they check: they run after the rest.
UNIT_SUITES   := arch parse emulate symbolic compile auditlog printf default lint source learn libseccomp \
	kernel dump
SCRIPT_SUITES := cli lint exec learn dump diff source
LATE_SUITES   := linear record
SUITE_TARGETS := $(UNIT_SUITES:%=unit-%) $(SCRIPT_SUITES:%=script-%)
UNDER_VALGRIND = SYSGATE_UNDER_VALGRIND=$(if $(findstring valgrind,$(WRAP)),1,0)
unit_args_arch       = x86_64=$(BUILD)/tests/unistd_64.txt x86=$(BUILD)/tests/unistd_32.txt \
	x32=$(BUILD)/tests/unistd_x32.txt
unit_args_default    = ../shared
unit_args_lint       = ../shared
unit_args_libseccomp = ../shared
unit_args_kernel     = ../shared
unit_args_learn      = profiles
unit_env_kernel      = $(UNDER_VALGRIND)
unit_env_dump        = $(UNDER_VALGRIND)
JOBS ?= $(shell nproc 2>/dev/null || echo 1)

.PHONY: $(SUITE_TARGETS) $(LATE_SUITES:%=script-%)
check-build: $(SUITE_TARGETS) $(LATE_SUITES:%=script-%) fuzz-replay

$(UNIT_SUITES:%=unit-%): unit-%: all $(TEST_BINS) $(HOST_UNISTD)
	$(unit_env_$*) $(WRAP) $(BUILD)/tests/test_$* $(unit_args_$*)

$(SCRIPT_SUITES:%=script-%) $(LATE_SUITES:%=script-%): script-%: all $(TEST_BINS)
	SYSGATE_SAN=$(SAN) SYSGATE="$(WRAP) $(abspath $(BUILD))/sysgate" BUILD=$(BUILD) bash tests/$*.sh

$(LATE_SUITES:%=script-%): | $(SUITE_TARGETS) fuzz-replay
script-record: | script-linear

test: test-deps
	$(MAKE) --no-print-directory clang-check
	bash tests/style.sh
	@# first, so that exec.sh runs its own-calls tests with the static binary too
	$(MAKE) --no-print-directory static
	$(MAKE) --no-print-directory -j$(JOBS) -O check-build
	BUILD=$(BUILD) bash tests/install.sh
	$(MAKE) --no-print-directory -j$(JOBS) -O BUILD=build/asan SAN=1 check-build
	SYSGATE_QUICK=1 $(MAKE) --no-print-directory -j$(JOBS) -O check-build \
		WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect"
	$(MAKE) --no-print-directory bench QUICK=1
	BUILD=$(BUILD) bash tests/scratch.sh
	$(MAKE) --no-print-directory -j$(JOBS) fuzz-smoke
	$(MAKE) --no-print-directory cfl-smoke
	@echo "all test suites passed"

# clang must accept everything warning-free too.
clang-check: deps
	@for f in $(LIB_SRC) $(CLI_SRC) src/cli/static/*.c src/cli/tools/*.c tests/*.c bench/*.c; do \
		clang $(CPPFLAGS) -Isrc -Itests $(STD_FLAGS) -fsyntax-only $$f || exit 1; done
	@# and the files with SG_DEBUG code, as a debug build compiles them
	@for f in $$(grep -l SG_DEBUG $(LIB_SRC)); do clang $(CPPFLAGS) $(STD_FLAGS) -DSG_DEBUG -fsyntax-only $$f || exit 1; done
	@# each public header alone in a C++ file too (tests/install.sh does it with g++)
	@for h in include/sysgate/*.h; do echo "#include \"$${h#include/}\"" | \
		clang++ -std=c++11 -Wall -Wextra -Werror -pedantic -Iinclude -fsyntax-only -x c++ - || exit 1; done
	@echo "clang: no warnings"

# ---- fuzzing: see README.md ------------------------------------------------------
# each fuzz/fuzz_NAME.c (.clusterfuzzlite/build.sh finds them the same way)
FUZZ_TARGETS := $(sort $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c)))
TARGET       ?= parse
ENGINE       ?= libfuzzer
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 10
FUZZ_MAX_LEN := 65536
FUZZ_FLAGS   := -g -O1 $(CPPFLAGS) $(STD_FLAGS) -DSG_DEBUG
FUZZ_SEEDS   := $(wildcard profiles/*.json) $(wildcard ../shared/corpus/*.json)

# Any compiler: each target over files, for the regression replay.
$(BUILD)/fuzz/replay_%: fuzz/fuzz_%.c fuzz/replay.c $(BUILD)/libsysgate.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -o $@ fuzz/fuzz_$*.c fuzz/replay.c $(BUILD)/libsysgate.a $(LIB_LDLIBS)

# The library once for every libFuzzer target (compiled for coverage, linked
# without libFuzzer's main), each target then linked against it.
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=build/fuzz/obj/%.o)
build/fuzz/obj/%.o: %.c $(wildcard include/sysgate/*.h src/*.h)
	@mkdir -p $(dir $@)
	clang $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<

build/fuzz/libsysgate-fuzz.a: $(FUZZ_LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

build/fuzz/libfuzzer_%: fuzz/fuzz_%.c build/fuzz/libsysgate-fuzz.a
	@mkdir -p $(dir $@)
	clang $(FUZZ_FLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< build/fuzz/libsysgate-fuzz.a $(LIB_LDLIBS)

build/fuzz/afl_%: fuzz/fuzz_%.c $(LIB_SRC) $(wildcard include/sysgate/*.h src/*.h)
	$(call need,/usr/bin/afl-clang-fast,afl++)
	@mkdir -p $(dir $@)
	AFL_QUIET=1 afl-clang-fast $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< $(LIB_SRC) $(LIB_LDLIBS)

# Seeds: profiles/, ../shared/corpus when present (read, never copied into
# the repository), the committed corpus; raw BPF seeds for the bpf target (a
# first byte of 0, little-endian, then the filter compiled for x86_64).
# .clusterfuzzlite/build.sh has them made in a directory of its own.
SEEDS_DIR ?= build/fuzz
$(SEEDS_DIR)/seeds-%: $(FUZZ_SEEDS) all
	@rm -rf $@ && mkdir -p $@
	@if [ $* = bpf ]; then for f in $(FUZZ_SEEDS); do \
		$(BUILD)/sysgate compile --arch x86_64 $$f -o $@/x.tmp 2>/dev/null && \
		{ printf '\000'; cat $@/x.tmp; } > $@/$$(basename $$f .json); done; rm -f $@/x.tmp; \
	else cp $(FUZZ_SEEDS) $@/; fi
	@if [ -d fuzz/corpus/$* ]; then cp fuzz/corpus/$*/* $@/ 2>/dev/null || true; fi

fuzz: build/fuzz/$(ENGINE)_$(TARGET) $(SEEDS_DIR)/seeds-$(TARGET)
	@mkdir -p build/fuzz/work-$(TARGET) build/fuzz/crashes
ifeq ($(ENGINE),afl)
	AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 afl-fuzz -i $(SEEDS_DIR)/seeds-$(TARGET) -o build/fuzz/afl-$(TARGET) \
		-x fuzz/profile.dict -V $(FUZZ_SECONDS) -- build/fuzz/afl_$(TARGET)
else
	build/fuzz/libfuzzer_$(TARGET) -dict=fuzz/profile.dict -max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_MAX_LEN) \
		-rss_limit_mb=2048 -artifact_prefix=build/fuzz/crashes/$(TARGET)- -print_final_stats=1 \
		build/fuzz/work-$(TARGET) $(SEEDS_DIR)/seeds-$(TARGET)
endif

# make test: every regression (and the committed corpus) through every
# target, then a short run of each target.
fuzz-replay: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay_%)
	@for t in $(FUZZ_TARGETS); do \
		find fuzz/regressions $(if $(WRAP),,fuzz/corpus) -type f | LC_ALL=C sort | \
		xargs $(WRAP) $(BUILD)/fuzz/replay_$$t || exit 1; done

fuzz-smoke: $(FUZZ_TARGETS:%=build/fuzz/libfuzzer_%) $(FUZZ_TARGETS:%=$(SEEDS_DIR)/seeds-%)
	@mkdir -p build/fuzz/crashes; for t in $(FUZZ_TARGETS); do mkdir -p build/fuzz/smoke-$$t; \
		if build/fuzz/libfuzzer_$$t -dict=fuzz/profile.dict -max_total_time=$(FUZZ_SMOKE_SECONDS) -max_len=$(FUZZ_MAX_LEN) -rss_limit_mb=2048 \
			-artifact_prefix=build/fuzz/crashes/$$t- build/fuzz/smoke-$$t $(SEEDS_DIR)/seeds-$$t \
			> build/fuzz/smoke-$$t.log 2>&1; then grep -E '^Done' build/fuzz/smoke-$$t.log; \
		else tail -n 40 build/fuzz/smoke-$$t.log; echo "fuzz-smoke: $$t failed (log: build/fuzz/smoke-$$t.log)"; exit 1; fi; done

# ClusterFuzzLite (.clusterfuzzlite/): its build.sh compiles through this
# Makefile and asks it for the rest here, so that it follows the sources,
# flags and libraries. cfl-smoke runs that build.sh as the service would
# (with this machine's clang, into build/cfl/), checks what it made, and runs
# each target briefly: see tests/cfl.sh.
print-fuzz-vars:
	@echo 'ldlibs=$(LIB_LDLIBS)'
	@echo 'max_len=$(FUZZ_MAX_LEN)'

cfl-smoke: deps
	$(call need,/usr/bin/zip,zip)
	$(call need,/usr/bin/unzip,unzip)
	bash tests/cfl.sh

# ---- benchmark: see README.md (Performance) -------------------------------------
# `make bench` (about 4 minutes on 2 cores) writes bench/results/; QUICK=1 (a
# smoke run, seconds) writes $(BUILD)/bench/results-quick/ instead. libseccomp is
# a peer here: only the bench binary links it.
.PHONY: bench
QUICK     ?=
BENCH_SRC := bench/main.c bench/latency.c bench/timing.c bench/linear.c bench/record.c bench/report.c bench/common.c
BENCH_OUT := $(if $(filter-out 0,$(QUICK)),$(BUILD)/bench/results-quick,bench/results)

$(BUILD)/bench/sysgate-bench: $(BENCH_SRC) bench/bench.h tests/lsc_build.c tests/lsc_build.h tests/shapes.c \
		tests/shapes.h $(BUILD)/libsysgate.a $(wildcard include/sysgate/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Isrc -Itests $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(BENCH_SRC) tests/lsc_build.c tests/shapes.c \
		$(BUILD)/libsysgate.a $(LIB_LDLIBS) -lseccomp -lm

$(BUILD)/bench/true-static $(BUILD)/bench/syscalls-static: $(BUILD)/bench/%-static: bench/%.c
	@mkdir -p $(dir $@)
	musl-gcc -static -Os -std=c11 -Wall -Wextra -Werror -o $@ $<

bench: all
	$(call need,/usr/include/seccomp.h,libseccomp-dev)
	$(call need,/usr/bin/musl-gcc,musl-tools)
	@$(MAKE) --no-print-directory static >/dev/null
	@$(MAKE) -s --no-print-directory $(BUILD)/bench/sysgate-bench $(BUILD)/bench/true-static $(BUILD)/bench/syscalls-static
	$(BUILD)/bench/sysgate-bench $(if $(filter-out 0,$(QUICK)),--quick) --out $(BENCH_OUT) \
		--sysgate $(BUILD)/sysgate --static $(BUILD)/sysgate-static --true-static $(BUILD)/bench/true-static \
		--syscalls $(BUILD)/bench/syscalls-static

# ---- install / clean ---------------------------------------------------------
# Every directory can be set on its own (PREFIX, BINDIR, LIBDIR, INCDIR,
# MANDIR, PKGCONFIGDIR, BASHCOMPDIR), and DESTDIR stages the whole tree
# elsewhere (tests/install.sh installs into a temporary one). sysgate.pc
# names the directories as installed, under ${prefix} where they lie in it.
pc_dir = $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))

install: all shared
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(call pc_dir,$(LIBDIR))|' \
		-e 's|@INCDIR@|$(call pc_dir,$(INCDIR))|' -e 's|@VERSION@|$(VERSION)|' src/sysgate.pc.in > $(BUILD)/sysgate.pc
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR)/sysgate $(DESTDIR)$(PKGCONFIGDIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(BUILD)/sysgate $(DESTDIR)$(BINDIR)/sysgate
	install -m 644 $(BUILD)/libsysgate.a $(DESTDIR)$(LIBDIR)/libsysgate.a
	install -m 755 $(BUILD)/libsysgate.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libsysgate.so.$(VERSION)
	ln -sf libsysgate.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libsysgate.so.$(SOVERSION)
	ln -sf libsysgate.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libsysgate.so
	install -m 644 include/sysgate/*.h $(DESTDIR)$(INCDIR)/sysgate/
	install -m 644 $(BUILD)/sysgate.pc $(DESTDIR)$(PKGCONFIGDIR)/sysgate.pc
	install -m 644 src/cli/sysgate.1 $(DESTDIR)$(MANDIR)/man1/sysgate.1
	install -m 644 src/cli/sysgate.bash-completion $(DESTDIR)$(BASHCOMPDIR)/sysgate

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(PIC_OBJ:.o=.d)
