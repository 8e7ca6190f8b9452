"""Hand-made query plans for Oxigraph, on pyoxigraph's terms alone (no rdflib: the quick path runs
them too; :mod:`orggraph.store.planned` gives their answers to the rdflib side). The ``.rq`` file
stays the definition of a named query; every store but Oxigraph runs it, and a test requires a
plan to give the same rows in the same order on every organisation of the bundled graph and of
generated ones, including units with several parents, several labels or none.

``org-chart``: Oxigraph evaluates ``?step (org:subOrganizationOf|org:unitOf)+ ?org . ?unit …*
?step`` by expanding the path once per step before it counts; a chart of 584 units takes it about
120 ms. Asking for the units with their parents in one query and for the labels in a second, then
counting the steps up here, takes well under half of that.

``duties`` and ``duty-carriers``: over every duty of a big store, Oxigraph joins the query's
OPTIONALs one at a time. The plans scan each predicate they need once, as TSV that Oxigraph
writes itself (a quarter of the cost of building a Python object per term), and join here.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

from orggraph.iris import PREFIXES
from orggraph.store.oxigraph_direct import lexical_form as _lexical
from orggraph.store.oxigraph_direct import pyoxigraph
from orggraph.store.oxigraph_direct import string_text as _tsv_string
from orggraph.store.oxigraph_direct import term_from_text as _oxigraph_term

__all__ = [
    "EMPTY_EDGES",
    "NATIVE_PLANS",
    "TEXT_PLANS",
    "DutyGraph",
    "as_terms",
    "duty_rows",
    "duty_years",
    "memoised",
    "org_chart",
]

_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
_RDF_TYPE = PREFIXES["rdf"] + "type"
_ORG_CHART_VARIABLES = ("depth", "unit", "name_zh_hans", "name_en", "parent", "parent_name", "relation")


_PREFIXES = "PREFIX org: <http://www.w3.org/ns/org#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
# the units under the top and all their parents, inside the chart or not, in one go
_UNITS_AND_PARENTS = _PREFIXES + (
    "SELECT ?unit ?relation ?parent WHERE { { SELECT DISTINCT ?unit WHERE { "
    "?unit (org:subOrganizationOf|org:unitOf)+ %s } } "
    "?unit ?relation ?parent FILTER(?relation IN (org:subOrganizationOf, org:unitOf)) }"
)
_LABELS = _PREFIXES + "SELECT ?node ?label WHERE { VALUES ?node { %s } ?node skos:prefLabel ?label }"


def org_chart(store: Any, bindings: dict[str, Any]) -> tuple[list[str], list[tuple[Any, ...]]] | None:
    """The rows of ``org-chart.rq`` for ``bindings["org"]``, as pyoxigraph terms (None: unbound);
    None when a unit or parent is a blank node, which a VALUES block cannot name."""

    def ask(query: str) -> Any:
        return store.query(query, use_default_graph_as_union=True)

    top = pyoxigraph.NamedNode(str(bindings["org"]))
    # two index-driven queries: the units under the top with their parents, then everybody's labels
    parents: dict[Any, list[tuple[Any, Any]]] = {}
    for unit, relation, parent in ask(_UNITS_AND_PARENTS % top):
        if (relation, parent) not in parents.setdefault(unit, []):
            parents[unit].append((relation, parent))
    unit_of = pyoxigraph.NamedNode("http://www.w3.org/ns/org#unitOf")
    for unit, edges in parents.items():  # one row per unit and parent: a unitOf hides a subOrganizationOf
        parents[unit] = [(r, p) for r, p in edges if r == unit_of or (unit_of, p) not in edges]
    units = list(parents)
    if not units:
        return list(_ORG_CHART_VARIABLES), []
    named = set(units) | {parent for edges in parents.values() for _, parent in edges}
    if any(isinstance(node, pyoxigraph.BlankNode) for node in named):
        return None  # a VALUES block cannot name a blank node: the .rq answers instead
    zh_hans: dict[Any, list[Any]] = {}
    english: dict[Any, list[Any]] = {}
    for node, label in ask(_LABELS % " ".join(str(node) for node in named if isinstance(node, pyoxigraph.NamedNode))):
        language = getattr(label, "language", None)
        for wanted, found in (("zh-hans", zh_hans), ("en", english)):
            if _lang_matches(language, wanted):
                found.setdefault(node, []).append(label)
    unbound = [None]  # OPTIONAL: no label leaves the variable unbound

    chart = set(units)
    integer = pyoxigraph.NamedNode(_XSD_INTEGER)
    rows = []
    for unit in units:
        depth = pyoxigraph.Literal(str(_steps_up(unit, parents, chart)), datatype=integer)
        names_zh, names_en = zh_hans.get(unit, unbound), english.get(unit, unbound)
        for relation, parent in parents[unit]:
            for name_zh in names_zh:
                for name_en in names_en:
                    for parent_name in zh_hans.get(parent, unbound):
                        rows.append((depth, unit, name_zh, name_en, parent, parent_name, relation))
    rows = list(dict.fromkeys(rows))  # GROUP BY: one row per distinct combination
    rows.sort(key=lambda row: (int(row[0].value), _order_key(row[5]), _order_key(row[2])))
    return list(_ORG_CHART_VARIABLES), rows


def _steps_up(unit: Any, parents: dict[Any, list[tuple[Any, Any]]], chart: set[Any]) -> int:
    """COUNT(DISTINCT ?step): the units of the chart reachable upwards from ``unit``, itself included."""
    seen = {unit}
    stack = [unit]
    while stack:
        for _, parent in parents.get(stack.pop(), ()):
            if parent in chart and parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return len(seen)


def _lang_matches(tag: str | None, wanted: str) -> bool:
    """SPARQL langMatches for a plain range: the tag, or a tag it is a prefix of up to a hyphen."""
    if not tag:
        return False
    tag = tag.lower()
    return tag == wanted or tag.startswith(wanted + "-")


def _order_key(term: Any) -> tuple[int, str]:
    """SPARQL's ORDER BY for the values here: unbound first, then literals by their text."""
    return (0, "") if term is None else (1, term.value)


