"""RDF files and terms: parsing and serialising with positions in errors, the Turtle/TriG writer, terms for display."""
