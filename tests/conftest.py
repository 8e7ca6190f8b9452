"""Fixtures shared by every test folder; helpers (paths, need, Listener, Virtuoso) live in helpers.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import Virtuoso, chromium_path, need, shared_folder

MARKERS_BY_FIXTURE = {"virtuoso": "virtuoso", "browser": "browser"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that start Virtuoso or Chromium carry its marker, so ``-m "not virtuoso and not browser"``
    gives a fast local loop (CI runs everything)."""
    for item in items:
        for fixture, marker in MARKERS_BY_FIXTURE.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(marker)


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
    folder = shared_folder() / "corpus"
    need(folder.is_dir(), f"the corpus folder {folder} is missing (set ORGGRAPH_SHARED)")
    return folder


@pytest.fixture(scope="session")
def seed_document(corpus_dir: Path) -> Path:
    path = corpus_dir / "2019-02-21-security-industry-joint-meeting.txt"
    need(path.is_file(), f"{path} is missing")
    return path


@pytest.fixture(scope="session")
def gold_file() -> Path:
    path = shared_folder() / "gold" / "seed-2019-02-21.yaml"
    need(path.is_file(), f"the gold annotation {path} is missing (set ORGGRAPH_SHARED)")
    return path


@pytest.fixture(scope="session")
def bundled():
    """The bundled graph, loaded once (tests must not modify it)."""
    import orggraph

    return orggraph.load_graph()


@pytest.fixture(scope="session")
def seed_graph():
    """The curated seed graph alone (with the ontology): what its own gold annotation describes."""
    import orggraph
    from orggraph.resources import data_files

    return orggraph.load_graph([p for p in data_files() if p.name.startswith("seed-")])


@pytest.fixture
def tmp_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty directory away from the checkout."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A Virtuoso server on 127.0.0.1 with a throw-away database, stopped after the session."""
    need(Virtuoso.available(), "Virtuoso is not installed (apt-get install virtuoso-opensource)")
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    need(executable is not None, "Chromium is not installed (apt-get install chromium fonts-wqy-microhei)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "playwright is not installed (pip install '.[test]')")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def corpus_copy(tmp_path_factory) -> Path:
    """A copy of the shared corpus that a test may build from (the shared folder is read-only)."""
    import shutil

    folder = shared_folder() / "corpus"
    need(folder.is_dir(), f"{folder} is missing (set ORGGRAPH_SHARED)")
    copy = tmp_path_factory.mktemp("corpus")
    for path in folder.glob("*.txt"):
        shutil.copy(path, copy / path.name)
    return copy
