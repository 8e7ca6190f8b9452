"""What changed between two meetings or two years: organisations that appear or disappear, people
whose posts changed (the same person, by identity, not by name), and duties that are new, recurring
or dropped. A duty recurs when the same organisation carries a duty of similar wording (character
bigrams) — of the same category, or very close in wording; every pairing shows both texts, so a
reader can judge it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from orggraph.analysis.records import duty_records
from orggraph.graph.named_queries import run_named_query
from orggraph.graph.resolution import resolve_resource
from orggraph.graph.results import to_records
from orggraph.store.sparql import select_rows
from orggraph.text.normalization import to_simplified
from orggraph.text.tables import format_table

__all__ = ["Diff", "diff", "diff_graphs", "similarity"]

_YEAR = re.compile(r"^(?:19|20)\d{2}$")


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the two texts' character bigrams (Simplified, punctuation ignored).

    >>> round(similarity("加强行业自律", "加强行业自律服务"), 2), similarity("抓好资金管理", "提升政治站位")
    (0.83, 0.0)
    """

    def grams(text: str) -> list[str]:
        plain = re.sub(r"[\W_]+", "", to_simplified(text))
        return [plain[i : i + 2] for i in range(len(plain) - 1)] or [plain]

    left, right = grams(a), grams(b)
    pool = list(right)
    common = 0
    for gram in left:
        if gram in pool:
            pool.remove(gram)
            common += 1
    return 2 * common / (len(left) + len(right)) if left and right else 0.0


@dataclass
class Diff:
    """The two sides compared and what changed from the first to the second."""

    first: str
    second: str
    new: list[dict[str, object]] = field(default_factory=list)
    recurring: list[dict[str, object]] = field(default_factory=list)  # {organisation, before, after, similarity}
    dropped: list[dict[str, object]] = field(default_factory=list)
    appeared: list[str] = field(default_factory=list)
    disappeared: list[str] = field(default_factory=list)
    changed_posts: list[dict[str, object]] = field(default_factory=list)  # {person, before, after}

    def text(self) -> str:
        parts = [f"{self.first} → {self.second}"]
        parts.append(f"organisations that appear ({len(self.appeared)}): {'、'.join(self.appeared) or '–'}")
        parts.append(f"organisations that disappear ({len(self.disappeared)}): {'、'.join(self.disappeared) or '–'}")
        for title, duties in (("new duties", self.new), ("dropped duties", self.dropped)):
            parts.append(f"\n{title} ({len(duties)}):")
            if duties:
                rows = [[str(d["organisation"]), str(d["task"]), str(d.get("category") or "")] for d in duties]
                parts.append(format_table(["organisation", "duty", "category"], rows))
        parts.append(f"\npeople whose posts changed ({len(self.changed_posts)}):")
        if self.changed_posts:
            rows = [[str(c["person"]), "、".join(c["before"]), "、".join(c["after"])] for c in self.changed_posts]  # type: ignore[arg-type]
            parts.append(format_table(["person", "before", "after"], rows))
        parts.append(f"\nrecurring duties ({len(self.recurring)}):")
        if self.recurring:
            rows = [
                [str(p["organisation"]), str(p["before"]), str(p["after"]), f"{p['similarity']:.2f}"]
                for p in self.recurring
            ]
            parts.append(format_table(["organisation", "before", "after", "similarity"], rows))
        return "\n".join(parts)

    def to_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, indent=1, default=str)


_POSTS = """
SELECT DISTINCT ?who ?person ?post ?date ?document WHERE {
  GRAPH ?stated { ?held org:heldBy ?who ; org:postIn ?org }
  ?who skos:prefLabel ?person FILTER(langMatches(lang(?person), "zh-Hans"))
  ?held skos:prefLabel ?post FILTER(langMatches(lang(?post), "zh-Hans"))
  OPTIONAL {
    GRAPH ?stated {
      ?source a og:SourceDocument ; dcterms:identifier ?document .
      OPTIONAL { ?source dcterms:date ?date }
    }
  }
}"""


def _posts(graph: Any, text: str | None, documents: set[str]) -> dict[tuple[str, str], set[str]]:
    """(person, name) → the posts the documents of one side (a year, or a meeting's documents; every
    document when ``text`` is None) give them."""
    held: dict[tuple[str, str], set[str]] = {}
    year = text.strip() if text is not None and _YEAR.match(text.strip()) else None
    for who, person, post, date, document in select_rows(graph, _POSTS):
        if text is None or (year and str(date or "").startswith(year)) or (not year and str(document) in documents):
            held.setdefault((str(who), str(person)), set()).add(str(post))
    return held


