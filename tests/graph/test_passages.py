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
    with pytest.raises(InputError, match="not found"):
        read_passage(bundled, "../secret.txt", 0, 6, [corpus])


def test_cli_run_evidence_quotes_passages(corpus_dir):
    result = CliRunner().invoke(cli, ["run", "evidence", "-p", "of", "中安协", "--corpus", str(corpus_dir)])
    assert result.exit_code == 0
    assert "中國安全防范產品行業協會" in result.output and "passage" in result.output.splitlines()[0]
