#!/usr/bin/env bash
# `make install` into a staging directory (DESTDIR) and what it installs:
# the layout, modes and symlinks; the shared library's SONAME and exports;
# sysgate.pc; a C++ program (tests/cxx_client.cc) built with pkg-config's
# flags against the installed tree, linked shared and static, and run; each
# public header compiled alone as C++; the man page linted (groff, mandoc)
# and naming every command and option the help lists; the bash completion
# sourced and asked for candidates. A second install checks that every
# directory variable is honoured.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
MAKE=${MAKE:-make}
CXX=${CXX:-g++}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0 fail=0 skip=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
skipped() { skip=$((skip + 1)); echo "install: SKIP $*"; }

D=$TMP/root
if ! $MAKE -j2 -C "$ROOT" --no-print-directory BUILD="$BUILD" install DESTDIR="$D" PREFIX=/usr >"$TMP/make.log" 2>&1; then
	cat "$TMP/make.log" >&2
	echo "install: make install failed"
	exit 1
fi
VERSION=$(sed -n 's/^#define SYSGATE_VERSION "\(.*\)"$/\1/p' "$ROOT/include/sysgate/version.h")
MAJOR=${VERSION%%.*}
LIB=$D/usr/lib

# ---- layout: files, modes, symlinks ------------------------------------------
# mode FILE MODE
mode() {
	if [ -f "$1" ] && [ ! -L "$1" ] && [ "$(stat -c %a "$1")" = "$2" ]; then ok
	else bad "$1: not a file of mode $2 ($(stat -c '%F %a' "$1" 2>&1))"; fi
}
mode "$D/usr/bin/sysgate" 755
mode "$LIB/libsysgate.a" 644
mode "$LIB/libsysgate.so.$VERSION" 755
mode "$LIB/pkgconfig/sysgate.pc" 644
mode "$D/usr/share/man/man1/sysgate.1" 644
mode "$D/usr/share/bash-completion/completions/sysgate" 644
[ "$(readlink "$LIB/libsysgate.so.$MAJOR")" = "libsysgate.so.$VERSION" ] && ok ||
	bad "libsysgate.so.$MAJOR -> $(readlink "$LIB/libsysgate.so.$MAJOR")"
[ "$(readlink "$LIB/libsysgate.so")" = "libsysgate.so.$MAJOR" ] && ok || bad "libsysgate.so -> $(readlink "$LIB/libsysgate.so")"
for h in "$ROOT"/include/sysgate/*.h; do
	mode "$D/usr/include/sysgate/${h##*/}" 644
	cmp -s "$h" "$D/usr/include/sysgate/${h##*/}" || bad "${h##*/} differs from include/sysgate/"
done
[ "$(ls "$D/usr/include/sysgate" | wc -l)" -eq "$(ls "$ROOT"/include/sysgate/*.h | wc -l)" ] && ok ||
	bad "the installed headers are not include/sysgate/*.h"
cmp -s "$ROOT/$BUILD/sysgate" "$D/usr/bin/sysgate" && "$D/usr/bin/sysgate" --version | grep -qx "sysgate $VERSION" && ok ||
	bad "the installed binary is not $BUILD/sysgate, version $VERSION"

# ---- the shared library: SONAME, what it needs, what it exports --------------
readelf -d "$LIB/libsysgate.so.$VERSION" >"$TMP/dyn"
grep -q "(SONAME).*\[libsysgate.so.$MAJOR\]" "$TMP/dyn" && ok || bad "SONAME: $(grep SONAME "$TMP/dyn")"
[ "$(grep '(NEEDED)' "$TMP/dyn" | grep -vEc 'libc\.so|libyaml-0\.so')" -eq 0 ] && ok || bad "needs more than libc and libyaml: $(grep NEEDED "$TMP/dyn")"
nm -D --defined-only "$LIB/libsysgate.so.$VERSION" | awk '{ print $3 }' >"$TMP/exports"
if grep -qx sg_compile "$TMP/exports" && grep -qx sg_profile_parse "$TMP/exports" && grep -qx sg_name_pool "$TMP/exports" &&
	! grep -qv '^sg_' "$TMP/exports"; then ok
else bad "exports: $(grep -v '^sg_' "$TMP/exports" | head -5 | tr '\n' ' ') ($(wc -l <"$TMP/exports") symbols)"; fi

# ---- sysgate.pc, read through the staging directory ---------------------------
grep -qx 'prefix=/usr' "$LIB/pkgconfig/sysgate.pc" && grep -qx 'libdir=${prefix}/lib' "$LIB/pkgconfig/sysgate.pc" &&
	grep -qx 'includedir=${prefix}/include' "$LIB/pkgconfig/sysgate.pc" && ok ||
	bad "sysgate.pc's directories: $(cat "$LIB/pkgconfig/sysgate.pc")"
