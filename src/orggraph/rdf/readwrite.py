"""Reading and writing RDF files: format detection, parse errors with positions, serialisation."""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from orggraph.errors import InputError, OrgGraphError, UsageError
from orggraph.files import read_text
from orggraph.namespaces import bind_prefixes
from orggraph.resources import ontology_files

__all__ = [
    "RDF_FORMATS",
    "bundled_ontology",
    "guess_format",
    "parse_rdf",
    "read_rdf",
    "serialize_rdf",
    "new_dataset",
    "refuse_entity_expansion",
    "refuse_external_references",
    "ENTITY_EXPANSION_LIMIT",
]

# suffix → rdflib parser/serializer name
RDF_FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".ntriples": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".n3": "n3",
}
# names a user may type → rdflib name
FORMAT_NAMES: dict[str, str] = {
    "ttl": "turtle",
    "turtle": "turtle",
    "nt": "nt",
    "ntriples": "nt",
    "nquads": "nquads",
    "nq": "nquads",
    "trig": "trig",
    "jsonld": "json-ld",
    "json-ld": "json-ld",
    "xml": "xml",
    "rdfxml": "xml",
    "n3": "n3",
}
_QUAD_FORMATS = {"nquads", "trig"}


def guess_format(path: str | os.PathLike[str], explicit: str | None = None) -> str:
    """The rdflib format name for ``path`` (or for an explicit format name).

    >>> guess_format("data/seed.ttl"), guess_format("x.jsonld"), guess_format("x.txt", "nt")
    ('turtle', 'json-ld', 'nt')
    """
    if explicit:
        try:
            return FORMAT_NAMES[explicit.lower()]
        except KeyError:
            known = ", ".join(sorted(FORMAT_NAMES))
            raise UsageError(f"unknown RDF format {explicit!r}; use one of: {known}") from None
    suffix = Path(path).suffix.lower()
    try:
        return RDF_FORMATS[suffix]
    except KeyError:
        known = " ".join(sorted(RDF_FORMATS))
        raise InputError(
            f"{path}: cannot tell the RDF format from the suffix {suffix or '(none)'!r}; rename it to one of {known}"
        ) from None


