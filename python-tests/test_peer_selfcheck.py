"""Self-check of peer.py under every installed pyenv CPython 3.8-3.13.

Runs with the python3 on PATH (pytest); each interpreter runs ``peer.py`` as a child. Every
block a test makes is removed, and a test fails if one of its names is left in /dev/shm.
"""

import glob
import hashlib
import json
import os
import re
import signal
import subprocess
import time

import pytest

import interop_procs
from interop_names import new_name, remember

HERE = os.path.dirname(os.path.abspath(__file__))
PEER = os.path.join(HERE, "peer.py")
GOLDEN = os.path.join(HERE, os.pardir, "src", "test", "resources", "dev", "pyshm", "golden")
PYENV = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
REPLY_TIMEOUT = 20.0


def _installed():
    found = {}
    for path in glob.glob(os.path.join(PYENV, "versions", "3.*", "bin", "python3")):
        version = path.split(os.sep)[-3]
        if re.fullmatch(r"3\.(8|9|1[0-3])\.\d+", version):
            found[version] = path
    return dict(sorted(found.items(), key=lambda kv: tuple(map(int, kv[0].split(".")))))


PYTHONS = _installed()
VERSIONS = list(PYTHONS)
if not PYTHONS:
    pytest.skip("no pyenv CPython 3.8-3.13 installed", allow_module_level=True)

exists = interop_procs.shm_exists


def wait_gone(name, timeout=10.0):
    return interop_procs.wait_for(lambda: not exists(name), timeout)


class Peer(interop_procs.Peer):
    """The interop suite's peer driver, plus raw request lines and the error-object shape this
    self-check pins down."""

    def __init__(self, python):
        super().__init__(python, script=PEER, on_name=remember)

    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()
        return self._reply("raw request")

    def err(self, op, **fields):
        error = super().err(op, **fields)
        assert set(error) >= {"type", "errno", "strerror", "filename", "message", "repr"}
        return error


@pytest.fixture(scope="session")
def pool():
    """One long-lived peer per interpreter; at the end their trackers must have been silent."""
    peers = {}
    yield lambda version: peers.setdefault(version, Peer(PYTHONS[version]))
    noisy = []
    for version, peer in peers.items():
        assert peer.finish() == 0
        text = peer.stderr(wait=True)
        if text.strip():
            noisy.append("%s:\n%s" % (version, text))
    assert not noisy, "pooled peers wrote to stderr (a test leaked a tracked block?):\n" + \
        "\n".join(noisy)


@pytest.fixture(params=VERSIONS)
def version(request):
    return request.param


@pytest.fixture
def peer(pool, version):
    return pool(version)


@pytest.fixture
def spawn():
    """Fresh peers for tests that end the process; killed at teardown if still running."""
    started = []

    def make(version):
        started.append(Peer(PYTHONS[version]))
        return started[-1]

    yield make
    for p in started:
        p.kill()
        p._err_thread.join(REPLY_TIMEOUT)


def _is_313(version):
    return tuple(map(int, version.split(".")[:2])) >= (3, 13)


# ---------------------------------------------------------------- SharedMemory


def test_ready_line(peer, version):
    ready = peer.ready
    assert ready["ok"] is True and ready["ready"] is True
    assert ready["version"] == version
    assert ready["pid"] == peer.proc.pid
    assert ready["layout"] == ("PY38" if version.startswith("3.8.") else "PY39")
    assert ready["track_supported"] is _is_313(version)
    assert isinstance(ready["hexversion"], int)


