#!/usr/bin/env bash
# End-to-end tests of `sysgate exec` on the running kernel: every action seen
# from inside the command (tests/probe), the NOTIFY handoff to an agent
# (tests/agent), exit statuses, and fail-closed cases in which the command
# must not run. SYSGATE may carry a wrapper (valgrind ...); probe and agent
# come from BUILD (default build).
#
# valgrind does not implement seccomp(2): every load fails with ENOSYS there,
# so under valgrind only the cases decided before the load (fail-closed,
# exit statuses) are run, plus "a refused load runs nothing"; the rest say SKIP.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) BDIR=$BUILD ;; *) if [ -d "$BUILD" ]; then BDIR=$(cd "$BUILD" && pwd); else BDIR=$ROOT/$BUILD; fi ;; esac
SYSGATE=${SYSGATE:-$BDIR/sysgate}
PROBE=$BDIR/tests/probe
SHARED=$ROOT/../shared
AGENT=$BDIR/tests/agent
TMP=$(mktemp -d)
agent_pid=
trap '[ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null; rm -rf "$TMP"' EXIT
ulimit -c 0 # KILL_PROCESS dumps core otherwise
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
case $SYSGATE in *valgrind*) VALGRIND=1 ;; *) VALGRIND=0 ;; esac

for f in "$PROBE" "$AGENT"; do
	[ -x "$f" ] || { echo "exec: $f is missing (make $f)" >&2; exit 1; }
done

# sg ARGS...: runs sysgate ARGS (SG_TIMEOUT s at most: 124 is a hang); sets
# $status, $out, $err. The job message bash prints for a command killed by a
# signal is silenced.
SG_TIMEOUT=30
sg() {
	{ timeout -k 5 "$SG_TIMEOUT" $SYSGATE "$@" >"$TMP/out" 2>"$TMP/err" </dev/null; } 2>/dev/null
	status=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
}

# expect NAME STATUS LINE...: the last sg exited STATUS and printed each LINE
expect() {
	local name=$1 want=$2 line
	shift 2
	if [ "$status" -ne "$want" ]; then
		bad "$name: exit $status, want $want; stdout: $out; stderr: $err"
		return
	fi
	for line; do
		if ! grep -qxF -- "$line" <<<"$out"; then
			bad "$name: no line '$line'; stdout: $out; stderr: $err"
			return
		fi
	done
	ok
}

# kernel NAME: true when tests needing a working seccomp(2) can run
kernel() {
	if [ "$VALGRIND" = 1 ]; then
		echo "exec: SKIP $1: valgrind has no seccomp(2)"
		skip=$((skip + 1))
		return 1
	fi
}

# profile NAME JSON: writes $TMP/NAME.json
profile() { printf '%s\n' "$2" >"$TMP/$1.json"; }

# one rule on getppid (or the syscalls given) under an ALLOW default
rule() { # rule NAME ACTION [EXTRA-FIELDS] [NAMES]
	profile "$1" "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[${4:-\"getppid\"}],\"action\":\"$2\"${3:+,$3}}]}"
}

# profiles several sections use
rule allow SCMP_ACT_ALLOW '' '"getpid"'
rule errno SCMP_ACT_ERRNO '"errnoRet":42'

