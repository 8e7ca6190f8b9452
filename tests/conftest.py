"""Shared fixtures. Tests run against the *installed* orggraph (see README: `pip install '.[test]'`)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TEST_DATA = Path(__file__).resolve().parent / "data"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def need(condition: bool, reason: str) -> None:
    """Skip on a developer machine, fail in CI: a missing prerequisite never passes silently there."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this must not be skipped)")
    pytest.skip(reason)


def _shared() -> Path:
    return Path(os.environ.get("ORGGRAPH_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session", autouse=True)
def own_cache_folder(tmp_path_factory):
    """The tests' commands and library calls cache into a folder of their own, never ~/.cache."""
    folder = tmp_path_factory.mktemp("cache")
    previous = os.environ.get("ORGGRAPH_CACHE_DIR")
    os.environ["ORGGRAPH_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("ORGGRAPH_CACHE_DIR", None)
    else:
        os.environ["ORGGRAPH_CACHE_DIR"] = previous


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    folder = _shared() / "corpus"
    need(folder.is_dir(), f"the corpus folder {folder} is missing (set ORGGRAPH_SHARED)")
    return folder


@pytest.fixture(scope="session")
def seed_document(corpus_dir: Path) -> Path:
    path = corpus_dir / "2019-02-21-security-industry-joint-meeting.txt"
    need(path.is_file(), f"{path} is missing")
    return path


@pytest.fixture(scope="session")
def gold_file() -> Path:
    path = _shared() / "gold" / "seed-2019-02-21.yaml"
    need(path.is_file(), f"the gold annotation {path} is missing (set ORGGRAPH_SHARED)")
    return path


@pytest.fixture(scope="session")
def bundled():
    """The bundled graph, loaded once (tests must not modify it)."""
    import orggraph

    return orggraph.load_graph()


@pytest.fixture
def tmp_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty directory away from the checkout."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


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


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A Virtuoso server on 127.0.0.1 with a throw-away database, stopped after the session."""
    from virtuoso import Virtuoso

    need(Virtuoso.available(), "Virtuoso is not installed (apt-get install virtuoso-opensource)")
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    server.start()
    yield server
    server.stop()
