#!/usr/bin/env python3
"""Renders RELIABILITY.md from the rows the reliability scenarios recorded.

Every scenario (the Java ones in src/test/java/dev/pyshm/reliability/, the gateway checks of
python-tests/test_gateway.py) writes one tab-separated row file into target/reliability/rows/
when it passed; ``mvn verify`` runs this script in post-integration-test, which writes
target/reliability/RELIABILITY.md. Copy it to the repository root after a run:
``mvn -B verify -Preliability && cp target/reliability/RELIABILITY.md .``

Usage: reliability_report.py TARGET_RELIABILITY_DIR
"""
import datetime
import os
import sys

FIELDS = ("id", "scenario", "done", "times", "result", "lost", "runtime")


def write_row(directory, row):
    """Records one passed scenario; ``row`` maps FIELDS to text (tabs and newlines not allowed)."""
    rows = os.path.join(directory, "rows")
    os.makedirs(rows, exist_ok=True)
    values = [str(row[f]) for f in FIELDS]
    for v in values:
        if "\t" in v or "\n" in v:
            raise ValueError("row field with a tab or newline: %r" % v)
    with open(os.path.join(rows, row["id"] + ".tsv"), "w", encoding="utf-8") as f:
        f.write("\t".join(values) + "\n")


def _machine():
    mem = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) >> 20
    return "%d cores, %d GiB, Linux %s" % (os.cpu_count(), mem, os.uname().release)


def render(directory):
    rows_dir = os.path.join(directory, "rows")
    if not os.path.isdir(rows_dir):
        print("reliability_report: no rows in %s (run with -Preliability)" % rows_dir)
        return None
    rows = []
    for name in sorted(os.listdir(rows_dir)):
        with open(os.path.join(rows_dir, name), encoding="utf-8") as f:
            rows.append(f.read().rstrip("\n").split("\t"))
    out = [
        "# Reliability",
        "",
        "What `mvn -B verify -Preliability` (CI runs it: the profile is on whenever `CI` is set) did to pyshm on",
        "%s, on %s." % (datetime.date.today().isoformat(), _machine()),
        "Reproduce: `mvn -B verify -Preliability && cp target/reliability/RELIABILITY.md .`",
        "Every row is an automated test with assertions (`src/test/java/dev/pyshm/reliability/`,",
        "`python-tests/test_gateway.py`); a row is written only when its test passed.",
        "",
        "| # | scenario | what was done | how many times | result | what was lost |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        row = dict(zip(FIELDS, r))
        out.append("| %s | %s | %s | %s | %s (%s) | %s |" % (
            row["id"], row["scenario"], row["done"], row["times"], row["result"], row["runtime"], row["lost"]))
    path = os.path.join(directory, "RELIABILITY.md")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    print("reliability_report: %d rows -> %s" % (len(rows), path))
    return path


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    render(sys.argv[1])
