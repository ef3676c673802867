#!/usr/bin/env bash
# Size limits that keep the library readable: no function in src/ over 80
# lines (signature to closing brace), no source file over 800 lines.
# Functions are found by their layout: a body opens with "{" and closes with
# "}" in column 0, as every function in src/ is written.
set -u
cd "$(dirname "$0")/.."
fail=0
for f in src/*.c src/*.h src/cli/*.c src/cli/*.h; do
	[ -f "$f" ] || continue
	lines=$(wc -l < "$f")
	if [ "$lines" -gt 800 ]; then
		echo "style: $f has $lines lines (at most 800)"
		fail=1
	fi
	out=$(awk -v file="$f" '
		/^[A-Za-z_].*\(/ && !/;[[:space:]]*$/ { sig = NR; name = $0 }
		/^\{/ { start = sig ? sig : NR }
		/^\}/ && start {
			n = NR - start + 1
			if (n > 80) { sub(/\(.*/, "", name); printf "style: %s:%d: %s is %d lines (at most 80)\n", file, start, name, n }
			start = 0; sig = 0
		}' "$f")
	if [ -n "$out" ]; then
		echo "$out"
		fail=1
	fi
done
[ $fail = 0 ] && echo "style: every function in src/ within 80 lines, every file within 800"
exit $fail