# ---- every action, seen from inside the command --------------------------------
if kernel "actions"; then
	sg exec -p "$TMP/allow.json" -- "$PROBE" getppid
	if [ "$status" -eq 0 ] && grep -qE '^getppid -> [1-9][0-9]*$' <<<"$out"; then ok; else bad "ALLOW: exit $status: $out $err"; fi

	sg exec -p "$TMP/errno.json" -- "$PROBE" getppid getpid
	expect "ERRNO 42" 0 "getppid -> -1 errno 42"
	grep -qE '^getpid -> [1-9]' <<<"$out" && ok || bad "ERRNO 42: getpid (not in the profile) was affected: $out"

	rule killp SCMP_ACT_KILL_PROCESS
	sg exec -p "$TMP/killp.json" -- "$PROBE" getpid getppid marker:"$TMP/after-kill"
	expect "KILL_PROCESS" 159
	grep -q '^getpid -> ' <<<"$out" && [ ! -e "$TMP/after-kill" ] && ok || bad "KILL_PROCESS: the probe did not run up to getppid only: $out"

	for act in SCMP_ACT_KILL_THREAD SCMP_ACT_KILL; do
		rule killt "$act"
		sg exec -p "$TMP/killt.json" -- "$PROBE" thread:getppid getpid
		expect "$act in a second thread" 0 "main alive"
		grep -q '^thread getppid' <<<"$out" && bad "$act: the thread returned from getppid: $out" || ok
		# the only thread of a process: the kernel kills the process
		sg exec -p "$TMP/killt.json" -- "$PROBE" getppid
		expect "$act in the only thread" 159
	done

	rule trap SCMP_ACT_TRAP
	sg exec -p "$TMP/trap.json" -- "$PROBE" trap:getppid marker:"$TMP/after-trap"
	expect "TRAP" 0 "SIGSYS si_syscall=110 si_arch=0xc000003e si_code=1 si_errno=0"
	[ ! -e "$TMP/after-trap" ] && ok || bad "TRAP: getppid returned instead of trapping"
	# without a handler, SIGSYS kills
	sg exec -p "$TMP/trap.json" -- "$PROBE" getppid
	expect "TRAP without a handler" 159

	rule log SCMP_ACT_LOG
	sg exec -p "$TMP/log.json" -- "$PROBE" getppid
	if [ "$status" -eq 0 ] && grep -qE '^getppid -> [1-9][0-9]*$' <<<"$out"; then ok; else bad "LOG: exit $status: $out $err"; fi

	rule trace SCMP_ACT_TRACE
	sg exec -p "$TMP/trace.json" -- "$PROBE" getppid
	expect "TRACE without a tracer" 0 "getppid -> -1 errno 38"

	# argument rules reach the kernel as written
	profile args '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO","errnoRet":7,"args":[{"index":0,"value":8,"op":"SCMP_CMP_EQ"}]},{"names":["socket"],"action":"SCMP_ACT_ERRNO","errnoRet":97,"args":[{"index":0,"value":16,"op":"SCMP_CMP_EQ"}]}]}'
	sg exec -p "$TMP/args.json" -- "$PROBE" personality:8 personality:ffffffff socket:16 socket:1
	expect "argument rules" 0 "personality -> -1 errno 7" "socket -> -1 errno 97" "socket -> 3"
	grep -qE '^personality -> [0-9]+$' <<<"$out" && ok || bad "argument rules: personality(0xffffffff) was refused: $out"

	# x32 numbers (0x40000000 + n) share x86_64's audit arch: without x32 among
	# the targets they get the bad-arch action, never an x86_64 rule or the default
	sg exec -p "$TMP/allow.json" -- "$PROBE" getpid syscall:0x40000027 marker:"$TMP/after-x32"
	expect "x32 getpid, x86_64-only profile" 159
	[ ! -e "$TMP/after-x32" ] && ok || bad "x32 getpid was not killed"
	sg exec --bad-arch SCMP_ACT_ERRNO:77 -p "$TMP/allow.json" -- "$PROBE" syscall:0x40000027
	expect "x32 getpid, --bad-arch SCMP_ACT_ERRNO:77" 0 "syscall -> -1 errno 77"
	sg exec --bad-arch SCMP_ACT_TRAP -p "$TMP/allow.json" -- "$PROBE" trap:syscall:0x40000027
	expect "x32 getpid, --bad-arch SCMP_ACT_TRAP" 0 "SIGSYS si_syscall=1073741863 si_arch=0xc000003e si_code=1 si_errno=0"
	profile x32 '{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X32"],"syscalls":[{"names":["getppid"],"action":"SCMP_ACT_ERRNO","errnoRet":42}]}'
	sg exec -p "$TMP/x32.json" -- "$PROBE" syscall:0x40000027 getppid syscall:0x4000006e
	# 38: this kernel has no x32 ABI; the filter let the call through
	if [ "$status" -eq 0 ] && grep -qE '^syscall -> ([1-9][0-9]*|-1 errno 38)$' <<<"$out" &&
		grep -qx 'getppid -> -1 errno 42' <<<"$out" && grep -qx 'syscall -> -1 errno 42' <<<"$out"; then ok
	else bad "x32 among the targets: exit $status: $out $err"; fi

	# a Kubernetes SeccompProfile object runs too
	profile k8s '{"apiVersion":"security-profiles-operator.x-k8s.io/v1beta1","kind":"SeccompProfile","metadata":{"name":"t"},"spec":{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["uname"],"action":"SCMP_ACT_ERRNO","errnoRet":5}]}}'
	sg exec -p "$TMP/k8s.json" -- "$PROBE" uname
	expect "Kubernetes SeccompProfile" 0 "uname -> -1 errno 5"
fi

