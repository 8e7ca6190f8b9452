"""The local web app of ``orggraph serve``: a SPARQL 1.1 endpoint over query worker processes."""
