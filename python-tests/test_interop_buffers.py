"""SharedMemory both ways: each CPython x each JDK, sizes 1, 4097, 1 MiB and a sparse 3 GiB block.

Small blocks cross whole as bytes; the 1 MiB block is compared by SHA-256 on both sides (plus a
4097-byte window as bytes); the sparse block is touched at a few offsets on both sides of 2 GiB
only, and must stay sparse.
"""

import hashlib
import os

import pytest

from interop_names import AUTO_NAME, new_name, remember
from interop_procs import shm_exists

GiB = 1 << 30
SPARSE = 3 * GiB
SIZES = [1, 4097, 1 << 20, SPARSE]
SIZE_IDS = ["1", "4097", "1MiB", "3GiB-sparse"]
SPARSE_MAX_ALLOCATED = 64 * 4096  # "a few pages": far below what reading the block would take


def _sha(data):
    return hashlib.sha256(data).hexdigest()


def _allocated(name):
    return os.stat("/dev/shm/" + name).st_blocks * 512


def _name_for(size, tag):
    # 4097 uses a generated name, so both generators' names are exercised across the sides
    return None if size == 4097 else new_name(tag)


@pytest.mark.cell("py-to-java")
@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_python_creates_java_attaches(peer, gw, size):
    made = peer.ok("create", name=_name_for(size, "p2j"), size=size)
    name, handle = made["name"], made["handle"]
    if size == 4097:
        assert AUTO_NAME.match(name), name
    shm = None
    try:
        shm = gw.call("attach", name)
        assert (shm.size(), shm.name(), shm.toString()) == (size, name, made["repr"])
        if size == SPARSE:
            _sparse_both_ways(first=_Side(peer, handle), second=_Side(gw, shm), name=name)
        else:
            data = os.urandom(size)
            peer.ok("write", handle=handle, hex=data.hex())
            _java_sees(gw, shm, data)
            new = os.urandom(size)
            assert gw.call("write", shm, 0, new) == size
            _python_sees(peer, handle, new)
    finally:
        if shm is not None:
            shm.close()
        peer.ok("close", handle=handle)
        peer.ok("unlink", handle=handle)
    assert not shm_exists(name)


@pytest.mark.cell("java-to-py")
@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_java_creates_python_attaches(peer, gw, size):
    shm = gw.call("create", _name_for(size, "j2p"), size)
    name = remember(shm.name())
    if size == 4097:
        assert AUTO_NAME.match(name), name
    handle = None
    try:
        # unregister: this long-lived peer must not unlink Java's block when it exits (<= 3.12,
        # and 3.13 with the default track=True, register every attach)
        got = peer.ok("attach", name=name, unregister=True)
        handle = got["handle"]
        assert (got["size"], got["name"], got["repr"]) == (size, name, shm.toString())
        if size == SPARSE:
            _sparse_both_ways(first=_Side(gw, shm), second=_Side(peer, handle), name=name)
        else:
            data = os.urandom(size)
            assert gw.call("write", shm, 0, data) == size
            _python_sees(peer, handle, data)
            new = os.urandom(size)
            peer.ok("write", handle=handle, hex=new.hex())
            _java_sees(gw, shm, new)
    finally:
        if handle is not None:
            peer.ok("close", handle=handle)
        shm.close()
        shm.unlink()
    assert not shm_exists(name)


def _java_sees(gw, shm, data):
    size = len(data)
    if size <= 4097:
        assert bytes(gw.call("read", shm, 0, size)) == data
    else:
        assert gw.call("sha256", shm, 0, size) == _sha(data)
        assert bytes(gw.call("read", shm, size - 4097, 4097)) == data[-4097:]


def _python_sees(peer, handle, data):
    size = len(data)
    if size <= 4097:
        assert bytes.fromhex(peer.ok("read", handle=handle)["hex"]) == data
    else:
        assert peer.ok("checksum", handle=handle)["sha256"] == _sha(data)
        window = peer.ok("read", handle=handle, offset=size - 4097, length=4097)["hex"]
        assert bytes.fromhex(window) == data[-4097:]


# Offsets on both sides of the 2 GiB line (where a Java int offset would overflow).
FIRST = [0, 2 * GiB + 5, SPARSE - 1]
SECOND = [2 * GiB - 1, 2 * GiB + 3 * 4096, SPARSE - 4097]
STRADDLE = 2 * GiB - 2  # 4 bytes across the line, written by the second side


class _Side:
    """The same few operations on a block, by the peer or by the gateway."""

    def __init__(self, who, h):
        self.who, self.h = who, h

    def touch(self, offsets, byte):
        if hasattr(self.who, "ok"):
            self.who.ok("touch", handle=self.h, offsets=offsets, byte=byte)
        else:
            assert self.who.call("touch", self.h, offsets, byte) == len(offsets)

    def write(self, offset, data):
        if hasattr(self.who, "ok"):
            self.who.ok("write", handle=self.h, offset=offset, hex=data.hex())
        else:
            self.who.call("write", self.h, offset, data)

    def read(self, offset, length):
        if hasattr(self.who, "ok"):
            return bytes.fromhex(self.who.ok("read", handle=self.h, offset=offset,
                                             length=length)["hex"])
        return bytes(self.who.call("read", self.h, offset, length))


def _sparse_both_ways(first, second, name):
    """first (the creator) touches a few bytes, second (the attacher) sees them and touches
    others, first sees those; the block stays sparse."""
    first.touch(FIRST, 0x5A)
    for offset in FIRST:  # the attacher sees the creator's bytes and the zeros around them
        lo = max(offset - 1, 0)
        hi = min(offset + 2, SPARSE)
        expected = bytes(0x5A if i == offset else 0 for i in range(lo, hi))
        assert second.read(lo, hi - lo) == expected, offset
    second.touch(SECOND, 0xA5)
    second.write(STRADDLE, b"\x01\x02\x03\x04")
    for offset in SECOND:
        if STRADDLE <= offset < STRADDLE + 4:
            continue
        assert first.read(offset, 1) == b"\xa5", offset
    assert first.read(STRADDLE - 1, 6) == b"\x00\x01\x02\x03\x04\x00"
    assert first.read(0, 1) == b"\x5a"
    assert _allocated(name) <= SPARSE_MAX_ALLOCATED, "the sparse block got filled in"
