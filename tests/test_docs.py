"""Docstring examples run, and the README shows what it promises."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO, need, shared_folder

import orggraph

MODULES = sorted(m.name for m in pkgutil.walk_packages(orggraph.__path__, "orggraph.") if m.name != "orggraph.__main__")


@pytest.mark.parametrize("name", ["orggraph", *MODULES])
def test_docstring_examples(name):
    module = importlib.import_module(name)
    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert failures == 0


@pytest.mark.parametrize("name", ["orggraph", *MODULES])
def test_public_functions_have_docstrings(name):
    module = importlib.import_module(name)
    for attribute in getattr(module, "__all__", []):
        value = getattr(module, attribute)
        if callable(value) and not isinstance(value, type(re)):
            assert value.__doc__, f"{name}.{attribute} has no docstring"


def test_readme_documents_setup_exit_codes_and_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "pip install" in readme and "pytest" in readme
    for code in ("0", "1", "2", "3"):
        assert re.search(rf"\|\s*{code}\s*\|", readme), f"exit code {code} is not documented"
    from orggraph.cli import cli

    for command in cli.commands:
        assert f"orggraph {command}" in readme, f"the README does not show `orggraph {command}`"


def _shown_commands(page: Path) -> list[str]:
    """The shell lines of a page's ``sh`` blocks that run orggraph or a script, without comments."""
    blocks = re.findall(r"```sh\n(.*?)```", page.read_text(encoding="utf-8"), flags=re.S)
    lines = [re.sub(r"\s{2,}#.*$", "", line).strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line.startswith(("orggraph ", "python "))]


def test_every_command_the_readme_shows_runs_as_shown(tmp_path):
    shared = shared_folder()
    need(shared.is_dir(), f"{shared} is missing (set ORGGRAPH_SHARED)")
    # a checkout beside shared/, as the README assumes: data/ from the repository, ../shared/ beside it
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    (checkout / "data").symlink_to(REPO / "data")
    (checkout / "benchmarks").symlink_to(REPO / "benchmarks")
    (checkout / "tests").symlink_to(REPO / "tests")
    (tmp_path / "shared").symlink_to(shared.resolve())
    commands = _shown_commands(REPO / "README.md")
    assert len(commands) >= 12
    for command in commands:
        if command.startswith("python "):
            command = f"{shlex.quote(sys.executable)} {command[len('python ') :]}"
        result = subprocess.run(command, shell=True, cwd=checkout, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, f"{command}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"


def test_readme_is_a_front_door_and_the_docs_it_links_exist():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.encode("utf-8")) < 10_000
    for link in re.findall(r"\]\(([^)#]+)\)", readme):
        assert (REPO / link).is_file(), link
    cli_page = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    from orggraph.cli import cli

    for command in cli.commands:
        assert f"orggraph {command}" in cli_page, f"docs/cli.md does not show `orggraph {command}`"


def test_every_test_the_security_table_names_exists():
    table = (REPO / "SECURITY.md").read_text(encoding="utf-8")
    named = re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", table)
    assert len(named) >= 15
    for path, test in named:
        assert f"def {test}(" in (REPO / path).read_text(encoding="utf-8"), f"{path}::{test}"
