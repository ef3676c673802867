#!/usr/bin/env bash
# CLI tests for sysgate check / syscalls / resolve: the shipped and real-world
# profiles pass, and a table of malformed inputs each fail with exit status 2
# and a message naming where; check as a CI gate (--json, -q, --strict), the
# usage lines, --arch's spellings, --format base64, oci and spo. SYSGATE may
# carry a wrapper (valgrind ...).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SYSGATE=${SYSGATE:-$ROOT/build/sysgate}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$ROOT/../shared}
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

# neg NAME EXPECTED [ARGS]: stdin is the profile; check must exit 2 and
# stderr must contain "t.json:EXPECTED" (the location and message).
neg() {
	local name=$1 expect=$2
	shift 2
	cat >"$TMP/t.json"
	(cd "$TMP" && $SYSGATE check "$@" t.json >out 2>err)
	status=$?
	err=$(cat "$TMP/err")
	if [ "$status" -ne 2 ]; then
		bad "neg $name: exit $status, want 2; stderr: $err"
	elif ! grep -qF -- "t.json:$expect" "$TMP/err"; then
		bad "neg $name: stderr lacks 't.json:$expect'; got: $err"
	else
		ok
	fi
}

# ---- the shipped profiles and the real-world corpus pass ---------------------
for f in "$ROOT"/profiles/*.json; do
	run check "$f"
	if [ "$status" -eq 0 ] && grep -q '^result: *valid' "$TMP/out"; then ok; else bad "check $f: exit $status: $err"; fi
done

if [ -d "$SHARED/corpus" ]; then
	for f in "$SHARED"/corpus/*.json; do
		run check "$f"
		case $f in
		*libcontainer*)
			if [ "$status" -eq 2 ] && grep -q '/default_action' "$TMP/err"; then ok
			else bad "libcontainer file: exit $status: $err"; fi ;;
		*)
			if [ "$status" -eq 0 ]; then ok; else bad "check $f: exit $status: $err"; fi ;;
		esac
	done
	# Docker's default on an x86_64 host with default caps: the archMap's x86 family
	if [ "$(uname -m)" = x86_64 ]; then
		run check "$SHARED/corpus/moby-default-current.json"
		if grep -q 'x86_64 x86 x32  (archMap entry on x86_64)' "$TMP/out"; then ok; else bad "moby archMap: $out"; fi
	else
		echo "cli: SKIP archMap test: the host is not x86_64"; skip=$((skip + 1))
	fi
	# --arch names the targets, in every command: the archMap is not consulted
	run check --arch aarch64 --arch arm "$SHARED/corpus/moby-default-current.json"
	if grep -q 'architectures: aarch64 arm  (named with --arch)' "$TMP/out"; then ok; else bad "check --arch: $out"; fi
	# CAP_SYS_ADMIN admits its own rule and excludes the clone mask and clone3 ENOSYS rules
	excluded() { sed -n 's/.*; \([0-9]*\) excluded by includes.*/\1/p' "$TMP/out"; }
	run check --arch x86_64 "$SHARED/corpus/moby-default-current.json"
	without=$(excluded)
	run check --arch x86_64 --caps +CAP_SYS_ADMIN "$SHARED/corpus/moby-default-current.json"
	with=$(excluded)
	run explain --arch x86_64 --caps +CAP_SYS_ADMIN "$SHARED/corpus/moby-default-current.json" clone3
	# one rule more excluded: the clone mask and clone3-ENOSYS rules go, the CAP_SYS_ADMIN rule comes
	if [ -n "$without" ] && [ -n "$with" ] && [ "$with" -eq $((without + 1)) ] && grep -q -- '-> SCMP_ACT_ALLOW' "$TMP/out"; then ok
	else bad "moby with CAP_SYS_ADMIN: excluded $without -> $with; clone3: $out"; fi
	run explain --arch x86_64 "$SHARED/corpus/moby-default-current.json" clone3
	grep -q -- '-> SCMP_ACT_ERRNO(38)' "$TMP/out" && ok || bad "clone3 without CAP_SYS_ADMIN must be ENOSYS: $out"
	# containers/common: string errno names resolved per arch
	run check --arch mips "$SHARED/corpus/containers-common-seccomp.json"
	if [ "$status" -eq 0 ]; then ok; else bad "containers-common on mips: $err"; fi
else
	echo "cli: SKIP corpus tests: $SHARED/corpus not found (../shared is absent)"
	skip=$((skip + 1))
fi

# ---- semantics visible in the summary ------------------------------------------
printf '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["getpid"],"action":"SCMP_ACT_ALLOW"},{"names":["mkdir"],"action":"SCMP_ACT_ERRNO"}]}' >"$TMP/drop.json"
run check --arch x86_64 "$TMP/drop.json"
if grep -q '1 same as the default' "$TMP/out" && grep -q 'SCMP_ACT_ERRNO(1) 1' "$TMP/out"; then ok; else bad "drop-same-as-default / ERRNO defaults to EPERM: $out"; fi

printf '{"defaultAction":"SCMP_ACT_ERRNO","defaultErrno":"ENOSYS","syscalls":[{"names":["getpid"],"action":"SCMP_ACT_ALLOW"}]}' >"$TMP/errno.json"
run check --arch mips "$TMP/errno.json"
if grep -q 'default: *SCMP_ACT_ERRNO(89)' "$TMP/out"; then ok; else bad "ENOSYS on mips should be 89: $out"; fi
run check --arch x86_64 "$TMP/errno.json"
if grep -q 'default: *SCMP_ACT_ERRNO(38)' "$TMP/out"; then ok; else bad "ENOSYS on x86_64 should be 38: $out"; fi

printf '{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_AARCH64"],"syscalls":[{"names":["getpid","open"],"action":"SCMP_ACT_ALLOW"}]}' >"$TMP/flat.json"
run check --arch x86_64 --arch aarch64 "$TMP/flat.json"
if grep -q 'architectures: x86_64 aarch64' "$TMP/out" && grep -q 'aarch64: 1 syscall not on this architecture, skipped: open' "$TMP/err"; then ok
else bad "unknown-on-arch warning: $out $err"; fi
if [ "$(uname -m)" = x86_64 ]; then
	run check "$TMP/flat.json"
	if grep -q 'architectures: x86_64 aarch64  (listed, plus native on x86_64)' "$TMP/out"; then ok
	else bad "flat list adds native: $out $err"; fi
fi
# --strict: a name another target arch has is no mistake (Docker's default names i386's calls)
run check --strict --arch x86_64 --arch aarch64 "$TMP/flat.json"
[ "$status" -eq 0 ] && grep -q 'aarch64: 1 syscall not on this architecture, skipped: open' "$TMP/err" && ok ||
	bad "--strict: a name missing on one target arch is a warning (exit $status): $err"

printf '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["ptrce"],"action":"SCMP_ACT_ERRNO"}]}' >"$TMP/typo.json"
run check "$TMP/typo.json"
if [ "$status" -eq 0 ] && grep -q 'did you mean "ptrace"' "$TMP/err"; then ok; else bad "did-you-mean: $err"; fi

printf '{"defaultAction":"SCMP_ACT_ALLOW","foo":1,"syscalls":[]}' >"$TMP/unknown.json"
run check "$TMP/unknown.json"
if [ "$status" -eq 0 ] && grep -q 'unknown.json:1:35: warning: /foo: unknown field "foo" ignored' "$TMP/err"; then ok; else bad "unknown field warning: $err"; fi
run check --strict "$TMP/unknown.json"
[ "$status" -eq 2 ] && grep -q 'unknown.json:1:35: /foo: unknown field "foo"$' "$TMP/err" && ok ||
	bad "--strict with an unknown field: exit $status, want 2: $err"

printf '{"kind":"SeccompProfile","apiVersion":"security-profiles-operator.x-k8s.io/v1beta1","metadata":{"name":"x"},"spec":{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}}' >"$TMP/spo.json"
run check "$TMP/spo.json"
if [ "$status" -eq 0 ] && grep -q 'Kubernetes SeccompProfile' "$TMP/out"; then ok; else bad "SPO object: $out $err"; fi

printf '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO","includes":{"minKernel":"5.10","caps":["CAP_SYS_ADMIN"]}}]}' >"$TMP/inc.json"
run check --kernel 5.4 --caps all "$TMP/inc.json"
grep -q '1 excluded by includes' "$TMP/out" && ok || bad "minKernel 5.10 on 5.4 excludes: $out"
run check --kernel 5.10 --caps all "$TMP/inc.json"
grep -q '0 excluded by includes' "$TMP/out" && ok || bad "minKernel 5.10 on 5.10 includes: $out"
run check --kernel 6.1 --caps none "$TMP/inc.json"
grep -q '1 excluded by includes' "$TMP/out" && ok || bad "includes.caps without the cap excludes: $out"

cat "$TMP/drop.json" | { $SYSGATE check - >/dev/null 2>&1; } && ok || bad "check - reads stdin"

