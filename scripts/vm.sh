#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a kernel under qemu (TCG: KVM is not needed and not used) with a
# memlens initramfs, run one command as root, stream its output, and exit
# with its status.  The run fails, whatever the command said, if the kernel
# log shows a splat, or if the kernel is tainted by anything but loading an
# out-of-tree, unsigned or test module.  A boot that fails before memlens
# is loaded (before the guest's init logs "memlens-vm: loading memlens", or
# "memlens-vm: running the command" with --no-load) says nothing about
# memlens: it is retried once, and the first try's kernel log is kept as
# LOG.try1.
#
#   scripts/vm.sh [options] -- COMMAND
#   scripts/vm.sh [options] --shell [-- COMMAND]
#     -k, --kernel IMAGE     kernel to boot (vmlinux or bzImage)
#     -i, --initrd FILE      initramfs from scripts/initramfs.sh
#     -a, --append ARGS      extra kernel command line
#     -m, --mem MIB          guest memory (default 2048)
#     -c, --cpus N           guest CPUs (default $MEMLENS_VM_CPUS, or 2)
#     -t, --timeout SEC      kill the VM after SEC seconds (default 600)
#     -d, --disk SIZE_MIB    attach a blank virtio disk (/dev/vda)
#         --disk-image FILE  attach FILE as /dev/vda, changes thrown away
#     -l, --log FILE         keep the kernel log here
#         --no-load          do not load memlens.ko before COMMAND
#         --no-debugfs       do not mount debugfs
#         --quiet            do not stream the command's output
#         --icount           count instructions (-icount shift=0): the guest's
#                            clock then advances 1 ns per instruction, so a
#                            time measured in it is an exact instruction
#                            count that nothing on the host can move
#         --shell            an interactive root shell, or COMMAND if
#                            given, on this terminal (the guest's ttyS1, its
#                            controlling tty: job control, Ctrl-C): TERM and
#                            the size (stty rows, cols) from here,
#                            LANG=C.UTF-8, no time limit.  Ctrl-A X quits
#                            qemu, Ctrl-A C is its monitor; exit or poweroff
#                            in the guest ends the VM with the shell's status
#         --stdio            COMMAND's stdin is this one's, read to its end
#                            before the boot; its stdout and stderr are this
#                            one's, apart and byte for byte; LANG=C.UTF-8,
#                            TERM passed, HOME=/root
#         --share DIR        DIR read-only at /memlens in the guest, and
#                            COMMAND's working directory (virtio-9p)
#     -h, --help             this text
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel= initrd= append= mem=2048 cpus=${MEMLENS_VM_CPUS:-2} timeout=600 disk= image= klog= load=1 debugfs=1 quiet=0
shell=0 stdio=0 share=
icount=()
while [ $# -gt 0 ]; do
	case $1 in
	-k | --kernel) kernel=$2; shift 2 ;;
	-i | --initrd) initrd=$2; shift 2 ;;
	-a | --append) append="$append $2"; shift 2 ;;
	-m | --mem) mem=$2; shift 2 ;;
	-c | --cpus) cpus=$2; shift 2 ;;
	-t | --timeout) timeout=$2; shift 2 ;;
	-d | --disk) disk=$2; shift 2 ;;
	--disk-image) image=$2; shift 2 ;;
	-l | --log) klog=$2; shift 2 ;;
	--no-load) load=0; shift ;;
	--no-debugfs) debugfs=0; shift ;;
	--quiet) quiet=1; shift ;;
	--icount) icount=(-icount shift=0); shift ;;
	--shell) shell=1; shift ;;
	--stdio) stdio=1; shift ;;
	--share) share=$(cd "$2" && pwd) || die "no directory $2"; shift 2 ;;
	-h | --help) sed -n '4,/^set -/{/^set -/d; s/^# \{0,1\}//; p}' "$0"; exit 0 ;;
	--) shift; break ;;
	*) die "unknown option $1 (see $0 --help)" ;;
	esac
done
if [ $shell = 1 ]; then
	[ -n "$kernel" ] && [ -n "$initrd" ] && [ $stdio = 0 ] ||
		die "usage: $0 -k KERNEL -i INITRD --shell [-- COMMAND]"
