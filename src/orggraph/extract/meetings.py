"""The meeting a release reports: its name, date, place and convener, who attended, chaired and
spoke, and what it heard and discussed.

The genre writes a meeting in a few shapes:

- ``DATE, CONVENER [与 CONVENER] 在 PLACE 召开(了) NAME`` (a news release);
- ``NAME 于 DATE 在 PLACE 召开`` and ``DATE, NAME 隆重召开`` (the meeting as the subject);
- dates without a year (``2月7日``, ``10月29日至31日``) take it from the meeting's name or the
  page's dateline or byline;
- attendance: ``…出席/参加/邀请到…``, a count ``共N人`` / ``N余位代表``; ``会议由X主持``;
  speakers ``X…讲话/致辞/报告/宣读…``, ``分别致辞`` for everyone just listed;
- agenda ``介绍/听取/审议了…``, acts of the ceremony (宣读…, 为…授牌, 进行…仪式, 向…颁发…,
  题为《…》的报告, 就…进行交流); topics ``围绕…等议题/展开``, ``研究/研讨了…``,
  ``对…进行了研究讨论``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from orggraph.extract.findings import Extraction, Finding
from orggraph.extract.lexicon import MEETING_NOUNS
from orggraph.extract.spans import clauses, clean_span, list_items
from orggraph.text.documents import Document
from orggraph.text.normalization import to_simplified

__all__ = ["Meeting", "find_meeting", "meeting_details"]

_HELD = "召开|举行|举办"
_DATE = re.compile(
    r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:\s*(?:上午|下午|晚上))?"
    r"(?:\s*(?:至|到|~|～|-|—)\s*(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日)?"
)
_DOC_DATE = re.compile(r"((?:19|20)\d{2})\s*(?:[-./年])\s*(\d{1,2})\s*(?:[-./月])\s*(\d{1,2})")
_ATTEND = re.compile("出席|参加|邀请到|到会|与会|列席|参会")
_COUNT = re.compile(r"(?:共有?|计|近|约)?(\d+)\s*(余|多)?\s*(?:人|位|名)")
_SPEECH = re.compile("讲话|致辞|发言|报告|通报|宣读|讲到|指出|强调|肯定|总结")


@dataclass
class Meeting:
    """A meeting found in a document."""

    name: str
    start: int
    end: int
    sentence: tuple[int, int]
    conveners: list[str] = field(default_factory=list)
    date: str | None = None
    places: list[tuple[int, int]] = field(default_factory=list)  # spans of where it was held


def _ends_as_meeting(name: str) -> bool:
    return name.endswith(MEETING_NOUNS)


def _without_brackets(text: str) -> str:
    return re.sub(r"[(（][^)）]*[)）]", "", text)


def _document_year(doc: Document) -> tuple[int, int] | None:
    """(year, month) of the page's dateline or byline: the first full date in the text."""
    match = _DOC_DATE.search(doc.raw)  # the raw page: a byline that clean-up drops still dates it
    if match:
        return int(match[1]), int(match[2])
    return None


def _date(doc: Document, start: int, end: int, name: str) -> str | None:
    match = _DATE.search(doc.simplified, start, end)
    if not match:
        return None
    year = int(match[1]) if match[1] else None
    month, day = int(match[2]), int(match[3])
    if year is None:
        in_name = re.search(r"((?:19|20)\d{2})\s*年", name)
        if in_name:
            year = int(in_name[1])
        else:
            dated = _document_year(doc)
            if dated is None:
                return None
            year = dated[0] - (1 if dated[1] < month else 0)  # published in January about December
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _conveners(text: str, organisations: Sequence[Finding], position: int, floor: int) -> list[str]:
    """The organisations that end right before ``position`` (在), joined by 与/和/及, each allowed
    a bracketed note (以下简称…) after it."""
    found: list[str] = []
    when = re.search(r"于[^,，。]{2,24}?$", text[floor:position])  # X于2020年3月5日在…召开
    if when and _DATE.search(when.group()):
        position = floor + when.start()
    while position > floor:
        if text[position - 1 : position] in ")）":
            opening = max(text.rfind("(", floor, position), text.rfind("（", floor, position))
            if opening < 0:
                break
            position = opening
        owner = next((o for o in organisations if o.end == position and o.start >= floor), None)
        if owner is None:
            break
        found.insert(0, owner.attributes.get("alias_of") or owner.name)
        position = owner.start
        if text[position - 1 : position] in ("与", "和", "及", "、"):
            position -= 1
        else:
            break
    return found


