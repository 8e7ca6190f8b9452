"""Stores: opening a backend (memory, Oxigraph on disk, a SPARQL endpoint), the SPARQL engine with its
safety checks, loading files, the cache. The only package that imports pyoxigraph, all of it
in :mod:`orggraph.store.oxigraph`."""
