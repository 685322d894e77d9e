#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# make shell's VM, booted three times.
#
# 1. Driven through a pseudo-terminal, as a user at a terminal drives it:
# scripts/shell.sh -k IMAGE -i INITRD on a pty of an odd size with
# TERM=xterm-256color.  The guest's shell must show a prompt, have its tty
# (ttyS1) as controlling terminal (job control), LANG=C.UTF-8 with a UTF-8
# locale, the pty's TERM and size, and tmux where this machine has it; the
# checkout at /memlens, read-only, its files the host's; `memlens ps -w 1`
# must draw its second frame with the ΔRSS column and end at Ctrl-C (killed
# by SIGINT: status 130) back at the prompt; `exit 0` must end qemu with
# status 0.
#
# 2. shell.sh -c '... memlens ps -o pid,args -t 3' on a pty (make shell
# CMD=... at a terminal): a header of PID and ARGS, three rows, one of them
# its own command line, status 0.
#
# 3. shell.sh -c CMD with stdin and stdout pipes (make shell CMD=... in a
# pipeline): stdin passed (wc -l counts its lines), the checkout the working
# directory, stdout and stderr apart and byte for byte, exit 3 comes back.
#
# TAP on stdout, the sessions' text as comments.
#
#   scripts/shell-test.py KERNEL_IMAGE INITRD

import fcntl
import hashlib
import os
import re
import signal
import select
import struct
import subprocess
import sys
import termios
import time

ROWS, COLS = 37, 111
BOOT_SECONDS = 900
STEP_SECONDS = 60
TRANSCRIPT_LINES = 400
PROMPT = rb"@memlens-vm:[^\r\n]*# "
ESCAPE = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")