# ---- TSYNC: accepted, and the command's threads are filtered ----------------------
# (threads made after exec inherit the filter anyway; test_kernel's TSYNC test
# shows a thread that existed before the load being filtered)
if kernel "TSYNC"; then
	profile tsync '{"defaultAction":"SCMP_ACT_ALLOW","flags":["SECCOMP_FILTER_FLAG_TSYNC"],"syscalls":[{"names":["getppid"],"action":"SCMP_ACT_ERRNO","errnoRet":42}]}'
	sg exec -p "$TMP/tsync.json" -- "$PROBE" thread:getppid getppid
	expect "profile flag TSYNC" 0 "thread getppid -> -1 errno 42" "main alive" "getppid -> -1 errno 42"
	sg exec --flags tsync -p "$TMP/errno.json" -- "$PROBE" thread:getppid
	expect "--flags tsync" 0 "thread getppid -> -1 errno 42" "main alive"
	sg exec --flags SECCOMP_FILTER_FLAG_TSYNC,log,spec_allow -p "$TMP/errno.json" -- "$PROBE" getppid
	expect "--flags with several flags" 0 "getppid -> -1 errno 42"
	profile noflags '{"defaultAction":"SCMP_ACT_ALLOW","flags":[],"syscalls":[{"names":["getppid"],"action":"SCMP_ACT_ERRNO","errnoRet":42}]}'
	sg exec -p "$TMP/noflags.json" -- "$PROBE" getppid
	expect "flags: []" 0 "getppid -> -1 errno 42"
fi
sg exec --flags nosuchflag -p "$TMP/errno.json" -- "$PROBE" marker:"$TMP/ran-flag"
if [ "$status" -eq 125 ] && [ ! -e "$TMP/ran-flag" ] && grep -q nosuchflag <<<"$err"; then ok; else bad "--flags nosuchflag: exit $status: $err"; fi
# the runtime's own flags are not the user's to set
sg exec --flags new_listener -p "$TMP/errno.json" -- "$PROBE" marker:"$TMP/ran-nl"
if [ "$status" -eq 125 ] && [ ! -e "$TMP/ran-nl" ] && grep -q new_listener <<<"$err"; then ok; else bad "--flags new_listener: exit $status: $err"; fi
# WAIT_KILLABLE_RECV without a listener: the kernel would refuse it, so it is dropped, said once
if kernel "--flags wait_killable_recv"; then
	sg exec --flags wait_killable_recv -p "$TMP/errno.json" -- "$PROBE" getppid
	if [ "$status" -eq 0 ] && grep -qx 'getppid -> -1 errno 42' <<<"$out" &&
		[ "$(grep -c 'WAIT_KILLABLE_RECV only applies with SCMP_ACT_NOTIFY; dropped' <<<"$err")" = 1 ]; then ok
	else bad "--flags wait_killable_recv without NOTIFY: exit $status: $out $err"; fi
fi

# ---- SCMP_ACT_NOTIFY: the agent gets the listener and answers ---------------------
# start_agent NAME [METADATA]: the agent listens on $TMP/NAME.sock
start_agent() {
	rm -f "$TMP/$1.sock" "$TMP/$1.state"
	"$AGENT" "$TMP/$1.sock" "$TMP/$1.state" ${2+"$2"} >"$TMP/$1.log" 2>&1 &
	agent_pid=$!
	for _ in $(seq 100); do
		[ -S "$TMP/$1.sock" ] && return 0
		kill -0 "$agent_pid" 2>/dev/null || break
		sleep 0.05
	done
	bad "the agent did not start: $(cat "$TMP/$1.log")"
	return 1
}
# stop_agent: waits for the agent; sets $agent_status
stop_agent() {
	wait "$agent_pid"
	agent_status=$?
	agent_pid=
}

