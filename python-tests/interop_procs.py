"""The processes the interop suite drives: CPython peers (peer.py) and Py4J gateway JVMs."""

import json
import os
import queue
import subprocess
import threading
import time

from interop_env import PEER_SCRIPT

REPLY_TIMEOUT = 60.0
GATEWAY_START_TIMEOUT = 60.0


class _Pumps:
    """Reads a child's stdout lines into a queue and its stderr into a buffer, on threads, so a
    hung child fails a test instead of blocking it and a full pipe never stalls the child."""

    def _start_pumps(self):
        self.lines = queue.Queue()
        self._err = []
        self._out_thread = threading.Thread(target=self._pump_out, daemon=True)
        self._err_thread = threading.Thread(target=self._pump_err, daemon=True)
        self._out_thread.start()
        self._err_thread.start()

    def _pump_out(self):
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def _pump_err(self):
        for chunk in iter(lambda: self.proc.stderr.read1(65536), b""):
            self._err.append(chunk)

    def stderr(self, wait=False):
        """What the child (and, for a peer, its resource tracker) wrote to stderr so far;
        ``wait=True`` first waits for EOF, i.e. for every writer to exit."""
        if wait:
            self._err_thread.join(REPLY_TIMEOUT)
        return b"".join(self._err).decode("utf-8", "replace")

    def _line(self, timeout, what):
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError("%s: no reply within %.0f s; stderr:\n%s"
                                 % (what, timeout, self.stderr()))
        if line is None:
            raise AssertionError("%s: the process closed stdout (exit %s); stderr:\n%s"
                                 % (what, self.proc.poll(), self.stderr()))
        return line


class Peer(_Pumps):
    """A ``peer.py`` child of one interpreter, driven over its JSON line protocol.

    ``prefix`` runs it through another command, e.g. ``["runuser", "-u", "nobody", "--"]``.
    """

    def __init__(self, python, script=PEER_SCRIPT, prefix=(), cwd=None, env=None, on_name=None):
        self.python = python
        self.on_name = on_name or (lambda name: None)
        self.proc = subprocess.Popen(list(prefix) + [python, script], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd,
                                     env=env)
        self._start_pumps()
        self.ready = self._reply("ready line")
        assert self.ready.get("ready") is True, self.ready

    def _reply(self, what):
        return json.loads(self._line(REPLY_TIMEOUT, what).decode("ascii"))

    @property
    def version(self):
        return self.ready["version"]

    def _note(self, request, reply):
        if reply.get("ok") and request["op"] in ("create", "sl_create") and "name" in reply:
            self.on_name(reply["name"])

    def call(self, op, **fields):
        """Sends one request and returns the reply."""
        return self.batch([dict(fields, op=op)])[0]

    def batch(self, requests):
        """Sends every request at once (pipelined), then returns the replies in order."""
        data = b"".join(json.dumps(r).encode("utf-8") + b"\n" for r in requests)
        self.proc.stdin.write(data)
        self.proc.stdin.flush()
        replies = [self._reply(requests[i]["op"]) for i in range(len(requests))]
        for request, reply in zip(requests, replies):
            self._note(request, reply)
        return replies

    def ok(self, op, **fields):
        reply = self.call(op, **fields)
        assert reply["ok"] is True, "%s %r failed on %s: %r" % (op, fields, self.version, reply)
        return reply

    def err(self, op, **fields):
        reply = self.call(op, **fields)
        assert reply["ok"] is False, "%s %r succeeded on %s: %r" % (op, fields, self.version,
                                                                    reply)
        return reply["error"]

    def exit(self, timeout=REPLY_TIMEOUT):
        """``exit`` op (no close, no unlink), then waits; returns the exit status."""
        self.ok("exit")
        return self.proc.wait(timeout)

    def finish(self, timeout=REPLY_TIMEOUT):
        """Closes stdin (the peer exits 0 at EOF) and returns the exit status."""
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
            except BrokenPipeError:
                pass
        return self.proc.wait(timeout)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(REPLY_TIMEOUT)
        self._err_thread.join(REPLY_TIMEOUT)


class JavaError(Exception):
    """A Java exception thrown through the gateway, described by PyshmEntryPoint.errorReport."""

    def __init__(self, report):
        super().__init__("%s: %s" % (report["class"], report["message"]))
        self.report = report

    def __getitem__(self, key):
        return self.report[key]


class Gateway(_Pumps):
    """A gateway JVM (``dev.pyshm.py4j.Gateway``) on one JDK, and a py4j client connected to it.

    The JVM's stdin is a pipe held here: closing it (``stop``) ends the JVM, and so does the
    exit of this Python process.
    """

    def __init__(self, jdk, jar, extra_args=()):
        from py4j.java_gateway import GatewayParameters, JavaGateway

        self.jdk = jdk
        self.proc = subprocess.Popen(
            [jdk.java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xmx512m",
             "-cp", jar, "dev.pyshm.py4j.Gateway"] + list(extra_args),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self._start_pumps()
        self.ready = json.loads(self._line(GATEWAY_START_TIMEOUT, "gateway ready line").decode())
        assert self.ready["pyshm_gateway"] == "ready", self.ready
        token = self.ready.get("token")
        if token is None:
            with open(self.ready["token_file"], encoding="ascii") as f:
                token = f.read()
        self.gateway = JavaGateway(gateway_parameters=GatewayParameters(
            address="127.0.0.1", port=self.ready["port"], auth_token=token, auto_convert=True))
        self.ep = self.gateway.entry_point
        self.info = json.loads(self.ep.info())

    def call(self, method, *args):
        """``ep.<method>(*args)``; a Java exception becomes a JavaError with the error report."""
        from py4j.protocol import Py4JJavaError

        try:
            return getattr(self.ep, method)(*args)
        except Py4JJavaError as exc:
            raise JavaError(json.loads(self.ep.errorReport(exc.java_exception)))

    def error(self, method, *args):
        """The error report of ``ep.<method>(*args)``, which must throw."""
        try:
            result = self.call(method, *args)
        except JavaError as exc:
            return exc.report
        raise AssertionError("%s%r did not throw; returned %r" % (method, args, result))

    def stop(self, timeout=30.0):
        """Closes the client and the JVM's stdin; returns the JVM's exit status."""
        try:
            self.gateway.close()
        finally:
            if self.proc.poll() is None:
                self.proc.stdin.close()
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout)
            raise AssertionError("gateway on %s did not exit within %.0f s of stdin EOF"
                                 % (self.jdk.label, timeout))


def wait_for(predicate, timeout=10.0, step=0.02):
    """Polls until predicate() is true; returns its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(step)


def shm_exists(name):
    return os.path.exists("/dev/shm/" + name.lstrip("/"))
