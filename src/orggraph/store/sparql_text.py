"""SPARQL query text as a store reads it: terms written so that a value can never become syntax,
and variables bound by writing their value in their place.

A store that plans the query it is given (Oxigraph) starts from a value written into the text;
the same value given as a ``VALUES`` block or a substitution is joined in after the plan, which
turns a lookup of milliseconds into a scan of the store. Writing values into the text is safe only
if the value is written exactly as the grammar reads it back and only where the query names the
variable: :func:`sparql_term` escapes every character a string or IRI could end on, and
:func:`bind_in_text` replaces variable tokens only, never text inside a string, an IRI or a
comment.
"""

from __future__ import annotations

import bisect
import functools
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from orggraph.errors import QueryError, QueryTimeout, UsageError
from orggraph.iris import PREFIXES

__all__ = [
    "PREFIX_HEADER",
    "LiteralText",
    "Outline",
    "bind_in_text",
    "check_limit",
    "check_network",
    "decode_codepoint_escapes",
    "has_relative_iri",
    "inline_values",
    "is_remote",
    "outline",
    "query_text",
    "shifted",
    "sparql_term",
    "with_prefixes",
]

PREFIX_HEADER = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

# IRIREF of the SPARQL grammar: what may stand between < and >
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_LANGUAGE = re.compile(r"[a-zA-Z]+(-[a-zA-Z0-9]+)*")
# PN_CHARS_U and digits of the SPARQL grammar, as (first, last) code points in order: a bisection,
# where the same class as a regular expression costs 15 ms to compile at every start
_NAME_RANGES = (
    (0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A), (0xB7, 0xB7), (0xC0, 0xD6), (0xD8, 0xF6),
    (0xF8, 0x37D), (0x37F, 0x1FFF), (0x200C, 0x200D), (0x203F, 0x2040), (0x2070, 0x218F), (0x2C00, 0x2FEF),
    (0x3001, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFFD), (0x10000, 0xEFFFF),
)  # fmt: skip
_NAME_STARTS = [first for first, _ in _NAME_RANGES]


def _is_name_char(ch: str) -> bool:
    code = ord(ch)
    at = bisect.bisect_right(_NAME_STARTS, code) - 1
    return at >= 0 and code <= _NAME_RANGES[at][1]


def _name_end(text: str, start: int) -> int:
    """Where the run of name characters from ``start`` ends."""
    end = start
    while end < len(text) and _is_name_char(text[end]):
        end += 1
    return end


def _prefixed_name_end(text: str, start: int) -> int:
    """Where a prefixed name, keyword or number from ``start`` ends: name characters, ``.-:%``
    and backslash escapes (a trailing dot is left to the caller)."""
    end = start
    while end < len(text):
        ch = text[end]
        if ch == "\\" and end + 1 < len(text):
            end += 2
        elif ch in ".-:%" or _is_name_char(ch):
            end += 1
        else:
            break
    return end


_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


@dataclass(frozen=True)
class LiteralText:
    """A literal as plain text (its lexical form, language tag or datatype IRI), for code that
    runs without rdflib; :func:`sparql_term` writes it as it writes rdflib's ``Literal``."""

    value: str
    language: str | None = None
    datatype: str | None = None


def sparql_term(term: Any) -> str | None:
    """``term`` as SPARQL text that reads back as exactly that term; None for a blank node,
    which text cannot name. ``term`` is an rdflib term, a :class:`LiteralText` or an IRI as ``str``.

    >>> from rdflib import Literal, URIRef
    >>> sparql_term(Literal('a"b\\n#c', lang="zh-Hans")), sparql_term(URIRef("urn:x"))
    ('"a\\\\"b\\\\n#c"@zh-Hans', '<urn:x>')
    >>> sparql_term(LiteralText("2019", datatype="http://www.w3.org/2001/XMLSchema#gYear"))
    '"2019"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    """
    if isinstance(term, LiteralText):
        return _literal(term.value, term.language, term.datatype)
    rdflib = sys.modules.get("rdflib")  # an rdflib term exists only once rdflib is imported
    if rdflib is not None:
        if isinstance(term, rdflib.BNode):
            return None
        if isinstance(term, rdflib.Literal):
            return _literal(str(term), term.language, None if term.datatype is None else str(term.datatype))
    return _iri(str(term))


