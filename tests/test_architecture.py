"""The package keeps its layers: import contracts hold (and fail when broken), no module imports
a sibling inside a function to dodge a cycle, Oxigraph's internals stay in one module, and library
errors name no command-line option."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO

SOURCE = REPO / "src" / "orggraph"
CONFIG = REPO / "pyproject.toml"


def _lint_imports(package_parent: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if package_parent is not None:  # a mutated copy of the package, found before the installed one
        env["PYTHONPATH"] = str(package_parent)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports_command; lint_imports_command()",
            "--no-cache",
            "--no-logo",
            str(CONFIG),
        ],
        cwd=package_parent or REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_import_contracts_hold():
    result = _lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "statement", "broken"),
    [
        ("store/backends.py", "import click", "click only in the command line"),
        ("network/views.py", "import orggraph.extract.rules", "Layers"),
        ("graph/results.py", "import orggraph.network.views", "Layers"),
        ("store/sparql.py", "import orggraph.cli", "Layers"),
        ("graph/resolution.py", "import pyoxigraph", "pyoxigraph and oxrdflib only"),
        ("text/tables.py", "import rdflib", "No rdflib below the RDF layer"),
        ("graph/quick.py", "import orggraph.graph.results", "The quick path never imports rdflib"),
        ("store/oxigraph.py", "import orggraph.store.sparql", "No import cycles"),
    ],
)
def test_breaking_a_contract_fails(tmp_path, module, statement, broken):
    copy = tmp_path / "orggraph"
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / module
    text = target.read_text(encoding="utf-8")
    # after the module docstring and the __future__ import, where any import may stand
    anchor = "from __future__ import annotations\n"
    target.write_text(text.replace(anchor, anchor + statement + "\n", 1), encoding="utf-8")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0, result.stdout
    assert re.search(re.escape(broken) + r"[^\n]*\n?[^\n]*BROKEN", result.stdout), result.stdout


def _library_modules() -> list[Path]:
    return [p for p in SOURCE.rglob("*.py") if "cli" not in p.relative_to(SOURCE).parts]


def test_no_module_imports_its_siblings_inside_a_function():
    # only the CLI defers imports of the library (it brings rdflib, which --help never needs)
    found = []
    for path in _library_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.ImportFrom) and (
                        inner.level or (inner.module or "").startswith("orggraph")
                    ):
                        found.append(f"{path.relative_to(SOURCE)}:{inner.lineno}")
    assert not found, found


def test_only_the_oxigraph_module_reads_oxrdflib_internals():
    found = [
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.py")
        if path.name != "oxigraph.py" and re.search(r"\._inner\b|\._store\b|\"_inner\"|\"_store\"", path.read_text())
    ]
    assert not found, found


def test_pyoxigraph_oxrdflib_and_click_are_named_only_in_their_modules():
    for path in SOURCE.rglob("*.py"):
        code = path.read_text(encoding="utf-8")
        imports = re.findall(r"^\s*(?:from|import) (\w+)", code, flags=re.M)
        relative = path.relative_to(SOURCE).as_posix()
        if {"pyoxigraph", "oxrdflib"} & set(imports):
            assert relative in ("store/oxigraph.py", "store/oxigraph_direct.py"), relative
        if "click" in imports:
            assert relative.startswith("cli/"), relative


def test_library_error_messages_name_no_command_line_option():
    found = []
    for path in _library_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and node.exc is not None:
                for constant in ast.walk(node.exc):
                    text = constant.value if isinstance(constant, ast.Constant) else None
                    if isinstance(text, str) and re.search(r"(?<![\w-])--[a-z]", text):
                        found.append(f"{path.relative_to(SOURCE)}:{node.lineno}: {text}")
    assert not found, found


def test_test_modules_have_unique_names():
    # the test folders are not packages, so two test files with one name cannot both be collected
    names = [path.name for path in (REPO / "tests").rglob("test_*.py")]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def test_every_file_the_package_reads_is_tracked():
    # a file git ignores is missing from a clean clone and from the wheel built from it
    import subprocess

    tracked = set(subprocess.run(["git", "ls-files", "src"], cwd=REPO, capture_output=True, text=True).stdout.split())
    if not tracked:
        return  # not a git checkout (an unpacked sdist): nothing to compare
    data = [
        p
        for p in (REPO / "src" / "orggraph").rglob("*")
        if p.is_file() and p.suffix in (".html", ".rq", ".txt", ".tsv")
    ]
    missing = [str(p.relative_to(REPO)) for p in data if str(p.relative_to(REPO)) not in tracked]
    assert not missing, missing
