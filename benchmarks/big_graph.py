"""`orggraph render` and `orggraph extract` against a big store, timed as a user runs them.

A generated graph of N organisations (default 100,000; see generate.py) is loaded into an
on-disk Oxigraph store. Then, through the installed ``orggraph`` command (process start
included):

* render: pages around one organisation at growing ``--depth``, up to about 10,000 nodes
  (the visualisation issue's scale: built in seconds, drawn by Chromium in under 4 s), each
  drawn in headless Chromium when it is installed; and a render of the whole graph, which
  must stop at once with the ``--max-nodes`` message rather than build a page nobody can use;
* extract: the seed document repeated as 50 and 500 separate files, with the big graph's
  organisation names recognised (``--store``) and matched to IRIs (``--format trig``), against
  the same extraction without a store (throughput target: at least 100 kB/s). Each is run
  twice: the first run reads the names from the store, the next finds them in the cache
  (orggraph.store.cache), as every run does until the store changes.

Run:  python benchmarks/big_graph.py [ORGANISATIONS]
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = HERE.parents[1] / "shared" / "corpus" / "2019-02-21-security-industry-joint-meeting.txt"
CENTRE = "单位000001"


CACHE = Path(tempfile.mkdtemp()) / "cache"  # the runs' own, never the user's cache


def timed(*arguments: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    environment = {**os.environ, "ORGGRAPH_CACHE_DIR": str(CACHE)}
    done = subprocess.run(["orggraph", *arguments], capture_output=True, text=True, env=environment)
    return time.perf_counter() - start, done


def main(size: int) -> None:
    sys.path.insert(0, str(HERE))
    from generate import generate
    from render_scale import draw_seconds

    from orggraph.store.loading import load_files

    folder = Path(tempfile.mkdtemp())
    data = folder / f"orgs-{size}.nt"
    statements = generate(size, data)
    store = f"oxigraph:{folder / 'db'}"
    load_files(store, [data])
    print(
        f"# big-graph benchmark — {platform.machine()}, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}: {size:,} organisations, {statements:,} statements, on-disk Oxigraph\n"
    )

    browser = None
    if shutil.which("chromium"):
        from playwright.sync_api import sync_playwright

        browser = (
            sync_playwright()
            .start()
            .chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu"])
        )
    print(f"| `orggraph render --store … --focus {CENTRE}` | nodes | edges | command s | Chromium draw s |")
    print("|---|---|---|---|---|")
    for options in (["--depth", "2"], ["--depth", "3"], ["--depth", "4"], ["--depth", "4", "--max-nodes", "0"]):
        page = folder / "page.html"
        page.unlink(missing_ok=True)
        seconds, done = timed("render", "--store", store, "--focus", CENTRE, *options, "-o", str(page))
        shown = " ".join(options)
        if done.returncode != 0:
            print(f"| `{shown}` | – | – | {seconds:.1f} | exit {done.returncode}: {done.stderr.strip()} |")
            continue
        counts = done.stderr.split("(")[-1].split()
        draw = f"{draw_seconds(browser, page):.2f}" if browser is not None else "–"
        print(f"| `{shown}` | {counts[0]} | {counts[2]} | {seconds:.1f} | {draw} |")
        sys.stdout.flush()
    seconds, done = timed("render", "--store", store, "-o", str(folder / "all.html"))
    print(f"| no `--focus` (the whole graph) | – | – | {seconds:.1f} | exit {done.returncode}: {done.stderr.strip()} |")

    text = SEED.read_text(encoding="utf-8")
    print("\n| `orggraph extract` | documents | kB | first run s | kB/s | next run s | kB/s |")
    print("|---|---|---|---|---|---|---|")
    for copies in (50, 500):
        documents = folder / f"documents-{copies}"
        documents.mkdir()
        for number in range(copies):
            (documents / f"copy-{number:03d}.txt").write_text(text, encoding="utf-8")
        files = sorted(str(path) for path in documents.iterdir())
        size_kb = len(text.encode("utf-8")) * copies / 1024
        for label, options in (
            ("without a store", []),
            (f"`--store` ({size:,} organisations' names known)", ["--store", store]),
            ("`--store --format trig` (names matched to IRIs)", ["--store", store, "--format", "trig"]),
        ):
            # the first run reads the store's names, the next finds them in the cache (see orggraph.store.cache)
            shutil.rmtree(CACHE, ignore_errors=True)
            runs = [timed("extract", *options, *files, "-o", str(folder / "out")) for _ in range(2)]
            for _, done in runs:
                assert done.returncode == 0, done.stderr
            shown = " | ".join(f"{seconds:.1f} | {size_kb / seconds:.0f}" for seconds, _ in runs)
            print(f"| {label} | {copies} | {size_kb:,.0f} | {shown} |")
            sys.stdout.flush()
    shutil.rmtree(folder)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
