"""Chinese text: clean-up with offset maps back to the raw document, documents, terminal widths. No rdflib."""
