"""Documents → candidate facts: findings and relations with spans, lexicons (data files in
``lexicons/``), rules, output formats, candidate RDF. Never imports :mod:`orggraph.network`."""
