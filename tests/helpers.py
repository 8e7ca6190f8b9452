"""What tests share: paths, the skip-locally-fail-in-CI rule, a connection listener, and a throw-away
Virtuoso server. Tests run against the *installed* orggraph (see README: `pip install '.[test]'`)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TEST_DATA = Path(__file__).resolve().parent / "data"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# parameters for each named query that give rows on the bundled graph (every query needs one)
NAMED_QUERY_SAMPLES = {
    "org-chart": {"org": "公安部"},
    "duties-of": {"org": "中安协"},
    "responsible-for": {"topic": "标准化"},
    "evidence": {"of": "中安协"},
    "organisations": {},
    "attendees": {},
    "meetings": {"org": "中安协"},
    "timeline": {"org": "中安协"},
    "duties": {"org": "中安协", "year": 2019},
    "duty-carriers": {"year": 2023},
    "merges": {},
    "people": {},
    "reviews": {},
}


def need(condition: bool, reason: str) -> None:
    """Skip on a developer machine, fail in CI: a missing prerequisite never passes silently there."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this must not be skipped)")
    pytest.skip(reason)


def shared_folder() -> Path:
    """The read-only material beside the checkout (corpus, gold, conformance); $ORGGRAPH_SHARED overrides."""
    return Path(os.environ.get("ORGGRAPH_SHARED", REPO.parent / "shared"))


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Listener:
    """A local TCP listener that records connection attempts."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(5)
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop:
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def __enter__(self) -> Listener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.stop = True
        self.thread.join()
        self.server.close()


INI = """[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = {sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {db}, /usr/share/virtuoso-opensource-7/vad
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 0
DefaultQuery = select * where {{ ?s ?p ?o }} limit 10
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Virtuoso:
    """Start with :meth:`start`, stop with :meth:`stop`; ``endpoint`` is its SPARQL URL."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.sql_port = _free_port()
        self.http_port = _free_port()
        self.endpoint = f"http://127.0.0.1:{self.http_port}/sparql"
        self.process: subprocess.Popen[bytes] | None = None

    @staticmethod
    def available() -> bool:
        return shutil.which("virtuoso-t") is not None and shutil.which("isql-vt") is not None

    def start(self, timeout: float = 60) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        ini = self.folder / "virtuoso.ini"
        ini.write_text(INI.format(db=self.folder, sql_port=self.sql_port, http_port=self.http_port), encoding="utf-8")
        self.process = subprocess.Popen(
            ["virtuoso-t", "-f", "-c", str(ini)], cwd=self.folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"virtuoso-t exited: {(self.folder / 'virtuoso.log').read_text(errors='replace')[-2000:]}"
                )
            try:
                query = urllib.parse.urlencode({"query": "ASK { }"}).encode()
                with urllib.request.urlopen(urllib.request.Request(self.endpoint, data=query), timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        else:
            self.stop()
            raise RuntimeError("Virtuoso did not answer in time")
        # the anonymous SPARQL user may update (only on this throw-away database)
        self.isql('GRANT SPARQL_UPDATE TO "SPARQL";')

    def isql(self, statement: str) -> str:
        result = subprocess.run(
            ["isql-vt", str(self.sql_port), "dba", "dba", f"exec={statement}"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if result.returncode != 0:
            raise RuntimeError(result.stdout + result.stderr)
        return result.stdout

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


@contextlib.contextmanager
def watchdog(seconds: int, what: str):
    """Fail (not hang) when the block runs far past what linear work needs: a guard against
    quadratic blow-ups, with a margin of ten times or more, not a measurement."""
    import signal

    def expire(signum, frame):
        raise AssertionError(f"{what} still running after {seconds} s: a blow-up, not a slow machine")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def turtle_prefixes() -> str:
    """``@prefix`` lines for orggraph's own prefixes (og, org, skos, …), and ``:`` for example.org,
    to open test data written in Turtle."""
    from orggraph.namespaces import PREFIXES

    lines = [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in PREFIXES.items()]
    return "\n".join([*lines, "@prefix : <https://example.org/> .", ""])


def app_only_page(browser, site: str, height: int = 800):
    """A page in a new Chromium context that may fetch from ``site`` alone, and the lists the
    requests it refused and the script errors it met are collected in: (context, page, outside, errors)."""
    outside: list[str] = []
    errors: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": height})

    def only_the_app(route) -> None:
        if route.request.url.startswith(site) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_app)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, outside, errors


@contextlib.contextmanager
def running(*options: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`orggraph serve --port 0 OPTIONS` in a process of its own, and its URL once it listens."""
    command = [sys.executable, "-m", "orggraph", "serve", "--port", "0", *options]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        found = re.search(r"Serving on (http://\S+/) ", line)
        assert found, line + process.stderr.read()
        yield found.group(1), process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
