#!/usr/bin/env bash
# make cfl-smoke: runs .clusterfuzzlite/build.sh as ClusterFuzzLite does (its
# variables; libFuzzer, ASan and UBSan), with this machine's clang and into
# build/cfl/, so that the script cannot rot unseen. Then checks what it made:
# a target for each fuzz/fuzz_*.c and no other program in $OUT (the service
# takes every one for a target), none needing a library the runner image
# lacks, each with a dictionary, options and a seed corpus that holds the
# profiles, the committed corpus and, for bpf, raw filters; and runs each
# target for a few seconds with its dictionary and options, over a sample of
# its seeds (fuzz-smoke runs them all, made by the same Makefile rule).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
cfl=$PWD/build/cfl
out=$cfl/out
SECONDS_EACH=${SYSGATE_CFL_SECONDS:-2}
fail=0
bad() {
	echo "cfl-smoke: $*"
	fail=1
}

rm -rf "$cfl/src" "$out" "$cfl/run"
mkdir -p "$cfl/src" "$cfl/work" "$out" "$cfl/run"
san="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
start=$SECONDS
# a clean environment for its make, as in the build image
if ! env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL SRC="$cfl/src" WORK="$cfl/work" OUT="$out" \
	CC=clang CXX=clang++ CFLAGS="-O1 -g $san" CXXFLAGS="-O1 -g $san" LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
	bash -eu .clusterfuzzlite/build.sh > "$cfl/build.log" 2>&1; then
	tail -n 40 "$cfl/build.log"
	echo "cfl-smoke: build.sh failed (log: build/cfl/build.log)"
	exit 1
fi
echo "cfl-smoke: build.sh made $(find "$out" -type f | wc -l) files in $((SECONDS - start)) s"

targets=()
for f in fuzz/fuzz_*.c; do
	f=${f#fuzz/fuzz_}
	targets+=("${f%.c}")
done
for f in "$out"/*; do
	if [ -f "$f" ] && [ -x "$f" ] && [[ " ${targets[*]/#/fuzz_} " != *" ${f##*/} "* ]]; then
		bad "$f is a program but no fuzz target"
	fi
done

# the names a seed corpus must hold: NAME's committed corpus, and the
# profiles (for bpf, the runtime default's filter at least)
want_seeds() {
	if [ "$1" = bpf ]; then
		echo runtime-default
	else
		for p in profiles/*.json; do echo "${p##*/}"; done
	fi
	if [ -d "fuzz/corpus/$1" ]; then
		for p in "fuzz/corpus/$1"/*; do echo "${p##*/}"; done
	fi
}

check_target() {
	local t=$1 bin=$out/fuzz_$1 run=$cfl/run/$1
	local f
	for f in "$bin" "${bin}_seed_corpus.zip" "$bin.dict" "$bin.options"; do
		[ -s "$f" ] || { bad "${f#"$PWD"/} is missing"; return; }
	done
	# the runner image has the C and C++ runtimes, nothing of the build image's
	local libs
	libs=$(ldd "$bin" | awk '{ print $1 }' |
		grep -vE '^(linux-vdso|/lib64/ld-linux|lib(c|m|dl|rt|pthread|resolv|util|gcc_s|stdc\+\+)\.so)')
	[ -z "$libs" ] || bad "fuzz_$t needs libraries the runner lacks: $libs"
	mkdir -p "$run/seeds" "$run/sample"
	unzip -q "${bin}_seed_corpus.zip" -d "$run/seeds" || { bad "fuzz_$t: bad zip"; return; }
	local missing
	missing=$(want_seeds "$t" | while read -r s; do [ -f "$run/seeds/$s" ] || echo "$s"; done)
	[ -z "$missing" ] || bad "fuzz_$t's seeds lack: $(echo "$missing" | head -n 3 | tr '\n' ' ')"
	if [ "$t" = bpf ] && [ -f "$run/seeds/runtime-default" ]; then
		# a NUL byte (little-endian), then whole 8-byte instructions
		local size first
		size=$(stat -c %s "$run/seeds/runtime-default")
		first=$(head -c 1 "$run/seeds/runtime-default" | od -An -tu1 | tr -d ' ')
		if [ "$first" != 0 ] || [ $(((size - 1) % 8)) != 0 ] || [ "$size" -lt 100 ]; then
			bad "fuzz_bpf's runtime-default seed is no raw filter ($size bytes, first byte $first)"
		fi
	fi
	local n
	n=$(find "$run/seeds" -type f | wc -l)
	find "$run/seeds" -type f | LC_ALL=C sort | awk -v k=$(((n + 99) / 100)) 'NR % k == 0' |
		xargs -r cp -t "$run/sample"
	# the options file's [libfuzzer] settings, as the service passes them
	local opts=()
	while IFS=' =' read -r k v; do
		[ -n "$v" ] && opts+=("-$k=$v")
	done < <(sed -n '/^\[libfuzzer\]/,/^\[/{/^[a-z_]* *=/p}' "$bin.options")
	[ ${#opts[@]} -gt 0 ] || bad "fuzz_$t.options sets nothing for libFuzzer"
	if "$bin" -dict="$bin.dict" "${opts[@]}" -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 \
		-artifact_prefix="$run/crash-" "$run/sample" > "$run.log" 2>&1; then
		echo "cfl-smoke: fuzz_$t: $n seeds, $(grep -E '^Done' "$run.log")"
	else
		tail -n 30 "$run.log"
		bad "fuzz_$t failed (log: build/cfl/run/$t.log)"
	fi
}

for t in "${targets[@]}"; do
	check_target "$t"
done
[ $fail = 0 ] && echo "cfl-smoke: ${#targets[@]} targets built by .clusterfuzzlite/build.sh and run, in $SECONDS s"
exit $fail
