"""The rules every name parameter of orggraph follows, on names and IRIs as plain text: the
graph is asked through the functions the caller gives, so the rules hold on any store, with or
without rdflib."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Collection, Mapping

from orggraph.errors import ResolutionError
from orggraph.iris import expand
from orggraph.store.sparql_text import LiteralText, sparql_term
from orggraph.text.normalization import normalize_name, to_simplified, to_traditional

__all__ = ["as_iri", "curated", "exact_choice", "exact_match_query", "name_variants", "resolve_name"]


def resolve_name(
    text: str,
    *,
    known: Callable[[str], bool],
    exact: Callable[[str], Collection[str]],
    names: Callable[[], Mapping[str, Collection[str]]],
    what: str = "resource",
    listing: str = "check the spelling or use an IRI",
) -> str:
    """The one thing ``text`` names, by the rules every name parameter of orggraph follows: an IRI
    (``<…>``, ``https://…``, ``urn:…``) or a prefixed name (``ogr:mps``) that ``known`` accepts; else
    the one thing ``exact`` finds labelled so (in either script); else the one thing whose
    normalised name (punctuation, width, case) is the same in ``names`` (normalised name →
    things); else a :class:`~orggraph.errors.ResolutionError` with suggestions.

    >>> things = {"https://example.org/a": ["公安部"], "https://example.org/b": ["中安协"]}
    >>> resolve_name(
    ...     "公 安 部",
    ...     known=things.__contains__,
    ...     exact=lambda name: [t for t, labels in things.items() if name in labels],
    ...     names=lambda: {normalize_name(n): [t] for t, labels in things.items() for n in labels},
    ... )
    'https://example.org/a'
    """
    candidate = text.strip()
    if not candidate:
        raise ResolutionError(f"empty {what} name; give a label, an alias, a prefixed name or an IRI")
    iri = as_iri(candidate)
    if iri is not None:
        if known(str(iri)):
            return str(iri)
        raise ResolutionError(f"no {what} {candidate} in the loaded graph; check the IRI or use a name")
    matches = set(exact(candidate))
    chosen = exact_choice(matches)
    if chosen is not None:
        return chosen
    # no exact label: compare normalised forms of every name (punctuation, width, case), then suggest
    table = names()
    key = normalize_name(candidate)
    found = set(table.get(key, ())) or matches
    if len(found) == 1:
        return found.pop()
    if len(curated(found)) == 1:
        return curated(found).pop()
    if len(found) > 1:
        labels = {thing: sorted(k for k, things in table.items() if thing in things)[:2] for thing in found}
        listed = "; ".join(f"{thing} ({', '.join(labels[thing])})" for thing in sorted(found))
        raise ResolutionError(f"{candidate!r} names several things: {listed}; use one of these IRIs")
    close = difflib.get_close_matches(key, list(table), n=3, cutoff=0.5)
    if close:
        raise ResolutionError(f"unknown {what} {candidate!r}; did you mean {', '.join(close)}?")
    # the listing may name a function the caller can use, written {name}
    raise ResolutionError(
        f"unknown {what} {candidate!r}; {listing}", parameters=tuple(re.findall(r"\{(\w+)\}", listing))
    )


def exact_choice(matches: Collection[str]) -> str | None:
    """The thing a name's exact matches settle on: the one match, or the one curated match (a
    curated thing wins over candidates extraction proposed); None when they settle nothing.

    >>> exact_choice({"urn:a"}), exact_choice({"urn:a", "urn:b"})
    ('urn:a', None)
    >>> exact_choice({"https://example.org/a", "https://example.org/candidate-a"})
    'https://example.org/a'
    """
    if len(matches) == 1:
        return next(iter(matches))
    kept = curated(matches)
    return kept.pop() if len(kept) == 1 else None


@functools.lru_cache(maxsize=1024)
def name_variants(candidate: str) -> tuple[LiteralText, ...]:
    """The labels an exact match looks for: the text in either script, tagged zh-Hans, zh-Hant
    or en, or untagged.

    >>> [(v.value, v.language) for v in name_variants("abc")]
    [('abc', 'zh-Hans'), ('abc', 'zh-Hant'), ('abc', 'en'), ('abc', None)]
    """
    spellings = dict.fromkeys((candidate, to_simplified(candidate), to_traditional(candidate)))
    tagged = [LiteralText(s, language) for s in spellings for language in ("zh-Hans", "zh-Hant", "en")]
    return (*tagged, *(LiteralText(s) for s in spellings))


def curated(things: Collection[str]) -> set[str]:
    """The things not proposed by extraction (whose IRIs are not candidate IRIs)."""
    return {thing for thing in things if "/candidate-" not in thing}


def as_iri(text: str) -> str | None:
    """The IRI ``text`` writes (``<…>``, ``https://…``, ``urn:…``, a known prefixed name); else None.

    >>> as_iri("ogr:mps"), as_iri("公安部")
    ('https://w3id.org/orggraph/id/mps', None)
    """
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if "://" in text or text.startswith("urn:"):
        return text
    expanded = expand(text)
    return expanded


@functools.lru_cache(maxsize=1024)
def exact_match_query(candidate: str, typed: bool) -> str:
    """The SPARQL that finds the things labelled ``candidate`` (in either script, any usual
    language), of the type bound to ``?type`` when ``typed``: for stores asked in SPARQL.

    >>> "VALUES ?name" in exact_match_query("中安协", typed=False)
    True
    """
    values = " ".join(str(sparql_term(name)) for name in name_variants(candidate))  # escaped: never syntax
    # the names first and the predicate as a filter: one object-index lookup per name, in every store
    condition = "FILTER EXISTS { ?thing a/rdfs:subClassOf* ?type }" if typed else "FILTER(isIRI(?thing))"
    return (
        f"SELECT DISTINCT ?thing WHERE {{ VALUES ?name {{ {values} }} ?thing ?property ?name "
        f"FILTER(?property IN (skos:prefLabel, skos:altLabel, rdfs:label, skos:notation)) {condition} }}"
    )
