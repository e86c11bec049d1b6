#!/usr/bin/env python3
# watchdog_test.py server|player BINARY TMPDIR: runs the real program the
# way systemd runs a Type=notify unit with WatchdogSec=2 (NOTIFY_SOCKET is
# a datagram socket this script reads; WATCHDOG_USEC=2000000 and
# WATCHDOG_PID the child's), and checks what it says and when:
#
#   1. READY=1 once it serves (the server: after its port file exists) or
#      shows its first frame (the player, headless: its first PNG);
#   2. WATCHDOG=1 every second or so, several in a row, also while the
#      program has nothing else to do (the player's loop would otherwise
#      sleep until the next minute);
#   3. SIGHUP: RELOADING=1 (with MONOTONIC_USEC), then READY=1;
#   4. SIGTERM: STOPPING=1 and a clean exit;
#   5. a second run with INFOTAULU_DEBUG_STALL_S=3: keep-alives for about
#      3 s, then none for 5 s while the process is still running (the
#      player's loop stopped; the server's /healthz handler hangs, so its
#      heartbeat request gets no answer). A keep-alive sent from a thread
#      of its own would go on here.
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

mode, binary, tmp = sys.argv[1], sys.argv[2], sys.argv[3]


def fail(msg, log=None):
    print("FAIL: " + msg, file=sys.stderr)
    if log and os.path.exists(log):
        with open(log, errors="replace") as f:
            print("--- log ---\n" + "".join(f.readlines()[-30:]), file=sys.stderr)
    sys.exit(1)


class Manager:
    """A fake service manager: the notify socket and the child."""

    def __init__(self, name, stall=None):
        self.dir = os.path.join(tmp, name)
        os.makedirs(self.dir)
        # sun_path holds 108 bytes; the build tree may be deeper
        self.sock_path = "/tmp/taulu-wd-%d-%s" % (os.getpid(), name)
        if os.path.exists(self.sock_path):
            os.unlink(self.sock_path)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.sock_path)
        self.msgs = []  # (monotonic s, text)
        self.log = os.path.join(self.dir, "log")
        self.stall = stall

    def start(self, argv):
        env = dict(os.environ)
        env["NOTIFY_SOCKET"] = self.sock_path
        env["WATCHDOG_USEC"] = "2000000"
        env.pop("INFOTAULU_DEBUG_STALL_S", None)
        if self.stall is not None:
            env["INFOTAULU_DEBUG_STALL_S"] = str(self.stall)
        # WATCHDOG_PID must be the child's own pid, known only after the
        # fork: a shell sets it and execs the program (same pid).
        self.proc = subprocess.Popen(
            ["sh", "-c", 'WATCHDOG_PID=$$ exec "$@"', "sh"] + argv,
            env=env, stdout=open(self.log, "w"), stderr=subprocess.STDOUT)
        self.t0 = time.monotonic()

    def collect(self, seconds):
        """Reads datagrams for `seconds`."""
        end = time.monotonic() + seconds
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(4096)
            except socket.timeout:
                return
            self.msgs.append((time.monotonic(), data.decode()))

    def wait_for(self, word, seconds, after=0.0):
        """Reads until a message with the line `word` came after `after`;
        its time, or None."""
        end = time.monotonic() + seconds
        while True:
            for t, m in self.msgs:
                if t >= after and word in m.split("\n"):
                    return t
            left = end - time.monotonic()
            if left <= 0 or self.proc.poll() is not None:
                return None
            self.collect(min(left, 0.2))

    def pings(self, start, end):
        return [t for t, m in self.msgs
                if start <= t < end and "WATCHDOG=1" in m.split("\n")]

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.sock.close()
        os.unlink(self.sock_path)


def argv_for(m):
    if mode == "server":
        return [binary, "--config", os.path.join(m.dir, "none.conf"),
                "--data-dir", os.path.join(m.dir, "data"), "--port", "0",
                "--port-file", os.path.join(m.dir, "port"),
                "--log-level", "debug"]
    # the player headless in its real loop, no server, an empty cache: the
    # loading card, then nothing to do but the minute's clock
    os.makedirs(os.path.join(m.dir, "frames"))
    return [binary, "--config", os.path.join(m.dir, "none.conf"),
            "--headless", "--frames", os.path.join(m.dir, "frames"),
            "--seconds", "60", "--cache_dir=" + os.path.join(m.dir, "cache"),
            "--screen_id=wd-1", "--log_level=debug"]


