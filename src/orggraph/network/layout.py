"""Node positions for large graphs, computed in Python so the browser does not run physics.

Large graphs start from a radial tree layout of each connected component (breadth-first from
its best-connected node, angular sectors sized by subtree), which already shows hierarchies
well, and then relax with a few rounds of Fruchterman–Reingold whose repulsion only acts between
nodes in neighbouring grid cells: O(n + m) per round instead of O(n²). Small graphs use
networkx's ``spring_layout``.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx
    import numpy as np

__all__ = ["SPRING_LIMIT", "compute_layout", "grid_force_layout", "radial_layout"]

# Up to this many nodes networkx's spring_layout (O(n²) per iteration) is fast enough.
SPRING_LIMIT = 300


def compute_layout(network: nx.Graph, seed: int = 7) -> dict[Hashable, tuple[float, float]]:
    """Positions for every node, in screen-like units (about 60 per unit of ideal edge length).

    >>> import networkx as nx
    >>> positions = compute_layout(nx.path_graph(1000))
    >>> len(positions), all(isinstance(x, float) for x, _ in positions.values())
    (1000, True)
    """
    import networkx as nx

    nodes = list(network.nodes)
    if not nodes:
        return {}
    if len(nodes) <= SPRING_LIMIT:
        simple = nx.Graph(network.to_undirected() if network.is_directed() else network)
        spring = nx.spring_layout(simple, seed=seed, k=1.6 / math.sqrt(len(nodes)))
        scale = 60 * math.sqrt(len(nodes))
        return {node: (float(x) * scale, float(y) * scale) for node, (x, y) in spring.items()}
    import numpy as np

    index = {node: i for i, node in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in network.edges() if u != v]
    radial = radial_layout(network)
    start = np.array([radial[node] for node in nodes], dtype=float)
    coordinates = grid_force_layout(len(nodes), edges, seed=seed, initial=start, iterations=20)
    return {node: (float(coordinates[i, 0]) * 60, float(coordinates[i, 1]) * 60) for i, node in enumerate(nodes)}


def radial_layout(network: nx.Graph, spacing: float = 2.0) -> dict[Hashable, tuple[float, float]]:
    """Each connected component as a radial tree around its best-connected node; components
    are packed side by side. Ring ``d`` has radius at least ``d × spacing`` and room for its nodes.

    >>> import networkx as nx
    >>> positions = radial_layout(nx.star_graph(4))
    >>> len({round(math.dist(positions[0], positions[leaf]), 6) for leaf in range(1, 5)})  # one ring
    1
    """
    import networkx as nx

    undirected = network.to_undirected(as_view=True) if network.is_directed() else network
    placed: list[tuple[float, dict[Hashable, tuple[float, float]]]] = []
    for component in sorted(nx.connected_components(undirected), key=len, reverse=True):
        root = max(component, key=undirected.degree)
        parent = {root: root}
        order = [root]
        children: dict[Hashable, list[Hashable]] = {root: []}
        depth = {root: 0}
        for node in order:  # breadth-first; `order` grows while we walk it
            for neighbour in undirected.neighbors(node):
                if neighbour not in parent:
                    parent[neighbour] = node
                    depth[neighbour] = depth[node] + 1
                    children[neighbour] = []
                    children[node].append(neighbour)
                    order.append(neighbour)
        leaves = {node: 1 for node in order}
        for node in reversed(order[1:]):
            if children[node]:
                leaves[node] = sum(leaves[c] for c in children[node])
        per_ring: dict[int, int] = {}
        for node in order:
            per_ring[depth[node]] = per_ring.get(depth[node], 0) + 1
        radius = {0: 0.0}
        for ring in range(1, max(per_ring) + 1):
            radius[ring] = max(radius[ring - 1] + spacing, per_ring[ring] * spacing / (2 * math.pi))
        sector = {root: (0.0, 2 * math.pi)}
        positions = {root: (0.0, 0.0)}
        for node in order:
            low, high = sector[node]
            total = sum(leaves[c] for c in children[node]) or 1
            cursor = low
            for child in children[node]:
                width = (high - low) * leaves[child] / total
                sector[child] = (cursor, cursor + width)
                angle = cursor + width / 2
                positions[child] = (radius[depth[child]] * math.cos(angle), radius[depth[child]] * math.sin(angle))
                cursor += width
        placed.append((radius[max(per_ring)] + spacing, positions))
    # pack components in rows, largest first
    result: dict[Hashable, tuple[float, float]] = {}
    row_width = math.sqrt(sum((2 * r) ** 2 for r, _ in placed)) * 1.2 if placed else 0.0
    x = y = row_height = 0.0
    for extent, positions in placed:
        if x > 0 and x + 2 * extent > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (px, py) in positions.items():
            result[node] = (px + x + extent, py + y + extent)
        x += 2 * extent
        row_height = max(row_height, 2 * extent)
    return result


def grid_force_layout(
    count: int,
    edges: Sequence[tuple[int, int]],
    iterations: int = 50,
    seed: int = 7,
    repulsion: float = 4.0,
    initial: np.ndarray | None = None,
) -> np.ndarray:
    """Fruchterman–Reingold with grid-limited repulsion; returns a ``count × 2`` array.

    The ideal edge length is 1; nodes further apart than 2 do not repel each other, so the
    (short-range) repulsion is scaled up by ``repulsion`` to keep the drawing spread out.

    >>> positions = grid_force_layout(3, [(0, 1), (1, 2)])
    >>> positions.shape
    (3, 2)
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    side = math.sqrt(count * repulsion)
    if initial is None:
        position = rng.uniform(0, side, size=(count, 2))
        temperature = side / 10
    else:  # a good start only needs local untangling: small steps, tiny jitter to split overlaps
        position = np.array(initial, dtype=float) + rng.uniform(-0.01, 0.01, size=(count, 2))
        temperature = 1.0
    pairs = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    cooling = temperature / (iterations + 1)
    cell_size = 2.0
    offsets = [(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
    for _ in range(iterations):
        displacement = np.zeros_like(position)
        cells = np.floor(position / cell_size).astype(np.int64)
        cells -= cells.min(axis=0)
        width = int(cells[:, 1].max()) + 3
        keys = (cells[:, 0] + 1) * width + (cells[:, 1] + 1)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        unique, starts, counts = np.unique(sorted_keys, return_index=True, return_counts=True)
        for dx, dy in offsets:
            wanted = keys + dx * width + dy
            slot = np.searchsorted(unique, wanted)
            slot = np.minimum(slot, len(unique) - 1)
            present = unique[slot] == wanted
            sources = np.nonzero(present)[0]
            if not len(sources):
                continue
            first, many = starts[slot[sources]], counts[slot[sources]]
            left = np.repeat(sources, many)
            # positions within each neighbour cell's run of the sorted order
            run = np.arange(many.sum()) - np.repeat(np.cumsum(many) - many, many)
            right = order[np.repeat(first, many) + run]
            keep = left != right
            left, right = left[keep], right[keep]
            delta = position[left] - position[right]
            distance = np.sqrt((delta**2).sum(axis=1)) + 1e-9
            near = distance < cell_size
            force = (repulsion / distance[near] ** 2)[:, None] * delta[near]  # k²/d along the unit vector
            target = left[near]
            displacement[:, 0] += np.bincount(target, weights=force[:, 0], minlength=count)
            displacement[:, 1] += np.bincount(target, weights=force[:, 1], minlength=count)
        if len(pairs):
            delta = position[pairs[:, 0]] - position[pairs[:, 1]]
            distance = np.sqrt((delta**2).sum(axis=1)) + 1e-9
            pull = distance[:, None] * delta  # d²/k along the unit vector
            for column in (0, 1):
                displacement[:, column] -= np.bincount(pairs[:, 0], weights=pull[:, column], minlength=count)
                displacement[:, column] += np.bincount(pairs[:, 1], weights=pull[:, column], minlength=count)
        length = np.sqrt((displacement**2).sum(axis=1)) + 1e-9
        position += displacement / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature -= cooling
    return position - position.mean(axis=0)
