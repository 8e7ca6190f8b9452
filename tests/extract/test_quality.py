"""Extraction quality on every corpus document, scored with the shared scorer against its gold
(the same loop as ``benchmarks/extraction_quality.py``), and the rule that extraction code holds no
name from a corpus document."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml
from helpers import REPO, need, shared_folder

from orggraph.text.normalization import to_simplified


def _benchmark():
    spec = importlib.util.spec_from_file_location("extraction_quality", REPO / "benchmarks" / "extraction_quality.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus_scores() -> dict[str, dict]:
    shared = shared_folder()
    need((shared / "gold" / "score.py").exists(), f"no gold/score.py under {shared}")
    return {score["doc_id"]: score for score in _benchmark().run(shared)}


def test_every_development_document_meets_the_bar(corpus_scores):
    assert len(corpus_scores) >= 8
    for doc_id, score in corpus_scores.items():
        assert score["entities"]["f1"] >= 0.90, (doc_id, score["entities"], score["entity_false_positives"])
        assert score["relations"]["f1"] >= 0.75, (doc_id, score["relations"], score["relation_missed"][:5])
        duties = score["by_relation"].get("assignedduty")
        if duties and duties["tp"] + duties["fn"]:
            assert duties["recall"] >= 0.80, (doc_id, duties)


def test_the_table_prints_every_document_and_relation(corpus_scores):
    table = _benchmark().table(list(corpus_scores.values()))
    assert all(doc_id in table for doc_id in corpus_scores)
    assert "| assignedduty |" in table and "| **mean** |" in table


# words of the genre that gold files also list as names (an abbreviation used as a name)
_GENRE_WORDS = {"标委会", "领导小组", "领导小组办公室", "成员单位", "各成员单位", "各单位"}


def test_extraction_code_holds_no_name_from_the_corpus():
    shared = shared_folder()
    need((shared / "gold").is_dir(), f"no gold folder under {shared}")
    names: set[str] = set()
    for gold in (shared / "gold").glob("*.yaml"):
        data = yaml.safe_load(gold.read_text(encoding="utf-8"))
        for kind in ("organizations", "people", "groups", "locations"):
            for entry in data.get(kind) or []:
                spellings = [entry.get(k) for k in ("surface", "name_zh_hans", "name_zh_hant")]
                spellings += list(entry.get("aliases_zh") or [])
                names |= {to_simplified(str(s).replace(" ", "")) for s in spellings if s}
    names = {n for n in names if len(n) >= 3} - _GENRE_WORDS
    found = {}
    for path in (REPO / "src" / "orggraph" / "extract").rglob("*"):
        if path.suffix in (".py", ".txt", ".tsv"):
            text = to_simplified(path.read_text(encoding="utf-8"))
            hits = sorted(n for n in names if n in text)
            if hits:
                found[str(path.relative_to(REPO))] = hits
    assert not found, found


def test_a_table_whose_cells_are_spaces_reads_like_one_with_tabs(gold_file, tmp_path):
    from orggraph.extract.formats import to_facts
    from orggraph.extract.rules import extract
    from orggraph.text.documents import document_from_text

    source = (Path(__file__).resolve().parents[1] / "data" / "extraction" / "village-tasks-table-2022.txt").read_text(
        encoding="utf-8"
    )
    with_tabs = to_facts([extract(document_from_text(source))])["triples"]
    with_spaces = to_facts([extract(document_from_text(source.replace("\t\t", "\t").replace("\t", "   ")))])["triples"]
    duties = [t for t in with_tabs if t["r"] in ("assignedDuty", "hasSubTask", "assignedBy")]
    assert len(duties) >= 12
    assert duties == [t for t in with_spaces if t["r"] in ("assignedDuty", "hasSubTask", "assignedBy")]
