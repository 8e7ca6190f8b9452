"""Load and query times per store at 1k, 10k and 100k organisations, against raw pyoxigraph
running the same SPARQL on the same kind of store, measured in the same run.

* load: `orggraph load` (orggraph.store.loading.load_files, bundled ontology included) into a fresh
  on-disk Oxigraph store vs pyoxigraph's ``bulk_load`` of the same file into another; and
  rdflib's in-memory store (what kglab users get), whose query times are shown for comparison
  (stopped after 60 s).
* queries: every named query through orggraph (parameters, rows) vs pyoxigraph ``Store.query``
  of the identical text with the identical VALUES block, on the same on-disk store. The
  parameters are given as IRIs, so both sides run the same SPARQL; the time with the names
  (which orggraph first looks up in the store) is shown beside it. Warm, best of 3 (best of 30
  for queries under 250 ms, whose single timings are noisy), the three taking turns. The org chart is timed for
  subtrees of three sizes. Marked (plan): on Oxigraph orggraph answers it with a plan of its
  own (orggraph.store.oxigraph) that gives the same rows; raw pyoxigraph still runs the .rq text.
* peak RSS of the process that measured one size (load + all queries).

Run:  python benchmarks/stores.py [SIZES…]       (default: 1000 10000 100000)
"""

from __future__ import annotations

import json
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

QUERIES = [  # (label, named query, parameters); the organisations exist in every generated size
    ("organisations", "organisations", {}),
    ("org-chart -p org 单位000121", "org-chart", {"org": "单位000121"}),
    ("org-chart -p org 单位000969", "org-chart", {"org": "单位000969"}),
    ("org-chart -p org 单位007753", "org-chart", {"org": "单位007753"}),
    ("duties-of -p org 单位000121", "duties-of", {"org": "单位000121"}),
    ("responsible-for -p topic 标准化", "responsible-for", {"topic": "标准化"}),
    ("attendees", "attendees", {}),
    ("people", "people", {}),
    ("evidence -p of 单位000121", "evidence", {"of": "单位000121"}),
]
SELECTIVE = {"org-chart", "duties-of", "evidence"}
NATIVE_PLANS = {"org-chart"}  # orggraph.store.oxigraph: answered without the .rq that raw pyoxigraph runs
MEMORY_TIMEOUT = 60.0


def best(*functions, repeat: int = 3) -> list[tuple[float, object]]:
    """Warm each up once, then run them in turn ``repeat`` times (30 when a run takes under
    250 ms): the fastest run of each, and its value. Taking turns lets the drift of a shared
    machine fall on every side alike."""
    start = time.perf_counter()
    for function in functions:
        function()
    if (time.perf_counter() - start) / len(functions) < 0.25:
        repeat = max(repeat, 30)
    times: list[list[float]] = [[] for _ in functions]
    values: list[object] = [None] * len(functions)
    for _ in range(repeat):
        for number, function in enumerate(functions):
            start = time.perf_counter()
            values[number] = function()
            times[number].append(time.perf_counter() - start)
    return [(min(runs), value) for runs, value in zip(times, values, strict=True)]


def once(function) -> float | None:
    """One run of an rdflib in-memory query, or None when it needs more than MEMORY_TIMEOUT."""
    from orggraph.errors import QueryTimeout

    start = time.perf_counter()
    try:
        function()
    except QueryTimeout:
        return None
    return time.perf_counter() - start


