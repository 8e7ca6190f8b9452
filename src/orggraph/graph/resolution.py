"""Names → IRIs: a thing given as an IRI, a prefixed name, or any label or alias in
Traditional or Simplified Chinese or English."""

from __future__ import annotations

import functools
import logging
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from orggraph.graph.names import exact_match_query, name_variants, resolve_name
from orggraph.namespaces import ORG, expand
from orggraph.store import oxigraph
from orggraph.store.backends import is_endpoint, is_native, store_folder
from orggraph.store.cache import cached
from orggraph.store.sparql import run_query, select_rows, select_texts
from orggraph.text.normalization import (
    normalize_name,
    normalize_names,
    to_simplified,
    to_simplified_all,
    to_traditional,
)

__all__ = ["OrganisationNames", "names_of", "resolve_name", "resolve_organisation", "resolve_resource"]

logger = logging.getLogger(__name__)

_SUBCLASSES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?class WHERE { ?class rdfs:subClassOf* ?type }
"""
_NAMES = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?thing ?name WHERE {
  %s
  VALUES ?property { skos:prefLabel skos:altLabel rdfs:label skos:notation }
  ?thing ?property ?name .
  FILTER(isIRI(?thing)) %s
}
"""
_TYPED_NAMES = _NAMES.replace("SELECT ?thing ?name", "SELECT ?thing ?class ?name (LANG(?name) AS ?language)")
# candidates from extraction (plain org:Organization) are matched to, but never looked for in text
_RECOGNISED_CLASSES = frozenset(str(c) for c in (ORG.FormalOrganization, ORG.OrganizationalUnit))


def names_of(graph: Graph, type_iri: URIRef | None = None) -> dict[str, set[URIRef]]:
    """Every name of things of ``type_iri`` (anything when None), normalised → the things."""

    if type_iri is not None and not is_native(graph):
        rows = [(str(row[0]), str(row[2])) for row in _typed_names_in_process(graph, type_iri)]
    else:
        found = select_texts(graph, _NAMES % (_typed(graph, type_iri), ""))
        rows = [(thing, name) for thing, name in found if thing and name]
    names: dict[str, set[URIRef]] = {}
    for key, (thing, _) in zip(normalize_names([name for _, name in rows]), rows, strict=True):
        names.setdefault(key, set()).add(URIRef(thing))
    return names


def _typed_names_in_process(graph: Graph, type_iri: URIRef) -> list[tuple[str | None, ...]]:
    """The rows of ``_TYPED_NAMES`` from a graph in this process, read through its indexes:
    rdflib would join the VALUES blocks first and compare every name with every class."""
    classes = set(graph.transitive_subjects(RDFS.subClassOf, type_iri))
    rows: list[tuple[str | None, ...]] = []
    for kind in classes:
        for thing in set(graph.subjects(RDF.type, kind)):
            if not isinstance(thing, URIRef):
                continue
            for name_property in _NAME_PROPERTIES:
                for name in graph.objects(thing, name_property):
                    language = name.language if isinstance(name, Literal) else None
                    rows.append((str(thing), str(kind), str(name), language or ""))
    return rows


def _typed(graph: Graph, type_iri: URIRef | None) -> str:
    """The graph pattern that keeps ``?thing`` to things of ``type_iri`` (anything when None)."""

    if type_iri is None:
        return ""
    # the classes first, then the things of each: a store scans a few types, not a path per thing
    classes = [URIRef(c) for (c,) in select_texts(graph, _SUBCLASSES, {"type": type_iri}) if c]
    return f"VALUES ?class {{ {' '.join(c.n3() for c in classes) or type_iri.n3()} }} ?thing a ?class ."


def resolve_organisation(graph: Graph, text: str) -> URIRef:
    """The organisation that ``text`` names.

    >>> from orggraph.store.loading import load_graph
    >>> graph = load_graph()
    >>> resolve_organisation(graph, "中國安全防范產品行業協會") == resolve_organisation(graph, "中安协")
    True
    >>> resolve_organisation(graph, "ogr:mps")
    rdflib.term.URIRef('https://w3id.org/orggraph/id/mps')
    """
    return _resolve(graph, text, ORG.Organization, "organisation", "{list_organisations} lists them")


