"""People and the posts they hold, recognised by the shapes the genre writes them in.

- ``ORG TITLE NAME`` (交通部科技司副司长李明远) and ``ORG NAME TITLE`` (规划处赵文华处长);
- a title that carries over a list of names (副理事长甲、乙、丙) and an organisation that carries
  over a list of posts (学会理事长甲,副理事长乙);
- several titles for one person (党委副书记、副厅长甲);
- ``NAMES任TITLE`` appointments (甲任主任委员,乙、丙任副主任委员);
- roster rows (``组 长:甲 某部部长``), whose label carries over the following rows.

A name is a surname (``lexicons/surnames.txt``) and one or two more characters; a title comes from
``lexicons/titles.txt``. Titles of a body (组长, 成员, 主任委员 …) with no organisation written
next to them are posts in the body the document sets up or reports on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from orggraph.extract.findings import Extraction, Finding
from orggraph.extract.lexicon import (
    APPOINTMENT_VERBS,
    BODY_TITLES,
    GENERIC_UNITS,
    NAME_ENDERS,
    NOT_PERSON_NAMES,
    SURNAMES,
    TITLES,
)
from orggraph.text.documents import Document
from orggraph.text.normalization import to_simplified

__all__ = ["Person", "find_people", "title_at", "title_of"]

_CJK = re.compile(r"[\u4e00-\u9fff]")
_TITLES_LONGEST = sorted(set(TITLES), key=len, reverse=True)
_SURNAME_SET = frozenset(SURNAMES)
_TITLES_BY_FIRST: dict[str, tuple[str, ...]] = {
    first: tuple(t for t in _TITLES_LONGEST if t[0] == first) for first in {t[0] for t in TITLES}
}
_SEPARATORS = '、,，;；:：。 \n\t\u3000()（）“”"《》'
_PARTY = ("党委", "党组")


@dataclass
class Person:
    """A person mentioned in the text, and the posts the text gives them there."""

    name: str
    start: int
    end: int
    posts: list[tuple[str, str | None]] = field(default_factory=list)  # (post name, organisation)


def title_of(post: str) -> str:
    """The title a post's name ends with, without the organisation written before it.

    >>> title_of("青松县林业局副局长"), title_of("副局长"), title_of("组长单位"), title_of("学会副会长兼副秘书长")
    ('副局长', '副局长', '组长单位', '副会长兼副秘书长')
    """
    simplified = to_simplified(post.strip())
    if "兼" in simplified:  # 副会长兼副秘书长 is one post, not 副秘书长
        first, _, second = simplified.rpartition("兼")
        return f"{title_of(first)}兼{title_of(second)}"
    return next((title for title in _TITLES_LONGEST if simplified.endswith(title)), simplified)


def title_at(text: str, position: int) -> str | None:
    """The longest title starting at ``position``; titles joined by 兼 make one (委员兼秘书长).

    >>> title_at("副理事长周建平", 0), title_at("吴思远任委员兼秘书长", 4)
    ('副理事长', '委员兼秘书长')
    """
    candidates = _TITLES_BY_FIRST.get(text[position : position + 1], ())
    title = next((t for t in candidates if text.startswith(t, position)), None)
    if title and text.startswith("兼", position + len(title)):
        second = title_at(text, position + len(title) + 1)
        if second:
            return f"{title}兼{second}"
    return title


def _surname(text: str, position: int) -> int:
    """Length of the surname starting at ``position`` (0 if none)."""
    if text[position : position + 2] in _SURNAME_SET:
        return 2
    return 1 if text[position : position + 1] in _SURNAME_SET else 0


def _is_name(candidate: str) -> bool:
    if not candidate or not all(_CJK.match(ch) for ch in candidate):
        return False
    given = candidate[_surname(candidate, 0) :]
    if candidate in NOT_PERSON_NAMES or any(given.startswith(w) for w in NOT_PERSON_NAMES if len(w) > 1):
        return False
    if len(candidate) == 2 and given in NOT_PERSON_NAMES:
        return False
    return (_surname(candidate, 0) and 2 <= len(candidate) <= _surname(candidate, 0) + 2) or False


def name_after(text: str, position: int, blocked: frozenset[int] = frozenset()) -> tuple[int, int] | None:
    """The name that starts at ``position`` (a title or list separator before it), as [start, end).

    >>> text = "副局长韩立新出席会议"
    >>> text[slice(*name_after(text, 3))]
    '韩立新'
    >>> text = "副局长陈敬出席会议"
    >>> text[slice(*name_after(text, 3))]
    '陈敬'
    """
    surname = _surname(text, position)
    if not surname or position in blocked:
        return None
    if text[position] in "和与及同并" and _surname(text, position + 1):  # 副局长和冯立军: a conjunction
        return None
    if text[position + surname : position + surname + 1] in (" ", "\u3000"):  # roster padding: 王 军
        padded = text[position + surname + 1 : position + surname + 2]
        if _CJK.match(padded or "x") and not title_at(text, position + surname + 1):
            return position, position + surname + 2
    best: tuple[int, int] | None = None
    for given in (1, 2):
        end = position + surname + given
        candidate = text[position:end]
        if len(candidate) < surname + given:
            break
        if not _is_name(candidate):
            continue
        if title_at(text, position + surname + given - 1) or (given == 2 and title_at(text, end - 1)):
            break  # 方力副处长: the 副 starts the title
        if given == 2:
            after = text[end : end + 1]
            last = text[end - 1]
            next_is_word = after and after not in _SEPARATORS and not title_at(text, end)
            if last in NAME_ENDERS and (next_is_word or _CJK.match(after or "x")):
                break
        best = (position, end)
    return best


def name_before(
    text: str, position: int, org_ends: set[int], blocked: frozenset[int] = frozenset()
) -> tuple[int, int] | None:
    """The name that ends at ``position`` (a title right after it): 赵文华处长, 张新科长.

    >>> text = "规划处赵文华处长"
    >>> text[slice(*name_before(text, 6, {3}))]
    '赵文华'
    """
    options = []
    for length in (3, 2, 4):
        start = position - length
        if start < 0:
            continue
        candidate = text[start:position]
        if not _is_name(candidate) or _surname(candidate, 0) + 2 < length or start in blocked:
            continue
        boundary = start == 0 or text[start - 1] in _SEPARATORS or start in org_ends
        boundary = boundary or text[start - 1 : start] in ("由", "和", "与", "及", "请", "到")
        options.append((start in org_ends, boundary, length == 3, start))
    good = [option for option in options if option[0] or option[1]]
    if not good:
        return None
    start = max(good)[3]
    return start, position


def _strip_party(organisation: str | None) -> str | None:
    """An office's administrative posts belong to the office, not to its party committee."""
    if organisation:
        for party in _PARTY:
            if organisation.endswith(party) and len(organisation) > len(party) + 1:
                return organisation[: -len(party)]
    return organisation


