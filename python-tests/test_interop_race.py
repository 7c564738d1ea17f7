"""Concurrency: the gateway JVM and a CPython process create blocks at the same time.

Both start at one wall-clock instant: Java through ``createEach`` (which waits for the instant,
then creates as fast as it can), CPython through requests pipelined to its peer at that instant.
For explicit names each name must have exactly one winner, the loser getting EEXIST; generated
names must all be distinct and of CPython's form.
"""

import errno
import threading
import time

import pytest

from interop_names import AUTO_NAME, new_name, remember
from interop_procs import shm_exists

pytestmark = pytest.mark.cell("race")

ROUNDS = 256  # long enough (about 5-20 ms a side) that start jitter cannot keep the sides apart
GENERATED = 200
SIZE = 4096


def _warm_up(gw, peer):
    """A cold JVM takes ~100 ms over its first creates, long enough for CPython to finish
    before Java starts: warm both sides up first."""
    names = [new_name("warm") for _ in range(32)]
    assert list(gw.call("createEach", names[:16], SIZE, 0)) == names[:16]
    replies = peer.batch([dict(op="create", name=n, size=SIZE) for n in names[16:]])
    _cleanup(gw, peer, names[:16], [r["handle"] for r in replies])


def _race(gw, peer, java_names, python_requests):
    """Runs both sides from one instant; returns (java results, python replies)."""
    _warm_up(gw, peer)
    start = time.time() + 0.4  # time to convert and send the names first
    java = {}

    def run_java():
        try:
            java["results"] = list(gw.call("createEach", java_names, SIZE, int(start * 1000)))
        except Exception as exc:  # reported by the main thread
            java["error"] = exc

    thread = threading.Thread(target=run_java)
    thread.start()
    time.sleep(max(0.0, start - time.time()))
    replies = peer.batch(python_requests)
    thread.join(120)
    assert not thread.is_alive(), "createEach did not return"
    assert "error" not in java, java.get("error")
    return java["results"], replies


def _cleanup(gw, peer, java_won, python_handles):
    for name in java_won:
        gw.call("unlink", name)
    requests = [dict(op=op, handle=h) for h in python_handles for op in ("close", "unlink")]
    for reply in peer.batch(requests):
        assert reply["ok"], reply


@pytest.mark.parametrize("order", ["opposite", "same"])
def test_same_names_have_exactly_one_winner(gw, peer, order):
    names = [new_name("race") for _ in range(ROUNDS)]
    python_order = names[::-1] if order == "opposite" else names
    java_results, replies = _race(gw, peer, names, [dict(op="create", name=n, size=SIZE)
                                                    for n in python_order])
    java = dict(zip(names, java_results))
    python = dict(zip(python_order, replies))
    java_won, python_handles = [], []
    problems = []
    for name in names:
        j, p = java[name], python[name]
        if j == name:
            java_won.append(name)
        elif j != "!EEXIST":
            problems.append("java %s: %s" % (name, j))
        if p["ok"]:
            python_handles.append(p["handle"])
        elif (p["error"]["type"], p["error"]["errno"]) != ("FileExistsError", errno.EEXIST):
            problems.append("python %s: %r" % (name, p["error"]))
        if (j == name) == p["ok"]:
            problems.append("%s: %s winners" % (name, 2 if p["ok"] else 0))
        if not shm_exists(name):
            problems.append("%s: not in /dev/shm" % name)
    try:
        assert not problems, problems
        assert len(java_won) + len(python_handles) == ROUNDS
    finally:
        _cleanup(gw, peer, java_won, python_handles)
    print("%s order: Java won %d, CPython %s won %d" % (order, len(java_won), peer.version,
                                                        len(python_handles)))


def test_generated_names_are_unique(gw, peer):
    java_results, replies = _race(gw, peer, [None] * GENERATED,
                                  [dict(op="create", size=SIZE) for _ in range(GENERATED)])
    for name in java_results:
        remember(name)
    python_names = [r["name"] for r in replies if r["ok"]]
    try:
        assert all(r["ok"] for r in replies), [r for r in replies if not r["ok"]][:3]
        every = list(java_results) + python_names
        assert len(every) == 2 * GENERATED
        bad = [n for n in every if not AUTO_NAME.match(n)]
        assert not bad, bad
        assert len(set(every)) == len(every), "duplicate generated names"
        assert all(shm_exists(n) for n in every)
    finally:
        _cleanup(gw, peer, [n for n in java_results if AUTO_NAME.match(n)],
                 [r["handle"] for r in replies if r["ok"]])
