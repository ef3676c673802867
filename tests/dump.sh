#!/usr/bin/env bash
# `sysgate dump` on the running kernel: the filters `sysgate exec` loaded,
# read back byte for byte (the embedded default, profiles, two and three
# stacked, newest first), the task running on unharmed (a stopped one staying
# stopped), and each refusal: no such task, no filter, a kernel thread, not
# permitted (nobody), sysgate itself under seccomp, bad usage, an unwritable
# output. Reading filters needs CAP_SYS_ADMIN: as another user than root the
# kernel tests are skipped with a message. SYSGATE may carry a wrapper
# (valgrind ...), under which only the usage checks run.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) BDIR=$BUILD ;; *) if [ -d "$BUILD" ]; then BDIR=$(cd "$BUILD" && pwd); else BDIR=$ROOT/$BUILD; fi ;; esac
SYSGATE=${SYSGATE:-$BDIR/sysgate}
BIN=${SYSGATE##* } # the binary itself, to start the tasks under a filter
TMP=$(mktemp -d)
KIDS=()
cleanup() {
	local p
	exec 2>/dev/null # bash's "Killed" notices
	for p in "${KIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
P_DEFAULT=$ROOT/profiles/runtime-default.json
P_CHMOD=$ROOT/profiles/block-chmod.json
P_PTRACE=$ROOT/profiles/deny-ptrace.json

# sg ARGS...: sysgate ARGS (30 s at most); sets $status, $out, $err
sg() {
	{ timeout -k 5 30 $SYSGATE "$@" >"$TMP/out" 2>"$TMP/err" </dev/null; } 2>/dev/null
	status=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
}

# start CMD...: CMD in the background, its PID in $P (killed at exit)
start() {
	"$@" </dev/null >/dev/null 2>&1 &
	P=$!
	KIDS+=("$P")
}

# field PID NAME: the value of NAME: in /proc/PID/status
field() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null; }

# loaded PID N: waits (5 s at most) until task PID runs sleep under N filters
loaded() {
	local i
	for i in $(seq 100); do
		[ "$(field "$1" Name)" = sleep ] && [ "$(field "$1" Seccomp_filters)" = "$2" ] && return 0
		sleep 0.05
	done
	return 1
}

# ---- usage: no kernel needed ---------------------------------------------------
sg dump --help
[ "$status" -eq 0 ] && grep -q "usage: sysgate dump" <<<"$out" && ok || bad "dump --help: $status"
sg dump
[ "$status" -eq 2 ] && grep -q "usage: sysgate dump" <<<"$err" && ok || bad "dump without PID: $status $err"
for arg in abc 0 -5 12x 99999999999; do
	sg dump -- "$arg"
	[ "$status" -eq 2 ] && grep -q "is not a process or thread ID" <<<"$err" && ok || bad "dump $arg: $status $err"
done
sg dump 1 2
[ "$status" -eq 2 ] && ok || bad "dump with two PIDs: $status"
sg dump --no-such-option 1
[ "$status" -eq 2 ] && ok || bad "dump --no-such-option: $status"

case $SYSGATE in *valgrind*)
	echo "dump: SKIP the kernel tests: valgrind has no seccomp(2)"
	echo "dump: $pass passed, $fail failed, 1 skipped"
	[ "$fail" -eq 0 ]
	exit
	;;
esac
if [ "$(id -u)" != 0 ]; then
	echo "dump: SKIP the kernel tests: reading a task's filters needs CAP_SYS_ADMIN (run as root)"
	echo "dump: $pass passed, $fail failed, 1 skipped"
	[ "$fail" -eq 0 ]
	exit
fi

# ---- one filter: the embedded default, and profiles ------------------------------
start "$BIN" exec -- sleep 2
loaded "$P" 1 && ok || bad "exec -- sleep: no filter in place"
sg dump "$P" -o "$TMP/f"
"$BIN" default --bpf >"$TMP/g"
[ "$status" -eq 0 ] && cmp -s "$TMP/f" "$TMP/g" && ok || bad "the embedded default read back: $status $err"
[ -z "$err" ] && [ ! -e "$TMP/f.0" ] && ok || bad "one filter is FILE, said nothing: $err"
[ "$(field "$P" State)" = S ] && ok || bad "the task after dump: State $(field "$P" State)"
sg dump "$P"
n=$(($(stat -c %s "$TMP/g") / 8))
"$BIN" disasm "$TMP/g" >"$TMP/dis"
[ "$status" -eq 0 ] && [ "$(head -n 1 "$TMP/out")" = "filter 0 (newest): $n instructions" ] && ok ||
	bad "text header: $status $(head -n 1 "$TMP/out")"
