"""Error parity: the same bad input on the Java side (through the gateway) and on the CPython
side gives the corresponding exception with the same errno (or, for argument errors, CPython's
message, which pyshm's IllegalArgumentException starts with), and neither side creates anything.
"""

import errno as errno_module

import pytest

from interop_names import new_name
from interop_procs import shm_exists

pytestmark = pytest.mark.cell("errors")

# Java exception class -> the CPython exception type of the same failure
PYTHON_TYPE = {
    "java.nio.file.NoSuchFileException": "FileNotFoundError",
    "java.nio.file.FileAlreadyExistsException": "FileExistsError",
    "java.nio.file.AccessDeniedException": "PermissionError",
    "java.nio.file.FileSystemException": "OSError",
    "java.lang.IllegalArgumentException": "ValueError",
}


def assert_parity(java, python, name=None, errno=None):
    """java: a gateway error report; python: a peer error object."""
    assert PYTHON_TYPE[java["class"]] == python["type"], (java, python)
    assert java["errno"] == python["errno"] == errno, (java, python)
    if errno is None:
        assert java["message"].startswith(python["message"]), (java, python)
        return
    assert java["errno_symbol"] == errno_module.errorcode[errno]
    assert java["reason"].startswith(java["errno_symbol"] + ": " + python["strerror"])
    assert java["file"] == name and python["filename"] == "/" + name, (java, python)


def test_missing_name(gw, peer):
    name = new_name("missing")
    assert_parity(gw.error("attach", name), peer.err("attach", name=name), name, errno_module.ENOENT)
    assert_parity(gw.error("open", name, False, 0), peer.err("attach", name=name, size=0), name,
                  errno_module.ENOENT)
    assert not shm_exists(name)


def test_existing_name(gw, peer):
    # a block made by each side; both sides try to create each name again
    java_made = gw.call("create", new_name("jexist"), 8)
    gw.call("write", java_made, 0, b"java")
    py_made = peer.ok("create", name=new_name("pexist"), size=8)
    peer.ok("write", handle=py_made["handle"], hex=b"py".hex())
    try:
        for name in (java_made.name(), py_made["name"]):
            assert_parity(gw.error("create", name, 64), peer.err("create", name=name, size=64),
                          name, errno_module.EEXIST)
        # the existing blocks are untouched
        assert peer.ok("stat", name=java_made.name())["size"] == 8
        assert peer.ok("stat", name=py_made["name"])["size"] == 8
        assert bytes(gw.call("read", java_made, 0, 4)) == b"java"
        assert peer.ok("read", handle=py_made["handle"], length=2)["hex"] == b"py".hex()
    finally:
        java_made.close()
        java_made.unlink()
        peer.ok("close", handle=py_made["handle"])
        peer.ok("unlink", handle=py_made["handle"])


def test_size_zero(gw, peer):
    name = new_name("zero")
    java = gw.error("create", name, 0)
    assert_parity(java, peer.err("create", name=name, size=0))
    assert java["message"] == "'size' must be a positive number different from zero: size=0"
    assert_parity(gw.error("open", None, True, 0), peer.err("create", name=None, size=0))
    assert not shm_exists(name)


def test_negative_size(gw, peer):
    name = new_name("neg")
    # the sign is checked first, even on attach, even without a name (CPython's order)
    for java_args, python_op, python_name in (((name, True, -1), "create", name),
                                              ((name, False, -1), "attach", name),
                                              ((None, False, -1), "attach", None)):
        java = gw.error("open", *java_args)
        assert_parity(java, peer.err(python_op, name=python_name, size=-1))
        assert java["message"] == "'size' must be a positive integer: size=-1"
    assert not shm_exists(name)


@pytest.mark.parametrize("length, errno", [(256, errno_module.ENAMETOOLONG),
                                           (259, errno_module.ENAMETOOLONG),
                                           (260, errno_module.EINVAL)])
def test_name_too_long(gw, peer, length, errno):
    base = new_name("long")
    name = base + "x" * (length - len(base))
    assert len(name.encode()) == length
    assert_parity(gw.error("create", name, 8), peer.err("create", name=name, size=8), name, errno)
    assert_parity(gw.error("attach", name), peer.err("attach", name=name), name, errno)


def test_longest_name_works_on_both_sides(gw, peer):
    base = new_name("max")
    name = base + "m" * (255 - len(base))
    shm = gw.call("create", name, 8)
    got = peer.ok("attach", name=name)
    peer.ok("close", handle=got["handle"])
    peer.ok("unlink", handle=got["handle"])  # balances the attach's tracker registration
    assert_parity(gw.error("unlink", name), peer.err("unlink_name", name=name), name,
                  errno_module.ENOENT)
    shm.close()


def test_slash_inside_name(gw, peer):
    name = new_name("dir") + "/inside"
    assert_parity(gw.error("create", name, 8), peer.err("create", name=name, size=8), name,
                  errno_module.EINVAL)
    assert_parity(gw.error("attach", name), peer.err("attach", name=name), name,
                  errno_module.EINVAL)


def test_empty_name(gw, peer):
    assert_parity(gw.error("create", "", 8), peer.err("create", name="", size=8), "",
                  errno_module.EINVAL)
    assert_parity(gw.error("attach", ""), peer.err("attach", name=""), "", errno_module.EINVAL)


def test_double_unlink(gw, peer):
    # each side twice on its own block
    shm = gw.call("create", new_name("jdouble"), 8)
    shm.unlink()
    java = gw.error("unlink", shm.name())
    made = peer.ok("create", name=new_name("pdouble"), size=8)
    peer.ok("unlink", handle=made["handle"])
    python = peer.err("unlink", handle=made["handle"])
    assert (java["class"], java["errno"]) == ("java.nio.file.NoSuchFileException", 2)
    assert (python["type"], python["errno"]) == ("FileNotFoundError", 2)
    assert java["file"] == shm.name() and python["filename"] == "/" + made["name"]
    shm.close()
    peer.ok("close", handle=made["handle"])

    # across sides: Python unlinks Java's block, then Java's unlink fails the same way
    shm = gw.call("create", new_name("jcross"), 8)
    got = peer.ok("attach", name=shm.name())
    peer.ok("unlink", handle=got["handle"])  # shm_unlink, then unregister (balances the attach)
    assert_parity(gw.error("unlink", shm.name()), peer.err("unlink", handle=got["handle"]),
                  shm.name(), errno_module.ENOENT)
    peer.ok("close", handle=got["handle"])
    shm.close()
