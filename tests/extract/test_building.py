"""Building a store from a corpus: each document once, one organisation across documents."""

from __future__ import annotations

import pytest

from orggraph.errors import InputError, UsageError
from orggraph.extract.building import build_store, document_paths
from orggraph.graph.named_queries import run_named_query
from orggraph.store.backends import open_graph
from orggraph.store.sparql import select_rows


@pytest.fixture(scope="module")
def corpus(corpus_copy):
    return corpus_copy


@pytest.fixture(scope="module")
def built(corpus, tmp_path_factory):
    spec = f"oxigraph:{tmp_path_factory.mktemp('built') / 'db'}"
    return spec, build_store([corpus], spec)


def _count(spec: str) -> int:
    return int(select_rows(open_graph(spec), "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0][0])


def _holders(spec: str, *names: str) -> set[str]:
    values = " ".join(f'"{name}"@zh-Hans' for name in names)
    query = f"SELECT DISTINCT ?o WHERE {{ VALUES ?l {{ {values} }} ?o skos:prefLabel|skos:altLabel ?l }}"
    return {str(row[0]) for row in select_rows(open_graph(spec), query)}


def test_every_document_is_added_once(built, corpus):
    spec, report = built
    assert [d.status for d in report.documents] == ["added"] * 8
    assert all(d.triples > 100 for d in report.documents)
    before = _count(spec)
    again = build_store([corpus], spec)
    assert [d.status for d in again.documents] == ["unchanged"] * 8
    assert _count(spec) == before
    assert "0 document(s) built" in again.lines()[-1]


def test_one_organisation_across_documents(built):
    spec, _ = built
    assert len(_holders(spec, "中安协", "中国安全防范产品行业协会")) == 1
    assert len(_holders(spec, "科信局", "公安部科技信息化局")) == 1


def test_meetings_of_the_corpus_in_date_order(built):
    spec, _ = built
    rows = list(run_named_query(open_graph(spec), "meetings"))
    dates = [str(row.date) for row in rows]
    assert dates == sorted(dates) and len(set(dates)) == 6
    conveners = {str(row.convener) for row in rows if str(row.date) == "2023-02-07"}
    assert conveners == {"公安部科技信息化局", "中国安全防范产品行业协会"}
    chairs = {str(row.chair) for row in rows if row.chair is not None}
    assert {"方锡江", "王彦吉", "王楠"} <= chairs


def test_a_changed_document_needs_replace(built, corpus, tmp_path):
    spec, _ = built
    changed = tmp_path / "kxj-cspia-joint-2023-02-07.txt"
    text = (corpus / changed.name).read_text(encoding="utf-8")
    changed.write_text(text + "\n会议要求,中安协要做好总结。\n", encoding="utf-8")
    before = _count(spec)
    with pytest.raises(UsageError, match="changed since they were built"):
        build_store([changed], spec)
    assert _count(spec) == before  # nothing written
    report = build_store([changed], spec, replace=True)
    assert [d.status for d in report.documents] == ["replaced"]
    documents = select_rows(
        open_graph(spec),
        'SELECT ?g WHERE { GRAPH ?g { ?d dcterms:identifier "kxj-cspia-joint-2023-02-07.txt" } }',
    )
    assert len(documents) == 1  # the old version's graph is gone


def test_paths_must_exist_and_folders_hold_documents(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        document_paths([tmp_path / "missing"])
    with pytest.raises(InputError, match=r"no \*\.txt documents"):
        document_paths([tmp_path])
    with pytest.raises(UsageError, match="persistent store"):
        build_store([], "memory")


@pytest.fixture(scope="module")
def over_curated(corpus, tmp_path_factory):
    from orggraph.resources import data_files
    from orggraph.store.loading import load_files

    spec = f"oxigraph:{tmp_path_factory.mktemp('curated') / 'db'}"
    load_files(spec, [p for p in data_files() if p.name.startswith("seed-")], optimize=False)
    return spec, build_store([corpus], spec)


def test_documents_the_bundled_graph_holds_are_not_extracted_again(corpus, tmp_path):
    from orggraph.resources import data_files
    from orggraph.store.loading import load_files

    spec = f"oxigraph:{tmp_path / 'db'}"
    load_files(spec, data_files(), optimize=False)
    report = build_store([corpus], spec)
    assert {d.status for d in report.documents} == {"unchanged"} and len(report.documents) == 8


def test_curated_organisations_people_and_meetings_are_reused(over_curated):
    spec, report = over_curated
    # the curated graph already holds the seed document: it is not extracted again
    assert [d.status for d in report.documents].count("unchanged") == 1
    graph = open_graph(spec)
    assert _holders(spec, "中安协", "中国安全防范产品行业协会") == {"https://w3id.org/orggraph/id/cspia"}
    # 公安部科信局 (one release) is 公安部科技信息化局 (the curated bureau): a parent's name and an abbreviation
    assert _holders(spec, "公安部科信局", "科信局") == {"https://w3id.org/orggraph/id/mps-sti-bureau"}
    # the same person working for the same bureau in two documents is one person
    assert _holders(spec, "陈敬华") == {"https://w3id.org/orggraph/id/chen-jinghua"}
    parents = select_rows(graph, "SELECT DISTINCT ?p WHERE { ogr:mps-sti-bureau org:subOrganizationOf ?p }")
    assert [str(row[0]) for row in parents] == ["https://w3id.org/orggraph/id/mps"]
    duties = list(run_named_query(graph, "duties-of", {"org": "中安协"}))
    assert len(duties) > 28  # the curated 28 and what the 2023 joint meeting assigned
    meetings = {str(row.meeting) for row in run_named_query(graph, "meetings", {"org": "中安协"})}
    assert "https://w3id.org/orggraph/id/meeting-2019-02-21-joint-meeting" in meetings and len(meetings) >= 3


def test_a_timeline_across_the_corpus(over_curated):
    spec, _ = over_curated
    rows = list(run_named_query(open_graph(spec), "timeline", {"org": "中安协"}))
    posts = {(str(row.year), str(row.name_zh_hans), str(row.detail)) for row in rows if str(row.kind) == "post"}
    # who chaired the association when: the gold files of 2018 and 2023 name different people
    assert ("2018", "中安协理事长", "王彦吉") in posts and ("2023", "中安协理事长", "顾建国") in posts
    convened = {str(row.year) for row in rows if str(row.kind) == "convened"}
    assert convened == {"2018", "2023"}
    duties = {str(row.year) for row in rows if str(row.kind) == "duty"}
    assert {"2019", "2023"} <= duties


def test_merge_decisions_are_listed_and_a_curated_difference_undoes_one(corpus, over_curated, tmp_path):
    spec, _ = over_curated
    merges = {(str(r.name), str(r.into), str(r.rule)) for r in run_named_query(open_graph(spec), "merges")}
    person = ("陳敬華", "https://w3id.org/orggraph/id/chen-jinghua", "the same name at the same organisation")
    assert person in merges
    assert not any(name == "标委会" for name, _, _ in merges)  # a generic name never joins two documents
    # a curator says the 陈敬华 of the 2018 release is someone else: the next build keeps them apart
    from orggraph.resources import data_files
    from orggraph.store.loading import load_files

    apart = tmp_path / "apart.ttl"
    apart.write_text(
        "@prefix ogr: <https://w3id.org/orggraph/id/> . @prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        'ogr:another-chen skos:prefLabel "陳敬華"@zh-Hant ; owl:differentFrom ogr:chen-jinghua .\n',
        encoding="utf-8",
    )
    store = f"oxigraph:{tmp_path / 'db'}"
    load_files(store, [*data_files(), apart], optimize=False)
    build_store([corpus / "cspia-assoc-heads-2018-05-03.txt"], store)
    graphs = select_rows(
        open_graph(store),
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ogr:chen-jinghua ?p ?o } }",
    )
    assert all("candidates" not in str(row[0]) for row in graphs)


def test_the_shapes_check_beside_the_merge_counts_what_it_counts_in_process(built, corpus, tmp_path, monkeypatch):
    import orggraph.extract.building as building

    _, report = built  # checked in a forked process while the merge ran
    assert report.violations > 0 and report.warnings > 0

    def no_fork(method: str):
        raise ValueError(f"no {method} here")

    monkeypatch.setattr(building.multiprocessing, "get_context", no_fork)
    here = build_store([corpus], f"oxigraph:{tmp_path / 'db'}")
    assert (here.violations, here.warnings) == (report.violations, report.warnings)