def _literal(value: str, language: str | None, datatype: str | None) -> str:
    text = "".join(_STRING_ESCAPES.get(ch, ch) for ch in value)
    if language:
        if not _LANGUAGE.fullmatch(language):
            raise QueryError(f"{language!r} is not a language tag")
        return f'"{text}"@{language}'
    if datatype is not None:
        return f'"{text}"^^{_iri(datatype)}'
    return f'"{text}"'


def _iri(value: str) -> str:
    written = f"<{value}>"
    if not _IRIREF.fullmatch(written):
        raise QueryError(f"{value!r} is not an IRI a query can name (it holds a space, quote or bracket)")
    return written


def bind_in_text(text: str, bindings: Mapping[str, Any]) -> str | None:
    """``text`` with every ``?name``/``$name`` token of a bound variable replaced by its value
    (:func:`sparql_term`); strings, IRIs and comments are left alone. None when a value cannot
    be written (a blank node): bind it another way.

    >>> from rdflib import URIRef
    >>> org = {"org": URIRef("urn:o")}
    >>> bind_in_text('SELECT ?d WHERE { ?d og:assignedTo ?org . FILTER(?d != "?org") } # ?org', org)
    'SELECT ?d WHERE { ?d og:assignedTo <urn:o> . FILTER(?d != "?org") } # ?org'
    >>> bind_in_text("SELECT ?organisation WHERE { ?organisation a ?org }", org)
    'SELECT ?organisation WHERE { ?organisation a <urn:o> }'
    >>> bind_in_text("SELECT ?x WHERE { ?x ?p ?o FILTER(!BOUND( ?org ) || ?o = ?org) }", org)
    'SELECT ?x WHERE { ?x ?p ?o FILTER(!true || ?o = <urn:o>) }'
    >>> bind_in_text("SELECT ?org WHERE { ?org ?p ?o }", org) is None  # a projected variable stays
    True
    """
    written = {name: sparql_term(value) for name, value in bindings.items()}
    if any(value is None for value in written.values()):
        return None
    out: list[str] = []
    last = 0
    for start, end, name, context in _variables(text):
        if name not in written:
            continue
        if context == "fixed":
            return None  # projected, a BIND or VALUES target: the variable itself must stay
        out += [text[last:start], "true" if context == "bound" else written[name]]  # type: ignore[list-item]
        last = end
    out.append(text[last:])
    return "".join(out)


_BOUND_CALL = re.compile(r"(?i)\bBOUND\s*\(\s*$")
_CLOSE = re.compile(r"\s*\)")


@functools.lru_cache(maxsize=256)
def _variables(text: str) -> tuple[tuple[int, int, str, str], ...]:
    """Each variable token as (start, end, name, context); strings, IRIs and comments are read
    past whole, so a ``?org`` inside one is no variable. The context says how a value may stand
    in for it: ``plain`` (anywhere), ``bound`` (the span is a whole ``BOUND(?x)``, true once the
    variable is bound) or ``fixed`` (a projection, ``AS ?x``, a ``VALUES`` or ``GROUP BY`` list:
    not at all). A named query is read once."""
    found: list[tuple[int, int, str, str]] = []
    i, size = 0, len(text)
    projecting = listing = False
    last_word = ""
    while i < size:
        ch = text[i]
        if ch == "#":  # a comment runs to the end of the line
            i = min((j for j in (text.find("\n", i), text.find("\r", i)) if j >= 0), default=size)
        elif ch in "\"'":
            i, last_word = _string_end(text, i), ""
        elif ch == "<" and (iri := _IRIREF.match(text, i)):
            i, last_word = iri.end(), ""
        elif ch in "?$" and i + 1 < size and _is_name_char(text[i + 1]):
            j = _name_end(text, i + 1)
            context, start, end = "plain", i, j
            if projecting or listing or last_word == "AS":
                context = "fixed"
            elif (call := _BOUND_CALL.search(text, max(0, i - 64), i)) and (close := _CLOSE.match(text, j)):
                context, start, end = "bound", call.start(), close.end()
            found.append((start, end, text[i + 1 : j], context))
            i, last_word = j, ""
        elif ch.isalpha():
            j = i
            while j < size and (text[j].isalnum() or text[j] == "_"):
                j += 1
            word = text[i:j].upper()
            if word == "SELECT":
                projecting = True
            elif word == "WHERE":
                projecting = False
            elif word in ("VALUES", "GROUP"):
                listing = True
            elif word in ("HAVING", "ORDER", "LIMIT", "OFFSET"):
                listing = False
            i, last_word = j, word
        else:
            if ch == "{":
                projecting = listing = False
            elif ch == "}":
                listing = False
            i += 1
    return tuple(found)


