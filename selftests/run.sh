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

# What a process stuck in the kernel is waiting for: PID...
stuck_report() {
	for p in "$@"; do
		[ -r "/proc/$p/stat" ] || continue
		echo "stuck: pid $p ($(cat "/proc/$p/comm")), state $(sed 's/.*) \(.\).*/\1/' \
			"/proc/$p/stat"), waiting in $(cat "/proc/$p/wchan" 2>/dev/null):"
		sed 's/^/stuck:   /' "/proc/$p/stack" 2>/dev/null
	done
}

# Processes in uninterruptible sleep (state D), but for kernel threads.
d_state() {
	for s in /proc/[0-9]*/stat; do
		p=${s#/proc/}
		p=${p%/stat}
		[ -s "/proc/$p/cmdline" ] || continue
		case $(sed 's/.*) \(.\).*/\1/' "$s" 2>/dev/null) in D) echo "$p" ;; esac
	done
}

# Run test T, its output to LOG and, as it comes, to stdout under "# ";
# its status to LOG.rc, 137 when it outlived TIMEOUT seconds.  A file, not
# a pipe: a descendant stuck in the kernel would hold a pipe open for
# ever.  After the timeout's SIGKILL it gets 30 s to go; then what is
# stuck is reported and the run goes on.
run_one() {
	local t=$1 log=$2 limit=$(($3 + 30)) seen=0 now start
	rm -f "$log.rc"
	: >"$log"
	(timeout -s KILL "$3" "./$t" >"$log" 2>&1; echo $? >"$log.rc") &
	start=$(date +%s)
	while :; do
		sleep 1
		ended=0
		[ ! -f "$log.rc" ] || ended=1
		now=$(wc -l <"$log")
		[ "$now" -le "$seen" ] || sed -n "$((seen + 1)),${now}p" "$log" | sed 's/^/# /'
		seen=$now
		[ $ended = 0 ] || break
		if [ $(($(date +%s) - start)) -gt "$limit" ]; then
			echo "# $t: still not gone $limit s after it started"
			stuck_report $(d_state) $(pidof "$t") | sed 's/^/# /'
			# every blocked task's stack, to the kernel log
			echo w >/proc/sysrq-trigger 2>/dev/null
			echo 137 >"$log.rc"
			return
		fi
	done
	# a last line without its newline
	[ -z "$(tail -c 1 "$log")" ] || echo "# $(tail -n 1 "$log")"
	# what it left behind in the kernel, if anything
	set -- $(d_state) $(pidof "$t")
	[ $# = 0 ] || stuck_report "$@" | sed 's/^/# /'
}

pass=0 fail=0 skip=0 n=0
set -- $tests
echo "TAP version 13"
echo "1..$#"
for t in $tests; do
	n=$((n + 1))
	log=/tmp/selftest.$t.log
	echo "# selftests: memlens: $t"
	t0=$(date +%s)
	run_one "$t" "$log" "${timeout:-300}"
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
