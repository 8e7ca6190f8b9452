"""The graph as a network to look at: projection onto networkx, view filters, layout, the offline
HTML page, GraphML/GEXF. Never imports :mod:`orggraph.extract`."""