_DUTY_VARIABLES = (
    "duty",
    "task_zh_hans",
    "organisation",
    "organisation_zh_hans",
    "type",
    "carried_as",
    "category",
    "duty_year",
    "assigned_by",
    "meeting",
    "document",
)
_CARRIER_VARIABLES = ("duty", "organisation", "organisation_zh_hans", "type", "carried_as", "category", "duty_year")
_OG, _ORG_NS, _SKOS = (
    "https://w3id.org/orggraph/ns#",
    "http://www.w3.org/ns/org#",
    "http://www.w3.org/2004/02/skos/core#",
)


def _tsv_rows(store: Any, query: str) -> list[list[str]]:
    """The solutions of ``query`` as rows of SPARQL TSV terms (``<iri>``, ``"text"@lang``, …),
    written by Oxigraph itself: no Python object per term until a value is wanted."""
    written = store.query(query, use_default_graph_as_union=True).serialize(format=pyoxigraph.QueryResultsFormat.TSV)
    return [line.split("\t") for line in written.decode("utf-8").split("\n")[1:] if line]


class DutyGraph:
    """The statements the duty plans join, each predicate scanned once when first asked."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self._edges: dict[str, dict[str, list[str]]] = {}

    def edges(self, predicate: str, *, zh_hans: bool = False) -> dict[str, list[str]]:
        """Subject → objects of ``predicate`` (once each, however many graphs say it); with
        ``zh_hans``, only literals whose language matches zh-Hans."""
        key = predicate + (" zh-Hans" if zh_hans else "")
        found = self._edges.get(key)
        if found is None:
            language = ' FILTER(LANGMATCHES(LANG(?o), "zh-hans"))' if zh_hans else ""
            found = {}
            for subject, value in _tsv_rows(self.store, f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o{language} }}"):
                values = found.get(subject)
                if values is None:
                    found[subject] = [value]
                else:
                    values.append(value)
            for subject, values in found.items():
                if len(values) > 1:
                    found[subject] = list(dict.fromkeys(values))
            self._edges[key] = found
        return found

    def carriers(self) -> Callable[[str], list[tuple[str, str]]]:
        """The function giving a duty's carriers as (organisation, "assignee" | "member unit"):
        whom it is assigned to, and the member units of a mechanism it is assigned to."""
        assigned, members = self.edges(_OG + "assignedTo"), self.edges(_ORG_NS + "hasMember")
        member = self.edges(_ORG_NS + "member")
        units_of: dict[str, list[str]] = {}
        for membership, collaborations in self.edges(_ORG_NS + "organization").items():
            for collaboration in collaborations:
                units_of.setdefault(collaboration, []).extend(member.get(membership, []))
        assignee, member_unit = _tsv_string("assignee"), _tsv_string("member unit")

        def carriers_of(duty: str) -> list[tuple[str, str]]:
            targets = assigned.get(duty, ())
            found = [(target, assignee) for target in targets]
            for collaboration in targets:
                found += [(unit, member_unit) for unit in members.get(collaboration, ())]
                found += [(unit, member_unit) for unit in units_of.get(collaboration, ())]
            return found

        return carriers_of

    def duties(self) -> list[str]:
        rows = _tsv_rows(self.store, f"SELECT DISTINCT ?s WHERE {{ ?s <{_RDF_TYPE}> <{_OG}Duty> }}")
        return sorted(row[0] for row in rows)


EMPTY_EDGES: dict[str, list[str]] = {}


def duty_years(
    duty: str,
    held_at: dict[str, list[str]],
    start: dict[str, list[str]],
    period: dict[str, list[str]],
    year: Any,
    seen: dict[str, str],
) -> list[tuple[str | None, str | None]]:
    """(year, meeting) of a duty as the query's OPTIONALs make them: its og:period, else the
    year of the meeting that assigned it; only ``year``'s when given. Years are TSV strings."""
    unbound: list[Any] = [None]
    years: list[tuple[str | None, str | None]] = []
    for meeting in held_at.get(duty) or unbound:
        for date in (start.get(meeting) if meeting is not None else None) or unbound:
            for when in period.get(duty) or unbound:
                text = _lexical(when) if when is not None else (_lexical(date)[:4] if date is not None else None)
                years.append((None if text is None else seen.setdefault(text, _tsv_string(text)), meeting))
    if year is not None:
        years = [(y, m) for y, m in years if y is not None and _lexical(y) == str(year)]
    return years


