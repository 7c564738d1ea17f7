"""Permissions: a block root creates with the default mode 0600 cannot be attached by the user
nobody, whether Java or CPython created it. The nobody side is a peer run by Debian's own
python3 through ``runuser -u nobody`` (pyenv's interpreters live under root's 0700 home). A chmod
to 0666 then lets nobody in, which shows the refusal was the mode and nothing else; nobody can
never unlink root's block (/dev/shm is sticky).
"""

import errno
import os
import pwd
import stat

import pytest

from interop_names import new_name



def _check_root_0600(name):
    st = os.stat("/dev/shm/" + name)
    assert (stat.S_IMODE(st.st_mode), st.st_uid) == (0o600, 0), oct(st.st_mode)


def _assert_runs_as_nobody(nobody):
    """The refusals mean something only if the peer really runs as nobody."""
    with open("/proc/%d/status" % nobody.ok("ping")["pid"]) as f:
        uids = [line.split()[1:] for line in f if line.startswith("Uid:")][0]
    assert set(map(int, uids)) == {pwd.getpwnam("nobody").pw_uid}
    assert nobody.ready["executable"] == "/usr/bin/python3"


def _refused_then_admitted(nobody, name, content):
    _assert_runs_as_nobody(nobody)
    e = nobody.err("attach", name=name)
    assert (e["type"], e["errno"], e["filename"]) == ("PermissionError", errno.EACCES, "/" + name)
    os.chmod("/dev/shm/" + name, 0o666)
    got = nobody.ok("attach", name=name, unregister=True)
    assert bytes.fromhex(nobody.ok("read", handle=got["handle"],
                                   length=len(content))["hex"]) == content
    nobody.ok("write", handle=got["handle"], hex=b"nobody".hex())
    nobody.ok("close", handle=got["handle"])
    e = nobody.err("unlink_name", name=name)
    assert (e["type"], e["errno"]) == ("PermissionError", errno.EACCES)


@pytest.mark.cell("perms-java")
def test_java_block_is_refused_to_nobody(gw, nobody_peer):
    shm = gw.call("create", new_name("permj"), 4096)
    try:
        gw.call("write", shm, 0, b"secret")
        _check_root_0600(shm.name())
        _refused_then_admitted(nobody_peer, shm.name(), b"secret")
        assert bytes(gw.call("read", shm, 0, 6)) == b"nobody"
    finally:
        shm.close()
        shm.unlink()


@pytest.mark.cell("permissions")
def test_python_block_is_refused_to_nobody(peer, gw, nobody_peer):
    made = peer.ok("create", name=new_name("permp"), size=4096)
    try:
        peer.ok("write", handle=made["handle"], hex=b"secret".hex())
        _check_root_0600(made["name"])
        # root (here: the Java side) is not refused
        shm = gw.call("attach", made["name"])
        assert bytes(gw.call("read", shm, 0, 6)) == b"secret"
        shm.close()
        _refused_then_admitted(nobody_peer, made["name"], b"secret")
        assert bytes.fromhex(peer.ok("read", handle=made["handle"], length=6)["hex"]) == b"nobody"
    finally:
        peer.ok("close", handle=made["handle"])
        peer.ok("unlink", handle=made["handle"])
