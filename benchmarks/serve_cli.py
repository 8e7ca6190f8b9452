"""The same named queries as a user runs them: `orggraph run NAME --store oxigraph:PATH` (in
process, on the store) against `orggraph run NAME --store http://…/sparql` (through `orggraph
serve` on that store), whole commands, in the same run.

A third side is the command through rdflib's reading of the endpoint's answer (`--timeout`
sends a command down that path, which every `--store http://…` command took before the quick
path read endpoints): what reading an endpoint cost before.

Run:  python benchmarks/serve_cli.py [STORE] [RUNS] [NAME,NAME…]   (default: the bundled graph, 7 runs)
STORE is an Oxigraph store filled by `orggraph load` (e.g. the 100,000 organisations of
`benchmarks/stores.py`); without it the bundled graph is served and run as installed (its prebuilt
copy). The server is started with `--max-rows` high enough for every answer to be whole and
`--timeout 600`. Sides alternate within each round. Medians, seconds. Bytecode is written first
(`PYTHONDONTWRITEBYTECODE` is dropped), as an installed package has it.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time

SAMPLES_BUNDLED = {
    "merges": [],
    "reviews": [],
    "evidence": ["-p", "of", "中安协"],
    "attendees": [],
    "duties-of": ["-p", "org", "中安协"],
    "timeline": ["-p", "org", "中安协"],
    "meetings": ["-p", "org", "中安协"],
    "org-chart": ["-p", "org", "公安部"],
    "people": [],
    "duty-carriers": ["-p", "year", "2023"],
    "duties": ["-p", "org", "中安协", "-p", "year", "2019"],
    "organisations": [],
    "responsible-for": ["-p", "topic", "标准化"],
}
ORG = "https://w3id.org/orggraph/id/bench-org-42"
SAMPLES_STORE = {
    "merges": [],
    "reviews": [],
    "evidence": ["-p", "of", ORG],
    "duties-of": ["-p", "org", ORG],
    "duties-of (by name)": ["-p", "org", "单位000042"],
    "timeline": ["-p", "org", ORG],
    "meetings": ["-p", "org", ORG],
    "org-chart": ["-p", "org", ORG],
    "attendees": [],
    "people": [],
}


def main(argv: list[str]) -> None:
    store = argv[0] if argv and not argv[0].isdigit() else None
    rest = argv[1:] if store else argv
    runs = int(rest[0]) if rest else 7
    chosen = set(rest[1].split(",")) if len(rest) > 1 else None
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    samples = SAMPLES_STORE if store else SAMPLES_BUNDLED
    local = ["--store", f"oxigraph:{store}"] if store else []
    command = [sys.executable, "-m", "orggraph", "serve", "--port", "0", *local]
    command += ["--max-rows", "100000000", "--timeout", "600"]
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env)
    assert server.stderr is not None
    found = re.search(r"Serving on (http://[\d.]+:\d+/) ", server.stderr.readline())
    assert found, "orggraph serve did not start"
    endpoint = found.group(1) + "sparql"
    rows = []
    try:
        for label, parameters in samples.items():
            name = label.split(" ")[0]
            if chosen is not None and label not in chosen and name not in chosen:
                continue
            sides = {
                "in-process": ["orggraph", "run", name, *parameters, *local, "--format", "csv"],
                "endpoint": ["orggraph", "run", name, *parameters, "--store", endpoint, "--format", "csv"],
                "through rdflib": [
                    *["orggraph", "run", name, *parameters, "--store", endpoint, "--format", "csv"],
                    *["--timeout", "600"],
                ],
            }
            answers = {side: _run(words, env)[1] for side, words in sides.items()}  # warm, and checked
            lines = {side: sorted(answer.splitlines()) for side, answer in answers.items()}
            same = lines["endpoint"] == lines["in-process"] == lines["through rdflib"]
            timings: dict[str, list[float]] = {side: [] for side in sides}
            for _ in range(runs):
                for side, words in sides.items():
                    timings[side].append(_run(words, env)[0])
            medians = {side: statistics.median(values) for side, values in timings.items()}
            rows.append((label, len(lines["in-process"]) - 1, medians, same))
            print(label, {side: round(value, 3) for side, value in medians.items()}, file=sys.stderr)
    finally:
        server.terminate()
        server.wait()

    where = f"oxigraph:{store}" if store else "the bundled graph"
    print(f"Measured {time.strftime('%Y-%m-%d')}: {where}, whole commands, median of {runs}, seconds.\n")
    print("| `orggraph run` | rows | in-process | endpoint | ratio | through rdflib (before) | ratio | same rows |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for label, count, m, same in rows:
        inside, through, before = m["in-process"], m["endpoint"], m["through rdflib"]
        cells = [label, count, f"{inside:.3f}", f"{through:.3f}", f"{through / inside:.2f}"]
        cells += [f"{before:.3f}", f"{before / inside:.2f}", "yes" if same else "**no**"]
        print("| " + " | ".join(map(str, cells)) + " |")


def _run(words: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(words, capture_output=True, text=True, env=env, check=False)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(words)}: {done.stderr.strip()}")
    return took, done.stdout


if __name__ == "__main__":
    main(sys.argv[1:])
