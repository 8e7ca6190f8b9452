"""Whole-process latency of the CLI, the way a user meets it, against floors measured in the same run.

Part 1, the bundled graph (`orggraph run/query/info/render/validate` with no --data):
* warm: the prebuilt copy of the bundled graph is in the cache folder (every run but the first);
* first run: an empty cache folder before each run (the first command after install);
* no cache: ``ORGGRAPH_CACHE_DIR=off``, which parses the Turtle at every start, as every run did
  before the prebuilt copy;
* floors: ``python -c pass`` and a bare ``import rdflib, pyoxigraph``.

Part 2, instead of part 1 with ``--store PATH`` (an Oxigraph store filled by ``orggraph load``, e.g. the 100,000
organisations of ``benchmarks/stores.py``): ad-hoc queries and named queries through the command
against a bare script that imports rdflib and pyoxigraph, opens the store read-only, runs the same
SPARQL on the same dataset and writes CSV with pyoxigraph's writer.

Run:  python benchmarks/cli_latency.py [RUNS] [--store PATH]   (default 7 runs; medians, seconds)
Bytecode is written first (``PYTHONDONTWRITEBYTECODE`` is dropped), as an installed package has it.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NAMED = [
    ("duties-of", ["-p", "org", "中安协"]),
    ("org-chart", ["-p", "org", "公安部"]),
    ("responsible-for", ["-p", "topic", "标准化"]),
    ("evidence", ["-p", "of", "中安协"]),
    ("organisations", []),
    ("attendees", []),
    ("meetings", ["-p", "org", "中安协"]),
    ("timeline", ["-p", "org", "中安协"]),
    ("duties", ["-p", "org", "中安协", "-p", "year", "2019"]),
    ("duty-carriers", ["-p", "year", "2023"]),
    ("merges", []),
    ("people", []),
]

BUNDLED_TARGETS = {"render": 0.4, "validate": 0.5}  # everything else: 0.25 s (issue #16)

AD_HOC = {
    "selective lookup": 'SELECT ?o WHERE { ?o skos:prefLabel "单位000121"@zh-Hans }',
    "property path": "SELECT (COUNT(?unit) AS ?n) WHERE { ?unit org:subOrganizationOf+ ogr:bench-org-121 }",
    "group-by": "SELECT ?category (COUNT(?duty) AS ?n) WHERE { ?duty og:category ?category } GROUP BY ?category",
    "join": (
        "SELECT ?duty ?name WHERE { ?duty og:assignedTo ogr:bench-org-121 . ogr:bench-org-121 skos:prefLabel ?name }"
    ),
}

BARE = """
import sys
import rdflib, pyoxigraph
path, text = sys.argv[1], sys.stdin.read()
store = pyoxigraph.Store.read_only(path)
graphs = [g for g in store.named_graphs() if isinstance(g, pyoxigraph.NamedNode)
          and g.value != "https://w3id.org/orggraph/graph/meta"
          and not g.value.startswith("https://w3id.org/orggraph/graph/ontology/")]
union = sys.argv[2] == "union"
answer = (store.query(text, use_default_graph_as_union=True) if union
          else store.query(text, default_graph=[pyoxigraph.DefaultGraph(), *graphs], named_graphs=graphs))
