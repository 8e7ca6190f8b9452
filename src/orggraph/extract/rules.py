"""Documents → findings (organisations, people and posts, meetings) with character spans.

Rules come from the genre of Chinese government and association news releases, not from one
text: organisation names end in an institutional suffix (…部/局/处/所/中心/协会/委员会/实验室…)
and are delimited by list punctuation or function words; nested names (X局Y处) make a unit of a
parent; a meeting sentence reads "DATE, CONVENER 在 PLACE 召开 NAME"; attendance reads
"…等单位的有关领导共N人出席会议"; a post reads "ORG + TITLE + NAME". Names already in the loaded
graph are recognised by any of their labels or aliases, in either script.

First increment of the extractor: duties, agenda items, topics and achievements come next.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from orggraph.extract.duties import find_duties
from orggraph.extract.findings import Extraction, Finding, gazetteer_of, organisation_names
from orggraph.extract.layout import read_layout
from orggraph.extract.lexicon import (
    CLAUSE_OPENERS,
    GENERIC_PLACES,
    GENERIC_UNITS,
    MEETING_VERBS,
    NAME_BREAKERS,
    NAME_FOLLOWERS,
    NOT_NAMES,
    OPENER_WORDS,
    SUFFIXES,
    TITLES,
    UNIT_SUFFIXES,
)
from orggraph.extract.meetings import find_meeting, meeting_details
from orggraph.extract.people import find_people, name_after, title_at
from orggraph.extract.spans import clean_span, list_items
from orggraph.graph.resolution import OrganisationNames
from orggraph.text.documents import Document
from orggraph.text.normalization import to_simplified

__all__ = ["KnownNames", "extract", "extract_all"]

_CJK = "\u4e00-\u9fff"
_NAME_RUN = re.compile(f"[{_CJK}0-9A-Za-z]+")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def _gazetteer(doc: Document, organisations: list[Finding], known: KnownNames) -> list[Finding]:
    """Mentions of names the graph already knows (abbreviations, former names …) that the suffix rules cannot see."""
    if not known:
        return organisations
    text = doc.simplified
    found = list(organisations)
    for start, end in _leftmost_longest(text, known):
        if any(f.start <= start < f.end or start <= f.start < end for f in found):
            continue
        found.append(Finding("organisation", doc.clean.text[start:end], start, end, {"known": True}))
    return sorted(found, key=lambda f: f.start)


class KnownNames(dict[str, str]):
    """Names to look for in text (simplified name → the name as written), with what a scan needs
    worked out once for every document: the lengths of the names and their first characters."""

    def __init__(self, names: Mapping[str, str]) -> None:
        super().__init__({name: written for name, written in names.items() if name})  # "" would match everywhere
        self.lengths = sorted({len(name) for name in self}, reverse=True)
        self.firsts = {name[0] for name in self if name}

    def add(self, simplified: str, written: str) -> None:
        """Know one more name (a build learns the names of each document it has read)."""
        if not simplified or simplified in self:
            return
        self[simplified] = written
        self.firsts.add(simplified[0])
        if len(simplified) not in self.lengths:
            self.lengths = sorted({*self.lengths, len(simplified)}, reverse=True)


def _leftmost_longest(text: str, names: KnownNames) -> Iterator[tuple[int, int]]:
    """Non-overlapping [start, end) of ``names`` in ``text``, scanning left to right and taking
    the longest name at each place: a regex alternation of the names, but with set lookups, so
    a graph with 100,000s of names costs no more than one with ten."""
    lengths, firsts = names.lengths, names.firsts
    position = 0
    while position < len(text):
        if text[position] in firsts:
            for length in lengths:
                if text[position : position + length] in names:
                    yield position, position + length
                    position += length
                    break
            else:
                position += 1
        else:
            position += 1


_HARD_FOLLOWERS = tuple(f for f in NAME_FOLLOWERS if f not in ("党委", "等", "的", "副"))
_AFTER_NAME = re.compile(
    "(?<=" + "|".join(sorted({s[-1] for s in SUFFIXES})) + ")(?=" + "|".join(map(re.escape, _HARD_FOLLOWERS)) + ")"
)


def _split_after_names(chunks: list[str]) -> list[str]:
    """Cut chunks where a suffix is followed by a word that ends a name (…委员会经…局 → two)."""
    pieces: list[str] = []
    for chunk in chunks:
        cuts = [0]
        for match in _AFTER_NAME.finditer(chunk):
            if _last_suffix_end(chunk[cuts[-1] : match.start()]) == match.start() - cuts[-1]:
                cuts.append(match.start())
        cuts.append(len(chunk))
        pieces += [chunk[a:b] for a, b in itertools.pairwise(cuts) if b > a]
    return pieces


def _strip_lead(candidate: str) -> tuple[str, int]:
    """Drop clause openers from the front of a candidate name; return it and how much was cut."""
    cut = 0
    changed = True
    while changed:
        changed = False
        for lead in CLAUSE_OPENERS:
            # 经 opens a clause (经…批准) but also starts words of names (经济): those stay
            if (
                candidate.startswith(lead)
                and len(candidate) - len(lead) >= 2
                and not candidate.startswith(OPENER_WORDS)
            ):
                candidate, cut, changed = candidate[len(lead) :], cut + len(lead), True
    return candidate, cut


_CLAUSE = re.compile("|".join(map(re.escape, sorted(NAME_BREAKERS, key=len, reverse=True))))


def _organisations(doc: Document, known: Mapping[str, str]) -> list[Finding]:
    text = doc.simplified
    found: dict[tuple[int, int], Finding] = {}
    for run in _NAME_RUN.finditer(text):
        position = run.start()
        for chunk in _split_after_names(_CLAUSE.split(run.group())):
            start = text.find(chunk, position)
            position = start + len(chunk)
            end = _last_suffix_end(chunk)
            if end is None:
                continue
            name, cut = _strip_lead(chunk[:end])
            name, cut = _drop_date_prefix(name, cut)
            ordinal = re.match(r"[一二三四五六七八九十]+是", name)
            if ordinal:
                name, cut = name[ordinal.end() :], cut + ordinal.end()
            inner = _after_inner_title(name)
            if inner:
                name, cut = _strip_lead(name[inner:])[0], cut + inner + _strip_lead(name[inner:])[1]
            truncated = text.startswith(("[…]", "…", "[...]"), start + cut + len(name))
            if truncated:  # the page was cut inside a word: look for the name before it
                shorter = _last_suffix_end(chunk[: end - 1])
                if shorter is None:
                    continue
                name, cut = _strip_lead(chunk[:shorter])
                inner = _after_inner_title(name)
                if inner:
                    name, cut = _strip_lead(name[inner:])[0], cut + inner + _strip_lead(name[inner:])[1]
            collective = "各" in name or text[start + cut - 1 : start + cut] == "各" or name.startswith(GENERIC_PLACES)
            if len(name) < 3 or name.endswith(NOT_NAMES) or collective or name in GENERIC_UNITS:
                continue
            a = start + cut
            found[(a, a + len(name))] = Finding("organisation", doc.clean.text[a : a + len(name)], a, a + len(name))
    findings = sorted(found.values(), key=lambda f: f.start)
    # a name in brackets right after another is its alias: 某所检测中心(认证中心)
    ends = {o.end for o in findings}
    aliases = {f.start for f in findings if f.start > 0 and text[f.start - 1] in "(（" and f.start - 1 in ends}
    first_at: dict[int, Finding] = {}
    for f in findings:
        first_at.setdefault(f.start, f)
    for finding in findings:
        closing = finding.end < len(text) and text[finding.end] in ")）"
        alias = first_at.get(finding.end + 1) if finding.end + 1 in aliases else None
        if alias is not None and not closing:
            finding.attributes["alias"] = alias.name
    return [f for f in findings if f.start not in aliases]


_DEFINED = re.compile(r"[（(][^()（）]*?(?:以下简称|下称|简称)[:：]?[“\"「]?([^)）”\"」,，]{2,12})[”\"」]?[)）]")


def _with_aliases(doc: Document, organisations: list[Finding], result: Extraction) -> list[Finding]:
    """Definitions such as 青松县养蜂协会(以下简称蜂协) make every later 蜂协 a mention."""
    text = doc.simplified
    aliases: dict[str, Finding] = {}
    for match in _DEFINED.finditer(text):
        owner = next((o for o in organisations if o.end == match.start()), None)
        if owner is not None:
            alias = match.group(1)
            owner.attributes["alias"] = doc.clean.text[match.start(1) : match.end(1)]
            aliases[alias] = owner
            result.aliases[owner.attributes["alias"]] = owner.name
    found = list(organisations)
    for alias, owner in aliases.items():
        for match in re.finditer(re.escape(alias), text):
            inside = any(f.start <= match.start() < f.end for f in found)
            defined = text[max(0, match.start() - 6) : match.start()].endswith(("简称", "下称"))
            if not inside and not defined:
                mention = Finding(
                    "organisation",
                    doc.clean.text[match.start() : match.end()],
                    match.start(),
                    match.end(),
                    {"alias_of": owner.name},
                )
                found.append(mention)
    return sorted(found, key=lambda f: f.start)


def _after_inner_title(name: str) -> int:
    """Where a name starts again after a post title inside it (学会秘书长与水利局 → 水利局), else 0."""
    cut = 0
    for title in TITLES:
        index = name.find(title)
        while index >= 0:
            end = index + len(title)
            inside_suffix = any(  # 委员 in 委员会 is part of the name's ending, not a title
                name.startswith(suffix, at) and at + len(suffix) >= end
                for suffix in SUFFIXES
                for at in range(max(0, index - 3), index + 1)
            )
            if end < len(name) and not inside_suffix and not name.startswith(title, 0):
                cut = max(cut, end)
            index = name.find(title, index + 1)
    return cut


def _cuts_a_suffix(name: str, index: int) -> bool:
    """Whether a split of ``name`` at ``index`` falls inside a suffix (领导小组办|公室)."""
    return any(
        name.startswith(suffix, start) and start < index < start + len(suffix)
        for suffix in SUFFIXES
        for start in range(max(0, index - len(suffix) + 1), index)
    )


_RENAMED = re.compile(r"^(?:[(（]?原)?(?:更名为|改名为|更名|改称|改为)$")


def _renamed(doc: Document, organisations: list[Finding], result: Extraction) -> None:
    """A renamed unit is one organisation under its new name: X更名为Y, Y(原X) — the old name
    becomes an alias of the new."""
    text = doc.simplified
    ordered = sorted(organisations, key=lambda f: f.start)
    for first, second in itertools.pairwise(ordered):
        between = text[first.end : second.start]
        if _RENAMED.match(between):  # X更名为Y
            old, new = first, second
        elif between in ("(原", "（原") and text[second.end : second.end + 1] in ")）":  # Y(原X)
            old, new = second, first
        else:
            continue
        old.attributes["alias_of"] = new.attributes.get("alias_of") or new.name
        new.attributes["alias"] = old.name
        result.aliases[old.name] = new.name


_PLACE_ENDS = "省市县区镇乡州"


def _distributed(doc: Document, organisations: list[Finding]) -> list[Finding]:
    """A list of places sharing one name: 甲、乙、丙市养蜂协会 and 甲镇、乙乡人民政府
    are four associations and two governments. Where the shared part is a government, the bare
    place name elsewhere in the text stands for it (甲镇、乙乡负责…)."""
    text = doc.simplified
    found = list(organisations)
    for last in organisations:
        if last.start < 3 or text[last.start - 1] != "、":
            continue
        name = to_key(last.name)
        place_end = max((i + 1 for i, ch in enumerate(name[:4]) if ch in _PLACE_ENDS and i >= 1), default=None)
        if place_end is None or len(name) - place_end < 2:
            continue
        tail = last.name[place_end:]
        items: list[tuple[int, int]] = []
        position = last.start - 1
        while position > 0 and text[position] == "、":
            for length in (place_end, place_end - 1):
                start = position - length
                if start < 0 or not re.fullmatch(f"[{_CJK}]+", text[start:position]):
                    continue
                opens = start == 0 or text[start - 1] in "、,，:：;；\n 以及和与" or text[start - 2 : start] == "以及"
                if opens and (length == place_end - 1 or text[position - 1] in _PLACE_ENDS):
                    items.insert(0, (start, position))
                    break
            else:
                break
            position = items[0][0] - 1
        if not items:
            continue
        government = to_key(tail).endswith("政府")
        for start, end in items:
            place = doc.clean.text[start:end]
            full = place + (tail if text[end - 1] in _PLACE_ENDS else doc.clean.text[last.start + place_end - 1] + tail)
            found.append(Finding("organisation", full, start, end, {"distributed": True}))
        if government:
            places = [(doc.clean.text[a:b], a, b) for a, b in items]
            places.append((last.name[:place_end], last.start, last.start + place_end))
            for place, _, _ in places:
                owner = place + tail
                for match in re.finditer(re.escape(to_key(place)), text):
                    inside = any(f.start <= match.start() < f.end for f in found)
                    if not inside:
                        found.append(
                            Finding(
                                "organisation",
                                doc.clean.text[match.start() : match.end()],
                                match.start(),
                                match.end(),
                                {"alias_of": owner},
                            )
                        )
    return sorted(found, key=lambda f: f.start)


def _nested_parents(unit: Finding) -> list[tuple[str, str]]:
    """(child, parent) pairs hidden in a nested name: 科学技术局规划处 → (规划处, 科学技术局)."""
    name = to_key(unit.name)
    pairs = []
    for index in range(len(name) - 2, 1, -1):
        prefix, rest = name[:index], name[index:]
        if (
            _last_suffix_end(prefix) == len(prefix)
            and len(prefix) >= 3
            and 2 <= len(rest) <= (10 if prefix.endswith(("厅", "局", "部", "院")) else 6)
            and rest.endswith(UNIT_SUFFIXES)
            and not rest.startswith(("重点", "国家"))
            and not _cuts_a_suffix(name, index)
        ):
            # a bureau under a ministry keeps the ministry in its name (交通部科学技术局); an
            # internal division is named on its own (规划处)
            whole = rest.endswith(("局", "厅", "委", "部")) and not prefix_ends_in_unit(name[:index])
            generic = whole or rest in GENERIC_UNITS or re.match(r"第?[一二三四五六七八九十]+", rest) is not None
            child = unit.name if generic else unit.name[index:]
            pairs.append((child, unit.name[:index]))
            pairs += _nested_parents(Finding("organisation", unit.name[:index], unit.start, unit.start + index))
            break
    return pairs


def prefix_ends_in_unit(prefix: str) -> bool:
    """Whether a name's prefix is itself a bureau (科学技术局…), not a ministry or government."""
    return prefix.endswith(("局", "厅")) and len(prefix) > 4