class OrganisationNames:
    """The names of the organisations (things of org:Organization or a subclass) in a graph:
    what extraction needs to recognise the names a graph knows and to match them to IRIs,
    however many documents follow. The names are read in one query on first use, and turned
    into the two lookups extraction needs. For an on-disk store each lookup comes from the
    cache while the store is unchanged (see :mod:`orggraph.store.cache`).

    >>> from orggraph.store.loading import load_graph
    >>> names = OrganisationNames(load_graph())
    >>> names.find("中安协") == names.find("中國安全防范產品行業協會"), names.find("不存在的单位")
    (True, None)
    >>> "中国安全防范产品行业协会" in names.gazetteer
    True
    """

    def __init__(self, graph: Graph) -> None:
        self._graph = graph

    @functools.cached_property
    def gazetteer(self) -> dict[str, str]:
        """Simplified Chinese name or alias (three or more characters) of an organisation or unit
        stated as such → the name as written: the names extraction looks for in text."""

        return cached("organisation-gazetteer", store_folder(self._graph), self._gazetteer, valid=_is_gazetteer)

    def find(self, text: str) -> URIRef | None:
        """The one organisation ``text`` names, by a label in either script or else by its
        normalised form; None when it names none or several."""

        things, exact, normalised = self._index
        candidate = text.strip()
        spellings = dict.fromkeys((candidate, to_simplified(candidate), to_traditional(candidate)))
        found = {number for spelling in spellings for number in _numbers(exact.get(spelling))}
        if len(found) != 1:
            found = set(_numbers(normalised.get(normalize_name(text))))
        return URIRef(things[found.pop()]) if len(found) == 1 else None

    def labels_of(self, organisation: URIRef) -> list[str]:
        """Every name of ``organisation`` as written (an empty list for an unknown one)."""
        return self._labels.get(str(organisation), [])

    @functools.cached_property
    def _labels(self) -> dict[str, list[str]]:
        things, exact, _ = self._index
        labels: dict[str, list[str]] = {}
        for name, found in exact.items():
            for number in _numbers(found):
                labels.setdefault(things[number], []).append(name)
        return labels

    @functools.cached_property
    def _index(self) -> tuple[list[str], dict[str, int | list[int]], dict[str, int | list[int]]]:
        """The organisations by number, and name → its organisation's number (a list when the
        name is shared), as written and normalised."""

        index = cached("organisation-index", store_folder(self._graph), self._lookups, valid=_is_index)
        exact, normalised = (dict(zip(*index[part], strict=True)) for part in ("exact", "normalised"))
        return index["things"], exact, normalised

    @functools.cached_property
    def _rows(self) -> list[tuple[str, str, str, str]]:
        """(organisation IRI, its class, name, language tag or "") for every name, from one
        query: a store spends its time finding the organisations, not returning more names."""

        if is_native(self._graph):
            found = select_texts(self._graph, _TYPED_NAMES % (_typed(self._graph, ORG.Organization), ""))
        else:
            found = _typed_names_in_process(self._graph, ORG.Organization)
        rows = [(thing, kind or "", name, language or "") for thing, kind, name, language in found if thing and name]
        logger.info("read %d names of %d organisations", len(rows), len({row[0] for row in rows}))
        return rows

    def _gazetteer(self) -> dict[str, str]:

        written = [
            name
            for _, kind, name, language in self._rows
            if kind in _RECOGNISED_CLASSES and language.lower().startswith("zh")
        ]
        gazetteer: dict[str, str] = {}
        for simplified, name in zip(to_simplified_all(written), written, strict=True):
            if len(simplified) >= 3:
                gazetteer.setdefault(simplified, name)
        return gazetteer

    def _lookups(self) -> dict[str, Any]:
        """The organisations by number, and for the names as written and normalised two lists:
        the names, and each one's number (a list of numbers when several organisations share it).
        Two flat lists, not a mapping of lists: a JSON reader takes a tenth of the time over them."""

        numbers: dict[str, int] = {}
        exact: dict[str, list[int]] = {}
        normalised: dict[str, list[int]] = {}
        names = [name for _, _, name, _ in self._rows]
        for (thing, _, name, _), key in zip(self._rows, normalize_names(names), strict=True):
            number = numbers.setdefault(thing, len(numbers))
            for index, word in ((exact, name), (normalised, key)):
                found = index.setdefault(word, [])
                if number not in found:
                    found.append(number)

        def flat(index: dict[str, list[int]]) -> list[list[Any]]:
            return [list(index), [found[0] if len(found) == 1 else found for found in index.values()]]

        return {"things": list(numbers), "exact": flat(exact), "normalised": flat(normalised)}


