#!/usr/bin/env python3
"""Writes golden ShareableList images produced by real CPython interpreters.

Usage::

    python3 generate_golden.py [--pythons PY [PY ...]] [--out DIR]

Default interpreters: every pyenv CPython 3.8 to 3.13 under $PYENV_ROOT (or ~/.pyenv).
Default output: the directory holding this script. Each interpreter runs this same file
with ``--child``: it creates every case with ``multiprocessing.shared_memory.ShareableList``,
copies the block bytes, attaches again by name to read the values back, then closes and
unlinks the block. The parent writes ``<version>/<case>.bin`` and ``manifest.json``, and
prints cross-version and spec checks to stderr. Stdlib only; runs on 3.8+.

The value encoding in manifest.json is the one of python-tests/peer.py; keep them in sync.
"""

import argparse
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

# (name, Python source of the input, note). Only inputs CPython stores and reads back
# correctly; ``values`` in the manifest is what CPython reads back.
CASES = [
    ("example", "[1, 2.5, True, None, 'hi', b'xy']", None),
    ("empty", "[]", None),
    ("empty_str", "['']", None),
    ("str_len7", "['aaaaaaa']", None),
    ("str_len8", "['aaaaaaaa']", None),
    ("bytes_len8", "[b'12345678']", None),
    ("str_lengths", "['1234567', '12345678', '123456789012345', '1234567890123456',"
                    " '12345678901234567890123']", "allocations 8, 16, 16, 24, 24"),
    ("cpython_test_example", "['howdy', b'HoWdY', -273.154, 100, None, True, 42]", None),
    ("numeric_edges", "[-2**63, 2**63-1, float('nan'), float('inf'), float('-inf'), -0.0, 0.0]",
     None),
    ("bools_none", "[True, False, None]", None),
    ("e_acute_1", "['\u00e9']", None),
    ("e_acute_4", "['\u00e9\u00e9\u00e9\u00e9']", "8 UTF-8 bytes exactly fill the 8-byte slot"),
    ("non_ascii_fits", "['\u00fc', 'ab\u20ac', '\u65e5\u672c', '\U0001f600']",
     "UTF-8 lengths 2, 5, 6, 4, each within its code-point-based allocation of 8"),
    ("trailing_nul", "['a\\x00', b'b\\x00']",
     "CPython strips trailing NULs on read (gh-96779): values are 'a' and b'b'"),
    ("embedded_nul", "[b'a\\x00b', 'c\\x00d', b'\\x00\\x00lead', 7,"
                     " b'\\x00\\x01\\x00\\x02\\x00\\x03\\x00\\x04']",
     "NULs inside or leading are kept; only trailing NULs are stripped"),
    ("long_str", "['0123456789' * 30]", "300 characters, allocation 304"),
    ("float_int", "[1.5, 2]", None),
    ("int_range_1000", "list(range(1000))", None),
]

# Applied in order to a fresh ShareableList(EDIT_BASE); the image is taken after the last.
EDIT_BASE = "[1, 2.5, True, None, 'hi', b'xy']"
EDITS = [
    (0, "'hello'"),
    (0, "12345678901"),
    (4, "3.25"),
    (4, "b'\\x00\\x01\\x00'"),
    (2, "None"),
]

# Recorded for documentation only (gh-88336): CPython allocates by code points and
# truncates the UTF-8 bytes.
TRUNCATION = ["['\u00e9\u00e9\u00e9\u00e9\u00e9']", "['a\u00e9\u00e9\u00e9\u00e9']"]

# The JSON value encoding is the peer's (python-tests/peer.py); one definition serves both.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), *[os.pardir] * 6, "python-tests"))
from peer import encode_value  # noqa: E402

_EVAL_GLOBALS = {"__builtins__": {}, "float": float, "range": range, "list": list}


def evaluate(source):
    """Evaluates one of the constant sources above (never external input)."""
    return eval(source, dict(_EVAL_GLOBALS))


def error_object(exc):
    cls = type(exc)
    module = cls.__module__
    name = cls.__qualname__ if module == "builtins" else "%s.%s" % (module, cls.__qualname__)
    return {"type": name, "message": str(exc), "repr": repr(exc)}


# ---------------------------------------------------------------- child side


def _expected_size(fmt, length, layout):
    """calcsize of the whole block, from the joined item format."""
    items = re.findall(r"xxxxxxx\?|xxxxxx\?x|\d+s|q|d", fmt)
    data = sum(int(f[:-1]) if f.endswith("s") else 8 for f in items)
    header = 8 * (length + 1) if layout == "PY39" else 8 * length
    return 8 + header + data + 9 * length


