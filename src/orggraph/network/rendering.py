"""networkx → one self-contained HTML page (vis-network inlined, no request to any other origin).

Data reaches the page only as JSON inside a ``<script type="application/json">`` element, with
``<``, ``>`` and ``&`` escaped, and is put on screen with ``textContent``/``innerText``: no text
from the data is ever parsed as HTML. Positions are computed here (see :mod:`orggraph.network.layout`),
so large graphs are drawn without physics.
"""

from __future__ import annotations

import hashlib
import html
import importlib.util
import json
import os
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orggraph.errors import OrgGraphError, UsageError
from orggraph.files import write_text_atomic
from orggraph.formats import LANGUAGES
from orggraph.network.layout import compute_layout
from orggraph.network.projection import NODE_KINDS
from orggraph.network.views import select_view, view_of
from orggraph.store.backends import store_folder
from orggraph.store.cache import cached
from orggraph.text.escaping import script_safe_json

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "KIND_STYLES",
    "LANGUAGES",
    "PHYSICS_LIMIT",
    "HTMLPage",
    "NetworkPage",
    "display_html",
    "network_page",
    "render_html",
    "write_html",
]


# Up to this many nodes the page settles the precomputed layout with physics, then freezes it.
PHYSICS_LIMIT = 500

# colour and vis-network shape per node kind
KIND_STYLES: dict[str, tuple[str, str]] = {
    "government-agency": ("#d62728", "dot"),
    "internal-division": ("#ff9896", "dot"),
    "party-committee": ("#8c1c13", "dot"),
    "industry-association": ("#1f77b4", "dot"),
    "standards-committee": ("#17becf", "dot"),
    "testing-centre": ("#c5b0d5", "dot"),
    "certification-body": ("#9467bd", "dot"),
    "national-engineering-laboratory": ("#2ca02c", "dot"),
    "ministry-key-laboratory": ("#98df8a", "dot"),
    "research-institute": ("#8c564b", "dot"),
    "joint-meeting-mechanism": ("#e377c2", "hexagon"),
    "government": ("#a50f15", "dot"),
    "leading-group": ("#e6550d", "hexagon"),
    "company": ("#637939", "dot"),
    "media": ("#7b4173", "dot"),
    "group-of-units": ("#9edae5", "square"),
    "other-organisation": ("#7f7f7f", "dot"),
    "organisation": ("#7f7f7f", "dot"),
    "person": ("#ff7f0e", "diamond"),
    "post": ("#ffbb78", "triangle"),
    "meeting": ("#bcbd22", "star"),
    "duty": ("#aec7e8", "box"),
    "achievement": ("#dbdb8d", "ellipse"),
}

_TEMPLATE = Path(__file__).resolve().parent / "templates" / "graph.html"
_ASSIGNMENT = {"assigned to", "assigned at", "assigned"}


def _vis_assets() -> tuple[str, str]:
    # pyvis ships vis-network; read its files without importing pyvis (which pulls in IPython).
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise OrgGraphError("pyvis is not installed; `pip install pyvis` (it provides vis-network)")
    folder = Path(next(iter(spec.submodule_search_locations))) / "templates" / "lib" / "vis-9.1.2"
    try:
        js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
        css = (folder / "vis-network.css").read_text(encoding="utf-8")
    except OSError as error:
        raise OrgGraphError(f"cannot read vis-network from pyvis ({error}); reinstall pyvis") from None
    return js, css


def _names(item: dict[str, Any]) -> list[str]:
    labels = item.get("labels", {})
    return [labels[lang] for lang in LANGUAGES if labels.get(lang)]


def _details(item: dict[str, Any]) -> list[str]:
    lines = []
    for lang in ("zh-Hans", "zh-Hant"):
        if item.get("text", {}).get(lang):
            lines.append(item["text"][lang])
    if item.get("year"):
        lines.append(f"year: {item['year']}")
    if item.get("category"):
        lines.append(f"category: {item['category']}")
    for key in ("assigned_by", "assigned_at"):
        if item.get(key):
            lines.append(f"{key.replace('_', ' ')}: {item[key]}")
    for sub in item.get("sub_duties", []):
        lines.append("• " + (sub.get("zh-Hans") or sub.get("en") or ""))
    for evidence in item.get("evidence", []):
        lines.append(f"source: {evidence}")
    return lines