def _numbers(found: int | list[int] | None) -> list[int]:
    """The organisation numbers one entry of the index holds."""
    if found is None:
        return []
    return [found] if isinstance(found, int) else found


def _is_gazetteer(value: Any) -> bool:
    """Whether a cached value has the shape of :attr:`OrganisationNames.gazetteer`."""
    return isinstance(value, dict) and all(
        isinstance(k, str) and len(k) >= 3 and isinstance(v, str) and v for k, v in value.items()
    )


def _is_index(value: Any) -> bool:
    """Whether a cached value has the shape :meth:`OrganisationNames._lookups` gives it."""
    if not isinstance(value, dict) or not isinstance(things := value.get("things"), list):
        return False
    count = len(things)

    def is_number(n: Any) -> bool:
        return type(n) is int and 0 <= n < count

    def is_flat(index: Any) -> bool:
        if not (isinstance(index, list) and len(index) == 2 and all(isinstance(part, list) for part in index)):
            return False
        words, numbers = index
        return (
            len(words) == len(numbers)
            and all(type(word) is str for word in words)
            and all(is_number(n) or (type(n) is list and n and all(map(is_number, n))) for n in numbers)
        )

    things_named = all(type(thing) is str for thing in things)
    return things_named and is_flat(value.get("exact")) and is_flat(value.get("normalised"))


def resolve_resource(graph: Graph, text: str, type_curie: str | None = None) -> URIRef:
    """The resource of type ``type_curie`` (any type when None) that ``text`` names.

    >>> from orggraph.store.loading import load_graph
    >>> resolve_resource(load_graph(), "testing-centre", "skos:Concept")
    rdflib.term.URIRef('https://w3id.org/orggraph/ns/org-type/testing-centre')
    """
    type_iri = URIRef(expand(type_curie) or type_curie) if type_curie else None
    what = type_curie.split(":")[-1].lower() if type_curie else "resource"
    return _resolve(graph, text, type_iri, what, "check the spelling or use an IRI")


def _exact_matches(graph: Graph, candidate: str, type_iri: URIRef | None) -> set[URIRef]:
    """Things with a label equal to the text in either script and any usual language: an index lookup."""

    if oxigraph.is_oxigraph(graph):
        return oxigraph.label_matches(graph, name_variants(candidate), type_iri)
    query = exact_match_query(candidate, type_iri is not None)
    return {URIRef(row[0]) for row in select_rows(graph, query, {"type": type_iri} if type_iri is not None else None)}


_NAME_PROPERTIES = (SKOS.prefLabel, SKOS.altLabel, RDFS.label, SKOS.notation)
_LABEL_PROPERTIES = frozenset(str(p) for p in _NAME_PROPERTIES)


def _resolve(graph: Graph, text: str, type_iri: URIRef | None, what: str, listing: str) -> URIRef:
    found = resolve_name(
        text,
        known=lambda iri: _describes(graph, URIRef(iri)),
        exact=lambda candidate: {str(t) for t in _exact_matches(graph, candidate, type_iri)},
        names=lambda: {key: {str(t) for t in things} for key, things in names_of(graph, type_iri).items()},
        what=what,
        listing=listing,
    )
    return URIRef(found)


def _describes(graph: Graph, iri: URIRef) -> bool:
    """Whether the graph has a statement about ``iri``."""

    if oxigraph.is_oxigraph(graph):
        return oxigraph.describes(graph, iri)
    if is_endpoint(graph):  # asked as every query is: an endpoint's refusal is said in one line
        answer = run_query(graph, "ASK { ?iri ?p ?o }", {"iri": iri}, trusted=True)
        return bool(answer is not None and answer.askAnswer)
    return (iri, None, None) in graph
