"""A bounded load test of `orggraph serve`: concurrent clients on loopback, mixing organisation
pages and named queries through the SPARQL endpoint, against the same queries run in-process.

Run:  python benchmarks/serve_load.py STORE [SECONDS] [CLIENTS]   (defaults: 60 s, 16 clients)
STORE is an Oxigraph store filled by `orggraph load` (e.g. the 100,000 organisations of
`benchmarks/stores.py`), served read-only with `--workers 2`. Prints errors, p50 and p99 latency
per kind of request, and for each query the endpoint's median against the in-process median of
`query_output(graph, text, "json")` on the same store (read-only alongside the server).
"""

from __future__ import annotations

import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ORG = "https://w3id.org/orggraph/id/bench-org-{}"
QUERIES = {
    "lookup": 'SELECT ?o WHERE {{ ?o skos:prefLabel "单位{:06d}"@zh-Hans }}',
    "units": "SELECT ?unit WHERE {{ ?unit org:subOrganizationOf <" + ORG + "> }}",
    "duties": "SELECT ?duty ?category WHERE {{ ?duty og:assignedTo <" + ORG + "> ; og:category ?category }}",
    "names": "SELECT ?name WHERE {{ <" + ORG + "> skos:prefLabel|skos:altLabel ?name }}",
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def main(argv: list[str]) -> None:
    store = argv[0]
    seconds = float(argv[1]) if len(argv) > 1 else 60.0
    clients = int(argv[2]) if len(argv) > 2 else 16
    command = [sys.executable, "-m", "orggraph", "serve", "--store", f"oxigraph:{store}", "--port", "0"]
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    assert server.stderr is not None
    found = re.search(r"Serving on (http://\S+/) ", server.stderr.readline())
    assert found, "the server did not start"
    url = found.group(1)
    organisations = 100_000 if "100k" in store or "100000" in store else 1_000
    latencies: dict[str, list[float]] = {"page": [], **{name: [] for name in QUERIES}}
    errors: list[str] = []
    stop = time.monotonic() + seconds

    def client(seed: int) -> None:
        chance = random.Random(seed)
        while time.monotonic() < stop:
            number = chance.randrange(organisations)
            if chance.random() < 0.5:
                kind, target = "page", f"{url}org?{urllib.parse.urlencode({'iri': ORG.format(number)})}"
            else:
                kind = chance.choice(list(QUERIES))
                text = QUERIES[kind].format(number)
                target = f"{url}sparql?{urllib.parse.urlencode({'query': text})}"
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(target, timeout=30) as response:
                    response.read()
            except (urllib.error.URLError, OSError) as error:
                errors.append(f"{kind}: {error}")
                continue
            latencies[kind].append(time.perf_counter() - start)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait()

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from orggraph.graph.results import query_output
    from orggraph.store.backends import open_graph

    graph = open_graph(f"oxigraph:{store}")
    print(f"Measured {time.strftime('%Y-%m-%d')}: {clients} clients for {seconds:g} s against {url} (2 workers).\n")
    print(f"Errors: {len(errors)}{' (' + errors[0] + ')' if errors else ''}\n")
    print("| request | answered | p50 ms | p99 ms | in-process median ms | p50 / in-process |")
    print("|---|---|---|---|---|---|")
    for kind, values in latencies.items():
        inside = ""
        ratio = ""
        if kind in QUERIES:
            times = []
            for number in random.Random(1).sample(range(organisations), 50):
                start = time.perf_counter()
                query_output(graph, QUERIES[kind].format(number), "json")
                times.append(time.perf_counter() - start)
            inside = f"{statistics.median(times) * 1000:.1f}"
            ratio = f"{statistics.median(values) / statistics.median(times):.2f}" if values else ""
        p50, p99 = percentile(values, 0.5) * 1000, percentile(values, 0.99) * 1000
        print(f"| {kind} | {len(values)} | {p50:.1f} | {p99:.1f} | {inside} | {ratio} |")


if __name__ == "__main__":
    main(sys.argv[1:])
