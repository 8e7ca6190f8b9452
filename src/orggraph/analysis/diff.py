"""What changed between two meetings or two years: organisations that appear or disappear, and
duties that are new, recurring or dropped. A duty recurs when the same organisation carries a duty
of similar wording (character bigrams) — of the same category, or very close in wording; every
pairing shows both texts, so a reader can judge it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from orggraph.analysis.records import duty_records
from orggraph.graph.named_queries import run_named_query
from orggraph.graph.resolution import resolve_resource
from orggraph.graph.results import to_records
from orggraph.text.normalization import to_simplified
from orggraph.text.tables import format_table

__all__ = ["Diff", "diff", "similarity"]

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

    def text(self) -> str:
        parts = [f"{self.first} → {self.second}"]
        parts.append(f"organisations that appear ({len(self.appeared)}): {'、'.join(self.appeared) or '–'}")
        parts.append(f"organisations that disappear ({len(self.disappeared)}): {'、'.join(self.disappeared) or '–'}")
        for title, duties in (("new duties", self.new), ("dropped duties", self.dropped)):
            parts.append(f"\n{title} ({len(duties)}):")
            if duties:
                rows = [[str(d["organisation"]), str(d["task"]), str(d.get("category") or "")] for d in duties]
                parts.append(format_table(["organisation", "duty", "category"], rows))
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
    >>> d = diff(load_graph(), "2018", "2019")
    >>> len(d.new) > 0, d.dropped, "中国安全防范产品行业协会" in d.appeared
    (True, [], True)
    """
    first_label, before, present_before = _side(graph, first)
    second_label, after, present_after = _side(graph, second)
    report = Diff(first_label, second_label)
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
    report.new = [d for j, d in enumerate(new) if j not in used_new]
    report.dropped = [d for i, d in enumerate(old) if i not in used_old]
    return report
