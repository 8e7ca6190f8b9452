"""Each example runs from another directory against the installed package."""

from __future__ import annotations

import subprocess
import sys

from helpers import REPO


def _run(tmp_path, name, *args):
    result = subprocess.run(
        [sys.executable, str(REPO / "examples" / name), *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_custom_query(tmp_path):
    output = _run(tmp_path, "custom_query.py", "project-delivery")
    assert "国家工程实验室验收" in output and "(3 rows)" in output


def test_duty_load(tmp_path):
    lines = _run(tmp_path, "duty_load.py").splitlines()
    assert len(lines) == 8  # the eight member units, 28 duties each
    assert all(line.split()[0] == "28" for line in lines)
    assert any("中国安全防范产品行业协会" in line for line in lines)


def test_render_subgraph(tmp_path):
    output = _run(tmp_path, "render_subgraph.py", "科信局", "sub.html")
    assert "sub.html" in output
    page = (tmp_path / "sub.html").read_text(encoding="utf-8")
    assert "vis.Network" in page and "neighbourhood" in page
