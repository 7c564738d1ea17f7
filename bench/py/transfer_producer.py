#!/usr/bin/env python3
"""The Python side of TransferBench: sends 64 MiB to the JVM on every request.

Usage (started by dev.pyshm.bench.TransferBench, stdlib only, CPython 3.8+):

    transfer_producer.py shm  SIZE BLOCK_NAME   copy into the pyshm block, answer "done"
    transfer_producer.py tcp  SIZE PORT         sendall() on a loopback socket
    transfer_producer.py py4j SIZE PORT         entry_point.receive(bytes) through Py4J, answer "done"

The payload is built once (a service has its data in hand). It prints "ready" when set up,
then serves one transfer per "go" line on stdin until EOF. For py4j, the py4j package must
be importable (bench/compare puts target/bench-build/py4j-python/python/py4j-src-0.10.9.7.zip on PYTHONPATH).
"""
import socket
import sys


def payload(size):
    unit = bytes(range(256))
    return (unit * (size // len(unit) + 1))[:size]


def say(word):
    sys.stdout.write(word + "\n")
    sys.stdout.flush()


def requests():
    for line in sys.stdin:
        if line.strip() == "go":
            yield
        else:
            raise SystemExit("transfer_producer: unexpected request %r" % line)


def via_shm(size, name):
    from multiprocessing import shared_memory
    if sys.version_info >= (3, 13):
        shm = shared_memory.SharedMemory(name, track=False)
    else:
        shm = shared_memory.SharedMemory(name)
        # Before 3.13 an attach registers with the resource tracker, which would unlink the
        # JVM's block when this process exits (gh-82300).
        from multiprocessing import resource_tracker
        resource_tracker.unregister(shm._name, "shared_memory")
    data = payload(size)
    buf = shm.buf
    say("ready")
    try:
        for _ in requests():
            buf[:size] = data
            say("done")
    finally:
        del buf
        shm.close()


def via_tcp(size, port):
    data = payload(size)
    with socket.create_connection(("127.0.0.1", port)) as s:
        say("ready")
        for _ in requests():
            s.sendall(data)


def via_py4j(size, port):
    from py4j.java_gateway import GatewayParameters, JavaGateway
    gateway = JavaGateway(gateway_parameters=GatewayParameters(port=port, auto_convert=False))
    try:
        sink = gateway.entry_point
        data = payload(size)
        say("ready")
        for _ in requests():
            got = sink.receive(data)
            if got != size:
                raise SystemExit("transfer_producer: Java received %d bytes, not %d" % (got, size))
            say("done")
    finally:
        gateway.close()


def main(argv):
    if len(argv) != 4 or argv[1] not in ("shm", "tcp", "py4j"):
        raise SystemExit(__doc__)
    mode, size = argv[1], int(argv[2])
    if mode == "shm":
        via_shm(size, argv[3])
    elif mode == "tcp":
        via_tcp(size, int(argv[3]))
    else:
        via_py4j(size, int(argv[3]))


if __name__ == "__main__":
    main(sys.argv)
