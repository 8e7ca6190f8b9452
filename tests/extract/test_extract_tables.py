"""Task tables flattened to text (extract/tables.py)."""

from __future__ import annotations

from helpers import TEST_DATA

from orggraph.extract.tables import find_tables
from orggraph.text.documents import document_from_text


def _is_unit(item: str) -> bool:
    return item.endswith(("局", "政府"))


def test_rows_fill_merged_cells_from_the_row_above():
    text = (TEST_DATA / "extraction" / "village-tasks-table-2022.txt").read_text(encoding="utf-8")
    (rows,) = find_tables(document_from_text(text), _is_unit)
    assert [row["category"].text for row in rows] == ["厕所革命", "厕所革命", "垃圾治理", "污水治理"]
    assert rows[1]["task"].text == "开展问题厕所排查整改"
    assert rows[3]["participant"].text == "县生态环境保护局、县财政局"
    assert rows[0]["deadline"].text == "2022年10月底"


def test_cells_lost_in_copying_are_placed_by_what_they_hold():
    text = (TEST_DATA / "extraction" / "village-tasks-table-2022.txt").read_text(encoding="utf-8")
    squeezed = text.replace("\t\t", "\t").replace("\t", "   ")  # the empty cell is gone
    document = document_from_text(squeezed)
    (rows,) = find_tables(document, _is_unit)
    assert rows[1]["category"].text == "厕所革命" and rows[1]["task"].text == "开展问题厕所排查整改"
    assert rows[1]["lead"].text == "县卫生健康局"
    cell = rows[2]["task"]
    assert document.simplified[cell.start : cell.end] == cell.text


def test_text_without_a_header_row_has_no_table():
    assert find_tables(document_from_text("序号 1\n主要任务很多\n"), _is_unit) == []
