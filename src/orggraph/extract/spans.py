"""Spans of a document's matching text: trimmed, split into list items, split into clauses."""

from __future__ import annotations

import re

from orggraph.text.documents import Document

__all__ = ["clauses", "clean_span", "list_items"]

_EDGE = " ,，、;；:：。\n\t\u3000“”\"'‘’《》"


def clean_span(doc: Document, start: int, end: int) -> tuple[str, int, int]:
    """The cleaned text of a span, trimmed of spaces and edge punctuation, with its new bounds.

    >>> from orggraph.text.documents import document_from_text
    >>> clean_span(document_from_text("，加强协作；"), 0, 6)
    ('加强协作', 1, 5)
    """
    text = doc.simplified
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return doc.clean.text[start:end], start, end


def list_items(doc: Document, start: int, end: int, separators: str = "、") -> list[tuple[str, int, int]]:
    """Split the span into list items at the separators (a regex alternation).

    >>> from orggraph.text.documents import document_from_text
    >>> [item for item, _, _ in list_items(document_from_text("甲方案、乙方案和丙方案"), 0, 11, "、|和")]
    ['甲方案', '乙方案', '丙方案']
    """
    items, cursor = [], start
    for match in re.finditer(separators, doc.simplified[start:end]):
        items.append(clean_span(doc, cursor, start + match.start()))
        cursor = start + match.end()
    items.append(clean_span(doc, cursor, end))
    return [item for item in items if len(item[0]) >= 2]


def clauses(doc: Document, start: int, end: int, separators: str = "[,，;；]") -> list[tuple[int, int]]:
    """[start, end) of the clauses of a span, split at commas and semicolons (outside brackets)."""
    text = doc.simplified
    spans, cursor, depth = [], start, 0
    for index in range(start, end):
        char = text[index]
        if char in "(（《“":
            depth += 1
        elif char in ")）》”" and depth:
            depth -= 1
        elif depth == 0 and re.match(separators, char):
            spans.append((cursor, index))
            cursor = index + 1
    spans.append((cursor, end))
    return [(a, b) for a, b in spans if b > a]
