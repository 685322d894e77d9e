#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run memlens selftests in the VM, as kselftest's runner does: TAP on
# stdout, each test's own output indented under "# ", a test's exit status
# 0 pass, 4 skip, anything else fail.  The last line sums the individual
# test cases of every program ("# Totals:" lines) for scripts/check.sh.
#
#   run.sh [TEST...]     (default: every test in tests.list)
cd "$(dirname "$0")" || exit 1
tests="$*"
[ -n "$tests" ] || tests=$(cat tests.list)
# SELFTEST_TIMEOUT overrides settings: the debug kernel is slower
timeout=${SELFTEST_TIMEOUT:-$(sed -n 's/^timeout=//p' settings)}

pass=0 fail=0 skip=0 n=0
set -- $tests
echo "TAP version 13"
echo "1..$#"
for t in $tests; do
	n=$((n + 1))
	log=/tmp/selftest.$t.log
	echo "# selftests: memlens: $t"
	t0=$(date +%s)
	{ timeout -s KILL "${timeout:-300}" "./$t"; echo $? >"$log.rc"; } 2>&1 |
		tee "$log" | awk '{ print "# " $0; fflush() }'
	rc=$(cat "$log.rc")
	echo "# $t took $(($(date +%s) - t0)) s"
	totals=$(grep '^# Totals:' "$log" | tail -n 1)
	if [ -n "$totals" ]; then
		p=$(echo "$totals" | sed 's/.*Totals: pass:\([0-9]*\).*/\1/')
		f=$(echo "$totals" | sed 's/.* fail:\([0-9]*\).*/\1/')
		s=$(echo "$totals" | sed 's/.*skip:\([0-9]*\).*/\1/')
	else
		p=0 f=0 s=0
		case $rc in 0) p=1 ;; 4) s=1 ;; esac
	fi
	# a failed case fails the program; so does a crash or a timeout
	# after the last case
	case $rc in
	0 | 4) [ "$f" = 0 ] || rc="$rc, $f failed" ;;
	*) [ "$f" -gt 0 ] || f=1 ;;
	esac
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	case $rc in
	0) echo "ok $n selftests: memlens: $t" ;;
	4) echo "ok $n selftests: memlens: $t # SKIP" ;;
	137) echo "not ok $n selftests: memlens: $t # TIMEOUT ${timeout}s" ;;
	*) echo "not ok $n selftests: memlens: $t # exit=$rc" ;;
	esac
done
echo "# memlens-totals pass:$pass fail:$fail skip:$skip"
[ $fail = 0 ]
