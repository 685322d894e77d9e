# SPDX-License-Identifier: GPL-2.0
# TAP for the host-side test scripts (lint, reader unit tests, DKMS): a
# line per test and kselftest's "# Totals:" line at the end, which
# scripts/check.sh adds up.  Sourced, never run.

tap_n=0 tap_pass=0 tap_fail=0

tap_ok() { tap_n=$((tap_n + 1)); tap_pass=$((tap_pass + 1)); echo "ok $tap_n $1"; }
tap_not_ok() { tap_n=$((tap_n + 1)); tap_fail=$((tap_fail + 1)); echo "not ok $tap_n $1"; }

# tap_check DESCRIPTION COMMAND...: ok if the command succeeds; its output
# is shown, indented, if it does not.
tap_check() {
	local d=$1 log
	shift
	log=$(mktemp)
	if "$@" >"$log" 2>&1; then
		tap_ok "$d"
	else
		tap_not_ok "$d"
		tail -n 40 "$log" | sed 's/^/# /'
	fi
	rm -f "$log"
}

# The plan, the totals, and the status: failure if any test failed.
tap_finish() {
	echo "1..$tap_n"
	echo "# Totals: pass:$tap_pass fail:$tap_fail xfail:0 xpass:0 skip:0 error:0"
	[ $tap_fail = 0 ]
}
