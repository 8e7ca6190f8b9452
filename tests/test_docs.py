"""Docstring examples run, and the README shows what it promises."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re

import pytest
from helpers import REPO

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