def _snapshot(sl, layout):
    from multiprocessing import shared_memory

    fmt = sl.format
    size = _expected_size(fmt, len(sl), layout)
    if sl.shm.size < size:
        raise AssertionError("block %d < calcsize %d" % (sl.shm.size, size))
    data = bytes(sl.shm.buf[:size])
    reader = shared_memory.ShareableList(name=sl.shm.name)
    try:
        try:
            read = {"values": [encode_value(v) for v in reader]}
        except Exception as exc:
            read = {"error": error_object(exc)}
        reader_format = reader.format
    finally:
        reader.shm.close()
    if reader_format != fmt:
        raise AssertionError("format changed on attach: %r != %r" % (reader_format, fmt))
    return {
        "hex": data.hex(),
        "size": size,
        "block_size": sl.shm.size,
        "format": fmt,
        "length": len(sl),
        "read": read,
    }


def _with_list(values, action):
    from multiprocessing import shared_memory

    sl = shared_memory.ShareableList(values)
    try:
        return action(sl)
    finally:
        sl.shm.close()
        sl.shm.unlink()


def child():
    import platform

    layout = "PY38" if sys.version_info < (3, 9) else "PY39"
    result = {
        "version": platform.python_version(),
        "hexversion": sys.hexversion,
        "layout": layout,
        "cases": {},
        "truncation": {},
    }
    for name, source, _ in CASES:
        values = evaluate(source)
        snap = _with_list(values, lambda sl: _snapshot(sl, layout))
        snap["repr"] = repr(values)
        snap["input"] = [encode_value(v) for v in values]
        result["cases"][name] = snap

    def edit(sl):
        steps = []
        for index, source in EDITS:
            sl[index] = evaluate(source)
            steps.append({
                "format": sl.format,
                "values": [encode_value(v) for v in sl],
            })
        snap = _snapshot(sl, layout)
        snap["steps"] = steps
        return snap

    result["edits"] = _with_list(evaluate(EDIT_BASE), edit)
    for source in TRUNCATION:
        result["truncation"][source] = _with_list(
            evaluate(source), lambda sl: _snapshot(sl, layout))
    json.dump(result, sys.stdout)
    return 0


# ---------------------------------------------------------------- parent side


def _version_key(version):
    return tuple(int(part) for part in version.split("."))


def default_pythons():
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    found = []
    for path in glob.glob(os.path.join(root, "versions", "3.*", "bin", "python3")):
        version = path.split(os.sep)[-3]
        if re.fullmatch(r"3\.(8|9|1[0-3])\.\d+", version):
            found.append((_version_key(version), path))
    return [path for _, path in sorted(found)]