def _side(graph: Any, text: str) -> tuple[str, list[dict[str, object]], set[str]]:
    """A label, the duties and the organisations present for a meeting or a year."""
    records = duty_records(graph)
    if _YEAR.match(text.strip()):
        duties = [r for r in records if str(r.get("duty_year")) == text.strip()]
        meetings = to_records(run_named_query(graph, "meetings", {"year": int(text)}))
        present = {str(m.get("convener")) for m in meetings if m.get("convener")}
        for meeting in {str(m["meeting"]) for m in meetings}:
            present |= _attendees(graph, meeting)
        return text.strip(), duties, present | _carriers(duties)
    meeting = str(resolve_resource(graph, text, "og:Meeting"))
    duties = [r for r in records if str(r.get("meeting")) == meeting]
    return text, duties, _attendees(graph, meeting) | _carriers(duties)


def _attendees(graph: Any, meeting: str) -> set[str]:
    rows = to_records(run_named_query(graph, "attendees", {"meeting": meeting}))
    return {str(r.get("name_zh_hans") or r["attendee"]) for r in rows if r.get("kind") == "organisation"}


def _carriers(duties: list[dict[str, object]]) -> set[str]:
    return {str(d.get("organisation_zh_hans") or d.get("organisation")) for d in duties}


def _duty(record: dict[str, object]) -> dict[str, object]:
    return {
        "organisation": record.get("organisation_zh_hans") or record.get("organisation"),
        "task": record.get("task_zh_hans") or record.get("duty"),
        "category": record.get("category"),
        "duty": record.get("duty"),
        "document": record.get("document"),
    }


def diff(graph: Any, first: str, second: str, *, threshold: float = 0.5) -> Diff:
    """Compare two meetings (IRI, prefixed name or label) or two years (``"2019"``) in ``graph``.

    >>> from orggraph.store.loading import load_graph
    >>> d = diff(load_graph(), "2019", "2023")
    >>> len(d.new), len(d.dropped) > 20, bool(d.disappeared)
    (3, True, True)
    """
    first_label, before, present_before = _side(graph, first)
    second_label, after, present_after = _side(graph, second)
    posts_before = _posts(graph, first, {str(r.get("document")) for r in before})
    posts_after = _posts(graph, second, {str(r.get("document")) for r in after})
    report = Diff(first_label, second_label)
    _compare(report, (before, present_before, posts_before), (after, present_after, posts_after), threshold)
    return report


def diff_graphs(first: Any, second: Any, first_label: str, second_label: str, *, threshold: float = 0.5) -> Diff:
    """Compare two whole graphs (two versions of a graph file, two stores): every duty, every
    organisation and every post of one against the other.

    >>> from orggraph.store.loading import load_graph
    >>> d = diff_graphs(load_graph(), load_graph(), "a", "b")
    >>> (len(d.new), len(d.dropped), len(d.recurring) > 20)
    (0, 0, True)
    """
    sides = []
    for graph in (first, second):
        duties = duty_records(graph)
        names = {str(r.get("name_zh_hans") or r["org"]) for r in to_records(run_named_query(graph, "organisations"))}
        sides.append((duties, names, _posts(graph, None, set())))
    report = Diff(first_label, second_label)
    _compare(report, sides[0], sides[1], threshold)
    return report


_Side = tuple[list[dict[str, object]], set[str], dict[tuple[str, str], set[str]]]


def _compare(report: Diff, first: _Side, second: _Side, threshold: float) -> None:
    (before, present_before, posts_before), (after, present_after, posts_after) = first, second
    report.appeared = sorted(present_after - present_before)
    report.disappeared = sorted(present_before - present_after)
    old = [_duty(r) for r in before]
    new = [_duty(r) for r in after]
    pairs = []
    for i, a in enumerate(old):
        for j, b in enumerate(new):
            if a["organisation"] != b["organisation"]:
                continue
            score = similarity(str(a["task"]), str(b["task"]))
            same_category = a["category"] is not None and a["category"] == b["category"]
            if score >= threshold or (same_category and score >= threshold * 0.6):
                pairs.append((score, i, j))
    used_old: set[int] = set()
    used_new: set[int] = set()
    for score, i, j in sorted(pairs, reverse=True):
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        report.recurring.append(
            {
                "organisation": new[j]["organisation"],
                "before": old[i]["task"],
                "after": new[j]["task"],
                "similarity": score,
            }
        )
    for person in sorted(set(posts_before) & set(posts_after)):
        if posts_before[person] != posts_after[person]:
            before_posts, after_posts = sorted(posts_before[person]), sorted(posts_after[person])
            report.changed_posts.append({"person": person[1], "before": before_posts, "after": after_posts})
    report.new = [d for j, d in enumerate(new) if j not in used_new]
    report.dropped = [d for i, d in enumerate(old) if i not in used_old]