def _position(error: Exception, text: str) -> tuple[int, int] | None:
    """1-based (line, column) of a parser error, where the parser tells it."""
    offset = getattr(error, "_i", None)
    source = getattr(error, "_str", None)
    if isinstance(offset, int) and isinstance(source, (str, bytes)):
        before = source[:offset] if isinstance(source, str) else source[:offset].decode("utf-8", "replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        return line, column
    message = str(error)
    match = re.search(r"line (\d+) column (\d+)", message) or re.search(r"line:(\d+), col:(\d+)", message)
    if match:
        return int(match.group(1)), int(match.group(2))
    return None


def _first_bad_line(text: str, fmt: str) -> tuple[int, int] | None:
    # N-Triples/N-Quads errors carry no position, but every line stands alone: find the first bad one.
    if fmt not in ("nt", "nquads"):
        return None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            Dataset().parse(data=line + "\n", format=fmt)
        except Exception:
            return number, 1
    return None


def _describe(error: Exception) -> str:
    why = getattr(error, "_why", None)
    message = why if isinstance(why, str) else str(error)
    message = message.splitlines()[0] if message else type(error).__name__
    return message.strip().rstrip(".")


def _json_ld_contexts(node: object) -> Iterator[object]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                yield from value if isinstance(value, list) else [value]
            yield from _json_ld_contexts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _json_ld_contexts(value)


def refuse_external_references(text: str, fmt: str, source_name: str) -> None:
    """Parsers would fetch remote JSON-LD contexts and XML external entities: refuse them up front."""
    if fmt == "json-ld":
        try:
            document = json.loads(text)
            contexts = list(_json_ld_contexts(document))
        except ValueError:
            return  # the parser reports the syntax error with its position
        except RecursionError:
            raise InputError(
                f"{source_name}: JSON-LD nested too deeply to read (thousands of levels); flatten the document"
            ) from None
        for context in contexts:
            reference = (
                context if isinstance(context, str) else (context.get("@import") if isinstance(context, dict) else None)
            )
            if reference is not None:
                raise InputError(
                    f"{source_name}: the JSON-LD @context {reference!r} would be fetched; inline the context "
                    "in the file, or pass {allow_network}",
                    parameters="allow_network",
                )
    elif fmt == "xml" and re.search(r"<!ENTITY[^>]*\b(SYSTEM|PUBLIC)\b", text):
        raise InputError(
            f"{source_name}: the RDF/XML declares an external entity, which would be fetched; remove it, "
            "or pass {allow_network}",
            parameters="allow_network",
        )


_ENTITY_DECLARATION = re.compile(r"<!ENTITY\s+(?:%\s+)?(\S+)\s+(\"[^\"]*\"|'[^']*')")
_ENTITY_REFERENCE = re.compile(r"[&%]([^;&%\s]+);")
# What every entity reference in a file may add up to: OWL files abbreviate namespaces this way
# (tens of kilobytes); a "billion laughs" file of 991 bytes asks for gigabytes.
ENTITY_EXPANSION_LIMIT = 10_000_000


def refuse_entity_expansion(text: str, fmt: str, source_name: str) -> None:
    """Refuse RDF/XML whose internal entities would expand beyond :data:`ENTITY_EXPANSION_LIMIT`
    characters in all, or refer to themselves: the parsers would expand them all in memory.

    >>> refuse_entity_expansion('<!DOCTYPE r [<!ENTITY a "x">]><r>&a;</r>', "xml", "ok.rdf")
    """
    if fmt != "xml" or "<!ENTITY" not in text:
        return
    values = {name: value[1:-1] for name, value in _ENTITY_DECLARATION.findall(text)}
    sizes: dict[str, int] = {}

    def size(name: str, stack: frozenset[str]) -> int:
        if name in stack:
            raise InputError(f"{source_name}: the XML entity &{name}; refers to itself; remove it")
        if name not in sizes:
            total = len(values[name])
            for reference in _ENTITY_REFERENCE.findall(values[name]):
                if reference in values:
                    total += size(reference, stack | {name}) - len(reference) - 2
            sizes[name] = total
        return sizes[name]

    expanded = sum(size(reference, frozenset()) for reference in _ENTITY_REFERENCE.findall(text) if reference in values)
    if expanded > ENTITY_EXPANSION_LIMIT:
        raise InputError(
            f"{source_name}: its XML entities would expand to {expanded:,} characters, more than "
            f"{ENTITY_EXPANSION_LIMIT:,}; remove the nested entity declarations"
        )


# formats whose grammar accepts a file with nothing in it (RDF/XML and JSON-LD need a document)
EMPTY_IS_A_GRAPH = frozenset(("turtle", "nt", "nquads", "trig", "n3"))


_NQUADS_TERM = re.compile(r'<[^>]*>|_:[^\s.]+(?:\.[^\s.]+)*|"(?:[^"\\\n]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?')
_NQUADS_LINE_END = re.compile(r"\s*\.\s*(?:#.*)?$")


def _nquads_as_trig(text: str) -> str:
    """N-Quads written as TriG, each statement in its graph's block, for rdflib's TriG reader (its
    N-Quads reader, like its N-Triples one, is quadratic in the length of a line). A line this
    cannot split into three or four terms is left for rdflib's N-Quads reader to report."""
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        terms: list[str] = []
        position = 0
        while len(terms) < 5:
            match = _NQUADS_TERM.match(stripped, position)
            if match is None:
                break
            terms.append(match.group())
            position = match.end()
            while position < len(stripped) and stripped[position] in " \t":
                position += 1
        if len(terms) not in (3, 4) or not _NQUADS_LINE_END.match(stripped, position):
            raise _NotSimpleNQuads(number)
        statement = " ".join(terms[:3]) + " ."
        out.append(f"{terms[3]} {{ {statement} }}" if len(terms) == 4 else f"{{ {statement} }}")
    return "\n".join(out) + "\n"


class _NotSimpleNQuads(ValueError):
    """A line the N-Quads rewriting does not understand: rdflib's reader reports where."""


def parse_rdf(
    text: str,
    fmt: str,
    *,
    into: Dataset | Graph | None = None,
    graph_iri: str | None = None,
    source_name: str = "<input>",
    allow_network: bool = False,
) -> Dataset | Graph:
    """Parse RDF text into ``into`` (a new Dataset when None), in the named graph ``graph_iri``.

    Parse errors become :class:`InputError` naming ``source_name:line:column``.

    >>> ds = parse_rdf('<urn:a> <urn:b> "c" .', "nt", graph_iri="urn:g")
    >>> len(ds)
    1
    """
    target = into if into is not None else new_dataset()
    if not text.strip():
        if fmt in EMPTY_IS_A_GRAPH:
            return target  # a Turtle, TriG or N-Triples file without statements is a valid empty graph
        raise InputError(f"{source_name}: the file is empty; give a file with RDF statements in it")
    if "\x00" in text:
        raise InputError(f"{source_name}: contains NUL bytes, so it is binary, not RDF text; check the file")
    if not allow_network:
        refuse_external_references(text, fmt, source_name)
    refuse_entity_expansion(text, fmt, source_name)
    # N-Triples is Turtle: rdflib's own N-Triples reader slices the rest of a line at every step,
    # so a literal of 4 MB took minutes; its Turtle reader takes a tenth of a second
    parser = "turtle" if fmt == "nt" else fmt
    try:
        if isinstance(target, Dataset) and fmt not in _QUAD_FORMATS:
            graph = target.graph(URIRef(graph_iri)) if graph_iri else target.default_graph
            graph.parse(data=text, format=parser, publicID=graph_iri)
        elif fmt == "nquads":
            try:
                rewritten = _nquads_as_trig(text)
            except _NotSimpleNQuads:
                rewritten = None
            target.parse(
                data=text if rewritten is None else rewritten,
                format="nquads" if rewritten is None else "trig",
                publicID=graph_iri,
            )
        else:
            target.parse(data=text, format=parser, publicID=graph_iri)
    except OrgGraphError:
        raise
    except RecursionError:
        raise InputError(f"{source_name}: {fmt} nested too deeply to read; flatten the document") from None
    except Exception as error:  # rdflib's parsers raise many unrelated types
        where = _position(error, text) or _first_bad_line(text, fmt)
        place = f"{source_name}:{where[0]}:{where[1]}" if where else source_name
        raise InputError(f"{place}: invalid {fmt}: {_describe(error)}; fix the file and try again") from error
    return target


def read_rdf(
    path: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    into: Dataset | None = None,
    graph_iri: str | None = None,
    allow_network: bool = False,
) -> Dataset:
    """Read an RDF file into a Dataset, one named graph per file (its ``file:`` IRI by default).

    >>> from orggraph.resources import data_files
    >>> ds = read_rdf(next(p for p in data_files() if p.name.startswith("seed-")))
    >>> len(ds) > 1000
    True
    """
    file = Path(path)
    rdf_format = guess_format(file, fmt)
    text = read_text(file)
    dataset = into if into is not None else new_dataset()
    iri = graph_iri or file.resolve().as_uri()
    parse_rdf(text, rdf_format, into=dataset, graph_iri=iri, source_name=str(path), allow_network=allow_network)
    return dataset


@functools.lru_cache(maxsize=1)
def bundled_ontology() -> Dataset:
    """The bundled ontology and concept schemes, read once: the installation does not change
    while orggraph runs. Shared by every caller, so read it, never change it.

    >>> from rdflib.namespace import RDFS
    >>> any(bundled_ontology().triples((None, RDFS.subClassOf, None)))
    True
    """
    dataset = new_dataset()
    for path in ontology_files():
        read_rdf(path, into=dataset)
    return dataset


def new_dataset() -> Dataset:
    """An empty in-memory Dataset whose default graph is the union of its named graphs."""
    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    return dataset


def serialize_rdf(graph: Dataset | Graph, fmt: str) -> str:
    """Serialise a graph or dataset; ``nt`` (and other triple formats) give the union of all graphs.

    >>> ds = parse_rdf('<urn:a> <urn:b> "c" .', "nt", graph_iri="urn:g")
    >>> serialize_rdf(ds, "nt").strip()
    '<urn:a> <urn:b> "c" .'
    """
    rdf_format = guess_format("", fmt)
    if rdf_format in _QUAD_FORMATS and not isinstance(graph, Dataset):
        dataset = new_dataset()  # quad formats need a dataset: put the graph in as its named graph
        named = dataset.graph(graph.identifier if isinstance(graph.identifier, URIRef) else None)
        for triple in graph.triples((None, None, None)):
            named.add(triple)
        graph = dataset
    if isinstance(graph, Dataset) and rdf_format not in _QUAD_FORMATS:
        union = Graph()
        bind_prefixes(union)
        for triple in graph.triples((None, None, None)):
            union.add(triple)
        graph = union
    else:
        bind_prefixes(graph)
    try:
        if rdf_format == "json-ld":
            return graph.serialize(format="json-ld", indent=2, auto_compact=True)
        return graph.serialize(format=rdf_format)
    except ValueError as error:  # e.g. RDF/XML cannot name a predicate whose local part starts with a digit
        raise OrgGraphError(f"cannot write the graph as {fmt}: {error}; choose another format (ttl, nt)") from None