def write_config(m):
    with open(os.path.join(m.dir, "none.conf"), "w") as f:
        f.write("# empty: the defaults and the command line\n")


shutil.rmtree(tmp, ignore_errors=True)
os.makedirs(tmp)

# ---- 1-4: a working program
m = Manager("ok")
write_config(m)
m.start(argv_for(m))
try:
    ready = m.wait_for("READY=1", 30)
    if ready is None:
        fail("no READY=1", m.log)
    if mode == "server" and not os.path.exists(os.path.join(m.dir, "port")):
        fail("READY=1 before the port file was written", m.log)
    if mode == "player" and not os.path.exists(
            os.path.join(m.dir, "frames", "frame-0001.png")):
        fail("READY=1 before the first frame", m.log)
    m.collect(4.5)
    p = m.pings(ready, ready + 4.5)
    if len(p) < 3:
        fail("%d keep-alives in 4.5 s after READY=1 (want >= 3)" % len(p),
             m.log)
    gaps = [b - a for a, b in zip(p, p[1:])]
    if max(gaps) > 1.6:
        fail("keep-alives %.2f s apart (want about 1 s: half the 2 s "
             "timeout)" % max(gaps), m.log)
    print("%s: READY=1 %.2f s after start; %d keep-alives in 4.5 s, gaps "
          "%.2f..%.2f s" % (mode, ready - m.t0, len(p), min(gaps), max(gaps)))

    hup = time.monotonic()
    m.proc.send_signal(signal.SIGHUP)
    t_rel = m.wait_for("RELOADING=1", 10, hup)
    if t_rel is None:
        fail("no RELOADING=1 after SIGHUP", m.log)
    rel_msg = [x for t, x in m.msgs if t == t_rel][0]
    if "MONOTONIC_USEC=" not in rel_msg:
        fail("RELOADING=1 without MONOTONIC_USEC: %r" % rel_msg)
    if m.wait_for("READY=1", 10, t_rel) is None:
        fail("no READY=1 after the reload", m.log)
    print("%s: SIGHUP gives RELOADING=1 then READY=1" % mode)

    m.proc.send_signal(signal.SIGTERM)
    if m.wait_for("STOPPING=1", 15, hup) is None:
        fail("no STOPPING=1 after SIGTERM", m.log)
    rc = m.proc.wait(timeout=20)
    if rc != 0:
        fail("exit status %d after SIGTERM" % rc, m.log)
    print("%s: SIGTERM gives STOPPING=1 and exit 0" % mode)
finally:
    m.close()

# ---- 5: a hung program stops feeding the watchdog
m = Manager("stall", stall=3)
write_config(m)
m.start(argv_for(m))
try:
    ready = m.wait_for("READY=1", 30)
    if ready is None:
        fail("no READY=1 (stall run)", m.log)
    m.collect(3.0 + 1.5 - (time.monotonic() - m.t0) + 5.0)
    alive_end = m.t0 + 3.0 + 1.5  # the stall, and one period's slack
    before = m.pings(ready, m.t0 + 3.0)
    after = m.pings(alive_end, time.monotonic())
    if len(before) < 1:
        fail("no keep-alive before the stall", m.log)
    if after:
        fail("%d keep-alives after the stall: the watchdog would not "
             "restart a hung %s" % (len(after), mode), m.log)
    if m.proc.poll() is not None:
        fail("the process exited instead of hanging", m.log)
    last = max(m.pings(ready, time.monotonic()))
    print("%s stalled after 3 s: %d keep-alives before, the last %.2f s after "
          "start, none in the %.1f s after that; the process still runs "
          "(systemd would kill it at 2 s)" %
          (mode, len(before), last - m.t0, time.monotonic() - last))
finally:
    m.close()
print("ok")
