#!/usr/bin/env bash
# `sysgate diff` and `sysgate decompile`: the exact comparison as a user
# meets it, and the profile of a filter, proven. Equal filters in
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

# ins CODE JT JF K: one struct sock_filter, little-endian
ins() { printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 & 255)) $(($1 >> 8)) "$2" "$3")$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($4 & 255)) $(($4 >> 8 & 255)) $(($4 >> 16 & 255)) $(($4 >> 24 & 255)))"; }

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
	grep -q '^x32 *nr 1073742372\.\.2147483647 *A: SCMP_ACT_KILL_PROCESS *B: SCMP_ACT_ERRNO(5)' <<<"$out" &&
	grep -q '^x86_64 *nr 2147483648\.\.3221225471 *A: SCMP_ACT_KILL_PROCESS' <<<"$out" &&
	grep -q '^x32 *nr 3221225472\.\.4294967294 *A: SCMP_ACT_KILL_PROCESS' <<<"$out" &&
	[ "$(grep -c '^x86_64' <<<"$out")" -eq 1 ] && ! grep -q 4294967295 <<<"$out" && ok ||
	bad "the bad-arch action: $status $(tail -5 <<<"$out")"

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

# ---- deep: 7 stacked filters of 4,093 tests each, every test both ways (the C stack once overflowed)
ins 0x15 0 0 0 >"$TMP/b0"
for i in $(seq 1 11); do cat "$TMP/b$((i - 1))" "$TMP/b$((i - 1))" >"$TMP/b$i"; done # 2^i tests
{ ins 0x20 0 0 0; for i in 11 10 9 8 7 6 5 4 3 2 0; do cat "$TMP/b$i"; done; ins 6 0 0 0x7fff0000; } >"$TMP/deep.bpf"
D=$TMP/deep.bpf
sg diff "$D,$D,$D,$D,$D" "$D,$D"
[ "$status" -eq 0 ] && ok || bad "a deep stack: $status $err"

# ---- undecided: arithmetic on a loaded word ---------------------------------------------
# ld [0]; add #1; jeq #1, 0, 1; ret ERRNO(1); ret ALLOW  (nr + 1 == 1: read)
printf '\x20\x00\x00\x00\x00\x00\x00\x00\x04\x00\x00\x00\x01\x00\x00\x00\x15\x00\x00\x01\x01\x00\x00\x00\x06\x00\x00\x00\x01\x00\x05\x00\x06\x00\x00\x00\x00\x00\xff\x7f' >"$TMP/add.bpf"
sg diff "$TMP/add.bpf" "$TMP/add.bpf"
[ "$status" -eq 2 ] && grep -q 'undecided: input 1, instruction 1: arithmetic' <<<"$err" && ! grep -q equivalent <<<"$out" && ok ||
	bad "undecided: $status $out $err"