def duty_rows(store: Any, bindings: dict[str, Any], names: Sequence[str]) -> list[tuple[str | None, ...]]:
    """The rows of ``duties.rq`` or ``duty-carriers.rq`` — the columns in ``names``, as TSV terms —
    read predicate by predicate and joined here: the query's chain of OPTIONALs over every duty
    of a big store is joined by Oxigraph one OPTIONAL at a time, ten times slower."""
    graph = DutyGraph(store)
    wanted = set(names)

    def edges(column: str, predicate: str, *, zh_hans: bool = False) -> dict[str, list[str]]:
        return graph.edges(predicate, zh_hans=zh_hans) if column in wanted else EMPTY_EDGES

    org, year = bindings.get("org"), bindings.get("year")
    wanted_org = None if org is None else f"<{org}>"
    carriers_of = graph.carriers()
    dated = "duty_year" in wanted or "meeting" in wanted or year is not None
    period = graph.edges(_OG + "period") if dated else EMPTY_EDGES
    held_at = graph.edges(_OG + "assignedAt") if dated else EMPTY_EDGES
    start = graph.edges("https://schema.org/startDate") if dated else EMPTY_EDGES
    notation = graph.edges(_SKOS + "notation") if wanted & {"type", "category"} else EMPTY_EDGES
    classification, category = edges("type", _ORG_NS + "classification"), edges("category", _OG + "category")
    labelled = wanted & {"task_zh_hans", "organisation_zh_hans", "assigned_by"}
    zh = graph.edges(_SKOS + "prefLabel", zh_hans=True) if labelled else EMPTY_EDGES
    assigner = edges("assigned_by", _OG + "assignedBy")
    derived = edges("document", "http://www.w3.org/ns/prov#wasDerivedFrom")
    source = edges("document", "http://www.w3.org/ns/oa#hasSource")
    identifier = edges("document", "http://purl.org/dc/terms/identifier")
    details = bool(wanted & {"task_zh_hans", "assigned_by", "document"})
    unbound: list[str | None] = [None]

    def through(values: list[str] | None, step: dict[str, list[str]]) -> list[str | None]:
        """A path of two steps in an OPTIONAL: unbound unless both steps are there."""
        found: list[str | None] = [value for first in values or () for value in step.get(first, ())]
        return found or unbound

    years_seen: dict[str, str] = {}
    rows: dict[tuple[str | None, ...], None] = {}
    for duty in graph.duties():
        carriers = carriers_of(duty)
        if wanted_org is not None:
            carriers = [(unit, how) for unit, how in carriers if unit == wanted_org]
        if not carriers:
            continue
        years = duty_years(duty, held_at, start, period, year, years_seen)
        if "meeting" not in wanted:
            years = [(y, None) for y in dict.fromkeys(y for y, _ in years)]
        values: dict[str, list[Any]] = {"duty": [duty], "category": through(category.get(duty), notation)}
        if details:
            values["task_zh_hans"] = zh.get(duty) or unbound
            values["assigned_by"] = [name for who in assigner.get(duty, ()) for name in zh.get(who) or unbound]
            values["document"] = [
                document for evidence in derived.get(duty, ()) for document in through(source.get(evidence), identifier)
            ]
            values["assigned_by"] = values["assigned_by"] or unbound
            values["document"] = values["document"] or unbound
        for unit, how in carriers:
            values["organisation"], values["carried_as"] = [unit], [how]
            values["organisation_zh_hans"] = zh.get(unit) or unbound
            values["type"] = through(classification.get(unit), notation)
            for duty_year, meeting in years:
                values["duty_year"], values["meeting"] = [duty_year], [meeting]
                for row in itertools.product(*(values[name] for name in names)):
                    rows[row] = None
    lexical: dict[str, str] = {}

    def order(term: str | None) -> tuple[int, str]:
        """SPARQL's ORDER BY for the values here: unbound first, then by their text."""
        if term is None:
            return (0, "")
        found = lexical.get(term)
        if found is None:
            found = lexical[term] = _lexical(term)
        return (1, found)

    year_at, name_at = names.index("duty_year"), names.index("organisation_zh_hans")
    return sorted(rows, key=lambda row: (order(row[year_at]), order(row[name_at]), order(row[0])))