if kernel "SCMP_ACT_NOTIFY"; then
	profile notify "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"$TMP/agent.sock\",\"listenerMetadata\":\"probe-test\",\"syscalls\":[{\"names\":[\"getppid\",\"mkdir\",\"uname\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}"
	if start_agent agent probe-test; then
		"$PROBE" fds >"$TMP/fds.want" # the descriptors this shell passes on
		sg exec -p "$TMP/notify.json" -- "$PROBE" getpid getppid mkdir:"$TMP/notified-dir" uname fds
		stop_agent
		expect "NOTIFY" 0 "getppid -> 4242" "mkdir -> -1 errno 13" "uname -> 0" "$(cat "$TMP/fds.want")"
		[ ! -e "$TMP/notified-dir" ] && ok || bad "NOTIFY: mkdir ran although the agent refused it"
		[ "$agent_status" -eq 0 ] && ok || bad "NOTIFY: the agent exited $agent_status: $(cat "$TMP/agent.log")"
		grep -q 'syscall 63: continue' "$TMP/agent.log" && ok || bad "NOTIFY: the agent did not see uname: $(cat "$TMP/agent.log")"
		# the state the agent saved: seccompFd, the command's pid, the metadata, a state object
		state=$(cat "$TMP/agent.state" 2>/dev/null)
		pid=$(sed -n 's/^getpid -> //p' <<<"$out")
		if grep -qE '"fds": *\[ *"seccompFd" *\]' <<<"$state" && grep -qE "^\{.*\"pid\": *${pid}[,}]" <<<"$state" &&
			grep -qE '"metadata": *"probe-test"' <<<"$state" && grep -qE '"state": *\{.*"status": *"[a-z]+"' <<<"$state" &&
			grep -qE '"ociVersion": *"1\.[0-9.]+"' <<<"$state"; then ok
		else bad "NOTIFY: the container process state is wrong (pid $pid): $state"; fi
		if ! command -v python3 >/dev/null; then
			echo "exec: SKIP NOTIFY state JSON validity: no python3"; skip=$((skip + 1))
		elif python3 -c 'import json,sys; json.load(sys.stdin)' <<<"$state" 2>/dev/null; then ok
		else bad "NOTIFY: the state is not valid JSON: $state"; fi
	fi

	# metadata that needs escaping arrives intact
	profile notify-esc '{"defaultAction":"SCMP_ACT_ALLOW","listenerPath":"'"$TMP"'/esc.sock","listenerMetadata":"a\"b\\c\n\u0001\u00e9/","syscalls":[{"names":["getppid"],"action":"SCMP_ACT_NOTIFY"}]}'
	if start_agent esc; then
		sg exec -p "$TMP/notify-esc.json" -- "$PROBE" getppid
		stop_agent
		expect "NOTIFY with escaped metadata" 0 "getppid -> 4242"
		if command -v python3 >/dev/null; then
			m=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["metadata"] == "a\"b\\c\n\x01\u00e9/")' <"$TMP/esc.state" 2>&1)
			[ "$m" = True ] && ok || bad "NOTIFY: escaped metadata: $m: $(cat "$TMP/esc.state")"
		else
			echo "exec: SKIP NOTIFY escaped metadata: no python3"; skip=$((skip + 1))
		fi
	fi

	# sysgate's own calls between the load and the handoff must not wait on
	# the listener it has not handed over yet: either the profile is refused
	# (125, nothing ran) or the command runs. A hang (124) is the failure.
	selfcall() { # selfcall NAME RULE
		n=$((n + 1))
		profile self "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"$TMP/self.sock\",\"syscalls\":[$2]}"
		start_agent self || return
		SG_TIMEOUT=5 sg exec -p "$TMP/self.json" -- "$PROBE" marker:"$TMP/ran-self-$n"
		kill "$agent_pid" 2>/dev/null
		stop_agent
		if [ "$status" -eq 0 ] && [ -e "$TMP/ran-self-$n" ]; then ok
		elif [ "$status" -eq 125 ] && [ ! -e "$TMP/ran-self-$n" ]; then ok
		else bad "NOTIFY of $1, a call sysgate makes itself: exit $status (124: sysgate hung); stderr: $err"; fi
	}
	n=0
	selfcall getpid '{"names":["getpid"],"action":"SCMP_ACT_NOTIFY"}'
	selfcall getcwd '{"names":["getcwd"],"action":"SCMP_ACT_NOTIFY"}'
	selfcall "sendmsg with an argument test" '{"names":["sendmsg"],"action":"SCMP_ACT_NOTIFY","args":[{"index":2,"value":16384,"op":"SCMP_CMP_EQ"}]}'
	selfcall "close with an argument test" '{"names":["close"],"action":"SCMP_ACT_NOTIFY","args":[{"index":0,"value":2,"op":"SCMP_CMP_GT"}]}'
	selfcall "execve with an argument test" '{"names":["execve"],"action":"SCMP_ACT_NOTIFY","args":[{"index":0,"value":0,"op":"SCMP_CMP_NE"}]}'

	# a long listenerMetadata arrives whole, or is refused before anything runs
	long=$(printf '%09000d' 0)
	profile notify-long "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"$TMP/long.sock\",\"listenerMetadata\":\"$long\",\"syscalls\":[{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}"
	if start_agent long "$long"; then
		SG_TIMEOUT=10 sg exec -p "$TMP/notify-long.json" -- "$PROBE" getppid marker:"$TMP/ran-long"
		kill "$agent_pid" 2>/dev/null
		stop_agent
		if [ "$status" -eq 0 ] && grep -qx 'getppid -> 4242' <<<"$out"; then ok
		elif [ "$status" -eq 125 ] && [ ! -e "$TMP/ran-long" ]; then ok
		else bad "NOTIFY with a 9000-byte listenerMetadata: exit $status; stdout: $out; stderr: $(head -n 3 <<<"$err")"; fi
	fi

	# NOTIFY beside TSYNC: sysgate adds TSYNC_ESRCH, the kernel accepts it
	profile notify-tsync "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_TSYNC\"],\"listenerPath\":\"$TMP/ts.sock\",\"syscalls\":[{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}"
	if start_agent ts; then
		sg exec -p "$TMP/notify-tsync.json" -- "$PROBE" thread:getppid
		stop_agent
		expect "NOTIFY with TSYNC" 0 "thread getppid -> 4242" "main alive"
	fi
