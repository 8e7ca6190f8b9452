"""A custom SPARQL query with a bound parameter: every duty of a given category, with who carries it.

Run:  python examples/custom_query.py [CATEGORY]     (default: project-delivery)
"""

from __future__ import annotations

import sys

from rdflib import URIRef

import orggraph
from orggraph.namespaces import OGC

QUERY = """
SELECT ?task ?assignee ?year WHERE {
  ?duty a og:Duty ; og:category ?category ; og:period ?year ;
        skos:prefLabel ?task ; og:assignedTo/skos:prefLabel ?assignee .
  FILTER(langMatches(lang(?task), "zh-Hans") && langMatches(lang(?assignee), "zh-Hans"))
}
ORDER BY ?task
"""


def main(category: str = "project-delivery") -> None:
    graph = orggraph.load_graph()
    result = orggraph.run_query(graph, QUERY, {"category": URIRef(OGC[category])})
    print(orggraph.format_result(result, "table"))


if __name__ == "__main__":
    main(*sys.argv[1:2])