_Post = tuple[str, str | None, int, int]  # post name, organisation, span of the post in the text


class _Finder:
    """People and posts of one document, found sentence by sentence."""

    def __init__(self, doc: Document, result: Extraction, organisations: Sequence[Finding], body: str | None) -> None:
        self.doc, self.result, self.body = doc, result, body
        self.text = doc.simplified
        self.organisations = list(organisations)
        self.org_by_end = {o.end: o for o in organisations}
        self.org_ends = set(self.org_by_end)  # made once: every sentence asks it
        self.org_spans = [(o.start, o.end) for o in organisations]
        self.inside = {i for a, b in self.org_spans for i in range(a, b)}  # looked up at every character
        self.blocked = frozenset(a for a, _ in self.org_spans)  # no person's name starts where a name does
        self.people: list[Person] = []

    def inside_org(self, position: int) -> bool:
        return position in self.inside

    def written(self, start: int, end: int) -> str:
        return self.doc.clean.text[start:end]

    def add(self, person: Person, post: _Post, explicit: bool = True) -> None:
        name, organisation, start, end = post
        if (name, organisation) in person.posts:
            return
        if not explicit and any(p.name == person.name and p.posts for p in self.people):
            return  # 李明远司长 after 科技司副司长李明远: a form of address, not another post
        person.posts.append((name, organisation))
        self.result.findings.append(Finding("post", name, start, end))
        self.result.add_relation(person.name, "holdsPost", name)
        if organisation:
            self.result.add_relation(name, "postIn", organisation)
            self.result.add_relation(person.name, "worksFor", organisation)

    def person_at(self, start: int, end: int) -> Person:
        for person in self.people:
            if person.start == start:
                return person
        name = self.written(start, end).replace(" ", "").replace("\u3000", "")
        person = Person(name, start, end)
        self.people.append(person)
        self.result.findings.append(Finding("person", name, start, end))
        return person

    def run(self) -> list[Person]:
        _roster(self)
        for sentence_start, sentence_end in self.doc.sentences:
            self.sentence(sentence_start, sentence_end)
        # a name already known as a person is a mention wherever it recurs (李明远司长并做了讲话)
        for person in list(self.people):
            for match in re.finditer(re.escape(to_simplified(person.name)), self.text):
                if not any(p.start <= match.start() < p.end for p in self.people):
                    self.person_at(match.start(), match.end())
        for person in self.people:
            known = next((p for p in self.people if p.name == person.name and p.posts), None)
            if known is not None and not person.posts:
                person.posts = list(known.posts)
        return sorted(self.people, key=lambda p: p.start)

    def owner_of(self, position: int, title: str, before: tuple[int, int] | None, carried_org: str | None) -> _Post:
        """The post a title at ``position`` names: its organisation and where the post starts."""
        text = self.text
        organisation = self.org_by_end.get(position)
        title_end = position + len(title)
        owner: str | None
        post_start = position
        if organisation is not None:
            owner, post_start = organisation.name, organisation.start
        elif before and before[0] in self.org_by_end:
            owner = self.org_by_end[before[0]].name
        else:
            owner = None
            lead = before[0] if before else position
            unit = next((u for u in GENERIC_UNITS if text.endswith(u, 0, position) and len(u) > 1), None)
            if unit is not None:  # 办公室主任: the last office named before
                named = [o for o in self.organisations if o.end <= position and to_simplified(o.name).endswith(unit)]
                if named:
                    owner, post_start = named[-1].attributes.get("alias_of") or named[-1].name, position - len(unit)
            elif carried_org and text[lead - 1 : lead] in "、,，和及与":
                owner = carried_org
        if owner is None and title in BODY_TITLES and self.body:
            owner = self.body
        if owner is None and not before:
            owner = self.head_of(position, title)
        if owner and organisation is None and not any(p in title for p in _PARTY) and not title.endswith("书记"):
            owner = _strip_party(owner)
        return self.written(post_start, title_end), owner, post_start, title_end

    def latest_organisation(self, position: int) -> str | None:
        """The organisation the text named last before ``position`` (not a unit inside a name)."""
        named = [
            o
            for o in self.organisations
            if o.end <= position and not o.attributes.get("nested") and self.text[o.start - 1 : o.start] != "在"
        ]  # 在县会议中心召开: a place, not a party to anything
        if not named:
            return None
        last = max(named, key=lambda o: o.end)
        return last.attributes.get("alias_of") or last.name

    def head_of(self, position: int, title: str) -> str | None:
        """局长 with no organisation next to it, in a sentence about one bureau, heads that bureau:
        the last organisation before it in the sentence whose name ends in the title's unit."""
        unit = title.removeprefix("常务").removeprefix("副").removesuffix("长")
        if len(unit) != 1:
            return None
        sentence_start = max((a for a, _ in self.doc.sentences if a <= position), default=0)
        named = [o for o in self.organisations if sentence_start <= o.start and o.end <= position]
        if named and to_simplified(named[-1].name).endswith(unit):
            return named[-1].attributes.get("alias_of") or named[-1].name
        return None

    def sentence(self, sentence_start: int, sentence_end: int) -> None:
        text = self.text
        org_ends = self.org_ends
        carried_org: str | None = None  # the organisation of the last post, for the next in the list
        carried: _Post | None = None  # the post of a list of names: 副理事长甲、乙、丙
        carried_end = -1  # a bare name continues a list only right after the name before it
        pending: list[_Post] = []  # titles waiting for their name: 党委副书记、副厅长甲
        position = sentence_start
        while position < sentence_end:
            title = None if self.inside_org(position) else title_at(text, position)
            if title is None:
                if carried and text[position - 1 : position] == "、" and position - 1 == carried_end:
                    span = name_after(text, position, self.blocked)
                    if span and (
                        span[1] >= sentence_end or text[span[1]] in _SEPARATORS or not title_at(text, span[1])
                    ):
                        self.add(self.person_at(*span), carried)
                        position = carried_end = span[1]
                        continue
                if text[position] in ",，;；。":
                    carried = None
                    pending = []
                position += 1
                continue
            title_end = position + len(title)
            before = name_before(text, position, org_ends, self.blocked)
            post = self.owner_of(position, title, before, carried_org)
            organisation = self.org_by_end.get(position)
            verb = next((v for v in APPOINTMENT_VERBS if text.endswith(v, sentence_start, position)), None)
            if verb:
                # 甲、乙任副会长, 甲当选理事长: every name of the list before the verb; the post is
                # in the body the document sets up, else in the organisation it last named
                owner = post[1] or self.body or self.latest_organisation(position)
                appointed = (post[0] if organisation else title, owner, position, title_end)
                for span in _names_before_appointment(text, position - len(verb), sentence_start):
                    self.add(self.person_at(*span), appointed)
                position = title_end
                continue
            after = name_after(text, title_end, self.blocked)
            use_after = after is not None and (
                organisation is not None or before is None or text[position - 1] in _SEPARATORS
            )
            if before is not None and (before[0] in org_ends or not use_after):
                person = self.person_at(*before)
                self.add(person, post, organisation is not None or before[0] in org_ends)
                for waiting in pending:
                    self.add(person, waiting)
                pending, carried = [], None
            elif after is not None:
                person = self.person_at(*after)
                self.add(person, post)
                for waiting in pending:
                    self.add(person, waiting)
                pending = []
                carried = (post[0] if organisation is None else title, post[1], post[2], post[3])
                position = carried_end = after[1]
                carried_org = _strip_party(post[1]) if post[1] else carried_org
                continue
            else:
                pending.append(post)
            carried_org = _strip_party(post[1]) if post[1] else carried_org
            position = title_end