# ---- when several rules match, the most restrictive action decides --------------------
printf '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["getppid"],"action":"SCMP_ACT_LOG","args":[{"index":0,"value":8,"op":"SCMP_CMP_EQ"}]},{"names":["getppid"],"action":"SCMP_ACT_KILL_PROCESS"},{"names":["gettid"],"action":"SCMP_ACT_LOG","args":[{"index":0,"value":5,"op":"SCMP_CMP_GE"}]},{"names":["gettid"],"action":"SCMP_ACT_KILL_PROCESS","args":[{"index":0,"value":9,"op":"SCMP_CMP_LE"}]},{"names":["read"],"action":"SCMP_ACT_TRACE","errnoRet":5000}]}' >"$TMP/prec.json"
run explain --arch x86_64 "$TMP/prec.json" getppid 8
grep -q -- '-> SCMP_ACT_KILL_PROCESS' "$TMP/out" && grep -q '/syscalls/1 ("getppid")' "$TMP/out" && ok || bad "getppid(8): KILL_PROCESS: $out"
run explain --arch x86_64 "$TMP/prec.json" gettid 7
grep -q -- '-> SCMP_ACT_KILL_PROCESS' "$TMP/out" && ok || bad "gettid(7): KILL_PROCESS: $out"
run explain --arch x86_64 "$TMP/prec.json" gettid 11
grep -q -- '-> SCMP_ACT_LOG' "$TMP/out" && ok || bad "gettid(11): LOG: $out"
run explain --arch x86_64 --precedence first "$TMP/prec.json" getppid 8
grep -q -- '-> SCMP_ACT_LOG' "$TMP/out" && grep -q '/syscalls/0 ("getppid")' "$TMP/out" && ok || bad "--precedence first: getppid(8) LOG: $out"
run explain --arch x86_64 --precedence first "$TMP/prec.json" gettid 7
grep -q -- '-> SCMP_ACT_LOG' "$TMP/out" && ok || bad "--precedence first: gettid(7) LOG: $out"
run explain --arch x86_64 "$TMP/prec.json" read
grep -q -- '-> SCMP_ACT_TRACE(5000)' "$TMP/out" && ok || bad "TRACE keeps 16 bits of data: $out $err"
run compile --precedence none "$TMP/prec.json" -o "$TMP/prec.bpf"
[ "$status" -eq 2 ] && grep -q 'precedence is restrictive or first' "$TMP/err" && ok || bad "--precedence none: $status $err"

# ---- Docker's matching is exact (moby's profiles/seccomp) ------------------------
# a capability in another spelling never matches: the deny rule stays
printf '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["ptrace"],"action":"SCMP_ACT_ERRNO","excludes":{"caps":["cap_chown"]}}]}' >"$TMP/capcase.json"
run explain --arch x86_64 "$TMP/capcase.json" ptrace
if grep -q -- '-> SCMP_ACT_ERRNO(1)' "$TMP/out" && grep -q 'capability "cap_chown" is never held: Docker compares names exactly ("CAP_CHOWN")' "$TMP/err"; then ok
else bad "excludes.caps cap_chown must not drop the rule: $out $err"; fi
# so does an architecture not named as Docker names its host ("amd64")
printf '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["ptrace"],"action":"SCMP_ACT_ERRNO","excludes":{"arches":["SCMP_ARCH_X86_64"]}}]}' >"$TMP/archcase.json"
run explain --arch x86_64 "$TMP/archcase.json" ptrace
if grep -q -- '-> SCMP_ACT_ERRNO(1)' "$TMP/out" && grep -q 'never matches: Docker names this host "amd64"' "$TMP/err"; then ok
else bad "excludes.arches SCMP_ARCH_X86_64 must not drop the rule: $out $err"; fi
sed 's/SCMP_ARCH_X86_64/amd64/' "$TMP/archcase.json" >"$TMP/archok.json"
run explain --arch x86_64 "$TMP/archok.json" ptrace
grep -q -- '-> SCMP_ACT_ALLOW' "$TMP/out" && ok || bad "excludes.arches amd64 drops the rule on x86_64: $out $err"
# Docker on i386 names its host "x86", not Go's "386"
printf '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["ptrace"],"action":"SCMP_ACT_ERRNO","includes":{"arches":["386"]}}]}' >"$TMP/386.json"
run check --arch x86 "$TMP/386.json"
grep -q '1 excluded by includes' "$TMP/out" && grep -q 'Docker names this host "x86"' "$TMP/err" && ok || bad "includes.arches 386: $out $err"
# an archMap entry not spelled SCMP_ARCH_*: Docker ignores it, only the host is filtered
if [ "$(uname -m)" = x86_64 ]; then
	printf '{"defaultAction":"SCMP_ACT_ALLOW","archMap":[{"architecture":"x86_64","subArchitectures":["SCMP_ARCH_X86","SCMP_ARCH_X32"]}],"syscalls":[]}' >"$TMP/archmap.json"
	run check "$TMP/archmap.json"
	if grep -q 'architectures: x86_64  (archMap entry on x86_64)' "$TMP/out" && grep -q 'exact name "SCMP_ARCH_X86_64": this entry never applies' "$TMP/err"; then ok
	else bad "archMap entry x86_64: $out $err"; fi
fi
# minKernel: Docker compares kernel.major; "" is no condition; a patch level is warned about
printf '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO","includes":{"minKernel":"5.10.20"}},{"names":["ptrace"],"action":"SCMP_ACT_ERRNO","includes":{"minKernel":""}}]}' >"$TMP/mk.json"
run check --kernel 5.10.5 "$TMP/mk.json"
if [ "$status" -eq 0 ] && grep -q '0 excluded by includes' "$TMP/out" && grep -q 'Docker refuses minKernel "5.10.20"' "$TMP/err"; then ok
else bad "minKernel 5.10.20 on 5.10.5 (Docker: 5.10 >= 5.10): $status $out $err"; fi

# ---- malformed inputs: exit 2 and the location -------------------------------
neg empty '1:1: invalid JSON: empty input' </dev/null
neg whitespace-only '2:1: invalid JSON: empty input' <<<' '
neg truncated '1:31: invalid JSON: unexpected end of input inside a string' < <(printf '{"defaultAction":"SCMP_ACT_ALL')
neg truncated-array '1:49: invalid JSON: unexpected end of input: unclosed array' < <(printf '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{}')
neg not-object '1:1: a seccomp profile is a JSON object, found array' <<<'[]'
neg trailing-text '1:36: invalid JSON: unexpected text after the JSON value' <<<'{"defaultAction":"SCMP_ACT_ALLOW"} x'
neg missing-comma '1:35: invalid JSON: expected '"','"' or '"'}'"'' <<<'{"defaultAction":"SCMP_ACT_ALLOW" "syscalls":[]}'
neg trailing-comma '1:34: invalid JSON: trailing comma before "}" (JSON allows none)' <<<'{"defaultAction":"SCMP_ACT_ALLOW",}'
neg single-quotes "1:2: invalid JSON: a single-quoted string: JSON strings take double quotes" <<<"{'defaultAction':'SCMP_ACT_ALLOW'}"
neg comment '1:1: invalid JSON: a comment ("//"): JSON allows none' <<<'// comment
{"defaultAction":"SCMP_ACT_ALLOW"}'
neg binary-garbage "1:1: invalid JSON" < <(printf '\x7fELF\x02\x01\x01\x00\x00')
neg bad-utf8 "1:19: invalid JSON: invalid UTF-8 in string" < <(printf '{"defaultAction":"\xff"}')
neg control-char "1:19: invalid JSON: control character in string" < <(printf '{"defaultAction":"\x01"}')
neg bad-escape "1:19: invalid JSON: invalid escape in string" <<<'{"defaultAction":"\q"}'
neg deep-nesting "1:65: invalid JSON: nesting deeper than 64 levels" < <(printf '%.0s[' {1..70}; printf '%.0s]' {1..70})
neg missing-default '1:1: profile without "defaultAction"' <<<'{"syscalls":[]}'
neg default-wrong-type '1:18: /defaultAction: expected a string, found number' <<<'{"defaultAction":1}'
neg unknown-action '1:18: /defaultAction: unknown action "SCMP_ACT_ALOW" (did you mean SCMP_ACT_ALLOW?)' <<<'{"defaultAction":"SCMP_ACT_ALOW"}'
neg notify-default '1:18: /defaultAction: SCMP_ACT_NOTIFY cannot be the default action' <<<'{"defaultAction":"SCMP_ACT_NOTIFY"}'
neg duplicate-key '1:35: /defaultAction: duplicate key "defaultAction"' <<<'{"defaultAction":"SCMP_ACT_ALLOW","defaultAction":"SCMP_ACT_ERRNO"}'
neg duplicate-key-escaped '1:35: /defaultAction: duplicate key "defaultAction"' <<<'{"defaultAction":"SCMP_ACT_ALLOW","\u0064efaultAction":"SCMP_ACT_ERRNO"}'
neg libcontainer '1:19: /default_action: "default_action" is libcontainer' <<<'{"default_action":4,"syscalls":[]}'
neg unknown-arch '1:52: /architectures/0: unknown architecture "SCMP_ARCH_X86_46" (did you mean SCMP_ARCH_X86_64?)' <<<'{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_46"]}'
neg arch-not-array '1:51: /architectures: expected an array, found string' <<<'{"defaultAction":"SCMP_ACT_ALLOW","architectures":"SCMP_ARCH_X86_64"}'
neg arches-and-archmap '1:1: a profile takes "architectures" or "archMap", not both' <<<'{"defaultAction":"SCMP_ACT_ALLOW","architectures":[],"archMap":[]}'
neg archmap-no-arch '1:46: /archMap/0: archMap entry without "architecture"' <<<'{"defaultAction":"SCMP_ACT_ALLOW","archMap":[{"subArchitectures":[]}]}'
neg archmap-bad-sub '1:101: /archMap/0/subArchitectures/0: unknown architecture "SCMP_ARCH_FOO"' <<<'{"defaultAction":"SCMP_ACT_ALLOW","archMap":[{"architecture":"SCMP_ARCH_X86_64","subArchitectures":["SCMP_ARCH_FOO"]}]}'
neg syscalls-not-array '1:46: /syscalls: expected an array, found object' <<<'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":{}}'
neg rule-not-object '1:47: /syscalls/0: expected an object, found string' <<<'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":["read"]}'
neg rule-no-action '1:47: /syscalls/0: rule without "action"' <<<'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"]}]}'
neg rule-no-names '1:47: /syscalls/0: rule without "names"' <<<'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"action":"SCMP_ACT_ERRNO"}]}'
neg name-and-names '1:98: /syscalls/0/name: a rule takes "names" or the older "name", not both' <<<'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ERRNO","name":"write"}]}'
neg names-wrong-type '1:57: /syscalls/0/names/0: expected a string, found number' <<<'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":[1],"action":"SCMP_ACT_ERRNO"}]}'
neg empty-name '1:57: /syscalls/0/names/0: empty syscall name' <<<'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":[""],"action":"SCMP_ACT_ERRNO"}]}'
neg nul-in-name '1:57: /syscalls/0/names/0: string contains a NUL character' <<<'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read\u0000x"],"action":"SCMP_ACT_ERRNO"}]}'
neg unknown-op '3:11: /syscalls/0/args/0/op: unknown operator "SCMP_CMP_FOO"' <<'JSON'
{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO",
  "args":[{"index":0,"value":1,
    "op": "SCMP_CMP_FOO"}]}]}
