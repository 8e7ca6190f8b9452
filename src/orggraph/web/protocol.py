"""The SPARQL 1.1 Protocol, as plain functions: which operation a request carries and which
result format the client accepts. The web app (:mod:`orggraph.web.app`) calls them; a refusal is
a :class:`ProtocolError` with its HTTP status and a one-line message."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from orggraph.formats import MEDIA_RESULT_FORMATS

__all__ = ["GRAPH_TYPES", "ROW_TYPES", "Operation", "ProtocolError", "negotiate", "read_form", "read_operation"]

# media type → orggraph format, the first of each the default
ROW_TYPES = MEDIA_RESULT_FORMATS
GRAPH_TYPES = {
    "text/turtle": "ttl",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
}
_YES_OR_NO = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "application/json",
    "application/xml",
)


class ProtocolError(Exception):
    """A request the endpoint refuses: ``status`` is the HTTP status, the message says why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Operation:
    """What a request asks: the SPARQL text and whether it was sent as an update."""

    text: str
    update: bool


_DATASET_PARAMETERS = ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri")


def read_operation(method: str, parameters: Mapping[str, Sequence[str]], content_type: str, body: bytes) -> Operation:
    """The operation of a request (SPARQL 1.1 Protocol §2.1, §2.2): a query by GET (``query=``),
    by POST as a form (``query=`` or ``update=``) or directly (``application/sparql-query``,
    ``application/sparql-update``).

    >>> read_operation("GET", {"query": ["ASK {}"]}, "", b"")
    Operation(text='ASK {}', update=False)
    >>> read_operation("POST", {}, "application/sparql-update", b"CLEAR ALL").update
    True
    """
    media = content_type.split(";")[0].strip().lower()
    fields: dict[str, list[str]] = {key: list(values) for key, values in parameters.items()}
    if method == "POST" and media == "application/x-www-form-urlencoded":
        try:
            form = parse_qs(
                body.decode("utf-8"),
                keep_blank_values=True,
                strict_parsing=bool(body),
                max_num_fields=100,
                errors="strict",
            )
        except (UnicodeDecodeError, ValueError):
            raise ProtocolError(400, "the form is not URL-encoded UTF-8; send query=… or update=…") from None
        for key, values in form.items():
            fields.setdefault(key, []).extend(values)
    given = [key for key in _DATASET_PARAMETERS if key in fields]
    if given:
        raise ProtocolError(
            400, f"{given[0]} is not supported here; name the graphs with FROM / FROM NAMED in the query"
        )
    if method == "POST" and media in ("application/sparql-query", "application/sparql-update"):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError(400, "the request body is not UTF-8") from None
        return Operation(text, media == "application/sparql-update")
    if method == "POST" and media != "application/x-www-form-urlencoded":
        raise ProtocolError(
            415,
            f"cannot read a {media or 'body without a content type'}; send application/sparql-query, "
            "application/sparql-update or a form",
        )
    queries, updates = fields.get("query", []), fields.get("update", [])
    if method == "GET" and updates:
        raise ProtocolError(400, "an update must be sent with POST, not GET")
    if len(queries) + len(updates) != 1:
        raise ProtocolError(400, "give exactly one query= or update= parameter")
    return Operation(queries[0], False) if queries else Operation(updates[0], True)


def negotiate(accept: str | None, form: str) -> tuple[str, str]:
    """(orggraph format, media type) for an answer of query ``form`` (SELECT, ASK, CONSTRUCT,
    DESCRIBE) by the client's ``Accept`` header: the acceptable type with the highest quality, the
    endpoint's preference among wildcards; a :class:`ProtocolError` 406 when none fits.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", "SELECT")
    ('xml', 'application/sparql-results+xml')
    >>> negotiate(None, "CONSTRUCT"), negotiate("*/*", "ASK")
    (('ttl', 'text/turtle'), ('json', 'application/sparql-results+json'))
    """
    if form in ("CONSTRUCT", "DESCRIBE"):
        offered = GRAPH_TYPES
    elif form == "ASK":
        offered = {media: ROW_TYPES[media] for media in _YES_OR_NO}
    else:
        offered = ROW_TYPES
    ranked = _ranked(accept) if accept and accept.strip() else [("*/*", 1.0)]
    for media, _quality in ranked:
        if media in offered:
            return offered[media], media
        major = media.split("/")[0]
        for candidate, fmt in offered.items():
            if media == "*/*" or (media.endswith("/*") and candidate.startswith(major + "/")):
                return fmt, candidate
    raise ProtocolError(406, f"none of the accepted types can hold this answer; accept one of {', '.join(offered)}")


def _ranked(accept: str) -> list[tuple[str, float]]:
    """The media types of an Accept header by quality (highest first, in their order on ties), q=0 left out."""
    items = []
    for position, part in enumerate(accept.split(",")):
        media, *options = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for option in options:
            key, _, value = option.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            items.append((quality, position, media.lower()))
    return [(media, quality) for quality, _, media in sorted(items, key=lambda item: (-item[0], item[1]))]


def read_form(content_type: str, body: bytes, *, repeatable: Sequence[str] = ()) -> dict[str, Any]:
    """The fields of a URL-encoded form post: one value each, a list for the ``repeatable`` ones.
    Anything else is refused: another content type (415), a body that is not URL-encoded UTF-8
    or a field sent twice (400).

    >>> read_form("application/x-www-form-urlencoded", b"a=1&b=x&b=y", repeatable=["b"])
    {'a': '1', 'b': ['x', 'y']}
    """
    if content_type.split(";")[0].strip().lower() != "application/x-www-form-urlencoded":
        raise ProtocolError(415, "send the form as application/x-www-form-urlencoded")
    try:
        form = parse_qs(
            body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(body), max_num_fields=200, errors="strict"
        )
    except (UnicodeDecodeError, ValueError):
        raise ProtocolError(400, "the form is not URL-encoded UTF-8") from None
    fields: dict[str, Any] = {}
    for key, values in form.items():
        if key in repeatable:
            fields[key] = values
        elif len(values) > 1:
            raise ProtocolError(400, f"the form field {key} was sent {len(values)} times")
        else:
            fields[key] = values[0]
    return fields
