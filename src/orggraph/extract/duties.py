"""Duties: clauses that tell an organisation, or a set of them, to do something.

A duty is found, inside the layout of its document, where the genre puts one:

- a subject and a verb of obligation: ``X负责/牵头/配合/要/应/须/将…`` (``X要负责…``,
  ``对…的,X将…``), clause by clause (``X负责…;Y负责…``), a clause without a subject keeping the
  subject of the one before (``X应该要…;要…``), ``希望X…``;
- the clauses of a section about duties (``一、主要职责``, ``三、工作机构及其职责``): each is a duty
  of the sentence's subject, else of the body the document sets up;
- a meeting's requirements (``会议要求/强调,X要…``) and the numbered tasks that follow them
  (``一是…二是…``), whose elaborations are sub-tasks;
- an enumeration of aspects: ``从A、B、C等方面对X提出…``.

The assignee is the clause's subject, else the enumeration's addressee, else the notice's
addressees, else the body the document is about, and only then the collective a meeting names.
The assigner is the notice's issuer, else the meeting's convener. The year is the one stated,
else the notice's or the meeting's.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from orggraph.extract.findings import Extraction, Finding
from orggraph.extract.layout import Layout
from orggraph.extract.lexicon import COLLECTIVE_UNITS, DUTY_VERBS, SECTION_DUTY_WORDS, SUFFIXES
from orggraph.extract.spans import clauses, clean_span, list_items
from orggraph.extract.tables import find_tables
from orggraph.text.documents import Document
from orggraph.text.normalization import to_simplified

__all__ = ["find_collectives", "find_duties"]

_ORDINAL = re.compile(r"([一二三四五六七八九十]+)是")
_MODAL = (
    "(?:在(?:\\d{4})年)?(?:相关工作|等单位)?(?:要|应该要|应该|应当|应|须|必须|将|需|务必)?(?:切实|认真|全面|继续|重点)?"
)
_OBLIGED = re.compile(r"(?:在)?(?:\d{4}年)?(?:相关工作|等单位)?(?:要|应该要|应该|应当|应|须|必须|将|需)")
_VERB = re.compile("(?:" + "|".join(sorted(DUTY_VERBS, key=len, reverse=True)) + ")(?!同志|人)")
_REQUIREMENT = re.compile(r"^[^\u4e00-\u9fff]*(?:会议|会上)?(?:还)?(?:要求|强调|指出|部署|提出|明确)[,，:：]")
_UNITS = "(?:" + "|".join(sorted({*COLLECTIVE_UNITS, *SUFFIXES}, key=len, reverse=True)) + ")"
_LISTED_COLLECTIVE = re.compile(  # 县农办等有建设任务的县级部门
    r"(?<=[,，。;；:：\n])[\u4e00-\u9fff]{2,12}?等[\u4e00-\u9fff]{0,14}?(?:单位|部门)"
)
_SECTION_VERB = re.compile("设在|负责|主要负责|承担|牵头|要|应|须")
_OWN_DUTY = re.compile("(?:主要|具体)?(?:负责|承担)(?!同志|人)")
_HOUSING = re.compile(r"^(?:设在|挂靠|由.+(?:兼任|担任)|.*成立|.*撤销)")


_UNIT_END = re.compile(_UNITS + "$")
# characters that may follow a collective's name: a verb, a modal or a function word starts there
_AFTER_COLLECTIVE = set("要应须将在负牵配和与及的等也都均分积认切继全对为从按根并开做加推落进抓确以,，、;；:：。")


def find_collectives(doc: Document) -> list[Finding]:
    """Collectives the text names (各成员单位, 各地学会, 县农办等有建设任务的县级部门): 各 and a unit
    word, ending where a verb or function word starts (各委员单位要 → 各委员单位, not 各委)."""
    text = doc.simplified
    found = []
    for match in re.finditer("各", text):
        start = match.start()
        for end in range(start + 2, min(len(text), start + 14) + 1):
            if not _UNIT_END.search(text[start:end]):
                continue
            following = text[end : end + 1]
            if following and following not in _AFTER_COLLECTIVE and "\u4e00" <= following <= "\u9fff":
                continue
            joined = re.match(rf"[和及与][\u4e00-\u9fff]{{0,4}}?{_UNITS}", text[end:])  # 各乡镇和部门
            if joined:
                end += joined.end()
            found.append(Finding("group", doc.clean.text[start:end], start, end))
            break
    for match in _LISTED_COLLECTIVE.finditer(text):
        found.append(Finding("group", doc.clean.text[match.start() : match.end()], match.start(), match.end()))
    return found


class _Context:
    def __init__(
        self,
        doc: Document,
        result: Extraction,
        subjects: Sequence[Finding],
        layout: Layout,
        assigner: str | None,
        year: str,
        meeting: str | None,
    ) -> None:
        self.doc, self.result, self.subjects, self.layout = doc, result, subjects, layout
        self.assigner, self.year, self.meeting = assigner, year, meeting
        self.added: set[tuple[str, int, int]] = set()

    def subject_at(self, start: int, end: int) -> tuple[list[str], int] | None:
        """The subjects (one name, or a distributed list) that open the span, and where they end."""
        text = self.doc.simplified
        position = start
        names: list[str] = []
        while position < end:
            mention = max(
                (s for s in self.subjects if s.start == position and s.end <= end),
                key=lambda s: s.end - s.start,
                default=None,
            )
            if mention is None:
                break
            names.extend(mention.attributes.get("distributes") or [mention.attributes.get("alias_of") or mention.name])
            position = mention.end
            if text[position : position + 1] in ("、", "和", "与", "及"):
                position += 1
                continue
            break
        return (names, position) if names else None

    def add(self, assignees: Sequence[str], duty: str, start: int, end: int, parent: str | None = None) -> None:
        if len(duty) < 2 or ((duty, start, end) in self.added and not assignees):
            return
        self.added.add((duty, start, end))
        attributes: dict[str, object] = {"year": self.year, "assignee": "、".join(assignees)}
        if self.meeting:
            attributes["meeting"] = self.meeting
        self.result.findings.append(Finding("duty", duty, start, end, attributes))
        for assignee in assignees:
            self.result.add_relation(assignee, "assignedDuty", duty)
        if parent:
            self.result.add_relation(parent, "hasSubTask", duty)
        # a notice assigns every duty it states; at a meeting a sub-task has its parent's assigner
        if self.assigner and (parent is None or self.layout.is_notice):
            self.result.add_relation(duty, "assignedBy", self.assigner)


def _strip_modal(text: str, start: int, end: int) -> int:
    match = re.match(_MODAL, text[start:end])
    position = start + (match.end() if match else 0)
    verb = _VERB.match(text, position)
    if verb and verb.group() in ("负责", "主要负责", "牵头", "配合"):
        position = verb.end()
    return position


def find_duties(
    doc: Document,
    result: Extraction,
    organisations: Sequence[Finding],
    layout: Layout,
    *,
    meeting: str | None,
    convener: str | None,
    meeting_year: str | None,
    body: str | None,
) -> None:
    """Find the duties of ``doc`` and add them to ``result``."""
    collectives = find_collectives(doc)
    subjects = sorted(
        [o for o in organisations if not o.attributes.get("nested")] + collectives, key=lambda f: (f.start, -f.end)
    )
    assigner = layout.issuer if layout.is_notice and layout.issuer else convener
    year = str(layout.year or meeting_year or "")
    context = _Context(doc, result, subjects, layout, assigner, year, meeting)
    _numbered_tasks(context)
    _tables(context, organisations)
    for start, end in doc.sentences:
        _duty_section(context, start, end, body)
        _subject_clauses(context, start, end)
        _aspects(context, start, end, body)
    if layout.is_notice:
        _headings(context)


def _tables(context: _Context, organisations: Sequence[Finding]) -> None:
    """Rows of task tables: the lead, responsible and participant units are assigned the row's
    most specific task; category → task → measure are sub-tasks."""
    doc = context.doc
    known = {to_simplified(o.name): o.attributes.get("alias_of") or o.name for o in organisations}

    def is_unit(item: str) -> bool:
        plain = to_simplified(item.strip())
        return plain in known or plain.startswith("各") or plain.endswith(tuple(SUFFIXES))

    for rows in find_tables(doc, is_unit):
        for row in rows:
            assignees: list[tuple[str, str]] = []
            for role in ("lead", "responsible", "participant"):
                if role in row:
                    for item in re.split("[、,，;；]", row[role].text):
                        if item.strip():
                            assignees.append((known.get(to_simplified(item.strip()), item.strip()), role))
            parent = None
            levels = [row[role] for role in ("category", "task", "measure") if role in row and row[role].text]
            for depth, cell in enumerate(levels):
                last = depth == len(levels) - 1
                context.add([name for name, _ in assignees] if last else [], cell.text, cell.start, cell.end, parent)
                parent = cell.text


def _headings(context: _Context) -> None:
    """A numbered heading of a notice (（一）压实防汛责任。) is a duty of the one unit (or list of
    units) its own text then tells what to do."""
    text = context.doc.simplified
    by_start = sorted(context.layout.sections, key=lambda s: s.start)
    section_starts = [s.start for s in by_start]
    duties = sorted((f for f in context.result.findings if f.kind == "duty"), key=lambda f: f.start)
    duty_starts = [f.start for f in duties]
    for section in context.layout.sections:
        heading = section.heading
        if not (2 <= len(heading) <= 16) or re.search(r"[,，;；:：]", heading):
            continue
        if any(word in heading for word in SECTION_DUTY_WORDS):
            continue
        # where its own text ends: the first deeper section inside it, else its end
        own_end = section.end
        for at in range(bisect.bisect_right(section_starts, section.start), len(by_start)):
            later = by_start[at]
            if later.start >= own_end:
                break
            if later.level > section.level:
                own_end = later.start
                break
        inside = duties[
            bisect.bisect_right(duty_starts, section.heading_end) : bisect.bisect_left(duty_starts, own_end)
        ]
        assigned = {f.attributes.get("assignee") for f in inside}
        if len(assigned) == 1 and (names := next(iter(assigned))):
            start = text.index(heading, section.start)
            context.add(
                str(names).split("、"),
                context.doc.clean.text[start : start + len(heading)],
                start,
                start + len(heading),
            )


def _duty_section(context: _Context, start: int, end: int, body: str | None) -> None:
    """The first sentence after a heading about duties: each clause is a duty."""
    doc, text = context.doc, context.doc.simplified
    section = context.layout.section_at(start)
    if section is None or not any(word in section.heading for word in SECTION_DUTY_WORDS):
        return
    at = bisect.bisect_left(doc.sentences, (section.heading_end,))
    first = doc.sentences[at] if at < len(doc.sentences) and doc.sentences[at][0] < section.end else None
    opening = context.subject_at(start, end)
    if first is None:
        return
    # a later sentence of the section counts when it opens with a unit and what it does
    if first[0] != start and (opening is None or not _SECTION_VERB.match(text, opening[1])):
        return
    assignees = opening[0] if opening else ([body] if body else [])
    cursor = opening[1] if opening else start
    for clause_start, clause_end in clauses(doc, cursor, end):
        clause = text[clause_start:clause_end]
        if _HOUSING.match(clause) or "兼任" in clause or "担任" in clause:
            continue
        position = _strip_modal(text, clause_start, clause_end)
        duty, a, b = clean_span(doc, position, clause_end)
        if assignees and len(duty) >= 4:
            context.add(assignees, duty, a, b)


def _subject_clauses(context: _Context, start: int, end: int) -> None:
    """``X负责…;Y要…``: a subject and a verb of obligation, clause by clause. A duty runs from its
    verb to the end of its segment (up to the next ;), or to the next clause with a subject of its
    own; a segment without a subject that starts with 要/应 keeps the subject of the one before."""
    doc, text = context.doc, context.doc.simplified
    if _ORDINAL.search(text, start, end):
        return
    previous: list[str] | None = None
    if _REQUIREMENT.match(text[start:end]):  # its first clause is a requirement; the rest may name units
        semicolon = re.search("[;；]", text[start:end])
        if semicolon is None:
            return
        first_clauses = clauses(doc, start, start + semicolon.start(), "[,，]")
        subjects = (context.subject_at(a, b) for a, b in first_clauses)
        previous = next((subject[0] for subject in subjects if subject), None)
        start += semicolon.end()
    heading = context.layout.section_at(start)
    if heading is not None and heading.start <= start < heading.heading_end:
        start = heading.heading_end + 1
    first = context.subject_at(start, end)
    sentence_subject = first[0] if first else None
    for segment_start, segment_end in clauses(doc, start, end, "[;；]"):
        openings = []  # (names, where the duty starts, where the clause starts)
        for clause_start, clause_end in clauses(doc, segment_start, segment_end, "[,，]"):
            names_start = clause_start + (2 if text.startswith("希望", clause_start) else 0)
            opening = context.subject_at(names_start, clause_end)
            if opening is None and sentence_subject and _OWN_DUTY.match(text, clause_start):
                opening = (sentence_subject, clause_start)  # …成立,主要负责…: the sentence's subject
            if opening is None:
                continue
            names, after = opening
            obligation = _OBLIGED.match(text, after)
            verb = _VERB.match(text, obligation.end() if obligation else after)
            if obligation is None and verb is None and names_start == clause_start:
                continue
            openings.append((names, _strip_modal(text, after, segment_end), clause_start))
        if not openings:
            if previous and re.match("要|应|须|并", text[segment_start:segment_end]):
                duty, a, b = clean_span(doc, _strip_modal(text, segment_start, segment_end), segment_end)
                context.add(previous, duty, a, b)
            else:
                previous = None
            continue
        for index, (names, duty_start, _) in enumerate(openings):
            duty_end = openings[index + 1][2] if index + 1 < len(openings) else segment_end
            for a, b in _in_order(text, duty_start, duty_end):
                duty, a, b = clean_span(doc, a, b)
                if len(duty) >= 4:
                    context.add(names, duty, a, b)
            previous = names


_SEQUENCE = re.compile("首先|其次|再次|然后|最后|[一二三四五六七八九十]是|第[一二三四五六七八九十]")


def _in_order(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A clause that lists tasks in order (首先…,其次…,最后…) as one span per task."""
    marks = [
        m for m in _SEQUENCE.finditer(text, start, end) if m.start() == start or text[m.start() - 1] in ",，;；要应须"
    ]
    if len(marks) < 2:
        return [(start, end)]
    bounds = [m.end() for m in marks]
    ends = [m.start() for m in marks[1:]] + [end]
    return list(zip(bounds, ends, strict=True))