def find_meeting(doc: Document, result: Extraction, organisations: Sequence[Finding]) -> Meeting | None:
    """The meeting the document reports, with its date, place and conveners (added to ``result``)."""
    text = doc.simplified
    first: tuple[Meeting, list[tuple[str, str]]] | None = None
    for start, end in doc.sentences:
        sentence = text[start:end]
        meeting = None
        places: list[tuple[str, str]] = []
        held = re.search(rf"在([^\s,，。、]{{2,14}}?)(?:联合|共同|隆重|顺利|胜利)?(?:{_HELD})了?", sentence)
        if held and text[start + held.end() : start + held.end() + 1] in (",", "，", "。", ""):
            held = None  # …在南京市召开,共有…: the meeting was named before the verb
        if held:
            name_span = clean_span(doc, start + held.end(), end)
            rest = text[name_span[1] : name_span[2]]
            stop = re.search(r"[,，。”」\"]", rest)
            name_end = name_span[1] + (stop.start() if stop else len(rest))
            name, name_start, name_end = clean_span(doc, name_span[1], name_end)
            if _ends_as_meeting(to_simplified(name)):
                meeting = Meeting(name, name_start, name_end, (start, end))
                meeting.conveners = _conveners(text, organisations, start + held.start(), start)
                places.append((name, doc.clean.text[start + held.start(1) : start + held.end(1)]))
                meeting.places.append((start + held.start(1), start + held.end(1)))
        if meeting is None:  # CONVENER召开NAME, with no place
            called = re.search(rf"(?:{_HELD})了?[“\"「]?", sentence)
            if called and any(o.end == start + called.start() for o in organisations):
                rest = text[start + called.end() : end]
                stop = re.search(r"[,，。”」\"]", rest)
                name, name_start, name_end = clean_span(
                    doc, start + called.end(), start + called.end() + (stop.start() if stop else len(rest))
                )
                if _ends_as_meeting(to_simplified(name)):
                    meeting = Meeting(name, name_start, name_end, (start, end))
                    meeting.conveners = _conveners(text, organisations, start + called.start(), start)
        if meeting is None:
            subject = re.search(
                rf"^\s*(?:[^,，。]*?日(?:上午|下午)?[,，]\s*)?(?P<name>(?:[^,，。(（\s]|[(（][^)）]*[)）]){{4,80}}?)"
                rf"(?:于(?P<when>[^,，。]{{2,30}}?))?(?:在(?P<place>[^\s,，。]{{2,14}}?))?(?:隆重|顺利|胜利)?(?:{_HELD})",
                sentence,
            )
            if subject:
                raw_name = doc.clean.text[start + subject.start("name") : start + subject.end("name")].strip()
                name = _without_brackets(raw_name).strip()
                if _ends_as_meeting(to_simplified(name)):
                    meeting = Meeting(name, start + subject.start("name"), start + subject.end("name"), (start, end))
                    if subject.group("place"):
                        place = doc.clean.text[start + subject.start("place") : start + subject.end("place")]
                        places.append((name, place))
                        meeting.places.append((start + subject.start("place"), start + subject.end("place")))
        if meeting is None:
            continue
        meeting.date = _date(doc, start, end, meeting.name)
        if meeting.date is None and not places and first is None:
            first = (meeting, places)  # a headline names the meeting; the body may date and place it
            continue
        return _record(result, meeting, places)
    return _record(result, *first) if first else None


def _record(result: Extraction, meeting: Meeting, places: list[tuple[str, str]]) -> Meeting:
    result.findings.append(Finding("meeting", meeting.name, meeting.start, meeting.end))
    for name, place in places:
        result.add_relation(name, "heldIn", place)
    if meeting.date:
        result.add_relation(meeting.name, "heldOn", meeting.date)
    for convener in meeting.conveners:
        result.add_relation(convener, "convened", meeting.name)
    return meeting


