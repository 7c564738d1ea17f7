#!/usr/bin/env python3
"""CPython peer for the pyshm interoperability tests.

Run as ``<python> python-tests/peer.py`` under any CPython 3.8 to 3.14 (stdlib only). The
process drives the real ``multiprocessing.shared_memory`` of the interpreter it runs on, so
JUnit and pytest can compare pyshm against CPython byte for byte and error for error.

Wire protocol
=============

One JSON object per line on stdin, one JSON object per line on stdout (UTF-8; replies are
ASCII because non-ASCII characters are escaped). Every request line gets exactly one reply
line, in order. stderr carries diagnostics and everything the resource tracker prints; it
is the peer's original stderr, inherited by the tracker process. Anything else that would
write to fd 1 (a stray ``print``, a library) is redirected to stderr, so stdout only ever
holds protocol lines, and stdout reaches EOF exactly when the peer exits.

On start the peer prints one ready line::

    {"ok": true, "ready": true, "version": "3.12.1", "hexversion": 51118576,
     "pid": 123, "layout": "PY39", "track_supported": false,
     "implementation": "cpython", "executable": "/root/.pyenv/versions/3.12.1/bin/python3"}

``layout`` is the ShareableList layout of this interpreter: ``PY38`` (3.8, header holds
allocation sizes) or ``PY39`` (3.9 and later, header holds N+1 offsets).
``track_supported`` is true from 3.13 (``SharedMemory(..., track=...)``).

Requests and replies
--------------------

A request is ``{"op": "<op>", "id": <any JSON>, ...fields}``. ``id`` is optional and is
echoed back unchanged in the reply (success or error) when present.

A success reply is ``{"ok": true, ...}``. An error reply is::

    {"ok": false, "error": {"type": "FileNotFoundError", "errno": 2,
       "strerror": "No such file or directory", "filename": "/x",
       "message": "[Errno 2] No such file or directory: '/x'",
       "repr": "FileNotFoundError(2, 'No such file or directory')",
       "mro": ["FileNotFoundError", "OSError", "Exception", "BaseException"]}}

``type`` is the exception class name, qualified by its module when that is not builtins
(``struct.error``). ``errno``, ``strerror`` and ``filename`` are null when the exception has
none (only ``OSError`` and its subclasses have them). ``message`` is ``str(e)`` and ``repr``
is ``repr(e)``, exactly as CPython produced them. The peer itself raises two types:

* ``BadRequest``: malformed JSON, a request that is not an object, unknown op, missing or
  mistyped peer-level field (handle, offset, length, hex, byte, ...), unknown handle, wrong
  handle kind, out-of-range offset/length (message ``offset=… length=… size=…``), or a
  data op on a closed SharedMemory.
* ``Unsupported``: ``track`` given on an interpreter older than 3.13.

After an error the peer keeps running. EOF on stdin ends the peer with exit status 0.

Arguments that go to CPython (``name``, ``size``, ``index``, values) are passed through
unchanged, so CPython's own validation and messages are what the caller sees: ``"size": -1``,
``"size": 1.5``, ``"name": null``, ``"name": "a\\u0000b"`` all reach CPython as given. A key
that is absent means "use CPython's default" (for example ``create`` without ``size`` calls
``SharedMemory(name, create=True)`` and gets CPython's size-0 ValueError).

Handles are strings: ``m<k>`` for a SharedMemory, ``l<k>`` for a ShareableList. They stay
in the table after ``close`` (so ``unlink`` still works) until the peer exits.

SharedMemory ops
----------------

``create`` {name?: str|null, size?, track?: bool, unregister?: bool}
    ``SharedMemory(name, create=True, size=size[, track=track])``. ``track`` is passed only
    when present and not null, and needs 3.13+ (else ``Unsupported``). ``unregister`` true
    calls ``resource_tracker.unregister(shm._name, "shared_memory")`` afterwards.
    Reply: handle, name, os_name (``shm._name``), size, repr.
``attach`` {name, size?, track?, unregister?}
    ``SharedMemory(name[, size=size][, track=track])``; same reply as create.
    ``unregister`` is the <=3.12 workaround that keeps this peer's resource tracker from
    unlinking someone else's block when the peer exits.
``info`` {handle}
    Reply: handle, name, os_name, size, repr, closed (``shm.buf is None``).
``read`` {handle, offset?=0, length?=size-offset}
    Reply: hex (lowercase), length.
``write`` {handle, offset?=0, hex}
    Writes the bytes. Reply: length.
``fill`` {handle, offset?=0, length?=size-offset, byte}
    Sets every byte of the range to ``byte`` (0..255), in 1 MiB chunks. Reply: length.
``checksum`` {handle, offset?=0, length?=size-offset}
    SHA-256 of the range, hashed through memoryview slices (no copy of the block).
    Reply: sha256 (hex), length. Reading never-touched pages of a sparse block allocates
    them, so checksum only ranges you mean to read.
``touch`` {handle, offsets: [int, ...], byte}
    Writes ``byte`` at each offset (for sparse blocks larger than 2 GiB). Reply: count.
``close`` {handle}
    ``shm.close()``.
``unlink`` {handle}
    ``shm.unlink()`` (``shm_unlink`` then, where CPython does, tracker unregister).
``unlink_name`` {name}
    Raw ``_posixshmem.shm_unlink("/" + name)``; no tracker traffic.
``truncate`` {name, size?, create?: bool}
    ``fd = _posixshmem.shm_open("/" + name, O_RDWR [| O_CREAT | O_EXCL if create], 0o600)``,
    then ``os.ftruncate(fd, size)`` when size is present, then close. ``create`` true without
    ``size`` makes the 0-byte object that CPython cannot attach. No tracker traffic.
    Reply: size (fstat after truncation).
``stat`` {name}
    ``os.stat("/dev/shm/" + name.lstrip("/"))`` (glibc strips every leading slash).
    Reply: exists; and when it exists, size, mode (permission bits), uid, gid.

ShareableList ops
-----------------

``sl_create`` {name?: str|null, values?: [value, ...]|null, unregister?: bool}
    ``ShareableList(values, name=name)``. ``values`` null passes ``None`` (on 3.8 with no
    name that creates the 8-byte empty list).
``sl_attach`` {name, unregister?: bool}
    ``ShareableList(name=name)``. ShareableList always registers with the tracker (even on
    3.13), so pass ``unregister`` true to keep a block this peer does not own alive.
    Reply for both: handle, name, os_name, size (block size), len, format, repr. When reading
    ``format`` or ``repr`` raises (a block in the other layout), that field is null and
    ``format_error`` / ``repr_error`` holds the error object.
``sl_read`` {handle}
    Reply: values (``[sl[i] for i in range(len(sl))]``, encoded; the first failing item fails
    the op).
``sl_get`` {handle, index}           Reply: value.
``sl_set`` {handle, index, value}    ``sl[index] = value``.
``sl_len`` {handle}                  Reply: len.
``sl_format`` {handle}               Reply: format.
``sl_repr`` {handle}                 Reply: repr.
``sl_count`` {handle, value}         Reply: count.
``sl_index`` {handle, value}         Reply: index.
``sl_close`` {handle}                ``sl.shm.close()``.
``sl_unlink`` {handle}               ``sl.shm.unlink()``.

Process ops
-----------

``ping`` {}                 Reply: pid.
``exit`` {code?=0}          Replies, then exits normally with that status without calling
                            ``close`` or ``unlink`` (interpreter shutdown still runs
                            ``SharedMemory.__del__``, which only closes), so the resource
                            tracker's behaviour at exit can be observed (its output arrives
                            on stderr).
``sleep_forever`` {}        Replies ``{"ok": true, "sleeping": true}``, then sleeps until
                            killed and reads no more requests.

There is deliberately no op that evaluates code.

Value encoding (ShareableList items, both directions)
-----------------------------------------------------

==========  ============================================================================
Python      JSON
==========  ============================================================================
None        ``null``
bool        ``true`` / ``false``
int         a JSON integer when it fits int64 (every int a ShareableList can hold);
            otherwise ``{"int": "<decimal>"}``. Input accepts either form for any size.
float       always ``{"float": repr(x)}``: ``"2.5"``, ``"-0.0"``, ``"nan"``, ``"inf"``,
            ``"-inf"``, ``"1e+16"``. ``float(repr(x)) == x`` exactly for every non-NaN
            float. Input also accepts ``float.hex()`` strings (``"0x1.4p+1"``) and plain
            JSON numbers with a fraction or exponent.
str         a JSON string (any code point, NUL as ``\\u0000``; output escapes non-ASCII).
bytes       ``{"bytes": "<lowercase hex>"}``
==========  ============================================================================

Input only, so that CPython's rejection of unsupported types can be observed: a JSON array
decodes to a Python ``list`` and ``{"bytearray": "<hex>"}`` to a ``bytearray``.
"""