def run_child(python):
    proc = subprocess.run([python, os.path.abspath(__file__), "--child"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if proc.returncode != 0 or proc.stderr.strip():
        sys.stderr.write(proc.stderr.decode("utf-8", "replace"))
    if proc.returncode != 0:
        raise SystemExit("%s --child failed with status %d" % (python, proc.returncode))
    return json.loads(proc.stdout.decode("utf-8"))


def _warn(message):
    sys.stderr.write("generate_golden: %s\n" % message)


def _image(run, folder, snap):
    data = bytes.fromhex(snap["hex"])
    return data, {
        "version": run["version"],
        "layout": run["layout"],
        "file": "%s/%s.bin" % (run["version"], folder),
        "size": snap["size"],
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def _common(runs, pick, what):
    """The value all runs agree on; warns and returns the first when they do not."""
    seen = [pick(run) for run in runs]
    if any(other != seen[0] for other in seen[1:]):
        _warn("%s differs between interpreters" % what)
    return seen[0]


def _is_leaf(obj):
    """Scalars, encoded values ({"float": "2.5"}) and objects of scalars go on one line."""
    if isinstance(obj, dict):
        return all(not isinstance(v, (dict, list)) for v in obj.values()) or (
            len(obj) == 1 and all(_is_leaf(v) for v in obj.values()))
    return not isinstance(obj, list)


def to_json(obj, indent=""):
    """Indented JSON with one line per value list or image, so the manifest stays small."""
    if _is_leaf(obj) or (isinstance(obj, list) and all(
            not isinstance(v, (dict, list)) or (isinstance(v, dict) and len(v) == 1)
            for v in obj)):
        return json.dumps(obj, ensure_ascii=True, allow_nan=False)
    inner = indent + " "
    if isinstance(obj, list):
        items = [inner + to_json(v, inner) for v in obj]
        return "[\n" + ",\n".join(items) + "\n" + indent + "]"
    items = [inner + json.dumps(k) + ": " + to_json(v, inner) for k, v in obj.items()]
    return "{\n" + ",\n".join(items) + "\n" + indent + "}"


def build(runs, out):
    files = {}
    cases = []
    differing = []
    for name, source, note in CASES:
        entry = {
            "name": name,
            "python": source,
            "repr": _common(runs, lambda r: r["cases"][name]["repr"], name + " repr"),
            "input": _common(runs, lambda r: r["cases"][name]["input"], name + " input"),
            "values": _common(runs, lambda r: r["cases"][name]["read"].get("values"),
                              name + " values"),
            "length": _common(runs, lambda r: r["cases"][name]["length"], name + " length"),
            "format": _common(runs, lambda r: r["cases"][name]["format"], name + " format"),
        }
        if note:
            entry["note"] = note
        entry["images"] = []
        for run in runs:
            data, image = _image(run, name, run["cases"][name])
            files[image["file"]] = data
            entry["images"].append(image)
        py39 = {i["sha256"] for i in entry["images"] if i["layout"] == "PY39"}
        if len(py39) > 1:
            differing.append(name)
        cases.append(entry)

    edits = {
        "name": "example_after_sets",
        "python": EDIT_BASE,
        "input": _common(runs, lambda r: r["cases"]["example"]["input"], "example input"),
        "sets": [],
        "values": _common(runs, lambda r: r["edits"]["read"].get("values"), "edit values"),
        "length": _common(runs, lambda r: r["edits"]["length"], "edit length"),
        "format": _common(runs, lambda r: r["edits"]["format"], "edit format"),
        "note": "sl[i] = v applied in order to a fresh list; the image is the final state",
        "images": [],
    }
    for k, (index, source) in enumerate(EDITS):
        value = evaluate(source)
        edits["sets"].append({
            "index": index,
            "python": source,
            "value": encode_value(value),
            "format_after": _common(runs, lambda r: r["edits"]["steps"][k]["format"],
                                    "edit step %d format" % k),
            "values_after": _common(runs, lambda r: r["edits"]["steps"][k]["values"],
                                    "edit step %d values" % k),
        })
    for run in runs:
        data, image = _image(run, "example_after_sets", run["edits"])
        files[image["file"]] = data
        edits["images"].append(image)
    if len({i["sha256"] for i in edits["images"] if i["layout"] == "PY39"}) > 1:
        differing.append("example_after_sets")

    truncation = []
    for layout in ("PY38", "PY39"):
        chosen = [run for run in runs if run["layout"] == layout]
        if not chosen:
            continue
        run = chosen[-1]
        for source in TRUNCATION:
            snap = run["truncation"][source]
            truncation.append({
                "python": source,
                "version": run["version"],
                "layout": layout,
                "hex": snap["hex"],
                "size": snap["size"],
                "format": snap["format"],
                "read": snap["read"],
            })

    manifest = {
        "description": "ShareableList blocks written by real CPython (Linux, little-endian). "
                       "Each .bin is the whole block: exactly calcsize bytes.",
        "generator": "generate_golden.py (see README.md)",
        "value_encoding": "as python-tests/peer.py: null, true/false, int64 as JSON integer "
                          "(else {\"int\": decimal}), float as {\"float\": repr(x)}, "
                          "str as JSON string, bytes as {\"bytes\": hex}",
        "layouts": {
            "PY38": "CPython 3.8: int64 N, N int64 allocations, data, N 8-byte formats, "
                    "N int8 codes",
            "PY39": "CPython 3.9+: int64 N, N+1 int64 offsets, data, N 8-byte formats, "
                    "N int8 codes",
        },
        "interpreters": [{"version": r["version"], "hexversion": r["hexversion"],
                          "layout": r["layout"]} for r in runs],
        "py39_layout_differing_cases": differing,
        "cases": cases,
        "edits": [edits],
        "cpython_truncation": truncation,
    }
    if differing:
        _warn("PY39-layout images differ between interpreters for: %s" % ", ".join(differing))

    for entry in os.listdir(out):
        if re.fullmatch(r"\d+\.\d+\.\d+", entry) and os.path.isdir(os.path.join(out, entry)):
            shutil.rmtree(os.path.join(out, entry))
    for rel, data in sorted(files.items()):
        path = os.path.join(out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    with open(os.path.join(out, "manifest.json"), "w", encoding="ascii", newline="\n") as f:
        f.write(to_json(manifest) + "\n")
    return manifest


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pythons", nargs="+", help="interpreters (default: pyenv 3.8-3.13)")
    parser.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child()
    pythons = args.pythons or default_pythons()
    if not pythons:
        raise SystemExit("no interpreters found; pass --pythons")
    runs = sorted((run_child(p) for p in pythons), key=lambda r: _version_key(r["version"]))
    manifest = build(runs, args.out)
    total = sum(os.path.getsize(os.path.join(args.out, i["file"]))
                for c in manifest["cases"] + manifest["edits"] for i in c["images"])
    _warn("wrote %d images (%d bytes) for %s" % (
        sum(len(c["images"]) for c in manifest["cases"] + manifest["edits"]), total,
        ", ".join(r["version"] for r in runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