sys.stdout.buffer.write(answer.serialize(format=pyoxigraph.QueryResultsFormat.CSV))
"""


def median(command: list[str], runs: int, env: dict[str, str], before=None, stdin: str | None = None) -> float:
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env, input=stdin, text=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bundled(runs: int, orggraph: str, env: dict[str, str]) -> None:
    scratch = Path(tempfile.mkdtemp())
    warm_env = {**env, "ORGGRAPH_CACHE_DIR": str(scratch / "warm")}
    cold_env = {**env, "ORGGRAPH_CACHE_DIR": str(scratch / "cold")}
    off_env = {**env, "ORGGRAPH_CACHE_DIR": "off"}
    page = str(scratch / "page.html")
    commands = [(f"run {name} {' '.join(args)}".strip(), ["run", name, *args]) for name, args in NAMED]
    commands += [
        ("query 'SELECT … COUNT(*)'", ["query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"]),
        ("info", ["info"]),
        ("render -o page.html", ["render", "-o", page]),
        ("validate", ["validate"]),
    ]
    subprocess.run([orggraph, "info"], check=True, capture_output=True, env=warm_env)  # the copy, once
    python = median([sys.executable, "-c", "pass"], runs, env)
    imports = median([sys.executable, "-c", "import rdflib, pyoxigraph"], runs, env)
    print(f"Floors: `python -c pass` {python:.3f} s; `import rdflib, pyoxigraph` {imports:.3f} s.\n")
    print("| command (bundled graph) | warm s | target s | first run s | no cache s (as before) | warm / no cache |")
    print("|---|---|---|---|---|---|")
    for label, args in commands:
        warm = median([orggraph, *args], runs, warm_env)
        first = median(
            [orggraph, *args], max(3, runs // 2), cold_env, before=lambda: shutil.rmtree(scratch / "cold", True)
        )
        off = median([orggraph, *args], max(3, runs // 2), off_env)
        target = BUNDLED_TARGETS.get(args[0], 0.25)
        print(f"| `orggraph {label}` | {warm:.3f} | {target} | {first:.3f} | {off:.3f} | {warm / off:.2f} |")
    shutil.rmtree(scratch, ignore_errors=True)


def on_store(runs: int, orggraph: str, env: dict[str, str], path: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from orggraph.graph.named_queries import bind_parameters, get_named_query
    from orggraph.namespaces import PREFIXES
    from orggraph.store.backends import open_graph
    from orggraph.store.sparql_text import bind_in_text, inline_values

    header = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
    graph = open_graph(f"oxigraph:{path}")  # read-only: the commands read it alongside
    print(f"\n| at {Path(path).name} | orggraph s | bare pyoxigraph script s | ratio |")
    print("|---|---|---|---|")
    for label, text in AD_HOC.items():
        ours = median([orggraph, "query", "--store", f"oxigraph:{path}", "--format", "csv", text], runs, env)
        bare = median([sys.executable, "-c", BARE, path, "data"], runs, env, stdin=header + text)
        print(f"| ad hoc: {label} | {ours:.3f} | {bare:.3f} | {ours / bare:.2f} |")
    iri = "https://w3id.org/orggraph/id/bench-org-121"
    for name, args in NAMED:
        if name in ("merges", "responsible-for", "organisations"):
            continue  # no merges in a loaded store; the listings of 100,000s of rows are in stores.py
        values = dict(zip(args[1::3], args[2::3], strict=True))
        organisation = {"org", "of"}  # parameters that name an organisation: given as the IRI on both sides
        given = {k: iri if k in organisation else v for k, v in values.items()}
        ours_args = [arg for k, v in given.items() for arg in ("-p", k, v)]
        # the bare script runs the very text orggraph hands to Oxigraph: the parameters bound as
        # orggraph binds them, written in their variables' places, or as a VALUES block where the
        # query says `# bind: values`
        named = get_named_query(name)
        terms = bind_parameters(graph, named, given)
        text = header + named.text
        if terms:
            text = (None if named.values_block else bind_in_text(text, terms)) or inline_values(text, terms, name)
        ours = median([orggraph, "run", name, *ours_args, "--store", f"oxigraph:{path}", "--format", "csv"], runs, env)
        bare = median([sys.executable, "-c", BARE, path, "union"], runs, env, stdin=text)
        print(f"| run {name} | {ours:.3f} | {bare:.3f} | {ours / bare:.2f} |")


def main(argv: list[str]) -> None:
    runs = int(argv[0]) if argv and argv[0].isdigit() else 7
    store = argv[argv.index("--store") + 1] if "--store" in argv else None
    orggraph = shutil.which("orggraph") or "orggraph"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([orggraph, "--version"], check=True, capture_output=True, env=env)
    print(f"Measured {time.strftime('%Y-%m-%d')}, medians of {runs} runs.\n")
    if store is None:
        bundled(runs, orggraph, env)
    else:
        on_store(runs, orggraph, env, store)


if __name__ == "__main__":
    main(sys.argv[1:])
