"""People and the posts they hold, recognised by the shapes the genre writes them in.

- ``ORG TITLE NAME`` (公安部科信局副局长陈敬华) and ``ORG NAME TITLE`` (标准化处胡鉴锋处长);
- a title that carries over a list of names (副理事长甲、乙、丙) and an organisation that carries
  over a list of posts (中安协理事长甲,副理事长乙);
- several titles for one person (党委副书记、副厅长甲);
- ``NAMES任TITLE`` appointments (甲任主任委员,乙、丙任副主任委员);
- roster rows (``组 长:甲 国务院副总理``), whose label carries over the following rows.

A name is a surname (``lexicons/surnames.txt``) and one or two more characters; a title comes from
``lexicons/titles.txt``. Titles of a body (组长, 成员, 主任委员 …) with no organisation written
next to them are posts in the body the document sets up or reports on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from orggraph.extract.findings import Extraction, Finding
from orggraph.extract.lexicon import BODY_TITLES, NAME_ENDERS, NOT_PERSON_NAMES, SURNAMES, TITLES
from orggraph.text.documents import Document

__all__ = ["Person", "find_people", "title_at"]

_CJK = re.compile(r"[\u4e00-\u9fff]")
_TITLES_LONGEST = sorted(set(TITLES), key=len, reverse=True)
_SURNAMES_LONGEST = sorted(set(SURNAMES), key=len, reverse=True)
_SEPARATORS = "、,，;；:：。 \n\t\u3000()（）“”\"《》"
_PARTY = ("党委", "党组")
_NOT_NAMES_AT: set[int] = set()  # where an organisation's name starts: no person's name starts there


@dataclass
class Person:
    """A person mentioned in the text, and the posts the text gives them there."""

    name: str
    start: int
    end: int
    posts: list[tuple[str, str | None]] = field(default_factory=list)  # (post name, organisation)


def title_at(text: str, position: int) -> str | None:
    """The longest title starting at ``position``; titles joined by 兼 make one (委员兼秘书长).

    >>> title_at("副理事长谭晓准", 0), title_at("郑宇英任委员兼秘书长", 4)
    ('副理事长', '委员兼秘书长')
    """
    title = next((t for t in _TITLES_LONGEST if text.startswith(t, position)), None)
    if title and text.startswith("兼", position + len(title)):
        second = title_at(text, position + len(title) + 1)
        if second:
            return f"{title}兼{second}"
    return title


def _surname(text: str, position: int) -> int:
    """Length of the surname starting at ``position`` (0 if none)."""
    return next((len(s) for s in _SURNAMES_LONGEST if text.startswith(s, position)), 0)


def _is_name(candidate: str) -> bool:
    if not candidate or not all(_CJK.match(ch) for ch in candidate):
        return False
    given = candidate[_surname(candidate, 0) :]
    if candidate in NOT_PERSON_NAMES or any(given.startswith(w) for w in NOT_PERSON_NAMES if len(w) > 1):
        return False
    if len(candidate) == 2 and given in NOT_PERSON_NAMES:
        return False
    return _surname(candidate, 0) and 2 <= len(candidate) <= _surname(candidate, 0) + 2 or False


def name_after(text: str, position: int) -> tuple[int, int] | None:
    """The name that starts at ``position`` (a title or list separator before it), as [start, end).

    >>> text = "副局长杨世峰出席会议"
    >>> text[slice(*name_after(text, 3))]
    '杨世峰'
    >>> text = "副局长陈敬出席会议"
    >>> text[slice(*name_after(text, 3))]
    '陈敬'
    """
    surname = _surname(text, position)
    if not surname or position in _NOT_NAMES_AT:
        return None
    if text[position] in "和与及同并" and _surname(text, position + 1):  # 副局长和黄剑文: a conjunction
        return None
    if text[position + surname : position + surname + 1] in (" ", "\u3000"):  # roster padding: 王 峰
        given = text[position + surname + 1 : position + surname + 2]
        if _CJK.match(given or "x") and not title_at(text, position + surname + 1):
            return position, position + surname + 2
    best = None
    for given in (1, 2):
        end = position + surname + given
        candidate = text[position:end]
        if len(candidate) < surname + given:
            break
        if not _is_name(candidate):
            continue
        if title_at(text, position + surname + given - 1) or (given == 2 and title_at(text, end - 1)):
            break  # 方强副处长: the 副 starts the title
        if given == 2:
            after = text[end : end + 1]
            last = text[end - 1]
            next_is_word = after and after not in _SEPARATORS and not title_at(text, end)
            if last in NAME_ENDERS and (next_is_word or _CJK.match(after or "x")):
                break
        best = (position, end)
    return best


def name_before(text: str, position: int, org_ends: set[int]) -> tuple[int, int] | None:
    """The name that ends at ``position`` (a title right after it): 胡鉴锋处长, 张成科长.

    >>> text = "标准化处胡鉴锋处长"
    >>> text[slice(*name_before(text, 7, {4}))]
    '胡鉴锋'
    """
    options = []
    for length in (3, 2, 4):
        start = position - length
        if start < 0:
            continue
        candidate = text[start:position]
        if not _is_name(candidate) or _surname(candidate, 0) + 2 < length or start in _NOT_NAMES_AT:
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


def find_people(
    doc: Document,
    result: Extraction,
    organisations: Sequence[Finding],
    body: str | None,
) -> list[Person]:
    """Find people and their posts, add findings and holdsPost/postIn/worksFor relations to
    ``result``, and return the people with where each is mentioned."""
    text = doc.simplified
    org_by_end = {o.end: o for o in organisations}
    org_spans = [(o.start, o.end) for o in organisations]
    _NOT_NAMES_AT.clear()
    _NOT_NAMES_AT.update(a for a, _ in org_spans)
    people: list[Person] = []

    def inside_org(position: int) -> bool:
        return any(a <= position < b for a, b in org_spans)

    def written(start: int, end: int) -> str:
        return doc.clean.text[start:end]

    def add(person: Person, post: str, organisation: str | None, start: int, end: int, explicit: bool = True) -> None:
        if (post, organisation) in person.posts:
            return
        if not explicit and any(p.name == person.name and p.posts for p in people):
            return  # 陈敬华局长 after 公安部科信局副局长陈敬华: a form of address, not another post
        person.posts.append((post, organisation))
        result.findings.append(Finding("post", post, start, end))
        result.add_relation(person.name, "holdsPost", post)
        if organisation:
            result.add_relation(post, "postIn", organisation)
            result.add_relation(person.name, "worksFor", organisation)

    def person_at(start: int, end: int) -> Person:
        name = written(start, end).replace(" ", "").replace("\u3000", "")
        for person in people:
            if person.start == start:
                return person
        person = Person(name, start, end)
        people.append(person)
        result.findings.append(Finding("person", name, start, end))
        return person

    _roster(doc, body, person_at, add)
    for sentence_start, sentence_end in doc.sentences:
        _sentence_people(
            doc, sentence_start, sentence_end, body, org_by_end, inside_org, written, person_at, add
        )
    # a name already known as a person is a mention wherever it recurs (陈敬华局长并做了讲话)
    for person in list(people):
        for match in re.finditer(re.escape(person.name), text):
            if not any(p.start <= match.start() < p.end for p in people):
                person_at(match.start(), match.end())
    for person in people:
        known = next((p for p in people if p.name == person.name and p.posts), None)
        if known is not None and not person.posts:
            person.posts = list(known.posts)
    return sorted(people, key=lambda p: p.start)


def _sentence_people(doc, sentence_start, sentence_end, body, org_by_end, inside_org, written, person_at, add):  # type: ignore[no-untyped-def]
    text = doc.simplified
    org_ends = set(org_by_end)
    carried_org: str | None = None  # the organisation of the last post, for the next in the list
    carried: tuple[str, str | None, int, int] | None = None  # title, org for a list of names
    pending: list[tuple[str, str | None, int, int]] = []  # titles waiting for their name
    position = sentence_start
    carried_end = -1  # a bare name continues a list only right after the name before it
    last_person: Person | None = None
    while position < sentence_end:
        title = None if inside_org(position) else title_at(text, position)
        if title is None:
            # a bare name in a list under a title: 副理事长甲、乙、丙
            if carried and text[position - 1 : position] == "、" and position - 1 == carried_end:
                span = name_after(text, position)
                if span and (span[1] >= sentence_end or text[span[1]] in _SEPARATORS or not title_at(text, span[1])):
                    person = person_at(*span)
                    add(person, carried[0], carried[1], carried[2], carried[3])
                    last_person = person
                    position = carried_end = span[1]
                    continue
            if text[position] in ",，;；。":
                carried = None
                pending = []
            position += 1
            continue
        title_end = position + len(title)
        organisation = org_by_end.get(position)
        before = name_before(text, position, org_ends)
        if organisation is not None:
            owner = organisation.name
            post_start = organisation.start
        elif before and before[0] in org_by_end:
            owner = org_by_end[before[0]].name
            post_start = position
        elif carried_org and text[(before[0] if before else position) - 1 : (before[0] if before else position)] in "、,，和及与":
            owner = carried_org
            post_start = position
        else:
            owner = None
            post_start = position
        if owner is None and title in BODY_TITLES and body:
            owner = body
        if owner and not title.endswith(("书记",)) and not any(p in title for p in _PARTY):
            owner = _strip_party(owner) if organisation is None else owner
        post = written(post_start, title_end)
        appointment = text[position - 1 : position] == "任" and title in BODY_TITLES or (
            text[position - 1 : position] == "任" and body
        )
        if appointment:
            # 甲、乙任副主任委员: every name of the list before 任
            names = _names_before_appointment(text, position - 1, sentence_start)
            for span in names:
                add(person_at(*span), post if organisation else title, owner or body, position, title_end)
            position = title_end
            continue
        after = name_after(text, title_end)
        use_after = after is not None and (organisation is not None or before is None or text[position - 1] in _SEPARATORS)
        if before is not None and (before[0] in org_ends or not use_after):
            person = person_at(*before)
            add(person, post, owner, post_start, title_end, organisation is not None or before[0] in org_ends)
            for title_p, owner_p, a, b in pending:
                add(person, title_p, owner_p, a, b)
            pending = []
            carried = None
            last_person = person
        elif after is not None:
            person = person_at(*after)
            add(person, post, owner, post_start, title_end)
            for title_p, owner_p, a, b in pending:
                add(person, title_p, owner_p, a, b)
            pending = []
            carried = (post if organisation is None else title, owner, post_start, title_end)
            last_person = person
            position = carried_end = after[1]
            carried_org = _strip_party(owner) if owner else carried_org
            continue
        else:
            pending.append((post, owner, post_start, title_end))
        carried_org = _strip_party(owner) if owner else carried_org
        del last_person
        last_person = None
        position = title_end


def _names_before_appointment(text: str, position: int, floor: int) -> list[tuple[int, int]]:
    """The names of ``甲、乙、丙任…`` (``position`` is the 任), nearest last."""
    names: list[tuple[int, int]] = []
    end = position
    while end > floor:
        # skip a title right before 任: 孙锡敏处长任…
        for title in _TITLES_LONGEST:
            if text.endswith(title, floor, end):
                end -= len(title)
                break
        found = None
        for length in (3, 2, 4):
            start = end - length
            if start < floor:
                continue
            if _is_name(text[start:end]) and (start == floor or text[start - 1] in _SEPARATORS or True):
                found = (start, end)
                break
        if found is None:
            break
        names.append(found)
        if text[found[0] - 1 : found[0]] != "、":
            break
        end = found[0] - 1
    return names


_ROSTER_ROW = re.compile(
    r"^[ \t\u3000]*(?:(?P<label>[\u4e00-\u9fff](?:[ \t\u3000]*[\u4e00-\u9fff]){1,5})[ \t\u3000]*[:：][ \t\u3000]*)?"
    r"(?P<name>[\u4e00-\u9fff]{1,2}(?:[ \t\u3000][\u4e00-\u9fff]|[\u4e00-\u9fff]{0,2}))[ \t\u3000]+"
    r"(?P<post>[^\s:：]{2,30})[ \t\u3000]*$"
)


def _roster(doc, body, person_at, add):  # type: ignore[no-untyped-def]
    """Rows of a roster: ``组 长:NAME ORG+TITLE``; a label carries over the rows below it."""
    text = doc.simplified
    label: str | None = None
    label_span = (0, 0)
    position = 0
    for line in text.split("\n"):
        start = position
        position += len(line) + 1
        match = _ROSTER_ROW.match(line)
        if match is None:
            label = None
            continue
        name_span = name_after(text, start + match.start("name"))
        if name_span is None or name_span[1] - start > match.end("name") + 1:
            label = None
            continue
        if match.group("label"):
            squeezed = re.sub(r"[ \t\u3000]", "", match.group("label"))
            if not title_at(squeezed, 0) or title_at(squeezed, 0) != squeezed:
                label = None
                continue
            label, label_span = squeezed, (start + match.start("label"), start + match.end("label"))
        person = person_at(*name_span)
        if label:
            add(person, label, body, *label_span)
        post = match.group("post")
        title = next((t for t in _TITLES_LONGEST if post.endswith(t)), None)
        if title:
            organisation = post[: -len(title)] or None
            post_start = start + match.start("post")
            add(person, doc.clean.text[post_start : start + match.end("post")], organisation, post_start, start + match.end("post"))