fi

# ---- a filter for another architecture than this one ---------------------------
# It would kill sysgate's own execve: sysgate must refuse it (126: the command
# could never start) or add the native architecture and run the command, never
# die by SIGSYS (159).
if kernel "--arch of a foreign architecture"; then
	for a in aarch64 x86; do
		sg exec --arch "$a" -p "$TMP/allow.json" -- "$PROBE" marker:"$TMP/ran-arch-$a"
		if [ "$status" -eq 0 ] && [ -e "$TMP/ran-arch-$a" ]; then ok
		elif [ "$status" -eq 126 ] && [ ! -e "$TMP/ran-arch-$a" ] && grep -q 'bad-arch action' <<<"$err"; then ok
		else bad "exec --arch $a on x86_64: exit $status, want 126 (or 0); stderr: $err"; fi
	done
fi

# ---- the embedded default and precompiled filters --------------------------------
if kernel "the embedded default"; then
	sg exec -- "$PROBE" getppid uname
	if [ "$status" -eq 0 ] && grep -qE '^getppid -> [1-9][0-9]*$' <<<"$out" && grep -qx 'uname -> 0' <<<"$out"; then ok
	else bad "embedded default: exit $status: $out $err"; fi
	# Docker's default allows personality 0, 8, 0x20000, 0x20008 and 0xffffffff only
	sg exec -- "$PROBE" personality:1
	expect "embedded default: personality(1)" 0 "personality -> -1 errno 1"
	sg exec -- "$PROBE" personality:ffffffff
	grep -qE '^personality -> [0-9]+$' <<<"$out" && ok || bad "embedded default: personality(0xffffffff): $out $err"
	# argument widths and the ENOSYS stub under the embedded default (Docker's): the
	# kernel reads socket's family as an int, personality's as an unsigned int
	sg exec -- "$PROBE" socket:40 socket:0x100000028 socket:0x100000026 socket:1 \
		personality:ffffffff personality:1ffffffff syscall:103 syscall:400 syscall:471 syscall:1000
	expect "embedded default: widths and ENOSYS" 0 "socket -> -1 errno 1" "syscall -> -1 errno 1" \
		"syscall -> -1 errno 38"
	[ "$(grep -c '^socket -> -1 errno 1$' <<<"$out")" = 3 ] && ok || bad "embedded default: socket 40, (1<<32)|40, (1<<32)|38 refused: $out"
	grep -qE '^socket -> [0-9]+$' <<<"$out" && ok || bad "embedded default: socket(AF_UNIX): $out"
	[ "$(grep -cE '^personality -> [0-9]+$' <<<"$out")" = 2 ] && ok || bad "embedded default: both personality queries: $out"
	[ "$(grep -c '^syscall -> -1 errno 38$' <<<"$out")" = 3 ] && ok || bad "embedded default: 400, 471, 1000 ENOSYS: $out"
	# the opt-outs: runc's filter
	sg exec --enosys off -- "$PROBE" syscall:471
	expect "embedded default --enosys off: 471" 0 "syscall -> -1 errno 1"
	sg exec --arg-width 64 -- "$PROBE" socket:0x100000028 personality:1ffffffff
	expect "embedded default --arg-width 64" 0 "personality -> -1 errno 1"
	grep -E '^socket -> ' <<<"$out" | grep -qv 'errno 1$' && ok || bad "--arg-width 64: socket((1<<32)|40) must pass the filter: $out"
	# the embedded default compiled on the spot (--kernel makes exec compile) behaves the same
	sg exec --kernel 6.18 -- "$PROBE" personality:1 getppid
	if [ "$status" -eq 0 ] && grep -qx 'personality -> -1 errno 1' <<<"$out" && grep -qE '^getppid -> [1-9]' <<<"$out"; then ok
	else bad "embedded default compiled: exit $status: $out $err"; fi

	sg compile "$TMP/errno.json" -o "$TMP/errno.bpf"
	[ "$status" -eq 0 ] && ok || bad "compile errno.json: $err"
	sg exec --bpf "$TMP/errno.bpf" -- "$PROBE" getppid getpid
	expect "--bpf from sysgate compile" 0 "getppid -> -1 errno 42"
	# the precompiled default, loaded as a raw filter
	$SYSGATE default --bpf >"$TMP/default.bpf" 2>/dev/null
	sg exec --bpf "$TMP/default.bpf" -- "$PROBE" personality:1 uname
	expect "--bpf from sysgate default --bpf" 0 "personality -> -1 errno 1" "uname -> 0"
