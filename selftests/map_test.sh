#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# memlens map against a process whose layout is known (maplayout: a 1 MiB
# anonymous mmap, a brk heap of 100 x 64 KiB, a mapped file, a 1 MiB stack
# array), its totals against /proc/PID/smaps and, on 6.2 and later, whose
# counters are exact, /proc/PID/status; a live view of a process that
# grows; and a missing pid.
. "$(dirname "$0")/lib.sh"

ktap_print_header
ktap_set_plan 9
here=$(cd "$(dirname "$0")" && pwd)
T=/tmp/map_test
rm -rf $T && mkdir -p $T
FILE=$T/mapped.file

# Start PROGRAM ARGS... in the background; its pid, once it prints it.
start() {
	: >$T/pid
	"$@" >$T/pid &
	for i in $(seq 100); do [ -s $T/pid ] && break; sleep 0.1; done
	cat $T/pid
}

pid=$(start "$here/maplayout" $FILE)
[ -n "$pid" ] || ktap_exit_fail_msg "maplayout did not start"
memlens map "$pid" >$T/human
sed 's/^/# /' $T/human
memlens map -r -n -b -o kind,vsz,rss,name "$pid" >$T/raw
# Is there a row of KIND whose VSZ and RSS are at least MIN bytes?
row_of() { [ -n "$(awk -v k="$1" -v m="$2" '$1 == k && $2 >= m && $3 >= m' $T/raw)" ]; }

# (ktap_test_result splits its command's arguments: functions without any)
test_anon() { awk '$1 == "anon" && $2 == 1048576 && $3 == 1048576 { f = 1 } END { exit !f }' $T/raw; }
test_heap() { row_of heap 6553600; }
test_file() { grep -qx "file 1048576 1048576 $FILE" $T/raw; }
test_stack() { row_of stack 1048576; }
test_program() { grep -q "^program .* $here/maplayout\$" $T/raw && grep -q '^vdso ' $T/raw; }
ktap_test_result "a 1 MiB anonymous mmap, resident" test_anon
ktap_test_result "the brk heap, >= 100 x 64 KiB resident" test_heap
ktap_test_result "the mapped file by its path, resident" test_file
ktap_test_result "the stack, >= 1 MiB resident" test_stack
ktap_test_result "the program by its path; vdso" test_program

# The sums over smaps, in bytes: "VSZ RSS VSYSCALL_SIZE"
awk '/^[0-9a-f]+-/ { gate = / \[vsyscall\]$/ }
	/^Size:/ { v += $2; if (gate) g += $2 } /^Rss:/ { r += $2 }
	END { print v * 1024, r * 1024, g * 1024 }' /proc/$pid/smaps >$T/sums
read -r vsz rss gate <$T/sums
vmsize=$(($(keyval /proc/$pid/status VmSize | cut -d ' ' -f 1) * 1024))
vmrss=$(($(keyval /proc/$pid/status VmRSS | cut -d ' ' -f 1) * 1024))
memlens map -b "$pid" | tail -n 2 >$T/total
sed 's/^/# /' $T/total
log "smaps: VSZ $vsz RSS $rss ([vsyscall] $gate); status: VmSize $vmsize VmRSS $vmrss"

test_total() { grep -q "^Total: .* regions, VSZ $vsz, RSS $rss, " $T/total; }
test_status_equal() {
	[ $vmsize = $((vsz - gate)) ] && [ $vmrss = $rss ] &&
		grep -q "status: VmSize $vmsize, VmRSS $vmrss, .*: VmSize and VmRSS equal the sums" \
			$T/total
}
test_status_shown() { grep -q "status: VmSize $vmsize.*, VmRSS $vmrss" $T/total; }
ktap_test_result "the total line is the sum over smaps" test_total

# 6.2 made the rss counters exact (percpu_counter); before, they lag
kver=$(uname -r | awk -F. '{ print $1 * 1000 + $2 }')
if [ "$kver" -ge 6002 ]; then
	ktap_test_result "VmSize and VmRSS equal the sums, and the total line says so" \
		test_status_equal
else
	# the line shows status's counters as they are, equal or not
	ktap_test_result "before 6.2: the total line shows VmSize and VmRSS as status has them" \
		test_status_shown
fi
kill "$pid"

# a live view: memhog's 8 MiB, touched 3 s after it starts
pid=$(start "$here/memhog" grow 8 3)
memlens map -w 2 --count 3 -r -b -o kind,vsz,drss "$pid" >$T/watch
sed 's/^/# watch: /' $T/watch
kill "$pid"
# the region, as its neighbours may merge with it: anon, 8 MiB and less than 64 KiB more
grown=$(awk '/^KIND/ { n++; next }
	n > 1 && $1 == "anon" && $2 >= 8388608 && $2 < 8454144 { d += $3 }
	END { print d + 0 }' $T/watch)
log "ΔRSS of the 8 MiB region over the second and third samples: $grown"
test_grown() { [ "$grown" = 8388608 ]; }
ktap_test_result "-w: ΔRSS of the 8 MiB region adds up to 8 MiB" test_grown

# one line, status 1
memlens map 4194304 >$T/out 2>$T/err
st=$?
log "exit $st: $(cat $T/err)"
test_missing() { [ $st = 1 ] && [ "$(wc -l <$T/err)" = 1 ] && grep -q 'no such process: 4194304' $T/err; }
ktap_test_result "a missing pid: one line, exit 1" test_missing

rm -rf $T
ktap_finished
