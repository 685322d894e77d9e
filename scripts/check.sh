#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: every test memlens has, on Debian 12's 6.1 and 6.12 kernels.
# Installs what is missing, lints, runs the reader's unit tests and fuzzer
# on the host, then for each kernel builds memlens with W=1, boots it in
# two VMs side by side that share the selftests out (TWO_CPU_TESTS below),
# plus the boots with debugfs or lockdown in the way.  TAP throughout; the
# last line is "N passed, N failed[, N skipped]".
#
#   scripts/check.sh [--kernel NAME]... [--skip-lint] [TEST...]
#   scripts/check.sh --matrix [TEST...]    (make check-matrix)
#   scripts/check.sh --debug [TEST...]     (make check-debug)
#
# NAME is a kernel of scripts/kernels.conf (bookworm-6.1, trixie-bpo, ...;
# "6.1" and "6.12" name Debian 12's); a kernel from another release is
# built in that release's chroot (scripts/chroot.sh), with its compiler.
# --matrix runs every kernel of kernels.conf that is not Debian 12's own,
# with shorter tests.  Every run of the whole suite writes the
# "Supported kernels" table to build/matrix.md and docs/kernels.md.  TEST names selftests
# (e.g. module_test.sh) to run alone in the VM.  --debug runs the
# selftests on the KASAN/lockdep/kmemleak kernel that
# scripts/debug-kernel.sh builds once and caches.
#
# Sizes, as make check / the matrix and the debug kernel use them:
#   STRESS_SECONDS  the stress test            60 / 20 / 60
#   STALL_SECONDS   each stall test loop       30 / 10 / 10
#   STALL_PROCESSES processes of the loop      10,000 / 10,000 / 2,000
#   STALL_INODES    inodes of the files loop   300,000 / 100,000 / 10,000
#   FILES_MANY      files_test's many files    200,000 / 20,000 / 5,000
#   PSS_STRESS_SECONDS pss_test's churn        20 / 10 / 10
#   SCALE_FILES     scale_test's cached inodes 2,000,000 on bookworm-6.12,
#                   in a VM of its own of SCALE_MEM MiB (12,288), 5,000
#                   on the other kernels / 5,000 / 1,000
#   LOAD_CYCLES     module_test's load cycles  50 / 50 / 10
#   DENTRIES        negative dentries made by  100,000 / 100,000 / 30,000
#                   system_test and slab_test
#   FUZZ_SECONDS    the reader's fuzzer        30 (host, make check only)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernels=() tests=() host=1 debug=0 matrix=0 boot=1 ktimeout=
fuzz=${FUZZ_SECONDS:-30}
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernels+=("$2"); shift 2 ;;
	--skip-lint) host=0; shift ;;
	--matrix) matrix=1 host=0; shift ;;
	--debug) debug=1 host=0 boot=0; shift ;;
	-h | --help) sed -n '3,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) tests+=("$1"); shift ;;
	esac
