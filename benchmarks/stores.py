"""Load and query times per store at 1k, 10k and 100k organisations, against raw pyoxigraph
running the same SPARQL on the same kind of store, measured in the same run.

* load: `orggraph load` (orggraph.store.load_files, bundled ontology included) into a fresh
  on-disk Oxigraph store vs pyoxigraph's ``bulk_load`` of the same file into another;
  for ≤ 10k also rdflib's in-memory store (what kglab users get; its query times at 1k).
* queries: every named query through orggraph (name resolution, parameters, rows) vs
  pyoxigraph ``Store.query`` of the identical text with the identical VALUES block, on the same
  on-disk store; warm, best of 3.
* peak RSS of the process that measured one size (load + all queries).

Run:  python benchmarks/stores.py [SIZES…]       (default: 1000 10000 100000)
"""

from __future__ import annotations

import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

PARAMETERS = {  # the organisations exist in every generated size
    "organisations": {},
    "org-chart": {"org": "单位000121"},
    "duties-of": {"org": "单位000121"},
    "responsible-for": {"topic": "标准化"},
    "attendees": {},
    "people": {},
    "evidence": {"of": "单位000121"},
}
SELECTIVE = {"org-chart", "duties-of", "evidence"}


def best(function, repeat: int = 3) -> tuple[float, object]:
    function()  # warm up
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - start)
    return min(times), value


def measure(size: int) -> dict:
    import pyoxigraph

    from orggraph.query import _PREFIX_HEADER, _inline_values, bind_parameters, get_named_query, run_named_query
    from orggraph.store import load_files, load_graph, open_graph

    sys.path.insert(0, str(HERE))
    from generate import generate

    folder = Path(tempfile.mkdtemp())
    data = folder / f"orgs-{size}.nt"
    statements = generate(size, data)
    result: dict = {"size": size, "statements": statements}

    start = time.perf_counter()
    load_files(f"oxigraph:{folder / 'ours'}", [data])
    result["load_ours"] = time.perf_counter() - start
    start = time.perf_counter()
    raw = pyoxigraph.Store(str(folder / "raw"))
    raw.bulk_load(path=str(data), format=pyoxigraph.RdfFormat.N_TRIPLES,
                  to_graph=pyoxigraph.NamedNode(data.resolve().as_uri()))
    raw.flush()
    result["load_raw"] = time.perf_counter() - start
    del raw
    if size <= 10_000:
        start = time.perf_counter()
        memory = load_graph([data])
        result["load_memory"] = time.perf_counter() - start
    graph = open_graph(f"oxigraph:{folder / 'ours'}")
    floor_store = pyoxigraph.Store.read_only(str(folder / "ours"))
    result["queries"] = {}
    for name, parameters in PARAMETERS.items():
        named = get_named_query(name)
        ours, rows = best(lambda: list(run_named_query(graph, name, parameters)))  # noqa: B023
        bindings = bind_parameters(graph, named, parameters)
        text = _inline_values(_PREFIX_HEADER + named.text, bindings, name)
        floor, floor_rows = best(lambda: list(floor_store.query(text, use_default_graph_as_union=True)))  # noqa: B023
        entry = {"ours": ours, "floor": floor, "rows": len(rows), "floor_rows": len(floor_rows)}
        if size <= 1_000:
            entry["memory"], _ = best(lambda: list(run_named_query(memory, name, parameters)), repeat=1)  # noqa: B023
        result["queries"][name] = entry
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def main(sizes: list[int]) -> None:
    print(f"# store benchmark — {platform.machine()}, {platform.python_version()}, {time.strftime('%Y-%m-%d')}")
    for size in sizes:
        output = subprocess.run([sys.executable, __file__, "--one", str(size)], capture_output=True, text=True,
                                check=True).stdout
        r = json.loads(output)
        print(f"\n## {size} organisations, {r['statements']:,} statements, peak RSS {r['peak_rss_mb']:.0f} MB")
        memory = f", rdflib memory {r['load_memory']:.1f} s" if "load_memory" in r else ""
        print(f"load: orggraph {r['load_ours']:.2f} s, raw pyoxigraph {r['load_raw']:.2f} s, "
              f"ratio {r['load_ours'] / r['load_raw']:.2f}{memory}")
        print("| query | rows | orggraph ms | raw pyoxigraph ms | ratio | rdflib memory ms |")
        print("|---|---|---|---|---|---|")
        for name, q in r["queries"].items():
            memory_ms = f"{q['memory'] * 1000:.1f}" if "memory" in q else "–"
            mark = " (selective)" if name in SELECTIVE else ""
            print(f"| {name}{mark} | {q['rows']} | {q['ours'] * 1000:.1f} | {q['floor'] * 1000:.1f} | "
                  f"{q['ours'] / max(q['floor'], 1e-9):.2f} | {memory_ms} |")
        sys.stdout.flush()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(measure(int(sys.argv[2]))))
    else:
        main([int(arg) for arg in sys.argv[1:]] or [1000, 10_000, 100_000])
