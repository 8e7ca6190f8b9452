"""Questions across documents and years, answered from the graph: an organisation's timeline, the
responsibility matrix, and what changed between two meetings or two years."""
