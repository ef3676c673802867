#!/usr/bin/env bash
# CLI tests of the profile-learning commands that need no kernel support:
# `import-log` over every log format, `merge`, and the learned profile's form.
# SYSGATE may carry a wrapper (valgrind ...).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SYSGATE=${SYSGATE:-$ROOT/build/sysgate}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

run() {
	$SYSGATE "$@" >"$TMP/out" 2>"$TMP/err"
	status=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
}

# names FILE: the names a learned profile allows unconditionally, one a line
names() { sed -n '/"names": \[$/,/\]/p' "$1" | sed 1d | grep -o '"[^"]*"' | tr -d '"'; }

GS=$(printf '\035')
# Every format: dmesg with its stamp, syslog (kern.log), journalctl -k, auditd
# raw and ENRICHED (GS and space), hex comm and exe, compat i386, x32, a kill,
# other audit records, noise, a cut record, a number sysgate cannot name.
cat >"$TMP/log" <<EOF
[  120.123456] audit: type=1326 audit(1701450000.123:456): auid=4294967295 uid=1000 gid=1000 ses=4294967295 subj=unconfined pid=1234 comm="python3" exe="/usr/bin/python3.11" sig=0 arch=c000003e syscall=165 compat=0 ip=0x7f1234567890 code=0x50001
Dec  1 18:00:00 node1 kernel: [  121.000001] audit: type=1326 audit(1701450001.000:457): auid=1000 uid=1000 gid=1000 ses=3 pid=1234 comm="python3" exe="/usr/bin/python3.11" sig=0 arch=c000003e syscall=165 compat=0 ip=0x7f1234567890 code=0x50001
Dec 01 18:00:02 node1 kernel: audit: type=1326 audit(1701450002.000:458): auid=1000 uid=1000 gid=1000 ses=3 pid=2000 comm=6D7920617070 exe=2F6F70742F6D7920617070 sig=0 arch=c000003e syscall=61 compat=0 ip=0x1 code=0x7ffc0000
type=SECCOMP msg=audit(1701450003.000:459): auid=1000 uid=1000 gid=1000 ses=3 subj=unconfined pid=2001 comm="helper32" exe="/opt/helper32" sig=31 arch=40000003 syscall=5 compat=1 ip=0xf7f0 code=0x80000000
type=SECCOMP msg=audit(1701450004.000:460): auid=1000 uid=1000 gid=1000 ses=3 pid=2002 comm="x32prog" exe="/opt/x32prog" sig=0 arch=c000003e syscall=1073741826 compat=0 ip=0x1 code=0x50001${GS}AUID="alice" UID="alice" GID="alice" ARCH=x86_64 SYSCALL=open
type=SECCOMP msg=audit(1701450005.000:461): auid=1000 uid=1000 gid=1000 ses=3 pid=2003 comm="tool" exe="/usr/bin/tool" sig=0 arch=c000003e syscall=16 compat=0 ip=0x1 code=0x50001 AUID="alice" UID="alice" GID="alice" ARCH=x86_64 SYSCALL=ioctl
type=SYSCALL msg=audit(1701450005.000:462): arch=c000003e syscall=59 success=yes exit=0 a0=1 items=2 ppid=1 pid=3 comm="sh" exe="/bin/sh"
type=AVC msg=audit(1701450005.000:463): apparmor="DENIED" operation="open" profile="x" name="/etc/shadow" pid=4 comm="cat"
some unrelated line mentioning syscall=1 and arch=c000003e
type=SECCOMP msg=audit(1701450006.000:464): auid=1000 uid=1000 gid=1000 ses=3 pid=2004 comm="cut" exe="/bin/cut" sig=0 arch=c000003e sysc
type=SECCOMP msg=audit(1701450007.000:465): auid=1000 pid=2005 comm="odd" exe="/bin/odd" sig=0 arch=c000003e syscall=999 compat=0 ip=0x1 code=0x50001
Dec 01 18:00:08 node1 audit[2006]: SECCOMP auid=1000 uid=1000 gid=1000 ses=3 pid=2006 comm="j" exe="/bin/j" sig=0 arch=c000003e syscall=39 compat=0 ip=0x1 code=0x50001

EOF

run import-log -o "$TMP/p.json" "$TMP/log"
[ "$status" -eq 0 ] && ok || bad "import-log: exit $status; $err"
[ "$(names "$TMP/p.json" | tr '\n' ' ')" = "getpid ioctl mount open wait4 " ] && ok ||
	bad "import-log names: $(names "$TMP/p.json" | tr '\n' ' ')"
# x86_64 first, then the architectures the records name (x32 by its number's bit)
[ "$(grep -o '"SCMP_ARCH_[A-Z0-9_]*"' "$TMP/p.json" | tr '\n' ' ')" = '"SCMP_ARCH_X86_64" "SCMP_ARCH_X86" "SCMP_ARCH_X32" ' ] && ok ||
	bad "import-log architectures: $(cat "$TMP/p.json")"