def _drop_date_prefix(name: str, cut: int) -> tuple[str, int]:
    match = re.match(r"\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?|\d{4}年度|第[一二三四五六七八九十\d]+届", name)
    if match:
        return name[match.end() :], cut + match.end()
    return name, cut


def _cut_before_verb(name: str) -> str:
    # "交通部科学技术局在南京召开…局" is not one name: keep what follows the last verb or 在
    for verb in (*MEETING_VERBS, "在"):
        index = name.rfind(verb)
        if index >= 0:
            rest = name[index + len(verb) :]
            if _last_suffix_end(rest) == len(rest) and len(rest) >= 3:
                name = rest
    return name


def _last_suffix_end(chunk: str) -> int | None:
    """Where the last organisation name in a chunk ends: at a suffix that ends the chunk, or that
    is followed by a post title (…局副局长) or by the end of a list (…实验室等单位)."""
    for end in range(len(chunk), 0, -1):  # the last suffix that may end a name wins
        if not any(chunk[end - length : end] in _SUFFIX_SET for length in _SUFFIX_LENGTHS if length <= end):
            continue
        if (
            end == len(chunk)
            or chunk.startswith(TITLES, end)
            or chunk.startswith(NAME_FOLLOWERS, end)
            or _name_then_title(chunk, end)
        ):
            return end
    return None