def _node_tooltip(node: dict[str, Any]) -> str:
    lines = _names(node)
    lines.append(f"type: {NODE_KINDS.get(node.get('kind', ''), node.get('kind', ''))}")
    if node.get("aliases"):
        lines.append("also: " + ", ".join(node["aliases"]))
    lines += _details(node)
    lines.append(node.get("curie", ""))
    return "\n".join(line for line in lines if line)


def _edge_tooltip(edge: dict[str, Any]) -> str:
    return "\n".join([edge.get("relation", ""), *_names(edge), *_details(edge)])


def _inherited_edges(network: nx.MultiDiGraph) -> set[tuple[Hashable, Hashable, str]]:
    """Assignment edges of a sub-duty that repeat its parent duty's: drawn once, on the parent."""
    assignment: dict[Hashable, tuple[set[Any], set[Any]]] = {}

    def of(duty: Hashable) -> tuple[set[Any], set[Any]]:
        if duty not in assignment:
            out = {(t, r) for _, t, r in network.out_edges(duty, data="relation") if r in _ASSIGNMENT}
            into = {(s, r) for s, _, r in network.in_edges(duty, data="relation") if r in _ASSIGNMENT}
            assignment[duty] = (out, into)
        return assignment[duty]

    inherited = set()
    for duty, parent, relation in network.edges(data="relation"):
        if relation != "sub-duty of":
            continue
        parent_out, parent_in = of(parent)
        own_out, own_in = of(duty)
        inherited |= {(duty, t, r) for t, r in own_out & parent_out}
        inherited |= {(s, duty, r) for s, r in own_in & parent_in}
    return inherited


def render_html(
    network: nx.MultiDiGraph,
    *,
    title: str = "orggraph",
    language: str = "zh-Hans",
    focus: Hashable | None = None,
    depth: int = 1,
    types: Collection[str] | None = None,
    relations: Collection[str] | None = None,
    duties: str = "nodes",
) -> str:
    """The network as a self-contained interactive HTML page.

    ``focus``/``depth`` keep one node's neighbourhood, ``types`` and ``relations`` keep some
    node kinds and relations, ``duties="edges"`` draws each top-level duty as labelled edges
    from assigner to assignee (see :func:`orggraph.network.views.select_view`). Assignment edges a
    sub-duty shares with its parent duty are drawn once, on the parent.

    >>> from orggraph.store.loading import load_graph
    >>> from orggraph.network.projection import to_networkx
    >>> page = render_html(to_networkx(load_graph()), title="<seed>")
    >>> "<seed>" in page, "\\\\u003cseed\\\\u003e" in page, "https://" in page.split("graph-data")[0]
    (False, True, False)
    """

    if language not in LANGUAGES:
        raise UsageError(f"unknown label language {language!r}; use one of {', '.join(LANGUAGES)}")
    view = select_view(network, focus=focus, depth=depth, types=types, relations=relations, duties=duties)
    names = {
        node: (data.get("labels", {}).get("zh-Hans") or data.get("curie", str(node)))
        for node, data in view.nodes(data=True)
    }
    positions = compute_layout(view)
    ids = {node: str(node) for node in view.nodes}
    nodes = []
    for node, data in view.nodes(data=True):
        record = dict(data)
        for source, _, relation in view.in_edges(node, data="relation"):
            if relation == "assigned":
                record["assigned_by"] = names[source]
        for _, target, relation in view.out_edges(node, data="relation"):
            if relation == "assigned at":
                record["assigned_at"] = names[target]
        x, y = positions.get(node, (0.0, 0.0))
        nodes.append(
            {
                "id": ids[node],
                "kind": data.get("kind", "organisation"),
                "curie": data.get("curie", ids[node]),
                "labels": data.get("labels", {}),
                "aliases": data.get("aliases", []),
                "text": data.get("text", {}),
                "tooltip": _node_tooltip(record),
                "x": round(x, 1),
                "y": round(y, 1),
            }
        )
    inherited = _inherited_edges(view)
    edges: list[dict[str, Any]] = []
    parallel: dict[tuple[str, str], int] = {}
    for source, target, data in view.edges(data=True):
        relation = data.get("relation", "")
        if (source, target, relation) in inherited:
            continue
        edge = {"id": f"e{len(edges)}", "from": ids[source], "to": ids[target], "relation": relation}
        # parallel edges between one pair get increasingly curved paths, so none hides another
        pair = (ids[source], ids[target]) if ids[source] <= ids[target] else (ids[target], ids[source])
        parallel[pair] = parallel.get(pair, -1) + 1
        if parallel[pair]:
            edge["curve"] = parallel[pair]
        if data.get("labels"):
            edge["labels"] = data["labels"]
            edge["tooltip"] = _edge_tooltip(data)
        edges.append(edge)
    kinds = {
        key: {
            "label": label,
            "color": KIND_STYLES.get(key, ("#7f7f7f", "dot"))[0],
            "shape": KIND_STYLES.get(key, ("#7f7f7f", "dot"))[1],
        }
        for key, label in NODE_KINDS.items()
    }
    payload = {
        "title": title,
        "language": language,
        "nodes": nodes,
        "edges": edges,
        "kinds": kinds,
        "physics": len(nodes) <= PHYSICS_LIMIT,
    }
    js, css = _vis_assets()
    page = _TEMPLATE.read_text(encoding="utf-8")
    # str.replace on fixed markers; the payload cannot contain a marker (it is escaped JSON)
    page = page.replace("/*VIS_CSS*/", css.replace("</", "<\\/"), 1)
    page = page.replace("/*VIS_JS*/", js.replace("</script", "<\\/script"), 1)
    return page.replace("/*GRAPH_JSON*/", script_safe_json(payload), 1)


