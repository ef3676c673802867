#!/usr/bin/env bash
# `sysgate lint` from the command line: exit statuses 0, 1 and 2, --fail-on
# at each level, --json, several profiles (the worst status), an invalid
# profile's located error, --help; the static binary's refusal when built.
# SYSGATE may carry a wrapper (valgrind ...).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SYSGATE=${SYSGATE:-$ROOT/build/sysgate}
SHARED=${SHARED:-$ROOT/../shared}
BUILD=${BUILD:-build}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0 fail=0 skip=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

# run ARGS...: sets $status, $out, $err
run() {
	$SYSGATE "$@" >"$TMP/out" 2>"$TMP/err"
	status=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
}

# an allowlist with nothing to report, one with only an info, one with a warning
cat >"$TMP/clean.json" <<'EOF'
{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
  {"names": ["read", "write", "exit", "exit_group", "execve", "brk", "mmap"], "action": "SCMP_ACT_ALLOW"}]}
EOF
cat >"$TMP/info.json" <<'EOF'
{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
  {"names": ["read", "write", "exit", "exit_group", "execve"], "action": "SCMP_ACT_ALLOW"},
  {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]}
EOF
cat >"$TMP/chmod.json" <<'EOF'
{
  "defaultAction": "SCMP_ACT_ALLOW",
  "syscalls": [
    {"names": ["chmod"], "action": "SCMP_ACT_ERRNO"}
  ]
}
EOF
cat >"$TMP/noexec.json" <<'EOF'
{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
  {"names": ["read", "write", "exit", "exit_group"], "action": "SCMP_ACT_ALLOW"}]}
EOF
printf '{\n  "defaultAction": "SCMP_ACT_ALOW"\n}\n' >"$TMP/bad.json"

run lint --arch x86_64 "$TMP/clean.json"
[ "$status" -eq 0 ] && [ -z "$out" ] && ok || bad "clean profile: exit $status: $out $err"

run lint --arch x86_64 "$TMP/info.json"
[ "$status" -eq 0 ] && grep -q 'info\[rule-equals-default\]' <<<"$out" && ok || bad "an info alone: exit $status: $out"
run lint --arch x86_64 --fail-on info "$TMP/info.json"
[ "$status" -eq 1 ] && ok || bad "--fail-on info: exit $status"

run lint --arch x86_64 "$TMP/chmod.json"
[ "$status" -eq 1 ] && ok || bad "warnings: exit $status"
grep -q "chmod.json:4:16: warning\[sibling-gap\]: /syscalls/0/names/0: \"chmod\" is refused" <<<"$out" && ok ||
	bad "sibling-gap line: $out"
grep -q '^    fix: refuse .*fchmodat2' <<<"$out" && ok || bad "a fix line: $out"
grep -q 'warning\[denylist-default\]' <<<"$out" && ok || bad "denylist-default: $out"
run lint --arch x86_64 --fail-on error "$TMP/chmod.json"
[ "$status" -eq 0 ] && ok || bad "--fail-on error with warnings only: exit $status"
run lint --arch x86_64 --fail-on warning "$TMP/chmod.json"
[ "$status" -eq 1 ] && ok || bad "--fail-on warning: exit $status"

run lint --arch x86_64 --fail-on error "$TMP/noexec.json"
[ "$status" -eq 1 ] && grep -q 'error\[workload-cannot-start\]: /defaultAction: "execve" is refused' <<<"$out" && ok ||
	bad "cannot start: exit $status: $out"

run lint --arch x86_64 "$TMP/bad.json"
[ "$status" -eq 2 ] && grep -q 'bad.json:2:20: /defaultAction: unknown action' <<<"$err" && ok ||
	bad "invalid profile: exit $status: $err"

# several profiles: each linted, the worst status
run lint --arch x86_64 "$TMP/clean.json" "$TMP/chmod.json"
[ "$status" -eq 1 ] && grep -q 'chmod.json' <<<"$out" && ok || bad "two profiles: exit $status"
run lint --arch x86_64 "$TMP/chmod.json" "$TMP/bad.json" "$TMP/clean.json"
[ "$status" -eq 2 ] && grep -q 'sibling-gap' <<<"$out" && ok || bad "with an invalid one: exit $status"

# --json: one object per profile, valid or not
run lint --json --arch x86_64 "$TMP/chmod.json" "$TMP/bad.json"
[ "$status" -eq 2 ] && ok || bad "--json exit $status"
grep -q '"valid":true' <<<"$out" && grep -q '"valid":false' <<<"$out" && grep -q '"id":"sibling-gap"' <<<"$out" &&
	grep -q '"line":2,"col":20,"path":"/defaultAction","message":"unknown action' <<<"$out" && ok ||
	bad "--json content: $out"
if command -v python3 >/dev/null; then
	python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d) == 2 and d[0]["findings"] and not d[1]["valid"]' \
		<<<"$out" && ok || bad "--json does not load: $out"
else
	echo "lint: SKIP reading --json back with python3: not installed"
	skip=$((skip + 1))
fi
run lint --json --arch x86_64 "$TMP/clean.json"
[ "$status" -eq 0 ] && grep -q '"findings":\[\]' <<<"$out" && ok || bad "--json, no findings: $out"