def test_create_write_attach_read(peer):
    name = new_name()
    made = peer.ok("create", name=name, size=4097, id="c1")
    assert made["id"] == "c1"
    assert made["name"] == name and made["os_name"] == "/" + name and made["size"] == 4097
    assert made["repr"] == "SharedMemory(%r, size=4097)" % name
    st = peer.ok("stat", name=name)
    assert st == {"ok": True, "exists": True, "size": 4097, "mode": 0o600 & ~_umask(),
                  "uid": os.getuid(), "gid": os.getgid()}

    assert peer.ok("write", handle=made["handle"], offset=4094, hex="a1b2c3")["length"] == 3
    # same process, same tracker: a second register of the name is a no-op (a set)
    other = peer.ok("attach", name=name, size=999999)
    assert other["size"] == 4097 and other["handle"] != made["handle"]
    assert peer.ok("read", handle=other["handle"], offset=4093)["hex"] == "00a1b2c3"
    assert peer.ok("fill", handle=other["handle"], offset=10, length=5, byte=0xEE)["length"] == 5
    assert peer.ok("read", handle=made["handle"], offset=8, length=9)["hex"] == "0000eeeeeeeeee0000"
    assert peer.ok("touch", handle=made["handle"], offsets=[0, 4096], byte=7)["count"] == 2

    expected = bytearray(4097)
    expected[10:15] = b"\xee" * 5
    expected[4094:4097] = b"\xa1\xb2\xc3"
    expected[0] = expected[4096] = 7
    whole = peer.ok("read", handle=other["handle"])
    assert whole["hex"] == expected.hex() and whole["length"] == 4097
    assert peer.ok("checksum", handle=other["handle"])["sha256"] == \
        hashlib.sha256(expected).hexdigest()
    assert peer.ok("checksum", handle=made["handle"], offset=4000, length=97)["sha256"] == \
        hashlib.sha256(expected[4000:]).hexdigest()

    assert peer.ok("info", handle=other["handle"])["closed"] is False
    peer.ok("close", handle=other["handle"])
    peer.ok("close", handle=other["handle"])  # idempotent, as in CPython
    assert peer.ok("info", handle=other["handle"])["closed"] is True
    closed = peer.err("read", handle=other["handle"])
    assert closed["type"] == "BadRequest" and "closed" in closed["message"]

    peer.ok("unlink", handle=made["handle"])
    assert peer.ok("stat", name=name) == {"ok": True, "exists": False}
    # the mapping outlives the name
    assert peer.ok("read", handle=made["handle"], offset=0, length=1)["hex"] == "07"
    peer.ok("close", handle=made["handle"])


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_generated_name(peer):
    made = peer.ok("create", name=None, size=16)
    assert re.fullmatch(r"psm_[0-9a-f]{8}", made["name"])
    assert made["os_name"] == "/" + made["name"]
    peer.ok("close", handle=made["handle"])
    peer.ok("unlink", handle=made["handle"])


def test_errors_match_cpython(peer):
    missing = new_name("missing")
    e = peer.err("attach", name=missing)
    assert e["type"] == "FileNotFoundError" and e["errno"] == 2
    assert e["filename"] == "/" + missing and e["strerror"] == "No such file or directory"
    assert e["message"] == "[Errno 2] No such file or directory: '/%s'" % missing

    name = new_name()
    made = peer.ok("create", name=name, size=8)
    e = peer.err("create", name=name, size=8)
    assert (e["type"], e["errno"], e["filename"]) == ("FileExistsError", 17, "/" + name)
    assert e["message"] == "[Errno 17] File exists: '/%s'" % name
    assert "OSError" in e["mro"]

    e = peer.err("create", name=new_name(), size=0)
    assert e["type"] == "ValueError" and e["errno"] is None and e["filename"] is None
    assert e["message"] == "'size' must be a positive number different from zero"
    e = peer.err("create", size=-1)
    assert e["message"] == "'size' must be a positive integer"
    e = peer.err("attach", name=None)
    assert e["message"] == "'name' can only be None if create=True"

    peer.ok("close", handle=made["handle"])
    peer.ok("unlink", handle=made["handle"])
    e = peer.err("unlink", handle=made["handle"])
    assert (e["type"], e["errno"]) == ("FileNotFoundError", 2)
    e = peer.err("unlink_name", name=name)
    assert (e["type"], e["errno"], e["filename"]) == ("FileNotFoundError", 2, "/" + name)


def test_track_only_on_313(peer, version):
    name = new_name()
    if _is_313(version):
        made = peer.ok("create", name=name, size=8, track=False)
        other = peer.ok("attach", name=name, track=True, unregister=True)
        for h in (other, made):
            peer.ok("close", handle=h["handle"])
        peer.ok("unlink", handle=made["handle"])
    else:
        e = peer.err("create", name=name, size=8, track=False)
        assert e["type"] == "Unsupported"
        assert not exists(name)
        assert peer.err("attach", name=name, track=True)["type"] == "Unsupported"