_SUFFIX_SET = frozenset(SUFFIXES)
_SUFFIX_LENGTHS = sorted({len(s) for s in SUFFIXES})


def _name_then_title(chunk: str, position: int) -> bool:
    """A person's name then a title follows: 规划处|赵文华处长."""
    span = name_after(chunk, position)
    return span is not None and title_at(chunk, span[1]) is not None


def extract(doc: Document, graph: Any = None, *, known_names: Mapping[str, str] | None = None) -> Extraction:
    """Find organisations, people with posts, and the meeting a news release reports.

    Names the ``graph`` already knows are recognised too; ``known_names`` (from
    :func:`extract_all`) saves asking the graph for them again for every document.

    >>> from orggraph.text.documents import document_from_text
    >>> result = extract(document_from_text("2020年5月6日,交通部科学技术局在南京召开联席会议。"))
    >>> [f.name for f in result.findings if f.kind == "organisation"]
    ['交通部科学技术局', '交通部']
    >>> sorted(r for r in result.relations if r[1] in ("convened", "heldIn"))
    [('交通部科学技术局', 'convened', '联席会议'), ('联席会议', 'heldIn', '南京')]
    """
    result = Extraction(doc)
    known = gazetteer_of(graph) if known_names is None else known_names
    if not isinstance(known, KnownNames):
        known = KnownNames(known)
    organisations = _organisations(doc, known)
    organisations = _with_aliases(doc, organisations, result)
    organisations = _distributed(doc, organisations)
    _renamed(doc, organisations, result)
    organisations = _gazetteer(doc, organisations, known)
    body = main_body(doc, organisations)
    people = find_people(doc, result, organisations, body)
    result.people = people
    result.findings.extend(organisations)
    for unit in organisations:  # nested names: X局Y处 → Y处 is a unit of X局
        for child, parent in _nested_parents(unit):
            result.add_relation(child, "subOrganizationOf", parent)
            for name in (child, parent):
                if not any(f.kind == "organisation" and f.name == name for f in result.findings):
                    result.findings.append(Finding("organisation", name, unit.start, unit.end, {"nested": True}))
    found = find_meeting(doc, result, organisations)
    if found is not None and found.places:  # 在县行政中心召开: where a meeting was held is a place
        inside = [f for f in organisations if any(a <= f.start and f.end <= b for a, b in found.places)]
        organisations = [f for f in organisations if f not in inside]
        result.findings = [f for f in result.findings if f not in inside]
    if found is not None:
        meeting_details(doc, result, found, organisations, people)
    meeting = found.name if found else None
    _achievements(doc, result)
    find_duties(
        doc,
        result,
        organisations,
        read_layout(doc, organisations),
        meeting=meeting,
        convener=found.conveners[0] if found and found.conveners else None,
        meeting_year=found.date[:4] if found and found.date else None,
        body=body,
    )
    return result