def find_people(
    doc: Document,
    result: Extraction,
    organisations: Sequence[Finding],
    body: str | None,
) -> list[Person]:
    """Find people and their posts, add findings and holdsPost/postIn/worksFor relations to
    ``result``, and return the people with where each is mentioned.

    >>> from orggraph.text.documents import document_from_text
    >>> from orggraph.extract.findings import Extraction
    >>> doc = document_from_text("学会理事长钱立群,副理事长周建平、孙海燕出席会议。")
    >>> result = Extraction(doc)
    >>> [p.name for p in find_people(doc, result, [Finding("organisation", "学会", 0, 2)], None)]
    ['钱立群', '周建平', '孙海燕']
    >>> sorted(r for r in result.relations if r[1] == "postIn")
    [('副理事长', 'postIn', '学会'), ('学会理事长', 'postIn', '学会')]
    """
    return _Finder(doc, result, organisations, body).run()


def _names_before_appointment(text: str, position: int, floor: int) -> list[tuple[int, int]]:
    """The names of ``甲、乙、丙任…`` (``position`` is where the verb starts), nearest last."""
    names: list[tuple[int, int]] = []
    end = position
    while end > floor:
        # skip a title right before 任: 吴思远处长任…
        for title in _TITLES_LONGEST:
            if text.endswith(title, floor, end):
                end -= len(title)
                break
        found = None
        for length in (3, 2, 4):
            start = end - length
            if start < floor:
                continue
            if _is_name(text[start:end]):
                found = (start, end)
                break
        if found is None:
            break
        names.append(found)
        if text[found[0] - 1 : found[0]] != "、":
            break
        end = found[0] - 1
    return names


