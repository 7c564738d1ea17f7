"""Worker of `pyshm demo`: stdlib only, CPython 3.8+, started by Java as `python -I -c <this file>`.

Protocol: one line each way on stdin/stdout, words separated by spaces; stderr is free text.

    worker -> java   hello <python-version> <pid>
    java -> worker   fill <size> <index> <hold-ms> <crash 0|1>
    worker -> java   created <name> <size>
    worker -> java   filled <crc32> <seconds>
    java -> worker   edit <name>        attach the ShareableList Java made and edit it
    worker -> java   edited
    java -> worker   done               (EOF means the same: Java is gone)
    worker -> java   bye

The block holds int64 values index * 2**40 + i in native byte order, so Java can check every
element as well as the crc32 of the bytes. On `done` or EOF the worker closes and unlinks the
block it created, so its resource tracker has nothing left to clean up and stays silent.
"""
import os
import platform
import signal
import sys
import time
import zlib
from array import array

if sys.version_info < (3, 8):
    sys.exit("pyshm demo needs CPython 3.8+ (multiprocessing.shared_memory); this is %s %s"
             % (platform.python_implementation(), platform.python_version()))

from multiprocessing import resource_tracker, shared_memory  # noqa: E402 (after the version check)

ELEMENTS_PER_STEP = 1 << 17  # 1 MiB of int64


def say(*words):
    sys.stdout.write(" ".join(str(w) for w in words) + "\n")
    sys.stdout.flush()


def fill(size, index, hold_ms, crash):
    shm = shared_memory.SharedMemory(create=True, size=size)
    say("created", shm.name, shm.size)
    if crash:
        os.kill(os.getpid(), signal.SIGKILL)  # a crash mid-way, for the demo's tests
    if hold_ms:
        time.sleep(hold_ms / 1000.0)
    start = time.perf_counter()
    base = index << 40
    count = size // 8
    buf = shm.buf
    for first in range(0, count, ELEMENTS_PER_STEP):
        n = min(ELEMENTS_PER_STEP, count - first)
        step = array("q", range(base + first, base + first + n))
        buf[first * 8:(first + n) * 8] = memoryview(step).cast("B")
    seconds = time.perf_counter() - start
    crc = zlib.crc32(buf) & 0xFFFFFFFF
    del buf
    say("filled", "%08x" % crc, "%.6f" % seconds)
    return shm


def edit(name):
    sl = shared_memory.ShareableList(name=name)
    # Java owns this block. Attaching registered it with this interpreter's resource tracker
    # (3.8-3.12 register every attach, 3.13's ShareableList always tracks), which would unlink it
    # when this process exits: take it back (gh-82300).
    resource_tracker.unregister(sl.shm._name, "shared_memory")
    sl[0] = sl[0] * 6
    sl[1] = sl[1] * 2
    sl[2] = not sl[2]
    sl[3] = sys.version_info[1]
    sl[4] = "CPython " + platform.python_version()
    sl[5] = b"cpython"
    sl.shm.close()
    say("edited")


def release(shm):
    shm.close()
    try:
        shm.unlink()
    except FileNotFoundError:
        # Java's cleanup got there first (Ctrl-C, a failed run): only the tracker entry is left.
        resource_tracker.unregister(shm._name, "shared_memory")


def main():
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is Java's to handle; it then says done
    say("hello", platform.python_version(), os.getpid())
    shm = None
    try:
        while True:
            line = sys.stdin.readline()
            words = line.split()
            if not line or words[:1] == ["done"]:
                break
            if not words:
                continue
            if words[0] == "fill":
                shm = fill(int(words[1]), int(words[2]), int(words[3]), words[4] == "1")
            elif words[0] == "edit":
                edit(words[1])
            else:
                raise SystemExit("demo worker: unknown command %r" % line)
    finally:
        if shm is not None:
            release(shm)
    try:
        say("bye")
    except BrokenPipeError:
        pass


main()
