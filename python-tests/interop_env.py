"""What the interop suite runs against: CPython interpreters, JDKs, the pyshm jar, the py4j client.

Nothing here builds anything. Maven builds ``target/pyshm.jar`` (pyshm, JNA and py4j shaded in)
and unpacks py4j's Python client into ``target/py4j-python``; this module finds them.

* Interpreters: ``PYSHM_PYTHONS`` (paths separated by ``:`` or spaces) if set, every one of them
  required to run; else every CPython ``python3.X`` >= 3.8 found, one per minor version:
  pyenv's ``versions/*/bin/python3`` first, then ``python3.X`` on PATH (pyenv shims skipped).
* JDKs: ``PYSHM_JAVA_HOMES`` (same separators) if set; else the running JDK
  (``PYSHM_RUNNING_JAVA_HOME``, which Maven sets, else ``JAVA_HOME``, else ``java`` on PATH)
  plus every JDK >= 17 in /usr/lib/jvm, symlinked duplicates removed.
* ``PYSHM_JAR`` overrides the jar path, ``PYSHM_PY4J_PATH`` the py4j client's zip or directory.
"""

import glob
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TARGET = os.path.join(ROOT, "target")
PEER_SCRIPT = os.path.join(HERE, "peer.py")
PY4J_ZIP = os.path.join(TARGET, "py4j-python", "python", "py4j-src-0.10.9.7.zip")
JVM_DIR = "/usr/lib/jvm"
MIN_PYTHON = (3, 8)
MIN_JDK = 17


class EnvError(Exception):
    """The environment cannot run the suite as asked (a listed interpreter or JDK is broken)."""


def _split(value):
    return [p for p in re.split(r"[:\s]+", value.strip()) if p]


# ---------------------------------------------------------------- CPython


class Python:
    """One interpreter under test."""

    def __init__(self, path, version, implementation):
        self.path = path
        self.version = version  # "3.8.18"
        self.implementation = implementation
        self.minor = tuple(int(x) for x in version.split(".")[:2])

    @property
    def layout(self):
        """The ShareableList layout this interpreter writes and reads."""
        return "PY38" if self.minor < (3, 9) else "PY39"

    def __repr__(self):
        return "Python(%s, %s)" % (self.version, self.path)


_PROBE = "import platform, sys; print(platform.python_version()); print(sys.implementation.name)"


def _probe_python(path):
    try:
        out = subprocess.run([path, "-c", _PROBE], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             timeout=30, check=True).stdout.decode("ascii", "replace").split()
    except (OSError, subprocess.SubprocessError) as exc:
        raise EnvError("cannot run %s: %s" % (path, exc))
    version = re.sub(r"[^0-9.].*$", "", out[0])  # "3.14.0rc1" -> "3.14.0"
    return Python(path, version, out[1])


def _pyenv_candidates():
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    found = []
    for path in glob.glob(os.path.join(root, "versions", "*", "bin", "python3")):
        if re.fullmatch(r"3\.\d+\.\d+", path.split(os.sep)[-3]) and os.access(path, os.X_OK):
            found.append(path)
    return found


def _path_candidates():
    found = []
    for d in os.environ.get("PATH", "").split(os.pathsep):
        if not d or os.path.basename(d.rstrip(os.sep)) == "shims":
            continue  # pyenv's shims run whichever version is selected, not the one named
        for path in glob.glob(os.path.join(d, "python3.*")):
            if re.fullmatch(r"python3\.\d+", os.path.basename(path)) and os.access(path, os.X_OK):
                found.append(path)
    return found


def discover_pythons():
    """The interpreters under test, oldest first; raises EnvError for a broken listed one."""
    listed = os.environ.get("PYSHM_PYTHONS", "").strip()
    if listed:
        pythons = []
        for path in _split(listed):
            p = _probe_python(path)
            if p.implementation != "cpython" or p.minor < MIN_PYTHON:
                raise EnvError("PYSHM_PYTHONS lists %s, which is %s %s; the suite needs CPython "
                               ">= 3.8" % (path, p.implementation, p.version))
            pythons.append(p)
    else:
        by_minor = {}
        for path in _pyenv_candidates() + _path_candidates():
            try:
                p = _probe_python(path)
            except EnvError:
                continue  # a stray, broken interpreter on PATH is not one we were asked for
            if p.implementation != "cpython" or p.minor < MIN_PYTHON:
                continue
            by_minor.setdefault(p.minor, p)  # pyenv first, then PATH
        pythons = list(by_minor.values())
    pythons.sort(key=lambda p: tuple(int(x) for x in p.version.split(".")))
    versions = [p.version for p in pythons]
    if len(set(versions)) != len(versions):
        raise EnvError("two interpreters with the same version: %s" % pythons)
    return pythons