def _string_end(text: str, start: int) -> int:
    """Where the string literal opening at ``start`` ends (after its closing quote)."""
    quote = text[start]
    long = text.startswith(quote * 3, start)
    closing = quote * 3 if long else quote
    i = start + len(closing)
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(closing, i):
            return i + len(closing)
        if not long and text[i] in "\n\r":
            return i  # an unterminated short string: the store reports it
        i += 1
    return len(text)


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def decode_codepoint_escapes(text: str) -> str:
    """``text`` with its ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes decoded, as SPARQL 1.1 (§19.2)
    decodes them before the query is parsed: an escaped quote ends a string there.

    >>> decode_codepoint_escapes(r'"caf\\u00E9" \\U0001F600')
    '"café" 😀'
    """
    if "\\" not in text:
        return text

    def decoded(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)

    return _CODEPOINT.sub(decoded, text)


_QUERY_FORMS = frozenset(("SELECT", "CONSTRUCT", "DESCRIBE", "ASK"))


@dataclass(frozen=True)
class Outline:
    """What a safety check needs to know of a SPARQL text, read by its lexical rules alone.

    ``update``: an update, not a query (the first keyword after the prologue says which);
    ``services``: what each ``SERVICE`` names; ``loads``: whether an update loads a file;
    ``dataset``: the IRIs of ``FROM`` / ``FROM NAMED``, prefixed names expanded and resolved
    against the ``BASE`` in force (an unresolvable one as written); ``form``: the query form."""

    update: bool
    services: tuple[str, ...]
    loads: bool
    dataset: tuple[str, ...]
    has_dataset: bool
    form: str = ""  # SELECT, ASK, CONSTRUCT or DESCRIBE for a query; "" for an update


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    """(kind, text) of each token that can matter to :func:`outline`: ``iri`` (without its
    brackets), ``name`` (a prefixed name, with its colon), ``var``, ``word`` (keywords,
    numbers), ``punct``. Strings and comments are read past whole, as the grammar reads them:
    a comment ends at a line feed or a carriage return."""
    i, size = 0, len(text)
    while i < size:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == "#":
            i = min((j for j in (text.find("\n", i), text.find("\r", i)) if j >= 0), default=size)
        elif ch in "\"'":
            i = _string_end(text, i)
        elif ch == "<" and (iri := _IRIREF.match(text, i)):
            yield "iri", iri.group()[1:-1]
            i = iri.end()
        elif ch in "?$" and i + 1 < size and _is_name_char(text[i + 1]):
            j = _name_end(text, i + 1)
            yield "var", text[i + 1 : j]
            i = j
        elif ch == ":" or _is_name_char(ch):
            token = text[i : _prefixed_name_end(text, i)]
            while token.endswith(".") and not token[:-1].endswith("\\"):  # a name never ends on a dot
                token = token[:-1]
            if not token:
                yield "punct", ch
                i += 1
                continue
            yield ("name" if ":" in token else "word"), token
            i += len(token)
        else:
            yield "punct", ch
            i += 1


