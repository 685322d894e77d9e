#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: every test memlens has, on Debian's 6.1 and 6.12 kernels.
# Installs what is missing, lints, runs the reader's unit tests and fuzzer
# on the host, then for each kernel builds memlens with W=1, boots it in a
# VM and runs the selftests there, plus the boots with debugfs or lockdown
# in the way.  TAP throughout; the last line is "N passed, N failed[, N
# skipped]".
#
#   scripts/check.sh [--kernel 6.1|6.12|RELEASE]... [--skip-lint] [TEST...]
#   scripts/check.sh --debug [TEST...]     (make check-debug)
#
# TEST names selftests (e.g. module_test.sh) to run alone in the VM.
# --debug runs the selftests on the KASAN/lockdep/kmemleak kernel that
# scripts/debug-kernel.sh builds once and caches.
# STRESS_SECONDS (default 60) bounds the stress test, FUZZ_SECONDS (30) the
# fuzzer.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernels=() tests=() host=1 debug=0
stress=${STRESS_SECONDS:-60}
fuzz=${FUZZ_SECONDS:-30}
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernels+=("$2"); shift 2 ;;
	--skip-lint) host=0; shift ;;
	--debug) debug=1 host=0; shift ;;
	-h | --help) sed -n '3,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) tests+=("$1"); shift ;;
	esac
done
[ ${#tests[@]} -eq 0 ] || host=0
[ ${#kernels[@]} -gt 0 ] || kernels=(6.1 6.12)

"$MEMLENS_TOP/scripts/setup.sh"

pass=0 fail=0 skip=0
result() { # ok|fail|skip DESCRIPTION
	case $1 in
	ok) pass=$((pass + 1)); echo "ok - $2" ;;
	skip) skip=$((skip + 1)); echo "ok - $2 # SKIP" ;;
	*) fail=$((fail + 1)); echo "not ok - $2" ;;
	esac
}

# Add up a run's last "# memlens-totals" or "# Totals:" line; a run without
# one, or whose runner failed with no failing test, failed as a whole.
add_totals() { # LOGFILE DESCRIPTION STATUS
	local t p f s
	t=$(grep -aE '^# (memlens-totals|Totals:)' "$1" | tail -n 1 || true)
	if [ -z "$t" ]; then
		result fail "$2: no results"
		return
	fi
	p=$(sed 's/.* pass:\([0-9]*\).*/\1/' <<<"$t")
	f=$(sed 's/.* fail:\([0-9]*\).*/\1/' <<<"$t")
	s=$(sed 's/.* skip:\([0-9]*\).*/\1/' <<<"$t")
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	if [ "$3" != 0 ] && [ "$f" = 0 ]; then
		result fail "$2: the run failed (see above)"
	fi
}

# Run a command whose output has a totals line; show it indented.
run_counted() { # DESCRIPTION LOG COMMAND...
	local what=$1 log=$2 st=0
	shift 2
	"$@" 2>&1 | tee "$log" | sed 's/^/# /' || st=$?
	add_totals "$log" "$what" "$st"
}

host_tests() {
	run_counted "make lint" "$MEMLENS_BUILD/lint.log" "$MEMLENS_TOP/scripts/lint.sh"
	run_counted "reader unit tests" "$MEMLENS_BUILD/reader-unit.log" \
		"$MEMLENS_TOP/userspace/tests/run.sh"
	# the parsers under libFuzzer for a while (make fuzz runs longer)
	if make -s -C "$MEMLENS_TOP/userspace" fuzz FUZZ_SECONDS="$fuzz" \
		>"$MEMLENS_BUILD/fuzz.log" 2>&1; then
		result ok "reader parsers fuzzed for $fuzz s: $(grep -o 'Done [0-9]* runs' \
			"$MEMLENS_BUILD/fuzz.log")"
	else
		tail -n 30 "$MEMLENS_BUILD/fuzz.log" | sed 's/^/# /'
		result fail "reader parsers fuzzed for $fuzz s"
	fi
}

# The selftests in a VM: NAME KDIR KERNEL_IMAGE [vm.sh options].
vm_tests() {
	local name=$1 kdir=$2 image=$3 dir log st=0
	shift 3
	echo "# kernel $name"
	if dir=$(build_module "$name" "$kdir"); then
		result ok "$name: W=1 build without warnings"
	else
		result fail "$name: W=1 build without warnings"
		return
	fi
	"$MEMLENS_TOP/scripts/initramfs.sh" "$name" "$dir" "$dir/initramfs.cpio.gz"
	log=$dir/selftests.log
	"$MEMLENS_TOP/scripts/vm.sh" -k "$image" -i "$dir/initramfs.cpio.gz" -d 256 \
		-l "$dir/kernel.log" "$@" -- STRESS_SECONDS="$stress" \
		/usr/lib/memlens/selftests/run.sh "${tests[@]}" | tee "$log" || st=$?
	add_totals "$log" "$name: selftests" "$st"
	if [ $host = 1 ] && [ $debug = 0 ]; then
		st=0
		"$MEMLENS_TOP/scripts/boot-tests.sh" "$image" "$dir" | tee "$dir/boot-tests.log" || st=$?
		add_totals "$dir/boot-tests.log" "$name: boot tests" "$st"
	fi
}

echo "TAP version 13"
build_userspace
[ $host = 0 ] || host_tests

if [ $debug = 1 ]; then
	kdir=$("$MEMLENS_TOP/scripts/debug-kernel.sh")
	rel=$(cat "$kdir/include/config/kernel.release")
	export KMODDIR=$kdir/modules-install/lib/modules/$rel
	# KASAN and lockdep slow everything: more memory, more time
	vm_tests "$rel" "$kdir" "$kdir/vmlinux" -m 4096 -t 5400
else
	for k in "${kernels[@]}"; do
		rel=$(kernel_release "$k")
		if [ -z "$rel" ]; then
			result fail "kernel $k: not installed"
			continue
		fi
		vm_tests "$rel" "/lib/modules/$rel/build" "$(kernel_vmlinux "$rel")"
	done
fi

echo "1..$((pass + fail + skip))"
summary="$pass passed, $fail failed"
[ $skip = 0 ] || summary="$summary, $skip skipped"
echo "$summary"
[ $fail = 0 ]
