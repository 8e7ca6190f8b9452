from __future__ import annotations

import pytest
from click.testing import CliRunner

from orggraph.cli import cli
from orggraph.errors import InputError
from orggraph.graph.named_queries import run_named_query
from orggraph.graph.passages import add_passages, read_passage

DOCUMENT = "2019-02-21-security-industry-joint-meeting.txt"


def test_passage_of_a_duty_is_its_wording(bundled, corpus_dir):
    rows = list(run_named_query(bundled, "evidence", {"of": "国家工程实验室验收"}))
    quoted = add_passages(run_named_query(bundled, "evidence", {"of": "国家工程实验室验收"}), bundled, [corpus_dir])
    assert [str(row.passage) for row in quoted] == ["國家工程實驗室驗收"]
    assert read_passage(bundled, DOCUMENT, int(rows[0].start), int(rows[0].end), [corpus_dir]) == "國家工程實驗室驗收"


def test_a_changed_document_is_refused(bundled, tmp_path, seed_document):
    (tmp_path / DOCUMENT).write_bytes(seed_document.read_bytes() + b"\n")
    with pytest.raises(InputError, match="SHA-256 differs"):
        read_passage(bundled, DOCUMENT, 0, 4, [tmp_path])


def test_a_missing_document_says_where_it_looked(bundled, tmp_path):
    with pytest.raises(InputError, match=r"not found \(searched .*\); pass folders"):
        read_passage(bundled, DOCUMENT, 0, 4, [tmp_path])


def test_identifiers_cannot_escape_the_corpus_folder(bundled, tmp_path):
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with pytest.raises(InputError, match="records no SHA-256"):
        read_passage(bundled, "../secret.txt", 0, 6, [corpus])


def test_a_document_the_graph_records_no_sha256_for_is_never_quoted(tmp_path):
    # an evidence graph naming any file of the folder would otherwise quote it (.netrc)
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import DCTERMS

    (tmp_path / ".netrc").write_text("machine example.org password hunter2", encoding="utf-8")
    graph = Graph()
    graph.add((URIRef("urn:doc"), DCTERMS.identifier, Literal(".netrc")))
    with pytest.raises(InputError, match=r"records no SHA-256 for \.netrc"):
        read_passage(graph, ".netrc", 0, 10, [tmp_path])


def test_a_link_in_the_corpus_folder_is_not_followed(bundled, tmp_path, seed_document):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / DOCUMENT).symlink_to(seed_document)  # the right bytes, but outside the folder
    with pytest.raises(InputError, match="a link, not a document of"):
        read_passage(bundled, DOCUMENT, 0, 4, [corpus])


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig"])
def test_a_document_extracted_in_any_encoding_is_quoted_afterwards(corpus_dir, tmp_path, encoding):
    from rdflib.namespace import SKOS

    from orggraph.extract.candidates import to_dataset
    from orggraph.extract.rules import extract
    from orggraph.store.sparql import run_query
    from orggraph.text.documents import read_document

    name = "kxj-cspia-joint-2023-02-07.txt"
    text = (corpus_dir / name).read_text(encoding="utf-8")
    (tmp_path / name).write_bytes(text.encode(encoding, errors="replace"))
    graph = to_dataset([extract(read_document(tmp_path / name))])
    rows = list(
        run_query(
            graph,
            """SELECT ?o ?start ?end WHERE { ?o a org:Organization ;
                 prov:wasDerivedFrom/oa:hasSelector [ oa:start ?start ; oa:end ?end ] }""",
        )
    )
    assert len(rows) > 3
    for organisation, start, end in rows:
        names = {str(n) for n in graph.objects(organisation, SKOS.prefLabel | SKOS.altLabel)}
        passage = read_passage(graph, name, int(start), int(end), [tmp_path])
        assert any(n in passage for n in names), (passage, names)  # a parent is cited in its unit's name


def test_cli_run_evidence_quotes_passages(corpus_dir):
    result = CliRunner().invoke(cli, ["run", "evidence", "-p", "of", "中安协", "--corpus", str(corpus_dir)])
    assert result.exit_code == 0
    assert "中國安全防范產品行業協會" in result.output and "passage" in result.output.splitlines()[0]


def test_offsets_that_are_not_numbers_are_a_clear_error(tmp_path):
    from rdflib import Graph

    from orggraph.graph.passages import add_passages
    from orggraph.store.sparql import run_query

    graph = Graph()
    graph.parse(
        data="""@prefix oa: <http://www.w3.org/ns/oa#> . @prefix dcterms: <http://purl.org/dc/terms/> .
        <urn:e> oa:hasSource <urn:d> ; oa:hasSelector [ oa:start "three" ; oa:end "4" ] .
        <urn:d> dcterms:identifier "a.txt" .""",
        format="turtle",
    )
    rows = run_query(
        graph,
        "SELECT ?document ?start ?end WHERE { ?e oa:hasSource/dcterms:identifier ?document ;"
        " oa:hasSelector [ oa:start ?start ; oa:end ?end ] }",
    )
    with pytest.raises(InputError, match="not whole numbers"):
        add_passages(rows, graph, [tmp_path])
