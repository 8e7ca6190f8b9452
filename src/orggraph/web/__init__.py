"""The local web app of ``orggraph serve``: a SPARQL 1.1 endpoint, pages over the graph and the
review desk, over query worker processes."""