JSON
neg index-6 '2:21: /syscalls/0/args/0/index: argument index 6 is out of range' <<'JSON'
{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO",
  "args":[{"index": 6,"value":1,"op":"SCMP_CMP_EQ"}]}]}
JSON
neg value-2pow64 '2:30: /syscalls/0/args/0/value: value does not fit in 64 bits: 18446744073709551616' <<'JSON'
{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO",
  "args":[{"index":0,"value":18446744073709551616,"op":"SCMP_CMP_EQ"}]}]}
JSON
neg value-negative '1:125: /syscalls/0/args/0/value: negative values are not allowed: -1' <<<'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":-1,"op":"SCMP_CMP_EQ"}]}]}'
neg value-fraction '1:125: /syscalls/0/args/0/value: expected an integer (no fraction or exponent): 1.5' <<<'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":1.5,"op":"SCMP_CMP_EQ"}]}]}'
neg value-exponent '1:125: /syscalls/0/args/0/value: expected an integer (no fraction or exponent): 1e3' <<<'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":1e3,"op":"SCMP_CMP_EQ"}]}]}'
neg value-string '1:125: /syscalls/0/args/0/value: expected a non-negative integer, found string' <<<'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":"1","op":"SCMP_CMP_EQ"}]}]}'
neg value-bool '1:125: /syscalls/0/args/0/value: expected a non-negative integer, found boolean' <<<'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":true,"op":"SCMP_CMP_EQ"}]}]}'
neg arg-no-op '1:106: /syscalls/0/args/0: argument condition without "op"' <<<'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":1}]}]}'
neg arg-no-value '1:106: /syscalls/0/args/0: argument condition without "value"' <<<'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"op":"SCMP_CMP_EQ"}]}]}'
neg args-not-array '1:105: /syscalls/0/args: expected an array, found object' <<<'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO","args":{}}]}'
neg errnoret-with-allow '1:100: /syscalls/0/errnoRet: an errno is only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not SCMP_ACT_LOG' <<<'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_LOG","errnoRet":1}]}'
neg errnoret-too-big '1:102: /syscalls/0/errnoRet: 65536 is out of range (at most 65535)' <<<'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ERRNO","errnoRet":65536}]}'
neg errnoret-libseccomp-max '1:102: /syscalls/0/errnoRet: errno 4095 is above 4094: libseccomp, and so runc, refuses it' <<<'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ERRNO","errnoRet":4095}]}'
neg default-errnoret-libseccomp-max '1:53: /defaultErrnoRet: errno 5000 is above 4094' <<<'{"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":5000}'
neg default-errnoret-negative '1:53: /defaultErrnoRet: negative values are not allowed: -1' <<<'{"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":-1}'
neg default-errnoret-with-allow '1:53: /defaultErrnoRet: an errno is only valid with SCMP_ACT_ERRNO' <<<'{"defaultAction":"SCMP_ACT_ALLOW","defaultErrnoRet":1}'
neg unknown-errno-name '1:99: /syscalls/0/errno: unknown errno name "EPERMS"' <<<'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ERRNO","errno":"EPERMS"}]}'
neg unknown-flag '1:44: /flags/0: unknown seccomp flag "SECCOMP_FILTER_FLAG_TSYN" (did you mean SECCOMP_FILTER_FLAG_TSYNC?)' <<<'{"defaultAction":"SCMP_ACT_ALLOW","flags":["SECCOMP_FILTER_FLAG_TSYN"]}'
neg runtime-flag '1:44: /flags/0: SECCOMP_FILTER_FLAG_NEW_LISTENER is set by the runtime' <<<'{"defaultAction":"SCMP_ACT_ALLOW","flags":["SECCOMP_FILTER_FLAG_NEW_LISTENER"]}'
neg bad-minkernel '1:115: /syscalls/0/includes/minKernel: minKernel "four" is not a kernel version' <<<'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ERRNO","includes":{"minKernel":"four"}}]}'
neg includes-not-object '1:102: /syscalls/0/includes: expected an object, found array' <<<'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ERRNO","includes":[]}]}'
# keys as Go's encoding/json reads them (runc, Docker): a case-folded match is an error, never ignored
neg go-fold-syscalls '1:35: /Syscalls: Go'"'"'s JSON decoder (runc, Docker) reads this key as "syscalls": write "syscalls"' <<<'{"defaultAction":"SCMP_ACT_ALLOW","Syscalls":[{"names":["ptrace"],"action":"SCMP_ACT_ERRNO"}]}'
neg go-fold-args '1:91: /syscalls/0/Args: Go'"'"'s JSON decoder (runc, Docker) reads this key as "args"' <<<'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ERRNO","Args":[{"index":0,"value":1,"op":"SCMP_CMP_EQ"}]}]}'
neg go-fold-includes '1:91: /syscalls/0/Includes: Go'"'"'s JSON decoder (runc, Docker) reads this key as "includes"' <<<'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ERRNO","Includes":{"caps":["CAP_SYS_ADMIN"]}}]}'
neg go-fold-duplicate '1:93: /syscalls/0/Action: duplicate key: Go'"'"'s JSON decoder (runc, Docker) reads "Action" as "action" too' <<<'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["ptrace"],"action":"SCMP_ACT_ERRNO","Action":"SCMP_ACT_ALLOW"}]}'
neg go-fold-long-s '1:91: /syscalls/0/arg\xc5\xbf: Go'"'"'s JSON decoder (runc, Docker) reads this key as "args"' <<<'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ERRNO","arg\u017f":[]}]}'
neg go-fold-kelvin '1:103: /syscalls/0/includes/min\xe2\x84\xaaernel: Go'"'"'s JSON decoder (runc, Docker) reads this key as "minKernel"' <<<'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ERRNO","includes":{"min\u212aernel":"4.8"}}]}'
neg k8s-and-oci '1:84: /defaultAction: a Kubernetes kind/spec beside top-level profile fields is ambiguous' <<<'{"kind":"SeccompProfile","spec":{"defaultAction":"SCMP_ACT_ERRNO"},"defaultAction":"SCMP_ACT_ALLOW"}'
neg oci-and-spec '1:42: /spec: a Kubernetes kind/spec beside top-level profile fields is ambiguous' <<<'{"defaultAction":"SCMP_ACT_ALLOW","spec":{"defaultAction":"SCMP_ACT_ERRNO"}}'
neg listener-not-string '1:50: /listenerPath: expected a string, found number' <<<'{"defaultAction":"SCMP_ACT_ALLOW","listenerPath":7}'
neg spo-no-spec '1:1: SeccompProfile without "spec"' <<<'{"kind":"SeccompProfile","metadata":{}}'
neg spo-bad-spec '1:50: /spec/defaultAction: unknown action "ALLOW"' <<<'{"kind":"SeccompProfile","spec":{"defaultAction":"ALLOW"}}'
neg strict-unknown-name '1:57: /syscalls/0/names/0: unknown syscall "nosuchcall"' --strict <<<'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["nosuchcall"],"action":"SCMP_ACT_ERRNO"}]}'
neg unknown-default-errno '1:50: /defaultErrno: unknown errno name "EDEADLOCK_X"' --arch mips <<<'{"defaultAction":"SCMP_ACT_ERRNO","defaultErrno":"EDEADLOCK_X"}'