def meeting_details(
    doc: Document,
    result: Extraction,
    meeting: Meeting,
    organisations: Sequence[Finding],
    people: Sequence[object],
) -> None:
    """Attendance, chair, speakers, agenda and topics of ``meeting`` (added to ``result``)."""
    text = doc.simplified
    posts = [f for f in result.findings if f.kind == "post"]
    mentions = sorted(((p.start, p.end, p.name) for p in people), key=lambda m: m[0])  # type: ignore[attr-defined]
    counted = False
    for start, end in doc.sentences:
        if end <= meeting.sentence[0]:
            continue
        sentence = text[start:end]
        attend = list(_ATTEND.finditer(sentence))
        if attend:
            if not counted:
                count = _COUNT.search(sentence)
                if count:
                    # 150余人: more than 150, written as the gold files write it
                    at_least = ">" if count.group(2) else ""
                    result.add_relation(meeting.name, "attendeeCount", at_least + count.group(1))
                    counted = True
            last_verb = start + attend[-1].start()
            for a, _, name in mentions:
                if start <= a < last_verb and not _chairs_only(text, a, start, end):
                    result.add_relation(name, "attended", meeting.name)
            for org in organisations:
                if not (start <= org.start < last_verb):
                    continue
                if meeting.start <= org.start < meeting.end or any(p.start <= org.start < p.end for p in posts):
                    continue
                name = org.attributes.get("alias_of") or org.name
                if name in meeting.conveners or org.attributes.get("nested"):
                    continue
                result.add_relation(org.name, "attended", meeting.name)
        for clause_start, clause_end in clauses(doc, start, end, "[,，;；]"):
            clause = text[clause_start:clause_end]
            inside = [m for m in mentions if clause_start <= m[0] < clause_end]
            chair = clause.find("主持")
            if chair >= 0:
                before = [m for m in inside if m[0] < clause_start + chair]
                if before:
                    result.add_relation(before[-1][2], "chaired", meeting.name)
            speech = _SPEECH.search(clause)
            if speech:
                speakers = [m for m in inside if m[0] < clause_start + speech.start()]
                if "分别" in clause:
                    floor = start
                    for verb in attend:
                        if start + verb.end() <= clause_start:
                            floor = start + verb.end()
                    speakers = [m for m in mentions if floor <= m[0] < clause_start + speech.start()]
                for speaker in speakers[:1] if "分别" not in clause else speakers:
                    result.add_relation(speaker[2], "spokeAt", meeting.name)
    _agenda_and_topics(doc, result, meeting)


def _chairs_only(text: str, position: int, start: int, end: int) -> bool:
    """Whether the person at ``position`` is only named as the chair (会议由X主持)."""
    clause_end = min([i for i in (text.find(c, position, end) for c in ",，;；。") if i >= 0] or [end])
    clause_start = max(text.rfind(c, start, position) for c in ",，;；。")
    return "主持" in text[position:clause_end] and "由" in text[max(clause_start, start) : position]


_REPORTED = re.compile(r"(介绍|听取|审议|通报|传达|学习)了(.+?)(?=[,，。;；]|并)")
_STUDIED = re.compile(r"(研究|研讨|讨论)了(.+?)(?=[,，。;；])")
_STUDIED_ON = re.compile(r"对(.+?)进行了(?:研究|讨论|研究讨论|探讨)")
_AROUND = re.compile(r"围绕([^,，。;；]+?)(?:等议题|展开(?:了)?(?:座谈|讨论|研讨|交流)|进行了?(?:研究|讨论|座谈|研讨))")
_TITLED = re.compile(r"题为《(.+?)》的(?:报告|讲话|发言)")
_ABOUT = re.compile(r"就(.+?)进行了?(?:经验)?(?:介绍|交流|发言)")
_ACTS = (
    re.compile(r"宣读了?.+"),
    re.compile(r"为.{1,20}?授牌"),
    re.compile(r"(?<=进行)了?(.{1,12}?仪式)"),
    re.compile(r"向.{1,20}?颁发了?.+"),
    re.compile(r"从.+?做了.{0,6}报告"),
    re.compile(r"对.{2,30}?进行了.{0,4}说明"),
)


def _agenda_and_topics(doc: Document, result: Extraction, meeting: Meeting) -> None:
    text = doc.simplified

    def add(kind: str, relation: str, item: str, start: int, end: int) -> None:
        result.findings.append(Finding(kind, item, start, end))
        result.add_relation(meeting.name, relation, item)

    for match in _REPORTED.finditer(text):
        for item, a, b in list_items(doc, match.start(2), match.end(2), "以及|和|及(?!其)|、"):
            add("agenda", "hasAgendaItem", item, a, b)
    for match in _AROUND.finditer(text):
        for item, a, b in list_items(doc, match.start(1), match.end(1), "以及|、"):
            add("topic", "discussedTopic", item, a, b)
    for pattern in (_STUDIED, _STUDIED_ON):
        for match in pattern.finditer(text):
            group = match.lastindex or 1
            item, a, b = clean_span(doc, match.start(group), match.end(group))
            if len(item) >= 2:
                add("topic", "discussedTopic", item, a, b)
    for pattern in (_TITLED, _ABOUT):
        for match in pattern.finditer(text):
            item, a, b = clean_span(doc, match.start(1), match.end(1))
            add("agenda", "hasAgendaItem", item, a, b)
    for start, end in doc.sentences:
        if start < meeting.sentence[1]:
            continue
        for clause_start, clause_end in clauses(doc, start, end, "[,，;；]"):
            clause = text[clause_start:clause_end]
            if _TITLED.search(clause) or _ABOUT.search(clause):
                continue
            for pattern in _ACTS:
                act = pattern.search(clause)
                if act:
                    group = 1 if act.lastindex else 0
                    item, a, b = clean_span(doc, clause_start + act.start(group), clause_start + act.end(group))
                    add("agenda", "hasAgendaItem", item, a, b)
                    break
