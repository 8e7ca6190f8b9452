"""The wheel carries the ontology, shapes, data, named queries and templates, and works when
installed (non-editable) and run from another directory."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from helpers import REPO

import orggraph


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return next(out.glob("orggraph-*.whl"))


@pytest.mark.slow
def test_wheel_contents(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "orggraph/py.typed",
        "orggraph/_bundled/ontology/orggraph.ttl",
        "orggraph/_bundled/ontology/schemes.ttl",
        "orggraph/_bundled/ontology/shapes.ttl",
        "orggraph/_bundled/data/seed-2019-02-21.ttl",
        "orggraph/graph/queries/duties-of.rq",
        "orggraph/network/templates/graph.html",
    }
    assert expected <= names, expected - names


@pytest.mark.slow
def test_installed_wheel_works_from_another_directory(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    probe = (
        "import orggraph, orggraph.resources as r; "
        "print(orggraph.__file__); print(r.shapes_file()); print(len(orggraph.load_graph()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=elsewhere, env=env, capture_output=True, text=True, check=True
    )
    module_file, shapes, triples = result.stdout.split()
    assert module_file.startswith(str(target)) and shapes.startswith(str(target))
    assert int(triples) > 1500
    result = subprocess.run(
        [sys.executable, "-m", "orggraph", "run", "duties-of", "-p", "org", "中安协", "--format", "csv"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert len(result.stdout.strip().splitlines()) == 32  # a header and 31 duties (2019 and 2023)


def test_tests_use_the_installed_package_in_ci():
    # The README's test command installs orggraph non-editably; the tests then exercise that install.
    if os.environ.get("CI", "").lower() == "true":
        assert not Path(orggraph.__file__).resolve().is_relative_to(REPO / "src")