@functools.lru_cache(maxsize=512)  # a dashboard or a server sends the same texts again and again
def outline(text: str) -> Outline:
    """The :class:`Outline` of a SPARQL text (codepoint escapes already decoded).

    >>> o = outline("PREFIX ex: <http://example.org/> SELECT * FROM ex:g WHERE { SERVICE <http://s/> { ?s ?p ?o } }")
    >>> o.update, o.services, o.dataset
    (False, ('http://s/',), ('http://example.org/g',))
    >>> outline("# SELECT\\nINSERT DATA { <urn:a> <urn:b> 'SERVICE' }").update
    True
    """
    tokens = list(_tokens(text))
    base, prefixes = "", dict[str, str]()
    kind: str | None = None
    form = ""
    services: list[str] = []
    dataset: list[str] = []
    loads = has_dataset = False

    def resolved(token: tuple[str, str]) -> str:
        what, value = token
        if what == "name":
            prefix, _, local = value.partition(":")
            expanded = prefixes.get(prefix)
            return expanded + re.sub(r"\\(.)", r"\1", local) if expanded is not None else value
        if what == "iri":
            return urljoin(base, value) if base else value
        return ("?" if what == "var" else "") + value

    for index, (what, value) in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else ("", "")
        word = value.upper() if what == "word" else ""
        if word == "BASE" and following[0] == "iri":
            base = urljoin(base, following[1])
        elif word == "PREFIX" and following[0] == "name" and index + 2 < len(tokens):
            if tokens[index + 2][0] == "iri":
                prefixes[following[1].partition(":")[0]] = resolved(tokens[index + 2])
        elif word and kind is None and word not in ("BASE", "PREFIX"):
            kind = "query" if word in _QUERY_FORMS else "update"
            form = word if kind == "query" else ""
        if word == "SERVICE":
            target = tokens[index + 2] if following[1].upper() == "SILENT" and index + 2 < len(tokens) else following
            services.append(resolved(target))
        elif word == "LOAD":
            loads = True
        elif word == "FROM":
            has_dataset = True
            target = tokens[index + 2] if following[1].upper() == "NAMED" and index + 2 < len(tokens) else following
            dataset.append(resolved(target))
    # a text of nothing but a prologue is the empty update
    return Outline(kind != "query", tuple(services), loads, tuple(dataset), has_dataset, form)


def is_remote(iri: str) -> bool:
    """Whether reading ``iri`` would reach the network (anything but ``urn:``, ``file:`` and orggraph's own IRIs).

    >>> is_remote("http://example.org/data.ttl"), is_remote("file:///tmp/data.ttl")
    (True, False)
    """
    return not iri.startswith(("urn:", "file:", "https://w3id.org/orggraph/"))


def check_network(shape: Outline, origin: str) -> None:
    """Refuse (:class:`QueryError`) a ``SERVICE``, a remote ``FROM`` or a ``LOAD`` in the text of ``shape``.

    >>> check_network(outline("SELECT * FROM <file:///tmp/a.ttl> WHERE { ?s ?p ?o }"), "query")
    """
    for service in shape.services:
        raise QueryError(
            f"{origin}: SERVICE <{service}> reaches the network; pass {{allow_network}} to permit it",
            parameters="allow_network",
        )
    for iri in shape.dataset:
        if is_remote(iri):
            raise QueryError(
                f"{origin}: FROM <{iri}> would be fetched from the network; pass {{allow_network}} to permit it",
                parameters="allow_network",
            )
    if shape.loads:
        raise QueryError(
            f"{origin}: LOAD reaches the network; pass {{allow_network}} to permit it", parameters="allow_network"
        )


_ENGINE_POSITION = re.compile(
    r"^(?P<origin>.*?): (?:query|update) failed: (?:SyntaxError: )?"
    r"error at (?P<line>\d+):(?P<column>\d+): (?P<what>.*)$",
    re.S,
)


def shifted(error: QueryError, offset: int, origin: str) -> QueryError:
    """Oxigraph's "error at LINE:COLUMN" counts the lines orggraph put before the query (its
    prefixes, a BASE): the position in the user's own text, as rdflib's errors give it."""
    found = _ENGINE_POSITION.match(str(error))
    if found is None or isinstance(error, QueryTimeout):
        return error
    line = max(int(found["line"]) - offset, 1)
    what = " ".join(found["what"].split())  # one line, however long Oxigraph's list of expectations
    if len(what) > 100:
        what = what[:97].rstrip(" ,") + " …"
    return QueryError(f"{origin}:{line}:{found['column']}: SPARQL syntax error: {what}; fix the query and try again")