def test_raw_truncate_and_unlink_name(peer):
    name = new_name()
    assert peer.ok("truncate", name=name, create=True)["size"] == 0
    e = peer.err("attach", name=name)
    assert (e["type"], e["message"]) == ("ValueError", "cannot mmap an empty file")
    assert exists(name)
    assert peer.ok("truncate", name=name, size=8192)["size"] == 8192
    assert peer.ok("stat", name=name)["size"] == 8192
    h = peer.ok("attach", name=name, unregister=True)
    assert h["size"] == 8192
    peer.ok("close", handle=h["handle"])
    assert peer.err("truncate", name=name, create=True)["errno"] == 17
    peer.ok("unlink_name", name=name)
    assert not exists(name)
    assert peer.err("truncate", name=name, size=1)["errno"] == 2


def test_sparse_block_over_2gib(peer):
    size = 3 << 30
    made = peer.ok("create", name=new_name(), size=size)
    assert made["size"] == size
    far = (2 << 30) + 5
    peer.ok("touch", handle=made["handle"], offsets=[0, far, size - 1], byte=0x5A)
    assert peer.ok("read", handle=made["handle"], offset=far - 1, length=3)["hex"] == "005a00"
    tail = peer.ok("checksum", handle=made["handle"], offset=size - 4096, length=4096)
    assert tail["sha256"] == hashlib.sha256(b"\0" * 4095 + b"\x5a").hexdigest()
    e = peer.err("touch", handle=made["handle"], offsets=[size], byte=1)
    assert e["type"] == "BadRequest" and "size=%d" % size in e["message"]
    peer.ok("close", handle=made["handle"])
    peer.ok("unlink", handle=made["handle"])


def test_protocol_errors_keep_peer_running(peer):
    for raw in (b"not json\n", b"\n", b"[1, 2]\n", b'{"op": 1}\n', b"\xff\xfe\n"):
        reply = peer.send_raw(raw)
        assert reply["ok"] is False and reply["error"]["type"] == "BadRequest", raw
    e = peer.call("frobnicate", id=[1, "x"])
    assert e["ok"] is False and e["id"] == [1, "x"] and "unknown op" in e["error"]["message"]
    assert peer.err("read", handle="m999999")["type"] == "BadRequest"
    assert peer.err("sl_read", handle=None)["type"] == "BadRequest"
    assert peer.err("eval", code="1")["type"] == "BadRequest"
    made = peer.ok("create", name=new_name(), size=8)
    for bad in ({"offset": 4, "length": 5}, {"offset": -1}, {"length": "3"}):
        e = peer.err("read", handle=made["handle"], **bad)
        assert e["type"] == "BadRequest"
    assert "offset=4 length=5 size=8" in peer.err("read", handle=made["handle"], offset=4,
                                                 length=5)["message"]
    assert peer.err("write", handle=made["handle"], offset=6, hex="000000")["type"] == \
        "BadRequest"
    assert peer.err("fill", handle=made["handle"], byte=256)["type"] == "BadRequest"
    assert peer.err("sl_read", handle=made["handle"])["type"] == "BadRequest"
    peer.ok("close", handle=made["handle"])
    peer.ok("unlink", handle=made["handle"])
    assert peer.ok("ping", id=7) == {"ok": True, "id": 7, "pid": peer.proc.pid}


# ---------------------------------------------------------------- ShareableList

F = lambda text: {"float": text}  # noqa: E731
B = lambda data: {"bytes": data.hex()}  # noqa: E731

TRICKY = [
    "\u00e9", "\u00fc\u20ac", "\U0001f600", "", B(b""), F("nan"), F("inf"), F("-inf"),
    F("-0.0"), F("0.0"), F("0.1"), F("1e+300"), F("5e-324"), -2 ** 63, 2 ** 63 - 1, 0,
    True, False, None, "a\x00b", B(b"\x00\xff\x00\x01"), "x" * 20, B(bytes(range(1, 17))),
]


