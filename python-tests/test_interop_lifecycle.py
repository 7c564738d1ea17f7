"""Lifecycle across processes, and what each CPython's resource tracker does to blocks that Java
created (spec section 4.E). Every test that observes an interpreter's exit runs a fresh peer.

What is asserted, per version (measured, not assumed):

* 3.8-3.12: every ``SharedMemory(name)`` attach registers the block with the attaching
  interpreter's resource tracker, which unlinks it when that interpreter exits (gh-82300),
  with a "leaked shared_memory objects" warning.
* 3.13: the same by default (``track=True``); ``SharedMemory(name, track=False)`` does not
  register, and the block survives.
* every version: ``resource_tracker.unregister(shm._name, "shared_memory")`` right after
  attaching keeps the block alive; ``ShareableList(name=...)`` always registers (it has no
  ``track``), so it needs the same unregister even on 3.13.
"""

import errno

import pytest

from interop_names import new_name, remember
from interop_procs import shm_exists, wait_for

pytestmark = pytest.mark.cell("lifecycle")

LEAK_WARNING = "leaked shared_memory objects to clean up at shutdown"


def _java_block(gw, tag, payload=b"java"):
    shm = gw.call("create", new_name(tag), 64)
    gw.call("write", shm, 0, payload)
    return shm


def _assert_gone_for_java(gw, shm):
    assert wait_for(lambda: not shm_exists(shm.name())), "block still linked"
    report = gw.error("attach", shm.name())
    assert (report["class"], report["errno"]) == ("java.nio.file.NoSuchFileException",
                                                  errno.ENOENT)


def test_attacher_exit_unlinks_java_block(gw, spawn, cpython):
    """3.8-3.13 default: the attaching interpreter's tracker destroys Java's block at exit."""
    shm = _java_block(gw, "e1")
    p = spawn()
    got = p.ok("attach", name=shm.name())  # no track=, no unregister: the default
    assert bytes.fromhex(p.ok("read", handle=got["handle"], length=4)["hex"]) == b"java"
    p.ok("close", handle=got["handle"])
    assert p.exit() == 0
    text = p.stderr(wait=True)
    assert LEAK_WARNING in text, text
    if cpython.minor >= (3, 13):
        assert "'/%s'" % shm.name() in text  # 3.13 names the blocks
    _assert_gone_for_java(gw, shm)
    # Java's mapping outlives the name
    gw.call("write", shm, 0, b"still")
    assert bytes(gw.call("read", shm, 0, 5)) == b"still"
    shm.close()


def test_attach_with_track_false(gw, spawn, cpython):
    """3.13+: track=False leaves Java's block alone. Older versions have no track=."""
    shm = _java_block(gw, "e2")
    p = spawn()
    try:
        if cpython.minor >= (3, 13):
            got = p.ok("attach", name=shm.name(), track=False)
            p.ok("write", handle=got["handle"], hex=b"py".hex())
            p.ok("close", handle=got["handle"])
            assert p.exit() == 0
            assert p.stderr(wait=True) == ""
            assert shm_exists(shm.name())
            assert bytes(gw.call("read", shm, 0, 4)) == b"pyva"
        else:
            assert not p.ready["track_supported"]
            assert p.err("attach", name=shm.name(), track=False)["type"] == "Unsupported"
            assert p.exit() == 0
            assert shm_exists(shm.name())
    finally:
        shm.close()
        shm.unlink()


def test_attach_then_unregister_keeps_java_block(gw, spawn):
    """The workaround for every version: unregister right after attaching."""
    shm = _java_block(gw, "e3")
    p = spawn()
    got = p.ok("attach", name=shm.name(), unregister=True)
    p.ok("write", handle=got["handle"], hex=b"py".hex())
    p.ok("close", handle=got["handle"])
    assert p.exit() == 0
    assert "resource_tracker" not in p.stderr(wait=True)
    try:
        assert shm_exists(shm.name())
        again = gw.call("attach", shm.name())
        assert bytes(gw.call("read", again, 0, 4)) == b"pyva"
        again.close()
    finally:
        shm.close()
        shm.unlink()


def test_shareable_list_attacher_unlinks_even_on_313(gw, spawn, cpython):
    """ShareableList has no track=: attaching registers on every version."""
    sl = gw.call("slCreate", new_name("e4"), [1, 2.5, "hi"], cpython.layout)
    name = remember(sl.shm().name())
    p = spawn()
    got = p.ok("sl_attach", name=name)
    assert p.ok("sl_get", handle=got["handle"], index=2)["value"] == "hi"
    p.ok("sl_close", handle=got["handle"])
    assert p.exit() == 0
    assert LEAK_WARNING in p.stderr(wait=True)
    _assert_gone_for_java(gw, sl.shm())
    sl.close()