# ---- limits ---------------------------------------------------------------------
head -c $((16 * 1024 * 1024 + 1)) /dev/zero | tr '\0' ' ' >"$TMP/big.json"
run check "$TMP/big.json"
if [ "$status" -eq 2 ] && grep -q 'larger than 16 MiB' "$TMP/err"; then ok; else bad "16 MiB limit: exit $status $err"; fi
run check "$TMP/does-not-exist.json"
if [ "$status" -eq 2 ] && grep -q 'cannot open' "$TMP/err"; then ok; else bad "missing file: exit $status"; fi

# ---- syscalls / resolve ------------------------------------------------------------
run syscalls --arch aarch64
if [ "$status" -eq 0 ] && grep -qx '56 openat' "$TMP/out" && grep -q 'Linux' "$TMP/out"; then ok; else bad "syscalls --arch aarch64: $err"; fi
run resolve --arch s390x openat
[ "$out" = "s390x openat 288" ] && ok || bad "resolve s390x openat: $out"
run resolve --arch x32 0x40000101
[ "$out" = "x32 openat 1073742081" ] && ok || bad "resolve x32 number: $out"
run resolve --arch all mmap2
[ "$status" -eq 0 ] && echo "$out" | grep -q '^arm mmap2 192$' && ok || bad "resolve --arch all mmap2: $out"
run resolve --arch x86_64 opnat
[ "$status" -eq 1 ] && echo "$err" | grep -q 'did you mean openat' && ok || bad "resolve typo: $status $err"

printf '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["socket"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":40,"op":"SCMP_CMP_EQ"}]},\n{"names":["socket"],"action":"SCMP_ACT_KILL","args":[{"index":0,"value":16,"op":"SCMP_CMP_GE"}]},\n{"names":["read"],"action":"SCMP_ACT_ERRNO"},{"names":["read"],"action":"SCMP_ACT_LOG"},\n{"names":["write"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":1,"op":"SCMP_CMP_EQ"}]},{"names":["write"],"action":"SCMP_ACT_LOG","args":[{"index":0,"value":2,"op":"SCMP_CMP_EQ"}]}]}' >"$TMP/overlap.json"
run check --arch x86_64 "$TMP/overlap.json"
# the more restrictive rule decides; the warning says first-match would differ
if grep -q 'overlap.json:1:57: warning: /syscalls/0/names/0: "socket" overlaps /syscalls/1: both match args (0x28, 0x0, 0x0, 0x0, 0x0, 0x0); /syscalls/1 decides (SCMP_ACT_KILL_THREAD, not SCMP_ACT_ERRNO(1)); the first rule in profile order (--precedence first) gives SCMP_ACT_ERRNO(1)' "$TMP/err" &&
	grep -q '"read" never reaches this rule (SCMP_ACT_LOG): /syscalls/2 already decides it' "$TMP/err" &&
	! grep -q '"write"' "$TMP/err"; then ok
else bad "overlap warnings: $err"; fi
run check --arch x86_64 "$TMP/prec.json"
grep -q '"getppid" never reaches this rule (SCMP_ACT_LOG): /syscalls/1 already decides it (SCMP_ACT_KILL_PROCESS) unconditionally; the first rule in profile order (--precedence first) gives SCMP_ACT_LOG' "$TMP/err" &&
	grep -q '"gettid" overlaps /syscalls/3: both match args (0x[0-9a-f]*, 0x0, 0x0, 0x0, 0x0, 0x0); /syscalls/3 decides (SCMP_ACT_KILL_PROCESS, not SCMP_ACT_LOG)' "$TMP/err" && ok || bad "precedence warnings: $err"
run check --arch x86_64 --precedence first "$TMP/prec.json"
grep -q 'libseccomp (runc) gives SCMP_ACT_KILL_PROCESS' "$TMP/err" && ok || bad "--precedence first names libseccomp's outcome: $err"

# ---- compile / disasm / explain / stats ---------------------------------------------
run compile --arch x86_64 "$ROOT/profiles/block-chmod.json" -o "$TMP/a.bpf"
run compile --arch x86_64 "$ROOT/profiles/block-chmod.json" -o "$TMP/b.bpf"
size=$(stat -c %s "$TMP/a.bpf")
if [ "$status" -eq 0 ] && [ "$size" -gt 0 ] && [ $((size % 8)) -eq 0 ] && cmp -s "$TMP/a.bpf" "$TMP/b.bpf"; then ok
else bad "compile raw: exit $status size $size, or not bit-identical: $err"; fi
run disasm "$TMP/a.bpf"
if [ "$status" -eq 0 ] && grep -q 'ld  *\[arch\]' "$TMP/out" && grep -q 'chmod' "$TMP/out" && grep -q 'ERRNO(1)' "$TMP/out"; then ok
else bad "disasm: $status $out $err"; fi
run compile --arch x86_64 --format c "$ROOT/profiles/block-chmod.json" -o -
if [ "$status" -eq 0 ] && grep -q 'struct sock_filter' "$TMP/out"; then ok; else bad "compile --format c"; fi
run compile --arch x86_64 --format hex "$ROOT/profiles/block-chmod.json" -o -
[ "$(grep -c . "$TMP/out")" -eq $((size / 8)) ] && ok || bad "compile --format hex: one line per instruction"
run compile --bad-arch SCMP_ACT_ALLOW "$ROOT/profiles/block-chmod.json" -o "$TMP/c.bpf"
[ "$status" -eq 2 ] && [ ! -e "$TMP/c.bpf" ] && ok || bad "--bad-arch ALLOW must be refused"
printf '{"defaultAction":"SCMP_ACT_ALLOW","archMap":[{"architecture":"SCMP_ARCH_X86_64"}]}' >"$TMP/mixed.json"
run compile --arch x86_64 --arch s390x "$TMP/mixed.json" -o "$TMP/d.bpf"
if [ "$status" -eq 2 ] && grep -q 'byte order' "$TMP/err"; then ok; else bad "mixed byte order: $status $err"; fi
printf 'xyz' >"$TMP/bad.bpf"
run disasm "$TMP/bad.bpf"
[ "$status" -eq 2 ] && ok || bad "disasm of 3 bytes: exit $status"

run explain --arch x86_64 "$ROOT/profiles/block-chmod.json" chmod
if [ "$status" -eq 0 ] && grep -q -- '-> SCMP_ACT_ERRNO(1)' "$TMP/out" && grep -q 'decided by .*/syscalls/0 ("chmod")' "$TMP/out"; then ok
else bad "explain chmod: $out"; fi
run explain --arch x86_64 "$ROOT/profiles/block-chmod.json" getpid
if [ "$status" -eq 0 ] && grep -q -- '-> SCMP_ACT_ALLOW' "$TMP/out" && grep -q 'default action' "$TMP/out"; then ok
else bad "explain getpid: $out"; fi

