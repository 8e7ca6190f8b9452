"""The layout of a document before any clause is read: is it a notice, who issued it, to whom,
its date, and where its numbered sections start.

An official notice (通知, 决定, 意见, 函 …) has a letterhead or a title ``ISSUER关于…的通知``, often
a file number (``苍府办函〔2019〕43号``), a line of addressees ending in a colon (主送), numbered
sections (一、 （一） 1. ①), and a signature: the issuer's name on a line of its own above the date.
A news release has none of these and is read as a meeting report.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from orggraph.extract.findings import Finding
from orggraph.text.documents import Document

__all__ = ["Layout", "Section", "read_layout"]

_NOTICE_TITLE = re.compile(r"(?:通知|决定|意见|批复|通报|办法|方案|的函|公告|通告)\s*$")
_FILE_NUMBER = re.compile(r"[〔\[［][12]\d{3}[〕\]］]\s*\d+\s*号")
_FULL_DATE = re.compile(r"^\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
_HEADING = re.compile(
    r"^\s*(?:(?P<l1>[一二三四五六七八九十]+)[、.．]|[(（](?P<l2>[一二三四五六七八九十]+)[)）]|(?P<l3>\d+)[.．、](?!\d)|(?P<l4>[①-⑳]))"
)


@dataclass
class Section:
    """A numbered section: its level (1 for 一、, 2 for （一）, 3 for 1., 4 for ①), its heading
    text (up to the first 。 or the end of its line) and where it starts and ends."""

    level: int
    heading: str
    start: int
    heading_end: int
    end: int


@dataclass
class Layout:
    """What the layout says about a document."""

    is_notice: bool = False
    issuer: str | None = None
    addressees: list[str] = field(default_factory=list)
    year: int | None = None
    sections: list[Section] = field(default_factory=list)
    _index: tuple[list[int], list[tuple[int, Section]], list[int]] = field(
        default=([], [], []), repr=False, compare=False
    )
    _index_key: tuple[int, int] | None = field(default=None, repr=False, compare=False)

    def section_at(self, position: int, level: int | None = None) -> Section | None:
        """The innermost section (or the one of ``level``) that contains ``position``."""
        starts, ordered, reach = self._index_of_sections()
        found: list[tuple[int, Section]] = []
        at = bisect.bisect_right(starts, position) - 1
        while at >= 0 and reach[at] > position:  # no earlier section reaches past here: stop
            order, section = ordered[at]
            if position < section.end and (level is None or section.level == level):
                found.append((order, section))
            at -= 1
        found.sort(key=lambda pair: pair[0])  # as listed, so that ties go to the first
        return max((s for _, s in found), key=lambda s: s.level) if found else None

    def _index_of_sections(self) -> tuple[list[int], list[tuple[int, Section]], list[int]]:
        """The sections by start (with their place in the list), their starts, and the furthest
        end of each prefix: made once for a list of sections."""
        key = (id(self.sections), len(self.sections))
        if self._index_key != key:
            ordered = sorted(enumerate(self.sections), key=lambda pair: pair[1].start)
            reach, furthest = [], -1
            for _, section in ordered:
                furthest = max(furthest, section.end)
                reach.append(furthest)
            self._index = ([s.start for _, s in ordered], ordered, reach)
            self._index_key = key
        return self._index


def _lines(text: str) -> list[tuple[int, int, str]]:
    lines, start = [], 0
    for line in text.split("\n"):
        lines.append((start, start + len(line), line.strip()))
        start += len(line) + 1
    return [line for line in lines if line[2]]


def read_layout(doc: Document, organisations: Sequence[Finding]) -> Layout:
    """Read the layout of ``doc`` given the organisations found in it."""
    text = doc.simplified
    lines = _lines(text)
    layout = Layout()

    def whole_line_organisation(start: int, end: int) -> str | None:
        line = text[start:end].strip()
        offset = start + text[start:end].index(line) if line else start
        match = next((o for o in organisations if o.start == offset and o.end == offset + len(line)), None)
        return (match.attributes.get("alias_of") or match.name) if match else None

    head = lines[:6]
    layout.is_notice = any(_NOTICE_TITLE.search(line) or _FILE_NUMBER.search(line) for _, _, line in head)
    if layout.is_notice:
        for start, end, line in head:
            issuer = whole_line_organisation(start, end)
            if issuer:
                layout.issuer = issuer
                break
            about = line.find("关于")
            if about > 0:
                owner = next((o for o in organisations if o.start == start and o.end == start + about), None)
                if owner is not None:
                    layout.issuer = owner.attributes.get("alias_of") or owner.name
                    break
        for index, (_, _, line) in enumerate(lines):
            date = _FULL_DATE.match(line)
            if date:
                layout.year = int(date[1])
                if layout.issuer is None and index > 0:
                    layout.issuer = whole_line_organisation(*lines[index - 1][:2])
        for _, _, line in lines[:8]:
            if line.endswith((":", "：")) and len(line) <= 80 and not _HEADING.match(line):
                layout.addressees = [line[:-1]]
                break
    for start, _, line in lines:
        match = _HEADING.match(line)
        if match is None:
            continue
        level = next(int(key[1]) for key in ("l1", "l2", "l3", "l4") if match.group(key))
        stop = re.search("[。:：]", line)
        heading_end = start + (stop.start() if stop else len(line))
        heading = text[start + match.end() : heading_end].strip()
        layout.sections.append(Section(level, heading, start, heading_end, len(text)))
    # a section ends where the next of its level or above starts: the open sections, deepest last
    open_sections: list[Section] = []
    for section in layout.sections:
        while open_sections and open_sections[-1].level >= section.level:
            open_sections.pop().end = section.start
        open_sections.append(section)
    return layout