else
	[ -n "$kernel" ] && [ -n "$initrd" ] && [ $# -gt 0 ] || die "usage: $0 -k KERNEL -i INITRD -- COMMAND"
fi

run=$(mktemp -d)
trap 'rm -rf "$run"' EXIT
klog=${klog:-$run/kernel.log}
out=$run/out

# This run's command, appended to the initramfs as a second archive.
mkdir -p "$run/root/etc"
{
	printf 'LOAD=%s\nDEBUGFS=%s\nSTDIO=%s\nSHARE=%s\n' "$load" "$debugfs" "$stdio" \
		"$([ -z "$share" ] || echo 1)"
	printf 'CMD=%q\n' "$*"
	[ $shell = 0 ] || printf 'INTERACTIVE=1\n'
	if [ $shell = 1 ] || [ $stdio = 1 ]; then
		printf 'TERM=%q\n' "${TERM:-vt100}"
	fi
	if [ $shell = 1 ]; then
		# rows and columns, or nothing where stdin is not a terminal
		printf 'SIZE=%q\n' "$(stty size 2>/dev/null || true)"
	fi
} >"$run/root/etc/memlens-run.conf"
# this terminal's terminfo entry, for a TERM the guest's ncurses lacks
if [ $shell = 1 ]; then
	for f in {/etc,/lib,/usr/share}/terminfo/?/"${TERM:-vt100}"; do
		[ -e "$f" ] || continue
		install -D -m 0644 "$f" "$run/root/etc/terminfo/${f#*/terminfo/}"
		break
	done
fi
(cd "$run/root" && find . | cpio -o -H newc --quiet | gzip -1) >"$run/run.cpio"
cat "$initrd" "$run/run.cpio" >"$run/initrd"

# Read-only virtio-9p shares: Debian's kernels build 9p and 9pnet_virtio
# (scripts/initramfs.sh copies them) and its qemu has virtfs.  The spooled
# stdin goes the same way: it costs the guest no memory, as it would in
# the initramfs.
virtfs() { # DIR TAG
	echo "-virtfs"
	echo "local,path=$1,mount_tag=$2,security_model=none,readonly=on"
}
shares=()
[ -z "$share" ] || mapfile -t shares < <(virtfs "$share" memlens)
if [ $stdio = 1 ]; then
	mkdir "$run/in"
	cat >"$run/in/stdin"
	mapfile -t -O ${#shares[@]} shares < <(virtfs "$run/in" memlens-stdin)
fi

drive=()
if [ -n "$disk" ]; then
	truncate -s "${disk}M" "$run/disk.img"
	drive=(-drive "file=$run/disk.img,if=virtio,format=raw,cache=unsafe")
elif [ -n "$image" ]; then
	drive=(-drive "file=$image,if=virtio,format=raw,snapshot=on")
fi

# One boot: sets qrc, qemu's exit status.
boot() {
	: >"$out"
	if [ $stdio = 1 ]; then
		# FIFOs read to their end: nothing is lost when qemu exits.
		# This shell holds a write end of each until then, so that
		# their readers end even if qemu never opened them (a read-write
		# end would also hold them open for qemu after a reader died:
		# qemu would block where it should drop the bytes).
		rm -f "$run/stdout" "$run/stderr"
		mkfifo "$run/stdout" "$run/stderr"
		cat "$run/stdout" 3>&- 4>&- &
		catpids=$!
		exec 3>"$run/stdout"
		cat "$run/stderr" >&2 3>&- 4>&- &
		catpids="$catpids $!"
		exec 4>"$run/stderr"
	elif [ $quiet = 0 ] && [ $shell = 0 ]; then
		tail -n +1 -f "$out" 2>/dev/null | grep --line-buffered -v '^@@MEMLENS-' &
		tailpid=$!
	fi
	# tsc=unstable: with a stable TSC the kernel patches sched_clock_cpu() at
	# late_initcall ("sched_clock: Marking stable") while the other vCPU runs
	# it from interrupts, and multi-threaded TCG can then execute the
	# text_poke int3 after it is gone: "Oops: int3" in sched_clock_cpu.  An
	# unstable TSC keeps the static key off from the start.
	local qemu=(qemu-system-x86_64
		-accel tcg "${icount[@]}" -cpu max -smp "$cpus" -m "$mem"
		-nodefaults -display none -no-reboot
		-kernel "$kernel" -initrd "$run/initrd"
		-append "console=ttyS0 loglevel=7 panic=-1 panic_on_oops=1 tsc=unstable $append"
		"${shares[@]}")
	set +e
	if [ $shell = 1 ]; then
		# ttyS1 is this terminal, which qemu puts in raw mode: Ctrl-C is
		# a byte for the guest (signal=off), Ctrl-A a prefix for qemu's
		# (mux); the markers go to ttyS2.  No timeout(1): it would put
		# qemu in a background process group, stopped when it reads.
		"${qemu[@]}" -serial "file:$klog" \
			-chardev stdio,id=tty,signal=off,mux=on -serial chardev:tty -mon chardev=tty \
			-serial "file:$out" "${drive[@]}" -device virtio-rng-pci
	elif [ $stdio = 1 ]; then
		# ttyS1 the command's stdout, ttyS2 the markers (after output
		# with no newline at its end, they would not start a line),
		# ttyS3 its stderr
		timeout --kill-after=10 "$timeout" "${qemu[@]}" \
			-serial "file:$klog" -serial "file:$run/stdout" -serial "file:$out" \
			-serial "file:$run/stderr" "${drive[@]}" -device virtio-rng-pci \
			</dev/null 3>&- 4>&-
	else
		timeout --kill-after=10 "$timeout" "${qemu[@]}" \
			-serial "file:$klog" -serial "file:$out" \
			"${drive[@]}" -device virtio-rng-pci
	fi
	qrc=$?
	set -e
	if [ $stdio = 1 ]; then
		exec 3>&- 4>&-
		# shellcheck disable=SC2086 # two pids
		wait $catpids || true
	elif [ $quiet = 0 ] && [ $shell = 0 ]; then
		sleep 0.3
		kill "$tailpid" 2>/dev/null || true
		wait "$tailpid" 2>/dev/null || true
	fi
}

SPLAT='BUG:|WARNING:|Oops|Call Trace|soft lockup|hung task|detected stall|Kernel panic|UBSAN:|KASAN:|kmemleak:.*new suspected'

# Why the boot failed, or nothing; sets rc, the command's status.
why_failed() {
	local splat taint allowed
	rc=
	if [ $qrc = 124 ] || [ $qrc = 137 ]; then
		echo "timed out after ${timeout}s"
		return
	fi
	splat=$(grep -aE "$SPLAT" "$klog" | head -5 || true)
	if [ -n "$splat" ]; then
		echo "kernel splat: $splat"
		return
	fi
	rc=$(sed -n 's/^@@MEMLENS-EXIT \([0-9]*\).*/\1/p' "$out" | tail -n 1)
	if [ -z "$rc" ]; then
		echo "the VM stopped before the command finished (qemu exit $qrc)"
		return
	fi
	taint=$(sed -n 's/^@@MEMLENS-TAINT \([0-9]*\).*/\1/p' "$out" | tail -n 1)
	# O: out-of-tree module, E: unsigned module, N: test module
	allowed=$(((1 << 12) | (1 << 13) | (1 << 18)))
	[ $((${taint:-0} & ~allowed)) = 0 ] || echo "kernel tainted ($taint)"
}

# Whether the failure came before the guest's init loaded memlens (or, with
# --no-load, started the command): no marker in the kernel log, or the
# first splat above it.
before_load() {
	local mark first
	mark=$(grep -an '\] memlens-vm: ' "$klog" | head -n 1 | cut -d: -f1)
	[ -n "$mark" ] || return 0
	first=$(grep -anE "$SPLAT" "$klog" | head -n 1 | cut -d: -f1)
	[ -n "$first" ] && [ "$first" -lt "$mark" ]
}

fail() { echo "vm: FAIL: $*" >&2; exit 1; }
if [ $shell = 1 ] && [ -t 0 ]; then
	# qemu restores the terminal when it exits, but not when killed
	tty_mode=$(stty -g)
	trap 'stty "$tty_mode"; rm -rf "$run"' EXIT
fi
boot
# Ctrl-A X: qemu quit at the user's word, whatever the guest was doing
if [ $shell = 1 ] && [ $qrc = 0 ] && ! grep -q '^@@MEMLENS-EXIT' "$out" &&
	! grep -qaE "$SPLAT" "$klog"; then
	exit 0
fi
why=$(why_failed)
if [ -n "$why" ] && before_load; then
	cp "$klog" "$klog.try1"
	echo "vm: retried: the boot failed before memlens was loaded: ${why%%$'\n'*}" >&2
	echo "vm: the kernel log of that try is $klog.try1; it ends:" >&2
	tail -n 20 "$klog" | sed 's/^/vm: try1: /' >&2
	boot
	why=$(why_failed)
fi
if [ -n "$why" ]; then
	echo "vm: kernel log:" >&2
	tail -n 60 "$klog" >&2
	fail "$why"
fi
why_failed >/dev/null
exit "$rc"