if [ -d "$SHARED/corpus" ]; then
	moby="$SHARED/corpus/moby-default-current.json"
	run explain --arch x86_64 "$moby" personality 0xffffffff
	grep -q -- '-> SCMP_ACT_ALLOW' "$TMP/out" && grep -q 'args\[0\] == 0xffffffff' "$TMP/out" && ok || bad "explain personality: $out"
	run explain --arch x86_64 "$moby" personality 0x400000
	grep -q -- '-> SCMP_ACT_ERRNO(1)' "$TMP/out" && ok || bad "explain personality READ_IMPLIES_EXEC: $out"
	# every target arch is explained; one without the syscall is named, none having it is an error
	run explain --arch x86_64 --arch x86 "$moby" socket 40
	if [ "$status" -eq 0 ] && grep -q '^x86_64 socket(0x28, .*\[nr 41\] -> SCMP_ACT_ERRNO(1)' "$TMP/out" &&
		grep -q '^x86 socket(0x28, .*\[nr 359\] -> SCMP_ACT_ERRNO(1)' "$TMP/out"; then ok
	else bad "explain on two arches: $out"; fi
	run explain --arch x86_64 --arch x86 "$moby" socketcall
	if [ "$status" -eq 0 ] && grep -q '^x86_64: no syscall "socketcall"' "$TMP/out" &&
		grep -q '^x86 socketcall(.*\[nr 102\]' "$TMP/out"; then ok
	else bad "explain a syscall only x86 has: $out"; fi
	run explain --arch x86_64 "$moby" no_such_call
	[ "$status" -eq 2 ] && grep -q 'no syscall "no_such_call" on any target' "$TMP/err" && ok ||
		bad "explain an unknown syscall: $status $err"
	# Docker's default, x86 family, default caps: the figures README.md records
	run stats --arch x86_64 --arch x86 --arch x32 "$moby"
	insns=$(sed -n 's/^program: \([0-9]*\) instructions.*/\1/p' "$TMP/out")
	read -r _ _ mean max fmean fmax cache _ < <(grep '^x86_64 ' "$TMP/out")
	echo "cli: Docker default x86 family: $insns instructions; x86_64 mean $mean max $max, argument-free max $fmax, cacheable $cache"
	if [ "$status" -eq 0 ] && [ "$insns" -le 450 ] && awk "BEGIN{exit !($mean <= 10 && $max <= 16 && $fmax <= 10)}" &&
		grep -q '^x86_64 .*(100%)' "$TMP/out" && grep -q '^x86 .*(100%)' "$TMP/out" &&
		grep -q '^x32 .* 0/[1-9][0-9]* (0%)' "$TMP/out"; then ok
	else bad "stats targets: $out"; fi
	# widths and the stub cost nothing here: program and paths within 5 % of runc's semantics
	run stats --arch x86_64 --arch x86 --arch x32 --arg-width 64 --enosys off "$moby"
	old_insns=$(sed -n 's/^program: \([0-9]*\) instructions.*/\1/p' "$TMP/out")
	read -r _ _ omean omax _ _ _ < <(grep '^x86_64 ' "$TMP/out")
	echo "cli: the same with --arg-width 64 --enosys off: $old_insns instructions; x86_64 mean $omean max $omax"
	awk "BEGIN{exit !($insns <= $old_insns * 1.05 && $mean <= $omean * 1.05 && $max <= $omax * 1.05)}" && ok ||
		bad "Docker's default: $insns instructions, mean $mean max $max against $old_insns, $omean, $omax"
fi

# the build's precompiled default is exactly what compiling the embedded profile gives
run default
cp "$TMP/out" "$TMP/default.json"
$SYSGATE default --bpf >"$TMP/pre.bpf" 2>/dev/null
run compile --kernel 4.8 "$TMP/default.json" -o "$TMP/fresh.bpf"
if [ -s "$TMP/pre.bpf" ] && cmp -s "$TMP/pre.bpf" "$TMP/fresh.bpf"; then ok; else bad "precompiled default differs from a fresh compile"; fi
run check "$TMP/default.json"
[ "$status" -eq 0 ] && ok || bad "the embedded default profile must be valid"
# a rule's tests of arguments 1..5 stay on its socketcall rule, as libseccomp keeps them
printf '%s' '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["setsockopt"],"action":"SCMP_ACT_ALLOW",
 "args":[{"index":1,"value":1,"op":"SCMP_CMP_EQ"}]}]}' >"$TMP/so.json"
run explain --arch x86 "$TMP/so.json" socketcall 14 5
grep -q -- '-> SCMP_ACT_ERRNO(1)' "$TMP/out" && ok || bad "socketcall(SYS_SETSOCKOPT, 5) must fail arg1 == 1: $out"
run explain --arch x86 "$TMP/so.json" socketcall 14 1
grep -q -- '-> SCMP_ACT_ALLOW' "$TMP/out" && ok || bad "socketcall(SYS_SETSOCKOPT, 1): $out"
# --format embed reads the profile once: from stdin too, and a bad one says why
$SYSGATE compile --format embed "$ROOT/profiles/runtime-default.json" -o "$TMP/a.c" 2>/dev/null
$SYSGATE compile --format embed - -o "$TMP/b.c" <"$ROOT/profiles/runtime-default.json" 2>/dev/null
if [ -s "$TMP/a.c" ] && cmp -s <(sed 1d "$TMP/a.c") <(sed 1d "$TMP/b.c"); then ok; else bad "embed from stdin differs"; fi
echo '{"defaultAction": "SCMP_ACT_FOO"}' >"$TMP/bad.json"
run compile --format embed "$TMP/bad.json" -o "$TMP/c.c"
[ "$status" -eq 2 ] && grep -q 'bad.json:1:19: /defaultAction: unknown action' "$TMP/err" && ok ||
	bad "embed of a bad profile: $status $err"

# exec shows warnings only when something fails (then all of them, in order)
printf '%s' '{"defaultAction":"SCMP_ACT_ALLOW","foo":1,"syscalls":[{"names":["read"],"action":"SCMP_ACT_FOO"}]}' >"$TMP/held.json"
run exec -p "$TMP/held.json" -- true
if [ "$status" -eq 125 ] && [ "$(grep -c 'held.json:1:' "$TMP/err")" -eq 2 ] &&
	grep -A1 'warning: /foo: unknown field' "$TMP/err" | grep -q '/syscalls/0/action: unknown action'; then ok
else bad "exec of a bad profile shows its warning, then its error: $status $err"; fi
printf '%s' '{"defaultAction":"SCMP_ACT_ALLOW","foo":1}' >"$TMP/held.json"
run exec -p "$TMP/held.json" -- true
! grep -q 'unknown field' "$TMP/err" && ok || bad "exec without -v shows no warning: $err"
run exec -v -p "$TMP/held.json" -- true
grep -q 'held.json:1:35: warning: /foo: unknown field' "$TMP/err" && ok || bad "exec -v shows warnings: $err"