tail -n +2 "$TMP/out" | cmp -s - "$TMP/dis" && grep -q "ld  \[arch\]" "$TMP/dis" && ok ||
	bad "text output is the disassembly"
wait "$P"
[ $? -eq 0 ] && ok || bad "the task did not run to completion after two dumps"

for prof in "$P_DEFAULT" "$P_CHMOD"; do
	start "$BIN" exec -p "$prof" -- sleep 30
	loaded "$P" 1 && ok || bad "exec -p $prof: no filter in place"
	sg dump "$P" -o "$TMP/f"
	"$BIN" compile "$prof" -o "$TMP/g" 2>/dev/null
	[ "$status" -eq 0 ] && cmp -s "$TMP/f" "$TMP/g" && ok || bad "$prof read back: $status $err"
	# what the process runs under, proven equal to its profile
	sg diff "$prof" "$TMP/f"
	[ "$status" -eq 0 ] && grep -q '^equivalent: ' <<<"$out" && ok || bad "diff $prof against its dump: $status $out $err"
	[ "$(field "$P" State)" = S ] && ok || bad "$prof: State $(field "$P" State) after dump"
done

# ---- stacked filters: newest first ---------------------------------------------
"$BIN" compile "$P_DEFAULT" -o "$TMP/a.bpf" 2>/dev/null
"$BIN" compile "$P_CHMOD" -o "$TMP/b.bpf" 2>/dev/null
"$BIN" compile "$P_PTRACE" -o "$TMP/c.bpf" 2>/dev/null
start "$BIN" exec -p "$P_DEFAULT" -- "$BIN" exec -p "$P_CHMOD" -- sleep 30
loaded "$P" 2 && ok || bad "exec under exec: not two filters"
sg dump "$P" -o "$TMP/two"
[ "$status" -eq 0 ] && cmp -s "$TMP/two.0" "$TMP/b.bpf" && cmp -s "$TMP/two.1" "$TMP/a.bpf" && ok ||
	bad "two filters: .0 the inner exec's, .1 the outer's: $status $err"
[ ! -e "$TMP/two" ] && [ ! -e "$TMP/two.2" ] && grep -q "written to $TMP/two.0" <<<"$err" &&
	grep -q "written to $TMP/two.1" <<<"$err" && ok || bad "two filters: the files named: $err"
sg dump "$P"
grep -qx "filter 0 (newest): $(($(stat -c %s "$TMP/b.bpf") / 8)) instructions" <<<"$out" &&
	grep -qx "filter 1 (oldest): $(($(stat -c %s "$TMP/a.bpf") / 8)) instructions" <<<"$out" &&
	[ "$(grep -c "ret KILL_PROCESS" <<<"$out")" -ge 2 ] && ok || bad "two filters as text: $(grep ^filter <<<"$out")"
start "$BIN" exec -p "$P_CHMOD" -- "$BIN" exec -p "$P_PTRACE" -- "$BIN" exec -- sleep 30
loaded "$P" 3 && ok || bad "three stacked: not three filters"
sg dump "$P" -o "$TMP/three"
"$BIN" default --bpf >"$TMP/g"
[ "$status" -eq 0 ] && cmp -s "$TMP/three.0" "$TMP/g" && cmp -s "$TMP/three.1" "$TMP/c.bpf" &&
	cmp -s "$TMP/three.2" "$TMP/b.bpf" && ok || bad "three filters, newest first: $status $err"
# the stack as the kernel combines it: equal to itself, not to its oldest filter alone
sg diff "$TMP/three.0,$TMP/three.1,$TMP/three.2" "$TMP/g,$TMP/c.bpf,$TMP/b.bpf"
[ "$status" -eq 0 ] && ok || bad "diff of the dumped stack and its filters: $status $out $err"
sg diff "$TMP/three.0,$TMP/three.1,$TMP/three.2" "$P_CHMOD"
[ "$status" -eq 1 ] && grep -q '^x86_64 *ptrace (101) *A: SCMP_ACT_ERRNO(1) *B: SCMP_ACT_ALLOW' <<<"$out" && ok ||
	bad "diff of the dumped stack and its oldest profile: $status $out $err"
