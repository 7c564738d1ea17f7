"""The Py4J gateway itself, on every JDK: loopback only, token required, token never on the
command line, token file, and the gateway's exit when its parent goes away."""

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time

import pytest

from interop_procs import Gateway, wait_for

pytestmark = pytest.mark.cell("gateway")


def _listening_ports(pid):
    """(address hex, port) of every listening TCP socket of a process, from /proc."""
    inodes = set()
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            target = os.readlink("/proc/%d/fd/%s" % (pid, fd))
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = []
    for table in ("tcp", "tcp6"):
        with open("/proc/%d/net/%s" % (pid, table)) as f:
            next(f)
            for line in f:
                cols = line.split()
                local, state, inode = cols[1], cols[3], cols[9]
                if state == "0A" and inode in inodes:  # 0A = LISTEN
                    address, port = local.split(":")
                    found.append((address, int(port, 16)))
    return found


def test_ready_line_and_loopback_only(gateway):
    ready = gateway.ready
    assert set(ready) == {"pyshm_gateway", "address", "port", "pid", "java_version", "token"}
    assert ready["address"] == "127.0.0.1" and 0 < ready["port"] < 65536
    assert ready["pid"] == gateway.proc.pid
    assert ready["java_version"].split(".")[0] == str(gateway.jdk.major)
    assert len(ready["token"]) == 64 and int(ready["token"], 16) >= 0
    # 127.0.0.1, as IPv4 or as an IPv4-mapped IPv6 socket; nothing on any other address
    loopback = {"0100007F", "0000000000000000FFFF00000100007F"}
    ports = _listening_ports(gateway.proc.pid)
    assert ports and all(addr in loopback for addr, _ in ports), ports
    assert ready["port"] in [p for _, p in ports]


def test_connection_without_token_is_refused(gateway):
    from py4j.java_gateway import GatewayParameters, JavaGateway
    from py4j.protocol import Py4JError

    # raw protocol: a call with no authentication first is answered with an error and dropped
    with socket.create_connection(("127.0.0.1", gateway.ready["port"]), timeout=10) as s:
        s.sendall(b"c\nt\ninfo\ne\n")
        answer = b""
        try:
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                answer += chunk
        except ConnectionResetError:
            pass  # closed with unread data: a reset is a refusal too
    assert answer == b"" or answer.startswith(b"!x"), answer
    assert b"java_version" not in answer

    # the py4j client with a wrong token: refused
    wrong = "0" * 64 if gateway.ready["token"] != "0" * 64 else "1" * 64
    bad = JavaGateway(gateway_parameters=GatewayParameters(port=gateway.ready["port"],
                                                           auth_token=wrong))
    try:
        with pytest.raises(Py4JError):
            bad.entry_point.info()
    finally:
        bad.close()

    # and without any token
    none = JavaGateway(gateway_parameters=GatewayParameters(port=gateway.ready["port"]))
    try:
        with pytest.raises(Py4JError):
            none.entry_point.info()
    finally:
        none.close()

    # the right token still works, and the session's connection was not disturbed
    assert json.loads(gateway.ep.info())["pid"] == gateway.proc.pid


def test_token_never_on_command_line_or_environment(gateway):
    token = gateway.ready["token"].encode()
    for what in ("cmdline", "environ"):
        with open("/proc/%d/%s" % (gateway.proc.pid, what), "rb") as f:
            assert token not in f.read(), what


def test_token_file_is_0600_and_removed_at_stdin_eof(jdk, jar, py4j_client, tmp_path):
    path = tmp_path / "token"
    gw = Gateway(jdk, jar, ["--token-file", str(path)])
    try:
        assert "token" not in gw.ready and gw.ready["token_file"] == str(path)
        st = os.stat(str(path))
        assert stat.S_IMODE(st.st_mode) == 0o600 and st.st_uid == os.geteuid()
        token = path.read_text()
        assert len(token) == 64
        with open("/proc/%d/cmdline" % gw.proc.pid, "rb") as f:
            assert token.encode() not in f.read()
        assert json.loads(gw.ep.info())["java_version"] == gw.ready["java_version"]
    finally:
        assert gw.stop() == 0  # stdin EOF ends it with status 0
    assert "standard input closed" in gw.stderr(wait=True)
    assert not path.exists()


def test_token_file_that_exists_is_not_overwritten(jdk, jar, tmp_path):
    path = tmp_path / "token"
    path.write_text("mine")
    proc = subprocess.run([jdk.java, "-cp", jar, "dev.pyshm.py4j.Gateway", "--token-file",
                           str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=60)
    assert proc.returncode != 0 and proc.stdout == b""
    assert b"FileAlreadyExistsException" in proc.stderr
    assert path.read_text() == "mine"


_INTERMEDIATE = r"""
import subprocess, sys, time
gw = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE)  # stdin: inherited, stays open
sys.stdout.write(gw.stdout.readline().decode())
sys.stdout.flush()
time.sleep(3600)
"""


def _gone(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def test_exits_when_parent_dies(jdk, jar):
    """The gateway's parent (not the test) is SIGKILLed while the gateway's stdin stays open:
    only the parent watch can end it."""
    parent = subprocess.Popen(
        [sys.executable, "-c", _INTERMEDIATE, jdk.java, "--enable-native-access=ALL-UNNAMED",
         "-cp", jar, "dev.pyshm.py4j.Gateway"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    pid = None
    try:
        ready = json.loads(parent.stdout.readline())
        pid = ready["pid"]
        time.sleep(0.3)
        assert not _gone(pid), "gateway died before its parent"
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(30)
        assert wait_for(lambda: _gone(pid), timeout=20), "gateway outlived its parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait(30)
        parent.stdin.close()
        parent.stdout.close()
        if pid is not None and not _gone(pid):
            os.kill(pid, signal.SIGKILL)  # the gateway this test started, by its pid
