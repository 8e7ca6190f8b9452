"""Hand-made plans for named queries that an on-disk Oxigraph store answers slowly in SPARQL.

The ``.rq`` file stays the definition: every store but Oxigraph runs it, and a test requires the
plan here to give the same rows in the same order on every organisation of the bundled graph
and of generated ones, including units with several parents, several labels or none.

``org-chart``: Oxigraph evaluates ``?step (org:subOrganizationOf|org:unitOf)+ ?org . ?unit …*
?step`` by expanding the path once per step before it counts; a chart of 584 units takes it
about 120 ms. Asking for the units with their parents in one query and for the labels in a
second, then counting the steps up here, takes well under half of that.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["NATIVE_PLANS", "org_chart"]

_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
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
    import pyoxigraph

    def ask(query: str) -> Any:
        return store.query(query, use_default_graph_as_union=True)

    top = pyoxigraph.NamedNode(str(bindings["org"]))
    # two index-driven queries: the units under the top with their parents, then everybody's labels
    parents: dict[Any, list[tuple[Any, Any]]] = {}
    for unit, relation, parent in ask(_UNITS_AND_PARENTS % top):
        parents.setdefault(unit, []).append((relation, parent))
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


NATIVE_PLANS: dict[str, Callable[[Any, dict[str, Any]], tuple[list[str], list[tuple[Any, ...]]] | None]] = {
    "org-chart": org_chart,
}