_IRI_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n\r]*|<([^<>"{}|^`\\\s]*)>')


def has_relative_iri(text: str) -> bool:
    """Whether the query writes an IRI without a scheme (strings and comments skipped); a query
    without one is sent as written, with no BASE added."""
    for match in _IRI_TOKEN.finditer(text):
        iri = match.group(1)
        if iri is not None and not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri):
            return True
    return False


def check_limit(limit: int | None) -> None:
    """Refuse (:class:`UsageError`) a row limit below 0 or beyond what a list can hold.

    >>> check_limit(10)
    """
    if limit is not None and limit < 0:
        raise UsageError("{limit} must be 0 or more", parameters="limit")
    if limit is not None and limit > sys.maxsize:
        raise UsageError(f"{{limit}} must be at most {sys.maxsize}; leave it out for every row", parameters="limit")


def query_text(sparql: str, base: str | None = None) -> tuple[str, int]:
    """The text a store is given for ``sparql``: orggraph's prefixes declared (:func:`with_prefixes`)
    and, when it writes a relative IRI, ``BASE`` (the query file's own location); and the number
    of lines put before the user's text.

    >>> query_text("SELECT ?x WHERE { BIND(<q> AS ?x) }", "file:///work/q.rq")[0].splitlines()[0]
    'BASE <file:///work/q.rq>'
    """
    text, offset = with_prefixes(sparql)
    if base is not None and has_relative_iri(text):  # they resolve against the query's file
        return f"BASE {_iri(base)}\n{text}", offset + 1
    return text, offset


@functools.lru_cache(maxsize=256)
def with_prefixes(sparql: str) -> tuple[str, int]:
    """The query with orggraph's prefixes declared (unless it declares og: itself), and the lines added."""
    if re.search(r"(?im)^\s*prefix\s+og:", sparql):
        return sparql, 0
    return PREFIX_HEADER + sparql, PREFIX_HEADER.count("\n")


def inline_values(text: str, bindings: Mapping[str, Any], origin: str) -> str:
    """The query with its bindings (variable name → a term :func:`sparql_term` writes) as a
    VALUES block opening each WHERE group.

    Native stores evaluate text: Oxigraph substitutes only projected variables, and rdflib's
    endpoint store appends VALUES after the query, where it joins after GROUP BY. Opening the
    WHERE group binds a parameter everywhere in the pattern, as initBindings do in rdflib's own
    evaluation. Terms are written by :func:`sparql_term`, which
    escapes every character a string could end on: a value can never become query syntax.
    """
    if not bindings:
        return text
    names = " ".join(f"?{name}" for name in bindings)
    terms = list(bindings.values())
    row = " ".join(sparql_term(term) or term.n3() for term in terms)
    block = f" VALUES ({names}) {{ ({row}) }} "
    braces = _where_braces(text)
    if not braces:
        raise QueryError(f"{origin}: cannot find the WHERE clause")
    for brace in reversed(braces):
        text = text[: brace + 1] + block + text[brace + 1 :]
    return text


@functools.lru_cache(maxsize=256)
def _where_braces(text: str) -> tuple[int, ...]:
    """Positions of the brace opening each WHERE group (sub-selects included), or of the first group."""
    body = re.sub(r"#[^\n]*", lambda m: " " * len(m.group()), text)  # comments cannot hide a WHERE
    form = re.search(r"(?i)\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body)
    if form is None:
        return ()
    # every WHERE group, sub-selects included: rdflib's initBindings bind there too
    braces = [form.start() + m.end() - 1 for m in re.finditer(r"(?i)\bWHERE\s*\{", body[form.start() :])]
    if not braces:
        first = body.find("{", form.end())
        braces = [first] if first >= 0 else []
    return tuple(braces)
