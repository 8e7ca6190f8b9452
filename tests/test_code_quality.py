"""The code stays ruff-clean and type-checks (the project's own rules, checked like behaviour)."""

from __future__ import annotations

import shutil
import subprocess
import sys

from helpers import REPO, need


def test_ruff_is_clean():
    need(shutil.which("ruff") is not None, "ruff is not installed (pip install '.[test]')")
    result = subprocess.run(
        ["ruff", "check", "src", "tests", "examples", "benchmarks"], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_mypy_is_clean():
    need(shutil.which("mypy") is not None, "mypy is not installed (pip install '.[test]')")
    result = subprocess.run([sys.executable, "-m", "mypy", "src/orggraph"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
