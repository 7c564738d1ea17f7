"""pytest wiring of the pyshm interop suite (see interop_env for what it runs against).

Builds nothing: it needs ``target/pyshm.jar`` and py4j's Python client (``mvn -B verify`` makes
both before it runs this suite in the integration-test phase). One gateway JVM per JDK serves the
whole session; one pooled ``peer.py`` per interpreter serves every test that does not end its
peer; tests that observe a peer's exit spawn their own.

At the end the matrix (CPython x JDK x feature) is printed and written to
``target/interop-matrix.md``. The run fails when a matrix test fails, when no matrix test passed
(every peer skipped), when a pooled peer's resource tracker complained at exit, or when a
gateway JVM had to clean up a block a test forgot.
"""

import os
import shutil
import tempfile

import pytest

import interop_env as env
from interop_matrix import Matrix
from interop_names import MADE, remember
from interop_procs import Gateway, Peer, shm_exists

MATRIX = Matrix()
MATRIX_FILE = os.path.join(env.TARGET, "interop-matrix.md")
_asked = {"cpython": False, "jdk": False}


def pytest_configure(config):
    try:
        MATRIX.pythons = env.discover_pythons()
        MATRIX.jdks = env.discover_jdks()
    except env.EnvError as exc:
        raise pytest.UsageError("pyshm interop: %s" % exc)


def pytest_report_header(config):
    return ["pyshm interop: CPython %s; JDK %s" % (
        ", ".join(p.version for p in MATRIX.pythons) or "none",
        ", ".join(j.version for j in MATRIX.jdks) or "none")]


def pytest_generate_tests(metafunc):
    if "cpython" in metafunc.fixturenames:
        _asked["cpython"] = True
        metafunc.parametrize("cpython", MATRIX.pythons, ids=[p.version for p in MATRIX.pythons],
                             scope="session")
    if "jdk" in metafunc.fixturenames:
        _asked["jdk"] = True
        metafunc.parametrize("jdk", MATRIX.jdks, ids=[j.label for j in MATRIX.jdks],
                             scope="session")


def pytest_collection_finish(session):
    for item in session.items:  # after -k/-m deselection: only what will run
        marker = item.get_closest_marker("cell")
        params = getattr(item, "callspec", None)
        if marker is None or params is None or "jdk" not in params.params:
            continue
        cpython = params.params.get("cpython")
        MATRIX.add_item(item.nodeid, cpython.version if cpython else None,
                        params.params["jdk"].label, marker.args[0])


GATEWAY_OUTCOMES = []


def pytest_runtest_logreport(report):
    MATRIX.record(report)
    if report.nodeid.startswith("test_gateway.py") or "/test_gateway.py" in report.nodeid:
        if report.when == "call" or report.outcome != "passed":
            GATEWAY_OUTCOMES.append(report.outcome)


