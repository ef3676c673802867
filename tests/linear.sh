#!/usr/bin/env bash
# Linear in the input: each of the worst shapes of input (tests/shapes.c) at
# the 16 MiB limit, and each command the shape once made quadratic, must
# finish within a generous bound (LINEAR_BOUND seconds, default 20; the target
# on the development machine is 2). A quadratic return takes minutes or
# hours there, so the bound only catches that, not a slow machine. Under
# ASan+UBSan (SYSGATE_SAN=1) the inputs are 4 MiB; under valgrind the test
# is skipped (the other builds run it). `make bench` gives the cost per MB.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) BDIR=$BUILD ;; *) BDIR=$ROOT/$BUILD ;; esac
SYSGATE=${SYSGATE:-$BDIR/sysgate}
MKSHAPE=$BDIR/tests/mkshape
BOUND=${LINEAR_BOUND:-20}
SIZE=$((16 << 20))
[ "${SYSGATE_SAN:-}" = 1 ] && SIZE=$((4 << 20))
case $SYSGATE in *valgrind*)
	echo "linear: SKIP: under valgrind (the plain and sanitizer builds run it)"
	exit 0 ;;
esac
[ -x "$MKSHAPE" ] || { echo "linear: $MKSHAPE is missing (make $MKSHAPE)" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0 fail=0

# run SHAPE COMMAND: the command on $TMP/SHAPE.json, within the bound; a
# status of 124 or more (a timeout, a signal; exec's own failure is 125) fails
run() {
	local shape=$1 cmd=$2 f=$TMP/$1.json start end status
	local -a args
	case $cmd in
	check) args=(check "$f") ;;
	compile) args=(compile "$f" -o /dev/null) ;;
	stats) args=(stats "$f") ;;
	exec) args=(exec -p "$f" -- true) ;;
	esac
	start=$(date +%s%N)
	timeout -k 5 "$BOUND" $SYSGATE "${args[@]}" >/dev/null 2>&1 </dev/null
	status=$?
	end=$(date +%s%N)
	local ms=$(((end - start) / 1000000))
	if [ "$status" -eq 124 ] || [ "$status" -gt 125 ]; then
		fail=$((fail + 1))
		echo "FAIL: linear: $cmd on $shape ($((SIZE >> 20)) MiB): status $status after $ms ms (bound ${BOUND} s)" >&2
	else
		pass=$((pass + 1))
	fi
	times="$times $cmd $((ms / 1000)).$(printf %03d $((ms % 1000)))s"
}

while read -r shape commands; do
	if ! "$MKSHAPE" "$shape" "$SIZE" "$TMP/$shape.json"; then
		fail=$((fail + 1))
		continue
	fi
	times=
	for cmd in $commands; do
		run "$shape" "$cmd"
	done
	echo "linear: $shape ($((SIZE >> 20)) MiB):$times"
	rm -f "$TMP/$shape.json"
done < <("$MKSHAPE" --list)

echo "linear: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
