"""How fast `orggraph render` builds and Chromium draws large graphs, against baselines
measured in the same run.

* build: orggraph's render_html (layout + page) vs pyvis 0.3.2 building the same graph
  (``Network.from_nx`` + ``generate_html``, no layout) — pyvis's list scans make it quadratic.
* draw: seconds from navigation until vis-network has drawn orggraph's page vs the floor: a bare
  page with vis-network and the same nodes, edges and positions, nothing else.

Run:  python benchmarks/render_scale.py [SIZES…]      (default: 1000 5000 10000)
Needs Chromium (/usr/bin/chromium) and playwright for the draw columns.
"""

from __future__ import annotations

import json
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from orggraph.network.rendering import _vis_assets, render_html


def synthetic(count: int, seed: int = 1) -> nx.MultiDiGraph:
    """An organisation-like network: a hierarchy forest, duties assigned to several units."""
    import random

    rng = random.Random(seed)
    network = nx.MultiDiGraph()
    organisations = int(count * 0.6)
    tree = nx.random_labeled_tree(organisations, seed=seed)
    kinds = ["government-agency", "internal-division", "research-institute", "testing-centre", "industry-association"]
    for node in tree.nodes:
        network.add_node(
            f"urn:o:{node}",
            kind=rng.choice(kinds),
            labels={"zh-Hans": f"单位{node}", "en": f"unit {node}"},
            curie=f"o:{node}",
        )
    for parent, child in nx.bfs_edges(tree, 0):
        network.add_edge(f"urn:o:{child}", f"urn:o:{parent}", relation="part of")
    for duty in range(count - organisations):
        node = f"urn:d:{duty}"
        network.add_node(
            node,
            kind="duty",
            labels={"zh-Hans": f"任务{duty}"},
            text={"zh-Hans": "加强沟通协作" * 3},
            curie=f"d:{duty}",
        )
        for unit in rng.sample(range(organisations), 2):
            network.add_edge(node, f"urn:o:{unit}", relation="assigned to")
    return network


def pyvis_build(network: nx.MultiDiGraph) -> float:
    from pyvis.network import Network

    start = time.perf_counter()
    page = Network(directed=True, cdn_resources="in_line")
    simple = nx.DiGraph()
    for node, data in network.nodes(data=True):
        simple.add_node(node, label=data["labels"].get("zh-Hans", node), title=data["curie"])
    simple.add_edges_from((u, v) for u, v in network.edges())
    page.from_nx(simple)
    page.generate_html()
    return time.perf_counter() - start


def floor_page(page: str) -> str:
    payload = json.loads(
        page.split('id="graph-data">', 1)[1]
        .split("</script>", 1)[0]
        .replace("\\u003c", "<")
        .replace("\\u003e", ">")
        .replace("\\u0026", "&")
    )
    js, css = _vis_assets()
    nodes = [
        {"id": n["id"], "x": n["x"], "y": n["y"], "label": n["labels"].get("zh-Hans", "")} for n in payload["nodes"]
    ]
    edges = [{"from": e["from"], "to": e["to"]} for e in payload["edges"]]
    data = json.dumps({"nodes": nodes, "edges": edges}).replace("<", "\\u003c")
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><style>{css}</style></head><body>"
        f"<div id='n' style='width:1280px;height:800px'></div><script>{js}</script><script>"
        f"const d={data};const net=new vis.Network(document.getElementById('n'),"
        "{nodes:new vis.DataSet(d.nodes),edges:new vis.DataSet(d.edges)},"
        "{physics:false,edges:{smooth:false,arrows:'to'}});"
        "net.once('afterDrawing',()=>{document.body.dataset.drawn='true'});</script></body></html>"
    )


def draw_seconds(browser, path: Path) -> float:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page = context.new_page()
    start = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_function("() => document.body.dataset.drawn === 'true'", timeout=120_000)
    seconds = time.perf_counter() - start
    context.close()
    return seconds


def main(sizes: list[int]) -> None:
    chromium = shutil.which("chromium")
    browser = None
    if chromium:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
    print(
        f"# render benchmark — {platform.node()} {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}"
    )
    print(
        "| nodes | edges | orggraph build s | pyvis build s | build ratio "
        "| orggraph draw s | floor draw s | draw ratio |"
    )
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as scratch:  # the pages go with it, even on an error
        folder = Path(scratch)
        for size in sizes:
            network = synthetic(size)
            start = time.perf_counter()
            page = render_html(network, title=f"{size} nodes")
            build = time.perf_counter() - start
            baseline = pyvis_build(network)
            draw = floor = float("nan")
            if browser is not None:
                ours, bare = folder / f"ours-{size}.html", folder / f"floor-{size}.html"
                ours.write_text(page, encoding="utf-8")
                bare.write_text(floor_page(page), encoding="utf-8")
                draw, floor = draw_seconds(browser, ours), draw_seconds(browser, bare)
            print(
                f"| {size} | {network.number_of_edges()} | {build:.2f} | {baseline:.2f} | {build / baseline:.2f} | "
                f"{draw:.2f} | {floor:.2f} | {draw / floor:.2f} |"
            )
            sys.stdout.flush()
    if browser is not None:
        browser.close()


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1000, 5000, 10000])