def memoised(convert: Callable[[str], Any]) -> Callable[[str | None], Any]:
    """``convert`` of a TSV term, made once per distinct term (rows repeat them); None stays None."""
    made: dict[str, Any] = {}

    def converted(text: str | None) -> Any:
        if text is None:
            return None
        found = made.get(text)
        if found is None:
            found = made[text] = convert(text)
        return found

    return converted


def as_terms(rows: list[tuple[str | None, ...]]) -> list[tuple[Any, ...]]:
    """Rows of TSV terms as rows of pyoxigraph terms, each distinct term made once."""
    term = memoised(_oxigraph_term)
    return [tuple(map(term, row)) for row in rows]


def _text_plan(
    names: Sequence[str],
) -> Callable[[Any, dict[str, Any]], tuple[list[str], list[tuple[Any, ...]]] | None]:
    def planned(store: Any, bindings: dict[str, Any]) -> tuple[list[str], list[tuple[Any, ...]]] | None:
        if bindings.get("org") is not None:
            # one organisation's duties: the store's own plan starts from it (5.5 s at 100,000
            # organisations, where reading every duty takes 12.7 s)
            return None
        return list(names), as_terms(duty_rows(store, bindings, names))

    return planned


TEXT_PLANS: dict[str, Sequence[str]] = {"duties": _DUTY_VARIABLES, "duty-carriers": _CARRIER_VARIABLES}
NATIVE_PLANS: dict[str, Callable[[Any, dict[str, Any]], tuple[list[str], list[tuple[Any, ...]]] | None]] = {
    "org-chart": org_chart,
    **{name: _text_plan(names) for name, names in TEXT_PLANS.items()},
}
