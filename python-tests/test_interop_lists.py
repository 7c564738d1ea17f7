"""ShareableList both ways, each CPython in its own layout (3.8's PY38 included), tricky values.

Each side writes into the other side's list, changing types where CPython allows it (the struct
format changes with the value); afterwards values, ``format`` and ``repr`` must be identical on
both sides.
"""

import math

import pytest

import peer as protocol  # peer.py's own value encoding, so both ends speak the same JSON
from interop_names import new_name, remember

NAN, INF = float("nan"), float("inf")

TRICKY = [
    "\u00e9", "\u00fc\u20ac", "\U0001f600", "", b"", NAN, INF, -INF, -0.0, 0.0, 0.1, 1e300,
    5e-324, -2 ** 63, 2 ** 63 - 1, 0, True, False, None, "a\x00b", b"\x00\xff\x00\x01",
    "nul\x00", b"nul\x00\x00", "x" * 20, bytes(range(1, 17)),
]
# (index, new value): same kind, and kind changes CPython allows in an 8-byte slot
WRITES = [
    (0, "\u00f1and\u00fa"),  # 5 code points, 7 UTF-8 bytes in the 8-byte slot
    (3, b"\x00bin"),  # str slot takes bytes; the format stays 8s
    (5, -0.0), (6, 7),  # float slot takes an int: format d -> q
    (13, 2 ** 63 - 1), (14, "swap"),  # int slot takes a str: format q -> 8s
    (16, False), (17, None), (18, 2.5),
    (19, "b\x00a"), (23, "y" * 24), (24, b"\xff" * 16),
]


def _read_back(value):
    """What reading a stored value gives: CPython strips trailing NULs of str and bytes
    (gh-96779), and pyshm does the same."""
    if isinstance(value, str):
        return value.rstrip("\x00")
    if isinstance(value, bytes):
        return value.rstrip(b"\x00")
    return value


def _after(values, writes):
    out = list(values)
    for i, v in writes:
        out[i] = v
    return [_read_back(v) for v in out]


def _same(a, b):
    if isinstance(a, bytearray):
        a = bytes(a)
    if isinstance(b, bytearray):
        b = bytes(b)
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    return a == b


def assert_same_list(got, expected):
    assert len(got) == len(expected), (got, expected)
    diffs = [(i, g, e) for i, (g, e) in enumerate(zip(got, expected)) if not _same(g, e)]
    assert not diffs, "index, got, expected: %r" % diffs


def _encode(values):
    return [protocol.encode_value(v) for v in values]


def _decode(values):
    return [protocol.decode_value(v) for v in values]


def _java_values(gw, sl):
    return [bytes(v) if isinstance(v, bytearray) else v for v in gw.call("slValues", sl)]


@pytest.mark.cell("list-py-to-java")
def test_python_list_read_and_written_by_java(peer, gw, cpython):
    made = peer.ok("sl_create", name=new_name("slp"), values=_encode(TRICKY))
    handle = made["handle"]
    sl = None
    try:
        sl = gw.call("slAttach", made["name"])
        assert gw.call("slLayout", sl) == cpython.layout
        assert sl.size() == len(TRICKY)
        assert gw.call("slFormat", sl) == made["format"]
        assert gw.call("slRepr", sl) == made["repr"]
        assert_same_list(_java_values(gw, sl), [_read_back(v) for v in TRICKY])

        for i, value in WRITES:
            gw.call("slSet", sl, i, value)
        expected = _after(TRICKY, WRITES)
        assert_same_list(_decode(peer.ok("sl_read", handle=handle)["values"]), expected)
        assert peer.ok("sl_format", handle=handle)["format"] == gw.call("slFormat", sl)
        assert peer.ok("sl_repr", handle=handle)["repr"] == gw.call("slRepr", sl)
        assert_same_list(_java_values(gw, sl), expected)
    finally:
        if sl is not None:
            sl.close()
        peer.ok("sl_close", handle=handle)
        peer.ok("sl_unlink", handle=handle)


# pyshm gives a str whose UTF-8 form outgrows CPython's code-point-based slot a larger slot
# (gh-88336); every CPython must still read it.
JAVA_VALUES = TRICKY + ["\u00e9" * 5]


@pytest.mark.cell("list-java-to-py")
def test_java_list_read_and_written_by_python(peer, gw, cpython):
    sl = gw.call("slCreate", new_name("slj"), JAVA_VALUES, cpython.layout)
    name = remember(sl.shm().name())
    handle = None
    try:
        assert gw.call("slLayout", sl) == cpython.layout
        # unregister: ShareableList always registers with the tracker, even on 3.13
        got = peer.ok("sl_attach", name=name, unregister=True)
        handle = got["handle"]
        assert got["len"] == len(JAVA_VALUES)
        assert got["format"] == gw.call("slFormat", sl)
        assert got["repr"] == gw.call("slRepr", sl)
        assert_same_list(_decode(peer.ok("sl_read", handle=handle)["values"]),
                         [_read_back(v) for v in JAVA_VALUES])

        for i, value in WRITES:
            peer.ok("sl_set", handle=handle, index=i, value=protocol.encode_value(value))
        expected = _after(JAVA_VALUES, WRITES)
        assert_same_list(_java_values(gw, sl), expected)
        assert gw.call("slFormat", sl) == peer.ok("sl_format", handle=handle)["format"]
        assert gw.call("slRepr", sl) == peer.ok("sl_repr", handle=handle)["repr"]
        assert_same_list(_decode(peer.ok("sl_read", handle=handle)["values"]), expected)
    finally:
        if handle is not None:
            peer.ok("sl_close", handle=handle)
        sl.close()
        sl.shm().unlink()
