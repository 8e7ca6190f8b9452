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
    # the 2019 laboratory acceptance, and project deliveries of 2011, 2019 and 2023 across the corpus
    assert "国家工程实验室验收" in output and "(8 rows)" in output and "2011" in output and "2023" in output


def test_duty_load(tmp_path):
    lines = _run(tmp_path, "duty_load.py").splitlines()
    # the eight member units of the 2019 joint meeting carry its 28 duties each; CSPIA 3 more of 2023
    loads = {line.split()[1]: int(line.split()[0]) for line in lines}
    assert loads["中国安全防范产品行业协会"] == 31 and lines[0].split()[1] == "中国安全防范产品行业协会"
    assert sorted(loads.values(), reverse=True)[1:8] == [28] * 7
    assert loads["第三次全国经济普查领导小组办公室"] == 5  # the census office's five duties (gold)


def test_render_subgraph(tmp_path):
    output = _run(tmp_path, "render_subgraph.py", "科信局", "sub.html")
    assert "sub.html" in output
    page = (tmp_path / "sub.html").read_text(encoding="utf-8")
    assert "vis.Network" in page and "neighbourhood" in page
