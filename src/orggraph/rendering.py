"""networkx → one self-contained HTML page (vis-network inlined, no request to any other origin).

Data reaches the page only as JSON inside a ``<script type="application/json">`` element, with
``<``, ``>`` and ``&`` escaped, and is put on screen with ``textContent``/``innerText``: no text
from the data is ever parsed as HTML.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import OrgGraphError
from .projection import NODE_KINDS

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["KIND_STYLES", "LANGUAGES", "render_html", "write_html"]

LANGUAGES = ("zh-Hans", "zh-Hant", "en")

# colour and vis-network shape per node kind
KIND_STYLES: dict[str, tuple[str, str]] = {
    "government-agency": ("#d62728", "dot"),
    "internal-division": ("#ff9896", "dot"),
    "party-committee": ("#8c1c13", "dot"),
    "industry-association": ("#1f77b4", "dot"),
    "standards-committee": ("#17becf", "dot"),
    "certification-body": ("#9467bd", "dot"),
    "testing-centre": ("#c5b0d5", "dot"),
    "national-engineering-laboratory": ("#2ca02c", "dot"),
    "ministry-key-laboratory": ("#98df8a", "dot"),
    "research-institute": ("#8c564b", "dot"),
    "joint-meeting-mechanism": ("#e377c2", "hexagon"),
    "organisation": ("#7f7f7f", "dot"),
    "person": ("#ff7f0e", "diamond"),
    "post": ("#ffbb78", "triangle"),
    "meeting": ("#bcbd22", "star"),
    "duty": ("#aec7e8", "box"),
    "achievement": ("#dbdb8d", "ellipse"),
}

_TEMPLATE = Path(__file__).resolve().parent / "templates" / "graph.html"


def _vis_assets() -> tuple[str, str]:
    # pyvis ships vis-network; read its files without importing pyvis (which pulls in IPython).
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise OrgGraphError("pyvis is not installed; `pip install pyvis` (it provides vis-network)")
    folder = Path(next(iter(spec.submodule_search_locations))) / "templates" / "lib" / "vis-9.1.2"
    try:
        return (folder / "vis-network.min.js").read_text(encoding="utf-8"), (folder / "vis-network.css").read_text(
            encoding="utf-8"
        )
    except OSError as error:
        raise OrgGraphError(f"cannot read vis-network from pyvis ({error}); reinstall pyvis") from None


def _script_safe_json(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _tooltip(node: dict[str, Any]) -> str:
    labels = node.get("labels", {})
    lines = [labels.get(lang, "") for lang in LANGUAGES if labels.get(lang)]
    lines.append(f"type: {NODE_KINDS.get(node.get('kind', ''), node.get('kind', ''))}")
    if node.get("aliases"):
        lines.append("also: " + ", ".join(node["aliases"]))
    for lang in ("zh-Hans", "zh-Hant"):
        if node.get("text", {}).get(lang):
            lines.append(node["text"][lang])
    if node.get("year"):
        lines.append(f"year: {node['year']}")
    if node.get("category"):
        lines.append(f"category: {node['category']}")
    for key in ("assigned_by", "assigned_at"):
        if node.get(key):
            lines.append(f"{key.replace('_', ' ')}: {node[key]}")
    for evidence in node.get("evidence", []):
        lines.append(f"source: {evidence}")
    lines.append(node.get("curie", ""))
    return "\n".join(line for line in lines if line)


def _layout(network: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    import networkx as nx

    if network.number_of_nodes() == 0:
        return {}
    simple = nx.Graph(network.to_undirected())
    positions = nx.spring_layout(simple, seed=7, k=1.6 / max(1, network.number_of_nodes()) ** 0.5)
    scale = 60 * max(1, network.number_of_nodes()) ** 0.5
    return {node: (float(x) * scale, float(y) * scale) for node, (x, y) in positions.items()}


# Up to this many nodes the page settles the precomputed layout with physics, then freezes it.
PHYSICS_LIMIT = 500
_ASSIGNMENT = {"assigned to", "assigned at", "assigned"}


def _inherited_edges(network: nx.MultiDiGraph) -> set[tuple[str, str, str]]:
    """Assignment edges of a sub-duty that repeat its parent duty's: drawn once, on the parent."""
    inherited = set()
    for duty, parent, relation in network.edges(data="relation"):
        if relation != "sub-duty of":
            continue
        parent_out = {(t, r) for _, t, r in network.out_edges(parent, data="relation") if r in _ASSIGNMENT}
        parent_in = {(s, r) for s, _, r in network.in_edges(parent, data="relation") if r in _ASSIGNMENT}
        inherited |= {(duty, t, r) for _, t, r in network.out_edges(duty, data="relation") if (t, r) in parent_out}
        inherited |= {(s, duty, r) for s, _, r in network.in_edges(duty, data="relation") if (s, r) in parent_in}
    return inherited


def render_html(network: nx.MultiDiGraph, *, title: str = "orggraph", language: str = "zh-Hans") -> str:
    """The network as a self-contained interactive HTML page.

    Assignment edges a sub-duty shares with its parent duty are drawn once, on the parent.

    >>> from orggraph.store import load_graph
    >>> from orggraph.projection import to_networkx
    >>> page = render_html(to_networkx(load_graph()), title="<seed>")
    >>> "<seed>" in page, "\\\\u003cseed\\\\u003e" in page, "https://" in page.split("graph-data")[0]
    (False, True, False)
    """
    if language not in LANGUAGES:
        raise OrgGraphError(f"unknown label language {language!r}; use one of {', '.join(LANGUAGES)}")
    # successors of duties, to name assigner and meeting in the tooltip
    names = {
        node: data.get("labels", {}).get("zh-Hans") or data.get("curie", node)
        for node, data in network.nodes(data=True)
    }
    positions = _layout(network)
    nodes = []
    for node, data in network.nodes(data=True):
        record = dict(data)
        for source, _, relation in network.in_edges(node, data="relation"):
            if relation == "assigned":
                record["assigned_by"] = names[source]
        for _, target, relation in network.out_edges(node, data="relation"):
            if relation == "assigned at":
                record["assigned_at"] = names[target]
        x, y = positions.get(node, (0.0, 0.0))
        nodes.append(
            {
                "id": node,
                "kind": data.get("kind", "organisation"),
                "curie": data.get("curie", node),
                "labels": data.get("labels", {}),
                "aliases": data.get("aliases", []),
                "text": data.get("text", {}),
                "tooltip": _tooltip(record),
                "x": round(x, 1),
                "y": round(y, 1),
            }
        )
    inherited = _inherited_edges(network)
    edges = [
        {"id": f"e{i}", "from": source, "to": target, "relation": relation or ""}
        for i, (source, target, relation) in enumerate(network.edges(data="relation"))
        if (source, target, relation) not in inherited
    ]
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
    # str.replace on fixed markers: the payload cannot introduce a marker of its own (it is escaped JSON)
    page = page.replace("/*VIS_CSS*/", css.replace("</", "<\\/"), 1)
    page = page.replace("/*VIS_JS*/", js.replace("</script", "<\\/script"), 1)
    return page.replace("/*GRAPH_JSON*/", _script_safe_json(payload), 1)


def write_html(network: nx.MultiDiGraph, path: str | os.PathLike[str], **options: Any) -> Path:
    """Render ``network`` and write it atomically (UTF-8) to ``path``; see :func:`render_html`."""
    from .readwrite import write_text_atomic

    return write_text_atomic(path, render_html(network, **options))