_BODY_KINDS = ("领导小组", "小组", "委员会", "标委会", "分会", "工作组", "指挥部", "联席会议")


def main_body(doc: Document, organisations: list[Finding]) -> str | None:
    """The body a document sets up or reports on: the organisation right before 成立 (allowing a
    bracketed note between), else the leading group or committee it names most often."""
    text = doc.simplified
    for match in re.finditer("成立", text):
        before = match.start()
        if text[before - 1 : before] in ")）":
            opening = max(text.rfind("(", 0, before), text.rfind("（", 0, before))
            before = opening if opening >= 0 else before
        owner = next((o for o in organisations if o.end == before), None)
        if owner is not None and to_key(owner.name).endswith(_BODY_KINDS):
            return owner.attributes.get("alias_of") or owner.name
        after = next((o for o in organisations if o.start == match.end()), None)
        if after is not None and to_key(after.name).endswith(_BODY_KINDS):
            return after.attributes.get("alias_of") or after.name
    counts: dict[str, int] = {}
    for organisation in organisations:
        name = organisation.attributes.get("alias_of") or organisation.name
        if to_key(name).endswith(_BODY_KINDS):
            counts[name] = counts.get(name, 0) + 1
    return max(counts, key=lambda name: counts[name]) if counts else None


_ACHIEVED = re.compile(r"(各[\u4e00-\u9fff]{1,6}?单位|[\u4e00-\u9fff]{2,20}?)(\d{4})年在(.+?)等?方面(?:都)?取得")
# a speaker credits someone: 充分肯定了各地学会开展…的成效
_CREDITED = re.compile(
    r"肯定了(各[\u4e00-\u9fff]{1,10}?(?:机关|单位|部门|协会|学会|企业))([^,，。;；]{2,40}?的(?:成效|成绩|成果))"
)