# ---------------------------------------------------------------- JDKs


class Jdk:
    """One JDK under test."""

    def __init__(self, home, version):
        self.home = home
        self.version = version  # "17.0.15"
        self.major = int(version.split(".")[0])
        self.label = "jdk%d" % self.major

    @property
    def java(self):
        return os.path.join(self.home, "bin", "java")

    def __repr__(self):
        return "Jdk(%s, %s)" % (self.version, self.home)


def _jdk_version(home):
    release = os.path.join(home, "release")
    if os.path.exists(release):
        with open(release, encoding="utf-8", errors="replace") as f:
            m = re.search(r'^JAVA_VERSION="([^"]+)"', f.read(), re.M)
        if m:
            return m.group(1)
    try:
        err = subprocess.run([os.path.join(home, "bin", "java"), "-version"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60).stderr
    except (OSError, subprocess.SubprocessError) as exc:
        raise EnvError("cannot run %s/bin/java: %s" % (home, exc))
    m = re.search(rb'version "([^"]+)"', err)
    if not m:
        raise EnvError("cannot tell the version of %s" % home)
    return m.group(1).decode()


def _running_java_home():
    for var in ("PYSHM_RUNNING_JAVA_HOME", "JAVA_HOME"):
        home = os.environ.get(var)
        if home and os.access(os.path.join(home, "bin", "java"), os.X_OK):
            return home
    java = shutil.which("java")
    if java:
        return os.path.dirname(os.path.dirname(os.path.realpath(java)))
    return None


def discover_jdks():
    """The JDKs under test, oldest first; raises EnvError for a broken or too old listed one."""
    listed = os.environ.get("PYSHM_JAVA_HOMES", "").strip()
    homes = _split(listed) if listed else []
    if not listed:
        running = _running_java_home()
        if running:
            homes.append(running)
        homes.extend(sorted(glob.glob(os.path.join(JVM_DIR, "*"))))
    jdks, seen = [], set()
    for home in homes:
        java = os.path.join(home, "bin", "java")
        if not os.access(java, os.X_OK):
            if listed:
                raise EnvError("PYSHM_JAVA_HOMES lists %s, which has no bin/java" % home)
            continue
        real = os.path.realpath(home)
        if real in seen:
            continue
        seen.add(real)
        jdk = Jdk(home, _jdk_version(home))
        if jdk.major < MIN_JDK:
            if listed:
                raise EnvError("PYSHM_JAVA_HOMES lists %s, JDK %s; pyshm needs >= %d"
                               % (home, jdk.version, MIN_JDK))
            continue
        jdks.append(jdk)
    jdks.sort(key=lambda j: [int(x) for x in re.findall(r"\d+", j.version)])
    majors = [j.major for j in jdks]
    for j in jdks:
        if majors.count(j.major) > 1:  # two JDKs of one feature release: tell them apart
            j.label = "jdk%s-%s" % (j.version, os.path.basename(os.path.realpath(j.home)))
    return jdks


# ---------------------------------------------------------------- artefacts


def pyshm_jar():
    jar = os.environ.get("PYSHM_JAR") or os.path.join(TARGET, "pyshm.jar")
    if not os.path.exists(jar):
        raise EnvError("%s is missing: build it first (mvn -B -DskipTests package); the suite "
                       "builds nothing itself" % jar)
    return jar


def import_py4j():
    """Imports py4j: an installed one if importable, else the copy Maven unpacked."""
    try:
        import py4j  # noqa: F401
        return "installed (%s)" % os.path.dirname(py4j.__file__)
    except ImportError:
        pass
    path = os.environ.get("PYSHM_PY4J_PATH") or PY4J_ZIP
    if not os.path.exists(path):
        raise EnvError("py4j is not importable and %s is missing: run mvn -B generate-test-resources "
                       "(the pyshm-interop profile unpacks it from zeppelin-python)" % path)
    sys.path.insert(0, path)
    import py4j  # noqa: F401,F811
    return path


def nobody_python():
    """((runuser, python), reason): how to run Debian's python3 as nobody for the permission
    tests, or (None, why not)."""
    if os.geteuid() != 0:
        return None, "needs root (a block created by root, attached as nobody)"
    runuser = shutil.which("runuser") or shutil.which("runuser", path="/usr/sbin:/sbin")
    if not runuser:
        return None, "no runuser"
    python = "/usr/bin/python3"
    if not os.access(python, os.X_OK):
        return None, "no %s (Debian's python3, runnable by nobody)" % python
    try:
        import pwd
        pwd.getpwnam("nobody")
    except KeyError:
        return None, "no user nobody"
    return (runuser, python), None