def test_shareable_list_round_trip(peer):
    name = new_name("sl")
    made = peer.ok("sl_create", name=name, values=TRICKY)
    assert made["len"] == len(TRICKY) and made["name"] == name
    assert made["format"] == "8s8s8s8s8sddddddddqqqxxxxxxx?xxxxxxx?xxxxxx?x8s8s24s24s"
    assert made["repr"].endswith("name=%r)" % name)
    assert peer.ok("sl_read", handle=made["handle"])["values"] == TRICKY

    other = peer.ok("sl_attach", name=name)
    assert other["format"] == made["format"] and other["len"] == len(TRICKY)
    assert peer.ok("sl_read", handle=other["handle"])["values"] == TRICKY
    for i, value in enumerate(TRICKY):
        assert peer.ok("sl_get", handle=other["handle"], index=i)["value"] == value
    assert peer.ok("sl_get", handle=other["handle"], index=-1)["value"] == TRICKY[-1]

    # alternative input spellings decode to the same Python objects
    for value, back in ((0.5, F("0.5")), (F("0x1.8p+1"), F("3.0")), ({"int": "-5"}, -5),
                        (float("-inf"), F("-inf")), (F("nan"), F("nan"))):
        peer.ok("sl_set", handle=made["handle"], index=5, value=value)
        assert peer.ok("sl_get", handle=other["handle"], index=5)["value"] == back

    peer.ok("sl_set", handle=made["handle"], index=0, value="hello")
    assert peer.ok("sl_get", handle=other["handle"], index=0)["value"] == "hello"
    assert peer.ok("sl_len", handle=other["handle"])["len"] == len(TRICKY)
    assert peer.ok("sl_format", handle=other["handle"])["format"] == made["format"]
    assert peer.ok("sl_count", handle=other["handle"], value=None)["count"] == 1
    # Python ==: -0.0, 0.0, 0 and False all equal 0
    assert peer.ok("sl_count", handle=other["handle"], value=0)["count"] == 4
    assert peer.ok("sl_index", handle=other["handle"], value=True)["index"] == 16
    e = peer.err("sl_index", handle=other["handle"], value="zz")
    assert (e["type"], e["message"]) == ("ValueError", "'zz' not in this container")
    assert peer.ok("sl_repr", handle=other["handle"])["repr"].startswith("ShareableList(['hello', ")
    peer.ok("sl_close", handle=other["handle"])
    peer.ok("sl_close", handle=made["handle"])
    peer.ok("sl_unlink", handle=made["handle"])


def test_shareable_list_errors(peer, version):
    missing = new_name("missing")
    e = peer.err("sl_attach", name=missing)
    assert (e["type"], e["errno"], e["filename"]) == ("FileNotFoundError", 2, "/" + missing)

    e = peer.err("sl_create", name=new_name(), values=[[1, 2]])
    assert (e["type"], e["message"]) == ("KeyError", "<class 'list'>")
    e = peer.err("sl_create", name=new_name(), values=[{"bytearray": "00"}])
    assert (e["type"], e["message"]) == ("KeyError", "<class 'bytearray'>")

    made = peer.ok("sl_create", values=[1, F("2.5"), "abc"])
    e = peer.err("sl_create", name=made["name"], values=[])
    assert (e["type"], e["errno"]) == ("FileExistsError", 17)
    e = peer.err("sl_get", handle=made["handle"], index=3)
    assert (e["type"], e["message"]) == ("IndexError", "index out of range")
    e = peer.err("sl_set", handle=made["handle"], index=3, value=1)
    assert (e["type"], e["message"]) == ("IndexError", "assignment index out of range")
    e = peer.err("sl_set", handle=made["handle"], index=2, value="abcdefghi")
    assert (e["type"], e["message"]) == ("ValueError", "bytes/str item exceeds available storage")
    # non-atomic __setitem__: the format changes, the pack fails (spec 3.8)
    e = peer.err("sl_set", handle=made["handle"], index=1, value={"int": str(2 ** 63)})
    assert e["type"] == "struct.error"
    assert peer.ok("sl_format", handle=made["handle"])["format"] == "qq8s"
    assert peer.ok("sl_get", handle=made["handle"], index=1)["value"] == 0
    peer.ok("sl_close", handle=made["handle"])
    peer.ok("sl_unlink", handle=made["handle"])

    empty = peer.ok("sl_create", values=[])
    assert (empty["len"], empty["format"]) == (0, "")
    assert empty["size"] == (8 if version.startswith("3.8.") else 16)
    assert peer.ok("sl_count", handle=empty["handle"], value="any")["count"] == 0
    assert peer.err("sl_index", handle=empty["handle"], value=None)["type"] == "ValueError"
    peer.ok("sl_close", handle=empty["handle"])
    peer.ok("sl_unlink", handle=empty["handle"])


def _manifest():
    path = os.path.join(GOLDEN, "manifest.json")
    if not os.path.exists(path):
        pytest.skip("no golden manifest at %s" % path)
    with open(path, encoding="ascii") as f:
        return json.load(f)


