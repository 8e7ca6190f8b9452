from __future__ import annotations

import re

import networkx as nx
import pytest

from orggraph.errors import OrgGraphError, UsageError
from orggraph.network.projection import to_networkx
from orggraph.network.rendering import render_html, write_html

HOSTILE = ['<img src=x onerror="alert(1)">', "</script><script>alert(2)</script>", 'a href="javascript:alert(3)"']


def _hostile_network() -> nx.MultiDiGraph:
    network = nx.MultiDiGraph()
    for i, text in enumerate(HOSTILE):
        network.add_node(
            f"urn:x:{i}",
            kind="industry-association",
            curie=text,
            labels={"zh-Hans": text, "en": text},
            aliases=[text],
            text={"zh-Hans": text},
            evidence=[text],
        )
    network.add_edge("urn:x:0", "urn:x:1", relation="</script><b>")
    return network


def test_page_is_self_contained(bundled):
    page = render_html(to_networkx(bundled), title="2019 联席会议")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page
    assert "vis.Network" in page and "Content-Security-Policy" in page
    assert page.count("</script>") == 3  # the data, vis-network and our own code: nothing can close early


def test_hostile_text_never_appears_as_markup():
    page = render_html(_hostile_network(), title=HOSTILE[0])
    data = page.split('id="graph-data">', 1)[1].split("</script>", 1)[0]
    for text in HOSTILE:
        assert text not in page
    assert "<" not in data and ">" not in data
    assert "innerHTML" not in page.split('id="graph-data"')[1]


def test_write_html_is_utf8_and_atomic(tmp_path, bundled):
    target = tmp_path / "graph.html"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(OrgGraphError):
        write_html(to_networkx(bundled), target, language="fr")
    assert target.read_text(encoding="utf-8") == "old"
    write_html(to_networkx(bundled), target, title="公安部")
    assert "公安部" in target.read_bytes().decode("utf-8")


def test_sub_duties_inherit_assignment_edges_drawn_once(seed_graph):
    bundled = seed_graph  # the curated graph, whose counts its gold file gives
    import json

    page = render_html(to_networkx(bundled))
    data = page.split('id="graph-data">', 1)[1].split("</script>", 1)[0]
    payload = json.loads(data)
    relations = [edge["relation"] for edge in payload["edges"]]
    assert relations.count("assigned to") == 5  # the four key tasks and the closing requirements
    assert relations.count("sub-duty of") == 23
    assert payload["physics"] is True and len(payload["nodes"]) == 50


def test_focus_takes_the_names_view_of_takes(bundled, tmp_path):
    network = to_networkx(bundled)
    by_name = render_html(network, focus="科信局")
    assert by_name == render_html(network, focus="ogr:mps-sti-bureau")
    assert by_name == render_html(network, focus="https://w3id.org/orggraph/id/mps-sti-bureau")
    path = write_html(network, tmp_path / "bureau.html", focus="科信局", depth=1)
    assert path.read_text(encoding="utf-8") == by_name
    with pytest.raises(UsageError, match="unknown node '不存在'"):
        render_html(network, focus="不存在")