fi

# ---- exit statuses ---------------------------------------------------------------
# (a profile that leaves getppid alone: an ASan sysgate exiting after the load
# runs LeakSanitizer, which needs getppid)
sg exec -p "$TMP/allow.json" -- "$TMP/no-such-command"
expect "missing command (a path)" 127
sg exec -p "$TMP/allow.json" -- no-such-command-sysgate-test
expect "missing command (PATH)" 127
printf '#!/bin/sh\nexit 0\n' >"$TMP/noexec"
chmod 644 "$TMP/noexec"
mkdir -p "$TMP/bin"
cp "$TMP/noexec" "$TMP/bin/sgt-noexec"
PATH=$TMP/bin:$PATH sg exec -p "$TMP/allow.json" -- sgt-noexec
expect "non-executable file (PATH)" 126
if kernel "the command's own exit status"; then
	# a command named by a path is only tried by execve, after the load
	sg exec -p "$TMP/allow.json" -- "$TMP/noexec"
	expect "non-executable file (a path)" 126
	sg exec -p "$TMP/allow.json" -- sh -c 'exit 7'
	expect "sh -c 'exit 7'" 7
	sg exec -p "$TMP/allow.json" -- "$TMP"
	expect "a directory as the command" 126
fi
sg exec -p "$TMP/allow.json"
expect "no command" 125
sg exec -p "$TMP/allow.json" --bpf "$TMP/allow.json" -- "$PROBE"
expect "-p and --bpf together" 125

# ---- fail closed: exit 125 and the command never runs ------------------------------
n=0
# closed NAME GREP ARGS...: sysgate ARGS -- probe marker:FILE must exit 125,
# leave no marker and say GREP (a regex) on stderr; closed_with STATUS NAME
# GREP ARGS... wants STATUS instead
closed_with() {
	local want=$1 name=$2 re=$3
	shift 3
	n=$((n + 1))
	sg "$@" -- "$PROBE" marker:"$TMP/ran-$n"
	if [ "$status" -ne "$want" ]; then
		bad "fail-closed $name: exit $status, want $want (124: sysgate hung); stdout: $out; stderr: $err"
	elif [ -e "$TMP/ran-$n" ]; then
		bad "fail-closed $name: the command ran"
	elif ! grep -qE -- "$re" <<<"$err"; then
		bad "fail-closed $name: stderr does not match '$re': $err"
	else
		ok
	fi
}
closed() { closed_with 125 "$@"; }

head -c 60 "$TMP/errno.json" >"$TMP/truncated.json"
closed "truncated JSON" 'truncated\.json:1:' exec -p "$TMP/truncated.json"
closed "missing profile" 'nope\.json' exec -p "$TMP/nope.json"
profile badarch '{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_VAX"]}'
closed "unknown architecture" 'unknown architecture' exec -p "$TMP/badarch.json"
profile badact '{"defaultAction":"SCMP_ACT_ALOW"}'
closed "unknown action" 'SCMP_ACT_ALOW' exec -p "$TMP/badact.json"

# a filter over 4096 instructions: thousands of distinct argument rules
{
	printf '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":['
	sep=
	for i in $(seq 1 3000); do
		printf '%s{"names":["personality"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":%d,"op":"SCMP_CMP_EQ"}]}' "$sep" $((i * 7919))
		sep=,
	done
	printf ']}\n'
} >"$TMP/huge.json"
closed "over 4096 instructions" 'filter is [0-9]+ instructions; the kernel accepts at most 4096' exec -p "$TMP/huge.json"

profile nolisten "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"$TMP/nobody.sock\",\"syscalls\":[{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}"
closed "NOTIFY, nobody listens" 'nobody\.sock' exec -p "$TMP/nolisten.json"
# a socket file that nobody listens on any more
if command -v python3 >/dev/null; then
	python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$TMP/nobody.sock"
	closed "NOTIFY, stale socket" 'nobody\.sock.*refused' exec -p "$TMP/nolisten.json"
fi
profile longpath "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"$TMP/$(printf '%0120d' 0).sock\",\"syscalls\":[{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}"
closed "NOTIFY, listenerPath too long for a socket" 'too long' exec -p "$TMP/longpath.json"
profile nopath '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["getppid"],"action":"SCMP_ACT_NOTIFY"}]}'
closed "NOTIFY without listenerPath" 'listenerPath' exec -p "$TMP/nopath.json"
profile notify-own "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"$TMP/nobody.sock\",\"syscalls\":[{\"names\":[\"sendmsg\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}"
closed "NOTIFY of sysgate's own sendmsg" 'sendmsg' exec -p "$TMP/notify-own.json"
profile notify-default '{"defaultAction":"SCMP_ACT_NOTIFY","listenerPath":"/nonexistent"}'
closed "NOTIFY as the default action" 'NOTIFY' exec -p "$TMP/notify-default.json"

