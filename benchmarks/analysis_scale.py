"""Timeline and responsibility matrix over a big store, against raw pyoxigraph in the same run.

A generated graph of N organisations (default 100,000; nine years of meetings and duties, see
generate.py) is loaded into an on-disk Oxigraph store. Then, warm (the store open, as in a
notebook or a server):

* ``orggraph.timeline`` for one organisation, against the same ``timeline.rq`` text run by
  pyoxigraph itself with the organisation written into it, rows read out as Python values
  (the corpus issue's targets: under 100 ms, and at most 1.5× the raw query);
* ``orggraph.matrix`` over the whole store, by organisation × category and type × year
  (target: under 10 s); then the duties behind every cell, which only json and html show;
  then ``orggraph matrix --format csv|table`` as whole processes.

Medians of 5 runs. Run:  python benchmarks/analysis_scale.py [ORGANISATIONS]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CENTRE = "https://w3id.org/orggraph/id/bench-org-1"


def median_seconds(action, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(size: int) -> None:
    sys.path.insert(0, str(HERE))
    from generate import generate

    import orggraph
    from orggraph.graph.named_queries import get_named_query
    from orggraph.namespaces import PREFIXES
    from orggraph.store.backends import open_graph
    from orggraph.store.loading import load_files

    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch) / "big.nt"
        statements = generate(size, data)
        spec = f"oxigraph:{Path(scratch) / 'db'}"
        start = time.perf_counter()
        load_files(spec, [data])
        print(f"{size} organisations, {statements} statements, loaded in {time.perf_counter() - start:.1f} s")
        graph = open_graph(spec)
        native = graph.store._inner  # the pyoxigraph.Store behind the rdflib Dataset

        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
        text = get_named_query("timeline").text.replace("?org", f"<{CENTRE}>")
        raw_query = prologue + text

        def raw() -> list[tuple[object, ...]]:
            solutions = native.query(raw_query, use_default_graph_as_union=True)
            return [tuple(None if t is None else t.value for t in s) for s in solutions]

        rows = raw()
        years = orggraph.timeline(graph, CENTRE)
        assert sum(len(v) for v in years.values()) == len(rows), (len(rows), years)
        ours = median_seconds(lambda: orggraph.timeline(graph, CENTRE))
        bare = median_seconds(raw)
        print(f"timeline of one organisation ({len(rows)} rows, {len(years)} years):")
        print(f"  raw pyoxigraph query   {bare * 1000:7.1f} ms")
        print(f"  orggraph.timeline      {ours * 1000:7.1f} ms   ratio {ours / bare:.2f}")

        by_category = orggraph.matrix(graph)
        by_year = orggraph.matrix(graph, "type", "year")
        first = median_seconds(lambda: orggraph.matrix(graph), runs=3)
        second = median_seconds(lambda: orggraph.matrix(graph, "type", "year"), runs=3)
        cells = sum(by_category.total(r) for r in by_category.rows)
        print(f"matrix organisation × category: {first:.1f} s ({len(by_category.rows)} rows, {cells} duties)")
        print(f"matrix type × year:             {second:.1f} s ({len(by_year.rows)} rows, columns {by_year.columns})")
        start = time.perf_counter()
        listed = sum(len(duties) for duties in by_year.cells.values())
        print(f"  the duties behind every cell (json, html): {time.perf_counter() - start:.1f} s more ({listed})")
        for fmt in ("csv", "table"):
            command = [sys.executable, "-m", "orggraph", "matrix", "--store", spec, "--format", fmt]
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, check=True)
            lines = done.stdout.count(b"\n")
            print(
                f"orggraph matrix --format {fmt} (a whole process): {time.perf_counter() - start:.1f} s, {lines} lines"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
