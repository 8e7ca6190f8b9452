"""Extraction quality: every corpus document scored against its gold file with the shared scorer.

Run:  python benchmarks/extraction_quality.py [SHARED_FOLDER] [--verbose DOC_ID] [--json]

SHARED_FOLDER defaults to ``../shared`` beside the checkout (or ``$ORGGRAPH_SHARED``). Each gold file
(``gold/*.yaml``) names its document (``source.text_file``); the document is read and extracted as
``orggraph extract DOC`` would, and ``gold/score.py`` scores the facts. The table shows entity and
fact precision, recall and F1 per document, then each relation summed over all documents.
``--verbose DOC_ID`` also prints what that document's extraction got wrong (false positives, misses).

The development loop: change a rule, rerun, keep the change only if the sums improve and no
document gets worse.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import sys
from contextlib import redirect_stdout
from pathlib import Path
from types import ModuleType
from typing import Any

from orggraph.extract.findings import Extraction
from orggraph.extract.formats import to_facts
from orggraph.extract.rules import extract
from orggraph.text.documents import read_document

CHECKOUT = Path(__file__).resolve().parents[1]


def shared_folder(argument: str | None) -> Path:
    return Path(argument or os.environ.get("ORGGRAPH_SHARED") or CHECKOUT.parent / "shared")


def load_scorer(shared: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("gold_score", shared / "gold" / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gold_files(shared: Path) -> list[tuple[Path, Path]]:
    """(gold file, document) pairs, in a stable order."""
    import yaml

    pairs = []
    for gold in sorted((shared / "gold").glob("*.yaml")):
        header = yaml.safe_load(gold.read_text(encoding="utf-8"))
        text_file = (header.get("source") or {}).get("text_file") or (header.get("source") or {}).get("file")
        document = (gold.parent / text_file).resolve() if text_file else None
        if document is None or not document.exists():
            stem = gold.name.removesuffix(".yaml").removesuffix(".gold")
            matches = sorted((shared / "corpus").glob(f"*{stem.removeprefix('seed-')}*.txt"))
            document = matches[0] if matches else None
        if document is not None:
            pairs.append((gold, document))
    return pairs


def score_document(scorer: ModuleType, gold_path: Path, facts: dict[str, Any]) -> dict[str, Any]:
    gold = scorer.Gold(str(gold_path))
    entities, entity_fps, entity_misses = scorer.score_entities(gold, facts["entities"])
    relations, relation_fps, relation_misses, by_relation, _ = scorer.score_triples(gold, facts["triples"])
    return {
        "doc_id": gold.d.get("doc_id") or gold_path.stem,
        "entities": entities,
        "relations": relations,
        "by_relation": by_relation,
        "entity_false_positives": entity_fps,
        "entity_missed": entity_misses,
        "relation_false_positives": relation_fps,
        "relation_missed": [
            {key: fact.get(key) for key in ("id", "s_name", "r", "o_name", "o") if key in fact}
            for fact in relation_misses
        ],
    }


OWN = CHECKOUT / "tests" / "data" / "extraction"


def own_gold_files() -> list[tuple[Path, Path]]:
    """The documents written for orggraph's tests, each beside its gold file."""
    return [(gold, gold.with_name(gold.name.replace(".gold.yaml", ".txt"))) for gold in sorted(OWN.glob("*.gold.yaml"))]


def run(shared: Path, pairs: list[tuple[Path, Path]] | None = None) -> list[dict[str, Any]]:
    scorer = load_scorer(shared)
    scores = []
    for gold_path, document_path in gold_files(shared) if pairs is None else pairs:
        result: Extraction = extract(read_document(document_path))
        with redirect_stdout(io.StringIO()):
            scores.append(score_document(scorer, gold_path, to_facts([result])))
    return scores


def table(scores: list[dict[str, Any]]) -> str:
    lines = [
        "| document | entity P | entity R | entity F1 | fact P | fact R | fact F1 | duties R |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for score in scores:
        entity, fact = score["entities"], score["relations"]
        duty = score["by_relation"].get("assignedduty")
        duty_recall = f"{duty['recall']:.2f}" if duty and duty["tp"] + duty["fn"] else "–"
        lines.append(
            f"| {score['doc_id']} | {entity['precision']:.2f} | {entity['recall']:.2f} | {entity['f1']:.2f} "
            f"| {fact['precision']:.2f} | {fact['recall']:.2f} | {fact['f1']:.2f} | {duty_recall} |"
        )
    count = len(scores) or 1
    mean_entity = sum(s["entities"]["f1"] for s in scores) / count
    mean_fact = sum(s["relations"]["f1"] for s in scores) / count
    lines.append(f"| **mean** | | | {mean_entity:.2f} | | | {mean_fact:.2f} | |")
    lines += ["", "| relation | tp | fp | fn | P | R | F1 |", "|---|---:|---:|---:|---:|---:|---:|"]
    totals: dict[str, list[int]] = {}
    for score in scores:
        for relation, counts in score["by_relation"].items():
            total = totals.setdefault(relation, [0, 0, 0])
            total[0] += counts["tp"]
            total[1] += counts["fp"]
            total[2] += counts["fn"]
    for relation, (tp, fp, fn) in sorted(totals.items(), key=lambda item: -(item[1][0] + item[1][2])):
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        lines.append(f"| {relation} | {tp} | {fp} | {fn} | {precision:.2f} | {recall:.2f} | {f1:.2f} |")
    tp, fp, fn = (sum(t[i] for t in totals.values()) for i in range(3))
    lines.append(f"| **all** | {tp} | {fp} | {fn} | | | |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    verbose = argv[argv.index("--verbose") + 1] if "--verbose" in argv else None
    positional = [a for i, a in enumerate(argv) if not a.startswith("--") and (i == 0 or argv[i - 1] != "--verbose")]
    shared = shared_folder(positional[0] if positional else None)
    if not (shared / "gold" / "score.py").exists():
        print(f"no gold/score.py under {shared}; give the shared folder as the first argument", file=sys.stderr)
        return 2
    scores = run(shared)
    own = run(shared, own_gold_files())
    if "--json" in argv:
        print(json.dumps({"corpus": scores, "own": own}, ensure_ascii=False, indent=1))
        return 0
    print("## Corpus documents (../shared/corpus against ../shared/gold)\n")
    print(table(scores))
    print("\n## Documents written for the tests (tests/data/extraction, invented names)\n")
    print(table(own).split("\n\n")[0])
    scores += own
    for score in scores:
        if verbose and verbose in score["doc_id"]:
            for key in ("entity_false_positives", "entity_missed", "relation_false_positives", "relation_missed"):
                print(f"\n## {key}")
                for item in score[key]:
                    print(json.dumps(item, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