sg dump "$P"
[ "$(grep -c '^filter ' <<<"$out")" = 3 ] && grep -qx "filter 1: $(($(stat -c %s "$TMP/c.bpf") / 8)) instructions" <<<"$out" && ok ||
	bad "three filters as text: $(grep ^filter <<<"$out")"

# ---- a stopped task stays stopped; it runs on when continued -------------------------
start "$BIN" exec -p "$P_CHMOD" -- sleep 1
loaded "$P" 1 && kill -STOP "$P"
for i in $(seq 50); do [ "$(field "$P" State)" = T ] && break; sleep 0.05; done
sg dump "$P" -o "$TMP/f"
[ "$status" -eq 0 ] && [ "$(field "$P" State)" = T ] && ok || bad "a stopped task: $status, State $(field "$P" State)"
kill -CONT "$P"
wait "$P"
[ $? -eq 0 ] && ok || bad "the stopped task did not run to completion once continued"

# ---- refusals: exit 2, a message, nothing written --------------------------------
sg dump "$(cat /proc/sys/kernel/pid_max)" -o "$TMP/none"
[ "$status" -eq 2 ] && grep -q "no such task" <<<"$err" && [ ! -e "$TMP/none" ] && ok || bad "no such task: $status $err"
start sleep 30
sg dump "$P" -o "$TMP/none"
[ "$status" -eq 2 ] && grep -q "has no seccomp filter" <<<"$err" && [ ! -e "$TMP/none" ] && ok ||
	bad "a task without a filter: $status $err"
[ "$(field "$P" State)" = S ] && [ "$(field "$P" TracerPid)" = 0 ] && ok || bad "the unfiltered task left stopped or traced"
sg dump 2
[ "$status" -eq 2 ] && grep -q "kernel thread" <<<"$err" && ok || bad "a kernel thread: $status $err"
start "$BIN" exec -- sleep 30
loaded "$P" 1
{ timeout 30 setpriv --reuid=65534 --regid=65534 --clear-groups -- $SYSGATE dump "$P" -o "$TMP/none" \
	>"$TMP/out" 2>"$TMP/err"; } 2>/dev/null
status=$? err=$(cat "$TMP/err")
[ "$status" -eq 2 ] && grep -q "needs CAP_SYS_ADMIN" <<<"$err" && [ ! -e "$TMP/none" ] && ok ||
	bad "dump as nobody: $status $err"
sg exec -- $SYSGATE dump "$P" -o "$TMP/none"
[ "$status" -eq 2 ] && grep -q "sysgate itself runs under seccomp" <<<"$err" && [ ! -e "$TMP/none" ] && ok ||
	bad "dump under seccomp: $status $err"
[ "$(field "$P" State)" = S ] && [ "$(field "$P" TracerPid)" = 0 ] && ok ||
	bad "the task after a refused dump: State $(field "$P" State), TracerPid $(field "$P" TracerPid)"
sg dump "$P" -o /no/such/dir/f
[ "$status" -eq 2 ] && grep -q "/no/such/dir/f" <<<"$err" && ok || bad "unwritable output: $status $err"
start "$BIN" exec -p "$P_DEFAULT" -- "$BIN" exec -p "$P_CHMOD" -- sleep 30
loaded "$P" 2
mkdir "$TMP/ro" && touch "$TMP/ro/x.1" && chmod 0444 "$TMP/ro/x.1"
{ timeout 30 setpriv --inh-caps=-all --bounding-set=-dac_override -- $SYSGATE dump "$P" -o "$TMP/ro/x" \
	>"$TMP/out" 2>"$TMP/err"; } 2>/dev/null
status=$? err=$(cat "$TMP/err")
[ "$status" -eq 2 ] && [ ! -e "$TMP/ro/x.0" ] && [ -e "$TMP/ro/x.1" ] && grep -q "ro/x.1: Permission denied" <<<"$err" &&
	! grep -q "written to" <<<"$err" && ok ||
	bad "a failed second file: the first removed, the one there kept: $status $err; $(ls "$TMP/ro")"

echo "dump: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