# ---- argument widths and the ENOSYS stub ------------------------------------------
cat >"$TMP/wide.json" <<'JSON'
{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[
 {"names":["socket"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":4294967336,"op":"SCMP_CMP_EQ"}]},
 {"names":["personality"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":4294967295,"op":"SCMP_CMP_EQ"}]},
 {"names":["fchmodat"],"action":"SCMP_ACT_ALLOW","args":[{"index":2,"value":4294967196,"op":"SCMP_CMP_EQ"}]}
]}
JSON
run check --arch x86_64 "$TMP/wide.json"
grep -qF "wide.json:2:56: warning: /syscalls/0/args/0: socket's args[0] family is int, 32 bits on x86_64: as the kernel reads it, it is never 0x100000028 (a register holding that is 0x28 to the kernel), so the condition never holds" "$TMP/err" && ok || bad "check: a value wider than socket's int: $err"
grep -qF "all others SCMP_ACT_ERRNO(1), SCMP_ACT_ERRNO(ENOSYS) above 268 and where unallocated" "$TMP/out" && ok || bad "check's summary names the stub: $out"
grep -qF "fchmodat's args[2] mode is umode_t, 16 bits on x86_64" "$TMP/err" && ok || bad "check: umode_t's 16 bits: $err"
! grep -q "personality" "$TMP/err" && ok || bad "check: 0xffffffff is an unsigned int personality can have: $err"
# a sign test through MASKED_EQ is a real condition on an int: no warning
cat >"$TMP/sign.json" <<'JSON'
{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[
 {"names":["kill"],"action":"SCMP_ACT_ALLOW","args":[{"index":1,"value":2147483648,"valueTwo":2147483648,"op":"SCMP_CMP_MASKED_EQ"}]},
 {"names":["tgkill"],"action":"SCMP_ACT_ALLOW","args":[{"index":2,"value":18446744069414584320,"valueTwo":4294967296,"op":"SCMP_CMP_MASKED_EQ"}]}
]}
JSON
run check --arch x86_64 "$TMP/sign.json"
! grep -q "/syscalls/0/" "$TMP/err" && grep -qF "tgkill's args[2] sig is int, 32 bits on x86_64: as the kernel reads it, no value of it has (arg & 0xffffffff00000000) == 0x100000000, so the condition never holds" "$TMP/err" \
	&& ok || bad "check: MASKED_EQ on an int's sign is no mistake, a high word of 1 is: $err"
run explain --arch x86_64 "$TMP/sign.json" kill 1 0xfffffffffffffff6
grep -q "SCMP_ACT_ALLOW" "$TMP/out" && ok || bad "explain: a negative int matches the sign test: $out"
run check --arch x86_64 --arg-width 64 "$TMP/wide.json"
! grep -q "as the kernel reads it" "$TMP/err" && ok || bad "check --arg-width 64: no width warning: $err"
run explain --arch x86_64 "$TMP/wide.json" personality 0x1ffffffff
[ "$status" -eq 0 ] && grep -qx "  args\[0\] personality: unsigned int, 32 bits (compared as the kernel reads it; --arg-width 64: all 64)" "$TMP/out" \
	&& grep -q "SCMP_ACT_ALLOW" "$TMP/out" && ok || bad "explain names the width: $status $out"
run explain --arch x86_64 "$TMP/wide.json" socket 0x300000028
[ "$status" -eq 0 ] && grep -q "SCMP_ACT_ERRNO(1)" "$TMP/out" && ok || bad "explain: socket's int is 40, not 0x100000028: $status $out"
run explain --arch x86_64 "$TMP/wide.json" 471
[ "$status" -eq 0 ] && grep -qF "decided by the ENOSYS stub (--enosys): 471 is above 268 (fchmodat), the last syscall the profile names on x86_64" "$TMP/out" \
	&& grep -q "SCMP_ACT_ERRNO(38)" "$TMP/out" && ok || bad "explain names the stub: $status $out"
run explain --arch x86_64 --enosys off "$TMP/wide.json" 471
grep -q "SCMP_ACT_ERRNO(1)" "$TMP/out" && ok || bad "explain --enosys off: $out"
run check --arg-width 32 "$TMP/wide.json"
[ "$status" -eq 2 ] && grep -q -- "--arg-width is kernel or 64" "$TMP/err" && ok || bad "--arg-width 32: $status $err"
run check --enosys maybe "$TMP/wide.json"
[ "$status" -eq 2 ] && grep -q -- "--enosys is on or off" "$TMP/err" && ok || bad "--enosys maybe: $status $err"

# ---- explain over raw BPF and stacks of it ------------------------------------------
run compile --arch x86_64 "$ROOT/profiles/block-chmod.json" -o "$TMP/chmod.bpf"
run compile --arch x86_64 "$ROOT/profiles/deny-ptrace.json" -o "$TMP/ptrace.bpf"
run compile --arch s390x "$ROOT/profiles/block-chmod.json" -o "$TMP/chmod-s390x.bpf"
run explain --arch x86_64 "$TMP/chmod.bpf" chmod
[ "$status" -eq 0 ] && grep -q '^x86_64 chmod(.*\[nr 90\] -> SCMP_ACT_ERRNO(1)$' "$TMP/out" &&
	grep -qx 'decided by the filter (a raw program: no rules to name)' "$TMP/out" && grep -q '^  0000: ld  \[arch\]' "$TMP/out" &&
	ok || bad "explain a raw program: $status $out $err"
run explain --arch x86_64 "$TMP/chmod.bpf" getpid
grep -q -- '-> SCMP_ACT_ALLOW$' "$TMP/out" && ok || bad "explain a raw program, allowed: $out"
run explain --arch s390x "$TMP/chmod-s390x.bpf" chmod
[ "$status" -eq 0 ] && grep -q '^s390x chmod(.*-> SCMP_ACT_ERRNO(1)$' "$TMP/out" && ok || bad "explain a big-endian raw program: $status $out $err"
# the trace names words as on the arch the run was for: s390x's low word is the second
printf '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["connect"],"action":"SCMP_ACT_ERRNO"}]}' >"$TMP/connect.json"
run explain --arch s390x "$TMP/connect.json" socketcall 0x100000003
[ "$status" -eq 0 ] && grep -q -- '-> SCMP_ACT_ERRNO(1)$' "$TMP/out" && grep -q '^  [0-9]*: ld  \[args\[0\] lo\]$' "$TMP/out" &&
	grep -q '^  [0-9]*: j[a-z]* #0x66 (socketcall) ' "$TMP/out" && ok || bad "explain's trace on a big-endian arch: $status $out $err"
# a stack, newest first: the kernel's precedence decides, the newer among equals
run explain --arch x86_64 "$TMP/ptrace.bpf,$TMP/chmod.bpf" chmod
[ "$status" -eq 0 ] && grep -q -- '-> SCMP_ACT_ERRNO(1)$' "$TMP/out" && grep -q '^decided by filter 1 of 2 ' "$TMP/out" &&
	grep -q '^filter 0: SCMP_ACT_ALLOW, executed' "$TMP/out" && ok || bad "explain a stack: $status $out $err"
run explain --arch x86_64 "$TMP/ptrace.bpf,$TMP/chmod.bpf" ptrace
grep -q -- '-> SCMP_ACT_ERRNO(1)$' "$TMP/out" && grep -q '^decided by filter 0 of 2 ' "$TMP/out" && ok || bad "explain a stack, the other filter: $out"
run explain --arch x86_64 "$TMP/ptrace.bpf,$ROOT/profiles/block-chmod.json" chmod
[ "$status" -eq 2 ] && grep -q 'not a raw BPF program' "$TMP/err" && ok || bad "a profile in a stack: $status $err"
printf '\025\000\005\000\000\000\000\000' >"$TMP/bad.bpf"  # jeq jumping past the end
run explain --arch x86_64 "$TMP/bad.bpf" getpid
[ "$status" -eq 2 ] && grep -q 'the kernel would refuse this filter' "$TMP/err" && ok || bad "a refused raw program: $status $err"
run explain --arch x86_64 --arch s390x "$TMP/chmod.bpf" getpid
[ "$status" -eq 2 ] && grep -q 'differ in byte order' "$TMP/err" && ok || bad "raw program, two byte orders: $status $err"

# stats over a raw program: the same sweep, argument-free read off the program's own answers
if [ -f "$SHARED/corpus/moby-default-current.json" ]; then
	run compile "$SHARED/corpus/moby-default-current.json" -o "$TMP/moby.bpf"
	run stats "$SHARED/corpus/moby-default-current.json"
	cp "$TMP/out" "$TMP/stats-profile"
	run stats --arch x86_64 --arch x86 --arch x32 "$TMP/moby.bpf"
	[ "$status" -eq 0 ] && [ "$(sed -n 1p "$TMP/out")" = "$(sed -n 1p "$TMP/stats-profile")" ] &&
		[ "$(grep '^x86_64 ' "$TMP/out")" = "$(grep '^x86_64 ' "$TMP/stats-profile")" ] &&
		[ "$(grep '^x32 ' "$TMP/out")" = "$(grep '^x32 ' "$TMP/stats-profile")" ] &&
		ok || bad "stats of Docker's default compiled and read raw: $out / $(cat "$TMP/stats-profile")"
fi
run stats --arch x86_64 "$TMP/ptrace.bpf,$TMP/chmod.bpf"
[ "$status" -eq 2 ] && grep -q 'one program, not a stack' "$TMP/err" && ok || bad "stats of a stack: $status $err"

# ---- check as a CI gate: several files, --json, -q, --strict ----------------------------
have_python=0
python3 -c 'import json, base64' 2>/dev/null && have_python=1
[ "$have_python" -eq 1 ] || { echo "cli: SKIP --json and base64 decoding: no python3"; skip=$((skip + 1)); }
printf '{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64"],"foo":1,"syscalls":[{"names":["read","write"],"action":"SCMP_ACT_ALLOW"},{"names":["kill"],"action":"SCMP_ACT_LOG","args":[{"index":1,"value":9,"op":"SCMP_CMP_EQ"}]},{"names":["ptrace"],"action":"SCMP_ACT_KILL_PROCESS"}]}' >"$TMP/ci-ok.json"
printf '{"defaultAction":"SCMP_ACT_ALLOW",\n "syscalls":[{"names":["read"],"action":"SCMP_ACT_FOO"}]}' >"$TMP/ci-bad.json"
run check --arch x86_64 --json "$TMP/ci-ok.json" "$TMP/ci-bad.json" "$TMP/nonexistent.json"
[ "$status" -eq 2 ] && [ -z "$err" ] && ok || bad "check --json of a valid and two invalid: exit $status, stderr $err"
run compile --arch x86_64 "$TMP/ci-ok.json" -o "$TMP/ci-ok.bpf"
insns=$(($(stat -c %s "$TMP/ci-ok.bpf") / 8))
if [ "$have_python" -eq 1 ]; then
	$SYSGATE check --arch x86_64 --json "$TMP/ci-ok.json" "$TMP/ci-bad.json" "$TMP/nonexistent.json" 2>/dev/null |
		INSNS=$insns python3 -c '
import json, os, sys
a = json.load(sys.stdin)
assert isinstance(a, list) and len(a) == 3, a
ok, badf, missing = a
assert ok["valid"] is True and ok["errors"] == [] and ok["file"].endswith("ci-ok.json"), ok
w = ok["warnings"]
assert len(w) == 1 and w[0]["line"] == 1 and w[0]["col"] == 72 and w[0]["path"] == "/foo" and "unknown field" in w[0]["message"], w
assert ok["instructions"] == int(os.environ["INSNS"]), (ok["instructions"], os.environ["INSNS"])
x = ok["arches"]
assert len(x) == 1 and x[0]["arch"] == "x86_64", x
x = x[0]
assert (x["syscalls"], x["allowed"], x["denied"], x["conditional"]) == (4, 2, 1, 1), x
assert x["actions"] == {"SCMP_ACT_ALLOW": 2, "SCMP_ACT_KILL_PROCESS": 1} and x["default"] == "SCMP_ACT_ERRNO(1)", x
assert badf["valid"] is False and "arches" not in badf and len(badf["errors"]) == 1, badf
e = badf["errors"][0]
assert (e["line"], e["col"], e["path"]) == (2, 41, "/syscalls/0/action") and e["message"].startswith("unknown action"), e
assert missing["valid"] is False and "cannot open" in missing["errors"][0]["message"], missing
' && ok || bad "check --json: the objects are not as expected"
fi
run check --json "$ROOT/profiles/block-chmod.json"
[ "$status" -eq 0 ] && grep -q '^\[$' "$TMP/out" && grep -q '"valid": true' "$TMP/out" && ok || bad "check --json of one: $status $out"
# several files in text: a block each, the worst status
run check --arch x86_64 "$TMP/ci-ok.json" "$ROOT/profiles/block-chmod.json"
[ "$status" -eq 0 ] && [ "$(grep -c '^result: *valid' "$TMP/out")" -eq 2 ] && grep -q "^program: *$insns instructions" "$TMP/out" &&
	ok || bad "check of two files: $status $out"
run check "$ROOT/profiles/block-chmod.json" "$TMP/ci-bad.json"
[ "$status" -eq 2 ] && grep -q '^result: *invalid (1 error)' "$TMP/out" && ok || bad "check of a valid and an invalid: $status $out"
# -q: nothing at all when valid (warnings too); only the errors when not
run check -q "$TMP/ci-ok.json" "$ROOT/profiles/block-chmod.json"
[ "$status" -eq 0 ] && [ -z "$out" ] && [ -z "$err" ] && ok || bad "check -q of valid profiles: $status '$out' '$err'"
run check --quiet "$TMP/ci-ok.json" "$TMP/ci-bad.json"
[ "$status" -eq 2 ] && [ -z "$out" ] && [ "$err" = "$TMP/ci-bad.json:2:41: /syscalls/0/action: unknown action \"SCMP_ACT_FOO\" (did you mean SCMP_ACT_LOG?)" ] &&
	ok || bad "check -q of an invalid one: $status '$out' '$err'"
# --strict fails on a name no architecture has and on a misspelt key, with the meant one
printf '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["reed","ptrace"],"action":"SCMP_ACT_ERRNO"}]}' >"$TMP/reed.json"
run check "$TMP/reed.json"
[ "$status" -eq 0 ] && ok || bad "reed without --strict: a warning: $status $err"
run check --strict "$TMP/reed.json"
[ "$status" -eq 2 ] && grep -qF 'reed.json:1:57: /syscalls/0/names/0: unknown syscall "reed" (did you mean "read"?)' "$TMP/err" &&
	ok || bad "--strict: reed: $status $err"
printf '{"defaultAction":"SCMP_ACT_ERRNO",\n  "sycalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}' >"$TMP/sycalls.json"
run check "$TMP/sycalls.json"
[ "$status" -eq 0 ] && grep -qF 'sycalls.json:2:3: warning: /sycalls: unknown field "sycalls" ignored (did you mean "syscalls"?)' "$TMP/err" &&
	ok || bad "sycalls: a warning: $status $err"
run check --strict "$TMP/sycalls.json"
[ "$status" -eq 2 ] && grep -qF 'sycalls.json:2:3: /sycalls: unknown field "sycalls" (did you mean "syscalls"?)' "$TMP/err" &&
	ok || bad "--strict: sycalls: $status $err"
printf '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["ptrace"],"action":"SCMP_ACT_ERRNO","excludes":{"caps":["CAP_SYS_PTRCE"]}}]}' >"$TMP/cap.json"
run check --strict "$TMP/cap.json"
[ "$status" -eq 2 ] && grep -qF 'unknown capability "CAP_SYS_PTRCE" is never held (did you mean "CAP_SYS_PTRACE"?)' "$TMP/err" &&
	ok || bad "--strict: a misspelt capability: $status $err"
# what real profiles carry passes --strict: Docker's and Podman's defaults (names of other
# architectures, archMap, defaultErrnoRet), Kubernetes objects, listenerPath, every shipped profile
for f in "$ROOT"/profiles/*.json "$SHARED"/corpus/*.json; do
	[ -f "$f" ] || continue
	case $f in *libcontainer*) continue ;; esac
	run check --strict -q "$f"
	[ "$status" -eq 0 ] && [ -z "$err" ] && ok || bad "check --strict $f: $status $err"
done
run check --strict "$TMP/spo.json"
[ "$status" -eq 0 ] && ok || bad "a SeccompProfile object under --strict: $status $err"
printf '{"apiVersion":"security-profiles-operator.x-k8s.io/v1beta1","kind":"SeccompProfile","metadata":{"name":"x"},"status":{},"spec":{"baseProfileName":"runc-v1.1.0","disabled":false,"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}}' >"$TMP/spo-base.json"
run check --strict "$TMP/spo-base.json"
[ "$status" -eq 2 ] && grep -q 'base profile "runc-v1.1.0": not found' "$TMP/err" && ok ||
	bad "baseProfileName without its base: refused (fail closed): $status $err"
# with the base beside it (NAME.json), the two merge and pass --strict
printf '{"apiVersion":"security-profiles-operator.x-k8s.io/v1beta1","kind":"SeccompProfile","metadata":{"name":"runc-v1.1.0"},"spec":{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["write","exit_group"],"action":"SCMP_ACT_ALLOW"}]}}' >"$TMP/runc-v1.1.0.json"
run check --strict "$TMP/spo-base.json"
[ "$status" -eq 0 ] && grep -q 'base: .*runc-v1.1.0.json' "$TMP/out" && ok ||
	bad "baseProfileName with its base beside it, under --strict: $status $err"

# ---- JSON syntax mistakes, named where they are ---------------------------------------
neg trailing-comma-array '3:27: invalid JSON: trailing comma before "]" (JSON allows none)' <<'JSON'
{"defaultAction":"SCMP_ACT_ERRNO",
 "syscalls":[
  {"names":["read","write",],"action":"SCMP_ACT_ALLOW"}]}
JSON
neg block-comment '2:3: invalid JSON: a comment ("/*"): JSON allows none' <<'JSON'
{"defaultAction":"SCMP_ACT_ERRNO",
  /* Docker's rules follow */ "syscalls":[]}
JSON
neg hash-comment '1:1: invalid JSON: a comment ("#"): JSON allows none' <<<'# profile
{}'
neg unquoted-key '1:2: invalid JSON: unquoted key "defaultAction": JSON keys take double quotes' <<<'{defaultAction:"SCMP_ACT_ALLOW"}'
neg unquoted-value '1:18: invalid JSON: unquoted string "SCMP_ACT_ALLOW": JSON strings take double quotes' <<<'{"defaultAction":SCMP_ACT_ALLOW}'

# ---- the version, usage mistakes, --arch's spellings ------------------------------------
want=$(sed -n 's/^#define SYSGATE_VERSION "\(.*\)"$/\1/p' "$ROOT/include/sysgate/version.h")
for v in -V --version version; do
	run $v
	[ "$status" -eq 0 ] && [ -n "$want" ] && [ "$out" = "sysgate $want" ] && ok || bad "sysgate $v: $status '$out', want 'sysgate $want'"
done
for sub in check compile disasm explain stats syscalls resolve default exec record merge import-log diff decompile lint dump; do
	run $sub --foo x
	case $sub in exec | record) want_status=125 ;; *) want_status=2 ;; esac
	[ "$status" -eq "$want_status" ] && [ -z "$out" ] &&
		[ "$err" = "sysgate $sub: unknown option '--foo' (try 'sysgate help $sub')" ] && ok ||
		bad "$sub --foo: one line, exit $want_status: $status '$err'"
	run help $sub
	[ "$status" -eq 0 ] && grep -q "^usage: sysgate $sub" "$TMP/out" && ok || bad "sysgate help $sub: $status"
done
run compile --arch
[ "$status" -eq 2 ] && [ "$err" = "sysgate compile: option '--arch' needs a value (try 'sysgate help compile')" ] && ok ||
	bad "compile --arch without its value: $status '$err'"
run check --json=yes "$ROOT/profiles/block-chmod.json"
[ "$status" -eq 2 ] && [ "$err" = "sysgate check: option '--json' takes no value (try 'sysgate help check')" ] && ok ||
	bad "check --json=yes: $status '$err'"
run compile "$ROOT/profiles/block-chmod.json" -o
[ "$status" -eq 2 ] && [ "$err" = "sysgate compile: option '-o' needs a value (try 'sysgate help compile')" ] && ok ||
	bad "compile -o without its value: $status '$err'"
run explain -Z
[ "$status" -eq 2 ] && [ "$err" = "sysgate explain: unknown option '-Z' (try 'sysgate help explain')" ] && ok || bad "explain -Z: '$err'"
run compile "$ROOT/profiles/block-chmod.json"
[ "$status" -eq 2 ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] && grep -q "^usage: sysgate compile .*(try 'sysgate help compile')$" "$TMP/err" &&
	ok || bad "compile without -o: the usage line: $status '$err'"
run help
grep -q '^  x86_64 x86 x32 aarch64' "$TMP/out" && grep -q 'sysgate help COMMAND' "$TMP/out" && ok || bad "sysgate help: $out"
# --arch is read alike everywhere: a near miss gets the same one line, with the name meant
for sub in check compile explain stats disasm syscalls resolve diff decompile lint exec; do
	run $sub --arch SCMP_ARCH_ARM64 x y
	case $sub in exec) want_status=125 ;; *) want_status=2 ;; esac
	[ "$status" -eq "$want_status" ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] &&
		grep -q '^sysgate: unknown architecture "SCMP_ARCH_ARM64" (did you mean SCMP_ARCH_AARCH64?); --arch takes x86_64 ' "$TMP/err" &&
		ok || bad "$sub --arch SCMP_ARCH_ARM64: $status '$err'"