printf 'abc' >"$TMP/three.bpf"
closed "--bpf of 3 bytes" 'three\.bpf.*3 bytes' exec --bpf "$TMP/three.bpf"
: >"$TMP/empty.bpf"
closed "--bpf of 0 bytes" 'empty\.bpf' exec --bpf "$TMP/empty.bpf"
printf '\x06\x00\x00\x00\x00\x00\xff\x7f\x00\x00\x00\x00\x00\x00\x00\x00' >"$TMP/bad.bpf" # RET ALLOW, then code 0 (LD W ABS 0) at the end
closed "--bpf the kernel would refuse" 'refuse' exec --bpf "$TMP/bad.bpf"
$SYSGATE compile "$TMP/nopath.json" -o "$TMP/notify.bpf" >/dev/null 2>&1
closed "--bpf of a filter that notifies" 'listenerPath' exec --bpf "$TMP/notify.bpf"
closed "--bad-arch SCMP_ACT_ALLOW" 'bad-arch' exec --bad-arch SCMP_ACT_ALLOW -p "$TMP/errno.json"
closed "--bad-arch SCMP_ACT_LOG" 'bad-arch' exec --bad-arch SCMP_ACT_LOG
closed "--bad-arch SCMP_ACT_ERRNO:99999" 'bad-arch' exec --bad-arch SCMP_ACT_ERRNO:99999
closed "--kernel nonsense" 'kernel' exec --kernel nonsense
closed "--arch nonsense" 'nonsense' exec --arch nonsense