class Session:
    def __init__(self, argv):
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        env = dict(os.environ, TERM="xterm-256color")
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave,
                                     env=env, start_new_session=True)
        os.close(slave)
        self.fd = master
        self.buf = b""
        self.pos = 0
        self.eof = False

    def read(self, until):
        """Read what the VM printed, until a deadline; False at its end."""
        left = until - time.monotonic()
        if left <= 0 or self.eof:
            return False
        ready, _, _ = select.select([self.fd], [], [], min(left, 1.0))
        if ready:
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                data = b""
            if not data:
                self.eof = True
                return False
            self.buf += data
        return True

    def expect(self, pattern, seconds):
        """The first match of pattern after the last one, or None, in the
        text without escape sequences (^ at each line's start).  Lines end in
        \\r\\r\\n: the guest's tty and the host's pty each add a \\r; and
        bash starts its commands' output with \\r (after turning bracketed
        paste off)."""
        until = time.monotonic() + seconds
        regex = re.compile(pattern, re.MULTILINE)
        while True:
            m = regex.search(ESCAPE.sub(b"", self.buf), self.pos)
            if m:
                self.pos = m.end()
                return m
            if not self.read(until):
                return None

    def send(self, data):
        os.write(self.fd, data)

    def wait(self, seconds):
        """qemu's exit status, or None if it still runs after seconds."""
        until = time.monotonic() + seconds
        while self.proc.poll() is None and time.monotonic() < until:
            self.read(until)
        return self.proc.poll()

    def kill(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def line(text):
    """A pattern for a line of output that is text alone."""
    return rb"(?:^|\r)" + text + rb"\r*\n"


def transcript(raw):
    """The session's text, without escape sequences, as TAP comments: its
    first and last lines, where a live view that did not stop made more."""
    text = ESCAPE.sub(b"", raw).replace(b"\r", b"").decode("utf-8", "replace")
    lines = text.splitlines()
    if len(lines) > TRANSCRIPT_LINES:
        half = TRANSCRIPT_LINES // 2
        lines[half:-half] = [f"... ({len(lines) - 2 * half} lines)"]
    return "".join("# " + line + "\n" for line in lines)


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def check(self, ok, what):
        self.n += 1
        self.failed += not ok
        print(("ok" if ok else "not ok") + f" {self.n} - shell: {what}", flush=True)
        return ok


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def interactive(tap, shell, tmux, readme):
    """Part 1: the shell on a pty."""
    check = tap.check
    s = Session(shell)
    try:
        if not check(s.expect(PROMPT, BOOT_SECONDS), "a prompt after the boot"):
            return
        s.send(b'echo "lang=$LANG term=$TERM"; tty; stty size; echo "jobs=${-//[!m]/}"; '
               b'locale charmap; echo "tmux=$(command -v tmux)"\r')
        for pattern, what in (
                (line(rb"lang=C\.UTF-8 term=xterm-256color"), "LANG=C.UTF-8 and the pty's TERM"),
                (line(rb"/dev/ttyS1"), "the shell's tty is ttyS1"),
                (line(b"%d %d" % (ROWS, COLS)), f"stty size is the pty's, {ROWS} {COLS}"),
                (line(rb"jobs=m"), "job control is on"),
                (line(rb"UTF-8"), "the locale's charset is UTF-8"),
                (line(rb"tmux=/usr/bin/tmux") if tmux else line(rb"tmux="),
                 "tmux in the VM" if tmux else "no tmux: this machine has none")):
            check(s.expect(pattern, STEP_SECONDS), what)
        check(s.expect(PROMPT, STEP_SECONDS), "the prompt again")
        s.send(b'sha256sum /memlens/README.md; touch /memlens/x || echo "ro=$?"\r')
        check(s.expect(line(readme.encode() + rb"  /memlens/README\.md"), STEP_SECONDS),
              "the checkout at /memlens: README.md's sha256 is the host's")
        check(s.expect(line(rb"ro=1"), STEP_SECONDS), "/memlens is read-only")
        check(s.expect(PROMPT, STEP_SECONDS), "the prompt again")
        s.send(b"memlens ps -w 1\r")
        check(s.expect("ΔRSS".encode(), STEP_SECONDS), "memlens ps -w 1 shows ΔRSS")
        if check(s.expect(rb"memlens ps - [0-9:]*, every 1 s, sample 2", STEP_SECONDS),
                 "memlens ps -w 1 draws a second frame"):
            s.send(b"\x03")
            check(s.expect(PROMPT, 10), "Ctrl-C ends it: the prompt within 10 s")
            s.send(b'echo "rc=$?"\r')
            check(s.expect(line(rb"rc=130"), STEP_SECONDS),
                  "memlens ended by SIGINT (status 130)")
        s.send(b"exit 0\r")
        rc = s.wait(120)
        check(rc == 0, f"exit 0 ends the VM, shell.sh's status 0 (got {rc})")
    finally:
        s.kill()
        sys.stdout.write(transcript(s.buf))


def command_on_tty(tap, shell):
    """Part 2: one command on a pty, as make shell CMD=... at a terminal."""
    check = tap.check
    # four processes besides the kernel's (init, two sleeps, memlens), so
    # that -t 3 has one to leave out
    ps = "memlens ps -o pid,args -t 3"
    s = Session(shell + ["-c", f"sleep 60 & sleep 60 & {ps}"])
    try:
        rc = s.wait(BOOT_SECONDS)
        text = ESCAPE.sub(b"", s.buf).replace(b"\r", b"").decode("utf-8", "replace")
        lines = text.splitlines()
        head = [i for i, l in enumerate(lines) if re.fullmatch(r" *PID ARGS *", l)]
        rows = []
        if check(len(head) == 1, f"{ps} on a tty: a header of PID and ARGS"):
            # a row: a pid right-aligned under PID, its args under ARGS;
            # not the footer's "N kernel threads ..."
            col = lines[head[0]].index("ARGS")
            for l in lines[head[0] + 1:]:
                if not re.fullmatch(r" *[0-9]+ ", l[:col]) or l[col:col + 1] in ("", " "):
                    break
                rows.append(l[col:].rstrip())
        check(len(rows) == 3, f"{ps}: three rows (got {len(rows)})")
        check(ps in rows, f"{ps}: its own row's ARGS is its command line")
        check(rc == 0, f"{ps}: shell.sh's status 0 (got {rc})")
    finally:
        s.kill()
        sys.stdout.write(transcript(s.buf))


def command_in_pipes(tap, shell, readme):
    """Part 3: one command between pipes, as make shell CMD=... in a pipeline:
    each line of its stdout answers one check."""
    check = tap.check
    cmd = "wc -l; sha256sum README.md; printf to-stderr >&2; printf no-newline; exit 3"
    try:
        p = subprocess.run(shell + ["-c", cmd], input=b"a\nb\n", capture_output=True,
                           timeout=BOOT_SECONDS)
        out, err, rc = p.stdout, p.stderr, p.returncode
    except subprocess.TimeoutExpired as e:
        out, err, rc = e.stdout or b"", e.stderr or b"", None
    lines = out.split(b"\n")
    check(lines[0] == b"2", f"stdin passed: printf 'a\\nb\\n' | ... wc -l prints 2 (got {lines[0]!r})")
    check(len(lines) > 1 and lines[1] == readme.encode() + b"  README.md",
          "the checkout is the working directory: README.md's sha256 is the host's")
    check(out.endswith(b"\nno-newline") and b"to-stderr" not in out and b"\r" not in out,
          "stdout byte for byte: no \\r, no stderr, its last line without a newline")
    check(b"to-stderr" in err, "stderr apart, on shell.sh's stderr")
    check(rc == 3, f"exit 3 comes back: shell.sh's status 3 (got {rc})")
    for name, text in (("stdout", out), ("stderr", err)):
        sys.stdout.write(f"# {name}:\n" + transcript(text))


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: shell-test.py KERNEL_IMAGE INITRD")
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    tmux = subprocess.run(["dpkg", "-s", "tmux"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0
    readme = sha256(os.path.join(top, "README.md"))
    shell = [os.path.join(top, "scripts/shell.sh"), "-k", sys.argv[1], "-i", sys.argv[2]]
    tap = Tap()
    try:
        interactive(tap, shell, tmux, readme)
        command_on_tty(tap, shell)
        command_in_pipes(tap, shell, readme)
        return tap.failed
    finally:
        print(f"1..{tap.n}")
        print(f"# Totals: pass:{tap.n - tap.failed} fail:{tap.failed} "
              "xfail:0 xpass:0 skip:0 error:0")
        sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(1 if main() else 0)
