"""Questions to a graph: name resolution, named queries and their ``.rq`` files, result formats,
inspection, SHACL validation, evidence passages."""
