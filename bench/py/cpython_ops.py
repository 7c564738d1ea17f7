#!/usr/bin/env python3
"""CPython's side of bench/compare: times multiprocessing.shared_memory operations with timeit.

Usage: <python> cpython_ops.py OPS REPEAT TARGET_SECONDS

OPS is a comma-separated list of:
  create            SharedMemory(create=True, size=4096); .close(); .unlink()
  create_untracked  the same with track=False (3.13+)
  attach            SharedMemory(name).close() on an existing 4 KiB block (3.8-3.12 register
                    every attach with the resource tracker; 3.13 does too unless track=False)
  attach_untracked  the same with track=False (3.13+)
  sl_get            sl[500] on ShareableList(range(1000))
  sl_set            sl[500] = 123456789
  sl_create         sl = ShareableList(range(1000)); sl.shm.close(); sl.shm.unlink()

For each op: one warm-up run, then timeit.Timer.repeat(REPEAT, number) with number chosen so
that one repeat takes about TARGET_SECONDS. Prints one JSON object:
{"version": "3.13.0", "results": {"create": [seconds per op, one per repeat], ...}}.
Ops that need a newer Python are left out of "results" and listed in "skipped". Every block
made here is unlinked before exit. Stdlib only, CPython 3.8+.
"""
import json
import sys
import timeit
from multiprocessing import shared_memory

HAS_TRACK = sys.version_info >= (3, 13)

SETUP = {
    "create": ("", "s = SharedMemory(create=True, size=4096); s.close(); s.unlink()"),
    "create_untracked": ("", "s = SharedMemory(create=True, size=4096, track=False); s.close(); s.unlink()"),
    "attach": ("", "SharedMemory(name).close()"),
    "attach_untracked": ("", "SharedMemory(name, track=False).close()"),
    "sl_get": ("", "sl[500]"),
    "sl_set": ("", "sl[500] = 123456789"),
    "sl_create": ("", "l = ShareableList(r); l.shm.close(); l.shm.unlink()"),
}
NEEDS_TRACK = {"create_untracked", "attach_untracked"}


def number_for(timer, target):
    """Like timeit's autorange, but aims at `target` seconds per repeat."""
    n = 1
    while True:
        t = timer.timeit(n)
        if t >= target / 10 or n >= 10 ** 7:
            return max(1, int(n * target / max(t, 1e-9)))
        n *= 10


def main(argv):
    ops = [o for o in argv[1].split(",") if o]
    repeat = int(argv[2])
    target = float(argv[3])
    unknown = [o for o in ops if o not in SETUP]
    if unknown:
        raise SystemExit("cpython_ops: unknown ops %s" % unknown)
    target_block = shared_memory.SharedMemory(create=True, size=4096)
    sl = shared_memory.ShareableList(range(1000))
    env = {
        "SharedMemory": shared_memory.SharedMemory,
        "ShareableList": shared_memory.ShareableList,
        "name": target_block.name,
        "sl": sl,
        "r": range(1000),
    }
    results, skipped = {}, []
    try:
        for op in ops:
            if op in NEEDS_TRACK and not HAS_TRACK:
                skipped.append(op)
                continue
            timer = timeit.Timer(SETUP[op][1], globals=env)
            number = number_for(timer, target)  # also the warm-up
            results[op] = [t / number for t in timer.repeat(repeat, number)]
    finally:
        sl.shm.close()
        sl.shm.unlink()
        target_block.close()
        target_block.unlink()
    print(json.dumps({"version": "%d.%d.%d" % sys.version_info[:3], "executable": sys.executable,
                      "results": results, "skipped": skipped}))


if __name__ == "__main__":
    main(sys.argv)
