"""The layout of a notice (extract/layout.py): issuer, addressees, year and numbered sections."""

from __future__ import annotations

from helpers import TEST_DATA

from orggraph.extract.layout import read_layout
from orggraph.extract.rules import extract
from orggraph.text.documents import document_from_text, read_document


def _layout(document):
    organisations = [f for f in extract(document).findings if f.kind == "organisation"]
    return read_layout(document, organisations)


def test_a_notice_names_its_issuer_addressees_year_and_sections():
    layout = _layout(read_document(TEST_DATA / "extraction" / "flood-group-2021.txt"))
    assert layout.is_notice
    assert layout.issuer == "白河县人民政府办公室"
    assert layout.addressees == ["各乡镇人民政府,县政府各部门"]
    assert layout.year == 2021
    headings = [(s.level, s.heading) for s in layout.sections]
    assert (1, "主要职责") in headings and (2, "压实防汛责任") in headings
    inner = next(s for s in layout.sections if s.heading == "压实防汛责任")
    assert layout.section_at(inner.start + 3) is inner
    assert layout.section_at(inner.start + 3, level=1).heading == "工作要求"


def test_a_news_release_is_not_a_notice():
    layout = _layout(document_from_text("5月6日,青松县教育局召开安全工作会议。"))
    assert not layout.is_notice and layout.issuer is None and layout.sections == []