def _achievements(doc: Document, result: Extraction) -> None:
    for match in _ACHIEVED.finditer(doc.simplified):
        holder = doc.clean.text[match.start(1) : match.end(1)].split(",")[-1]
        for item, start, end in list_items(doc, match.start(3), match.end(3)):
            result.findings.append(Finding("achievement", item, start, end, {"year": match.group(2)}))
            result.add_relation(holder, "achieved", item)
    for match in _CREDITED.finditer(doc.simplified):
        holder = doc.clean.text[match.start(1) : match.end(1)]
        item, start, end = clean_span(doc, match.start(2), match.end(2))
        result.findings.append(Finding("achievement", item, start, end))
        result.add_relation(holder, "achieved", item)


def to_key(text: str) -> str:
    """Simplified form of a name, for suffix tests."""
    return to_simplified(text)


def extract_all(
    documents: Iterable[Document], graph: Any = None, *, names: OrganisationNames | None = None
) -> list[Extraction]:
    """Extract every document, asking ``graph`` once for the organisation names it knows
    (or taking them from ``names``, see :func:`organisation_names`).

    >>> from orggraph.text.documents import document_from_text
    >>> [len(r.findings) > 0 for r in extract_all([document_from_text("交通部科学技术局召开会议。")])]
    [True]
    """
    names = organisation_names(graph) if names is None else names
    known = KnownNames({} if names is None else names.gazetteer)
    return [extract(doc, known_names=known) for doc in documents]