def _record_gateway_reliability_row():
    """The gateway's abuse checks feed RELIABILITY.md (rendered by reliability_report.py)."""
    if len(GATEWAY_OUTCOMES) < 6 or any(o != "passed" for o in GATEWAY_OUTCOMES):
        return
    import reliability_report
    target = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "target", "reliability")
    reliability_report.write_row(target, {
        "id": "7d", "scenario": "Abuse: Py4J gateway",
        "done": "gateway per JDK: listening sockets read from /proc/PID/net; raw unauthenticated call, wrong token,"
                " no token; token searched in /proc cmdline and environ; token file mode; parent SIGKILLed with"
                " the gateway's stdin still open",
        "times": "%d checks x %d JDKs" % (len(GATEWAY_OUTCOMES) // max(1, len(MATRIX.jdks)), len(MATRIX.jdks)),
        "result": "127.0.0.1 only; every connection without the token refused; token never on the command line"
                  " or in the environment; token file 0600 and removed at exit; gateway exits when its parent dies",
        "lost": "nothing", "runtime": "pytest, " + " and ".join(j.label for j in MATRIX.jdks)})


def pytest_sessionfinish(session, exitstatus):
    if _asked["cpython"] and not MATRIX.pythons:
        MATRIX.problems.append("no CPython >= 3.8 found (set PYSHM_PYTHONS or install some)")
    if _asked["jdk"] and not MATRIX.jdks:
        MATRIX.problems.append("no JDK >= 17 found (set PYSHM_JAVA_HOMES)")
    if MATRIX.cells and not MATRIX.counts()["passed"]:
        MATRIX.problems.append("no interop test passed: every peer was skipped")
    if MATRIX.problems and session.exitstatus == 0:
        session.exitstatus = 1
    if MATRIX.cells:
        MATRIX.write(MATRIX_FILE, session.exitstatus)
    if session.exitstatus == 0:
        _record_gateway_reliability_row()


def pytest_terminal_summary(terminalreporter):
    if not MATRIX.cells and not MATRIX.problems:
        return
    tr = terminalreporter
    tr.section("pyshm interop matrix")
    c = MATRIX.counts()
    tr.write_line("matrix tests: %d passed, %d failed, %d skipped" % (
        c["passed"], c["failed"], c["skipped"]))
    for line in MATRIX.render():
        tr.write_line(line)
    for problem in MATRIX.problems:
        tr.write_line("PROBLEM: " + problem, red=True)
    if MATRIX.cells:
        tr.write_line("written to %s" % MATRIX_FILE)


# ---------------------------------------------------------------- hygiene


@pytest.fixture(autouse=True)
def no_leftovers():
    """Every block a test made must be gone when it ends; leftovers are removed and fail it."""
    before = set(MADE)
    yield
    left = sorted(n for n in MADE - before if shm_exists(n))
    for name in left:
        try:
            os.unlink("/dev/shm/" + name)
        except FileNotFoundError:
            pass
    assert not left, "test left /dev/shm entries behind: %s" % left


# ---------------------------------------------------------------- processes


@pytest.fixture(scope="session")
def jar():
    try:
        return env.pyshm_jar()
    except env.EnvError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def py4j_client():
    try:
        return env.import_py4j()
    except env.EnvError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def gateway(jdk, jar, py4j_client):
    """The session's gateway JVM on this JDK."""
    gw = Gateway(jdk, jar)
    assert gw.info["java_version"] == gw.ready["java_version"]
    yield gw
    status = gw.stop()
    text = gw.stderr(wait=True)
    if status != 0:
        MATRIX.problems.append("gateway on %s exited %s:\n%s" % (jdk.label, status, text))
    if "unlinked leaked shared memory block" in text:
        MATRIX.problems.append("a test left Java-created blocks for the %s gateway's tracker:\n%s"
                               % (jdk.label, text))


@pytest.fixture
def gw(gateway):
    return gateway


@pytest.fixture(scope="session")
def peer_pool():
    """One long-lived peer per interpreter. Tests keep their resource trackers balanced (what a
    pooled peer attaches and only closes it unregisters), so at exit the trackers must be silent."""
    peers = {}

    def get(cpython):
        if cpython.path not in peers:
            peers[cpython.path] = Peer(cpython.path, on_name=remember)
            assert peers[cpython.path].version == cpython.version
        return peers[cpython.path]

    yield get
    for path, p in peers.items():
        status = p.finish()
        text = p.stderr(wait=True)
        if status != 0 or text.strip():
            MATRIX.problems.append("pooled peer %s exited %s; stderr:\n%s" % (path, status, text))


@pytest.fixture
def peer(peer_pool, cpython):
    return peer_pool(cpython)


@pytest.fixture
def spawn(cpython):
    """Fresh peers of this interpreter for tests that end them; killed at teardown."""
    started = []

    def make():
        started.append(Peer(cpython.path, on_name=remember))
        return started[-1]

    yield make
    for p in started:
        p.kill()


@pytest.fixture(scope="session")
def nobody_dir():
    """A copy of peer.py that the user nobody can read (neither the worktree nor pytest's
    tmp_path, both under 0700 directories, may be)."""
    how, reason = env.nobody_python()
    if how is None:
        pytest.skip("permission tests: " + reason)
    runuser, python = how
    d = tempfile.mkdtemp(prefix="pyshm-nobody-peer-")
    try:
        os.chmod(d, 0o755)
        script = os.path.join(d, "peer.py")
        shutil.copyfile(env.PEER_SCRIPT, script)
        os.chmod(script, 0o644)
        yield runuser, python, script, d
    finally:
        shutil.rmtree(d)


@pytest.fixture(scope="session")
def nobody_peer(nobody_dir):
    """One peer.py run by Debian's python3 as the user nobody."""
    runuser, python, script, cwd = nobody_dir
    p = Peer(python, script=script, prefix=[runuser, "-u", "nobody", "--"], cwd=cwd,
             env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}, on_name=remember)
    assert p.ok("ping")["pid"] != os.getpid()
    yield p
    status = p.finish()
    text = p.stderr(wait=True)
    if status != 0 or text.strip():
        MATRIX.problems.append("nobody peer exited %s; stderr:\n%s" % (status, text))
