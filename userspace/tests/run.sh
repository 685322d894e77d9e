#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The reader's unit tests, on the host, against fixture files: real files
# captured from the VM on both kernels, and empty, huge, malformed and
# escaped ones made here.  JSON is checked with jq.  TAP, with a kselftest
# "# Totals:" line.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ml=${MEMLENS:-$here/../memlens}
[ -x "$ml" ] || { echo "Bail out! no reader at $ml: make -C userspace"; exit 1; }
fx=$here/fixtures
out=$here/out
rm -rf "$out" && mkdir -p "$out"
export LC_ALL=C

. "$here/../../scripts/tap.sh"


# A copy of a fixture directory with one file replaced.
variant() { # NAME FILE CONTENT_COMMAND
	local d=$out/$1
	mkdir -p "$d" && cp "$fx"/6.12/* "$d"/
	eval "$3" >"$d/$2"
	echo "$d"
}

# The command fails with status 1 and one line of error naming what.
fails_with() { # PATTERN COMMAND...
	local pattern=$1 st
	shift
	"$@" >"$out/stdout" 2>"$out/stderr"
	st=$?
	[ $st = 1 ] || { echo "exit status $st"; return 1; }
	[ "$(wc -l <"$out/stderr")" -le 2 ] || { cat "$out/stderr"; return 1; }
	grep -q -- "$pattern" "$out/stderr" || { cat "$out/stderr"; return 1; }
}

rows() { tail -n +2 "$1" | grep -cv '^total '; }

echo "TAP version 13"
for k in 6.1 6.12; do
	d=$fx/$k
	tap_check "$k: ps -J -b has one entry per row, valid JSON" bash -c "
		[ \$('$ml' ps -A -J -b --debugfs '$d' | jq '.processes | length') = $(rows "$d/processes") ]"
	# every value of every row equals the file's (kB columns times 1024)
	tap_check "$k: ps -J -b values equal the file's" bash -c "
		'$ml' ps -A -J -b --output-all --debugfs '$d' |
			jq -r '.processes[] | [.pid, .ppid, .uid, .threads, .vsz, .rss, .anon, .file, .shmem, .shared, .swap, .pte, .hwm, .code, .data, .heap, .stack, .lib, .comm] | @tsv' >'$out/json.$k'
		tail -n +2 '$d/processes' | awk -v OFS='\t' '{
			for (i = 5; i <= 18; i++) \$i = \$i * 1024; print }' >'$out/file.$k'
		diff '$out/file.$k' '$out/json.$k'"
	tap_check "$k: mem -J -b is valid JSON with every key" bash -c "
		[ \$('$ml' mem -J -b --debugfs '$d' | jq '.system | length') = $(wc -l <"$d/system") ]"
	tap_check "$k: slab -J -b has one entry per cache" bash -c "
		[ \$('$ml' slab -J -b --debugfs '$d' | jq '.slab | length') = $(rows "$d/slab") ]"
	tap_check "$k: summary prints the breakdown and top 10" bash -c "
		'$ml' --debugfs '$d' > '$out/summary' && grep -q 'page cache' '$out/summary' &&
		[ \$(sed -n '/^Top 10/,\$p' '$out/summary' | wc -l) = 12 ]"
	tap_check "$k: version lists the views" bash -c "
		'$ml' version --debugfs '$d' | grep -q '^view slab: available'"
done

d=$fx/6.12
tap_check "--sort rss orders largest first" bash -c "
	'$ml' ps -s rss -r -n -b -o rss --debugfs '$d' > '$out/sorted' &&
	sort -n -r '$out/sorted' | cmp - '$out/sorted'"
tap_check "--sort pid orders ascending" bash -c "
	'$ml' ps -s pid -r -n -o pid --debugfs '$d' > '$out/sorted' &&
	sort -n '$out/sorted' | cmp - '$out/sorted'"
tap_check "--top 5 gives five rows" bash -c "[ \$('$ml' ps -A -t 5 -n --debugfs '$d' | wc -l) = 5 ]"
tap_check "--pid 1,2 gives those two" bash -c "
	[ \"\$('$ml' ps -p 1,2 -n -r -o pid --debugfs '$d' | tr '\n' ' ')\" = '1 2 ' ]"
tap_check "--comm regex filters by command" bash -c "
	'$ml' ps -c '^kworker' -n -r -o comm --debugfs '$d' > '$out/comm' && [ -s '$out/comm' ] &&
	! grep -v '^kworker' '$out/comm'"
tap_check "--user root and --user 0 agree" bash -c "
	cmp <('$ml' ps -u root -n -r --debugfs '$d') <('$ml' ps -u 0 -n -r --debugfs '$d')"
tap_check "-o +threads adds a column to the defaults" bash -c "
	'$ml' ps -o +threads --debugfs '$d' | head -1 | grep -q 'COMM *THREADS\$'"
tap_check "human sizes: 1.5K, 1M, 1000B, rounding half up" bash -c "
	d2=\$(mktemp -d) && cp '$d'/* \$d2/ &&
	printf '%s\n' \"\$(head -1 '$d/processes')\" \
		'      1       0      0    1      1536     1024     1000        0       0        0       0     0        0      0        0       0     0       0 a' \
		> \$d2/processes &&
	[ \"\$('$ml' ps -r -n -o vsz,rss,anon --debugfs \$d2)\" = '1.5M 1M 1000K' ]"
tap_check "human sizes: 1023.95M rounds up to 1G, 1023.949M down to 1023.9M" bash -c "
	d2=\$(mktemp -d) && cp '$d'/* \$d2/ &&
	printf '%s\n' \"\$(head -1 '$d/processes')\" \
		'      1       0      0    1      1048525  1048524     0        0       0        0       0     0        0      0        0       0     0       0 a' \
		> \$d2/processes && [ \"\$('$ml' ps -r -n -o vsz,rss --debugfs \$d2)\" = '1G 1023.9M' ]"

# escaped names, in the file's encoding (include/uapi/memlens.h)
esc=$(variant escaped processes "head -1 '$d/processes'; echo '      7       1      0    1      100      4      4       0       0        0       0     0        4      0        0       0     0       0 x\\0121\\0402\\0403\\134'; echo '      8       1      0    1      100      4      4       0       0        0       0     0        4      0        0       0     0       0 \\000'")
tap_check "escaped comm decodes: newline, spaces, backslash" bash -c "
	[ \"\$('$ml' ps -J -p 7 --debugfs '$esc' | jq -r '.processes[0].comm')\" = \"\$(printf 'x\n1 2 3\\\\')\" ]"
tap_check "an empty comm (\\000) is null in JSON, as util-linux prints empty cells" bash -c "
	[ \"\$('$ml' ps -J -p 8 --debugfs '$esc' | jq '.processes[0].comm')\" = null ]"
printf '%s\n' 'memlens_process_memory_bytes{pid="7",comm="x\n1 2 3\\",memtype="rss"} 4096' >"$out/prom.want"
tap_check "Prometheus labels escape quote, backslash, newline" bash -c "
	'$ml' --prometheus --per-process 10 --debugfs '$esc' | grep -qxF -f '$out/prom.want'"
tap_check "Prometheus output has HELP and TYPE for every metric" bash -c "
	'$ml' --prometheus --debugfs '$d' > '$out/prom' &&
	awk '/^# TYPE/ { t[\$3] = 1 } /^[a-z]/ { sub(/[{ ].*/, \"\"); if (!(\$0 in t)) { print \"no TYPE: \" \$0; bad = 1 } } END { exit bad }' '$out/prom' &&
	grep -q '^memlens_system_breakdown_bytes{part=\"slab_reclaimable\"} ' '$out/prom' &&
	grep -q '^memlens_slab_bytes{cache=\"kernfs_node_cache\"} ' '$out/prom'"

# huge: 100,000 processes
huge=$out/huge && mkdir -p "$huge" && cp "$d"/* "$huge"/
{ head -1 "$d/processes"; seq 1 100000 | awk '{ printf "%7d       1   1000    1      %d     %d     %d       0       0        0       0     0        4      0        0       0     0       0 p%d\n", $1, $1, $1 % 977, $1 % 977, $1 }'; } >"$huge/processes"
tap_check "100,000 rows: JSON has them all" bash -c "
	[ \$('$ml' ps -J -b --debugfs '$huge' | jq '.processes | length') = 100000 ]"
tap_check "100,000 rows: --sort rss --top 3" bash -c "
	[ \"\$('$ml' ps -s rss -t 3 -r -n -b -o pid --debugfs '$huge' | tr '\n' ' ')\" = '976 1953 2930 ' ]"

# malformed files: one clear message naming the file and line, status 1
tap_check "empty processes file" fails_with "processes:1: empty file" \
	"$ml" ps --debugfs "$(variant empty processes true)"
tap_check "a row with a missing field" fails_with "processes:3: expected 19 fields, found 18" \
	"$ml" ps --debugfs "$(variant short processes "head -2 '$d/processes'; sed -n 3p '$d/processes' | awk '{ NF--; print }'")"
tap_check "a row with a non-number" fails_with "processes:2: field 5 is not a number" \
	"$ml" ps --debugfs "$(variant nan processes "head -1 '$d/processes'; sed -n 2p '$d/processes' | awk '{ \$5 = \"12x\"; print }'")"
tap_check "a bad escape" fails_with "processes:2: bad comm field" \
	"$ml" ps --debugfs "$(variant badesc processes "head -1 '$d/processes'; sed -n 2p '$d/processes' | awk '{ \$19 = \"a\\\\9\"; print }'")"
tap_check "a header without rss" fails_with "processes:1: no column rss" \
	"$ml" ps --debugfs "$(variant nohdr processes "sed '1s/ rss / xyz /' '$d/processes'")"
tap_check "a number beyond 64 bits" fails_with "processes:2: field 1 is not a number" \
	"$ml" ps --debugfs "$(variant big processes "head -1 '$d/processes'; sed -n 2p '$d/processes' | awk '{ \$1 = \"99999999999999999999\"; print }'")"
# sizes are kept in bytes: a kB value of 2^54 or more does not fit, 2^54 - 1 does
tap_check "a size of 2^54 kB is refused" fails_with "processes:2: field 6 is not a number" \
	"$ml" ps --debugfs "$(variant bigkb processes "head -1 '$d/processes'; sed -n 2p '$d/processes' | awk '{ \$6 = \"18014398509481984\"; print }'")"
tap_check "a size of 2^54 - 1 kB is bytes" bash -c "
	[ \"\$('$ml' ps -r -n -b -o rss -t 1 --debugfs '$(variant maxkb processes "head -1 '$d/processes'; sed -n 2p '$d/processes' | awk '{ \$6 = \"18014398509481983\"; print }'")')\" = 18446744073709550592 ]"
tap_check "a system line that is not Key: value" fails_with "system:3: not a" \
	"$ml" mem --debugfs "$(variant sysbad system "sed '3s/:/ /' '$d/system'")"
tap_check "a system file without MemTotal" fails_with "system:.*no MemTotal" \
	"$ml" mem --debugfs "$(variant sysmiss system "grep -v MemTotal '$d/system'")"
tap_check "binary garbage" fails_with "processes:1: not a memlens processes header" \
	"$ml" ps --debugfs "$(variant garbage processes "head -c 4096 /dev/urandom | tr -d '\n'")"
tap_check "an unsupported slab view says which and that others work" \
	fails_with "slab view is unsupported on this kernel: no BTF (the other views work" \
	"$ml" slab --debugfs "$(variant unsup slab "echo 'unsupported: no BTF'")"
tap_check "unavailable SwapTotal is null in JSON, a word in tables" bash -c "
	d2=\$(mktemp -d) && cp '$d'/* \$d2/ && sed -i 's/^SwapTotal: .*/SwapTotal: unavailable/' \$d2/system &&
	[ \"\$('$ml' mem -J -b --debugfs \$d2 | jq '.system[] | select(.key == \"SwapTotal\") | .size')\" = null ] &&
	'$ml' mem --debugfs \$d2 | grep -q '^SwapTotal  *unavailable'"

# usage errors
tap_check "a missing directory" fails_with "/nonexistent/processes: No such file or directory" \
	"$ml" ps --debugfs /nonexistent
tap_check "an unknown option" fails_with "Try 'memlens --help'" "$ml" --bogus
tap_check "an unknown command" fails_with "unknown command: frobnicate" "$ml" frobnicate
tap_check "an unknown column" fails_with "unknown column: nosuch" "$ml" ps -o nosuch --debugfs "$d"
tap_check "--top 0" fails_with "invalid number of rows" "$ml" ps -t 0 --debugfs "$d"
tap_check "--count without --watch" fails_with "needs --watch" "$ml" ps --count 2 --debugfs "$d"
tap_check "--watch 0" fails_with "invalid interval" "$ml" ps -w 0 --debugfs "$d"
tap_check "--help fits one screen (40 x 80)" bash -c "
	'$ml' --help > '$out/help' && [ \$(wc -l <'$out/help') -le 40 ] &&
	[ \$(awk '{ if (length > m) m = length } END { print m }' '$out/help') -le 80 ]"
tap_check "-H aligns the names in columns, ΔRSS too" bash -c "
	LC_ALL=C.UTF-8 '$ml' ps -H | sed 's/Δ/D/g' |
		awk 'substr(\$0, 14, 2) != \"  \" || substr(\$0, 13, 1) == \" \" { bad = 1 } END { exit bad }'"
tap_check "--version" bash -c "'$ml' --version | grep -qx \"memlens \$(cat '$here/../../VERSION')\""
tap_check "the man page renders without warnings" bash -c "
	[ -z \"\$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l '$here/../memlens.8' 2>&1 >/dev/null)\" ]"
tap_check "the man page breaks no word or path at a hyphen, at any width" bash -c "
	for w in 40 50 60 70 80 90 100 120; do
		LC_ALL=C.UTF-8 MANWIDTH=\$w man -l '$here/../memlens.8' 2>/dev/null | grep -- '[-‐]\$' && exit 1
	done; exit 0"
tap_check "--watch over two samples prints two tables with deltas" bash -c "
	[ \$('$ml' ps -w 0.1 --count 2 -t 3 --debugfs '$d' | grep -c '^ *PID') = 2 ]"

# The live view.  Two samples of ps -w with the processes file a FIFO: the
# second is read only once the first is out, whatever the machine's speed.
# From the first to the second, init grows by 1 MiB, sh (150) exits and
# pid 200 starts.
s1=$d/processes
s2=$out/processes.2
awk 'NR > 1 && $1 == 1 { $6 += 1024; $7 += 1024 } NR > 1 && $1 == 150 { next } { print }
	END { print "200 1 0 1 1024 512 512 0 0 0 0 4 512 4 512 0 132 0 newproc" }' "$s1" >"$s2"
two_samples() { # OUT ARGS...: two samples of ps -w, the first of $s1, then of $s2
	local o=$1 dir=$out/fifo pid i
	shift
	rm -rf "$dir" && mkdir -p "$dir" && cp "$fx"/6.12/* "$dir"/ && rm "$dir/processes" &&
		mkfifo "$dir/processes" || return 1
	"$ml" ps -A -w 0.1 --count 2 --debugfs "$dir" "$@" >"$o" &
	pid=$!
	timeout 10 cat "$s1" >"$dir/processes"
	for i in $(seq 100); do [ -s "$o" ] && break; sleep 0.1; done
	timeout 10 cat "$s2" >"$dir/processes"
	wait $pid
}
# for the tests' shells (tap_check has a d of its own)
export -f two_samples
export s1 s2 fx out ml
stamp='^# [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} sample [0-9]+$'
tap_check "-w not on a terminal: stamped samples, tables a blank line apart" bash -c "
	two_samples '$out/w.txt' -t 3 || exit 1
	cat '$out/w.txt'
	[ \"\$(grep -E '$stamp' '$out/w.txt' | awk '{ print \$NF }' | tr '\n' ' ')\" = '1 2 ' ] &&
	sed -n 1p '$out/w.txt' | grep -qE '$stamp' &&
	[ \"\$(sed -n 6p '$out/w.txt')\" = '' ] && sed -n 7p '$out/w.txt' | grep -qE '$stamp' &&
	[ \$(grep -c '^PID ' '$out/w.txt') = 2 ]"
printf '%s\n' '# sample 1' 'PID RSS ANON DRSS DSWAP CHANGE' '1 1769472 61440 - - ' \
	'# sample 2' 'PID RSS ANON DRSS DSWAP CHANGE' '1 2818048 1110016 1048576 0 ' \
	'150 1683456 61440 -1683456 0 exited' '200 524288 524288 524288 0 new' >"$out/w.want"
tap_check "-w -r: -o keeps the deltas; new and exited shown past -t, exited with its last values" bash -c "
	two_samples '$out/w.raw' -r -b -t 1 -o pid,rss,anon || exit 1
	sed -E 's/^# .* (sample [0-9]+)\$/# \\1/' '$out/w.raw' | diff '$out/w.want' -"
tap_check "-w -J: JSON Lines, one document a sample, that jq and python3 read" bash -c "
	two_samples '$out/w.json' -J -b || exit 1
	[ \$(wc -l <'$out/w.json') = 2 ] && [ \$(jq -c . '$out/w.json' | wc -l) = 2 ] &&
	python3 -m json.tool --json-lines '$out/w.json' >/dev/null &&
	jq -s -e '.[0].sample == 1 and .[1].sample == 2 and .[1].interval == 0.1 and
		(.[1].time | test(\"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}[+-][0-9]{2}:[0-9]{2}\$\")) and
		(.[0].processes | length) == $(rows "$d/processes") and
		(.[0].processes[] | select(.pid == 1) | .drss == null and .dswap == null) and
		(.[1].processes[] | select(.pid == 150) | .change == \"exited\" and
			.rss == 1683456 and .anon == 61440 and .drss == -1683456) and
		(.[1].processes[] | select(.pid == 200) | .change == \"new\" and .drss == 524288) and
		(.[1].processes[] | select(.pid == 1) | .change == null and .drss == 1048576)' '$out/w.json'"
tap_check "-w -J: a comm with a newline keeps its document on one line" bash -c "
	'$ml' ps -w 0.1 --count 1 -J -p 7 --debugfs '$esc' >'$out/w.esc' &&
	[ \$(wc -l <'$out/w.esc') = 1 ] &&
	[ \"\$(jq -r '.processes[0].comm' '$out/w.esc')\" = \"\$(printf 'x\n1 2 3\\\\')\" ]"
# On a terminal (script(1) makes one): frames redrawn in place, cut to
# LINES when the terminal has no size, and q quits with status 0.
tap_check "-w on a terminal: header, the table fitted to the screen, q quits" bash -c "
	(sleep 1; printf q) | LINES=10 timeout 20 script -qec \"'$ml' ps -A -w 0.2 --debugfs '$d'\" /dev/null >'$out/w.tty' || exit 1
	grep -aqE 'memlens ps - [0-9]{2}:[0-9]{2}:[0-9]{2}, every 0.2 s, sample 1 \\(q to quit\\)' '$out/w.tty' &&
	grep -aq '^62 processes (0 new, 0 exited), RSS ' '$out/w.tty' &&
	awk 'BEGIN { RS = \"\\033\\\\[H\" } NR > 2 { n = split(\$0, l, \"\\n\"); if (n - 1 > 9) { print n; bad = 1 } }
		END { exit bad || NR < 3 }' '$out/w.tty' &&
	tail -c 20 '$out/w.tty' | grep -aqF \"\$(printf '\\033[?7h\\033[?25h')\""

# Ctrl-Z in the view, under a shell with job control on a terminal: it
# stops with the terminal given back (cursor shown, as before the view),
# the shell goes on, and fg draws the view again.
tstp_check() { # DIR: the fixture (tap_check has a $d of its own)
	local ts=$out/tstp.tty dir=$1 pid= state= i
	rm -f "$ts"
	script -qfc "bash -c 'set -m; $ml ps -w 0.5 --debugfs $dir; echo STOPPED; sleep 1; fg; echo FG-DONE'" \
		"$ts" >/dev/null 2>&1 </dev/null &
	for i in $(seq 50); do
		pid=$(pgrep -f "^$ml ps -w 0.5 --debugfs $dir\$") && break
		sleep 0.1
	done
	[ -n "$pid" ] || { echo "no view"; cat -v "$ts"; return 1; }
	sleep 0.5
	kill -TSTP "$pid"
	for i in $(seq 20); do
		state=$(awk '{ print $3 }' "/proc/$pid/stat") && [ "$state" = T ] && break
		sleep 0.05
	done
	echo "state after SIGTSTP: $state"
	[ "$state" = T ] || { kill -KILL "$pid"; return 1; }
	# fg, 1 s later: the view again, cursor off
	for i in $(seq 100); do
		[ "$(tail -n +2 "$ts" | grep -aoF $'\e[?25l' | wc -l)" -ge 2 ] && break
		sleep 0.1
	done
	kill -TERM "$pid"
	wait
	# cursor off, on at the stop, off again at fg, on at the end
	# (after script's own first line, which has the command in it)
	tail -n +2 "$ts" | tr -d '\n' | grep -aoE $'\e\\[\\?25[hl]|STOPPED|FG-DONE' | tr -d '\033' | tr '\n' ' ' >"$ts.seq"
	cat "$ts.seq" && echo
	[ "$(cat "$ts.seq")" = "[?25l [?25h STOPPED [?25l [?25h FG-DONE " ]
}
tap_check "-w on a terminal: Ctrl-Z gives the shell its terminal back, fg redraws" tstp_check "$d"

# The files view (captured on 6.12 with a tmpfs file, a deleted one and the
# VM's mount table), and variants of it.
d=$fx/6.12
mi=$d/mountinfo
tap_check "files -J -b has one entry per row, values equal the file's" bash -c "
	[ \$('$ml' files -J -b --debugfs '$d' --mountinfo '$mi' | jq '.files | length') = $(rows "$d/files") ] &&
	'$ml' files -J -b -o ino,cached,dirty,writeback,mapped,in_rss,procs,nlink -s ino \
		--debugfs '$d' --mountinfo '$mi' |
		jq -r '.files[] | [.ino, .cached, .dirty, .writeback, .mapped, .in_rss, .procs, .nlink] | @tsv' >'$out/files.json' &&
	tail -n +2 '$d/files' | grep -v '^total ' | awk -v OFS='\t' '{ print \$2, \$4 * 1024, \$5 * 1024, \$6 * 1024,
		\$7 * 1024, \$8 * 1024, \$9, \$10 }' | sort -n >'$out/files.txt' &&
	diff '$out/files.txt' '$out/files.json'"
tap_check "files: biggest first, with a total line" bash -c "
	'$ml' files -b --debugfs '$d' --mountinfo '$mi' >'$out/files' &&
	sed -n '2,\$p' '$out/files' | grep -v '^Total' | awk '{ print \$1 }' >'$out/sizes' &&
	sort -rn -c '$out/sizes' &&
	grep -qx 'Total: 59 files, 21.2M cached, 0B dirty or under writeback, 1.7M mapped' \
		<(LC_ALL=C '$ml' files --debugfs '$d' --mountinfo '$mi' | tail -n 1)"
tap_check "files -t N: the N biggest of the full list, the total still of every file" bash -c "
	'$ml' files -r -b --debugfs '$d' --mountinfo '$mi' | head -n 4 >'$out/files.all' &&
	'$ml' files -r -b -t 3 --debugfs '$d' --mountinfo '$mi' >'$out/files.top' &&
	diff '$out/files.all' '$out/files.top' &&
	diff <('$ml' files --debugfs '$d' --mountinfo '$mi' | tail -n 1) \
		<('$ml' files -t 3 --debugfs '$d' --mountinfo '$mi' | tail -n 1) &&
	[ \$('$ml' files -n -r -t 1 --debugfs '$d' --mountinfo '$mi' /tmp | wc -l) = 1 ] &&
	LC_ALL=C '$ml' files -t 1 --debugfs '$d' --mountinfo '$mi' /tmp | tail -n 1 | grep -q '^Total: 2 files,'"
tap_check "files: full paths through the mount table, deleted marked" bash -c "
	'$ml' files -r -n -o state,path --debugfs '$d' --mountinfo '$mi' /tmp >'$out/tmp' &&
	diff <(printf 'deleted /tmp/t/gone\\n /tmp/t/keep\\n') '$out/tmp'"
tap_check "files: no mount for the device: [dev]path, unmounted" bash -c "
	: >'$out/nomounts' &&
	'$ml' files -r -n -o state,path --debugfs '$d' --mountinfo '$out/nomounts' --fstype tmpfs |
		grep -qx 'deleted,unmounted \\[0:28\\]/gone'"
tap_check "files: a prefix matches whole components, a bind-mounted root is stripped" bash -c "
	[ -z \"\$('$ml' files -r -n --debugfs '$d' --mountinfo '$mi' /tm)\" ] &&
	sed 's|0:28 / /tmp/t|0:28 /sub /mnt/b|' '$mi' >'$out/bind' &&
	sed 's|/keep\$|/sub/keep|' '$d/files' >'$out/files.bind' && mkdir -p '$out/bind.d' &&
	cp '$d'/* '$out/bind.d/' && cp '$out/files.bind' '$out/bind.d/files' &&
	'$ml' files -r -n -o path --debugfs '$out/bind.d' --mountinfo '$out/bind' --fstype tmpfs |
		grep -qx '/mnt/b/keep'"
tap_check "files --fstype, --deleted, --dirty select" bash -c "
	[ \$('$ml' files -n -r --fstype tmpfs --debugfs '$d' --mountinfo '$mi' | wc -l) = 2 ] &&
	[ \$('$ml' files -n -r --fstype tmpfs,rootfs --debugfs '$d' --mountinfo '$mi' | wc -l) = 59 ] &&
	[ \$('$ml' files -n -r --deleted --debugfs '$d' --mountinfo '$mi' | wc -l) = 1 ] &&
	[ -z \"\$('$ml' files -n -r --dirty --debugfs '$d' --mountinfo '$mi')\" ]"
dd=$(variant dirty files "sed 's|^0:2 349 rootfs 28 0 0|0:2 349 rootfs 28 8 4|' '$d/files'")
tap_check "files --dirty shows dirty or writeback files" bash -c "
	[ \"\$('$ml' files -n -r -o path,dirty,writeback -b --dirty --debugfs '$dd' --mountinfo '$mi')\" = \
		'/root/dirty 8192 4096' ]"
tap_check "shared: mapped files, factor and the double counting" bash -c "
	'$ml' shared -r -b -o mapped,in_rss,extra,procs,factor,path --debugfs '$d' --mountinfo '$mi' >'$out/shared' &&
	diff <(printf 'MAPPED IN_RSS EXTRA PROCS FACTOR PATH\\n1765376 6184960 4419584 4 3.5 /bin/busybox\\n') '$out/shared' &&
	LC_ALL=C '$ml' shared --debugfs '$d' --mountinfo '$mi' | tail -n 2 | grep -q '^4.2M of their RSS sum of 6.1M (68.7%) is file and shmem pages counted again$'"
sn=$out/shared.ns && mkdir -p "$sn" && cp "$d"/* "$sn"/ &&
	awk 'NR == 1 || ($1 != 2 && $2 != 2)' "$d/processes" >"$sn/processes"
tap_check "shared in a pid namespace: system-wide and said so, no ratio to the namespace's RSS sum" bash -c "
	'$ml' shared --debugfs '$sn' --mountinfo '$mi' | tail -n 3 >'$out/shared.ns.txt' &&
	diff - '$out/shared.ns.txt' <<-'EOF'
	Total: 1 file, 1.7M held once, counted 5.9M in the RSS of every process:
	4.2M of it is file and shmem pages counted again.
	System-wide: every process of every pid namespace, not only this one's.
	EOF"
tap_check "summary: biggest files and shared files lines; none without the view" bash -c "
	'$ml' --debugfs '$d' --mountinfo '$mi' >'$out/summary' &&
	grep -A1 '^Page cache, biggest files:' '$out/summary' | grep -q '^  /lib/modules/.*/ext4.ko 2.3M,' &&
	grep -q '^Shared files: 1.7M held once, counted 5.9M in RSS, 1 file mapped' '$out/summary' &&
	'$ml' --debugfs '$fx/6.1' >'$out/summary.6.1' && ! grep -q 'Shared files' '$out/summary.6.1'"
db=$(variant bdev files "grep -v '^total ' '$d/files'; echo '0:3 1 bdev 400 0 0 0 0 0 1 <block:259:99>'; grep '^total ' '$d/files'")
tap_check "mem: Buffers per block device, after Buffers" bash -c "
	'$ml' mem -r -b -o key,size --debugfs '$db' | grep -A1 '^Buffers ' | tail -n 1 |
		grep -qx 'Buffers(259:99) 409600'"
tap_check "Prometheus: the top 10 files and the totals; -t sets how many" bash -c "
	[ \$('$ml' --prometheus --debugfs '$d' --mountinfo '$mi' | grep -c '^memlens_file_cached_bytes{') = 10 ] &&
	[ \$('$ml' --prometheus -t 3 --debugfs '$d' --mountinfo '$mi' | grep -c '^memlens_file_cached_bytes{') = 3 ] &&
	'$ml' --prometheus --debugfs '$d' | grep -qx 'memlens_files_in_rss_bytes 6184960'"
dt=$(variant trunc files "grep -v '^total ' '$d/files'; echo truncated")
tap_check "a truncated files snapshot (out of memory): the rows, and a warning" bash -c "
	'$ml' files -n -r --debugfs '$dt' --mountinfo '$mi' 2>'$out/trunc.err' | wc -l | grep -qx 59 &&
	[ \"\$(cat '$out/trunc.err')\" = 'memlens: the module'\\''s files snapshot was cut short: files are missing from it' ]"
dl=$(variant trail files "grep -v '^total ' '$d/files'; echo truncated; sed -n 2p '$d/files'")
tap_check "a row after the truncated line" fails_with "files:62: a line after \"truncated\"" \
	"$ml" files --debugfs "$dl"
dh=$(variant nopath files "sed '1s/ path\$//' '$d/files'")
tap_check "a files header without path" fails_with "files:1: not a memlens files header" \
	"$ml" files --debugfs "$dh"
dv=$(variant baddev files "sed '2s/^0:28/0-28/' '$d/files'")
tap_check "a bad dev field" fails_with "files:2: bad dev field" "$ml" files --debugfs "$dv"
du=$(variant unsup files "echo 'unsupported: file_systems not found'")
tap_check "an unsupported files view says why" \
	fails_with "files view is unsupported on this kernel: file_systems not found" \
	"$ml" shared --debugfs "$du"
dm=$(variant mapped mapped "head -n 1 '$d/files'; echo '0:2 9 rootfs 8 0 0 8 16 2 1 /bin/other'")
tap_check "shared reads the mapped file where the module has it" bash -c "
	[ \"\$('$ml' shared -r -n -o procs,path --debugfs '$dm' --mountinfo '$mi')\" = '2 /bin/other' ] &&
	[ \"\$('$ml' shared -r -n -o procs,path --debugfs '$d' --mountinfo '$mi')\" = '4 /bin/busybox' ]"

# Total rows and the below line: the module left out the rows of the 20
# files with less than 8 kB cached, and writes the rest in walk order
# (reversed here); its total rows still count every file.
fc=$(variant cut files "head -n 1 '$d/files'; awk 'NR > 1 && \$1 != \"total\" && \$4 >= 8' '$d/files' | tac
	grep '^total ' '$d/files'; echo 'below 8 20'")
tap_check "files with a below line: the total from the total rows, the files left out said, exit 0" bash -c "
	LC_ALL=C '$ml' files --debugfs '$fc' --mountinfo '$mi' >'$out/cut.txt' 2>'$out/cut.err' &&
	[ ! -s '$out/cut.err' ] && [ \$(grep -vc -e '^CACHED' -e '^Total' -e '^Files' '$out/cut.txt') = 39 ] &&
	diff - <(tail -n 2 '$out/cut.txt') <<-'EOF'
	Total: 59 files, 21.2M cached, 0B dirty or under writeback, 1.7M mapped
	Files with less than 8K cached are not listed (20 files); the total counts them.
	EOF"
tap_check "files -t N from rows in walk order: the N largest, as from every row" bash -c "
	diff <('$ml' files -r -b -t 10 --debugfs '$d' --mountinfo '$mi') \
		<('$ml' files -r -b -t 10 --debugfs '$fc' --mountinfo '$mi' 2>'$out/cut.err') &&
	[ ! -s '$out/cut.err' ]"
tap_check "files -r, -J with rows left out, all or others than the largest asked for: said on stderr" bash -c "
	'$ml' files -r -n -b --debugfs '$fc' --mountinfo '$mi' 2>'$out/cut.err' | wc -l | grep -qx 39 &&
	[ \"\$(cat '$out/cut.err')\" = 'memlens: files with less than 8192 cached are not listed (20 files)' ] &&
	'$ml' files -J -s dirty -t 1 --debugfs '$fc' --mountinfo '$mi' 2>&1 >/dev/null |
		grep -qx 'memlens: files with less than 8K cached are not listed (20 files)'"
tap_check "files /tmp with rows left out: the total of the rows selected, said so" bash -c "
	LC_ALL=C '$ml' files --debugfs '$fc' --mountinfo '$mi' /tmp | tail -n 2 >'$out/cut.tmp' &&
	diff - '$out/cut.tmp' <<-'EOF'
	Total: 2 files, 32K cached, 0B dirty or under writeback, 0B mapped
	Files with less than 8K cached are not listed (20 files); the total leaves them out.
	EOF"
tap_check "files: no total rows (an older module): the total sums the rows" bash -c "
	dir=\$(mktemp -d) && cp '$d'/* \$dir/ && grep -v '^total ' '$d/files' >\$dir/files &&
	diff <('$ml' files --debugfs '$d' --mountinfo '$mi') <('$ml' files --debugfs \$dir --mountinfo '$mi')"
fm=$out/cut.mapped && mkdir -p "$fm" && cp "$fc"/* "$fm"/ && {
	head -n 1 "$d/files"; grep ' /bin/busybox$' "$d/files"; echo '0:2 9 rootfs 4 0 0 4 8 2 1 /bin/other'
	echo 'total 0:2 rootfs 5 1948 0 0 1736 6060'; } >"$fm/mapped"
tap_check "summary, Prometheus, shared with rows left out: every file's totals, the mapped ones' from mapped" bash -c "
	COLUMNS=1000 LC_ALL=C '$ml' --debugfs '$fm' --mountinfo '$mi' >'$out/cut.summary' &&
	grep -qx 'Shared files: 1.7M held once, counted 5.9M in RSS, 5 files mapped (memlens shared).' '$out/cut.summary' &&
	'$ml' --prometheus --debugfs '$fm' --mountinfo '$mi' >'$out/cut.prom' &&
	grep -qx 'memlens_files_cached_inodes 59' '$out/cut.prom' &&
	grep -qx 'memlens_files_cached_bytes 22274048' '$out/cut.prom' &&
	grep -qx 'memlens_files_mapped_files 5' '$out/cut.prom' &&
	grep -qx 'memlens_files_in_rss_bytes 6184960' '$out/cut.prom' &&
	grep -qx 'memlens_filesystem_cached_bytes{dev=\"0:28\",fstype=\"tmpfs\"} 32768' '$out/cut.prom' &&
	grep -qx 'memlens_filesystem_cached_bytes{dev=\"0:2\",fstype=\"rootfs\"} 22241280' '$out/cut.prom' &&
	LC_ALL=C '$ml' shared --debugfs '$fm' --mountinfo '$mi' | grep -q '^Total: 5 files, 1.7M held once, counted 5.9M in '"
tap_check "a file row after the total rows" fails_with "files:63: a row after the total rows" \
	"$ml" files --debugfs "$(variant rowafter files "cat '$d/files'; sed -n 2p '$d/files'")"
tap_check "a total row with a bad number" fails_with "files:62: bad cached field in a total row" \
	"$ml" files --debugfs "$(variant badtotal files "sed '62s/ 21720 / 2x720 /' '$d/files'")"
tap_check "a total row short of a field" fails_with "files:61: a total row of 8 fields, not 9" \
	"$ml" files --debugfs "$(variant shorttotal files "sed '61s/ 0\$//' '$d/files'")"
tap_check "a line after the below line" fails_with "files:64: a line after \"below\"" \
	"$ml" files --debugfs "$(variant afterbelow files "cat '$d/files'; echo 'below 4 2'; echo garbage")"
tap_check "a below line that is not below KB ROWS" fails_with "files:63: not a \"below KB ROWS\" line" \
	"$ml" files --debugfs "$(variant badbelow files "cat '$d/files'; echo 'below 4'")"

# memlens files --by-dir: the dirs view of the same files (a row per
# directory and its totals, as the module writes them), the tree rebuilt
# through the mount table: the tmpfs 0:28 is /tmp/t.
tap_check "files --by-dir: the directories under / with what is below them, largest first; the total" bash -c "
	LC_ALL=C '$ml' files --by-dir --debugfs '$d' --mountinfo '$mi' >'$out/dirs' &&
	diff - '$out/dirs' <<-'EOF'
	CACHED DIRTY WRITEBACK MAPPED FILES PATH
	 21.2M    0B        0B   1.7M    59 /
	  9.7M    0B        0B     0B    28 /lib
	  9.4M    0B        0B     0B    22 /usr
	  1.9M    0B        0B   1.7M     1 /bin
	  212K    0B        0B     0B     1 /lib64
	   32K    0B        0B     0B     2 /tmp
	   28K    0B        0B     0B     1 /root
	   12K    0B        0B     0B     3 /etc
	Total: 59 files, 21.2M cached, 0B dirty or under writeback, 1.7M mapped, in 12 directories
	EOF"
tap_check "files --by-dir 2, =0, 2 /usr: the depth below / or the path, sums of the rows below" bash -c "
	'$ml' files --by-dir 2 -r -n -b -o cached,files,path --debugfs '$d' --mountinfo '$mi' >'$out/dirs2' &&
	grep -qx '10162176 28 /lib' '$out/dirs2' && grep -qx '6144000 23 /lib/modules' '$out/dirs2' &&
	grep -qx '32768 2 /tmp/t' '$out/dirs2' && [ \$(wc -l <'$out/dirs2') = 13 ] &&
	[ \"\$('$ml' files --by-dir=0 -r -n -b -o cached,path --debugfs '$d' --mountinfo '$mi')\" = '22274048 /' ] &&
	'$ml' files --by-dir 2 /usr -r -n -b -o cached,path --debugfs '$d' --mountinfo '$mi' >'$out/dirs.usr' &&
	diff - '$out/dirs.usr' <<-'EOF'
	9834496 /usr
	9633792 /usr/lib
	9633792 /usr/lib/memlens
	200704 /usr/bin
	EOF"
tap_check "files --by-dir 100 -J: each directory's own cache adds up to the total rows'" bash -c "
	'$ml' files --by-dir 100 -J -b -o cached,own,path --debugfs '$d' --mountinfo '$mi' >'$out/dirs.json' &&
	[ \$(jq '[.dirs[].own] | add' '$out/dirs.json') = \$(awk '\$1 == \"total\" { s += \$5 * 1024 } END { print s }' '$d/dirs') ] &&
	[ \$(jq '.dirs | length' '$out/dirs.json') = 18 ] &&
	[ \$(jq -r '.dirs[0].path' '$out/dirs.json') = / ]"
# an escaped directory name, files in no directory, a tmpfs with no mount
de=$(variant dirsesc dirs "grep -v '^total ' '$d/dirs'; echo '0:2 rootfs 1 400 4 0 0 /srv/a\\040b\\012c'
	echo '0:3 bdev 1 800 0 0 0 <none>'; echo '0:99 tmpfs 1 8 0 0 0 /x'; grep '^total ' '$d/dirs'")
tap_check "files --by-dir: an escaped name decoded; <none>; a filesystem with no mount" bash -c "
	'$ml' files --by-dir 2 -J -b -o cached,dirty,path --debugfs '$de' --mountinfo '$mi' >'$out/dirs.esc' &&
	[ \"\$(jq -r '.dirs[] | select(.path | startswith(\"/srv/\")) | .path' '$out/dirs.esc')\" = \"\$(printf '/srv/a b\\nc')\" ] &&
	[ \$(jq '.dirs[] | select(.path == \"/srv\") | .dirty' '$out/dirs.esc') = 4096 ] &&
	[ \$(jq '.dirs[] | select(.path == \"<none>\") | .cached' '$out/dirs.esc') = 819200 ] &&
	[ \$(jq '.dirs[] | select(.path == \"[0:99]/x\") | .cached' '$out/dirs.esc') = 8192 ] &&
	[ \$(jq '.dirs[] | select(.path == \"[0:99]\") | .cached' '$out/dirs.esc') = 8192 ] &&
	'$ml' files --by-dir 2 -r -n -o path --debugfs '$de' --mountinfo '$mi' | grep -qxF '/srv/a\\x20b\\x0ac'"
db2=$(variant dirscut dirs "awk '\$1 == \"total\" || \$4 >= 200' '$d/dirs'; echo 'below 200 6'")
tap_check "files --by-dir with directories left out: said, the total from the total rows" bash -c "
	LC_ALL=C '$ml' files --by-dir --debugfs '$db2' --mountinfo '$mi' >'$out/dirs.cut' 2>'$out/dirs.cut.err' &&
	[ ! -s '$out/dirs.cut.err' ] && grep -q '^ *21.2M .* /\$' '$out/dirs.cut' && diff - <(tail -n 2 '$out/dirs.cut') <<-'EOF'
	Total: 59 files, 21.2M cached, 0B dirty or under writeback, 1.7M mapped, in 12 directories
	Directories with less than 200K cached directly in them are not listed (6 directories): the sums above them leave them out, the total counts them.
	EOF
	'$ml' files --by-dir -r -n --debugfs '$db2' --mountinfo '$mi' 2>&1 >/dev/null |
		grep -qx 'memlens: directories with less than 200K cached directly in them are not listed (6 directories)' &&
	'$ml' files --by-dir -J -t 1 --debugfs '$db2' --mountinfo '$mi' 2>&1 >/dev/null | grep -q 'not listed (6 directories)'"
tap_check "files --by-dir -w: a stamped sample each, ΔCACHED blank first, then 0" bash -c "
	'$ml' files --by-dir 0 -w 0.1 --count 2 -r -b -o cached,dcached,path --debugfs '$d' --mountinfo '$mi' >'$out/dirs.w' &&
	[ \$(grep -c '^# .* sample [12]\$' '$out/dirs.w') = 2 ] &&
	[ \"\$(grep -v '^#' '$out/dirs.w' | tr '\n' ' ')\" = 'CACHED DCACHED PATH 22274048 - / CACHED DCACHED PATH 22274048 0 / ' ]"
tap_check "files --by-dir: -H lists OWN; a path with nothing cached: the header, the total, exit 1" bash -c "
	'$ml' files --by-dir -H | grep -q '^ *OWN  *page cache of the files directly in it' &&
	'$ml' files -H | grep -q '^ *INO ' &&
	{ LC_ALL=C '$ml' files --by-dir --debugfs '$d' --mountinfo '$mi' '$out' >'$out/dirs.none'; [ \$? = 1 ]; } &&
	head -n 1 '$out/dirs.none' | grep -q PATH && tail -n 1 '$out/dirs.none' | grep -q '^Total: 0 files'"
tap_check "files -w without --by-dir" fails_with "^memlens: --watch needs --by-dir in 'memlens files'\$" \
	"$ml" files -w 1 --debugfs "$d"
tap_check "files --by-dir --dirty" fails_with "^memlens: --dirty does not apply to --by-dir" \
	"$ml" files --by-dir --dirty --debugfs "$d"
tap_check "files --by-dir=x" fails_with "^memlens: invalid depth: 'x'" "$ml" files --by-dir=x --debugfs "$d"
tap_check "files --by-dir, no dirs file (an older module): says so" \
	fails_with "the memlens module is older than this reader, with no dirs view" \
	"$ml" files --by-dir --debugfs "$fx/6.1"
tap_check "files --by-dir, a bad row: names the dirs file and line" \
	fails_with "/dirs:3: expected 8 fields, found 7" \
	"$ml" files --by-dir --debugfs "$(variant dirsbad dirs "sed '3s/ [^ ]*\$//' '$d/dirs'")"
# The pss columns of ps, from fixtures/pss over 6.12's files: init (1) and
# sh (150) ok, sleep (155) busy, cat (160) partial, and kworker/u9:0 (74)
# not in the pss file, as a process that exited between the two reads.
pd=$out/pss.d && mkdir -p "$pd" && cp "$fx"/6.12/* "$pd"/ && cp "$fx"/pss/* "$pd"/
tap_check "ps -o +pss,uss: the pss file joined to processes by pid" bash -c "
	[ \"\$('$ml' ps -r -n -b -o pid,rss,pss,uss,comm -p 1,150 --debugfs '$pd')\" = \
		\"\$(printf '1 1769472 716800 65536 init\n150 1683456 665600 65536 sh')\" ] &&
	'$ml' ps -o +pss,uss -p 1 --debugfs '$pd' | head -1 | grep -q 'COMM  *PSS  *USS\$'"
printf '%s\n' 'PID PSS USS' ' 74   -   -' '155   -   -' \
	'-: not known: mmap lock busy (not waited for), or the process came or went' >"$out/pss.busy.want"
tap_check "pss: a busy row and a pid not in the file show -, never 0, and a footnote" bash -c "
	'$ml' ps -o pid,pss,uss -p 74,155 --debugfs '$pd' | diff '$out/pss.busy.want' - &&
	[ \"\$('$ml' ps -r -n -o pid,pss,pss_status -p 74,155 --debugfs '$pd')\" = \
		\"\$(printf '74 - -\n155 - busy')\" ]"
tap_check "pss: a partial row is marked * for people, plain for -r; a footnote says why" bash -c "
	'$ml' ps -o pid,pss,uss -p 160 --debugfs '$pd' >'$out/pss.partial' &&
	sed -n 2p '$out/pss.partial' | grep -qx '160 400K\\* 56K\\*' &&
	[ \"\$(sed -n 3p '$out/pss.partial')\" = '*: partial: the time budget ran out; the pages counted so far' ] &&
	[ \"\$('$ml' ps -r -n -b -o pid,pss,pss_status -p 160 --debugfs '$pd')\" = '160 409600 partial' ]"
tap_check "pss: no footnote when every row is ok, nor with -n" bash -c "
	[ \$('$ml' ps -o pid,pss -p 1,150 --debugfs '$pd' | wc -l) = 3 ] &&
	[ \$('$ml' ps -n -o pid,pss -p 74,155 --debugfs '$pd' | wc -l) = 2 ]"
tap_check "--sort pss: largest first, blanks last both ways" bash -c "
	'$ml' ps -A -s pss -r -n -b -o pid,pss --debugfs '$pd' >'$out/pss.sort' &&
	[ \"\$(head -3 '$out/pss.sort' | tr '\n' ' ')\" = '1 716800 150 665600 160 409600 ' ] &&
	[ \"\$(tail -2 '$out/pss.sort' | tr '\n' ' ')\" = '74 - 155 - ' ] &&
	'$ml' ps -A -s +pss -r -n -b -o pid,pss --debugfs '$pd' >'$out/pss.sort2' &&
	[ \"\$(tail -3 '$out/pss.sort2' | tr '\n' ' ')\" = '1 716800 74 - 155 - ' ] &&
	[ \"\$('$ml' ps -A -s uss --reverse -t 2 -r -n -o pid --debugfs '$pd' | tr '\n' ' ')\" = '2 3 ' ]"
tap_check "pss -J: null for busy and missing, numbers for the rest" bash -c "
	'$ml' ps -A -J -b -o pid,pss,uss,pss_status --debugfs '$pd' | jq -e '
		(.processes[] | select(.pid == 155) | .pss == null and .uss == null and .pss_status == \"busy\") and
		(.processes[] | select(.pid == 74) | .pss == null and .pss_status == null) and
		(.processes[] | select(.pid == 1) | .pss == 716800 and .uss == 65536) and
		(.processes[] | select(.pid == 160) | .pss == 409600 and .pss_status == \"partial\")'"
tap_check "pss is read only for its columns, not for ps nor --output-all" bash -c "
	dg=\$(mktemp -d) && cp '$pd'/* \$dg/ && echo garbage >\$dg/pss &&
	'$ml' ps --debugfs \$dg >/dev/null && '$ml' ps --output-all --debugfs \$dg >'$out/pss.all' &&
	! head -1 '$out/pss.all' | grep -q PSS &&
	'$ml' ps -s pss -o pid --debugfs \$dg 2>&1 | grep -q 'pss:1: not a memlens pss header'"
tap_check "ps -H lists the pss columns" bash -c "
	'$ml' ps -H >'$out/pss.cols' && grep -q '^ *PSS  proportional set size' '$out/pss.cols' &&
	grep -q '^ *USS  unique set size' '$out/pss.cols' && grep -q '^ *SWAP_PSS  ' '$out/pss.cols'"
pu=$out/pss.unsup && mkdir -p "$pu" && cp "$pd"/* "$pu"/ &&
	sed -i 's/^pss: .*/pss: unsupported: no way to walk/' "$pu/version"
tap_check "pss columns on a kernel whose version file says unsupported" \
	fails_with "pss view is unsupported on this kernel: no way to walk" \
	"$ml" ps -o +pss --debugfs "$pu"
tap_check "pss columns with an older module, no pss file" \
	fails_with "/pss: no such file: the memlens module is older than this reader" \
	"$ml" ps -o pid,uss --debugfs "$d"
# ok rows: init and sh; PSS 700 + 650 kB, USS 64 + 64 kB, RSS 1728 + 1644 kB
tap_check "summary: PSS and USS of the ok rows, what RSS counts twice, who is left out" bash -c "
	'$ml' -b --debugfs '$pd' | tr '\n' ' ' | tr -s ' ' >'$out/pss.summary' &&
	grep -qF 'Their PSS adds up to 1382400 (each shared page divided among the processes that map it), their USS (pages only one process maps) to 131072: the RSS sum counts 2070528 of shared pages more than once (RSS - PSS: anon pages shared copy-on-write after fork, file pages and shmem). Left out: 3 processes (1 busy, mmap lock not waited for; 1 partial, time budget ran out; 1 not in the pss file, come or gone between the reads).' '$out/pss.summary' &&
	[ \$(awk '\$10 == \"ok\" { s += \$3 } END { print s * 1024 }' '$pd/pss') = 1382400 ] &&
	'$ml' -b --debugfs '$pu' | grep -q 'RSS adds up to' && ! '$ml' --debugfs '$pu' | grep -q 'PSS adds' &&
	'$ml' --debugfs '$d' | grep -q 'RSS adds up to' && ! '$ml' --debugfs '$d' | grep -q 'PSS adds'"
# -p 1: every per-process sum is init's alone (RSS 1728 kB, PSS 700, USS 64)
tap_check "summary -p 1: RSS, PSS and RSS - PSS of the selection; system-wide figures said so" bash -c "
	COLUMNS=1000 '$ml' -b -p 1 --debugfs '$pd' >'$out/sel.summary' &&
	grep -qF 'The one process selected: its RSS adds up to 1769472, counting a shared page once per process. Its PSS adds up to 716800 ' '$out/sel.summary' &&
	grep -qF 'its USS (pages only one process maps) to 65536: its RSS counts 1052672 more than its PSS (RSS - PSS' '$out/sel.summary' &&
	grep -q '^System-wide, every process of every pid namespace: the pages mapped, each counted once (AnonPages + Mapped), are ' '$out/sel.summary' &&
	grep -q '^Shared files, system-wide (every process of every pid namespace): ' '$out/sel.summary' &&
	[ \$(sed -n '/^Top 10/,\$p' '$out/sel.summary' | wc -l) = 3 ]"
# Before 6.2 the RSS counters lag: init's processes-file rss (100 kB) below its PSS (700 kB)
pl=$out/pss.lag && mkdir -p "$pl" && cp "$pd"/* "$pl"/ &&
	awk 'NR > 1 && $1 == 1 { $6 = 100 } { print }' "$pd/processes" >"$pl/processes"
tap_check "summary: a PSS above the RSS counters' sum is said to be their lag, with the walk's RSS" bash -c "
	COLUMNS=1000 '$ml' -b -p 1 --debugfs '$pl' >'$out/lag.summary' &&
	grep -qF 'its RSS adds up to 102400,' '$out/lag.summary' &&
	grep -qF \"This kernel's RSS counters lag behind its page tables: the PSS exceeds the RSS sum, where the page walk finds an RSS of 1769472.\" '$out/lag.summary' &&
	! grep -q 'lag behind' '$out/sel.summary'"
# A pid namespace's processes file: no kernel threads (kthreadd is pid 2 of the initial one)
pn=$out/pidns && mkdir -p "$pn" && cp "$pd"/* "$pn"/ &&
	awk 'NR == 1 || ($1 != 2 && $2 != 2)' "$pd/processes" >"$pn/processes"
nsrss=$(awk 'NR > 1 { s += $6; n++ } END { print s * 1024 " " n }' "$pn/processes")
tap_check "summary in a pid namespace: the RSS sum is its processes', meminfo's is said system-wide" bash -c "
	COLUMNS=1000 '$ml' -b --debugfs '$pn' >'$out/ns.summary' &&
	set -- $nsrss && [ \$2 -lt $(rows "$pd/processes") ] &&
	grep -qF \"The \$2 processes of this pid namespace: their RSS adds up to \$1, counting\" '$out/ns.summary' &&
	grep -qF 'wherever they are), their USS' '$out/ns.summary' &&
	grep -q '^System-wide, every process of every pid namespace: the pages mapped' '$out/ns.summary' &&
	! grep -q 'of the system' '$out/ns.summary' &&
	COLUMNS=1000 '$ml' -b --debugfs '$pd' | grep -qF 'processes of the system: their RSS adds up to 6430720, counting a shared page once per process; the pages they map'"
# -w reads pss with each sample: the second one with init's pss grown
pw=$out/pss.w && mkdir -p "$pw" && cp "$pd"/* "$pw"/ && rm "$pw/pss" && mkfifo "$pw/pss"
sed 's/^1 1728 700 /1 1728 900 /' "$pd/pss" >"$out/pss.2"
tap_check "-w with pss columns reads pss again each interval" bash -c "
	'$ml' ps -w 0.1 --count 2 -r -b -o pid,pss -p 1 --debugfs '$pw' >'$out/pss.wout' &
	pid=\$!
	timeout 10 cat '$pd/pss' >'$pw/pss'
	for i in \$(seq 100); do [ -s '$out/pss.wout' ] && break; sleep 0.1; done
	timeout 10 cat '$out/pss.2' >'$pw/pss'
	wait \$pid && [ \"\$(grep '^1 ' '$out/pss.wout' | awk '{ print \$2 }' | tr '\n' ' ')\" = '716800 921600 ' ]"

# Options a command does not use are refused, as the peers refuse them:
# one line, naming where the option applies, status 1, nothing on stdout.
refused() { # MESSAGE COMMAND...: the whole message, after "memlens: "
	local msg=$1 st
	shift
	"$@" >"$out/stdout" 2>"$out/stderr"
	st=$?
	[ $st = 1 ] && [ ! -s "$out/stdout" ] && [ "$(cat "$out/stderr")" = "memlens: $msg" ] ||
		{ echo "exit $st: $(cat "$out/stderr")"; return 1; }
}
d=$fx/6.12
tap_check "--fstype with ps" refused \
	"--fstype does not apply to 'memlens ps' (only to files, shared)" \
	"$ml" ps --fstype ext4 --debugfs "$d"
tap_check "slab -p" refused \
	"--pid does not apply to 'memlens slab' (only to the summary, ps, --prometheus)" \
	"$ml" slab -p 1 --debugfs "$d"
tap_check "mem -c" refused \
	"--comm does not apply to 'memlens mem' (only to the summary, ps, --prometheus)" \
	"$ml" mem -c x --debugfs "$d"
tap_check "files -u" refused \
	"--user does not apply to 'memlens files' (only to the summary, ps, --prometheus)" \
	"$ml" files -u root --debugfs "$d"
tap_check "version -J" refused \
	"--json does not apply to 'memlens version' (only to ps, mem, slab, files, shared, pages, vmalloc, cgroups, map)" \
	"$ml" version -J --debugfs "$d"
tap_check "version -H" refused \
	"--list-columns does not apply to 'memlens version' (only to the summary, ps, mem, slab, files, shared, pages, vmalloc, cgroups, map)" \
	"$ml" version -H
tap_check "mem --prometheus" refused \
	"--prometheus does not apply to 'memlens mem' (only to the summary)" \
	"$ml" mem --prometheus --debugfs "$d"
tap_check "--prometheus -J" refused \
	"--json does not apply to --prometheus (only to ps, mem, slab, files, shared, pages, vmalloc, cgroups, map)" \
	"$ml" --prometheus -J --debugfs "$d"
tap_check "--prometheus -s" refused \
	"--sort does not apply to --prometheus (only to the summary, ps, mem, slab, files, shared, pages, vmalloc, cgroups, map)" \
	"$ml" --prometheus -s rss --debugfs "$d"
tap_check "the summary -r" refused \
	"--raw does not apply to the summary (only to ps, mem, slab, files, shared, pages, vmalloc, cgroups, map)" \
	"$ml" -r --debugfs "$d"
tap_check "the summary -w" refused "--watch does not apply to the summary (only to ps, files, pages, cgroups, map)" \
	"$ml" -w 1 --debugfs "$d"
tap_check "slab --count" refused "--count does not apply to 'memlens slab' (only to ps, files, pages, cgroups, map)" \
	"$ml" slab --count 2 --debugfs "$d"
tap_check "-J with -r, as lsblk" refused "mutually exclusive arguments: --json --raw" \
	"$ml" ps -J -r --debugfs "$d"
tap_check "mem --reverse without --sort" refused "--reverse needs --sort with 'memlens mem'" \
	"$ml" mem --reverse --debugfs "$d"

# Malformed ids, unknown users and bad patterns, before anything is read.
for bad in -5:-5 0:0 +1:+1 1x:1x 1,,2: 1,: :  99999999999:99999999999 1,-2:-2; do
	tap_check "-p '${bad%%:*}' is refused" refused "invalid pid: '${bad#*:}'" \
		"$ml" ps -p "${bad%%:*}" --debugfs /nonexistent
done
tap_check "-u of an unknown name is an error, as in ps" refused "unknown user: 'nosuchuser'" \
	"$ml" ps -u root,nosuchuser --debugfs /nonexistent
tap_check "-u -1 is refused" refused "unknown user: '-1'" "$ml" ps -u -1 --debugfs /nonexistent
tap_check "-c with an empty pattern in its list" refused "invalid pattern '': empty pattern" \
	"$ml" ps -c 'a,,b' --debugfs /nonexistent
tap_check "-c with a bad pattern" fails_with "invalid pattern '(': " \
	"$ml" ps -c 'init,(' --debugfs /nonexistent

# Comma lists, repeated options adding up.
tap_check "-p 1 -p 2 shows both, as -p 1,2" bash -c "
	[ \"\$('$ml' ps -n -r -o pid -p 1 -p 2 --debugfs '$d' | tr '\n' ' ')\" = '1 2 ' ] &&
	[ \"\$('$ml' ps -n -r -o pid -p 2,1 -p 150,1 --debugfs '$d' | tr '\n' ' ')\" = '1 2 150 ' ]"
tap_check "-c takes a comma list; a comma in braces is the pattern's" bash -c "
	[ \"\$('$ml' ps -n -r -o pid -c '^init\$' -c '^s{1,2}h\$,^nomatch' --debugfs '$d' | tr '\n' ' ')\" = '1 150 ' ]"
tap_check "-u root,0 -u root selects each process once" bash -c "
	cmp <('$ml' ps -n -r -u root,0 -u root --debugfs '$d') <('$ml' ps -A -n -r --debugfs '$d')"
tap_check "-p and -c together: both must match, as pgrep" bash -c "
	[ \"\$('$ml' ps -n -r -o pid -p 1,150 -c '^sh\$' --debugfs '$d')\" = 150 ]"

# An empty selection prints the header and fails, as ps -p and pgrep.
empty() { # WANT COMMAND...: stdout WANT and status 1
	local want=$1 st
	shift
	"$@" >"$out/stdout" 2>"$out/stderr"
	st=$?
	[ $st = 1 ] && [ ! -s "$out/stderr" ] && [ "$(cat "$out/stdout")" = "$want" ] ||
		{ echo "exit $st"; cat "$out/stdout" "$out/stderr"; return 1; }
}
hdr='PID USER VSZ RSS ANON FILE SHMEM SWAP COMM'
tap_check "-p 99999: the header, status 1" empty "$hdr" "$ml" ps -p 99999 --debugfs "$d"
tap_check "-c nomatch: the header, status 1" empty "$hdr" "$ml" ps -c nomatch --debugfs "$d"
tap_check "-u of a user who runs nothing: the header, status 1" empty "$hdr" \
	"$ml" ps -u 4242 --debugfs "$d"
tap_check "an empty selection, sorted raw: the header, status 1" empty "PID RSS" \
	"$ml" ps -p 99999 -r -o pid,rss -s rss --debugfs "$d"
tap_check "an empty selection with -n: nothing, status 1" empty "" \
	"$ml" ps -p 99999 -n --debugfs "$d"
tap_check "an empty selection in JSON: an empty array, status 1" bash -c "
	'$ml' ps -J -p 99999 --debugfs '$d' >'$out/empty.json'; [ \$? = 1 ] &&
	[ \"\$(jq -c . '$out/empty.json')\" = '{\"processes\":[]}' ]"
# The summary's sums are over the selection: an empty one is refused before any of it.
summary_empty() { # DIR SELECTION...
	local dir=$1
	shift
	fails_with '^memlens: no process matches the selection$' "$ml" "$@" --debugfs "$dir" &&
		[ ! -s "$out/stdout" ]
}
for sel in "-p 99999" "-c zzz" "-u 4242"; do
	# shellcheck disable=SC2086 # the selection is two words
	tap_check "the summary with an empty selection ($sel): one error, no output, status 1" \
		summary_empty "$d" $sel
done
tap_check "a selection that matches exits 0" bash -c "'$ml' ps -p 1 --debugfs '$d' >/dev/null"

# Sorting: -t N alone keeps the N largest of the natural size column.
tap_check "ps -t 5 sorts by rss, largest first" bash -c "
	'$ml' ps -A -t 5 -r -n -b -o rss --debugfs '$d' >'$out/t' &&
	[ \"\$(cat '$out/t')\" = \"\$('$ml' ps -A -s rss -r -n -b -o rss --debugfs '$d' | head -n 5)\" ] &&
	sort -n -r -c '$out/t' && [ \$(wc -l <'$out/t') = 5 ] && [ \$(head -n 1 '$out/t') -gt 0 ]"
tap_check "ps without -t or -s stays in pid order" bash -c "
	'$ml' ps -r -n -o pid --debugfs '$d' >'$out/t' && sort -n -c '$out/t'"
tap_check "slab -t 5 by total, files -t 5 by cached, shared by in_rss" bash -c "
	'$ml' slab -t 5 -r -n -b -o total --debugfs '$d' >'$out/t1' && sort -n -r -c '$out/t1' &&
	[ \"\$(head -n 1 '$out/t1')\" = \"\$(tail -n +2 '$d/slab' | awk '{ print \$11 * 1024 }' | sort -n -r | head -n 1)\" ] &&
	'$ml' files -t 5 -r -n -b -o cached --debugfs '$d' --mountinfo '$fx/6.12/mountinfo' >'$out/t2' &&
	sort -n -r -c '$out/t2' && [ \$(wc -l <'$out/t2') = 5 ] &&
	'$ml' shared -t 5 -r -n -b -o in_rss --debugfs '$d' --mountinfo '$fx/6.12/mountinfo' >'$out/t3' &&
	sort -n -r -c '$out/t3'"
tap_check "--reverse: ps -t 3 shows the three smallest" bash -c "
	[ \"\$('$ml' ps -A -t 3 --reverse -r -n -b -o rss --debugfs '$d')\" = \
	  \"\$(tail -n +2 '$d/processes' | awk '{ print \$6 * 1024 }' | sort -n | head -n 3)\" ]"
tap_check "-s +rss and --reverse are ascending, -s -rss descending (ps --sort)" bash -c "
	'$ml' ps -s +rss -r -n -b -o rss --debugfs '$d' >'$out/a' && sort -n -c '$out/a' &&
	! sort -n -r -c '$out/a' 2>/dev/null &&
	'$ml' ps -s rss --reverse -r -n -b -o rss --debugfs '$d' | cmp - '$out/a' &&
	'$ml' ps -s -rss -r -n -b -o rss --debugfs '$d' >'$out/b' && sort -n -r -c '$out/b' &&
	'$ml' ps -s -rss --reverse -r -n -b -o rss --debugfs '$d' | cmp - '$out/a'"
tap_check "-s -pid and --reverse alone: pids descending" bash -c "
	'$ml' ps -A -s -pid -r -n -o pid --debugfs '$d' >'$out/p' && sort -n -r -c '$out/p' &&
	[ \$(wc -l <'$out/p') -gt 10 ] && '$ml' ps -A --reverse -r -n -o pid --debugfs '$d' | cmp - '$out/p'"
tap_check "-s -comm: names descending" bash -c "
	'$ml' ps -s -comm -r -n -o comm --debugfs '$d' >'$out/c' && sort -r -c '$out/c' &&
	! sort -c '$out/c' 2>/dev/null"
tap_check "files and slab --reverse: smallest first" bash -c "
	'$ml' files --reverse -r -n -b -o cached --debugfs '$d' --mountinfo '$fx/6.12/mountinfo' >'$out/f' &&
	sort -n -c '$out/f' && ! sort -n -r -c '$out/f' 2>/dev/null &&
	'$ml' slab --reverse -r -n -b -o total --debugfs '$d' >'$out/s' && sort -n -c '$out/s' &&
	! sort -n -r -c '$out/s' 2>/dev/null"

# Tables: percentages with % for people, numbers for programs; a count
# is no size; every mem row says what it is.
tap_check "slab EFF and mem PERCENT end in % in human output" bash -c "
	'$ml' slab -o name,eff -n --debugfs '$d' | awk '\$2 !~ /^[0-9]+%\$/ { bad = 1 } END { exit bad }' &&
	[ \"\$('$ml' mem -n -o key,percent --debugfs '$d' | awk '\$1 == \"MemFree\" { print \$2 }')\" = 96.4% ]"
tap_check "-r has no %" bash -c "
	[ \"\$('$ml' mem -r -n -o key,percent --debugfs '$d' | awk '\$1 == \"MemFree\" { print \$2 }')\" = 96.4 ] &&
	'$ml' slab -r -n -o eff --debugfs '$d' >'$out/eff' && [ -s '$out/eff' ] &&
	! grep -qvx '[0-9][0-9]*' '$out/eff'"
tap_check "-J: percent and eff are numbers" bash -c "
	'$ml' slab -J --debugfs '$d' | jq -e 'all(.slab[]; (.eff | type) == \"number\")' >/dev/null &&
	'$ml' mem -J --debugfs '$d' |
		jq -e '.system[] | select(.key == \"MemFree\") | .percent == 96.4' >/dev/null"
tap_check "mem: a count is a number in COUNT, with no SIZE and no PERCENT" bash -c "
	'$ml' mem -J --debugfs '$d' >'$out/mem.json' &&
	jq -e '.system[] | select(.key == \"pgfault\") | .count == 1629 and .size == null and .percent == null' '$out/mem.json' >/dev/null &&
	jq -e '.system[] | select(.key == \"MemTotal\") | .count == null and .size == \"1.9G\"' '$out/mem.json' >/dev/null &&
	[ \"\$('$ml' mem -r -n -o key,size,percent,count --debugfs '$d' | grep '^pgfault ')\" = 'pgfault   1629' ]"
tap_check "mem: every row has a description" bash -c "
	'$ml' mem -J --debugfs '$db' | jq -e 'all(.system[]; (.description // \"\") != \"\")' >/dev/null &&
	[ \$('$ml' mem -J --debugfs '$db' | jq '.system | length') -gt $(wc -l <"$d/system") ]"
tap_check "mem -H lists SIZE, PERCENT and COUNT" bash -c "
	'$ml' mem -H | grep -q '^ *COUNT  ' && '$ml' mem -H | grep -q '^ *SIZE  '"

# slab: the caches' total against meminfo's Slab.
tap_check "slab: a total line with what no cache holds" bash -c "
	[ \"\$('$ml' slab -t 1 --debugfs '$d' | tail -n 1)\" = \
	  'Total: 178 caches, 7.3M in slabs; Slab (meminfo) 8.6M: 1.2M not in any cache (large kmalloc)' ] &&
	[ \"\$('$ml' slab -b --debugfs '$fx/6.1' | tail -n 1)\" = \
	  \"Total: 145 caches, \$((14844 * 1024)) in slabs; Slab (meminfo) \$((16048 * 1024)): \$(((16048 - 14844) * 1024)) not in any cache (large kmalloc)\" ]"
tap_check "slab: no total line in -r, -J or -n" bash -c "
	! '$ml' slab -r --debugfs '$d' | grep -q Total && ! '$ml' slab -n --debugfs '$d' | grep -q Total &&
	'$ml' slab -J --debugfs '$d' | jq . >/dev/null"
sl=$(variant slabmore slab "cat '$d/slab'; echo 'big 1 1 4096 1 1 1 1 4096 4096 4096 4096 0 100 0 0 0'")
tap_check "slab: caches holding more than Slab read later" bash -c "
	'$ml' slab --debugfs '$sl' | tail -n 1 |
		grep -qx 'Total: 179 caches, 11.3M in slabs; Slab (meminfo) 8.6M, read a moment later, is 2.8M less'"

# memlens map, against a process's smaps and status captured from the host
# (bash on 6.18), and variants of them.
pr=$fx/proc
sm=$pr/4242/smaps
# A copy of the captured process with its FILE made by COMMAND.
pvariant() { # NAME FILE COMMAND
	local d=$out/$1
	mkdir -p "$d/4242" && cp -P "$pr"/4242/* "$d/4242/"
	eval "$3" >"$d/4242/$2.new" && mv "$d/4242/$2.new" "$d/4242/$2"
	echo "$d"
}
# "start end size rss swap perms" of every VMA of an smaps file, in bytes
smaps_rows() {
	awk '/^[0-9a-f]+-/ { if (r) print r, s, rss, sw, p; split($1, a, "-"); r = a[1] " " a[2]; p = $2 }
		/^Size:/ { s = $2 * 1024 } /^Rss:/ { rss = $2 * 1024 } /^Swap:/ { sw = $2 * 1024 }
		END { print r, s, rss, sw, p }' "$1" | sed 's/^0*\([0-9a-f]\)/\1/; s/ 0*\([0-9a-f]\)/ \1/'
}
# Every row starts where the one before ends; a gap is between two regions,
# and its VSZ is its range (64-bit arithmetic: the gap below [vsyscall]).
gaps_ok() { # RAW_OUTPUT: start end vsz kind
	local s e v k pend= pk= g=0
	while read -r s e v k; do
		[ -z "$pend" ] || [ $((16#$s)) = "$pend" ] || { echo "hole at $s"; return 1; }
		if [ "$k" = gap ]; then
			[ "$pk" != gap ] && [ "$(printf %u $((16#$e - 16#$s)))" = "$v" ] ||
				{ echo "bad gap $s $e $v"; return 1; }
			g=$((g + 1))
		fi
		pend=$((16#$e)) pk=$k
	done <"$1"
	[ $g -gt 0 ]
}
export -f smaps_rows gaps_ok fails_with
export out
tap_check "map -J -b: a row per VMA, values equal smaps'" bash -c "
	'$ml' map -J -b -o start,end,vsz,rss,swap,perm,kind --proc '$pr' 4242 |
		jq -r '.map[] | select(.kind != \"gap\") | [.start, .end, .vsz, .rss, .swap, .perm] | join(\" \")' |
		sed 's/^0*\([0-9a-f]\)/\1/; s/ 0*\([0-9a-f]\)/ \1/' >'$out/map.json' &&
	diff <(smaps_rows '$sm') '$out/map.json'" 
tap_check "map: a gap row between regions that do not touch, of their distance" bash -c "
	'$ml' map -r -n -b -o start,end,vsz,kind --proc '$pr' 4242 >'$out/map.raw' &&
	gaps_ok '$out/map.raw' &&
	[ \$(grep -vc ' gap\$' '$out/map.raw') = \$(grep -c '^[0-9a-f]*-' '$sm') ]"
tap_check "map: what each region is" bash -c "
	'$ml' map -r -n -o kind,name --proc '$pr' 4242 >'$out/map.kinds' &&
	grep -qx 'program /usr/bin/bash' '$out/map.kinds' &&
	grep -qx 'library /usr/lib/x86_64-linux-gnu/libc.so.6' '$out/map.kinds' &&
	grep -qx 'file /usr/lib/locale/C.utf8/LC_CTYPE' '$out/map.kinds' &&
	for k in 'heap \\[heap\\]' 'stack \\[stack\\]' 'vdso \\[vdso\\]' 'vvar \\[vvar\\]' \
		'vsyscall \\[vsyscall\\]' 'anon ' 'gap '; do grep -qx \"\$k\" '$out/map.kinds' || exit 1; done"
tap_check "map: the total line is the sum over smaps, and equals status" bash -c "
	'$ml' map -b --proc '$pr' 4242 | tail -n 2 >'$out/map.total' &&
	want=\$(awk '/^Size:/ { v += \$2 } /^Rss:/ { r += \$2 } END { print \"VSZ \" v * 1024 \", RSS \" r * 1024 }' '$sm') &&
	grep -q \"^Total: 43 regions, \$want, \" '$out/map.total' &&
	grep -q \"status: VmSize \$(awk '/^VmSize/ { print \$2 * 1024 }' '$pr/4242/status'), VmRSS \$(awk '/^VmRSS/ { print \$2 * 1024 }' '$pr/4242/status'), .*: VmSize and VmRSS equal the sums; \\[vsyscall\\] is not in VmSize\\\$\" '$out/map.total'"
dlag=$(pvariant lag status "awk '/^VmRSS:/ { \$2 -= 8 } { print }' '$pr/4242/status'")
tap_check "map: a status lagging the sums (before 6.2) says by how much" bash -c "
	'$ml' map --proc '$dlag' 4242 | tail -n 1 |
		grep -q 'VmRSS [0-9.]*M (8K below the sum), VmSwap 0B: \\[vsyscall\\] is not in VmSize; .* older than 6.2'"
dnoexe=$(pvariant noexe smaps "cat '$sm'; rm '$out/noexe/4242/exe'")
tap_check "map: without /proc/PID/exe, the file mapped lowest is the program" bash -c "
	[ \$('$ml' map -r -n -o kind,name --proc '$dnoexe' 4242 | grep -c '^program /usr/bin/bash\$') = 5 ]"
tap_check "map: the bar only in human output, the total line only there" bash -c "
	'$ml' map --proc '$pr' 4242 | head -1 | grep -q ' MAP ' &&
	! '$ml' map -r --proc '$pr' 4242 | grep -q -e MAP -e '^Total' &&
	! '$ml' map -J --proc '$pr' 4242 | grep -q -e '\"map\": \"' -e Total &&
	'$ml' map --proc '$pr' 4242 | grep ' heap ' | grep -q '[#-]' &&
	'$ml' map --proc '$pr' 4242 | grep -q ' gap  *~~~~~~~//~~~~~~~'"
# the heap grown by 64K, a region gone, for the bar and the live view
heap=$(grep -o '^[0-9a-f]*-[0-9a-f]* .*\[heap\]' "$sm" | cut -d ' ' -f 1)
hend=$(printf %x $((16#${heap#*-} + 65536)))
awk -v h="$heap" -v e="${heap%-*}-$hend" '$1 == h { sub(h, e); in_heap = 1 }
	in_heap && /^(Size|Rss):/ { sub(/[0-9]+/, $2 + 64) } /^Rss:/ { in_heap = 0 } { print }' "$sm" \
	>"$out/watch.smaps2"
awk '/LC_NAME$/ { skip = 1; next } /^[0-9a-f]+-/ { skip = 0 } !skip' "$out/watch.smaps2" >"$out/watch.smaps3"
dw=$(pvariant watch smaps "cat '$out/watch.smaps3'")
tap_check "map: the bar to scale: the largest region full, resident part #, a small gap ." bash -c "
	'$ml' map -b -o kind,map,vsz,rss --proc '$dw' 4242 | sed 1d | grep -v '^Total\|status:' >'$out/bars' &&
	big=\$(awk '\$1 != \"gap\" && \$3 > m { m = \$3 } END { print m }' '$out/bars') &&
	awk -v big=\$big '\$1 != \"gap\" && \$3 == big && \$2 !~ /^#+-*\$/ { bad = 1 }
		\$1 != \"gap\" && \$3 == big && length(\$2) != 16 { bad = 1 }
		\$1 != \"gap\" && \$4 == 0 && \$2 ~ /#/ { bad = 1 }
		\$1 == \"gap\" && \$3 == 4096 && \$2 == \".\" { dot = 1 } END { exit bad || !dot }' '$out/bars'"
tap_check "map -H lists KIND and the change columns" bash -c "
	'$ml' map -H | grep -q '^ *KIND ' && '$ml' map -H | grep -q '^ *DRSS '"
# a live view of it: the original, then the variant
cp "$sm" "$dw/4242/smaps"
tap_check "map -w: ΔVSZ and ΔRSS of a region that grew; new and gone regions" bash -c "
	( sleep 1; cp '$out/watch.smaps3' '$dw/4242/smaps' ) &
	'$ml' map -w 2 --count 2 -r -b -o start,kind,dvsz,drss,change,name --proc '$dw' 4242 >'$out/watch.out' &&
	wait && [ \$(grep -c '^START' '$out/watch.out') = 2 ] &&
	awk '/^START/ { n++; next } \$2 == \"gap\" { next }
		n == 1 && (\$3 != 0 || \$4 != 0 || / (new|gone) /) { bad = 1 }
		n == 2 && \$2 == \"heap\" { h = (\$3 == 65536 && \$4 == 65536) }
		n == 2 && \$5 == \"gone\" && /LC_NAME\$/ { g = (\$3 == -4096) }
		END { exit !(h && g && !bad) }' '$out/watch.out'"
# refusals: one line, status 1
tap_check "map: a missing pid" fails_with "no such process: 99999" "$ml" map --proc "$pr" 99999
tap_check "map: no pid, two pids, not a pid" bash -c "
	fails_with 'no pid given' '$ml' map && fails_with 'one pid only' '$ml' map 1 2 &&
	fails_with \"invalid pid: '12x'\" '$ml' map 12x && fails_with \"invalid pid: '-3'\" '$ml' map -- -3"
tap_check "map: -p and --prometheus refused, --proc refused elsewhere" bash -c "
	fails_with \"--pid does not apply to 'memlens map'\" '$ml' map -p 1 1 &&
	fails_with \"--prometheus does not apply to 'memlens map'\" '$ml' map --prometheus 1 &&
	fails_with \"--proc does not apply to 'memlens mem' (only to ps, vmalloc, map)\" '$ml' mem --proc /proc"
tap_check "map: a kernel thread (empty smaps) has no address space" fails_with \
	"process 4242 has no address space" "$ml" map --proc "$(pvariant kthread smaps true)" 4242
# smaps refused: owned by a uid that a new user namespace does not map,
# mode 0600.  Its root (unshare -r) has no right over the file, as over a
# process outside it, and is told that root too needs ptrace read access,
# and what denies it as DIR/self tells; uid 65534 there (no -r) is told to
# run memlens as root.
if [ "$(id -u)" = 0 ] && unshare -U -r true 2>/dev/null; then
	dden=$(pvariant denied smaps "cat '$sm'")
	chown 4000 "$dden/4242/smaps" && chmod 600 "$dden/4242/smaps"
	# memlens's own user namespace and CapEff, in a copy: NAME NS_INODE CAPEFF
	denied_self() {
		local d=$out/denied-$1
		rm -rf "$d" && mkdir -p "$d/self/ns" && cp -a "$dden/4242" "$d/" &&
			ln -s "user:[$2]" "$d/self/ns/user" &&
			sed "s/^CapEff:.*/CapEff:\t$3/" "$pr/4242/status" >"$d/self/status" && echo "$d"
	}
	denied="^memlens: permission denied reading .*/4242/smaps: even root needs ptrace read access to the process: "
	for v in \
		"userns@4026532201@000001ffffffffff@memlens runs in a user namespace, whose root has none over a process outside it" \
		"noptrace@4026531837@000001fffef7ffff@memlens runs without CAP_SYS_PTRACE, which a process of other ids, with more capabilities or not dumpable requires" \
		"lsm@4026531837@000001ffffffffff@a security module denies it" \
		; do
		IFS='@' read -r name ino capeff msg <<<"$v"
		tap_check "map: permission denied as root ($name): says what denies ptrace read access" \
			fails_with "$denied$msg\$" unshare -U -r "$ml" map --proc "$(denied_self "$name" "$ino" "$capeff")" 4242
	done
	tap_check "map: permission denied as root, its credentials unknown: what may deny it" \
		fails_with "${denied}a user namespace, a dropped capability or a security module denies it\$" \
		unshare -U -r "$ml" map --proc "$dden" 4242
	tap_check "map: permission denied as another user: run memlens as root or as the process's user" \
		fails_with "^memlens: permission denied reading $dden/4242/smaps: run memlens as root or as the process's user\$" \
		unshare -U "$ml" map --proc "$dden" 4242
else
	echo "# not root, or no user namespaces (unshare -U -r): map's permission errors untested"
fi
for v in \
	"badhdr@sed '1s/-/+/' '$sm'@smaps:1: not a VMA line" \
	"keyfirst@tail -n +2 '$sm'@smaps:1: a \"Key: value\" line before the first VMA" \
	"size@sed '2s/Size: *[0-9]*/Size: 12/' '$sm'@Size 12 kB is not its range's" \
	"rss@sed '5s/Rss: *[0-9]*/Rss: 99999/' '$sm'@Rss or Swap above Size" \
	"big@sed '5s/Rss: *[0-9]*/Rss: 99999999999999999999/' '$sm'@smaps:5: Rss: not a number of kB" \
	"twice@sed '5p' '$sm'@smaps:6: Rss twice in a VMA" \
	"order@{ sed -n '26,\$p' '$sm'; sed -n '1,25p' '$sm'; }@VMA .*: empty, out of order" \
	"perm@sed '1s/ r--p / rxxp /' '$sm'@smaps:1: bad permissions" \
	"norss@grep -v '^Rss:' '$sm'@has no Rss line" \
	"garbage@head -c 4096 /dev/urandom | tr -d '\n'@smaps:1: " \
	; do
	IFS='@' read -r name cmd msg <<<"$v"
	tap_check "map: malformed smaps ($name)" fails_with "$msg" \
		"$ml" map --proc "$(pvariant "$name" smaps "$cmd")" 4242
done
# The summary beside free(1): procps 4's figures, from the system file.
freeline() { # DIR: "used buff/cache available free shared", in bytes
	COLUMNS=1000 "$ml" -b --debugfs "$1" | sed -n 's/^As free shows it: used \([0-9]*\) (total - available), buff\/cache \([0-9]*\) (B + C + S + R), available \([0-9]*\), free \([0-9]*\), shared \([0-9]*\) (S)\.$/\1 \2 \3 \4 \5/p'
}
fromfile() { # DIR: the same, computed from the file as procps computes it
	awk '{ v[$1] = $2 } END {
		t = v["MemTotal:"]; a = v["MemAvailable:"]
		if (a == 0 || a > t) a = v["MemFree:"]
		print (t - a) * 1024, (v["Buffers:"] + v["Cached:"] + v["SReclaimable:"]) * 1024,
			a * 1024, v["MemFree:"] * 1024, v["Shmem:"] * 1024 }' "$1/system"
}
export -f freeline fromfile
export ml
for k in 6.1 6.12; do
	tap_check "$k: the summary shows free's used, buff/cache and available" bash -c "
		[ -n \"\$(freeline '$fx/$k')\" ] && [ \"\$(freeline '$fx/$k')\" = \"\$(fromfile '$fx/$k')\" ]"
done
fa=$(variant freeavail system "sed 's/^MemAvailable: .*/MemAvailable: 9999999 kB/' '$d/system'")
tap_check "free: an available above total falls back to MemFree, as procps does" bash -c "
	[ \"\$(freeline '$fa')\" = \"\$(fromfile '$fa')\" ] &&
	[ \"\$(freeline '$fa' | cut -d' ' -f3)\" = \$((1948072 * 1024)) ]"

# The bar: a letter in every cell, colour only as an aid; every part that
# is not empty has a cell.  On the 6.12 fixture buffers and page cache are
# 0, anon (180K of 1.9G) much less than a cell.
bar() { sed -n 2p; }
export -f bar
tap_check "the bar: one letter per part, the small ones too, no colour" bash -c "
	COLUMNS=60 '$ml' --color=never --debugfs '$d' | bar >'$out/bar' &&
	grep -qx '\[A\{1\}S\{1,\}R\{1\}U\{1,\}K\{1\}P\{1\}O\{1,\}\.\{1,\}\]' '$out/bar' &&
	[ \$(awk '{ print length }' '$out/bar') = 60 ] &&
	COLUMNS=60 '$ml' --color=never --debugfs '$d' | sed -n 3,5p | grep -q '^ A anon 180K  S shmem 21.2M  C page cache 0B'"
tap_check "NO_COLOR=1 on a terminal: no escape codes; --color=always overrides it" bash -c "
	TERM=xterm NO_COLOR=1 script -qec \"'$ml' --debugfs '$d'\" /dev/null >'$out/tty' &&
	grep -q '^\[ASRUKPOO*\.*\]' '$out/tty' && ! grep -q \$'\\e' '$out/tty' &&
	NO_COLOR=1 '$ml' --color=always --debugfs '$d' | grep -q \$'\\e\\[41;97mA\\e\\[0m anon'"
tap_check "--color=always: each part's colour, its letter in it" bash -c "
	'$ml' --color=always --debugfs '$d' >'$out/colour' &&
	bar <'$out/colour' | grep -q \$'^\\[\\e\\[41;97mA\\e\\[0m\\e\\[45;97mS\\+\\e\\[0m' &&
	grep -q \$' \\e\\[43;30mR\\e\\[0m slab (reclaimable) 780K  \\e\\[103;30mU\\e\\[0m slab (unreclaimable)' '$out/colour'"
tap_check "NO_COLOR= (empty) does not turn colour off on a terminal (no-color.org)" bash -c "
	TERM=xterm NO_COLOR= script -qec \"'$ml' --debugfs '$d'\" /dev/null | grep -q \$'\\e\\[41;97mA' &&
	TERM=xterm '$ml' --debugfs '$d' | grep -q '^\[A' &&
	TERM=dumb script -qec \"'$ml' --debugfs '$d'\" /dev/null | grep -q '^\[A'"
tap_check "--color with a bad mode, or with ps, is refused" bash -c "
	'$ml' --color=blue --debugfs '$d' 2>'$out/err'; [ \$? = 1 ] &&
	[ \"\$(cat '$out/err')\" = \"memlens: invalid --color argument: 'blue' (auto, always or never)\" ] &&
	'$ml' ps --color --debugfs '$d' 2>'$out/err'; [ \$? = 1 ] &&
	[ \"\$(cat '$out/err')\" = \"memlens: --color does not apply to 'memlens ps' (only to the summary)\" ]"
tap_check "the summary's text wraps at COLUMNS" bash -c "
	COLUMNS=50 '$ml' --debugfs '$fx/6.1' | sed '/^Top /,\$d' >'$out/narrow' &&
	[ \$(awk '{ if (length > m) m = length } END { print m }' '$out/narrow') = 50 ] &&
	[ \$(grep -c . '$out/narrow') -gt \$(COLUMNS=200 '$ml' --debugfs '$fx/6.1' | sed '/^Top /,\$d' | grep -c .) ] &&
	grep -q '^  buff/cache' '$out/narrow'"

# The build: plain make for a kernel without headers says so in one line.
top=$here/../..
tap_check "make for a kernel without headers: one line saying so" bash -c "
	make -C '$top' KVER=0.0-bogus >'$out/make.out' 2>'$out/make.err'; [ \$? = 2 ] &&
	[ \$(wc -l <'$out/make.err') = 1 ] &&
	grep -q 'no kernel headers for 0.0-bogus in /lib/modules/0.0-bogus/build' '$out/make.err'"

# --prometheus: the format as promtool checks it, bounded series, exact
# sums, and --textfile's whole-or-nothing file
promtool=${PROMTOOL:-$(command -v promtool || "$here/../../scripts/promtool.sh")}
meminfo='MemTotal|MemFree|MemAvailable|Buffers|Cached|SwapCached|Active_anon|Inactive_anon|Active_file|Inactive_file|Unevictable|Shmem|AnonPages|Mapped|Dirty|Writeback|Slab|SReclaimable|SUnreclaim|KernelStack|PageTables|SwapTotal|SwapFree'
meminfo="$meminfo|Mlocked|AnonHugePages|ShmemHugePages|ShmemPmdMapped|FileHugePages|FilePmdMapped"
meminfo="$meminfo|KReclaimable|SecPageTables|Committed_AS|CommitLimit|VmallocUsed|Percpu"
meminfo="$meminfo|HardwareCorrupted|CmaTotal|CmaFree|Hugepagesize|Hugetlb|Zswap|Zswapped|Unaccepted"
# counts, not sizes: no _bytes
meminfo="$meminfo|HugePages_(Total|Free|Rsvd|Surp)"
prom_lint() { # FILE: no error; warnings only on meminfo's own key spelling
	"$promtool" check metrics <"$1" >"$out/promtool" 2>&1
	[ $? -le 3 ] || { cat "$out/promtool"; return 1; }
	! grep -vE "^memlens_system_($meminfo)(_bytes)? metric names should be written in 'snake_case' not 'camelCase'$" \
		"$out/promtool"
}
series() { grep -vc '^#' "$1"; }
sum_of() { # METRIC FILE
	awk -v m="$1" 'index($0, m "{") == 1 || index($0, m " ") == 1 { s += $NF } END { printf "%.0f\n", s }' "$2"
}
sum_col() { # N FILE: column N of a debugfs table, summed, without its header
	awk -v c="$1" 'NR > 1 { s += $c } END { printf "%.0f\n", s }' "$2"
}
export -f prom_lint series sum_of sum_col
export promtool meminfo
"$ml" --prometheus --debugfs "$d" --mountinfo "$mi" >"$out/p.prom"
tap_check "Prometheus: promtool finds no error, and only meminfo's CamelCase names" \
	prom_lint "$out/p.prom"
tap_check "Prometheus: promtool sees the lint fail on a name memlens made up in CamelCase" bash -c "
	sed 's/memlens_system_page_size_bytes/memlens_system_PageSize_bytes/' '$out/p.prom' >'$out/bad.prom' &&
	! prom_lint '$out/bad.prom'"
tap_check "Prometheus: memlens_up 1, every view's availability, build info" bash -c "
	grep -qx 'memlens_up 1' '$out/p.prom' &&
	grep -qx 'memlens_view_available{view=\"slab\"} 1' '$out/p.prom' &&
	grep -q '^memlens_build_info{version=\"$(cat "$here/../../VERSION")\",module=\"0.1.0\",kernel=\"6.12' '$out/p.prom' &&
	grep -q '^memlens_scrape_duration_seconds [0-9.]*$' '$out/p.prom'"
"$ml" --prometheus --debugfs "$huge" >"$out/huge.prom"
tap_check "Prometheus: 100,000 processes, all of them different, in at most 2000 series" bash -c "
	n=\$(series '$out/huge.prom') && echo \"\$n series\" && [ \$n -le 2000 ] &&
	[ \$(grep -c '^memlens_group_num_procs{' '$out/huge.prom') = 101 ] &&
	! grep -q '^memlens_process_' '$out/huge.prom'"
tap_check "Prometheus: the groups and [other] add up to the processes file exactly" bash -c "
	[ \$(sum_of memlens_group_num_procs '$out/huge.prom') = 100000 ] &&
	[ \$(grep 'memtype=\"rss\"' '$out/huge.prom' | sum_of memlens_group_memory_bytes /dev/stdin) = \$((\$(sum_col 6 '$huge/processes') * 1024)) ] &&
	[ \$(grep 'memtype=\"vsz\"' '$out/huge.prom' | sum_of memlens_group_memory_bytes /dev/stdin) = \$((\$(sum_col 5 '$huge/processes') * 1024)) ]"
tap_check "Prometheus: --max-series 300 caps the series; the sums stay exact" bash -c "
	'$ml' --prometheus --max-series 300 --per-process 50 --debugfs '$huge' >'$out/cap.prom' &&
	n=\$(series '$out/cap.prom') && echo \"\$n series\" && [ \$n -le 300 ] &&
	[ \$(sum_of memlens_group_num_procs '$out/cap.prom') = 100000 ]"
tap_check "Prometheus: --per-process N: the N processes with the most RSS" bash -c "
	'$ml' --prometheus --per-process 3 --debugfs '$huge' >'$out/pp.prom' &&
	[ \$(grep -c '^memlens_process_memory_bytes{' '$out/pp.prom') = 18 ] &&
	grep -qx 'memlens_process_memory_bytes{pid=\"976\",comm=\"p976\",memtype=\"rss\"} 999424' '$out/pp.prom'"
tap_check "Prometheus: --group-by user; kernel threads are one group" bash -c "
	'$ml' --prometheus --group-by user --debugfs '$huge' >'$out/user.prom' &&
	grep -qx \"memlens_group_num_procs{groupname=\\\"\$(getent passwd 1000 | cut -d: -f1 | grep . || echo 1000)\\\"} 100000\" '$out/user.prom' &&
	grep -qx 'memlens_group_num_procs{groupname=\"\\[kthreads\\]\"} [1-9][0-9]*' '$out/p.prom' &&
	[ \$(sum_of memlens_group_num_procs '$out/p.prom') = \$(( \$(wc -l <'$d/processes') - 1 )) ]"
tap_check "Prometheus: --groups 1 keeps kernel threads' group; the rest is [other]" bash -c "
	'$ml' --prometheus --groups 1 --debugfs '$d' | grep '^memlens_group_num_procs{' >'$out/g1' &&
	diff <(printf '%s\\n' 'memlens_group_num_procs{groupname=\"[kthreads]\"} 58' 'memlens_group_num_procs{groupname=\"[other]\"} 4') '$out/g1'"
tap_check "Prometheus: slab caches of 1M or more, the rest in [other]; sums exact" bash -c "
	[ \$(sum_of memlens_slab_bytes '$out/p.prom') = \$((\$(sum_col 11 '$d/slab') * 1024)) ] &&
	grep -q '^memlens_slab_bytes{cache=\"\\[other\\]\"}' '$out/p.prom' &&
	'$ml' --prometheus --slab-min 0 --debugfs '$d' >'$out/s0.prom' &&
	[ \$(grep -c '^memlens_slab_bytes{' '$out/s0.prom') = \$(( \$(wc -l <'$d/slab') - 1 )) ] &&
	[ \$(sum_of memlens_slab_bytes '$out/s0.prom') = \$((\$(sum_col 11 '$d/slab') * 1024)) ] &&
	! grep -q '^memlens_slab_objsize' '$out/s0.prom'"

# The rest of the breakdown split: 32 huge pages of 2 MiB (64 MiB) taken
# from free into the pools.  A module that splits the rest prints the
# hugetlb pools and the rest without them; with an older one, or one that
# cannot read the pools, the reader shows the rest whole, as before.
hs=$(variant split system "awk '
	/^(MemFree|BreakdownFree):/ { \$2 -= 65536 } /^BreakdownOtherKernel:/ { \$2 += 65536 } { print }
	END { print \"Hugetlb: 65536 kB\"; print \"BreakdownHugetlb: 65536 kB\"; print \"BreakdownKernelOther: 41056 kB\" }' '$d/system'")
hu=$(variant splitunavail system "cat '$d/system'; printf '%s\n' 'Hugetlb: unavailable' 'BreakdownHugetlb: unavailable' 'BreakdownKernelOther: unavailable'")
legend() { COLUMNS=300 "$ml" --color=never -b --debugfs "$1" | sed -n 3p; }
export -f legend
tap_check "split: the bar has H for the hugetlb pools, O the rest without them" bash -c "
	COLUMNS=60 '$ml' --color=never --debugfs '$hs' | bar >'$out/hbar' &&
	grep -qx '\[A\{1\}S\{1,\}R\{1\}U\{1,\}K\{1\}P\{1\}H\{1,\}O\{1,\}\.\{1,\}\]' '$out/hbar' &&
	legend '$hs' | grep -q ' P page tables 348160  H hugetlb 67108864  O other kernel 42041344  \. free 1927716864$' &&
	'$ml' --color=always --debugfs '$hs' | grep -q \$'\\e\\[101;30mH\\e\\[0m hugetlb 64M'"
tap_check "split: an older module's file, or pools it cannot read: no H, O holds them" bash -c "
	for dir in '$d' '$hu'; do
		legend \$dir | grep -q ' P page tables 348160  O other kernel 42041344  \. free 1994825728$' &&
		! legend \$dir | grep -q hugetlb &&
		COLUMNS=60 '$ml' --color=never --debugfs \$dir | bar | grep -qv H || exit 1
	done"
tap_check "split: mem lists the whole rest, then its two parts; -J sizes" bash -c "
	[ \"\$('$ml' mem -r -n -b -o key,size --debugfs '$hs' | grep '^Breakdown' | sed -n 9,13p | tr '\n' ' ')\" = \
	  'BreakdownPageTables 348160 BreakdownOtherKernel 109150208 BreakdownHugetlb 67108864 BreakdownKernelOther 42041344 BreakdownClamped 0 ' ] &&
	'$ml' mem -J -b --debugfs '$hs' |
		jq -e '[.system[] | select(.key == \"BreakdownHugetlb\")][0] | .size == 67108864 and (.description | test(\"hugetlb\"))' >/dev/null &&
	! '$ml' mem -r -n --debugfs '$d' | grep -q '^BreakdownHugetlb'"
parts() { grep '^memlens_system_breakdown_bytes{' "$1" | sed 's/.*part="\([a-z_]*\)"} .*/\1/' | tr '\n' ' '; }
export -f parts
tap_check "split: Prometheus parts hugetlb and other_kernel, adding up to MemTotal; no other new family" bash -c "
	'$ml' --prometheus --debugfs '$hs' >'$out/split.prom' && prom_lint '$out/split.prom' &&
	[ \"\$(parts '$out/split.prom')\" = 'free anon page_cache buffers shmem slab_reclaimable slab_unreclaimable kernel_stack page_tables hugetlb other_kernel ' ] &&
	grep -qx 'memlens_system_breakdown_bytes{part=\"hugetlb\"} 67108864' '$out/split.prom' &&
	grep -qx 'memlens_system_breakdown_bytes{part=\"other_kernel\"} 42041344' '$out/split.prom' &&
	grep -qx 'memlens_system_Hugetlb_bytes 67108864' '$out/split.prom' &&
	[ \$(sum_of memlens_system_breakdown_bytes '$out/split.prom') = \$((2021176 * 1024)) ] &&
	diff <(grep '^# TYPE' '$out/p.prom' | grep -v Hugetlb) <(grep '^# TYPE' '$out/split.prom' | grep -v Hugetlb)"
tap_check "split: Prometheus with an older module's file, or pools it cannot read: other_kernel holds them" bash -c "
	for dir in '$d' '$hu'; do
		'$ml' --prometheus --debugfs \$dir >'$out/nosplit.prom' &&
		[ \"\$(parts '$out/nosplit.prom')\" = 'free anon page_cache buffers shmem slab_reclaimable slab_unreclaimable kernel_stack page_tables other_kernel ' ] &&
		grep -qx 'memlens_system_breakdown_bytes{part=\"other_kernel\"} 42041344' '$out/nosplit.prom' &&
		[ \$(sum_of memlens_system_breakdown_bytes '$out/nosplit.prom') = \$((2021176 * 1024)) ] || exit 1
	done"
tp=$out/textfile && mkdir -p "$tp"
# pss in the metrics: the fixture's groups (cat partial, sleep busy, 74
# missing), and 100,000 processes' under --max-series
"$ml" --prometheus --per-process 10 --debugfs "$pd" >"$out/pss.prom"
tap_check "Prometheus: pss and uss by group add up to the pss rows not busy, exactly" bash -c "
	[ \$(grep 'memtype=\"pss\"' '$out/pss.prom' | sum_of memlens_group_memory_bytes /dev/stdin) = 1792000 ] &&
	[ \$(grep 'memtype=\"pss\"' '$out/pss.prom' | sum_of memlens_group_memory_bytes /dev/stdin) = \
		\$(awk 'NR > 1 && \$10 != \"busy\" { s += \$3 } END { print s * 1024 }' '$pd/pss') ] &&
	[ \$(grep 'memtype=\"uss\"' '$out/pss.prom' | sum_of memlens_group_memory_bytes /dev/stdin) = 188416 ] &&
	grep -qx 'memlens_group_memory_bytes{groupname=\"cat\",memtype=\"pss\"} 409600' '$out/pss.prom' &&
	! grep -q 'groupname=\"sleep\",memtype=\"pss\"' '$out/pss.prom' &&
	grep -qx 'memlens_pss_busy_procs 1' '$out/pss.prom' &&
	grep -qx 'memlens_pss_missing_procs 1' '$out/pss.prom' &&
	grep -qx 'memlens_pss_partial_procs 1' '$out/pss.prom' &&
	grep -qx 'memlens_process_memory_bytes{pid=\"1\",comm=\"init\",memtype=\"uss\"} 65536' '$out/pss.prom' &&
	! grep -q 'pid=\"155\".*memtype=\"pss\"' '$out/pss.prom' &&
	grep -q 'pid=\"155\".*memtype=\"rss\"' '$out/pss.prom'"
tap_check "Prometheus with pss: promtool finds no error" prom_lint "$out/pss.prom"
tap_check "Prometheus: no pss series without the view, no swap_pss where unavailable" bash -c "
	'$ml' --prometheus --debugfs '$pu' >'$out/pu.prom' &&
	grep -qx 'memlens_view_available{view=\"pss\"} 0' '$out/pu.prom' &&
	! grep -q 'memtype=\"pss\"\|memtype=\"uss\"\|^memlens_pss_' '$out/pu.prom' &&
	! grep -q 'memtype=\"pss\"' '$out/p.prom' &&
	dsw=\$(mktemp -d) && cp '$pd'/* \$dsw/ &&
	sed -i 's/^pss: .*/pss: partial: swap_pss unavailable: no swap_info/' \$dsw/version &&
	'$ml' --prometheus --debugfs \$dsw >'$out/psw.prom' && grep -q 'memtype=\"uss\"' '$out/psw.prom' &&
	! grep -q 'memtype=\"swap_pss\"' '$out/psw.prom' && grep -q 'memtype=\"swap_pss\"' '$out/pss.prom'"
tap_check "Prometheus: a status word this reader does not know is partial, a bare unsupported is not up" bash -c "
	dw=\$(mktemp -d) && cp '$pd'/* \$dw/ &&
	sed -i 's/^pss: .*/pss: someday/; s/^slab: .*/slab: unsupported/' \$dw/version &&
	'$ml' --prometheus --debugfs \$dw >'$out/pw.prom' &&
	grep -qx 'memlens_view_available{view=\"pss\"} 1' '$out/pw.prom' &&
	grep -qx 'memlens_view_available{view=\"slab\"} 0' '$out/pw.prom' &&
	grep -q 'memtype=\"uss\"' '$out/pw.prom' && ! grep -q 'memtype=\"swap_pss\"' '$out/pw.prom' &&
	! grep -q '^memlens_slab_' '$out/pw.prom'"
hp=$out/hugepss && mkdir -p "$hp" && cp "$huge"/* "$hp"/ && cp "$fx/pss/version" "$hp"/
{ echo 'pid rss pss pss_anon pss_file pss_shmem uss swap swap_pss status comm'
  seq 1 100000 | awk '{ printf "%d %d %d 0 0 0 %d 0 0 %s p%d\n", $1, $1, $1 % 977, $1 % 7,
	$1 % 1000 ? "ok" : "busy", $1 }'; } >"$hp/pss"
tap_check "Prometheus: --max-series 300 counts the pss series; their sums stay exact" bash -c "
	'$ml' --prometheus --max-series 300 --per-process 50 --debugfs '$hp' >'$out/hcap.prom' &&
	n=\$(series '$out/hcap.prom') && echo \"\$n series\" && [ \$n -le 300 ] &&
	[ \$(grep 'memtype=\"pss\"' '$out/hcap.prom' | sum_of memlens_group_memory_bytes /dev/stdin) = \
		\$(awk 'NR > 1 && \$10 == \"ok\" { s += \$3 } END { printf \"%.0f\", s * 1024 }' '$hp/pss') ] &&
	grep -qx 'memlens_pss_busy_procs 100' '$out/hcap.prom' &&
	'$ml' --prometheus --debugfs '$hp' >'$out/hpss.prom' &&
	n=\$(series '$out/hpss.prom') && echo \"\$n series\" && [ \$n -le 2000 ]"
tap_check "--textfile DIR: DIR/memlens.prom, mode 0644, nothing else left in DIR" bash -c "
	umask 077 && '$ml' --prometheus --textfile '$tp' --debugfs '$d' &&
	[ \"\$(ls -A '$tp')\" = memlens.prom ] && [ \$(stat -c %a '$tp/memlens.prom') = 644 ] &&
	diff <(grep -v scrape_duration '$tp/memlens.prom') <('$ml' --prometheus --debugfs '$d' | grep -v scrape_duration)"
bad=$(variant promfail processes "head -1 '$d/processes'; echo '1 2 3'")
tap_check "--textfile: a view that fails to parse leaves the old file as it was, exit 1" bash -c "
	sum=\$(md5sum <'$tp/memlens.prom') &&
	fails_with 'processes:2' '$ml' --prometheus --textfile '$tp' --debugfs '$bad' &&
	[ \"\$(md5sum <'$tp/memlens.prom')\" = \"\$sum\" ] && [ \"\$(ls -A '$tp')\" = memlens.prom ]"
tap_check "--textfile: no module: memlens_up 0 replaces the old file, a warning, exit 0" bash -c "
	'$ml' --prometheus --textfile '$tp' --debugfs '$out/no-such-dir' 2>'$out/up0.err' &&
	grep -q 'kernel module not loaded' '$out/up0.err' &&
	grep -qx 'memlens_up 0' '$tp/memlens.prom' &&
	grep -qx 'memlens_view_available{view=\"processes\"} 0' '$tp/memlens.prom' &&
	! grep -q '^memlens_system' '$tp/memlens.prom' && prom_lint '$tp/memlens.prom'"
tap_check "--textfile: a killed run's temporary file is removed, a running one's kept" bash -c "
	touch '$tp/.memlens.prom.999999999' '$tp/.memlens.prom.$$' &&
	'$ml' --prometheus --textfile '$tp' --debugfs '$d' &&
	[ ! -e '$tp/.memlens.prom.999999999' ] && [ -e '$tp/.memlens.prom.$$' ] &&
	rm '$tp/.memlens.prom.$$'"
tap_check "--textfile: a directory that is not there" \
	fails_with "cannot write $out/nodir/memlens.prom: No such file or directory" \
	"$ml" --prometheus --textfile "$out/nodir" --debugfs "$d"
tap_check "Prometheus options: bad values refused" bash -c "
	fails_with \"invalid --group-by argument: 'pid' (comm or user)\" '$ml' --prometheus --group-by pid --debugfs '$d' &&
	fails_with \"invalid --slab-min argument: '1X'\" '$ml' --prometheus --slab-min 1X --debugfs '$d' &&
	fails_with \"invalid --slab-min argument: '-1'\" '$ml' --prometheus --slab-min -1 --debugfs '$d' &&
	fails_with \"invalid number of series: '99'\" '$ml' --prometheus --max-series 99 --debugfs '$d' &&
	fails_with \"invalid number of groups: '-1'\" '$ml' --prometheus --groups -1 --debugfs '$d' &&
	fails_with \"--textfile does not apply to 'memlens ps' (only to --prometheus)\" '$ml' ps --textfile /tmp --debugfs '$d'"

# Per-command help, from the one table that refuses the options a command
# does not take: the long options a command's --help lists are exactly
# those it does not refuse.
mkdir -p "$out/tf"
help_opts() { # CMD: the long options its --help lists, but --debugfs, --help, --version
	"$ml" $1 --help | grep -oE '^ (-[a-zA-Z], )? *--[a-z-]+' | sed 's/.*--//' |
		grep -vxE 'debugfs|help|version' | sort
}
# An argument each option takes, such that it parses.
opt_arg() {
	case $1 in
	output) echo "--output=pid" ;; sort) echo "--sort=pid" ;; top | count | groups | per-process | cgroups)
		echo "--$1=1" ;; pid) echo "--pid=1" ;; comm) echo "--comm=x" ;; user) echo "--user=root" ;;
	watch) echo "--watch=1" ;; fstype) echo "--fstype=ext4" ;; mountinfo) echo "--mountinfo=$fx/6.12/mountinfo" ;;
	textfile) echo "--textfile=$out/tf" ;; group-by) echo "--group-by=comm" ;;
	slab-min) echo "--slab-min=1M" ;; max-series) echo "--max-series=100" ;; proc) echo "--proc=/proc" ;;
	color) echo "--color=never" ;; cgroup) echo "--cgroup=/" ;; *) echo "--$1" ;;
	esac
}
export -f help_opts opt_arg
options_check() { # CMD (tap_check's d is its description)
	local all o takes err h=-H
	all=$(for c in "" ps mem slab files shared cgroups map version --prometheus; do help_opts "$c"; done | sort -u)
	takes=" $(help_opts "$1" | tr '\n' ' ') "
	[ "$(echo "$all" | wc -l)" -ge 25 ] || { echo "only $(echo "$all" | wc -l) options"; return 1; }
	for o in $all; do
		# --prometheus is that command's name
		[[ $1 == --prometheus && $o == prometheus ]] && continue
		# -H stops a command that takes it before it reads anything
		[[ $takes == *" list-columns "* ]] || h=
		err=$(timeout 10 "$ml" $1 $(opt_arg $o) --debugfs "$fx/6.12" $h 2>&1 >/dev/null)
		if [[ $takes == *" $o "* ]]; then
			[[ $err != *"--$o does not apply"* ]] || { echo "$1 --$o: $err"; return 1; }
		else
			[[ $err == *"--$o does not apply"* ]] || { echo "$1 --$o: not refused: $err"; return 1; }
		fi
	done
}
export -f options_check
for c in "" ps mem slab files shared cgroups map version --prometheus; do
	tap_check "${c:-the summary}: --help lists exactly the options it takes" options_check "$c"
done
tap_check "the man page describes every option, and has a subsection per command" bash -c "
	LC_ALL=C.UTF-8 MANWIDTH=200 man -l '$here/../memlens.8' 2>/dev/null |
		sed -n '/^OPTIONS/,/^METRICS/p' >'$out/man.options' &&
	for o in \$(for c in '' ps mem slab files shared cgroups map version --prometheus; do help_opts \"\$c\"; done | sort -u) \
		 debugfs help version; do
		grep -qE \"^ {7}(-[a-zA-Z], )?--\$o( |\\\\[|\$)\" '$out/man.options' || { echo \"no --\$o\"; exit 1; }
	done &&
	for c in '(the summary)' ps mem slab files shared cgroups map version --prometheus; do
		grep -qE \"^   memlens.*\$c\" '$out/man.options' || { echo \"no subsection \$c\"; exit 1; }
	done"
tap_check "ps --help: synopsis, -A, and where the columns are" bash -c "
	'$ml' ps --help >'$out/ps.help' && grep -qx ' memlens ps \[options\]' '$out/ps.help' &&
	grep -qx ' -A, --kthreads  *kernel threads too (they own no user memory)' '$out/ps.help' &&
	grep -qF \"'memlens ps -H' lists them\" '$out/ps.help' &&
	! grep -q -- '--fstype' '$out/ps.help' && cmp '$out/ps.help' <('$ml' help ps)"
tap_check "every --help fits 80 columns, and memlens --help names each command" bash -c "
	for c in '' ps mem slab files shared cgroups map version --prometheus; do
		'$ml' \$c --help | awk -v c=\"\$c\" '{ if (length > 80) { print c \": \" \$0; bad = 1 } }
			END { exit bad }' || exit 1
		'$ml' --help | grep -q \"^ memlens \$c\" || exit 1
	done"
tap_check "--prometheus --help has its own -t; an unknown option names the command's help" bash -c "
	'$ml' --prometheus --help | grep -qE -- '^ -t, --top <n> +the n files with the most page cache' &&
	fails_with \"Try 'memlens ps --help'\" '$ml' ps --bogus &&
	fails_with \"^memlens: unrecognized option '--bogus'\" '$ml' ps --bogus &&
	fails_with \"Try 'memlens ps --help'\" '$ml' ps -t &&
	fails_with \"Try 'memlens --prometheus --help'\" '$ml' --prometheus -Q"
tap_check "an unknown column says where the columns are" bash -c "
	fails_with '^memlens: unknown column: args2 (memlens ps -H lists the columns)\$' \
		'$ml' ps -o pid,args2 --debugfs '$d' &&
	fails_with '(memlens files -H lists the columns)' '$ml' files -s nosuch --debugfs '$d'"

# ps -o args: /proc/PID/cmdline, arguments joined by spaces, escaped as
# comm is; an empty one (a kernel thread's) is [comm]; a process gone, -.
pr=$out/procargs && mkdir -p "$pr/1" "$pr/150" &&
	printf 'a\0b c\0\ttab\nnl\0' >"$pr/1/cmdline" && : >"$pr/150/cmdline"
tap_check "ps -o args: the command line, [comm] when empty, - when gone" bash -c "
	[ \"\$('$ml' ps -J -o pid,args --proc '$pr' --debugfs '$d' | jq -c '[.processes[] | .args]')\" = \
	  '[\"a b c \\ttab\\nnl\",\"[sh]\",null,null]' ] &&
	[ \"\$('$ml' ps -r -n -o args -p 1 --proc '$pr' --debugfs '$d')\" = 'a\\x20b\\x20c\\x20\\x09tab\\x0anl' ] &&
	[ \"\$('$ml' ps -n -o pid,args -p 1,155 --proc '$pr' --debugfs '$d' | tr -s ' ' | tr '\n' '|')\" = \
	  ' 1 a b c \\x09tab\\x0anl|155 -|' ]"
long=$(head -c 3000 /dev/zero | tr '\0' x)
mkdir -p "$pr/155" && printf '%s\0y\0' "$long" >"$pr/155/cmdline"
tap_check "ps -r -o args: a command line longer than 255 bytes whole, in pid order" bash -c "
	'$ml' ps -A -r -n -o pid,args --proc '$pr' --debugfs '$d' >'$out/args.r' &&
	grep -qxF '155 $long\\x20y' '$out/args.r' && cut -d' ' -f1 '$out/args.r' | sort -n -c &&
	[ \$(wc -l <'$out/args.r') = $(rows "$d/processes") ]"

# %mem: rss * 1000 / MemTotal, rounded down, at most 99.9, as procps's.
pm=$(variant pmem processes "head -1 '$d/processes'; echo '1 0 0 1 2000000 1048576 0 0 0 0 0 0 0 0 0 0 0 0 big'; echo '2 0 0 1 9000000 4194304 0 0 0 0 0 0 0 0 0 0 0 0 huge'; echo '3 0 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 none'")
tap_check "ps -o %mem: procps's figure, rounded down and capped at 99.9" bash -c "
	grep -q '^MemTotal: *2021176 kB' '$pm/system' &&
	[ \"\$('$ml' ps -A -r -n -o pid,%mem --debugfs '$pm' | tr '\n' ' ')\" = '1 51.8 2 99.9 3 0.0 ' ] &&
	[ \"\$('$ml' ps -n -o %mem -p 1 --debugfs '$pm' | tr -d ' ')\" = '51.8%' ] &&
	[ \"\$('$ml' ps -J -o %mem -p 1 --debugfs '$pm' | jq '.processes[0][\"%mem\"]')\" = 51.8 ] &&
	[ \"\$('$ml' ps -A -r -n -o pid -s %mem -t 2 --debugfs '$pm' | tr '\n' ' ')\" = '2 1 ' ]"
tap_check "ps -o %mem of every row of both kernels' files" bash -c "
	for k in 6.1 6.12; do
		t=\$(awk '/^MemTotal:/ { print \$2 }' '$fx'/\$k/system)
		diff <(tail -n +2 '$fx'/\$k/processes | awk -v t=\$t '{ p = int(\$6 * 1000 / t); if (p > 999) p = 999
			printf \"%d %d.%d\n\", \$1, p / 10, p % 10 }') \
		     <('$ml' ps -A -r -n -o pid,%mem --debugfs '$fx'/\$k) || exit 1
	done"

# Kernel threads (no mm; kthreadd and its children) are left out of
# memlens ps and counted under the table; -A and a selection show them.
tap_check "ps: kernel threads hidden, counted in a last line; -A and -p show them" bash -c "
	n=\$(awk 'NR > 1 && \$5 == 0 && (\$1 == 2 || \$2 == 2)' '$d/processes' | wc -l) && [ \$n -gt 10 ] &&
	[ \$('$ml' ps -r -n --debugfs '$d' | wc -l) = \$(($(rows "$d/processes") - n)) ] &&
	[ \$('$ml' ps -A -r -n --debugfs '$d' | wc -l) = $(rows "$d/processes") ] &&
	[ \"\$('$ml' ps --debugfs '$d' | tail -n 1)\" = \"\$n kernel threads not shown (-A shows them)\" ] &&
	[ \"\$('$ml' ps -A --debugfs '$d' | tail -n 1 | awk '{ print \$NF }')\" != them\\) ] &&
	[ \"\$('$ml' ps -r -n -o pid -p 2 --debugfs '$d')\" = 2 ] &&
	'$ml' ps -r -n -o comm -c '^kworker' --debugfs '$d' | grep -q kworker &&
	[ \"\$('$ml' ps -J --debugfs '$d' | jq '[.processes[] | select(.vsz == \"0B\")] | length')\" = 0 ]"
tap_check "summary's top table and --prometheus keep their kernel threads" bash -c "
	'$ml' --prometheus --debugfs '$d' | grep -q 'groupname=\"\\[kthreads\\]\"' &&
	[ \$('$ml' --debugfs '$d' -t 20 | sed -n '/^Top 20/,\$p' | wc -l) = 22 ]"

# files and shared: a path that is not there is an error naming it, as
# fincore's; one with nothing cached is an empty table and its total,
# and exit 1, as an empty ps -p selection.
tap_check "files /nonexistent: an error naming it, exit 1" bash -c "
	fails_with '^memlens: /nonexistent: No such file or directory\$' '$ml' files /nonexistent --debugfs '$d' &&
	fails_with '^memlens: /nonexistent: No such file or directory\$' '$ml' shared / /nonexistent --debugfs '$d' &&
	{ '$ml' files '$out' --debugfs '$d' --mountinfo '$d/mountinfo' >'$out/nothing'; [ \$? = 1 ]; } &&
	tail -n 1 '$out/nothing' | grep -q '^Total: 0 files' && head -n 1 '$out/nothing' | grep -q PATH"

# memlens pages: the census, from fixtures/pages (a 2-node VM of 2 GiB,
# 524,142 present pages, over 6.12's system file: MemTotal 2021176 kB, so
# 75392 kB reserved at boot), and variants of it.
pg=$out/pages && mkdir -p "$pg" && cp "$fx"/6.12/* "$pg"/ && cp "$fx"/pages/* "$pg"/
pgvariant() { # NAME FILE CONTENT_COMMAND: a copy of $pg with FILE made by the command
	local v=$out/$1
	mkdir -p "$v" && cp "$pg"/* "$v"/
	eval "$3" >"$v/$2"
	echo "$v"
}
tap_check "pages -J -b: a class a row, each the sum over the nodes of the file's kB times 1024" bash -c "
	'$ml' pages -J -b --debugfs '$pg' | jq -r '.pages[] | \"\(.class) \(.size)\"' | sort >'$out/pg.json' &&
	awk 'NR > 1 { s[\$1] += \$4 * 1024 } END { for (c in s) print c, s[c] }' '$pg/pages' | sort >'$out/pg.file' &&
	diff '$out/pg.file' '$out/pg.json' && [ \$(wc -l <'$out/pg.json') = 21 ]"
tap_check "pages: largest first; the total is present RAM, against MemTotal the reserve at boot" bash -c "
	'$ml' pages -b -o class,size --debugfs '$pg' >'$out/pg.txt' &&
	tail -n +2 '$out/pg.txt' | sed '\$d' | awk '{ print \$2 }' >'$out/pg.sizes' &&
	sort -n -r '$out/pg.sizes' | cmp - '$out/pg.sizes' && head -2 '$out/pg.txt' | grep -q '^free ' &&
	[ \"\$(tail -n 1 '$out/pg.txt')\" = \"Total: \$((524142 * 4096)), present RAM (the zones' present pages), 21 classes on 2 nodes; MemTotal \$((2021176 * 1024)): \$((75392 * 1024)) reserved at boot\" ]"
tap_check "pages: PERCENT of present RAM, the description from the format" bash -c "
	'$ml' pages -J --debugfs '$pg' | jq -e '.pages[] | select(.class == \"free\") | .percent == 93.2 and .size == \"1.9G\" and (.description | test(\"per-CPU free lists\"))' >/dev/null &&
	'$ml' pages --debugfs '$pg' | grep -q '^memmap  *32M  *1.6% the struct page arrays'"
tap_check "pages --per-node -J -b: a row per node and class, equal to the file's" bash -c "
	'$ml' pages --per-node -J -b -o node,class,pages,size --debugfs '$pg' |
		jq -r '.pages[] | \"\(.node) \(.class) \(.pages) \(.size)\"' | sort >'$out/pgn.json' &&
	awk 'NR > 1 { print \$2, \$1, \$3, \$4 * 1024 }' '$pg/pages' | sort >'$out/pgn.file' &&
	diff '$out/pgn.file' '$out/pgn.json' && [ \$(wc -l <'$out/pgn.json') = 42 ]"
tap_check "pages --per-node -t 2: the two largest of each node, nodes ascending; percent of the node" bash -c "
	[ \"\$('$ml' pages --per-node -t 2 -r -n -o node,class,percent --debugfs '$pg' | tr '\n' ' ')\" = \
	  '0 free 90.8 0 kernel_image 2.9 1 free 95.8 1 memmap 1.6 ' ]"
tap_check "pages -t 3 and --reverse: the three largest, the smallest first; -s pages sorts" bash -c "
	[ \"\$('$ml' pages -t 3 -r -n -o class --debugfs '$pg' | tr '\n' ' ')\" = 'free memmap kernel_image ' ] &&
	[ \"\$('$ml' pages --reverse -r -n -o class --debugfs '$pg' | tail -n 1)\" = free ] &&
	[ \"\$('$ml' pages -s +pages -t 1 -r -n -o class,pages --debugfs '$pg')\" = 'file 0' ]"
# a newer module: a class appended ("gpu", its pages out of untyped) and a column
pgnew=$(pgvariant pgnew pages "awk 'NR == 1 { print \$0, \"zone\"; next } { print \$0, 0 }
	\$1 == \"untyped\" { printf \"%-13s %4d %10d %11d 0\n\", \"gpu\", \$2, 1000, 4000 }' '$pg/pages'")
tap_check "pages: a class and a column of a newer module, kept by name, the total still present RAM" bash -c "
	'$ml' pages -J -b --debugfs '$pgnew' >'$out/pgnew.json' &&
	jq -e '[.pages[] | select(.class == \"gpu\")][0] | .size == 8192000 and (.description | test(\"newer than this reader\"))' '$out/pgnew.json' >/dev/null &&
	[ \$(jq '[.pages[].size] | add' '$out/pgnew.json') = \$(((524142 + 2000) * 4096)) ] &&
	'$ml' pages --per-node -r -n -o node,class --debugfs '$pgnew' | grep -qx '1 gpu'"
tap_check "pages: a partial view says which classes and why, on stderr, and shows the rest" bash -c "
	v=\$(mktemp -d) && cp '$pg'/* \$v/ &&
	sed -i 's/^pages: .*/pages: partial: zsmalloc unavailable: no zsmalloc page type before 6.12/' \$v/version &&
	'$ml' pages --debugfs \$v >'$out/stdout' 2>'$out/stderr' &&
	[ \"\$(cat '$out/stderr')\" = 'memlens: the pages view is partial on this kernel: zsmalloc unavailable: no zsmalloc page type before 6.12 (their pages are counted in untyped, the kernel image'\''s in reserved)' ] &&
	grep -q '^zsmalloc ' '$out/stdout'"
pgun=$(pgvariant pgunsup pages "echo 'unsupported: not built yet'")
sed -i 's/^pages: .*/pages: unsupported: not built yet/' "$pgun/version"
tap_check "pages: an unsupported view says why, status 1" fails_with \
	"^memlens: the pages view is unsupported on this kernel: not built yet (the other views work: memlens mem, memlens slab)\$" \
	"$ml" pages --debugfs "$pgun"
tap_check "pages: an older module, no pages view: says so, status 1" fails_with \
	"no pages view: the memlens module is older than this reader" "$ml" pages --debugfs "$d"
tap_check "pages: a header without size" fails_with "pages:1: no column size" \
	"$ml" pages --debugfs "$(pgvariant pgnosize pages "sed '1s/size/kb/' '$pg/pages'")"
tap_check "pages: a class twice on a node" fails_with "pages:3: class free twice on node 0" \
	"$ml" pages --debugfs "$(pgvariant pgtwice pages "sed '3s/^anon/free/' '$pg/pages'")"
tap_check "pages: a number that is not one" fails_with "pages:4: field 3 is not a number" \
	"$ml" pages --debugfs "$(pgvariant pgnan pages "sed '4s/ 3438 / 34x8 /' '$pg/pages'")"
# -w over two samples: the pages file a FIFO, 64 MiB moving from free to anon on node 0
pg2=$out/pages.2
awk 'NR > 1 && $2 == 0 && $1 == "free" { $3 -= 16384; $4 -= 65536 }
	NR > 1 && $2 == 0 && $1 == "anon" { $3 += 16384; $4 += 65536 } { print }' "$pg/pages" >"$pg2"
tap_check "pages -w: a stamped sample each, ΔSIZE blank first, then the change" bash -c "
	dir=$out/pgfifo && rm -rf \$dir && mkdir -p \$dir && cp '$pg'/* \$dir/ && rm \$dir/pages && mkfifo \$dir/pages &&
	{ '$ml' pages -w 0.1 --count 2 -r -b -o class,size,dsize --debugfs \$dir >'$out/pgw' & } &&
	timeout 10 cat '$pg/pages' >\$dir/pages &&
	for i in \$(seq 100); do [ -s '$out/pgw' ] && break; sleep 0.1; done &&
	timeout 10 cat '$pg2' >\$dir/pages && wait &&
	[ \$(grep -c '^# .* sample [12]\$' '$out/pgw') = 2 ] &&
	grep -qx 'anon 184320 -' '$out/pgw' && grep -qx 'anon 67293184 67108864' '$out/pgw' &&
	grep -qx 'free 1933860864 -67108864' '$out/pgw' && grep -qx 'DSIZE' <(head -2 '$out/pgw' | tail -1 | awk '{ print \$3 }')"
tap_check "pages -H lists the columns, --help names --per-node and the order" bash -c "
	'$ml' pages -H | grep -q '^ *PERCENT  share of present RAM' &&
	'$ml' pages --help | grep -q -- '--per-node' && '$ml' pages --help | grep -q 'largest first'"

# memlens vmalloc, from a vmallocinfo captured on a host, with lines
# added for a module's caller and vm_map_ram: 1283 pages in 22 areas.
vm=$fx/vmalloc
tap_check "vmalloc -J -b: the callers' pages= summed, offsets dropped, [module] kept" bash -c "
	'$ml' vmalloc -J -b --proc '$vm' | jq -r '.vmalloc[] | \"\(.caller)|\(.size)|\(.areas)\"' >'$out/vm.json' &&
	awk '\$3 ~ /\+0x/ { c = \$3; sub(/\+.*/, \"\", c); if (\$4 ~ /^\[/) c = c \" \" \$4; n[c]++
		for (i = 4; i <= NF; i++) if (\$i ~ /^pages=/) p[c] += substr(\$i, 7) }
		END { for (c in n) print c \"|\" p[c] * 4096 \"|\" n[c] }' '$vm/vmallocinfo' | sort >'$out/vm.want' &&
	grep -v '^\[' '$out/vm.json' | sort | diff '$out/vm.want' - &&
	grep -qx 'memlens_test_init \[memlens_test\]|393216|2' '$out/vm.json' &&
	grep -qx 'acpi_os_map_iomem|0|2' '$out/vm.json' && grep -qx '\[unpurged vm_area\]|0|3' '$out/vm.json' &&
	grep -qx '\[vm_map_ram\]|0|1' '$out/vm.json'"
tap_check "vmalloc: largest first, a total of every caller beside meminfo's VmallocUsed" bash -c "
	'$ml' vmalloc -t 2 --proc '$vm' >'$out/vm.txt' &&
	[ \"\$(sed -n 2p '$out/vm.txt' | awk '{ print \$1, \$2, \$3 }')\" = '2.5M 3 htab_map_alloc' ] &&
	[ \$(wc -l <'$out/vm.txt') = 4 ] &&
	[ \"\$(tail -n 1 '$out/vm.txt')\" = 'Total: 5M in 22 areas of 9 callers, 5.2M of address space; VmallocUsed (meminfo) 5M' ]"
tap_check "vmalloc: -s areas, -o +vsize, -r" bash -c "
	[ \"\$('$ml' vmalloc -s areas -t 1 -r -n -o caller,areas --proc '$vm')\" = 'kernel_clone 5' ] &&
	'$ml' vmalloc -o +vsize --proc '$vm' | head -1 | grep -q 'CALLER *VSIZE\$'"
tap_check "vmalloc: no vmallocinfo, or a line that is not one: one line, status 1" bash -c "
	fails_with '^memlens: /nonexistent/vmallocinfo: No such file or directory\$' '$ml' vmalloc --proc /nonexistent &&
	v=\$(mktemp -d) && { head -3 '$vm/vmallocinfo'; echo garbage; } >\$v/vmallocinfo &&
	fails_with '^memlens: '\$v'/vmallocinfo:4: not a vmallocinfo line\$' '$ml' vmalloc --proc \$v"
tap_check "vmalloc --help: root only, pages= counted, ioremap areas have none" bash -c "
	'$ml' vmalloc --help >'$out/vmh' && grep -q 'root' '$out/vmh' && grep -q 'ioremap' '$out/vmh'"

# The summary with the census: the bar over present RAM, the classes that
# hold memory named, "other kernel" gone; the first line how much RAM the
# kernel kept at boot.  Without the pages view, or with it unsupported, the
# breakdown as before.
legendb() { COLUMNS=1000 "$ml" --color=never -b --debugfs "$1" | sed -n '/^\[/,/^As free/p' | sed '1d;$d'; }
export -f legendb
tap_check "summary with the census: installed vs MemTotal, kept at boot: image, memmap, the rest" bash -c "
	COLUMNS=1000 '$ml' -b --debugfs '$pg' | head -n 1 >'$out/sc1' &&
	[ \"\$(cat '$out/sc1')\" = \"Physical memory: \$((524142 * 4096)) installed (present), MemTotal \$((2021176 * 1024)): \$((75392 * 1024)) reserved at boot, kernel image \$((7680 * 4096)), memmap \$((8192 * 4096)), the rest \$((2976 * 4096)) (firmware, crashkernel, early allocations).\" ]"
tap_check "summary with the census: a letter per class holding memory, no other kernel; the parts add up to present RAM" bash -c "
	COLUMNS=60 '$ml' --color=never --debugfs '$pg' | sed -n '/^\[/p' >'$out/cbar' &&
	grep -qx '\[A\{1\}S\{1,\}L\{1\}K\{1\}P\{1\}V\{1\}E\{1\}M\{1\}?\{1,\}I\{1,\}T\{1,\}X\{1\}\.\{1,\}\]' '$out/cbar' &&
	[ \$(awk '{ print length }' '$out/cbar') = 60 ] &&
	legendb '$pg' >'$out/clegend' && ! grep -q 'other kernel' '$out/clegend' &&
	grep -q ' ? untyped 26312704  I kernel image ' '$out/clegend' &&
	! grep -q 'zsmalloc' '$out/clegend' &&
	[ \$(tr -s ' ' '\n' <'$out/clegend' | grep -E '^[0-9]+\$' | paste -sd+ | bc) = \$((524142 * 4096)) ] &&
	COLUMNS=200 '$ml' --color=never --debugfs '$pg' | grep -q 'buff/cache 22M (B + C + S + reclaimable slab)'"
tap_check "summary with the census: a newer module's class is a + in the bar, by its name" bash -c "
	legendb '$pgnew' | grep -q ' + gpu 8192000  ? untyped '"
tap_check "summary with a partial census says which classes are in untyped" bash -c "
	v=\$(mktemp -d) && cp '$pg'/* \$v/ &&
	sed -i 's/^pages: .*/pages: partial: zsmalloc unavailable: no type/' \$v/version &&
	COLUMNS=200 '$ml' --debugfs \$v 2>'$out/stderr' | grep -qx 'The census is partial on this kernel: zsmalloc unavailable: no type; their pages are in untyped, the kernel image'\''s in reserved.' &&
	[ ! -s '$out/stderr' ]"
tap_check "summary without the census (an older module, or unsupported): the breakdown, other kernel in it" bash -c "
	for dir in '$d' '$pgun'; do
		COLUMNS=200 '$ml' --color=never --debugfs \$dir >'$out/nocensus' &&
		[ \"\$(head -n 1 '$out/nocensus')\" = 'Physical memory: 1.9G' ] &&
		grep -q ' O other kernel 40.1M' '$out/nocensus' &&
		grep -q '(B + C + S + R)' '$out/nocensus' || exit 1
	done"

# --prometheus with the census: memlens_pages_bytes, a series per class over
# both nodes, adding up to present RAM; none when the view is unsupported.
tap_check "Prometheus: memlens_pages_bytes{class}, one series a class, summed over the nodes" bash -c "
	'$ml' --prometheus --debugfs '$pg' >'$out/pg.prom' && prom_lint '$out/pg.prom' &&
	[ \$(grep -c '^memlens_pages_bytes{' '$out/pg.prom') = 21 ] &&
	[ \$(sum_of memlens_pages_bytes '$out/pg.prom') = \$((524142 * 4096)) ] &&
	grep -qx 'memlens_pages_bytes{class=\"memmap\"} 33554432' '$out/pg.prom' &&
	grep -q '^# HELP memlens_pages_bytes ' '$out/pg.prom' &&
	grep -qx 'memlens_view_available{view=\"pages\"} 1' '$out/pg.prom' &&
	'$ml' --prometheus --debugfs '$pgnew' | grep -qx 'memlens_pages_bytes{class=\"gpu\"} 8192000' &&
	'$ml' --prometheus --debugfs '$pgun' >'$out/pgun.prom' && ! grep -q '^memlens_pages_bytes' '$out/pgun.prom' &&
	grep -qx 'memlens_view_available{view=\"pages\"} 0' '$out/pgun.prom'"

# memlens cgroups, against a cgroups file written by hand: a tree of three
# levels under the root, two limits, three dying cgroups (one inside
# another), an escaped path; and ps's cgroup column and --cgroup.
cg=$fx/cgroups
cat >"$out/cg.tree" <<'TREE'
PATH                  CURRENT FILE  MAX  %MAX STATE
/                       583M* 290M    -     - 
|-system.slice           400M 202M    -     - 
| |-nginx.service        200M  64M 256M 78.1% 
| |-postgres.service     150M 100M    -     - 
| |-old unit.service      30M  28M    -     - dying
| `-cron.service          20M  10M    -     - 
|-user.slice             100M  44M    -     - 
| `-user-1000.slice      100M  44M 512M 19.5% 
|   |-session-3.scope     80M  28M    -     - 
|   `-session-1.scope     20M  16M    -     - dying
|     `-child              4M   4M    -     - dying
`-init.scope              10M   4M    -     - 
*: the root has no memory.current: its anon + file + kernel + sock
3 dying cgroups hold 50M (file 44M).
TREE
tap_check "cgroups: the tree, each parent's children largest first, %MAX, the root's CURRENT, the dying footer" bash -c "
	'$ml' cgroups -o path,current,file,max,%max,state --debugfs '$cg' | diff '$out/cg.tree' -"
tap_check "cgroups: the default columns, the tree drawn in UTF-8 on a UTF-8 locale" bash -c "
	LC_ALL=C.UTF-8 '$ml' cgroups --debugfs '$cg' >'$out/cg.utf8' &&
	[ \"\$(head -n 1 '$out/cg.utf8' | tr -s ' ')\" = 'PATH PROCS CURRENT ANON FILE SHMEM KERNEL SWAP MAX %MAX STATE' ] &&
	grep -q '^│   └─session-1.scope ' '$out/cg.utf8' && grep -q '^└─init.scope ' '$out/cg.utf8'"
tap_check "cgroups -s: each parent's children by the column, -s +COL ascending; -r has whole paths" bash -c "
	[ \"\$('$ml' cgroups -r -n -o path -s file --debugfs '$cg' | grep '^/system.slice/' | tr '\n' ' ')\" = \
	  '/system.slice/postgres.service /system.slice/nginx.service /system.slice/old\\x20unit.service /system.slice/cron.service ' ] &&
	[ \"\$('$ml' cgroups -r -n -o path -s +current --debugfs '$cg' | tr '\n' ' ')\" = \
	  '/ /init.scope /user.slice /user.slice/user-1000.slice /user.slice/user-1000.slice/session-1.scope /user.slice/user-1000.slice/session-1.scope/child /user.slice/user-1000.slice/session-3.scope /system.slice /system.slice/cron.service /system.slice/old\\x20unit.service /system.slice/postgres.service /system.slice/nginx.service ' ]"
tap_check "cgroups -s %max: the limited first, the blanks last whichever the order" bash -c "
	[ \"\$('$ml' cgroups -r -n -o path,%max -s %max --debugfs '$cg' | sed -n 3,5p | tr '\n' ' ')\" = \
	  '/system.slice - /system.slice/nginx.service 78.1 /system.slice/cron.service - ' ] &&
	fails_with 'cannot sort by nope: no such column' '$ml' cgroups -s nope --debugfs '$cg'"
tap_check "cgroups -t: the N first by the sort and their ancestors" bash -c "
	[ \"\$('$ml' cgroups -r -n -o path -t 3 -s file --debugfs '$cg' | tr '\n' ' ')\" = \
	  '/ /system.slice /system.slice/postgres.service ' ] &&
	[ \"\$('$ml' cgroups -r -n -o path -t 1 -s +kernel --debugfs '$cg' | tr '\n' ' ')\" = \
	  '/ /user.slice /user.slice/user-1000.slice /user.slice/user-1000.slice/session-1.scope /user.slice/user-1000.slice/session-1.scope/child ' ]"
tap_check "cgroups --dying: the dying ones under their ancestors; none is an empty selection, exit 1" bash -c "
	[ \"\$('$ml' cgroups -r -n -o path,state --dying --debugfs '$cg' | tr '\n' ' ')\" = \
	  '/ online /system.slice online /system.slice/old\\x20unit.service dying /user.slice online /user.slice/user-1000.slice online /user.slice/user-1000.slice/session-1.scope dying /user.slice/user-1000.slice/session-1.scope/child dying ' ] &&
	v=\$(mktemp -d) && cp '$cg'/* \$v/ && sed -i 's/ dying / online /' \$v/cgroups &&
	{ '$ml' cgroups --dying --debugfs \$v >'$out/nodying'; [ \$? = 1 ]; } &&
	[ \"\$(cat '$out/nodying')\" = 'PATH PROCS CURRENT ANON FILE SHMEM KERNEL SWAP MAX %MAX STATE' ] &&
	'$ml' cgroups --debugfs \$v | tail -n 1 | grep -q '^\*: the root'"
# every number of every row, as the file has it (kB times 1024), blanks null
tap_check "cgroups -J: every column, in bytes, equal to the file's; blanks null, the root's current too" bash -c "
	'$ml' cgroups -J --debugfs '$cg' >'$out/cg.json' &&
	cols=\$(head -n 1 '$cg/cgroups') &&
	jq -r --arg cols \"\$cols\" '(\$cols | split(\" \")) as \$c | .cgroups[] | [\$c[] as \$k | .[\$k] | if . == null then \"-\" else tostring end] | join(\" \")' '$out/cg.json' | sort >'$out/cg.jsonrows' &&
	tail -n +2 '$cg/cgroups' | sed 's/\\\\040/ /' | awk '{ for (i = 3; i <= 28; i++) if (i != 7 && \$i != \"-\") \$i = \$i * 1024; print }' | sort >'$out/cg.filerows' &&
	diff '$out/cg.filerows' '$out/cg.jsonrows' &&
	[ \$(jq '.cgroups[0] | length' '$out/cg.json') = 31 ]"
tap_check "cgroups -w: samples with DCURRENT, blank first, 0B then" bash -c "
	'$ml' cgroups -w 0.1 --count 2 -r -o path,current -t 1 --debugfs '$cg' | grep -v '^#' >'$out/cg.w' &&
	[ \"\$(tr '\n' ' ' <'$out/cg.w')\" = 'PATH CURRENT DCURRENT / - - /system.slice 400M - PATH CURRENT DCURRENT / - - /system.slice 400M 0B ' ]"
tap_check "cgroups -H lists every column of the file, %MAX, STATE and DCURRENT" bash -c "
	'$ml' cgroups -H >'$out/cg.H' && [ \$(wc -l <'$out/cg.H') = \$((\$(head -n 1 '$cg/cgroups' | wc -w) + 2)) ] &&
	for c in \$(head -n 1 '$cg/cgroups'); do grep -qiE \"^ +\$c  \" '$out/cg.H' || { echo no \$c; exit 1; }; done &&
	grep -qE '^ +%MAX  current as a share of max' '$out/cg.H' && grep -qE '^ +DCURRENT  ' '$out/cg.H'"
tap_check "cgroups: an older module has no view, an unsupported one says why; a bad file names its line" bash -c "
	fails_with 'no cgroups view: the memlens module is older than this reader' '$ml' cgroups --debugfs '$d' &&
	v=\$(mktemp -d) && cp '$cg'/* \$v/ && sed -i 's/^cgroups: .*/cgroups: unsupported: no memory controller/' \$v/version &&
	fails_with 'the cgroups view is unsupported on this kernel: no memory controller' '$ml' cgroups --debugfs \$v &&
	cp '$cg'/version \$v/ && sed -i '4d' \$v/cgroups &&
	fails_with 'cgroups:4: cgroup /system.slice/nginx.service before its parent' '$ml' cgroups --debugfs \$v &&
	cp '$cg'/cgroups \$v/ && sed -i '5s/^40 /20 /' \$v/cgroups &&
	fails_with 'cgroups:5: cgroup id 20 twice' '$ml' cgroups --debugfs \$v &&
	cp '$cg'/cgroups \$v/ && sed -i '5s/^40 1 /40 x /' \$v/cgroups &&
	fails_with 'cgroups:5: field 2 is not a number' '$ml' cgroups --debugfs \$v &&
	cp '$cg'/cgroups \$v/ && sed -i '2d' \$v/cgroups &&
	fails_with 'cgroups:2: the first row is not the root' '$ml' cgroups --debugfs \$v"
tap_check "cgroups: rows each after their parent but not in a walk's order make the same tree" bash -c "
	v=\$(mktemp -d) && cp '$cg'/* \$v/ &&
	for moved in 7 11; do
		awk -v m=\$moved 'NR == m { held = \$0; next } { print } END { print held }' '$cg/cgroups' >\$v/cgroups &&
		'$ml' cgroups --debugfs \$v | cmp - <('$ml' cgroups --debugfs '$cg') || exit 1
	done"
tap_check "ps -o cgroup: each process's cgroup by its path, - for a kernel thread; pss joined by pid" bash -c "
	[ \"\$('$ml' ps -A -r -n -o pid,cgroup --debugfs '$cg' | sed -n '1,2p;\$p' | tr '\n' ' ')\" = '1 /init.scope 2 - 160 /system.slice/nginx.service ' ] &&
	[ \"\$('$ml' ps -r -n -o pid,pss,cgroup -b --cgroup /user.slice --debugfs '$cg' | tr '\n' ' ')\" = \
	  '150 665600 /user.slice/user-1000.slice/session-3.scope 155 - /user.slice/user-1000.slice/session-3.scope ' ]"
tap_check "ps --cgroup: a subtree's processes; a trailing slash; twice adds; unknown refused; none is exit 1" bash -c "
	[ \"\$('$ml' ps -r -n -o pid --cgroup /user.slice --debugfs '$cg' | tr '\n' ' ')\" = '150 155 ' ] &&
	[ \"\$('$ml' ps -r -n -o pid --cgroup /system.slice/ --debugfs '$cg' | tr '\n' ' ')\" = '160 ' ] &&
	[ \"\$('$ml' ps -r -n -o pid --cgroup / --debugfs '$cg' | tr '\n' ' ')\" = '1 150 155 160 ' ] &&
	[ \"\$('$ml' ps -r -n -o pid --cgroup /init.scope --cgroup /system.slice --debugfs '$cg' | tr '\n' ' ')\" = '1 160 ' ] &&
	fails_with \"unknown cgroup: '/nope' (memlens cgroups lists them)\" '$ml' ps --cgroup /nope --debugfs '$cg' &&
	[ ! -s '$out/stdout' ] &&
	{ '$ml' ps -r --cgroup /system.slice/postgres.service --debugfs '$cg' >'$out/cgnone'; [ \$? = 1 ]; } &&
	[ \"\$(cat '$out/cgnone')\" = 'PID USER VSZ RSS ANON FILE SHMEM SWAP COMM' ]"
tap_check "ps without the cgroup column (an older module) works, -o cgroup and --cgroup say why not" bash -c "
	'$ml' ps -A -r -n --debugfs '$d' >/dev/null &&
	fails_with 'no cgroups view: the memlens module is older' '$ml' ps -o pid,cgroup --debugfs '$d' &&
	v=\$(mktemp -d) && cp '$d'/* \$v/ && cp '$cg'/cgroups '$cg'/version \$v/ &&
	fails_with 'processes has no cgroup column: the memlens module is older than this reader' '$ml' ps --cgroup / --debugfs \$v"
# the written cgroups in no other written one, and [other], add up to the
# root, for every memtype, whatever --cgroups and --max-series cut
cg_sums() { # FILE: for each memtype, "/" = the topmost written + [other]
	awk -F'"' '/^memlens_cgroup_memory_bytes\{/ { p = $2; m = $4; split($0, f, " "); v[p, m] = f[2]; paths[p]; types[m] }
		END {
			for (m in types) {
				s = 0
				for (p in paths) {
					if (p == "/" || !((p, m) in v)) continue
					top = 1
					for (q in paths) if (q != "/" && q != "[other]" && index(p, q "/") == 1) top = 0
					if (top) s += v[p, m]
				}
				if (s != v["/", m] || !((("[other]", m) in v))) { print m ": " s " != " v["/", m]; bad = 1 }
			}
			exit bad
		}' "$1"
}
export -f cg_sums
tap_check "Prometheus: memlens_cgroup_memory_bytes, the --cgroups N largest, [other] keeps the sums exact" bash -c "
	for n in 0 1 2 3 20; do
		'$ml' --prometheus --cgroups \$n --debugfs '$cg' >'$out/cg.prom' && prom_lint '$out/cg.prom' &&
		cg_sums '$out/cg.prom' || { echo \"--cgroups \$n\"; exit 1; }
		[ \$(grep -c '^memlens_cgroup_memory_bytes{.*memtype=\"current\"}' '$out/cg.prom') = \$((\$n < 8 ? \$n + 2 : 10)) ] ||
			{ echo \"--cgroups \$n: series\"; exit 1; }
	done &&
	'$ml' --prometheus --cgroups 2 --debugfs '$cg' >'$out/cg.prom' &&
	grep -qx 'memlens_cgroup_memory_bytes{cgroup=\"/system.slice/nginx.service\",memtype=\"current\"} 209715200' '$out/cg.prom' &&
	grep -qx 'memlens_cgroup_memory_bytes{cgroup=\"\[other\]\",memtype=\"current\"} 191889408' '$out/cg.prom' &&
	grep -qx 'memlens_cgroup_dying 3' '$out/cg.prom' &&
	grep -qx 'memlens_cgroup_dying_memory_bytes{memtype=\"current\"} 52428800' '$out/cg.prom' &&
	grep -qx 'memlens_cgroup_dying_memory_bytes{memtype=\"file\"} 46137344' '$out/cg.prom' &&
	grep -qx 'memlens_view_available{view=\"cgroups\"} 1' '$out/cg.prom' &&
	! grep -q 'cgroup=\"/system.slice/old' '$out/cg.prom'"
tap_check "Prometheus: --max-series bounds the cgroups too, the sums still exact" bash -c "
	'$ml' --prometheus --cgroups 100 --max-series 100 --debugfs '$cg' >'$out/cg.prom' &&
	[ \$(series '$out/cg.prom') -le 100 ] && cg_sums '$out/cg.prom' &&
	[ \$(grep -c '^memlens_cgroup_memory_bytes{.*memtype=\"current\"}' '$out/cg.prom') -lt 10 ] &&
	'$ml' --prometheus --debugfs '$d' | grep -qx 'memlens_view_available{view=\"cgroups\"} 0'"

# memlens files --cgroup and cgroups --files, against a cgroup_files file
# written by hand to match the cgroups one: a file charged to five cgroups
# and to none (id 0), one to two cgroups of a subtree, files of dying
# cgroups, an escaped path, total rows and a below line; its mountinfo
# has the ext4 disk at /var.
cga="--debugfs $cg --mountinfo $cg/mountinfo"
cat >"$out/cgf.sys" <<'TREE'
CACHED DIRTY WRITEBACK CGROUP                         FSTYPE STATE PATH
   64M    0B        0B /system.slice/postgres.service ext4         /var/lib/postgresql/base/16384/2619
   40M    1M        0B /system.slice/nginx.service    ext4         /var/log/nginx/access.log
   28M    0B        0B /system.slice/old unit.service ext4         /var/log/old.log
   21M  512K      256K /system.slice/postgres.service ext4         /var/lib/postgresql/pg_wal/000000010000000000000001
    8M    0B        0B /system.slice/cron.service     ext4         /var/lib/cron/crontab.db
    2M    0B        0B /system.slice/nginx.service    ext4         /var/log/nginx/error log
    1M    0B        0B /system.slice/nginx.service    rootfs       /lib/x86_64-linux-gnu/libc.so.6
Total: 7 files, 164M cached, 1.8M dirty or under writeback, charged to /system.slice and below (5 cgroups)
Files with less than 64K cached in a cgroup are not listed there (5 rows, of any cgroup); the total leaves them out.
TREE
tap_check "files --cgroup: the subtree's files, each summed over its cgroups, largest first; the total; the below line" bash -c "
	'$ml' files --cgroup /system.slice $cga | diff '$out/cgf.sys' -"
# each file's bytes: the file's rows of the subtree's ids summed, times 1024
tap_check "files --cgroup -J -b: each file's rows of the subtree summed, as awk sums the file; id 0 in no cgroup" bash -c "
	'$ml' files --cgroup /system.slice -J -b $cga 2>/dev/null |
		jq -r '.cgroup_files[] | \"\(.path) \(.cached) \(.dirty) \(.writeback)\"' | sort >'$out/cgf.json' &&
	awk '\$1 ~ /^(30|40|41|42|43)\$/ { k = \$2 \" \" \$3; p[k] = \$8; c[k] += \$4 * 1024; d[k] += \$5 * 1024; w[k] += \$6 * 1024 }
		END { for (k in p) print p[k], c[k], d[k], w[k] }' '$cg/cgroup_files' |
		sed -e 's|^/lib/p|/var/lib/p|; s|^/lib/c|/var/lib/c|; s|^/log|/var/log|; s|\\\\040| |' | sort >'$out/cgf.awk' &&
	diff '$out/cgf.awk' '$out/cgf.json' &&
	[ \"\$('$ml' files --cgroup / -r -n -b -o cached,cgroups,path $cga 2>/dev/null | grep busybox)\" = '933888 1 /bin/busybox' ]"
tap_check "files --cgroup: -t, -s, -o CGROUPS, a path prefix and --fstype narrow it; twice adds" bash -c "
	[ \"\$('$ml' files --cgroup / -t 2 -r -n -o path $cga 2>/dev/null | tr '\n' ' ')\" = '/var/lib/postgresql/base/16384/2619 /var/log/nginx/access.log ' ] &&
	[ \"\$('$ml' files --cgroup / -s cgroups -t 2 -r -n -o cgroups,path $cga 2>/dev/null | tr '\n' ' ')\" = '5 /lib/x86_64-linux-gnu/libc.so.6 2 /var/lib/postgresql/pg_wal/000000010000000000000001 ' ] &&
	[ \"\$('$ml' files --cgroup / --fstype tmpfs -r -n -o path $cga 2>/dev/null | tr '\n' ' ')\" = '/tmp/t/scratch /tmp/t/keep /tmp/t/child.dat ' ] &&
	[ \"\$('$ml' files --cgroup /user.slice --cgroup /init.scope -r -n -o cached,path $cga 2>/dev/null | tr '\n' ' ')\" = '12M /tmp/t/scratch 8M /tmp/t/keep 4M /tmp/t/child.dat 1.1M /lib/x86_64-linux-gnu/libc.so.6 912K /bin/busybox ' ] &&
	'$ml' files --cgroup /system.slice $cga /var/log | tail -n 2 | head -n 1 | grep -qx 'Total: 3 files, 70M cached, 1M dirty or under writeback, charged to /system.slice and below (5 cgroups)' &&
	'$ml' files --cgroup /system.slice -J $cga 2>&1 >/dev/null | grep -qx 'memlens: the rows of a file and cgroup with less than 64K cached are not listed (5 rows, of any cgroup)'"
tap_check "files --cgroup: unknown refused, naming it; none is the header and exit 1; --by-dir, --deleted refused; -H" bash -c "
	fails_with \"unknown cgroup: '/nope' (memlens cgroups lists them)\" '$ml' files --cgroup /nope $cga &&
	[ ! -s '$out/stdout' ] &&
	{ '$ml' files --cgroup /init.scope --fstype ext4 -n -r $cga >'$out/cgfnone' 2>/dev/null; [ \$? = 1 ]; } && [ ! -s '$out/cgfnone' ] &&
	{ '$ml' files --cgroup /init.scope --fstype ext4 $cga >'$out/cgfnone'; [ \$? = 1 ]; } &&
	[ \"\$(head -n 1 '$out/cgfnone')\" = 'CACHED DIRTY WRITEBACK CGROUP FSTYPE STATE PATH' ] &&
	fails_with '^memlens: --by-dir does not apply to --cgroup' '$ml' files --cgroup / --by-dir $cga &&
	fails_with '^memlens: --deleted does not apply to --cgroup' '$ml' files --cgroup / --deleted $cga &&
	'$ml' files --cgroup / -H | grep -qE '^ +CGROUPS  cgroups selected the file' &&
	! '$ml' files -H | grep -q CGROUPS"
tap_check "files --cgroup: an older module has no view, an unsupported one says why; a bad file names its line" bash -c "
	v=\$(mktemp -d) && cp '$cg'/* \$v/ && sed -i '/^cgroup_files:/d' \$v/version &&
	fails_with 'no cgroup_files view: the memlens module is older than this reader (memlens files works without --cgroup)' '$ml' files --cgroup / --debugfs \$v &&
	cp '$cg'/version \$v/ && sed -i 's/^cgroup_files: .*/cgroup_files: unsupported: memory cgroups disabled/' \$v/version &&
	fails_with 'the cgroup_files view is unsupported on this kernel: memory cgroups disabled' '$ml' files --cgroup / --debugfs \$v &&
	cp '$cg'/version \$v/ && sed -i '4s/ 768 / 7x8 /' \$v/cgroup_files &&
	fails_with 'cgroup_files:4: bad cached field' '$ml' files --cgroup / --debugfs \$v &&
	cp '$cg'/cgroup_files \$v/ && sed -i '1s/^cgroup dev ino cached/cgroup dev ino/' \$v/cgroup_files &&
	fails_with 'cgroup_files:1: no column cached in the header' '$ml' files --cgroup / --debugfs \$v &&
	cp '$cg'/cgroup_files \$v/ && sed -i '\$s/.*/below 64/' \$v/cgroup_files &&
	fails_with 'cgroup_files:22: not a \"below KB ROWS\" line' '$ml' files --cgroup / --debugfs \$v"
cat >"$out/cgf.tree" <<'TREE'
PATH                                                      CURRENT FILE STATE
/                                                           583M* 290M 
| /lib/x86_64-linux-gnu/libc.so.6                                 512K 
|-system.slice                                               400M 202M 
| |-nginx.service                                            200M  64M 
| |   /var/log/nginx/access.log                                    40M 
| |   /var/log/nginx/error log                                      2M 
| |-postgres.service                                         150M 100M 
| |   /var/lib/postgresql/base/16384/2619                          64M 
| |   /var/lib/postgresql/pg_wal/000000010000000000000001          20M 
| |-old unit.service                                          30M  28M dying
| |   /var/log/old.log                                             28M 
| `-cron.service                                              20M  10M 
|     /var/lib/cron/crontab.db                                      8M 
|     /var/lib/postgresql/pg_wal/000000010000000000000001           1M 
|-user.slice                                                 100M  44M 
| `-user-1000.slice                                          100M  44M 
|   |-session-3.scope                                         80M  28M 
|   |   /tmp/t/keep                                                 8M 
|   |   /lib/x86_64-linux-gnu/libc.so.6                           128K 
|   `-session-1.scope                                         20M  16M dying
|     | /tmp/t/scratch                                             12M 
|     `-child                                                  4M   4M dying
|         /tmp/t/child.dat                                          4M 
`-init.scope                                                  10M   4M 
    /lib/x86_64-linux-gnu/libc.so.6                                 1M 
    /bin/busybox                                                  912K 
*: the root has no memory.current: its anon + file + kernel + sock
3 dying cgroups hold 50M (file 44M).
TREE
tap_check "cgroups --files 2: each cgroup's own largest files on lines under it, their cached in FILE" bash -c "
	'$ml' cgroups --files 2 -o path,current,file,state $cga | diff '$out/cgf.tree' -"
tap_check "cgroups --files: 3 by default, --files N and --files=N; with -t, the cgroups shown only" bash -c "
	cmp <('$ml' cgroups --files $cga) <('$ml' cgroups --files 3 $cga) &&
	[ \$((\$('$ml' cgroups --files $cga | wc -l) - \$('$ml' cgroups --files 2 $cga | wc -l))) = 2 ] &&
	cmp <('$ml' cgroups --files 1 $cga) <('$ml' cgroups --files=1 $cga) &&
	[ \"\$('$ml' cgroups --files 1 -t 3 -s file -o path,file $cga | sed -n '2,\$p' | tr -s ' ' | tr '\n' '|')\" = \
	  '/ 290M|| /lib/x86_64-linux-gnu/libc.so.6 512K|\`-system.slice 202M| \`-postgres.service 100M| /var/lib/postgresql/base/16384/2619 64M|3 dying cgroups hold 50M (file 44M).|' ]"
tap_check "cgroups --files -J: each cgroup's files are its children, path and file in bytes" bash -c "
	'$ml' cgroups --files -J $cga >'$out/cgf.cg.json' &&
	[ \"\$(jq -r '.cgroups[] | select(.path == \"/system.slice/cron.service\") | .children[] | \"\(.path) \(.file)\"' '$out/cgf.cg.json' | tr '\n' '|')\" = \
	  '/var/lib/cron/crontab.db 8388608|/var/lib/postgresql/pg_wal/000000010000000000000001 1048576|/lib/x86_64-linux-gnu/libc.so.6 262144|' ] &&
	[ \$(jq '[.cgroups[] | .children // [] | length] | add' '$out/cgf.cg.json') = 16 ] &&
	[ \$(jq '.cgroups | length' '$out/cgf.cg.json') = 12 ]"
tap_check "cgroups --files: -r and -w refused, 0 invalid; without the view it says so" bash -c "
	fails_with '^memlens: --files does not apply to --raw (-J has the files)' '$ml' cgroups --files -r $cga &&
	fails_with '^memlens: --files does not apply to --watch' '$ml' cgroups --files -w 1 $cga &&
	fails_with \"invalid number of files: '0'\" '$ml' cgroups --files 0 $cga &&
	v=\$(mktemp -d) && cp '$cg'/* \$v/ && sed -i '/^cgroup_files:/d' \$v/version &&
	fails_with 'no cgroup_files view: the memlens module is older than this reader (memlens cgroups works without --files)' '$ml' cgroups --files --debugfs \$v &&
	'$ml' cgroups --debugfs \$v >/dev/null"

tap_finish
