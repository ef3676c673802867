#!/usr/bin/env bash
# The static binary in a scratch root: an empty directory holding only the
# static sysgate, a static test program and a profile, entered with chroot,
# as in a FROM scratch container image. Needs root (skips otherwise).
set -u
BUILD=${BUILD:-build}
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

size=$(stat -c %s "$BUILD/sysgate-static")
# the documented limit: 200,000 bytes stripped (194,648 when the help texts
# were packed and the binary got its own allocator and qsort; the authoring
# loop had taken it to 229,912)
limit=200000
if [ "$size" -le "$limit" ]; then ok; else bad "sysgate-static is $size bytes stripped, over $limit bytes"; fi
echo "scratch: sysgate-static is $size bytes"
# a dynamically linked binary names its loader in a PT_INTERP header
if ! headers=$(readelf -l "$BUILD/sysgate-static"); then bad "readelf failed on sysgate-static"
elif grep -q INTERP <<<"$headers"; then bad "sysgate-static is dynamically linked"; else ok; fi

if [ "$(id -u)" != 0 ] || ! command -v chroot >/dev/null; then
	echo "scratch: SKIP the chroot test: it needs root"
	skip=1
else
	root=$(mktemp -d)
	trap 'rm -rf "$root"' EXIT
	mkdir "$root/tmp"
	cp "$BUILD/sysgate-static" "$root/sysgate"
	cp "$BUILD/demo-static" "$root/demo"
	printf '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["uname"],"action":"SCMP_ACT_ERRNO","errnoRet":13}]}\n' >"$root/profile.json"
	[ "$(find "$root" -type f | wc -l)" -eq 3 ] && ok || bad "the scratch root holds more than three files"

	out=$(chroot "$root" /sysgate exec -- /demo 2>&1)
	status=$?
	if [ "$status" -eq 0 ] && grep -q '^ok: *fork a child' <<<"$out" && grep -q '^blocked: mount a tmpfs -> EPERM' <<<"$out"; then ok
	else bad "embedded default in the scratch root: exit $status: $out"; fi

	out=$(chroot "$root" /sysgate exec -p /profile.json -- /demo 2>&1)
	if grep -q 'UNEXPECTED: uname failed: Permission denied' <<<"$out"; then ok
	else bad "profile in the scratch root: uname should fail with errno 13: $out"; fi

	out=$(chroot "$root" /sysgate exec -p /missing.json -- /demo 2>&1)
	status=$?
	[ "$status" -eq 125 ] && ! grep -q '^ok:' <<<"$out" && ok || bad "missing profile must exit 125 without running: $status $out"
fi
echo "scratch: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
