"""Timeline, responsibility matrix and diff, on the bundled graph and on the corpus built over it,
checked against the gold files."""

from __future__ import annotations

import json

import pytest
import yaml
from helpers import shared_folder
from rdflib import URIRef

from orggraph.analysis.diff import diff, similarity
from orggraph.analysis.matrix import matrix
from orggraph.analysis.timeline import timeline
from orggraph.errors import UsageError
from orggraph.extract.building import build_store
from orggraph.namespaces import ORG
from orggraph.resources import data_files
from orggraph.store.backends import open_graph
from orggraph.store.loading import load_files
from orggraph.text.normalization import to_simplified


@pytest.fixture(scope="module")
def corpus_store(corpus_copy, tmp_path_factory):
    spec = f"oxigraph:{tmp_path_factory.mktemp('store') / 'db'}"
    load_files(spec, data_files(), optimize=False)
    build_store([corpus_copy], spec)
    return open_graph(spec)


def _gold_duty_keys(doc_id: str, assignee: str) -> set[str]:
    gold = yaml.safe_load((shared_folder() / "gold" / f"{doc_id}.gold.yaml").read_text(encoding="utf-8"))
    duties = {d["id"]: d for d in gold.get("duties") or []}
    return {
        to_simplified(duties[f["o"]].get("key_zh_hans") or duties[f["o"]]["key"])
        for f in gold["facts"]
        if f["r"] == "assignedDuty" and f.get("tier") == "core" and f["s"] == assignee
    }


def test_matrix_on_the_bundled_graph(bundled):
    by_category = matrix(bundled)
    assert by_category.total("中国安全防范产品行业协会") == 31  # 28 of the 2019 joint meeting, 3 of 2023
    assert by_category.count("中国安全防范产品行业协会", "political-guidance") > 0
    csv_lines = by_category.csv().splitlines()
    assert csv_lines[0].startswith("organisation,") and len(csv_lines) == len(by_category.rows) + 1
    data = json.loads(by_category.to_json())
    assert sum(cell["count"] for cell in data["cells"]) == sum(by_category.total(r) for r in by_category.rows)
    assert all(len(cell["duties"]) == cell["count"] for cell in data["cells"])
    assert matrix(bundled, "type", "year").count("industry-association", "2019") == 28
    with pytest.raises(UsageError, match="rows must be one of"):
        matrix(bundled, "person")


def test_the_association_s_duties_per_year_across_the_corpus(corpus_store):
    m = matrix(corpus_store, "organisation", "year")
    assert m.count("中国安全防范产品行业协会", "2019") == 28
    tasks_2023 = {to_simplified(str(d["task_zh_hans"])) for d in m.cells[("中国安全防范产品行业协会", "2023")]}
    for key in _gold_duty_keys("kxj-cspia-joint-2023-02-07", "org:cspia"):
        assert any(key in task for task in tasks_2023), key


def test_what_the_2023_joint_meeting_assigned_that_the_2019_one_did_not(corpus_store):
    report = diff(corpus_store, "2019年度安防行业组织、中介机构和实验室联席会议", "2023年第一季度联席会议")
    new = {to_simplified(str(d["task"])) for d in report.new if d["organisation"] == "中国安全防范产品行业协会"}
    for key in _gold_duty_keys("kxj-cspia-joint-2023-02-07", "org:cspia"):
        assert any(key in task for task in new), key
    assert len(report.dropped) >= 28  # the 2019 tasks were not repeated in 2023
    assert "中国安全防范产品行业协会" not in report.disappeared
    assert "2023年第一季度联席会议" in report.text()


def test_people_whose_posts_changed_are_the_same_person_not_the_same_name(corpus_store):
    report = diff(corpus_store, "2018", "2019")
    # 陈敬华 is one person across the 2018 and 2019 documents (the same bureau), holding one post in
    # both, written 公安部科信局副局长 in one and 科技信息化局副局长 in the other: not a changed post
    assert "陈敬华" not in {c["person"] for c in report.changed_posts}
    posts = set(corpus_store.objects(URIRef("https://w3id.org/orggraph/id/chen-jinghua"), ORG.holds))
    assert posts == {URIRef("https://w3id.org/orggraph/id/post-mps-sti-bureau-deputy-director-general")}
    # 谭晓准 of 2011 (a bureau) and of 2023 (an association) are kept apart: no pairing by name alone
    assert "谭晓准" not in {c["person"] for c in diff(corpus_store, "2011", "2023").changed_posts}


def test_timeline_of_the_association(corpus_store):
    years = timeline(corpus_store, "中安协")
    assert {"2018", "2019", "2023"} <= set(years)
    posts_2023 = {(row["name_zh_hans"], row["detail"]) for row in years["2023"] if row["kind"] == "post"}
    assert ("中安协理事长", "顾建国") in posts_2023


def test_similarity_is_symmetric_and_bounded():
    assert similarity("加强统筹协调", "加强统筹协调") == 1.0
    assert similarity("加强统筹协调", "统筹协调加强") == similarity("统筹协调加强", "加强统筹协调")
    assert 0.0 <= similarity("甲", "") <= 1.0
