"""Start-up latency of the CLI on the bundled graph, against bare-script floors measured in the same run.

* `orggraph --version` vs `python -c pass`;
* `orggraph run duties-of -p org 中安协` vs a bare script that imports rdflib, parses the same
  data (bundled ontology and seed graph) into a Dataset and runs the same query with the same
  binding (no name resolution, no table).

Run:  python benchmarks/cli_latency.py [RUNS]      (default 7; median wall-clock seconds)
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time

FLOOR = """
import rdflib
from orggraph.resources import data_files, ontology_files, queries_dir
from orggraph.store.sparql import _PREFIX_HEADER
g = rdflib.Dataset(default_union=True)
for p in [*ontology_files(), *data_files()]:
    g.graph(rdflib.URIRef(p.as_uri())).parse(p)
text = _PREFIX_HEADER + (queries_dir() / "duties-of.rq").read_text(encoding="utf-8")
rows = list(g.query(text, initBindings={"org": rdflib.URIRef("https://w3id.org/orggraph/id/cspia")}))
print(len(rows))
"""


def median(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(runs: int) -> None:
    orggraph = shutil.which("orggraph") or "orggraph"
    rows = [
        ("--version", [orggraph, "--version"], [sys.executable, "-c", "pass"]),
        (
            "run duties-of -p org 中安协",
            [orggraph, "run", "duties-of", "-p", "org", "中安协"],
            [sys.executable, "-c", FLOOR],
        ),
    ]
    print("| command | orggraph s | floor s | ratio |")
    print("|---|---|---|---|")
    for label, ours, floor in rows:
        a, b = median(ours, runs), median(floor, runs)
        print(f"| `orggraph {label}` | {a:.3f} | {b:.3f} | {a / b:.2f} |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
