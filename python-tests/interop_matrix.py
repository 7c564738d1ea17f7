"""The interop matrix: which check passed for which CPython x JDK, as a Markdown table.

Tests are tied to a column with ``@pytest.mark.cell("<feature>")``; the row is their ``cpython``
parameter and the JDK their ``jdk`` parameter. A cell passes when every test in it passed, fails
when any failed (errors in setup or teardown included), and is a skip, with its reason as a
footnote, when every test in it was skipped. Features without a ``cpython`` parameter go to the
per-JDK table.
"""

import datetime
import os
import platform
import time

FEATURES = [
    ("py-to-java", "Py→J", "Python creates; Java attaches, reads, writes; Python sees the writes "
                           "(sizes 1, 4097, 1 MiB, 3 GiB sparse)"),
    ("java-to-py", "J→Py", "Java creates; Python attaches, reads, writes; Java sees the writes "
                           "(same sizes)"),
    ("list-py-to-java", "SL Py→J", "ShareableList made by Python in its own layout, read and "
                                   "written by Java (tricky values)"),
    ("list-java-to-py", "SL J→Py", "ShareableList made by Java in that Python's layout, read and "
                                   "written by Python"),
    ("errors", "errors", "same bad input on both sides: same exception kind and errno"),
    ("lifecycle", "lifecycle", "unlink from either side; resource-tracker behaviour on "
                               "Java-created blocks; workaround"),
    ("permissions", "perms", "0600 block created by this CPython as root: refused to nobody "
                             "(Debian's python3), attached by root's Java; 0666 admits nobody"),
    ("race", "race", "Java and Python racing: same names (one winner each), generated names "
                     "(all unique)"),
]
JDK_FEATURES = [
    ("gateway", "gateway", "ready line, 127.0.0.1 only, token required and never on the command "
                           "line, token file 0600, exit on stdin EOF and on parent exit"),
    ("perms-java", "perms (Java block)", "0600 block created by Java as root refused to nobody (Debian's "
                            "python3); 0666 accepted; nobody cannot unlink it"),
]


class Matrix:
    def __init__(self):
        self.pythons = []  # interop_env.Python
        self.jdks = []  # interop_env.Jdk
        self.cells = {}  # nodeid -> (row, jdk_label, feature)
        self.outcomes = {}  # nodeid -> [outcome, reason]
        self.started = time.monotonic()
        self.problems = []  # session-level failures found outside tests

    def add_item(self, nodeid, row, jdk_label, feature):
        self.cells[nodeid] = (row, jdk_label, feature)

    def record(self, report):
        if report.nodeid not in self.cells:
            return
        entry = self.outcomes.setdefault(report.nodeid, ["passed", None])
        if report.failed:
            entry[0] = "failed"
        elif report.skipped and entry[0] != "failed":
            entry[0] = "skipped"
            longrepr = report.longrepr
            reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
            entry[1] = reason[len("Skipped: "):] if reason.startswith("Skipped: ") else reason

    # -- aggregation

    def _cell(self, row, jdk_label, feature):
        results = [self.outcomes.get(nodeid, ["not run", None])
                   for nodeid, key in self.cells.items() if key == (row, jdk_label, feature)]
        return results

    def counts(self):
        c = {"passed": 0, "failed": 0, "skipped": 0, "not run": 0}
        for nodeid in self.cells:
            c[self.outcomes.get(nodeid, ["not run"])[0]] += 1
        return c

    def render(self):
        notes = []

        def text(results):
            if not results:
                return "–"
            n = len(results)
            failed = sum(1 for o, _ in results if o == "failed")
            passed = sum(1 for o, _ in results if o == "passed")
            skipped = [r for o, r in results if o == "skipped"]
            missing = n - failed - passed - len(skipped)
            if failed:
                return "**FAIL** %d/%d" % (failed, n)
            if missing:
                return "not run %d/%d" % (missing, n)
            marks = ""
            for reason in sorted(set(skipped)):
                if reason not in notes:
                    notes.append(reason)
                marks += "[^%d]" % (notes.index(reason) + 1)
            if not passed:
                return "skip " + marks
            if skipped:
                return "pass %d/%d, skip %s" % (passed, n, marks)
            return "pass %d/%d" % (passed, n)

        lines = []
        header = ["CPython"] + ["%s %s" % (j.label, short) for j in self.jdks
                               for _, short, _ in FEATURES]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        for p in self.pythons:
            row = [p.version] + [text(self._cell(p.version, j.label, f)) for j in self.jdks
                                 for f, _, _ in FEATURES]
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
        lines.append("| JDK | " + " | ".join(short for _, short, _ in JDK_FEATURES) + " |")
        lines.append("|---|" + "---|" * len(JDK_FEATURES))
        for j in self.jdks:
            lines.append("| %s (%s) | " % (j.label, j.version)
                         + " | ".join(text(self._cell(None, j.label, f)) for f, _, _ in JDK_FEATURES)
                         + " |")
        lines.append("")
        lines.append("Cells: `pass n/m` = all m tests of the cell passed; `**FAIL** n/m` = n of m "
                     "failed; `skip` = every test of the cell was skipped, for the reason below.")
        lines.append("")
        for key, short, desc in FEATURES + JDK_FEATURES:
            lines.append("- **%s**: %s." % (short, desc))
        if notes:
            lines.append("")
            for i, reason in enumerate(notes, 1):
                lines.append("[^%d]: %s" % (i, reason))
        return lines

    def markdown(self, exitstatus):
        c = self.counts()
        lines = ["# pyshm interop matrix", ""]
        lines.append("Generated %s by `python-tests` (pytest) on %s, %s; %.0f s; exit status %s."
                     % (datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), platform.node(),
                        platform.platform(), time.monotonic() - self.started, int(exitstatus)))
        lines.append("")
        lines.append("Matrix tests: %d passed, %d failed, %d skipped%s."
                     % (c["passed"], c["failed"], c["skipped"],
                        ", %d not run" % c["not run"] if c["not run"] else ""))
        lines.append("")
        lines.extend(self.render())
        lines.append("")
        lines.append("Interpreters: " + "; ".join("%s `%s`" % (p.version, p.path)
                                                 for p in self.pythons) + ".")
        lines.append("JDKs: " + "; ".join("%s `%s`" % (j.version, j.home) for j in self.jdks) + ".")
        if self.problems:
            lines.append("")
            lines.append("Session problems:")
            lines.extend("- " + p for p in self.problems)
        return "\n".join(lines) + "\n"

    def write(self, path, exitstatus):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.markdown(exitstatus))
