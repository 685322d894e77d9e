#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Put the supported-kernels table of a test run (build/matrix.md, which
# scripts/check.sh writes) into docs/kernels.md, between its two marker
# comments.  A kernel the run tested gets the run's row; one it did not
# test (make check tests Debian 12's two, make check-matrix the others)
# keeps the row the document has; rows follow scripts/kernels.conf, and a
# kernel no longer listed there is dropped.
#
#   scripts/kernels-doc.sh [MATRIX.md [KERNELS.md]]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

table=${1:-$MEMLENS_BUILD/matrix.md}
doc=${2:-$MEMLENS_TOP/docs/kernels.md}
begin='<!-- kernels: begin -->'
end='<!-- kernels: end -->'

[ -s "$table" ] || die "no $table: make check or make check-matrix writes it"
[ "$(grep -cxF -e "$begin" -e "$end" "$doc")" = 2 ] ||
	die "$doc: no '$begin' and '$end' lines to put the table between"

tmp=$(mktemp "$doc.XXXXXX")
trap 'rm -f "$tmp"' EXIT
awk -v begin="$begin" -v end="$end" -v names="$(kernel_names | tr '\n' ' ')" '
	function name(row, f) { split(row, f, "|"); gsub(/ /, "", f[2]); return f[2] }
	function is_head(row) { return row ~ /^\| kernel \|/ || row ~ /^\|---/ }
	BEGIN { n = split(names, order, " ") }
	FNR == NR {
		if (is_head($0)) head = head $0 "\n"
		else if ($0 ~ /^\|/) fresh[name($0)] = $0
		next
	}
	$0 == begin { print; print ""; inside = 1; next }
	$0 == end {
		printf "%s", head != "" ? head : oldhead
		for (i = 1; i <= n; i++) {
			if (order[i] in fresh) print fresh[order[i]]
			else if (order[i] in old) print old[order[i]]
		}
		print ""
		inside = 0
	}
	inside {
		if (is_head($0)) oldhead = oldhead $0 "\n"
		else if ($0 ~ /^\|/) old[name($0)] = $0
		next
	}
	{ print }
' "$table" "$doc" >"$tmp"
if cmp -s "$tmp" "$doc"; then
	exit 0
fi
chmod --reference="$doc" "$tmp"
mv "$tmp" "$doc"
trap - EXIT
