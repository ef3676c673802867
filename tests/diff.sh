#!/usr/bin/env bash
# `sysgate diff`: the exact comparison as a user meets it. Equal filters in
# every form (profile, raw, a big-endian arch's raw, a stack in either
# order); differences found with both answers (syscalls, a number range,
# the ENOSYS stub, argument widths with a witness, other arches); --arch,
# --json; undecided programs; bad usage. SYSGATE may carry a wrapper.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SYSGATE=${SYSGATE:-$ROOT/build/sysgate}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
P=$ROOT/profiles
DEF=$P/runtime-default.json

# sg ARGS...: sysgate ARGS; sets $status, $out, $err
sg() {
	{ timeout -k 5 120 $SYSGATE "$@" >"$TMP/out" 2>"$TMP/err" </dev/null; } 2>/dev/null
	status=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
}

# ---- usage ------------------------------------------------------------------------
sg diff --help
[ "$status" -eq 0 ] && grep -q "usage: sysgate diff" <<<"$out" && ok || bad "diff --help: $status"
sg diff "$DEF"
[ "$status" -eq 2 ] && grep -q "usage: sysgate diff" <<<"$err" && ok || bad "diff with one file: $status"
sg diff "$DEF" "$TMP/none.json"
[ "$status" -eq 2 ] && grep -q "none.json" <<<"$err" && ok || bad "a missing file: $status $err"
printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_FOO"}]}\n' >"$TMP/bad.json"
sg diff "$DEF" "$TMP/bad.json"
[ "$status" -eq 2 ] && grep -q 'bad.json:1:[0-9]*: /syscalls/0/action' <<<"$err" && [ -z "$out" ] && ok ||
	bad "an invalid profile: $status $err"

# ---- equal, in every form -------------------------------------------------------------
sg diff "$DEF" "$DEF"
[ "$status" -eq 0 ] && grep -q '^equivalent: ' <<<"$out" && ok || bad "a profile and itself: $status $out $err"
$SYSGATE compile "$DEF" -o "$TMP/def.bpf" 2>/dev/null
sg diff "$DEF" "$TMP/def.bpf"
[ "$status" -eq 0 ] && ok || bad "a profile and its compiled filter: $status $out $err"
$SYSGATE compile --arch s390x "$DEF" -o "$TMP/s390x.bpf" 2>/dev/null
sg diff --arch s390x "$DEF" "$TMP/s390x.bpf"
[ "$status" -eq 0 ] && ok || bad "big-endian: s390x's raw filter and its profile: $status $out $err"
$SYSGATE compile "$P/block-chmod.json" -o "$TMP/chmod.bpf" 2>/dev/null
$SYSGATE compile "$P/deny-ptrace.json" -o "$TMP/ptrace.bpf" 2>/dev/null
sg diff "$TMP/chmod.bpf,$TMP/ptrace.bpf" "$TMP/ptrace.bpf,$TMP/chmod.bpf"
[ "$status" -eq 0 ] && ok || bad "a stack and the same filters in the other order: $status $out $err"

# ---- differences ------------------------------------------------------------------------
sg diff "$P/block-chmod.json" "$P/deny-ptrace.json"
[ "$status" -eq 1 ] && grep -q '^x86_64 *chmod (90) *A: SCMP_ACT_ERRNO(1) *B: SCMP_ACT_ALLOW' <<<"$out" &&
	grep -q '^x86_64 *ptrace (101) *A: SCMP_ACT_ALLOW *B: SCMP_ACT_ERRNO(1)' <<<"$out" &&
	grep -q 'differ: 4 runs listed' <<<"$out" && ok ||
	bad "block-chmod against deny-ptrace: $status $out $err"
# the stack against one of its filters: only the other's refusals
sg diff "$TMP/chmod.bpf,$TMP/ptrace.bpf" "$TMP/chmod.bpf"
[ "$status" -eq 1 ] && [ "$(grep -c '^x86_64 *ptrace' <<<"$out")" -eq 1 ] && [ "$(grep -c '^x86_64' <<<"$out")" -eq 1 ] && ok ||
	bad "a stack against one of its filters: $status $out"
# --arch: only that architecture
sg diff --arch x86 "$P/block-chmod.json" "$P/deny-ptrace.json"
[ "$status" -eq 1 ] && ! grep -q '^x86_64' <<<"$out" && grep -q '^x86 *ptrace (26)' <<<"$out" && ok ||
	bad "--arch x86: $status $out"