_SPACE = "[ \t\u3000]"
_ROSTER_LABEL = re.compile(
    rf"^{_SPACE}*(?P<label>[\u4e00-\u9fff](?:{_SPACE}*[\u4e00-\u9fff]){{1,6}}){_SPACE}*[:：]{_SPACE}*"
)
_ROSTER_ITEM = re.compile(
    rf"^{_SPACE}*(?P<name>[\u4e00-\u9fff]{{1,2}}(?:{_SPACE}[\u4e00-\u9fff]|[\u4e00-\u9fff]{{0,2}}))"
    rf"(?:{_SPACE}*[(（](?P<bracketed>[^)）]{{2,30}})[)）]|{_SPACE}+(?P<post>[^\s:：、]{{2,30}}))?{_SPACE}*$"
)


def _roster_items(line: str) -> list[re.Match[str]] | None:
    """The people of a roster line: ``NAME ORG+TITLE``, ``NAME(ORG+TITLE)``, several joined by 、."""
    items = [item for item in re.split("[、,，;；]", line)]
    matches = [_ROSTER_ITEM.match(item) for item in items]
    if not items or any(m is None for m in matches):
        return None
    return [m for m in matches if m is not None]


def _roster(finder: _Finder) -> None:
    """Rows of a roster: ``组 长:NAME ORG+TITLE`` or ``副指挥长:甲(副县长)、乙(县水利局局长)``; a
    label carries over the rows below it until the next label."""
    doc, body, text = finder.doc, finder.body, finder.text
    label: str | None = None
    label_span = (0, 0)
    position = 0
    for line in text.split("\n"):
        start = position
        position += len(line) + 1
        labelled = _ROSTER_LABEL.match(line)
        rest_start = labelled.end() if labelled else 0
        if labelled:
            squeezed = re.sub(_SPACE, "", labelled.group("label"))
            if title_at(squeezed, 0) != squeezed:
                label = None
                continue
        items = _roster_items(line[rest_start:])
        if items is None or not (labelled or label or any(m.group("post") or m.group("bracketed") for m in items)):
            label = None
            continue
        if not labelled and len(items) == 1 and not items[0].group("post") and not items[0].group("bracketed"):
            label = None
            continue
        if labelled:
            label_span = (start + labelled.start("label"), start + labelled.end("label"))
            label = re.sub(_SPACE, "", doc.clean.text[label_span[0] : label_span[1]])  # as written: 組 長 → 組長
        offset = start + rest_start
        for item in items:
            item_offset = offset + line[rest_start:].find(item.string) if item.string else offset
            name_span = name_after(text, item_offset + item.start("name"), finder.blocked)
            if name_span is None or name_span[1] > item_offset + item.end("name") + 1:
                continue
            person = finder.person_at(*name_span)
            if label:
                finder.add(person, (label, body, *label_span))
            group = "bracketed" if item.group("bracketed") else "post"
            post = item.group(group)
            title = next((t for t in _TITLES_LONGEST if post and post.endswith(t)), None)
            if post and title:
                post_start, post_end = item_offset + item.start(group), item_offset + item.end(group)
                organisation = post[: -len(title)] or None
                finder.add(person, (doc.clean.text[post_start:post_end], organisation, post_start, post_end))