# ---- decompile: every shipped (and corpus) profile's filter, in each semantics -----------
# decompiled FILTER [COMPILE OPTIONS]: decompile proves it, and diff proves it again
# with the options decompile names
decompiled() {
	local bpf=$1
	shift
	sg decompile "$@" "$bpf" -o "$TMP/dec.json"
	[ "$status" -eq 0 ] || return 1
	local opts
	opts=$(sed -n 's/.* compiles with \(.*\) to a filter equivalent.*/\1/p' <<<"$err")
	# shellcheck disable=SC2086
	sg diff ${DARCH:-} $opts "$bpf" "$TMP/dec.json"
	[ "$status" -eq 0 ]
}
# under valgrind (SYSGATE_QUICK), the default semantics alone
SEMANTICS=("")
[ -n "${SYSGATE_QUICK:-}" ] || SEMANTICS+=("--arg-width 64 --enosys off" "--arg-width 64" "--enosys off")
FILES=("$P"/*.json)
if [ -n "${SYSGATE_QUICK:-}" ]; then # under valgrind: the default, a deny list, x86's multiplexers
	FILES=("$DEF" "$P/block-chmod.json" "$P/minimal.json" "$P/production.json")
elif [ -d "$ROOT/../shared/corpus" ]; then
	FILES+=("$ROOT"/../shared/corpus/*.json)
else
	echo "diff: SKIP decompile of ../shared/corpus: ../shared is absent"
	skip=$((skip + 1))
fi
for sem in "${SEMANTICS[@]}"; do
	n=0 bad_files=""
	for f in "${FILES[@]}"; do
		# shellcheck disable=SC2086
		$SYSGATE compile $sem "$f" -o "$TMP/in.bpf" 2>/dev/null || continue
		n=$((n + 1))
		decompiled "$TMP/in.bpf" || bad_files="$bad_files $(basename "$f")($status: $(head -c 200 <<<"$err"))"
	done
	# (a corpus file that does not compile is left out: cli.sh checks those)
	[ -z "$bad_files" ] && [ "$n" -ge $((${#FILES[@]} < 12 ? ${#FILES[@]} : 12)) ] && ok ||
		bad "decompile [$sem] of $n filters:$bad_files"
done
# the profile reads as a person would write it: the default, one rule per action
$SYSGATE compile "$DEF" -o "$TMP/def.bpf" 2>/dev/null
sg decompile "$TMP/def.bpf"
[ "$status" -eq 0 ] && grep -q '"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1' <<<"$out" &&
	[ "$(grep -c '"action": "SCMP_ACT_ALLOW"$' <<<"$out")" -ge 1 ] && grep -q '"names": \["clone3"\]' <<<"$out" &&
	grep -q '{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}' <<<"$out" &&
	grep -q 'proven: the profile compiles to a filter equivalent' <<<"$err" && ok || bad "decompile of the default: $status $err"
cp "$TMP/out" "$TMP/dec1.json"
sg decompile "$TMP/def.bpf"
cmp -s "$TMP/out" "$TMP/dec1.json" && ok || bad "decompile twice: different bytes"
# a Security Profiles Operator object that check reads and diff proves
decompiled "$TMP/def.bpf" --format spo --name "My App" && grep -q '"kind": "SeccompProfile"' "$TMP/dec.json" &&
	grep -q '"name": "my-app"' "$TMP/dec.json" && ok || bad "decompile --format spo: $status $err"
# a big-endian arch's filter
$SYSGATE compile --arch s390x "$DEF" -o "$TMP/s390x.bpf" 2>/dev/null
DARCH="--arch s390x" decompiled "$TMP/s390x.bpf" --arch s390x && grep -q '"SCMP_ARCH_S390X"' "$TMP/dec.json" && ok ||
	bad "decompile of s390x's filter: $status $err"
# a filter one profile cannot say: getpid refused on x86_64, allowed on x86
{
	ins 0x20 0 0 4; ins 0x15 0 4 0xc000003e; ins 0x20 0 0 0; ins 0x15 0 1 39; ins 6 0 0 0x50001
	ins 6 0 0 0x7fff0000; ins 0x15 0 1 0x40000003; ins 6 0 0 0x7fff0000; ins 6 0 0 0x80000000
} >"$TMP/split.bpf"
sg decompile "$TMP/split.bpf" -o "$TMP/split.json"
[ "$status" -eq 1 ] && grep -q 'getpid is decided differently on x86_64 and x86' <<<"$err" &&
	grep -q 'NOT equivalent' <<<"$err" && grep -q '^x86 *getpid (20) *input: SCMP_ACT_ALLOW *profile: SCMP_ACT_ERRNO(1)' <<<"$err" &&
	[ -s "$TMP/split.json" ] && ok || bad "a filter no profile says: $status $err"
# what a profile cannot say at all, and what is no filter
sg decompile "$TMP/add.bpf"
[ "$status" -eq 2 ] && grep -q 'arithmetic' <<<"$err" && [ -z "$out" ] && ok || bad "decompile of arithmetic: $status $err"
{ ins 0x20 0 0 8; ins 0x15 0 1 0x1000; ins 6 0 0 0x50001; ins 6 0 0 0x7fff0000; } >"$TMP/ip.bpf"
sg decompile --arch x86_64 "$TMP/ip.bpf"
[ "$status" -eq 2 ] && grep -q 'instruction pointer' <<<"$err" && ok || bad "decompile of an ip test: $status $err"
sg decompile "$DEF"
[ "$status" -eq 2 ] && grep -q 'a profile, not a raw BPF program' <<<"$err" && ok || bad "decompile of a profile: $status $err"
# read(2) answered ERRNO(5000), which the kernel clamps to 4095 and no profile may say
{ ins 0x20 0 0 4; ins 0x15 0 4 0xc000003e; ins 0x20 0 0 0; ins 0x15 0 1 0; ins 6 0 0 0x51388; ins 6 0 0 0x7fff0000
  ins 6 0 0 0x80000000; } >"$TMP/errno.bpf"
sg decompile "$TMP/errno.bpf"
[ "$status" -eq 2 ] && grep -q 'SCMP_ACT_ERRNO(4095) for read, and a profile.s errno is at most 4094' <<<"$err" && ok ||
	bad "decompile of ERRNO(5000): $status $err"
sg decompile --format yaml "$TMP/def.bpf"
[ "$status" -eq 2 ] && grep -q -- '--format is oci or spo' <<<"$err" && ok || bad "decompile --format yaml: $status $err"
sg decompile --help
[ "$status" -eq 0 ] && grep -q 'usage: sysgate decompile' <<<"$out" && ok || bad "decompile --help: $status"

echo "diff: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