import hashlib
import json
import os
import platform
import sys
import time

import _posixshmem
from multiprocessing import shared_memory

HAS_TRACK = sys.version_info >= (3, 13)
LAYOUT = "PY38" if sys.version_info < (3, 9) else "PY39"
INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1
CHUNK = 1 << 20
_MISSING = object()


class BadRequest(Exception):
    """The request itself is wrong; CPython was not called."""


class Unsupported(Exception):
    """The request needs a feature this interpreter does not have."""


# ---------------------------------------------------------------- value encoding


def encode_value(value):
    """Encodes a ShareableList item as JSON (see the module docstring)."""
    kind = type(value)
    if value is None or kind is bool or kind is str:
        return value
    if kind is int:
        if INT64_MIN <= value <= INT64_MAX:
            return value
        return {"int": str(value)}
    if kind is float:
        return {"float": repr(value)}
    if kind is bytes:
        return {"bytes": value.hex()}
    raise TypeError("cannot encode %s: %r" % (kind.__name__, value))


def _decode_float(text):
    if not isinstance(text, str):
        raise BadRequest("'float' must be a string: %r" % (text,))
    stripped = text.strip().lower()
    try:
        if stripped.lstrip("+-").startswith("0x"):
            return float.fromhex(text)
        return float(text)
    except ValueError:
        raise BadRequest("bad float: %r" % (text,))