# the same output twice
run lint "$ROOT/profiles/deny-dangerous.json"
first=$out
run lint "$ROOT/profiles/deny-dangerous.json"
[ "$out" = "$first" ] && ok || bad "lint is not deterministic"

if [ -f "$SHARED/corpus/moby-default-current.json" ]; then
	run lint --arch x86_64 "$SHARED/corpus/moby-default-current.json"
	[ "$status" -eq 1 ] && grep -q 'warning\[arg-width\]: /syscalls/4/args/0: socket(args\[0\] = 0x100000026)' <<<"$out" &&
		ok || bad "Docker's default: exit $status: $out"
	run lint --arch x86_64 --arg-width 64 "$SHARED/corpus/moby-default-current.json"
	grep -q 'warning\[arg-width\]' <<<"$out" && ok || bad "Docker's default under --arg-width 64: $out"
else
	echo "lint: SKIP Docker's default: $SHARED/corpus not found"
	skip=$((skip + 1))
fi

# options and usage
run lint --fail-on severe "$TMP/clean.json"
[ "$status" -eq 2 ] && grep -q 'fail-on is error, warning or info' <<<"$err" && ok || bad "--fail-on severe: $status"
run lint --no-such-option "$TMP/clean.json"
[ "$status" -eq 2 ] && ok || bad "unknown option: $status"
run lint
[ "$status" -eq 2 ] && grep -q 'usage: sysgate lint' <<<"$err" && ok || bad "no profile: $status"
run lint --help
[ "$status" -eq 0 ] && grep -q 'usage: sysgate lint' <<<"$out" && ok || bad "lint --help: $status"
run lint "$TMP/nonexistent.json"
[ "$status" -eq 2 ] && grep -q 'nonexistent.json' <<<"$err" && ok || bad "missing file: $status $err"

# a stream of SeccompProfiles: --name picks one, --profile-path finds a base
mkdir -p "$TMP/stream" "$TMP/bases"
cat >"$TMP/stream/two.yaml" <<'EOF'
apiVersion: security-profiles-operator.x-k8s.io/v1beta1
kind: SeccompProfile
metadata:
  name: a
spec:
  defaultAction: SCMP_ACT_ERRNO
  syscalls:
  - names: [read, write, exit, exit_group, execve, brk, mmap]
    action: SCMP_ACT_ALLOW
---
apiVersion: security-profiles-operator.x-k8s.io/v1beta1
kind: SeccompProfile
metadata:
  name: b
spec:
  defaultAction: SCMP_ACT_ERRNO
  baseProfileName: base
EOF
cat >"$TMP/bases/base.yaml" <<'EOF'
apiVersion: security-profiles-operator.x-k8s.io/v1beta1
kind: SeccompProfile
metadata:
  name: base
spec:
  defaultAction: SCMP_ACT_ERRNO
  syscalls:
  - names: [read, write, exit_group, execve]
    action: SCMP_ACT_ALLOW
EOF
# without --name, every profile of the stream: a clean one, and one whose base is missing
run lint "$TMP/stream/two.yaml"
[ "$status" -eq 2 ] && grep -q 'base profile "base": not found' <<<"$err" && ok || bad "a stream without --name: $status $err"
run lint --json --profile-path "$TMP/bases" "$TMP/stream/two.yaml"
[ "$status" -eq 1 ] && [ "$(grep -c '^{"file"' <<<"$out")" -eq 2 ] && grep -q '"cannot-exit"' <<<"$out" && ok ||
	bad "a stream, --json: $status $out $err"
run lint --name a "$TMP/stream/two.yaml"
[ "$status" -eq 0 ] && ok || bad "lint --name a: $status $out $err"
run lint --name b "$TMP/stream/two.yaml"
[ "$status" -eq 2 ] && grep -q 'base profile "base": not found' <<<"$err" && ok || bad "lint --name b, no base: $status $err"
run lint --name b --profile-path "$TMP/bases" "$TMP/stream/two.yaml"
[ "$status" -eq 1 ] && grep -q 'warning\[cannot-exit\].*"exit" is refused' <<<"$out" && ok ||
	bad "lint --name b --profile-path: $status $out $err"

# an OCI bundle directory, as check reads it: its config.json's linux.seccomp
mkdir -p "$TMP/bundle"
printf '{"ociVersion": "1.0.2", "linux": {"seccomp": %s}}\n' "$(cat "$TMP/chmod.json")" >"$TMP/bundle/config.json"
run lint "$TMP/bundle"
run2_out=$out
run lint "$TMP/bundle/config.json"
[ "$status" -eq 1 ] && [ -n "$out" ] && [ "$out" = "$run2_out" ] && grep -q "^$TMP/bundle/config.json:[0-9]*:[0-9]*: " <<<"$out" &&
	ok || bad "lint of a bundle directory: $status $run2_out / $out $err"

# the static binary leaves lint out, and says so
if [ -x "$ROOT/$BUILD/sysgate-static" ]; then
	"$ROOT/$BUILD/sysgate-static" lint "$TMP/clean.json" >/dev/null 2>"$TMP/err"
	[ $? -eq 2 ] && grep -q 'lint is not in the static binary' "$TMP/err" && ok || bad "static lint: $(cat "$TMP/err")"
else
	echo "lint: SKIP the static binary: not built"
	skip=$((skip + 1))
fi

echo "lint: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
