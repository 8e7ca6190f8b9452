from __future__ import annotations

import math

import networkx as nx
import numpy as np

from orggraph.network.layout import SPRING_LIMIT, compute_layout, grid_force_layout, radial_layout


def test_radial_layout_puts_the_hub_in_the_middle_and_children_on_rings():
    tree = nx.balanced_tree(3, 3)
    positions = radial_layout(tree)
    hub = max(tree.nodes, key=tree.degree)
    depth = nx.single_source_shortest_path_length(tree, hub)
    radius = {n: math.dist(positions[n], positions[hub]) for n in tree}
    for node in tree:
        for other in tree:
            if depth[node] < depth[other]:
                assert radius[node] < radius[other]


def test_components_do_not_overlap():
    graph = nx.disjoint_union(nx.star_graph(20), nx.star_graph(20))
    positions = radial_layout(graph)
    first = np.array([positions[n] for n in range(21)])
    second = np.array([positions[n] for n in range(21, 42)])
    assert first[:, 0].max() < second[:, 0].min() or first[:, 1].max() < second[:, 1].min()


def test_grid_layout_spreads_nodes_apart():
    edges = [(i, i + 1) for i in range(499)]
    positions = grid_force_layout(500, edges, iterations=40)
    from itertools import combinations

    close = sum(1 for a, b in combinations(range(500), 2) if np.linalg.norm(positions[a] - positions[b]) < 0.2)
    assert close < 25
    lengths = [np.linalg.norm(positions[a] - positions[b]) for a, b in edges]
    assert np.median(lengths) < 4


def test_compute_layout_covers_every_node_above_and_below_the_spring_limit():
    for size in (SPRING_LIMIT // 2, SPRING_LIMIT * 4):
        graph = nx.random_labeled_tree(size, seed=2)
        positions = compute_layout(graph)
        assert set(positions) == set(graph) and all(map(math.isfinite, np.ravel(list(positions.values()))))