def test_shareable_list_attach_then_unregister_keeps_it(gw, spawn, cpython):
    sl = gw.call("slCreate", new_name("e4u"), [1, 2.5, "hi"], cpython.layout)
    name = remember(sl.shm().name())
    p = spawn()
    got = p.ok("sl_attach", name=name, unregister=True)
    p.ok("sl_set", handle=got["handle"], index=0, value=42)
    p.ok("sl_close", handle=got["handle"])
    assert p.exit() == 0
    assert "resource_tracker" not in p.stderr(wait=True)
    try:
        assert shm_exists(name)
        assert gw.call("slGet", sl, 0) == 42
    finally:
        sl.close()
        sl.shm().unlink()


def test_python_creator_exit_unlinks_while_java_holds_it(gw, spawn):
    """Python creates, Java attaches, Python exits without unlink: its tracker removes the
    name; Java's mapping keeps working."""
    p = spawn()
    made = p.ok("create", name=new_name("e5"), size=64)
    p.ok("write", handle=made["handle"], hex=b"py".hex())
    shm = gw.call("attach", made["name"])
    try:
        assert p.exit() == 0
        assert LEAK_WARNING in p.stderr(wait=True)
        _assert_gone_for_java(gw, shm)
        assert bytes(gw.call("read", shm, 0, 2)) == b"py"
        gw.call("write", shm, 0, b"ok")
        assert bytes(gw.call("read", shm, 0, 2)) == b"ok"
    finally:
        shm.close()


def test_java_unlinks_python_block(gw, spawn):
    """Java unlinks a block Python created and still maps: both mappings keep working, new
    attaches fail on both sides, Python's own unlink fails, and its tracker's cleanup at exit
    reports the name as already gone."""
    p = spawn()
    made = p.ok("create", name=new_name("e7"), size=64)
    name = made["name"]
    shm = gw.call("attach", name)
    try:
        gw.call("unlink", name)
        assert not shm_exists(name)
        gw.call("write", shm, 0, b"java")
        assert bytes.fromhex(p.ok("read", handle=made["handle"], length=4)["hex"]) == b"java"
        p.ok("write", handle=made["handle"], hex=b"py".hex())
        assert bytes(gw.call("read", shm, 0, 4)) == b"pyva"
        assert p.err("attach", name=name)["errno"] == errno.ENOENT
        assert gw.error("attach", name)["errno"] == errno.ENOENT
        assert p.err("unlink", handle=made["handle"])["errno"] == errno.ENOENT
        assert p.exit() == 0
        text = p.stderr(wait=True)
        assert LEAK_WARNING in text and "No such file or directory" in text, text
    finally:
        shm.close()


def test_python_unlinks_java_block(gw, peer):
    """A Python attacher's unlink() removes Java's block (and unregisters what the attach
    registered); Java's mapping keeps working; Java's attach and unlink then fail."""
    shm = _java_block(gw, "l7")
    try:
        got = peer.ok("attach", name=shm.name())
        peer.ok("unlink", handle=got["handle"])
        assert not shm_exists(shm.name())
        peer.ok("write", handle=got["handle"], hex=b"py".hex())
        assert bytes(gw.call("read", shm, 0, 4)) == b"pyva"
        peer.ok("close", handle=got["handle"])
        _assert_gone_for_java(gw, shm)
        assert gw.error("unlink", shm.name())["errno"] == errno.ENOENT
    finally:
        shm.close()


def test_unlink_after_unregister_confuses_the_tracker(gw, spawn, cpython):
    """Why the recipe leaves unlinking to the creator: a Python attacher that unregistered and
    then calls unlink() sends a second UNREGISTER, and its tracker prints a KeyError traceback
    (the block is removed all the same). With 3.13's track=False nothing is sent."""
    shm = _java_block(gw, "e9")
    p = spawn()
    quiet = cpython.minor >= (3, 13)
    if quiet:
        got = p.ok("attach", name=shm.name(), track=False)
    else:
        got = p.ok("attach", name=shm.name(), unregister=True)
    p.ok("unlink", handle=got["handle"])
    p.ok("close", handle=got["handle"])
    assert not shm_exists(shm.name())
    assert p.exit() == 0
    text = p.stderr(wait=True)
    if quiet:
        assert text == ""
    else:
        assert "KeyError" in text and LEAK_WARNING not in text, text
    shm.close()


def test_python_creator_hands_block_over_to_java(gw, spawn, cpython):
    """A Python creator that must exit before Java is done: 3.13 creates with track=False,
    older versions unregister right after creating; the block outlives the interpreter and
    Java unlinks it."""
    p = spawn()
    name = new_name("e10")
    if cpython.minor >= (3, 13):
        made = p.ok("create", name=name, size=64, track=False)
    else:
        made = p.ok("create", name=name, size=64, unregister=True)
    p.ok("write", handle=made["handle"], hex=b"handover".hex())
    p.ok("close", handle=made["handle"])
    assert p.exit() == 0
    assert p.stderr(wait=True) == ""
    assert shm_exists(name)
    shm = gw.call("attach", name)
    try:
        assert bytes(gw.call("read", shm, 0, 8)) == b"handover"
    finally:
        shm.close()
        shm.unlink()