done
run resolve --arch arm64x openat
grep -q '(did you mean aarch64?)' "$TMP/err" && ok || bad "--arch arm64x: $err"
printf '{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_ARM64"]}' >"$TMP/arm64.json"
run check "$TMP/arm64.json"
[ "$status" -eq 2 ] && grep -qF 'arm64.json:1:52: /architectures/0: unknown architecture "SCMP_ARCH_ARM64" (did you mean SCMP_ARCH_AARCH64?)' "$TMP/err" &&
	ok || bad "SCMP_ARCH_ARM64 in a profile: $status $err"
# the audit value audit logs print (arch=c000003e), with or without 0x, in every command
run resolve --arch c000003e --arch 0xC00000B7 --arch 40000003 openat
[ "$status" -eq 0 ] && [ "$out" = "$(printf 'x86_64 openat 257\naarch64 openat 56\nx86 openat 295')" ] && ok || bad "resolve by audit value: $out $err"
run check --arch c00000b7 "$ROOT/profiles/block-chmod.json"
grep -q 'architectures: aarch64  (named with --arch)' "$TMP/out" && ok || bad "check --arch c00000b7: $out $err"
run explain --arch 0xc000003e "$ROOT/profiles/block-chmod.json" chmod
grep -q '^x86_64 chmod(' "$TMP/out" && ok || bad "explain --arch 0xc000003e: $out"
run resolve --arch 12345678 read
[ "$status" -eq 2 ] && grep -q 'unknown architecture "12345678"' "$TMP/err" && ok || bad "an audit value no arch has: $status $err"
run syscalls --arch x86 --arch mips
[ "$(grep -c '^# .*audit arch' "$TMP/out")" -eq 2 ] && ok || bad "syscalls, two --arch: $(grep '^#' "$TMP/out")"
# explain names the syscall meant
run explain --arch x86_64 "$ROOT/profiles/block-chmod.json" chmdo
[ "$status" -eq 2 ] && [ "$err" = 'sysgate: no syscall "chmdo" on any target architecture (did you mean "chmod"?)' ] && ok ||
	bad "explain chmdo: $status '$err'"
