"""What the pages show, read from the bundled graph: the search over every label and alias, and
an organisation's page."""

from __future__ import annotations

import pytest

from orggraph.resources import data_files
from orggraph.store.loading import close_graph, load_files, load_graph
from orggraph.web.pages import document_page, meeting_page, organisation_page, search

CSPIA = "https://w3id.org/orggraph/id/cspia"


@pytest.fixture(scope="module")
def graph():
    return load_graph(prebuilt=True)


@pytest.mark.parametrize("text", ["中安协", "中國安全防范產品行業協會", "cspia", "Security & Protection Industry"])
def test_search_finds_an_organisation_by_any_label_or_alias_in_either_script(graph, text):
    assert CSPIA in [row["thing"] for row in search(graph, text)]


@pytest.mark.parametrize("text", ['"} } DROP ALL #', "?thing", "\\u0022", "   "])
def test_search_text_is_a_value_never_syntax(graph, text):
    assert search(graph, text) == []


def test_an_organisation_page_holds_names_duties_meetings_and_timeline(graph):
    page = organisation_page(graph, CSPIA)
    assert page is not None
    assert {"中安协", "CSPIA"} <= {row["name"] for row in page["names"]}
    assert len(page["duties"]) == 31 and {row["period"] for row in page["duties"]} == {2019, 2023}
    assert page["meetings"] and all(row["document"] for row in page["meetings"])
    assert {row["kind"] for row in page["timeline"]} >= {"convened", "duty"}


def test_a_unit_page_names_what_it_is_part_of(graph):
    units = organisation_page(graph, "https://w3id.org/orggraph/id/mps")
    assert units is not None and units["units"]
    first = units["units"][0]["other"]
    assert any(row["other"] == "https://w3id.org/orggraph/id/mps" for row in organisation_page(graph, first)["parents"])


def test_a_thing_the_graph_does_not_know_has_no_page(graph):
    assert organisation_page(graph, "urn:nothing") is None


def test_a_document_page_marks_every_cited_passage(graph, corpus_dir):
    page = document_page(graph, "cspia-assoc-heads-2018-05-03.txt", [corpus_dir])
    assert page is not None and page["facts"] > 20
    text = "".join(piece["text"] for piece in page["pieces"])
    assert text == (corpus_dir / "cspia-assoc-heads-2018-05-03.txt").read_text(encoding="utf-8")
    cited = [piece for piece in page["pieces"] if piece["start"] == 818]
    assert cited and "中国安全防范产品行业协会" in cited[0]["facts"]


def test_a_document_the_graph_cites_nothing_from_has_no_page(graph, corpus_dir):
    assert document_page(graph, "passwd", [corpus_dir]) is None


def test_a_meeting_page_holds_when_where_who_and_what_was_assigned(graph):
    page = meeting_page(graph, "https://w3id.org/orggraph/id/meeting-2019-02-21-joint-meeting")
    assert page is not None
    about = page["about"][0]
    assert str(about["date"]) == "2019-02-21" and about["convener"] == "公安部科技信息化局"
    assert {row["kind"] for row in page["attendees"]} == {"organisation", "person"}
    assert [row["no"] for row in page["duties"]] == [1, 2, 3, 4, 5]  # the top-level duties, in order
    assert meeting_page(graph, CSPIA) is None  # an organisation is no meeting


def test_what_several_loaded_files_state_is_shown_once(tmp_path):
    # Oxigraph's union of named graphs repeats a statement once per file that makes it
    spec = f"oxigraph:{tmp_path / 'db'}"
    load_files(spec, data_files(), optimize=False)
    loaded = load_graph(store=spec)
    try:
        page = organisation_page(loaded, "https://w3id.org/orggraph/id/mps")
        assert page is not None
        for section in ("names", "duties", "posts"):
            rows = [tuple(sorted(row.items())) for row in page.get(section, [])]
            assert len(rows) == len(set(rows)), section
        assert len(page["names"]) > 1
    finally:
        close_graph(loaded)