def measure(size: int) -> dict:
    """The figures of one size, in a scratch folder removed afterwards (a 100k run leaves 1 GB)."""
    folder = Path(tempfile.mkdtemp())
    try:
        return _measure(size, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _measure(size: int, folder: Path) -> dict:
    import pyoxigraph

    from orggraph.errors import ResolutionError
    from orggraph.graph.named_queries import bind_parameters, get_named_query, run_named_query
    from orggraph.store.backends import open_graph
    from orggraph.store.loading import load_files, load_graph
    from orggraph.store.sparql_text import PREFIX_HEADER, inline_values

    sys.path.insert(0, str(HERE))
    from generate import generate

    data = folder / f"orgs-{size}.nt"
    statements = generate(size, data)
    result: dict = {"size": size, "statements": statements}

    start = time.perf_counter()
    load_files(f"oxigraph:{folder / 'ours'}", [data])
    result["load_ours"] = time.perf_counter() - start
    start = time.perf_counter()
    raw = pyoxigraph.Store(str(folder / "raw"))
    raw.bulk_load(
        path=str(data), format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=pyoxigraph.NamedNode(data.resolve().as_uri())
    )
    raw.flush()
    result["load_raw"] = time.perf_counter() - start
    del raw
    graph = open_graph(f"oxigraph:{folder / 'ours'}")
    floor_store = pyoxigraph.Store.read_only(str(folder / "ours"))
    result["queries"] = {}
    for label, name, parameters in QUERIES:
        named = get_named_query(name)
        try:
            bind_parameters(graph, named, parameters)
        except ResolutionError:  # the organisation exists only in the bigger sizes
            continue
        bindings = bind_parameters(graph, named, parameters)
        # the same SPARQL: the parameters given as the IRIs the names stand for
        named_things = {p.name for p in named.parameters if p.kind in ("organisation", "resource", "meeting", "type")}
        as_iris = {key: f"<{bindings[key]}>" if key in named_things else value for key, value in parameters.items()}
        text = inline_values(PREFIX_HEADER + named.text, bindings, name)
        (ours, rows), (by_name, _), (floor, floor_rows) = best(
            lambda: list(run_named_query(graph, name, as_iris)),  # noqa: B023
            lambda: list(run_named_query(graph, name, parameters)),  # noqa: B023
            lambda: list(floor_store.query(text, use_default_graph_as_union=True)),  # noqa: B023
        )
        result["queries"][label] = {
            "name": name,
            "ours": ours,
            "by_name": by_name,
            "floor": floor,
            "rows": len(rows),
            "floor_rows": len(floor_rows),
        }
    result["peak_rss_mb_oxigraph"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    memory = load_graph([data])
    result["load_memory"] = time.perf_counter() - start
    for label, name, parameters in QUERIES:
        if label not in result["queries"]:
            continue
        result["queries"][label]["memory"] = once(
            lambda: list(run_named_query(memory, name, parameters, timeout=MEMORY_TIMEOUT))  # noqa: B023
        )
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def main(sizes: list[int]) -> None:
    print(f"# store benchmark — {platform.machine()}, {platform.python_version()}, {time.strftime('%Y-%m-%d')}")
    for size in sizes:
        output = subprocess.run(
            [sys.executable, __file__, "--one", str(size)], capture_output=True, text=True, check=True
        ).stdout
        r = json.loads(output)
        print(
            f"\n## {size} organisations, {r['statements']:,} statements, peak RSS {r['peak_rss_mb_oxigraph']:.0f} MB "
            f"(Oxigraph stores; {r['peak_rss_mb']:.0f} MB with rdflib memory)"
        )
        print(
            f"load: orggraph {r['load_ours']:.2f} s, raw pyoxigraph {r['load_raw']:.2f} s, "
            f"ratio {r['load_ours'] / r['load_raw']:.2f}, rdflib memory {r['load_memory']:.1f} s"
        )
        print("| query | rows | orggraph ms | raw pyoxigraph ms | ratio | orggraph ms, by name | rdflib memory ms |")
        print("|---|---|---|---|---|---|---|")
        for label, q in r["queries"].items():
            memory = q["memory"]
            memory_ms = f"> {MEMORY_TIMEOUT * 1000:,.0f}" if memory is None else f"{memory * 1000:,.1f}"
            mark = " (selective)" if q["name"] in SELECTIVE else ""
            mark += " (plan)" if q["name"] in NATIVE_PLANS else ""
            print(
                f"| `{label}`{mark} | {q['rows']:,} | {q['ours'] * 1000:,.1f} | {q['floor'] * 1000:,.1f} | "
                f"{q['ours'] / max(q['floor'], 1e-9):.2f} | {q['by_name'] * 1000:,.1f} | {memory_ms} |"
            )
        sys.stdout.flush()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(measure(int(sys.argv[2]))))
    else:
        main([int(arg) for arg in sys.argv[1:]] or [1000, 10_000, 100_000])