def decode_value(value):
    """Decodes a JSON value into the Python object to hand to CPython."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [decode_value(item) for item in value]
    if isinstance(value, dict) and len(value) == 1:
        (key, payload), = value.items()
        if key == "int":
            if isinstance(payload, bool) or not isinstance(payload, (int, str)):
                raise BadRequest("'int' must be a decimal string: %r" % (payload,))
            try:
                return int(payload)
            except ValueError:
                raise BadRequest("bad int: %r" % (payload,))
        if key == "float":
            return _decode_float(payload)
        if key in ("bytes", "bytearray"):
            if not isinstance(payload, str):
                raise BadRequest("%r must be a hex string: %r" % (key, payload))
            try:
                data = bytes.fromhex(payload)
            except ValueError:
                raise BadRequest("bad hex: %r" % (payload,))
            return data if key == "bytes" else bytearray(data)
    raise BadRequest("cannot decode value: %s" % json.dumps(value))


# ---------------------------------------------------------------- errors


def _type_name(cls):
    module = getattr(cls, "__module__", "builtins")
    if module in ("builtins", "__main__"):
        return cls.__qualname__
    return "%s.%s" % (module, cls.__qualname__)


def _text_or_none(value):
    if value is None or isinstance(value, str):
        return value
    return repr(value)


def error_object(exc):
    """The ``error`` member of an error reply."""
    is_os = isinstance(exc, OSError)
    errno = exc.errno if is_os else None
    return {
        "type": _type_name(type(exc)),
        "errno": errno if isinstance(errno, int) else None,
        "strerror": _text_or_none(exc.strerror) if is_os else None,
        "filename": _text_or_none(exc.filename) if is_os else None,
        "message": str(exc),
        "repr": repr(exc),
        "mro": [_type_name(c) for c in type(exc).__mro__ if c is not object],
    }


# ---------------------------------------------------------------- request fields


def _field(req, key, default=_MISSING):
    if key in req:
        return req[key]
    if default is _MISSING:
        raise BadRequest("missing field %r" % key)
    return default


def _int_field(req, key, default=_MISSING):
    value = _field(req, key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRequest("%r must be an integer: %r" % (key, value))
    return value


def _bool_field(req, key):
    value = req.get(key)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise BadRequest("%r must be a boolean: %r" % (key, value))
    return value


def _str_field(req, key):
    value = _field(req, key)
    if not isinstance(value, str):
        raise BadRequest("%r must be a string: %r" % (key, value))
    return value


def _byte_field(req):
    value = _int_field(req, "byte")
    if not 0 <= value <= 255:
        raise BadRequest("'byte' must be in 0..255: byte=%d" % value)
    return value


# ---------------------------------------------------------------- the peer


class Peer:
    def __init__(self, out):
        self.out = out
        self.objects = {}
        self.counter = 0

    # -- plumbing

    def send(self, reply):
        self.out.write(json.dumps(reply, ensure_ascii=True, allow_nan=False) + "\n")
        self.out.flush()

    def _add(self, prefix, obj):
        self.counter += 1
        handle = "%s%d" % (prefix, self.counter)
        self.objects[handle] = obj
        return handle

    def _get(self, req, kind):
        handle = _field(req, "handle")
        if not isinstance(handle, str) or handle not in self.objects:
            raise BadRequest("unknown handle: %r" % (handle,))
        obj = self.objects[handle]
        if not isinstance(obj, kind):
            raise BadRequest("handle %s is not a %s" % (handle, kind.__name__))
        return obj

    def _buf(self, req):
        shm = self._get(req, shared_memory.SharedMemory)
        buf = shm.buf
        if buf is None:
            raise BadRequest("handle %s is closed (buf is None)" % req["handle"])
        return buf

    @staticmethod
    def _range(req, buf):
        size = len(buf)
        offset = _int_field(req, "offset", 0)
        length = _int_field(req, "length", size - offset)
        if offset < 0 or length < 0 or offset + length > size:
            raise BadRequest("offset=%d length=%d size=%d" % (offset, length, size))
        return offset, length

    @staticmethod
    def _track_kwargs(req):
        track = req.get("track")
        if track is None:
            return {}
        if not HAS_TRACK:
            raise Unsupported("track= needs Python 3.13+, this is %s" % platform.python_version())
        return {"track": track}

    @staticmethod
    def _unregister(req, os_name):
        if _bool_field(req, "unregister"):
            from multiprocessing import resource_tracker

            resource_tracker.unregister(os_name, "shared_memory")

    @staticmethod
    def _shm_info(handle, shm):
        return {
            "handle": handle,
            "name": shm.name,
            "os_name": shm._name,
            "size": shm.size,
            "repr": repr(shm),
        }

    def _sl_info(self, handle, sl):
        info = {
            "handle": handle,
            "name": sl.shm.name,
            "os_name": sl.shm._name,
            "size": sl.shm.size,
            "len": len(sl),
        }
        for key, getter in (("format", lambda: sl.format), ("repr", lambda: repr(sl))):
            try:
                info[key] = getter()
            except Exception as exc:  # a block in the other layout: report, keep the handle
                info[key] = None
                info[key + "_error"] = error_object(exc)
        return info

    # -- SharedMemory ops

    def op_create(self, req):
        kwargs = self._track_kwargs(req)
        if "size" in req:
            kwargs["size"] = req["size"]
        shm = shared_memory.SharedMemory(req.get("name"), create=True, **kwargs)
        handle = self._add("m", shm)
        self._unregister(req, shm._name)
        return self._shm_info(handle, shm)

    def op_attach(self, req):
        kwargs = self._track_kwargs(req)
        if "size" in req:
            kwargs["size"] = req["size"]
        shm = shared_memory.SharedMemory(req.get("name"), **kwargs)
        handle = self._add("m", shm)
        self._unregister(req, shm._name)
        return self._shm_info(handle, shm)

    def op_info(self, req):
        shm = self._get(req, shared_memory.SharedMemory)
        info = self._shm_info(req["handle"], shm)
        info["closed"] = shm.buf is None
        return info

    def op_read(self, req):
        buf = self._buf(req)
        offset, length = self._range(req, buf)
        with buf[offset:offset + length] as view:
            return {"hex": view.hex(), "length": length}

    def op_write(self, req):
        buf = self._buf(req)
        try:
            data = bytes.fromhex(_str_field(req, "hex"))
        except ValueError:
            raise BadRequest("bad hex")
        offset = _int_field(req, "offset", 0)
        if offset < 0 or offset + len(data) > len(buf):
            raise BadRequest("offset=%d length=%d size=%d" % (offset, len(data), len(buf)))
        buf[offset:offset + len(data)] = data
        return {"length": len(data)}

    def op_fill(self, req):
        buf = self._buf(req)
        offset, length = self._range(req, buf)
        pattern = bytes([_byte_field(req)]) * min(length, CHUNK)
        pos, end = offset, offset + length
        while pos < end:
            n = min(CHUNK, end - pos)
            buf[pos:pos + n] = pattern[:n] if n < len(pattern) else pattern
            pos += n
        return {"length": length}

    def op_checksum(self, req):
        buf = self._buf(req)
        offset, length = self._range(req, buf)
        digest = hashlib.sha256()
        pos, end = offset, offset + length
        while pos < end:
            n = min(CHUNK, end - pos)
            with buf[pos:pos + n] as view:
                digest.update(view)
            pos += n
        return {"sha256": digest.hexdigest(), "length": length}

    def op_touch(self, req):
        buf = self._buf(req)
        offsets = _field(req, "offsets")
        byte = _byte_field(req)
        if not isinstance(offsets, list):
            raise BadRequest("'offsets' must be a list")
        size = len(buf)
        for offset in offsets:
            if isinstance(offset, bool) or not isinstance(offset, int) or not 0 <= offset < size:
                raise BadRequest("offset=%r length=1 size=%d" % (offset, size))
        for offset in offsets:
            buf[offset] = byte
        return {"count": len(offsets)}

    def op_close(self, req):
        self._get(req, shared_memory.SharedMemory).close()
        return {}

    def op_unlink(self, req):
        self._get(req, shared_memory.SharedMemory).unlink()
        return {}

    def op_unlink_name(self, req):
        _posixshmem.shm_unlink("/" + _str_field(req, "name"))
        return {}

    def op_truncate(self, req):
        name = _str_field(req, "name")
        flags = os.O_RDWR
        if _bool_field(req, "create"):
            flags |= os.O_CREAT | os.O_EXCL
        fd = _posixshmem.shm_open("/" + name, flags, 0o600)
        try:
            if "size" in req:
                os.ftruncate(fd, req["size"])
            return {"size": os.fstat(fd).st_size}
        finally:
            os.close(fd)

    def op_stat(self, req):
        name = _str_field(req, "name")
        try:
            st = os.stat("/dev/shm/" + name.lstrip("/"))
        except FileNotFoundError:
            return {"exists": False}
        return {
            "exists": True,
            "size": st.st_size,
            "mode": st.st_mode & 0o7777,
            "uid": st.st_uid,
            "gid": st.st_gid,
        }

    # -- ShareableList ops

    def op_sl_create(self, req):
        values = _field(req, "values", None)
        if values is not None and not isinstance(values, list):
            raise BadRequest("'values' must be a list or null")
        sequence = None if values is None else [decode_value(v) for v in values]
        sl = shared_memory.ShareableList(sequence, name=req.get("name"))
        handle = self._add("l", sl)
        self._unregister(req, sl.shm._name)
        return self._sl_info(handle, sl)

    def op_sl_attach(self, req):
        sl = shared_memory.ShareableList(name=req.get("name"))
        handle = self._add("l", sl)
        self._unregister(req, sl.shm._name)
        return self._sl_info(handle, sl)

    def op_sl_read(self, req):
        sl = self._get(req, shared_memory.ShareableList)
        return {"values": [encode_value(sl[i]) for i in range(len(sl))]}

    def op_sl_get(self, req):
        sl = self._get(req, shared_memory.ShareableList)
        return {"value": encode_value(sl[_field(req, "index")])}

    def op_sl_set(self, req):
        sl = self._get(req, shared_memory.ShareableList)
        sl[_field(req, "index")] = decode_value(_field(req, "value"))
        return {}

    def op_sl_len(self, req):
        return {"len": len(self._get(req, shared_memory.ShareableList))}

    def op_sl_format(self, req):
        return {"format": self._get(req, shared_memory.ShareableList).format}

    def op_sl_repr(self, req):
        return {"repr": repr(self._get(req, shared_memory.ShareableList))}

    def op_sl_count(self, req):
        sl = self._get(req, shared_memory.ShareableList)
        return {"count": sl.count(decode_value(_field(req, "value")))}

    def op_sl_index(self, req):
        sl = self._get(req, shared_memory.ShareableList)
        return {"index": sl.index(decode_value(_field(req, "value")))}

    def op_sl_close(self, req):
        self._get(req, shared_memory.ShareableList).shm.close()
        return {}

    def op_sl_unlink(self, req):
        self._get(req, shared_memory.ShareableList).shm.unlink()
        return {}

    # -- process ops

    def op_ping(self, req):
        return {"pid": os.getpid()}

    # -- dispatch

    def handle_line(self, line):
        """Answers one request line; returns the exit status for ``exit``, else None."""
        try:
            req = json.loads(line.rstrip(b"\r\n").decode("utf-8"))
        except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError both
            self.send({"ok": False, "error": error_object(BadRequest("malformed request: %s" % exc))})
            return None
        reply = {"ok": True}
        if isinstance(req, dict) and "id" in req:
            reply["id"] = req["id"]
        try:
            if not isinstance(req, dict):
                raise BadRequest("request must be a JSON object")
            op = req.get("op")
            if op == "exit":
                code = _int_field(req, "code", 0)
                self.send(reply)
                return code
            if op == "sleep_forever":
                reply["sleeping"] = True
                self.send(reply)
                while True:
                    time.sleep(3600)
            method = getattr(self, "op_%s" % op, None) if isinstance(op, str) else None
            if method is None:
                raise BadRequest("unknown op: %r" % (op,))
            reply.update(method(req))
        except Exception as exc:
            error = {"ok": False, "error": error_object(exc)}
            if "id" in reply:
                error["id"] = reply["id"]
            reply = error
        self.send(reply)
        return None


def main():
    # Keep a private copy of stdout for replies and point fd 1 at stderr, so nothing else
    # (and no child such as the resource tracker) can write into the protocol stream.
    out = os.fdopen(os.dup(1), "w", encoding="ascii", newline="\n")
    os.dup2(2, 1)
    peer = Peer(out)
    peer.send({
        "ok": True,
        "ready": True,
        "version": platform.python_version(),
        "hexversion": sys.hexversion,
        "pid": os.getpid(),
        "layout": LAYOUT,
        "track_supported": HAS_TRACK,
        "implementation": sys.implementation.name,
        "executable": sys.executable,
    })
    stdin = sys.stdin.buffer
    while True:
        line = stdin.readline()
        if not line:
            return 0
        code = peer.handle_line(line)
        if code is not None:
            return code


if __name__ == "__main__":
    sys.exit(main())
