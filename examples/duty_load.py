"""A networkx analysis: which organisation carries the most duties?

A duty assigned to a joint-meeting mechanism is carried by each of its member units, so the count
follows "assigned to" edges and then "member of" edges backwards.

Run:  python examples/duty_load.py
"""

from __future__ import annotations

from collections import Counter

import orggraph


def duty_load(network) -> Counter[str]:
    """Number of duties each organisation carries, directly or as a member unit."""
    load: Counter[str] = Counter()
    for duty, kind in network.nodes(data="kind"):
        if kind != "duty":
            continue
        for _, assignee, relation in network.out_edges(duty, data="relation"):
            if relation != "assigned to":
                continue
            members = [m for m, _, r in network.in_edges(assignee, data="relation") if r == "member of"]
            for carrier in members or [assignee]:
                load[carrier] += 1
    return load


def main() -> None:
    network = orggraph.to_networkx(orggraph.load_graph())
    for node, count in duty_load(network).most_common():
        labels = network.nodes[node]["labels"]
        print(f"{count:3d}  {labels.get('zh-Hans', node)}  ({labels.get('en', '')})")


if __name__ == "__main__":
    main()
