"""Render one organisation's neighbourhood (two steps out) as a self-contained HTML page.

Run:  python examples/render_subgraph.py [ORGANISATION] [OUTPUT.html]
      (default: 公安部科技信息化局, bureau.html)
"""

from __future__ import annotations

import sys

import orggraph


def main(organisation: str = "公安部科技信息化局", output: str = "bureau.html") -> None:
    graph = orggraph.load_graph()
    subgraph = orggraph.view_of(graph, focus=organisation, depth=2)
    path = orggraph.write_html(subgraph, output, title=f"{organisation} — neighbourhood", language="zh-Hans")
    print(f"{path}: {subgraph.number_of_nodes()} nodes, {subgraph.number_of_edges()} edges")


if __name__ == "__main__":
    main(*sys.argv[1:3])
