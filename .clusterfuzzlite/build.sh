#!/bin/bash -eu
# ClusterFuzzLite's (and OSS-Fuzz's) build: each fuzz/fuzz_*.c as a libFuzzer
# target fuzz_NAME in $OUT, with its seed corpus (fuzz_NAME_seed_corpus.zip),
# dictionary (fuzz_NAME.dict) and options (fuzz_NAME.options). Run from the
# source tree, the Dockerfile's WORKDIR; `make cfl-smoke` runs it here too.
# The Makefile compiles and makes the seeds, as `make fuzz` has them, and says
# what else a target needs (`make print-fuzz-vars`), so that this script
# follows the sources, flags and libraries as they change.
set -euo pipefail

: "${CC:?}" "${CXX:?}" "${CFLAGS?}" "${CXXFLAGS?}" "${LIB_FUZZING_ENGINE:?}" "${OUT:?}" "${WORK:?}"
if [ ! -f Makefile ] || [ ! -d fuzz ]; then
	echo "build.sh: run it from the sysgate source tree" >&2
	exit 1
fi
jobs=$(nproc)
vars=$(make -s --no-print-directory print-fuzz-vars)
var() { sed -n "s/^$1=//p" <<<"$vars"; }

targets=()
for f in fuzz/fuzz_*.c; do
	f=${f#fuzz/fuzz_}
	targets+=("${f%.c}")
done

# The library and each target's object, with the fuzzing compiler and its
# flags (a build directory of their own: make does not track flags). DEBUG=1
# turns the library's assertions on, as in `make fuzz`. -Wno-error: this
# clang is newer than the one `make clang-check` holds the code to, and a
# warning it adds must not stop the fuzzing.
lib=$WORK/fuzz-build
objs=()
for t in "${targets[@]}"; do
	objs+=("$lib/obj/fuzz/fuzz_$t.o")
done
rm -f "${objs[@]}" # make tracks the headers of the library's objects only
make -s --no-print-directory -j"$jobs" BUILD="$lib" CC="$CC" CFLAGS="$CFLAGS -Wno-error" DEBUG=1 SAN= \
	"$lib/libsysgate.a" "${objs[@]}"

# The runner image has none of this image's packages: the libraries the
# library needs are linked statically.
read -r -a ldlibs <<<"$(var ldlibs)"
static=()
if [ ${#ldlibs[@]} -gt 0 ]; then
	static=('-Wl,-Bstatic' "${ldlibs[@]}" '-Wl,-Bdynamic')
fi
for t in "${targets[@]}"; do
	# shellcheck disable=SC2086 # the flags are lists of words
	$CXX $CXXFLAGS "$lib/obj/fuzz/fuzz_$t.o" "$lib/libsysgate.a" $LIB_FUZZING_ENGINE "${static[@]}" \
		-o "$OUT/fuzz_$t"
done

# The seeds, made by the Makefile's rule: profiles/ and fuzz/corpus/NAME/,
# and for the bpf target filters compiled by a sysgate built here with plain
# clang (outside $OUT, where every program is taken for a fuzz target).
seeds=$WORK/seeds
make -s --no-print-directory -j"$jobs" BUILD="$WORK/host-build" SEEDS_DIR="$seeds" CC=clang HOSTCC=clang \
	CFLAGS=-O0 LDFLAGS= SAN= DEBUG= EXTRA_SRC= "${targets[@]/#/$seeds/seeds-}"

max_len=$(var max_len)
for t in "${targets[@]}"; do
	rm -f "$OUT/fuzz_${t}_seed_corpus.zip"
	zip -q -X -j "$OUT/fuzz_${t}_seed_corpus.zip" "$seeds/seeds-$t"/*
	cp fuzz/profile.dict "$OUT/fuzz_$t.dict"
	printf '[libfuzzer]\nmax_len = %s\n' "$max_len" > "$OUT/fuzz_$t.options"
done