# ---- sysgate's own calls: a command that could never start, a process that could never end
# Before loading, sysgate asks the filter what it answers to the calls it still
# makes itself: the execve of the command, exit_group and exit, write. Refused
# execve: 126; refused exit_group and exit: 125; the deciding rule named,
# nothing loaded, nothing run, at once (SG_TIMEOUT: a hang is 124). Once the
# filter is in place, sysgate ends by the exit call the filter lets through and
# prints nothing if printing could kill it. Run with the glibc build and the
# static musl one (whose _Exit retries a refused exit forever).
own_calls() { # own_calls LABEL: with $SYSGATE
	local l=$1 fast=1
	[ "$VALGRIND" = 1 ] && fast=30
	if [ -f "$SHARED/corpus/docker-labs-deny-empty-syscalls.json" ]; then
		SG_TIMEOUT=$fast closed_with 126 "$l: deny-all corpus profile" \
			'could never start: the filter answers execve on [a-z0-9_]+ with SCMP_ACT_ERRNO\(1\) \(decided by .*docker-labs-deny-empty-syscalls\.json:2:[0-9]+ /defaultAction, the default action\); nothing loaded' \
			exec -p "$SHARED/corpus/docker-labs-deny-empty-syscalls.json"
	else
		echo "exec: SKIP $l: deny-all corpus profile: no $SHARED/corpus"; skip=$((skip + 1))
	fi
	SG_TIMEOUT=$fast closed_with 126 "$l: deny-all profile" 'deny-all\.json:1:[0-9]+ /defaultAction' exec -p "$TMP/deny-all.json"
	$SYSGATE compile "$TMP/deny-all.json" -o "$TMP/deny-all.bpf" >/dev/null 2>&1
	SG_TIMEOUT=$fast closed_with 126 "$l: deny-all as --bpf" \
		'could never start: the filter answers execve on [a-z0-9_]+ with SCMP_ACT_ERRNO\(1\); nothing loaded' \
		exec --bpf "$TMP/deny-all.bpf"
	SG_TIMEOUT=$fast closed_with 126 "$l: execve refused" \
		'answers execve on [a-z0-9_]+ with SCMP_ACT_ERRNO\(13\) \(decided by .*deny-execve\.json:1:[0-9]+ /syscalls/0\)' \
		exec -p "$TMP/deny-execve.json"
	SG_TIMEOUT=$fast closed_with 126 "$l: execve answered with ERRNO(0)" \
		'SCMP_ACT_ERRNO\(0\).*execve would return 0 without running anything' exec -p "$TMP/execve-errno0.json"
	grep -q Success <<<"$err" && bad "$l: ERRNO(0) on execve reported as Success: $err"
	SG_TIMEOUT=$fast closed_with 126 "$l: execve killed" 'SCMP_ACT_KILL_PROCESS.*/syscalls/0.*kill sysgate' \
		exec -p "$TMP/kill-execve.json"
	SG_TIMEOUT=$fast closed_with 126 "$l: execve traced, no tracer" 'SCMP_ACT_TRACE.*no tracer' exec -p "$TMP/trace-execve.json"
	SG_TIMEOUT=$fast closed_with 125 "$l: exit_group and exit refused" \
		'could ever end: it answers exit_group\(125\) on [a-z0-9_]+ with SCMP_ACT_ERRNO\(1\) \(decided by .*deny-exit\.json:1:[0-9]+ /syscalls/0\) and exit\(125\)' \
		exec -p "$TMP/deny-exit.json"
	SG_TIMEOUT=$fast closed_with 125 "$l: exit refused only for sysgate's status 127" 'exit_group\(127\)' \
		exec -p "$TMP/deny-exit-127.json"
	SG_TIMEOUT=$fast closed_with 125 "$l: execve decided by an argument execve does not have" \
		'own execve .* depends on args\[4\], which sysgate cannot know' exec -p "$TMP/execve-arg4.json"
	kernel "$l: after the load" || return
	# the command fails after the load (its interpreter is missing: 127): sysgate
	# ends by exit, the call the filter lets through, never by a killed exit_group
	sg exec -p "$TMP/kill-exit-group.json" -- "$TMP/bad-interp"
	if [ "$status" -eq 127 ] && grep -q 'bad-interp: No such file or directory' <<<"$err"; then ok
	else bad "$l: exit_group killed, exec fails: exit $status, want 127; stderr: $err"; fi
	sg exec -p "$TMP/errno-exit-group.json" -- "$TMP/bad-interp"
	expect "$l: exit_group refused, exec fails" 127
	# printing could kill sysgate: it says nothing, and still ends with 127
	sg exec -p "$TMP/kill-write.json" -- "$TMP/bad-interp"
	if [ "$status" -eq 127 ] && [ -z "$err" ]; then ok
	else bad "$l: write killed, exec fails: exit $status, want 127 and no message; stderr: $err"; fi
	# a script without #! runs under /bin/sh, as execvp and env(1) run it
	sg exec -p "$TMP/allow.json" -- "$TMP/no-shebang" one 'two words'
	expect "$l: a script without #!" 3 "no-shebang $TMP/no-shebang: one|two words"
}
profile deny-all '{"defaultAction":"SCMP_ACT_ERRNO"}'
profile deny-execve '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["execve"],"action":"SCMP_ACT_ERRNO","errnoRet":13}]}'
rule execve-errno0 SCMP_ACT_ERRNO '"errnoRet":0' '"execve"'
rule kill-execve SCMP_ACT_KILL_PROCESS '' '"execve"'
rule trace-execve SCMP_ACT_TRACE '' '"execve"'
rule deny-exit SCMP_ACT_ERRNO '' '"exit_group","exit"'
rule deny-exit-127 SCMP_ACT_ERRNO '"args":[{"index":0,"value":127,"op":"SCMP_CMP_EQ"}]' '"exit_group","exit"'
rule execve-arg4 SCMP_ACT_ERRNO '"args":[{"index":4,"value":0,"op":"SCMP_CMP_EQ"}]' '"execve"'
rule kill-exit-group SCMP_ACT_KILL_PROCESS '' '"exit_group"'
rule errno-exit-group SCMP_ACT_ERRNO '' '"exit_group"'
rule kill-write SCMP_ACT_KILL_PROCESS '' '"write","writev"'
printf '#!/nonexistent/interpreter\n' >"$TMP/bad-interp"
printf 'echo "no-shebang $0: $1|$2"\nexit 3\n' >"$TMP/no-shebang"
chmod +x "$TMP/bad-interp" "$TMP/no-shebang"

own_calls "$(basename "${SYSGATE##* }")"
# the static build, when `make static` made it from these sources (or SYSGATE_STATIC names one)
STATIC=${SYSGATE_STATIC:-$BDIR/sysgate-static}
if [ ! -x "$STATIC" ]; then
	echo "exec: SKIP the static build's own calls: no $STATIC (make static)"; skip=$((skip + 1))
elif [ -z "${SYSGATE_STATIC:-}" ] && [ -n "$(find "$ROOT/src" "$ROOT/include" -newer "$STATIC" -print -quit)" ]; then
	echo "exec: SKIP the static build's own calls: $STATIC is older than the sources (make static)"; skip=$((skip + 1))
else
	saved=$SYSGATE
	SYSGATE=$STATIC
	own_calls "$(basename "$STATIC")"
	SYSGATE=$saved
fi

# a refused load runs nothing: under valgrind seccomp(2) fails with ENOSYS
if [ "$VALGRIND" = 1 ]; then
	closed "load refused (valgrind: ENOSYS), a profile" 'seccomp' exec -p "$TMP/errno.json"
	closed "load refused (valgrind: ENOSYS), the embedded default" 'seccomp' exec
fi

echo "exec: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