grep -q '^log:10:1: warning: a seccomp record sysgate cannot read (no syscall= field): skipped$' <(sed "s|$TMP/||" <<<"$err") &&
	grep -q '^log:11:1: warning: arch=c000003e syscall=999: ' <(sed "s|$TMP/||" <<<"$err") && ok ||
	bad "import-log warnings: $err"
grep -qE '^mount +x86_64 +2  SCMP_ACT_ERRNO\(1\)$' <<<"$err" && grep -qE '^open +x86 +1  SCMP_ACT_KILL_PROCESS$' <<<"$err" &&
	grep -qE '^open +x32 +1  SCMP_ACT_ERRNO\(1\)$' <<<"$err" && grep -qE '^wait4 +x86_64 +1  SCMP_ACT_LOG$' <<<"$err" &&
	grep -q '^8 seccomp records read, 7 imported$' <<<"$err" && ok || bad "import-log summary: $err"
grep -q 'SYSCALL\|AVC\|apparmor' <<<"$err" && bad "import-log: other records were read: $err" || ok

# filters: hex-encoded comm and exe decode; pid
run import-log --comm "my app" "$TMP/log"
[ "$(names <(echo "$out") | tr '\n' ' ')" = "wait4 " ] && ok || bad "--comm (hex): $out"
run import-log --exe /opt/helper32 "$TMP/log"
[ "$(names <(echo "$out") | tr '\n' ' ')" = "open " ] && grep -q '"SCMP_ARCH_X86"' <<<"$out" && ok || bad "--exe: $out"
run import-log --pid 1234 "$TMP/log"
[ "$(names <(echo "$out") | tr '\n' ' ')" = "mount " ] && ok || bad "--pid: $out"
run import-log --comm nobody "$TMP/log"
[ "$status" -eq 0 ] && grep -q '"syscalls": \[\]' <<<"$out" && ok || bad "no record kept: $out"

# a call sysgate cannot name is said once; a reason a record cannot be read, for 10 lines, then counted
{
	for i in 1 2 3; do sed -n 11p "$TMP/log"; done
	for i in $(seq 12); do sed -n 10p "$TMP/log"; done
} >"$TMP/noisy"
run import-log "$TMP/noisy"
[ "$status" -eq 0 ] && [ "$(grep -c 'syscall=999: sysgate has no name' <<<"$err")" -eq 1 ] &&
	[ "$(grep -c 'a seccomp record sysgate cannot read (no syscall= field)' <<<"$err")" -eq 10 ] &&
	grep -q '^sysgate: warning: 2 more seccomp records sysgate cannot read (no syscall= field): skipped$' <<<"$err" && ok ||
	bad "warnings said once: $err"
# --comm: the kernel keeps 15 bytes of a command name
printf 'type=SECCOMP msg=audit(1.0:1): pid=9 comm="averylongcomman" exe="/a" sig=0 arch=c000003e syscall=39 compat=0 ip=0x1 code=0x50001\n' >"$TMP/log4"
run import-log --comm averylongcommandname "$TMP/log4"
[ "$status" -eq 0 ] && [ "$(names <(echo "$out") | tr '\n' ' ')" = "getpid " ] &&
	[ "$(grep -c 'the kernel keeps the first 15 bytes of a command name: comparing "averylongcomman"' <<<"$err")" -eq 1 ] && ok ||
	bad "--comm of 20 bytes: $out; $err"
run import-log --comm averylongcomman "$TMP/log4"
[ "$(names <(echo "$out") | tr '\n' ' ')" = "getpid " ] && ! grep -q 'kernel keeps' <<<"$err" && ok || bad "--comm of 15 bytes: $err"