# the installed tree first, then the system's own .pc files (libyaml's yaml-0.1)
SYSPC=$(pkg-config --variable pc_path pkg-config)
pc() { PKG_CONFIG_LIBDIR=$LIB/pkgconfig:$SYSPC PKG_CONFIG_SYSROOT_DIR=$D pkg-config "$@" sysgate; }
[ "$(pc --modversion)" = "$VERSION" ] && ok || bad "pkg-config --modversion: $(pc --modversion 2>&1)"
[ "$(pc --cflags --libs | xargs)" = "-I$D/usr/include -L$LIB -lsysgate" ] && ok || bad "pkg-config: $(pc --cflags --libs 2>&1)"

# ---- a C++ client, built against the installed tree ---------------------------
CXXFLAGS="-std=c++11 -Wall -Wextra -Werror -pedantic"
expect_out="cxx_client: [1-9][0-9]* instructions, [1-9][0-9]* raw bytes; read allowed, getpid ENOSYS, socket EPERM"
# shellcheck disable=SC2046,SC2086  # the flags are words
if $CXX $CXXFLAGS -o "$TMP/client" "$ROOT/tests/cxx_client.cc" $(pc --cflags --libs) 2>"$TMP/cxx.err"; then
	readelf -d "$TMP/client" | grep -q '(NEEDED).*\[libsysgate.so.'"$MAJOR"'\]' && ok || bad "the shared client does not need libsysgate.so.$MAJOR"
	out=$(LD_LIBRARY_PATH=$LIB "$TMP/client" 2>&1)
	[ $? -eq 0 ] && grep -qx "$expect_out" <<<"$out" && ok || bad "the shared client: $out"
	LD_LIBRARY_PATH=$LIB ldd "$TMP/client" | grep -q "libsysgate.so.$MAJOR => $LIB/libsysgate.so.$MAJOR" && ok ||
		bad "the shared client does not load $LIB/libsysgate.so.$MAJOR"
else
	bad "the C++ client does not build against the installed tree: $(cat "$TMP/cxx.err")"
fi
# shellcheck disable=SC2046,SC2086
if $CXX $CXXFLAGS -static -o "$TMP/client-static" "$ROOT/tests/cxx_client.cc" $(pc --static --cflags --libs) 2>"$TMP/cxx.err"; then
	readelf -d "$TMP/client-static" | grep -q 'no dynamic section' && ok || bad "the static client is dynamic"
	out=$("$TMP/client-static" 2>&1)
	[ $? -eq 0 ] && grep -qx "$expect_out" <<<"$out" && ok || bad "the static client: $out"
else
	bad "the C++ client does not link statically: $(cat "$TMP/cxx.err")"
fi

# ---- each public header alone, as C++ (extern "C", nothing C-only) -------------
for h in "$D"/usr/include/sysgate/*.h; do
	[ "$(grep -c '^extern "C" {$' "$h")" = 1 ] && [ "$(grep -c '^#ifdef __cplusplus$' "$h")" = 2 ] && ok ||
		bad "${h##*/}: not wrapped in extern \"C\" for C++"
	# shellcheck disable=SC2086
	if echo "#include <sysgate/${h##*/}>" | $CXX $CXXFLAGS -fsyntax-only -x c++ -I"$D/usr/include" - 2>"$TMP/h.err"; then ok
	else bad "${h##*/} as C++: $(head -3 "$TMP/h.err")"; fi
done

# ---- the man page ----------------------------------------------------------------
MAN=$D/usr/share/man/man1/sysgate.1
if command -v man >/dev/null; then
	warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man -l --warnings "$MAN" 2>&1 >/dev/null)
	[ -z "$warnings" ] && ok || bad "groff warnings: $warnings"
else
	skipped "man: not installed"
fi
if command -v mandoc >/dev/null; then
	lint=$(mandoc -T lint "$MAN" 2>&1)
	[ $? -eq 0 ] && [ -z "$lint" ] && ok || bad "mandoc -T lint: $lint"
else
	skipped "mandoc: not installed"
fi
grep -q "^\.TH SYSGATE 1 [0-9-]* \"sysgate $VERSION\"" "$MAN" && ok || bad "the man page's .TH does not say sysgate $VERSION"
# every command has a section, every option its help lists is named
SG=$D/usr/bin/sysgate
commands=$("$SG" --help | awk '/^commands:/ { c = 1; next } /^$/ { c = 0 } c && /^  [a-z]/ { print $1 }')
[ "$(wc -w <<<"$commands")" -ge 16 ] && ok || bad "sysgate --help lists $(wc -w <<<"$commands") commands"
# (the completion reads a command's options from its help)
source "$D/usr/share/bash-completion/completions/sysgate"
missing=0 options=0
for c in $commands; do
	grep -qF ".SS \"${c//-/\\-} " "$MAN" || { bad "the man page has no section for $c"; missing=1; }
	for o in $(_sysgate_options "$SG" "$c"); do
		options=$((options + 1))
		grep -qF -- "${o//-/\\-}" "$MAN" || { bad "the man page does not name $c's option $o"; missing=1; }
	done
