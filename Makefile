# sysgate — see README.md. `make`, `make test`, `make static`, `make install`.
CC      ?= cc
CFLAGS  ?= -O2 -g
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
LIBDIR  ?= $(PREFIX)/lib
INCDIR  ?= $(PREFIX)/include
BUILD   ?= build
SAN     ?=
MULTIARCH := $(shell gcc -print-multiarch 2>/dev/null)

STD_FLAGS := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2
CPPFLAGS  += -D_GNU_SOURCE -Iinclude
ifeq ($(SAN),1)
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
endif
ALL_CFLAGS = $(STD_FLAGS) $(CFLAGS) $(SAN_FLAGS)

LIB_SRC := $(sort $(wildcard src/*.c) $(wildcard arch/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TEST_BINS := $(BUILD)/tests/test_arch $(BUILD)/tests/test_parse $(BUILD)/tests/test_emulate \
	$(BUILD)/tests/test_compile
TEST_BINS += $(BUILD)/tests/test_libseccomp

TEST_BINS += $(BUILD)/tests/test_kernel
TEST_BINS += $(BUILD)/tests/test_default

.PHONY: run all deps test-deps test check-build unit cli-tests sanitize valgrind clang-check static install clean

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

test-deps: deps
	$(call need,/usr/bin/valgrind,valgrind)
	$(call need,/usr/bin/clang,clang)
	$(call need,/usr/bin/musl-gcc,musl-tools)
	$(call need,/usr/include/seccomp.h,libseccomp-dev)

# ---- build -------------------------------------------------------------------
$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# the embedded default profile is assembled in with .incbin
$(BUILD)/obj/src/cli/default.o: profiles/runtime-default.json

$(BUILD)/libsysgate.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# The embedded default is also precompiled, by a first binary without it,
# so that `sysgate exec` with no options starts without compiling.
$(BUILD)/sysgate-boot: $(CLI_OBJ) $(BUILD)/libsysgate.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libsysgate.a

$(BUILD)/gen/default_bpf.c: $(BUILD)/sysgate-boot profiles/runtime-default.json
	@mkdir -p $(dir $@)
	$(BUILD)/sysgate-boot compile --format embed profiles/runtime-default.json -o $@

$(BUILD)/obj/gen/default_bpf.o: $(BUILD)/gen/default_bpf.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Isrc/cli $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/sysgate: $(CLI_OBJ) $(BUILD)/obj/gen/default_bpf.o $(BUILD)/libsysgate.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/obj/gen/default_bpf.o $(BUILD)/libsysgate.a

$(BUILD)/tests/%: tests/%.c $(BUILD)/libsysgate.a tests/check.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Isrc $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libsysgate.a $(LDLIBS)

# libseccomp is only an oracle in this test, never a dependency of sysgate
$(BUILD)/tests/test_libseccomp: LDLIBS += -lseccomp

# The static binary for minimal images (musl, no libc needed at run time).
static: deps
	$(call need,/usr/bin/musl-gcc,musl-tools)
	$(MAKE) --no-print-directory BUILD=$(BUILD)/musl CC=musl-gcc CFLAGS="-Os -flto -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables" \
		CPPFLAGS="-D_GNU_SOURCE -Iinclude -idirafter /usr/include -idirafter /usr/include/$(MULTIARCH)" \
		LDFLAGS="-static -flto -Os -Wl,--gc-sections" \
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

# unit + CLI tests against one build; WRAP runs each program under a tool.
check-build: all $(TEST_BINS) $(HOST_UNISTD)
	$(WRAP) $(BUILD)/tests/test_arch x86_64=$(BUILD)/tests/unistd_64.txt \
		x86=$(BUILD)/tests/unistd_32.txt x32=$(BUILD)/tests/unistd_x32.txt
	$(WRAP) $(BUILD)/tests/test_parse
	$(WRAP) $(BUILD)/tests/test_emulate
	$(WRAP) $(BUILD)/tests/test_compile
	$(WRAP) $(BUILD)/tests/test_default ../shared
	$(WRAP) $(BUILD)/tests/test_libseccomp ../shared
	SYSGATE_UNDER_VALGRIND=$(if $(findstring valgrind,$(WRAP)),1,0) $(WRAP) $(BUILD)/tests/test_kernel ../shared
	SYSGATE="$(WRAP) $(abspath $(BUILD))/sysgate" bash tests/cli.sh

test: test-deps
	$(MAKE) --no-print-directory clang-check
	$(MAKE) --no-print-directory check-build
	$(MAKE) --no-print-directory BUILD=build/asan SAN=1 check-build
	SYSGATE_QUICK=1 $(MAKE) --no-print-directory check-build \
		WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect"
	$(MAKE) --no-print-directory static
	BUILD=$(BUILD) bash tests/scratch.sh
	@echo "all test suites passed"

# clang must accept everything warning-free too.
clang-check: deps
	@for f in $(LIB_SRC) $(CLI_SRC) tests/*.c; do \
		clang $(CPPFLAGS) -Isrc $(STD_FLAGS) -fsyntax-only $$f || exit 1; done
	@echo "clang: no warnings"

# ---- install / clean ---------------------------------------------------------
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR)/sysgate
	install -m 755 $(BUILD)/sysgate $(DESTDIR)$(BINDIR)/sysgate
	install -m 644 $(BUILD)/libsysgate.a $(DESTDIR)$(LIBDIR)/libsysgate.a
	install -m 644 include/sysgate/*.h $(DESTDIR)$(INCDIR)/sysgate/

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