done
[ ${#tests[@]} -eq 0 ] || host=0 boot=0
if [ $matrix = 1 ]; then
	while read -r k; do kernels+=("$k"); done < <(awk '!/^#/ && NF >= 3 && $2 != "host" { print $1 }' \
		"$MEMLENS_TOP/scripts/kernels.conf")
	stress=${STRESS_SECONDS:-20} stall=${STALL_SECONDS:-10} inodes=${STALL_INODES:-100000}
	many=${FILES_MANY:-20000} procs=${STALL_PROCESSES:-10000} pss=${PSS_STRESS_SECONDS:-10}
	scale_kernel=
else
	stress=${STRESS_SECONDS:-60} stall=${STALL_SECONDS:-30} inodes=${STALL_INODES:-300000}
	many=${FILES_MANY:-200000} procs=${STALL_PROCESSES:-10000} pss=${PSS_STRESS_SECONDS:-20}
	scale_kernel=bookworm-6.12
fi
scale=5000 big_scale=${SCALE_FILES:-2000000} scale_mem=${SCALE_MEM:-12288}
cycles=${LOAD_CYCLES:-50} dentries=${DENTRIES:-100000}
[ ${#kernels[@]} -gt 0 ] || kernels=(bookworm-6.1 bookworm-6.12)

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

# Run a command into LOG, its status in LOG.rc and its time in LOG.time
# (in the background, or not); counted() then shows it indented and adds
# up its totals line.
run_logged() { # LOG COMMAND...
	local log=$1 st=0 t0=$SECONDS
	shift
	"$@" >"$log" 2>&1 || st=$?
	echo $((SECONDS - t0)) >"$log.time"
	echo $st >"$log.rc"
}
counted() { # DESCRIPTION LOG
	sed 's/^/# /' "$2"
	echo "# $1 took $(cat "$2.time") s"
	add_totals "$2" "$1" "$(cat "$2.rc")"
}

# Lint beside the unit tests and then the fuzzer: each keeps one core busy.
host_tests() {
	local unit=$MEMLENS_BUILD/reader-unit.log fuzz_log=$MEMLENS_BUILD/fuzz.log
	(
		run_logged "$unit" "$MEMLENS_TOP/userspace/tests/run.sh"
		# the parsers under libFuzzer for a while (make fuzz runs longer)
		run_logged "$fuzz_log" make -s -C "$MEMLENS_TOP/userspace" fuzz FUZZ_SECONDS="$fuzz"
	) &
	run_logged "$MEMLENS_BUILD/lint.log" "$MEMLENS_TOP/scripts/lint.sh"
	wait $!
	counted "make lint" "$MEMLENS_BUILD/lint.log"
	counted "reader unit tests" "$unit"
	if [ "$(cat "$fuzz_log.rc")" = 0 ]; then
		result ok "reader parsers fuzzed for $fuzz s: $(grep -o 'Done [0-9]* runs' "$fuzz_log")"
	else
		tail -n 30 "$fuzz_log" | sed 's/^/# /'
		result fail "reader parsers fuzzed for $fuzz s"
	fi
}

# The selftests whose question needs two CPUs at once in the VM: readers
# racing exits, renames and rmmod on the other CPU (stress_test, pss_test's
# churn), a reader and its target each on a CPU of its own (pss_test), a
# walk that must not stall the other CPU (stall_test), censuses while the
# other CPU churns memory (pages_test).  They run in a VM of 2 vCPUs, the
# rest in a VM of 1 vCPU beside it, and the boot tests after whichever
# ends first: on 2 host cores, two emulators side by side finish sooner
# than one VM running everything.  On the debug kernel module_test.sh
# joins the 2-vCPU VM and cgroups_test leaves it, to even the two out;
# reader_test.sh does not run there: the reader's commands read the files
# module_test.sh reads, and KASAN only slows the reader down.
TWO_CPU_TESTS="stress_test stall_test pss_test pages_test cgroups_test"
DEBUG_TWO_CPU_TESTS="stress_test stall_test pss_test pages_test module_test.sh"
DEBUG_SKIPPED="reader_test.sh"
# The tests at scale: on one kernel (scale_kernel) of make check, in a VM
# of their own with the memory two million cached inodes need, after the
# 1-vCPU VM; elsewhere at a small size among the 1-vCPU VM's tests.
BIG_TESTS="scale_test"

# One VM of a kernel's selftests: DIR IMAGE LANE CPUS TEST... (vm.sh options
# in vmopts).  Output and status in DIR/selftests-LANE.{log,rc}; LANE 1 is
# streamed as it runs and prints the version file first (the matrix table
# reports each view's state).
vm_lane() {
	local dir=$1 image=$2 lane=$3 cpus=$4 cmd='' st=0 t0=$SECONDS
	shift 4
	[ "$lane" != 1 ] || cmd="sed 's/^/# version: /' /sys/kernel/debug/memlens/version;"
	cmd="$cmd STRESS_SECONDS=$stress STALL_SECONDS=$stall STALL_INODES=$inodes FILES_MANY=$many"
	cmd="$cmd STALL_PROCESSES=$procs PSS_STRESS_SECONDS=$pss SCALE_FILES=$scale LOAD_CYCLES=$cycles"
	cmd="$cmd DENTRIES=$dentries"
	cmd="$cmd ${ktimeout:+SELFTEST_TIMEOUT=$ktimeout}"
	cmd="$cmd /usr/lib/memlens/selftests/run.sh $*"
	# -t: the whole suite, slower on a busy host (a lane takes 5 minutes
	# at most, the debug kernel's longer); run.sh bounds each program
	"$MEMLENS_TOP/scripts/vm.sh" -k "$image" -i "$dir/initramfs.cpio.gz" \
		--disk-image "$MEMLENS_BUILD/scratch.img" -t 1200 \
		-c "$cpus" -l "$dir/kernel-$lane.log" "${vmopts[@]}" "${lane_vmopts[@]}" -- "$cmd" 2>&1 |
		if [ "$lane" = 1 ]; then tee "$dir/selftests-$lane.log"; else cat >"$dir/selftests-$lane.log"; fi ||
		st=$?
	echo "$st" >"$dir/selftests-$lane.rc"
	echo "# the VM of $cpus vCPU(s) took $((SECONDS - t0)) s" >>"$dir/selftests-$lane.log"
}

# The selftests in two VMs side by side, and the boot tests: NAME RELEASE
# KDIR KERNEL_IMAGE ROOT [vm.sh options].  ROOT is the chroot to build in,
# or empty.
vm_tests() {
	local name=$1 rel=$2 kdir=$3 image=$4 root=$5 dir t list two=() one=() big=() lane st pair t0 seq1 seq2
	shift 5
	vmopts=("$@")
	echo "# kernel $name: $rel"
	dir=$MEMLENS_BUILD/$name
	# prepare()'s log: the build's warnings or errors
	if [ "$(cat "$prep/$name.rc" 2>/dev/null)" = 0 ]; then
		result ok "$name: W=1 build without warnings"
	else
		sed 's/^/# /' "$prep/$name.log" 2>/dev/null || true
		result fail "$name: W=1 build without warnings"
		return
	fi
	rm -f "$dir"/selftests*.log "$dir"/selftests-*.rc "$dir"/boot-tests.*
	list=("${tests[@]}")
	if [ ${#list[@]} = 0 ]; then
		mapfile -t list <"$MEMLENS_TOP/selftests/out/tests.list"
		[ $debug = 0 ] || mapfile -t list < <(printf '%s\n' "${list[@]}" |
			grep -vxF -f <(tr ' ' '\n' <<<"$DEBUG_SKIPPED"))
	fi
	pair=$TWO_CPU_TESTS
	[ $debug = 0 ] || pair=$DEBUG_TWO_CPU_TESTS
	for t in "${list[@]}"; do
		if [ "$name" = "$scale_kernel" ] && [[ " $BIG_TESTS " = *" $t "* ]]; then
			big+=("$t")
			continue
		fi
		case " $pair " in
		*" $t "*) two+=("$t") ;;
		*) one+=("$t") ;;
		esac
	done
	lane_vmopts=()
	# Two sequences side by side: the 1-vCPU lane then the scale VM, and
	# the 2-vCPU lane; the boot tests after whichever ends first.
	(
		[ ${#one[@]} = 0 ] || vm_lane "$dir" "$image" 2 1 "${one[@]}"
		scale=$big_scale lane_vmopts=(-m "$scale_mem")
		[ ${#big[@]} = 0 ] || vm_lane "$dir" "$image" 3 2 "${big[@]}"
	) &
	seq1=$!
	( [ ${#two[@]} = 0 ] || vm_lane "$dir" "$image" 1 2 "${two[@]}" ) &
	seq2=$!
	if [ $boot = 1 ]; then
		wait -n $seq1 $seq2 || true
		st=0 t0=$SECONDS
		"$MEMLENS_TOP/scripts/boot-tests.sh" ${shell_here:+--shell} "$image" "$dir" \
			>"$dir/boot-tests.log" 2>&1 || st=$?
		echo "$st" >"$dir/boot-tests.rc"
		echo "# the boot tests took $((SECONDS - t0)) s" >>"$dir/boot-tests.log"
	fi
	wait $seq1 || true
	wait $seq2 || true
	for lane in 2 3; do
		[ ! -f "$dir/selftests-$lane.log" ] || cat "$dir/selftests-$lane.log"
	done
	for lane in 1 2 3; do
		[ -f "$dir/selftests-$lane.rc" ] || continue
		case $lane in
		1) t="2 vCPUs" ;;
		2) t="1 vCPU" ;;
		*) t="2 vCPUs, $scale_mem MiB" ;;
		esac
		add_totals "$dir/selftests-$lane.log" "$name: selftests ($t)" \
			"$(cat "$dir/selftests-$lane.rc")"
		cat "$dir/selftests-$lane.log" >>"$dir/selftests.log"
	done
	if [ $boot = 1 ]; then
		cat "$dir/boot-tests.log"
		add_totals "$dir/boot-tests.log" "$name: boot tests" "$(cat "$dir/boot-tests.rc")"
	fi
	# the debug kernel is not a row of the table
	[ ${#tests[@]} -gt 0 ] || [ $debug = 1 ] || matrix_row "$name" "$rel" "$kdir" "$root" "$dir"
}

# A row of docs/kernels.md's table: this run.
matrix_row() { # NAME RELEASE KDIR ROOT DIR
	local cc views t b
	cc=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\(.*\)"/\1/p' "$4$3/.config" | sed 's/ (.*)//')
	# every line of the version file but the first two is a view's state
	views=$(sed -n '/^# version: \(memlens\|kernel\): /d; s/^# version: \([a-z_]*\): /\1 /p' "$5/selftests.log" |
		awk '{ printf "%s%s %s", sep, $1, $2; sep = ", " }')
	# one totals line a VM: their sum
	t=$(sed -n 's/^# memlens-totals pass:\([0-9]*\) fail:\([0-9]*\).*/\1 \2/p' "$5/selftests.log" |
		awk '{ p += $1; f += $2 } END { if (NR) printf "%d passed, %d failed", p, f }')
	# no boot tests, no log: under pipefail a failed grep would end the run
	b=$({ grep -a '^# memlens-totals' "$5/boot-tests.log" 2>/dev/null || true; } | tail -n 1 |
		sed 's/.*pass:\([0-9]*\) fail:\([0-9]*\).*/\1 passed, \2 failed/')
	printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$cc" "${views:-?}" "${t:-?}" \
		"${b:--}" >"$5/matrix-row"
}

# The table of every kernel of kernels.conf tested so far in this build tree.
matrix_table() {
	local k
	{
		echo "| kernel | release | compiler | views | selftests | boot tests |"
		echo "|---|---|---|---|---|---|"
		for k in $(kernel_names); do
			if [ -f "$MEMLENS_BUILD/$k/matrix-row" ]; then cat "$MEMLENS_BUILD/$k/matrix-row"; fi
		done
	} >"$MEMLENS_BUILD/matrix.md"
}

# A kernel's W=1 build of the modules, its initramfs and its vmlinux, into
# $prep/NAME.{log,rc} (kernel_lookup's K_* set, KMODDIR exported; no
# K_IMAGE: a vmlinux already).
prepare() { # NAME
	local st=0 dir
	(
		dir=$(build_module "$K_NAME" "$K_KDIR" "$K_ROOT") &&
			"$MEMLENS_TOP/scripts/initramfs.sh" "$K_RELEASE" "$dir" "$dir/initramfs.cpio.gz" &&
			{ [ -z "$K_IMAGE" ] || kernel_vmlinux "$K_RELEASE" "$K_IMAGE" >/dev/null; }
	) >"$prep/$1.log" 2>&1 || st=$?
	echo $st >"$prep/$1.rc"
}

# Every kernel's prepare(), one after another, from the start and in the
# background: a kernel's build runs beside the VMs of the one before it
# (make check's first, beside the host tests).  $prep/K.done marks the
# kernel named K on the command line done; one that is not available is
# reported by the loop that runs the VMs.
prepare_all() {
	local k
	for k in "${kernels[@]}"; do
		(
			kernel_lookup "$k" >/dev/null
			export KMODDIR=$K_MODDIR
			prepare "$K_NAME"
		) || true
		touch "$prep/$k.done"
	done
}

echo "TAP version 13"
build_userspace
# the scratch disk's files, written here rather than under emulation
"$MEMLENS_TOP/scripts/scratch-image.sh" "$MEMLENS_BUILD/scratch.img"
prep=$(mktemp -d "$MEMLENS_BUILD/prepare.XXXXXX")
trap 'rm -rf "$prep"' EXIT

if [ $debug = 1 ]; then
	kdir=$("$MEMLENS_TOP/scripts/debug-kernel.sh")
	rel=$(cat "$kdir/include/config/kernel.release")
	export KMODDIR=$kdir/modules-install/lib/modules/$rel
	K_NAME=$rel K_KDIR=$kdir K_ROOT='' K_RELEASE=$rel K_IMAGE='' prepare "$rel"
	# KASAN and lockdep slow everything: more memory, more time, and
	# smaller sizes.  Making 50,000 inodes and 10,000 processes was a third
	# of the run's 26 minutes; make check tests the scale, and the locks
	# these runs check are the same with fewer.
	# kmemleak finds a leak there in a few load cycles, each of which
	# reads every view, the census of all RAM among them, under KASAN;
	# a lookup of a missing name takes a millisecond there
	ktimeout=1800 inodes=${STALL_INODES:-10000} many=${FILES_MANY:-5000} scale=1000
	cycles=${LOAD_CYCLES:-10} dentries=${DENTRIES:-30000}
	stall=${STALL_SECONDS:-10} procs=${STALL_PROCESSES:-2000} pss=${PSS_STRESS_SECONDS:-10}
	# pci=noacpi: under KASAN, ACPI's _PRT loop over qemu's PCI slots hits
	# its 30 s timeout twice a boot; virtio uses MSI-X and needs no routing
	vm_tests "$rel" "$rel" "$kdir" "$kdir/vmlinux" "" -m 4096 -t 5400 -a pci=noacpi
else
	prepare_all &
	prepared=$!
	[ $host = 0 ] || host_tests
	for k in "${kernels[@]}"; do
		while [ ! -e "$prep/$k.done" ] && kill -0 $prepared 2>/dev/null; do sleep 1; done
		if ! (kernel_lookup "$k" >/dev/null); then
			result fail "kernel $k: not available"
			continue
		fi
		kernel_lookup "$k" >/dev/null
		# make shell's VM, once: on Debian 12's newest kernel, in make check
		shell_here=
		[ $matrix = 1 ] || [ "$K_NAME" != bookworm-6.12 ] || shell_here=1
		KMODDIR=$K_MODDIR vm_tests "$K_NAME" "$K_RELEASE" "$K_KDIR" \
			"$(kernel_vmlinux "$K_RELEASE" "$K_IMAGE")" "$K_ROOT"
	done
	wait
fi
if [ $debug = 0 ]; then
	matrix_table
	# a whole suite's rows go to docs/kernels.md
	[ ${#tests[@]} -gt 0 ] || "$MEMLENS_TOP/scripts/kernels-doc.sh" "$MEMLENS_BUILD/matrix.md"
fi

echo "1..$((pass + fail + skip))"
summary="$pass passed, $fail failed"
[ $skip = 0 ] || summary="$summary, $skip skipped"
echo "$summary"
[ $fail = 0 ]
