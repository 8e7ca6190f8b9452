"""The W3C SPARQL 1.1 query-evaluation tests in ../shared/conformance/sparql11, run through
`orggraph query` (in memory with --data, and on an Oxigraph store filled by `orggraph load`), and
through rdflib and pyoxigraph alone, and report which pass where.

Report:  python tests/w3c_sparql.py [FOLDER …] [--verbose]   (the test: tests/store/test_w3c_sparql.py)

A test passes when the answer equals the expected one: solutions as a multiset (in order when the
query has ORDER BY), each term exactly (lexical form, datatype, language), blank nodes only as
blank nodes; graphs compared up to blank-node renaming by rdflib's isomorphism. The expected
results are read with pyoxigraph's parsers, and so is what each side writes (W3C JSON results,
N-Triples), so that every side is judged by the same reader.
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

SUITE = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "sparql11"  # beside the checkout
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")
FORMATS = {
    ".srx": pyoxigraph.QueryResultsFormat.XML,
    ".srj": pyoxigraph.QueryResultsFormat.JSON,
    ".csv": pyoxigraph.QueryResultsFormat.CSV,
    ".tsv": pyoxigraph.QueryResultsFormat.TSV,
}


@dataclass
class Case:
    """One test of a manifest."""

    name: str
    query: Path
    data: list[Path]
    graph_data: list[Path]
    result: Path
    kind: str
    outcomes: dict[str, str] = field(default_factory=dict)  # side → "pass" or why not


def cases(folder: Path) -> list[Case]:
    manifest = Graph().parse(folder / "manifest.ttl", publicID=(folder / "manifest.ttl").as_uri())
    found = []
    for test in manifest.objects(None, MF.entries):
        for entry in manifest.items(test):
            kind = manifest.value(entry, RDF.type)
            action, result = manifest.value(entry, MF.action), manifest.value(entry, MF.result)
            if (
                action is None
                or result is None
                or str(kind).rsplit("#", 1)[-1]
                not in (
                    "QueryEvaluationTest",
                    "CSVResultFormatTest",
                )
            ):
                continue
            query = manifest.value(action, QT.query)
            found.append(
                Case(
                    f"{folder.name}/{str(entry).rsplit('#', 1)[-1]}",
                    _path(query),
                    [_path(d) for d in manifest.objects(action, QT.data)],
                    [_path(g) for g in manifest.objects(action, QT.graphData)],
                    _path(result),
                    str(kind).rsplit("#", 1)[-1],
                )
            )
    return found


def _path(iri: Any) -> Path:
    return Path(str(iri).removeprefix("file://"))


# ------------------------------------------------------------------------------ answers compared
def _solutions(results: Any) -> tuple[list[str], list[tuple[str, ...]]]:
    names = [v.value for v in results.variables]
    rows = []
    for solution in results:
        rows.append(
            tuple("_:" if isinstance(t, pyoxigraph.BlankNode) else ("" if t is None else str(t)) for t in solution)
        )
    return names, rows


def read_answer(data: bytes, suffix: str) -> Any:
    """("ask", bool) | ("select", names, rows) | ("graph", rdflib Graph)."""
    if suffix == ".csv":  # no reader gives terms back from CSV: its lines are compared
        lines = data.decode("utf-8").replace("\r\n", "\n").splitlines()
        return ("select", lines[0].split(","), [(line,) for line in lines[1:]])
    if suffix in FORMATS:
        parsed = pyoxigraph.parse_query_results(data, format=FORMATS[suffix])
        if isinstance(parsed, pyoxigraph.QueryBoolean):
            return ("ask", bool(parsed))
        return ("select", *_solutions(parsed))
    graph = Graph().parse(data=data, format={".nt": "nt", ".rdf": "xml"}.get(suffix, "turtle"))
    result_set = graph.value(None, RDF.type, RS.ResultSet)
    if result_set is None:
        return ("graph", graph)
    boolean = graph.value(result_set, RS.boolean)
    if boolean is not None:
        return ("ask", bool(boolean.toPython()))
    names = sorted(str(v) for v in graph.objects(result_set, RS.resultVariable))
    rows = []
    for solution in graph.objects(result_set, RS.solution):
        bound = {
            str(graph.value(b, RS.variable)): graph.value(b, RS.value) for b in graph.objects(solution, RS.binding)
        }
        rows.append(tuple(_nt(bound.get(n)) for n in names))
    return ("select", names, rows)


def _nt(term: Any) -> str:
    if term is None:
        return ""
    if term.__class__.__name__ == "BNode":
        return "_:"
    return str(pyoxigraph_term(term))


def pyoxigraph_term(term: Any) -> Any:
    from rdflib import Literal

    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        if term.datatype:
            return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)))
        return pyoxigraph.Literal(str(term))
    return term


def same(expected: Any, got: Any, ordered: bool) -> bool:
    if expected[0] != got[0]:
        return False
    if expected[0] == "ask":
        return expected[1] == got[1]
    if expected[0] == "graph":
        return isomorphic(expected[1], got[1])
    names_e, rows_e = expected[1], expected[2]
    names_g, rows_g = got[1], got[2]
    if set(names_e) != set(names_g):
        return False
    order = [names_g.index(n) for n in names_e]
    rows_g = [tuple(row[i] for i in order) for row in rows_g]
    return rows_e == rows_g if ordered else Counter(rows_e) == Counter(rows_g)


# ------------------------------------------------------------------------------------ the sides
def by_rdflib(case: Case) -> Any:
    from rdflib.plugins.sparql import prepareQuery

    dataset = Dataset()
    for path in case.data:
        dataset.default_graph.parse(path, format=_rdflib_format(path), publicID=path.as_uri())
    for path in case.graph_data:
        dataset.graph(URIRef(path.as_uri())).parse(path, format=_rdflib_format(path), publicID=path.as_uri())
    prepared = prepareQuery(case.query.read_text(encoding="utf-8"), base=case.query.as_uri())
    result = dataset.query(prepared)
    if result.type == "CONSTRUCT" or result.type == "DESCRIBE":
        return ("graph", result.graph)
    suffix = ".srx" if case.result.suffix in (".srx", ".ttl", ".rdf") else case.result.suffix
    writer = {".srx": "xml", ".srj": "json", ".csv": "csv", ".tsv": "tsv"}[suffix]
    return read_answer(result.serialize(format=writer), suffix)


def by_pyoxigraph(case: Case) -> Any:
    store = pyoxigraph.Store()
    for path in case.data:
        store.load(path=str(path), format=_oxigraph_format(path), base_iri=path.as_uri())
    for path in case.graph_data:
        store.load(
            path=str(path),
            format=_oxigraph_format(path),
            base_iri=path.as_uri(),
            to_graph=pyoxigraph.NamedNode(path.as_uri()),
        )
    answer = store.query(case.query.read_text(encoding="utf-8"), base_iri=case.query.as_uri())
    if isinstance(answer, pyoxigraph.QueryTriples):
        return (
            "graph",
            Graph().parse(data=pyoxigraph.serialize(answer, format=pyoxigraph.RdfFormat.N_TRIPLES), format="nt"),
        )
    if isinstance(answer, pyoxigraph.QueryBoolean):
        return ("ask", bool(answer))
    if case.result.suffix in (".csv", ".tsv"):
        written = answer.serialize(format=FORMATS[case.result.suffix])
        return read_answer(written, case.result.suffix)
    return ("select", *_solutions(answer))


def by_orggraph(case: Case, store: str | None, scratch: Path, cache: str = "off") -> Any:
    from click.testing import CliRunner

    from orggraph.cli import cli

    runner = CliRunner()
    files = [str(p) for p in case.data]
    named = [arg for path in case.graph_data for arg in ("--named", str(path))]
    if not files:  # an empty default graph, not the bundled one
        empty = scratch / "empty.ttl"
        empty.write_text("", encoding="utf-8")
        files = [str(empty)]
    where = [arg for path in files for arg in ("--data", path)] + named if store is None else ["--store", store]
    if store is not None:
        loaded = runner.invoke(cli, ["load", "--store", store, "--no-optimize", *files, *named])
        if loaded.exit_code != 0:
            raise RuntimeError(f"load: {loaded.output.strip()}")
    kind = "graph" if _is_graph_query(case.query) else "rows"
    fmt = (
        "nt"
        if kind == "graph"
        else ("csv" if case.result.suffix == ".csv" else "tsv" if case.result.suffix == ".tsv" else "json")
    )
    # with the cache off, --data files are parsed into rdflib's store; with it on, they are read
    # from their prebuilt Oxigraph copy (named data always goes to rdflib's store)
    command = ["query", "-f", str(case.query), "--format", fmt, *where]
    done = runner.invoke(cli, command, env={"ORGGRAPH_CACHE_DIR": cache})
    if done.exit_code != 0:
        raise RuntimeError(done.output.strip().splitlines()[-1] if done.output.strip() else f"exit {done.exit_code}")
    data = done.stdout_bytes
    if kind == "graph":
        return ("graph", Graph().parse(data=data, format="nt"))
    return read_answer(data, {"json": ".srj", "csv": ".csv", "tsv": ".tsv"}[fmt])


WRITTEN_FORMATS = {
    "csv": pyoxigraph.QueryResultsFormat.CSV,
    "tsv": pyoxigraph.QueryResultsFormat.TSV,
    "json": pyoxigraph.QueryResultsFormat.JSON,
    "xml": pyoxigraph.QueryResultsFormat.XML,
}


def written_unlike_oxigraph(case: Case, scratch: Path) -> dict[str, str]:
    """For a query that gives rows or yes/no: each W3C format in which `orggraph query --store
    oxigraph:…` writes other bytes than pyoxigraph writes for the same query on the same store
    (read with the dataset an ad-hoc query has: the loaded files), with what each wrote."""
    from click.testing import CliRunner

    from orggraph.cli import cli

    if _is_graph_query(case.query):
        return {}
    runner = CliRunner()
    folder = scratch / f"written-{case.name.replace('/', '-')}"
    files = [str(p) for p in case.data] or [str(_empty(scratch))]
    named = [arg for path in case.graph_data for arg in ("--named", str(path))]
    loaded = runner.invoke(cli, ["load", "--store", f"oxigraph:{folder}", "--no-optimize", *files, *named])
    if loaded.exit_code != 0:
        return {"load": loaded.output.strip()}
    ours = {}
    for fmt in WRITTEN_FORMATS:
        done = runner.invoke(cli, ["query", "-f", str(case.query), "--format", fmt, "--store", f"oxigraph:{folder}"])
        ours[fmt] = done.stdout_bytes if done.exit_code == 0 else None
    store = pyoxigraph.Store.read_only(str(folder))
    data = [pyoxigraph.NamedNode(uri) for uri in sorted(Path(f).resolve().as_uri() for f in files)]
    by_name = [pyoxigraph.NamedNode(uri) for uri in sorted(p.resolve().as_uri() for p in case.graph_data)]
    unlike = {}
    for fmt, member in WRITTEN_FORMATS.items():
        try:
            answer = store.query(
                case.query.read_text(encoding="utf-8"),
                base_iri=case.query.as_uri(),
                default_graph=[pyoxigraph.DefaultGraph(), *data],
                named_graphs=by_name or data,
            )
            theirs = answer.serialize(format=member) if not isinstance(answer, pyoxigraph.QueryBoolean) else None
            if isinstance(answer, pyoxigraph.QueryBoolean) and fmt in ("json", "xml"):
                theirs = answer.serialize(format=member)
        except Exception as error:  # the engine refuses it: orggraph must refuse it too
            theirs = f"{type(error).__name__}".encode()
        if _labelled(ours[fmt]) != _labelled(theirs) and not (
            ours[fmt] is None and (theirs is None or theirs == b"SyntaxError")
        ):
            unlike[fmt] = f"orggraph {ours[fmt]!r:.200} / pyoxigraph {theirs!r:.200}"
    del store
    return unlike


_BLANK = re.compile(rb'(?<=_:)[A-Za-z0-9]+|(?<="type":"bnode","value":")[A-Za-z0-9]+|(?<=<bnode>)[A-Za-z0-9]+')


def _labelled(written: bytes | None) -> bytes | None:
    """Blank nodes relabelled in order of appearance: BNODE() makes new ones at every run."""
    if written is None:
        return None
    labels: dict[bytes, bytes] = {}
    return _BLANK.sub(lambda m: labels.setdefault(m.group(), b"b%d" % len(labels)), written)


def _empty(scratch: Path) -> Path:
    empty = scratch / "empty.ttl"
    empty.write_text("", encoding="utf-8")
    return empty


def _is_graph_query(path: Path) -> bool:
    import re

    text = re.sub(r"#[^\n]*", "", path.read_text(encoding="utf-8"))
    return re.search(r"(?i)\b(CONSTRUCT|DESCRIBE)\b", text) is not None


def _rdflib_format(path: Path) -> str:
    return {".rdf": "xml", ".nt": "nt", ".nq": "nquads", ".trig": "trig"}.get(path.suffix, "turtle")


def _oxigraph_format(path: Path) -> Any:
    return {".rdf": pyoxigraph.RdfFormat.RDF_XML, ".nt": pyoxigraph.RdfFormat.N_TRIPLES}.get(
        path.suffix, pyoxigraph.RdfFormat.TURTLE
    )


def run(folders: list[Path], verbose: bool = False) -> list[Case]:
    every = [case for folder in folders for case in cases(folder)]
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        for number, case in enumerate(every):
            expected = read_answer(case.result.read_bytes(), case.result.suffix)
            ordered = "ORDER BY" in case.query.read_text(encoding="utf-8").upper()
            sides = {
                "rdflib": lambda c=case: by_rdflib(c),
                "pyoxigraph": lambda c=case: by_pyoxigraph(c),
                "orggraph memory": lambda c=case: by_orggraph(c, None, scratch),
                "orggraph prebuilt": lambda c=case: by_orggraph(c, None, scratch, str(scratch / "cache")),
                "orggraph oxigraph": lambda c=case, n=number: by_orggraph(c, f"oxigraph:{scratch / f'db{n}'}", scratch),
            }
            for side, answer in sides.items():
                try:
                    case.outcomes[side] = "pass" if same(expected, answer(), ordered) else "different answer"
                except Exception as error:  # every failure is a result here
                    case.outcomes[side] = f"{type(error).__name__}: {str(error)[:160]}"
            if verbose:
                print(case.name, {k: v for k, v in case.outcomes.items() if v != "pass"} or "all pass", flush=True)
    return every


def engine_of(case: Case, side: str) -> str:
    """The engine that answers for an orggraph side: rdflib in memory; Oxigraph on a store and for
    --data files read from their prebuilt copy, unless named data sends them to rdflib's store."""
    if side == "orggraph memory" or (side == "orggraph prebuilt" and case.graph_data):
        return "rdflib"
    return "pyoxigraph"


def main(argv: list[str]) -> None:
    verbose = "--verbose" in argv
    names = [a for a in argv if not a.startswith("--")]
    folders = [SUITE / n for n in names] if names else sorted(p for p in SUITE.iterdir() if p.is_dir())
    every = run(folders, verbose)
    sides = ["rdflib", "pyoxigraph", "orggraph memory", "orggraph prebuilt", "orggraph oxigraph"]
    print(f"{len(every)} tests")
    for side in sides:
        print(f"  {side:18} {sum(c.outcomes[side] == 'pass' for c in every)} pass")
    for ours in ("orggraph memory", "orggraph prebuilt", "orggraph oxigraph"):
        lost = [c for c in every if c.outcomes[engine_of(c, ours)] == "pass" and c.outcomes[ours] != "pass"]
        print(f"passed by its engine but not by {ours}: {len(lost)}")
        for case in lost:
            print(f"  {case.name}: {case.outcomes[ours]}")


if __name__ == "__main__":
    main(sys.argv[1:])