def test_golden_images_read_back(peer, version):
    """Each interpreter reads its own golden images to the manifest's values."""
    manifest = _manifest()
    checked = 0
    for case in manifest["cases"] + manifest["edits"]:
        for image in case["images"]:
            if image["version"] != version:
                continue
            with open(os.path.join(GOLDEN, image["file"]), "rb") as f:
                data = f.read()
            assert len(data) == image["size"]
            assert hashlib.sha256(data).hexdigest() == image["sha256"]
            name = new_name("g")
            block = peer.ok("create", name=name, size=len(data))
            peer.ok("write", handle=block["handle"], hex=data.hex())
            sl = peer.ok("sl_attach", name=name)
            assert (sl["len"], sl["format"]) == (case["length"], case["format"]), case["name"]
            assert peer.ok("sl_read", handle=sl["handle"])["values"] == case["values"]
            peer.ok("sl_close", handle=sl["handle"])
            peer.ok("close", handle=block["handle"])
            peer.ok("unlink", handle=block["handle"])
            checked += 1
    assert checked == len(manifest["cases"]) + len(manifest["edits"])


def test_cross_version_reads(pool, version):
    """A list made by this interpreter read by another; 3.8 blocks are unreadable for 3.9+."""
    here = pool(version)
    others = [v for v in VERSIONS if v != version]
    if not others:
        pytest.skip("only one interpreter installed")
    reader = pool(others[VERSIONS.index(version) % len(others)])
    values = [1, F("2.5"), True, None, "hi", B(b"xy")]
    made = here.ok("sl_create", values=values, unregister=True)
    seen = reader.ok("sl_attach", name=made["name"], unregister=True)
    same_layout = here.ready["layout"] == reader.ready["layout"]
    if same_layout:
        assert reader.ok("sl_read", handle=seen["handle"])["values"] == values
    elif here.ready["layout"] == "PY38":
        # offsets read as [8, 8, 8, 8, 8, 8, 1]: format is garbage, items fail
        assert seen["len"] == 6 and seen["format"] != "qdxxxxxxx?xxxxxx?x8s8s"
        e = reader.err("sl_get", handle=seen["handle"], index=0)
        assert (e["type"], e["message"]) == ("struct.error", "embedded null character")
    else:
        assert reader.err("sl_read", handle=seen["handle"])["type"] == "struct.error"
    reader.ok("sl_close", handle=seen["handle"])
    here.ok("sl_close", handle=made["handle"])
    here.ok("unlink_name", name=made["name"])


# ---------------------------------------------------------------- process lifetime


def test_exit_leaves_cleanup_to_the_tracker(spawn, version):
    p = spawn(version)
    name = new_name()
    p.ok("create", name=name, size=8)
    assert p.ok("exit", id="bye") == {"ok": True, "id": "bye"}
    assert p.proc.wait(REPLY_TIMEOUT) == 0
    text = p.stderr(wait=True)
    assert "resource_tracker: There appear to be 1 leaked shared_memory objects" in text
    assert wait_gone(name)


def test_attach_unregister_keeps_foreign_block(pool, spawn, version):
    owner = pool(version)
    name = new_name()
    made = owner.ok("create", name=name, size=8, unregister=True)

    polite = spawn(version)
    polite.ok("attach", name=name, unregister=True)
    polite.ok("exit")
    assert polite.proc.wait(REPLY_TIMEOUT) == 0
    assert "resource_tracker" not in polite.stderr(wait=True)
    assert exists(name)

    rude = spawn(version)
    rude.ok("attach", name=name)  # registers (3.13: track defaults to True)
    rude.ok("exit")
    assert rude.proc.wait(REPLY_TIMEOUT) == 0
    assert "leaked shared_memory" in rude.stderr(wait=True)
    assert wait_gone(name)
    owner.ok("close", handle=made["handle"])


def test_eof_exits_zero(spawn, version):
    p = spawn(version)
    p.ok("ping")
    assert p.finish() == 0
    assert p.lines.get(timeout=REPLY_TIMEOUT) is None


def test_sleep_forever_then_sigkill(spawn, version):
    p = spawn(version)
    name = new_name()
    p.ok("create", name=name, size=8)
    assert p.ok("sleep_forever") == {"ok": True, "sleeping": True}
    time.sleep(0.05)
    assert p.proc.poll() is None
    os.kill(p.proc.pid, signal.SIGKILL)
    assert p.proc.wait(REPLY_TIMEOUT) == -signal.SIGKILL
    assert wait_gone(name), "the tracker did not unlink the killed creator's block"