# standard input, and a line cut at every byte never breaks anything
line=$(sed -n 4p "$TMP/log")
for ((i = 0; i <= ${#line}; i += 7)); do printf '%s\n' "${line:0:i}"; done >"$TMP/cut"
run import-log - <"$TMP/cut"
[ "$status" -eq 0 ] && ok || bad "cut lines: exit $status; $err"

# --base: merged, deterministic, and equal to merge's
run import-log -o "$TMP/m1.json" --base "$TMP/p.json" "$TMP/log"
cmp -s "$TMP/m1.json" "$TMP/p.json" && ok || bad "import-log --base with the same log changed the profile"
printf 'type=SECCOMP msg=audit(1.0:1): pid=9 comm="a" exe="/a" sig=0 arch=c000003e syscall=39 compat=0 ip=0x1 code=0x50001\n' >"$TMP/log2"
run import-log -o "$TMP/m2.json" --base "$TMP/p.json" "$TMP/log2"
run import-log -o "$TMP/only2.json" "$TMP/log2"
run merge "$TMP/p.json" "$TMP/only2.json"
[ "$status" -eq 0 ] && [ "$out" = "$(cat "$TMP/m2.json")" ] && [ "$(names "$TMP/m2.json" | tr '\n' ' ')" = "getpid ioctl mount open wait4 " ] && ok ||
	bad "import-log --base vs merge: $out"
run import-log --format spo --name 'My App!' "$TMP/log2"
grep -q '"kind": "SeccompProfile"' <<<"$out" && grep -q '"name": "my-app"' <<<"$out" && ok || bad "--format spo: $out"
printf '%s\n' "$out" >"$TMP/spo.json"
run check "$TMP/spo.json"
[ "$status" -eq 0 ] && ok || bad "the SeccompProfile does not check: $err"

# a base with conditional ALLOW rules keeps them, one name each; its refusing rules are kept too
cat >"$TMP/base.json" <<'EOF'
{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64"],"syscalls":[
{"names":["read","write"],"action":"SCMP_ACT_ALLOW"},
{"names":["personality","ioctl"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":8,"op":"SCMP_CMP_EQ"}]},
{"names":["kill"],"action":"SCMP_ACT_KILL_PROCESS"}]}
EOF
run merge "$TMP/base.json" "$TMP/only2.json"
[ "$status" -eq 0 ] && [ "$(names <(echo "$out") | tr '\n' ' ')" = "getpid read write " ] &&
	[ "$(grep -c '"index": 0, "value": 8, "op": "SCMP_CMP_EQ"' <<<"$out")" -eq 2 ] &&
	grep -A1 '"names": \["kill"\],' <<<"$out" | grep -q '"action": "SCMP_ACT_KILL_PROCESS"' && [ -z "$err" ] && ok ||
	bad "merge with a conditional base: $out; $err"
printf '%s\n' "$out" >"$TMP/merged.json"
run check --strict "$TMP/merged.json"
[ "$status" -eq 0 ] && ok || bad "the merged profile does not check: $err"

# a base's refusals are kept with their action and errno: ptrace allowed and refused is refused
# (restrictive precedence), and the default KILL_PROCESS stays
cat >"$TMP/ptrace.json" <<'EOF'
{"defaultAction":"SCMP_ACT_KILL_PROCESS","architectures":["SCMP_ARCH_X86_64"],"syscalls":[
{"names":["read","ptrace"],"action":"SCMP_ACT_ALLOW"},
{"names":["ptrace"],"action":"SCMP_ACT_ERRNO"}]}
EOF
run merge -o "$TMP/mp.json" "$TMP/ptrace.json"
run explain "$TMP/mp.json" ptrace
[ "$status" -eq 0 ] && grep -q '^x86_64 ptrace(.*-> SCMP_ACT_ERRNO(1)$' <<<"$out" &&
	grep -q '"defaultAction": "SCMP_ACT_KILL_PROCESS"' "$TMP/mp.json" && ok || bad "merged ptrace base: $out; $(cat "$TMP/mp.json")"
run explain "$TMP/mp.json" getpid
grep -q -- '-> SCMP_ACT_KILL_PROCESS$' <<<"$out" && ok || bad "merged ptrace base, default: $out"
# runtime-default's clone3 stays ENOSYS (38): glibc falls back to clone on it
run merge -o "$TMP/rd.json" "$ROOT/profiles/runtime-default.json"
run explain "$TMP/rd.json" clone3
[ "$status" -eq 0 ] && grep -q '^x86_64 clone3(.*-> SCMP_ACT_ERRNO(38)$' <<<"$out" && ok || bad "runtime-default clone3: $out"
# the workload was seen making it: the base's refusal goes
printf 'type=SECCOMP msg=audit(1.0:1): pid=9 comm="a" exe="/a" sig=0 arch=c000003e syscall=101 compat=0 ip=0x1 code=0x50001\n' >"$TMP/log3"
run import-log --base "$TMP/ptrace.json" -o "$TMP/ip.json" "$TMP/log3"
run explain "$TMP/ip.json" ptrace
grep -q -- '-> SCMP_ACT_ALLOW$' <<<"$out" && ! grep -q 'ERRNO' "$TMP/ip.json" && ok || bad "an imported call keeps its refusal: $out"
# another input allows it outright: the refusal goes (the union), whatever the order of the inputs;
# the defaults differ: the most restrictive is kept, said
printf '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["ptrace"],"action":"SCMP_ACT_ALLOW"}]}\n' >"$TMP/allowp.json"
run merge -o "$TMP/u1.json" "$TMP/ptrace.json" "$TMP/allowp.json"
grep -q 'warning: /defaultAction: the default action SCMP_ACT_ERRNO(1) differs' <<<"$err" && ok || bad "differing defaults: $err"
run merge -o "$TMP/u2.json" "$TMP/allowp.json" "$TMP/ptrace.json"
run explain "$TMP/u1.json" ptrace
grep -q -- '-> SCMP_ACT_ALLOW$' <<<"$out" && cmp -s "$TMP/u1.json" "$TMP/u2.json" &&
	grep -q '"defaultAction": "SCMP_ACT_KILL_PROCESS"' "$TMP/u1.json" && ok || bad "another input's allow: $out"
# conditions in any order: the same bytes
for order in '{"index":1,"value":2,"op":"SCMP_CMP_EQ"},{"index":0,"value":5,"valueTwo":4,"op":"SCMP_CMP_MASKED_EQ"}' \
	'{"index":0,"value":5,"valueTwo":4,"op":"SCMP_CMP_MASKED_EQ"},{"index":1,"value":2,"op":"SCMP_CMP_EQ"}'; do
	printf '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["ioctl"],"action":"SCMP_ACT_ALLOW","args":[%s]},{"names":["mount"],"action":"SCMP_ACT_KILL_THREAD","args":[%s]}]}\n' "$order" "$order"
done >"$TMP/orders"
sed -n 1p "$TMP/orders" >"$TMP/o1.json"
sed -n 2p "$TMP/orders" >"$TMP/o2.json"
run merge -o "$TMP/mo1.json" "$TMP/o1.json"
run merge -o "$TMP/mo2.json" "$TMP/o2.json"
cmp -s "$TMP/mo1.json" "$TMP/mo2.json" && grep -q '"action": "SCMP_ACT_KILL_THREAD"' "$TMP/mo1.json" && ok ||
	bad "condition order shows: $(diff "$TMP/mo1.json" "$TMP/mo2.json")"

# more architectures than sysgate reads back: refused, nothing written
run import-log -o "$TMP/nine.json" "$ROOT/fuzz/regressions/learn-nine-arches.log"
[ "$status" -eq 2 ] && [ ! -e "$TMP/nine.json" ] && grep -q 'would name 9 architectures' <<<"$err" && ok ||
	bad "nine architectures: exit $status; $err"

# --format spo: what the SeccompProfile CRD refuses is said (int64 values, LOONGARCH64, 6 args at most)
cat >"$TMP/crd.json" <<'EOF'
{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_LOONGARCH64"],"syscalls":[
{"names":["ioctl"],"action":"SCMP_ACT_ALLOW","args":[{"index":1,"value":9223372036854775808,"op":"SCMP_CMP_EQ"}]},
{"names":["prctl"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":1,"op":"SCMP_CMP_EQ"},
{"index":0,"value":2,"op":"SCMP_CMP_EQ"},{"index":0,"value":3,"op":"SCMP_CMP_EQ"},{"index":0,"value":4,"op":"SCMP_CMP_EQ"},
{"index":0,"value":5,"op":"SCMP_CMP_EQ"},{"index":0,"value":6,"op":"SCMP_CMP_EQ"},{"index":0,"value":7,"op":"SCMP_CMP_EQ"}]}]}
EOF
run merge --format spo "$TMP/crd.json"
[ "$status" -eq 0 ] && grep -q 'ioctl: argument 1 compared with 9223372036854775808; the SeccompProfile CRD' <<<"$err" &&
	grep -q 'SCMP_ARCH_LOONGARCH64 is not among the SeccompProfile' <<<"$err" &&
	grep -q 'prctl: a rule with 7 args; the SeccompProfile CRD allows at most 6' <<<"$err" && ok ||
	bad "--format spo, CRD limits: exit $status; $err"
run merge "$TMP/crd.json"
[ "$status" -eq 0 ] && ! grep -q SeccompProfile <<<"$err" && ok || bad "CRD limits said for OCI: $err"

# an input's own warnings are shown (here: a name this machine's architecture does not have)
printf '{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64"],"syscalls":[{"names":["read","mmap2"],"action":"SCMP_ACT_ALLOW"}]}\n' >"$TMP/w.json"
run merge "$TMP/w.json"
[ "$status" -eq 0 ] && grep -q 'w.json: warning: .*mmap2' <<<"$err" && ok || bad "merge hides an input's warnings: $err"
run import-log --base "$TMP/w.json" "$TMP/log2"
[ "$status" -eq 0 ] && grep -q 'w.json: warning: .*mmap2' <<<"$err" && ok || bad "import-log hides the base's warnings: $err"

# bad input
run import-log /no/such/log
[ "$status" -eq 2 ] && grep -q '/no/such/log' <<<"$err" && ok || bad "unreadable log: exit $status; $err"
run import-log --pid x "$TMP/log"
[ "$status" -eq 2 ] && ok || bad "--pid x: exit $status"
run merge "$TMP/log"
[ "$status" -eq 2 ] && ok || bad "merge of a non-profile: exit $status"

echo "learn: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
