#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: every test memlens has, on Debian's 6.1 and 6.12 kernels.
# Installs what is missing, lints, runs the reader's unit tests on the
# host, then for each kernel builds memlens with W=1, boots it in a VM and
# runs the selftests there, plus the boots with debugfs or lockdown in the
# way.  TAP throughout; the last line is "N passed, N failed, N skipped".
#
#   scripts/check.sh [--kernel 6.1|6.12|RELEASE]... [--skip-lint] [TEST...]
#
# TEST names selftests (e.g. module_test.sh) to run alone in the VM.
# STRESS_SECONDS (default 60) bounds the stress test.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernels=() tests=() lint=1
stress=${STRESS_SECONDS:-60}
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernels+=("$2"); shift 2 ;;
	--skip-lint) lint=0; shift ;;
	-h | --help) sed -n '3,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) tests+=("$1"); shift ;;
	esac
done

"$MEMLENS_TOP/scripts/setup.sh"
[ ${#kernels[@]} -gt 0 ] || kernels=(6.1 6.12)

pass=0 fail=0 skip=0
result() { # result ok|fail|skip DESCRIPTION
	case $1 in
	ok) pass=$((pass + 1)); echo "ok - $2" ;;
	skip) skip=$((skip + 1)); echo "ok - $2 # SKIP" ;;
	*) fail=$((fail + 1)); echo "not ok - $2" ;;
	esac
}
# Add up a run's "# memlens-totals" line; a run without one failed as a whole.
add_totals() { # LOGFILE DESCRIPTION VM_STATUS
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
		result fail "$2: the VM run failed (see above)"
	fi
}

echo "TAP version 13"
build_userspace

if [ $lint = 1 ]; then
	log=$MEMLENS_BUILD/lint.log
	st=0
	"$MEMLENS_TOP/scripts/lint.sh" 2>&1 | tee "$log" | sed 's/^/# /' || st=$?
	add_totals "$log" "make lint" "$st"
fi
if [ -x "$MEMLENS_TOP/userspace/tests/run.sh" ]; then
	log=$MEMLENS_BUILD/reader-unit.log
	st=0
	"$MEMLENS_TOP/userspace/tests/run.sh" 2>&1 | tee "$log" | sed 's/^/# /' || st=$?
	add_totals "$log" "reader unit tests" "$st"
fi

# the parsers under libFuzzer for a short while (make fuzz runs longer)
if [ ${#tests[@]} -eq 0 ]; then
	if make -s -C "$MEMLENS_TOP/userspace" fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-30}" \
		>"$MEMLENS_BUILD/fuzz.log" 2>&1; then
		result ok "reader parsers fuzzed for ${FUZZ_SECONDS:-30} s: $(grep -o 'Done [0-9]* runs' "$MEMLENS_BUILD/fuzz.log")"
	else
		tail -n 30 "$MEMLENS_BUILD/fuzz.log" | sed 's/^/# /'
		result fail "reader parsers fuzzed for ${FUZZ_SECONDS:-30} s"
	fi
fi

for k in "${kernels[@]}"; do
	rel=$(kernel_release "$k")
	[ -n "$rel" ] || { result fail "kernel $k: not installed"; continue; }
	echo "# kernel $rel"
	if dir=$(build_module "$rel" "/lib/modules/$rel/build"); then
		result ok "$rel: W=1 build without warnings"
	else
		result fail "$rel: W=1 build without warnings"
		continue
	fi
	"$MEMLENS_TOP/scripts/initramfs.sh" "$rel" "$dir" "$dir/initramfs.cpio.gz"
	vmlinux=$(kernel_vmlinux "$rel")
	log=$dir/selftests.log
	st=0
	"$MEMLENS_TOP/scripts/vm.sh" -k "$vmlinux" -i "$dir/initramfs.cpio.gz" -d 256 \
		-l "$dir/kernel.log" -- STRESS_SECONDS="$stress" \
		/usr/lib/memlens/selftests/run.sh "${tests[@]}" |
		tee "$log" || st=$?
	add_totals "$log" "$rel: selftests" "$st"
	if [ ${#tests[@]} -eq 0 ]; then
		st=0
		"$MEMLENS_TOP/scripts/boot-tests.sh" "$vmlinux" "$dir" | tee "$dir/boot-tests.log" || st=$?
		add_totals "$dir/boot-tests.log" "$rel: boot tests" "$st"
	fi
done

echo "1..$((pass + fail + skip))"
summary="$pass passed, $fail failed"
[ $skip = 0 ] || summary="$summary, $skip skipped"
echo "$summary"
[ $fail = 0 ]