done
[ "$missing" = 0 ] && [ "$options" -gt 100 ] && ok || bad "the man page against the help: $options options"

# ---- the bash completion -----------------------------------------------------------
bash -n "$D/usr/share/bash-completion/completions/sysgate" && ok || bad "the completion does not parse"
complete -p sysgate 2>/dev/null | grep -q -- '-F _sysgate sysgate$' && ok || bad "no completion registered for sysgate"
# candidates "WORDS": the command line after sysgate, completed at its end
# (a trailing blank: a new, empty word); prints the candidates sorted, one a line
candidates() {
	local -a w
	read -ra w <<<"$1"
	[[ -z $1 || $1 == *' ' ]] && w+=("")
	COMP_WORDS=("$SG" "${w[@]}")
	COMP_CWORD=${#w[@]}
	COMPREPLY=()
	_sysgate
	printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort
}
# is "WORDS" EXPECTED: the candidates, space-separated and sorted
is() {
	local got
	got=$(candidates "$1" | xargs)
	[ "$got" = "$2" ] && ok || bad "completing \"sysgate $1\": \"$got\", not \"$2\""
}
has() {
	candidates "$1" | grep -qx -- "$2" && ok || bad "completing \"sysgate $1\": no $2 among $(candidates "$1" | xargs | cut -c1-200)"
}
cd "$TMP" || exit 1
printf '{"defaultAction": "SCMP_ACT_ALLOW"}\n' >profile.json
is 'ch' 'check'
is 'de' 'decompile default'
[ "$(candidates '' | grep -vc -- '^-')" -eq $(($(wc -w <<<"$commands") + 1)) ] && ok || bad "not every command offered: $(candidates '' | xargs)"
is 'compile --fo' '--format'
is 'compile --format ' 'base64 c hex raw'
is 'record --format ' 'oci spo'
is 'decompile --' '--arch --format --help --name --output'
is 'lint --fail-on w' 'warning'
is 'check --arch aa' 'aarch64'
is 'check --arch = SCMP_ARCH_X86' 'SCMP_ARCH_X86 SCMP_ARCH_X86_64'
[ "$(candidates 'check --arch ' | wc -l)" -eq 36 ] && ok || bad "--arch: $(candidates 'check --arch ' | wc -l) candidates, not 18 names twice"
has 'resolve --arch ' 'all'
is 'check prof' 'profile.json'
is 'compile -o prof' 'profile.json'
is 'explain profile.json getpp' 'getppid'
is 'explain --arch aarch64 profile.json readl' 'readlinkat'
is 'explain --arch x86_64 profile.json readl' 'readlink readlinkat'
is 'exec --flags tsync,sp' 'tsync,spec_allow'
is 'record --args socketp' 'socketpair'
has 'exec -p profile.json -- tru' 'true'
has 'dump ' "$$"
is 'help st' 'stats'

# ---- every directory variable honoured ------------------------------------------------
D2=$TMP/custom
if $MAKE -C "$ROOT" --no-print-directory BUILD="$BUILD" install DESTDIR="$D2" PREFIX=/opt/sg BINDIR=/opt/sg/sbin \
	LIBDIR=/opt/sg/lib64 INCDIR=/opt/sg/inc MANDIR=/opt/man PKGCONFIGDIR=/opt/pc BASHCOMPDIR=/opt/bc >"$TMP/make.log" 2>&1; then
	for f in opt/sg/sbin/sysgate opt/sg/lib64/libsysgate.a "opt/sg/lib64/libsysgate.so.$VERSION" opt/sg/lib64/libsysgate.so \
		opt/sg/inc/sysgate/seccomp.h opt/man/man1/sysgate.1 opt/pc/sysgate.pc opt/bc/sysgate; do
		[ -e "$D2/$f" ] && ok || bad "PREFIX=/opt/sg ...: no /$f"
	done
	grep -qx 'libdir=${prefix}/lib64' "$D2/opt/pc/sysgate.pc" && grep -qx 'includedir=${prefix}/inc' "$D2/opt/pc/sysgate.pc" &&
		ok || bad "sysgate.pc under /opt/sg: $(cat "$D2/opt/pc/sysgate.pc")"
	[ "$(find "$D2" -type f | wc -l)" -eq "$(find "$D" -type f | wc -l)" ] && ok || bad "the two installs hold different numbers of files"
else
	bad "make install with every directory set failed: $(tail -5 "$TMP/make.log")"
fi

echo "install: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