@dataclass(frozen=True)
class NetworkPage:
    """A rendered page and the size of the network it draws."""

    text: str
    nodes: int
    edges: int


def network_page(
    graph: Any,
    *,
    title: str = "orggraph",
    language: str = "zh-Hans",
    focus: str | None = None,
    depth: int = 1,
    types: Sequence[str] | None = None,
    relations: Sequence[str] | None = None,
    duties: str = "nodes",
    max_nodes: int | None = None,
) -> NetworkPage:
    """What ``orggraph render`` writes: the view of ``graph`` (:func:`orggraph.network.views.view_of`)
    rendered by :func:`render_html`. For an on-disk Oxigraph store (one filled by ``orggraph
    load``, or the prebuilt copy of the bundled graph) the page is kept in the cache with its
    options until the store changes (:func:`orggraph.store.cache.cached`).

    >>> from orggraph.store.loading import load_graph
    >>> page = network_page(load_graph(), focus="中安协", depth=1)
    >>> page.nodes > 1 and "<!DOCTYPE html>" in page.text
    True
    """

    def make() -> list[Any]:
        view = view_of(
            graph, focus=focus, depth=depth, types=types, relations=relations, duties=duties, max_nodes=max_nodes
        )
        return [render_html(view, title=title, language=language), view.number_of_nodes(), view.number_of_edges()]

    folder = store_folder(graph)
    if folder is None:
        return NetworkPage(*make())
    options = [title, language, focus, depth, list(types or []), list(relations or []), duties, max_nodes]
    digest = hashlib.sha256(json.dumps(options, ensure_ascii=False).encode()).hexdigest()[:20]
    return NetworkPage(*cached(f"page-{digest}", folder, make, valid=_is_page))


def _is_page(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 3
        and isinstance(value[0], str)
        and all(isinstance(n, int) for n in value[1:])
    )


def write_html(network: nx.MultiDiGraph, path: str | os.PathLike[str], **options: Any) -> Path:
    """Render ``network`` and write it atomically (UTF-8) to ``path``; options as :func:`render_html`."""

    return write_text_atomic(path, render_html(network, **options))


class HTMLPage:
    """A rendered page that Jupyter displays inline (in a sandboxed ``iframe``)."""

    def __init__(self, page: str, height: int = 640) -> None:
        self.page = page
        self.height = height

    def _repr_html_(self) -> str:
        # srcdoc keeps the page self-contained; html.escape makes it one attribute value.
        return (
            f'<iframe sandbox="allow-scripts" style="width:100%;height:{self.height}px;border:0" '
            f'srcdoc="{html.escape(self.page, quote=True)}"></iframe>'
        )

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the page atomically to ``path``."""

        return write_text_atomic(path, self.page)


def display_html(network: nx.MultiDiGraph, height: int = 640, **options: Any) -> HTMLPage:
    """The rendered network as an object Jupyter shows inline; options as :func:`render_html`.

    >>> import networkx as nx
    >>> page = display_html(nx.MultiDiGraph())
    >>> page._repr_html_().startswith('<iframe sandbox="allow-scripts"')
    True
    """
    return HTMLPage(render_html(network, **options), height)