# the ENOSYS stub: runs of numbers, no argument
$SYSGATE compile --enosys off "$DEF" -o "$TMP/noenosys.bpf" 2>/dev/null
sg diff "$DEF" "$TMP/noenosys.bpf"
[ "$status" -eq 1 ] && grep -q '^x86_64 *nr [0-9]*\.\.[0-9]* *A: SCMP_ACT_ERRNO(38) *B: SCMP_ACT_ERRNO(1)' <<<"$out" &&
	! grep -v 'ERRNO(38)  *B: SCMP_ACT_ERRNO(1) *$' <<<"$out" | grep -q '^x86' && ok ||
	bad "the ENOSYS stub: $status $out"
# argument widths: the vsock family with a high bit, a witness that shows it
$SYSGATE compile --arg-width 64 "$DEF" -o "$TMP/w64.bpf" 2>/dev/null
sg diff "$DEF" "$TMP/w64.bpf"
[ "$status" -eq 1 ] && grep -q '^x86_64 *socket (41) *A: SCMP_ACT_ERRNO(1) *B: SCMP_ACT_ALLOW *e.g. args 0x1000000' <<<"$out" &&
	! grep -q 'nr [0-9]' <<<"$out" && ! grep '^x86' <<<"$out" | grep -qv 'e.g. args' && ok ||
	bad "argument widths: $status $out"
# other architectures: the bad-arch action
$SYSGATE compile --bad-arch SCMP_ACT_ERRNO:5 "$P/block-chmod.json" -o "$TMP/badarch.bpf" 2>/dev/null
sg diff "$TMP/chmod.bpf" "$TMP/badarch.bpf"
# (x32's numbers too: the profile names no x32, so they are another ABI's)
[ "$status" -eq 1 ] && grep -q '^other arch (e.g. 0x00000000) *every number *A: SCMP_ACT_KILL_PROCESS *B: SCMP_ACT_ERRNO(5)' <<<"$out" &&
	grep -q '^x32 *read (1073741824) *A: SCMP_ACT_KILL_PROCESS *B: SCMP_ACT_ERRNO(5)' <<<"$out" &&
	grep -q '^x32 *nr 1073742372\.\.4294967294 *A: SCMP_ACT_KILL_PROCESS *B: SCMP_ACT_ERRNO(5)' <<<"$out" &&
	! grep -q '^x86_64' <<<"$out" && ! grep -q 4294967295 <<<"$out" && ok || bad "the bad-arch action: $status $out"

# ---- --json ------------------------------------------------------------------------------
sg diff --json "$P/block-chmod.json" "$P/deny-ptrace.json"
[ "$status" -eq 1 ] && grep -q '"equivalent": false' <<<"$out" &&
	grep -q '{"arch": "x86_64", "syscall": "chmod", "nr": 90, "nr_last": 90, "a": "SCMP_ACT_ERRNO(1)", "b": "SCMP_ACT_ALLOW", "args": \[' <<<"$out" &&
	ok || bad "--json: $status $out"
if command -v python3 >/dev/null; then
	for pair in "$DEF $TMP/w64.bpf" "$DEF $DEF" "$TMP/chmod.bpf $TMP/badarch.bpf"; do
		# shellcheck disable=SC2086
		sg diff --json $pair
		python3 -c 'import json,sys; d = json.load(sys.stdin); assert d["equivalent"] == (len(d["differences"]) == 0)' \
			<<<"$out" && ok || bad "--json is not valid JSON: $pair: $out"
	done
else
	echo "diff: SKIP JSON validity: no python3"
	skip=$((skip + 1))
fi

# ---- undecided: arithmetic on a loaded word ---------------------------------------------
# ld [0]; add #1; jeq #1, 0, 1; ret ERRNO(1); ret ALLOW  (nr + 1 == 1: read)
printf '\x20\x00\x00\x00\x00\x00\x00\x00\x04\x00\x00\x00\x01\x00\x00\x00\x15\x00\x00\x01\x01\x00\x00\x00\x06\x00\x00\x00\x01\x00\x05\x00\x06\x00\x00\x00\x00\x00\xff\x7f' >"$TMP/add.bpf"
sg diff "$TMP/add.bpf" "$TMP/add.bpf"
[ "$status" -eq 2 ] && grep -q 'undecided: input 1, instruction 1: arithmetic' <<<"$err" && ! grep -q equivalent <<<"$out" && ok ||
	bad "undecided: $status $out $err"

echo "diff: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