run compile --arch x86_64 "$ROOT/profiles/block-chmod.json" -o "$TMP/chmod.bpf"
run explain --arch x86_64 "$TMP/chmod.bpf" fchmodatt
grep -q '(did you mean "fchmodat"?)' "$TMP/err" && ok || bad "explain over a raw program: $err"

# ---- compile --format base64: crun's run.oci.seccomp_bpf_data --------------------------------
for f in "$ROOT/profiles/block-chmod.json" "$ROOT/profiles/runtime-default.json" "$ROOT/profiles/minimal.json"; do
	run compile --format base64 "$f" -o -
	$SYSGATE compile "$f" -o "$TMP/b64.raw" 2>/dev/null
	[ "$status" -eq 0 ] && [ "$(wc -l <"$TMP/out")" -eq 1 ] && [ "$(tail -c 1 "$TMP/out" | od -An -c | tr -d ' ')" = '\n' ] &&
		base64 -d "$TMP/out" | cmp -s - "$TMP/b64.raw" && [ "$(base64 -w0 "$TMP/b64.raw")" = "$out" ] && ok ||
		bad "compile --format base64 $f: not raw's bytes in one line"
	if [ "$have_python" -eq 1 ]; then
		python3 -c 'import base64, sys
t = open(sys.argv[1]).read()
assert t.endswith("\n") and "\n" not in t[:-1]
assert base64.b64decode(t[:-1], validate=True) == open(sys.argv[2], "rb").read()' "$TMP/out" "$TMP/b64.raw" && ok ||
			bad "base64 $f: strict RFC 4648 decoding differs from raw"
	fi
done
run compile --format base64 --arch s390x "$ROOT/profiles/block-chmod.json" -o "$TMP/s390x.b64"
$SYSGATE compile --arch s390x "$ROOT/profiles/block-chmod.json" -o "$TMP/s390x.raw" 2>/dev/null
base64 -d "$TMP/s390x.b64" | cmp -s - "$TMP/s390x.raw" && ok || bad "base64 of a big-endian program"
run compile --format base32 "$ROOT/profiles/block-chmod.json" -o -
[ "$status" -eq 2 ] && grep -q 'format is raw, base64, c, hex or embed' "$TMP/err" && ok || bad "--format base32: $status $err"

# ---- --format oci|spo wherever a profile is written ----------------------------------
printf '%s\n' 'type=SECCOMP msg=audit(1701450005.000:461): auid=1000 uid=1000 gid=1000 ses=3 pid=2003 comm="tool" exe="/usr/bin/tool" sig=0 arch=c000003e syscall=16 compat=0 ip=0x1 code=0x50001' >"$TMP/audit.log"
for fmt in oci spo; do
	run import-log --format $fmt --name tool "$TMP/audit.log"
	printf '%s\n' "$out" >"$TMP/il-$fmt.json"
	if [ $fmt = spo ]; then grep -q '"kind": "SeccompProfile"' "$TMP/il-$fmt.json"; else ! grep -q '"kind"' "$TMP/il-$fmt.json"; fi &&
		grep -q '"ioctl"' "$TMP/il-$fmt.json" && $SYSGATE check --strict -q "$TMP/il-$fmt.json" && ok || bad "import-log --format $fmt: $out $err"
	run decompile --arch x86_64 --format $fmt "$TMP/chmod.bpf" -o "$TMP/dec-$fmt.json"
	if [ $fmt = spo ]; then grep -q '"kind": "SeccompProfile"' "$TMP/dec-$fmt.json"; else ! grep -q '"kind"' "$TMP/dec-$fmt.json"; fi &&
		$SYSGATE check --strict -q "$TMP/dec-$fmt.json" && ok || bad "decompile --format $fmt: $status $err"
	case $SYSGATE in *valgrind*) echo "cli: SKIP record --format $fmt: valgrind has no seccomp(2)"; skip=$((skip + 1)); continue ;; esac
	run record --format $fmt -o "$TMP/rec-$fmt.json" -- /bin/true
	if [ "$status" -eq 125 ] && grep -q 'notif\|seccomp' "$TMP/err"; then
		echo "cli: SKIP record --format $fmt: $err"; skip=$((skip + 1))
	elif [ "$status" -eq 0 ] && { if [ $fmt = spo ]; then grep -q '"kind": "SeccompProfile"' "$TMP/rec-$fmt.json"; else ! grep -q '"kind"' "$TMP/rec-$fmt.json"; fi; } &&
		grep -q '"execve"' "$TMP/rec-$fmt.json" && $SYSGATE check --strict -q "$TMP/rec-$fmt.json"; then ok
	else bad "record --format $fmt: $status $err"; fi
done
for sub in import-log decompile merge; do
	run $sub --format yaml "$TMP/x"
	[ "$status" -eq 2 ] && [ "$err" = 'sysgate: --format is oci or spo, not "yaml"' ] && ok || bad "$sub --format yaml: $status '$err'"
done
run record --format yaml -- /bin/true
[ "$status" -eq 125 ] && [ "$err" = 'sysgate: --format is oci or spo, not "yaml"' ] && ok || bad "record --format yaml: $status '$err'"

for sub in compile disasm dump explain stats exec default; do
	run $sub --help
	if [ "$status" -eq 0 ] && grep -q "usage: sysgate $sub" "$TMP/out"; then ok; else bad "$sub --help"; fi
done

for sub in check syscalls resolve; do
	run $sub --help
	if [ "$status" -eq 0 ] && grep -q "usage: sysgate $sub" "$TMP/out"; then ok; else bad "$sub --help"; fi
done
run --help
[ "$status" -eq 0 ] && ok || bad "sysgate --help"
run nosuchcommand
[ "$status" -eq 2 ] && ok || bad "unknown command exit $status"

echo "cli: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