def _aspects(context: _Context, start: int, end: int, body: str | None) -> None:
    """``从A、B、C等方面对X提出…``: each aspect is a duty of X (else of the collective the sentence
    names, else of the body)."""
    doc, text = context.doc, context.doc.simplified
    for match in re.finditer(
        r"从((?:[^,，。;；、]{2,30}、)+[^,，。;；]{2,30}?)(?:等方面)?(?:对(.{2,20}?)(?:的工作)?提出|(?=\[|…|$))",
        text[start:end],
    ):
        if match.group(2):
            owner_start = start + match.start(2)
            owner = context.subject_at(owner_start, start + match.end(2))
            assignees = owner[0] if owner else [doc.clean.text[owner_start : start + match.end(2)]]
        else:
            named = [s for s in context.subjects if s.kind == "group" and start <= s.start < start + match.start()]
            assignees = [named[-1].name] if named else ([body] if body else [])
        if not assignees:
            continue
        for item, a, b in list_items(doc, start + match.start(1), start + match.end(1)):
            context.add(assignees, item.removesuffix("等方面"), a, b)


def _numbered_tasks(context: _Context) -> None:
    """A meeting's requirements (会议要求,X要…) and numbered tasks (一是…) with their elaborations."""
    doc, text = context.doc, context.doc.simplified
    assignees: list[str] = []
    head: str | None = None
    current: str | None = None
    for start, end in doc.sentences:
        sentence = text[start:end]
        requirement = _REQUIREMENT.match(sentence)
        if requirement:
            position = start + requirement.end()
            # the subject may follow an opening phrase: 会议要求,新年伊始,X要…
            for clause_start, clause_end in clauses(doc, position, end):
                opening = context.subject_at(clause_start, clause_end)
                if opening is None:
                    continue
                names, after = opening
                stated = re.match(r"在?(\d{4})年", text[after:clause_end])
                if stated:
                    context.year = stated.group(1)
                if not _OBLIGED.match(text, after):
                    continue
                assignees = names
                duty_start = _strip_modal(text, after, end)
                colon = re.search("[:：]", text[duty_start:end])
                head = None
                current = None
                if colon:  # 要重点开展好四方面工作:一是… announces the tasks that follow
                    break
                segment_end = next((m.start() for m in re.finditer("[;；]", text[duty_start:end])), None)
                segment_end = end if segment_end is None else duty_start + segment_end
                for item, a, b in list_items(doc, duty_start, segment_end, "[,，]"):
                    context.add(assignees, item.removeprefix("要"), a, b)
                    head = head or item.removeprefix("要")
                break
        ordinal = _ORDINAL.search(sentence)
        if ordinal and assignees:
            duty, a, b = clean_span(doc, start + ordinal.end(), end)
            current = duty
            context.add(assignees, duty, a, b, head)
            continue
        if requirement or current is None or not assignees:
            continue
        for clause_start, clause_end in clauses(doc, start, end, "[;；]"):
            for item, a, b in _sub_tasks(doc, clause_start, clause_end):
                context.add(assignees, item, a, b, current)


def _sub_tasks(doc: Document, start: int, end: int) -> list[tuple[str, int, int]]:
    clause = doc.simplified[start:end]
    listed = re.search(r"(?:围绕|完成|推进)(.+?)(?:两项|三项|四项|等)", clause)
    means = re.search(r"通过(.+?)[,，]", clause)
    found: list[tuple[str, int, int]] = []
    if means:
        found += list_items(doc, start + means.start(1), start + means.end(1), "和")
    if listed and "、" in listed.group(1):
        found += list_items(doc, start + listed.start(1), start + listed.end(1))
        return found
    if means and not listed:
        return found
    if clause.startswith(("要", "在")) and "," not in clause[:4]:
        pieces = list_items(doc, start, end, "[,，]")
        if clause.startswith("在"):  # 在…时, 要…, … 开展: the clause is one task
            return [clean_span(doc, start, end)]
        return [(item.lstrip("要"), a + (1 if item.startswith("要") else 0), b) for item, a, b in pieces]
    return [clean_span(doc, start, end)]
