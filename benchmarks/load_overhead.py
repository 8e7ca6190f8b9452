"""`orggraph load` against pyoxigraph's own bulk load of the same file, in the same run, with the
parts of orggraph's load timed on their own: reading and hashing the file, the bundled ontology,
the load record, and compaction.

Run:  python benchmarks/load_overhead.py FILE.nt [RUNS]
(FILE: e.g. the 100,000 organisations that `python benchmarks/generate.py 100000 > big.nt` writes;
each run loads into a fresh folder; medians of RUNS, default 3, orggraph and pyoxigraph taking turns)
"""

from __future__ import annotations

import hashlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def raw(path: Path, folder: Path, optimize: bool) -> float:
    def load() -> None:
        store = pyoxigraph.Store(str(folder))
        store.bulk_load(
            path=str(path),
            format=pyoxigraph.RdfFormat.N_TRIPLES,
            to_graph=pyoxigraph.NamedNode(path.resolve().as_uri()),
        )
        store.flush()
        if optimize:
            store.optimize()

    return timed(load)


def ours(path: Path, folder: Path, *options: str) -> float:
    command = ["orggraph", "load", "--store", f"oxigraph:{folder}", *options, str(path)]
    return timed(lambda: subprocess.run(command, check=True, capture_output=True))


def main(argv: list[str]) -> None:
    path = Path(argv[0])
    runs = int(argv[1]) if len(argv) > 1 else 3
    scratch = Path(tempfile.mkdtemp())
    columns: dict[str, list[float]] = {}
    sides = {
        "pyoxigraph bulk_load": lambda f: raw(path, f, False),
        "pyoxigraph bulk_load + optimize": lambda f: raw(path, f, True),
        "orggraph load --no-optimize": lambda f: ours(path, f, "--no-optimize"),
        "orggraph load": lambda f: ours(path, f),
    }
    for run in range(runs):
        for label, side in sides.items():
            folder = scratch / f"{run}-{len(columns.get(label, []))}-{abs(hash(label))}"
            columns.setdefault(label, []).append(side(folder))
            shutil.rmtree(folder, ignore_errors=True)
    data = path.read_bytes()
    reading = statistics.median(timed(lambda: hashlib.sha256(path.read_bytes()).hexdigest()) for _ in range(runs))
    median = {label: statistics.median(times) for label, times in columns.items()}
    base = median["pyoxigraph bulk_load"]
    print(f"Measured {time.strftime('%Y-%m-%d')}: {path.name}, {len(data) / 1e6:.0f} MB, medians of {runs}.\n")
    print("| load | s | / bulk_load |")
    print("|---|---|---|")
    for label, seconds in median.items():
        print(f"| {label} | {seconds:.2f} | {seconds / base:.2f} |")
    print(f"\nReading and hashing the file (SHA-256): {reading:.2f} s.")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
