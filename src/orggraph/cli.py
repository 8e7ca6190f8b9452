"""The ``orggraph`` command: thin click commands over the library.

Exit codes: 0 success · 1 the operation failed · 2 usage error · 3 data does not conform.
Heavy libraries (rdflib, pyshacl, networkx) are imported inside the commands, so ``--help``
and ``--version`` answer quickly.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import click

from . import __version__
from .errors import OrgGraphError

EXIT_CODES = "Exit codes: 0 success, 1 failure, 2 usage error, 3 data does not conform (validate)."


class _Group(click.Group):
    """Turns library errors into one line on stderr and the documented exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OrgGraphError as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(error.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("Error: interrupted", err=True)
            sys.exit(130)
        except Exception as error:  # a bug of ours: still one line, unless debugging
            if os.environ.get("ORGGRAPH_DEBUG"):
                raise
            click.echo(
                f"Error: unexpected {type(error).__name__}: {error} (set ORGGRAPH_DEBUG=1 for a traceback "
                "and please report it)",
                err=True,
            )
            sys.exit(1)


def _data_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--data",
        "data",
        multiple=True,
        metavar="FILE",
        help="RDF file to load (repeatable; Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML by suffix). "
        "Default: the bundled curated graph.",
    )(
        click.option(
            "--store",
            "store",
            envvar="ORGGRAPH_STORE",
            metavar="SPEC",
            help="Where the graph lives: memory (default: the bundled data, or --data files), "
            "oxigraph:PATH (an on-disk store filled by `orggraph load`), or an http(s)://…/sparql endpoint. "
            "Also $ORGGRAPH_STORE.",
        )(
            click.option(
                "--allow-network",
                is_flag=True,
                help="Permit network access: SPARQL SERVICE, remote FROM/FROM NAMED and LOAD, remote JSON-LD "
                "contexts and XML external entities. Off by default.",
            )(function)
        )
    )


def _load(data: tuple[str, ...], allow_network: bool = False, store: str | None = None, **options: Any) -> Any:
    from .store import load_graph

    return load_graph(list(data) if data else None, allow_network=allow_network, store=store, **options)


def _corpus_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--corpus",
        "corpus",
        multiple=True,
        metavar="DIR",
        help="Folder holding the source documents (repeatable; also $ORGGRAPH_CORPUS): rows with "
        "document/start/end columns get the quoted passage.",
    )(function)


def _with_passages(result: Any, graph: Any, corpus: tuple[str, ...]) -> Any:
    from .passages import add_passages, corpus_folders

    folders = corpus_folders(corpus)
    return add_passages(result, graph, folders) if folders and result is not None else result


def _echo(text: str) -> None:
    click.echo(text.rstrip("\n"))


@click.group(
    cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}, epilog=EXIT_CODES
)
@click.version_option(__version__, "--version", prog_name="orggraph")
def cli() -> None:
    """Query and look at an evidence-backed knowledge graph of organisations, posts, meetings
    and the duties assigned to them.

    Without --data every command works on the bundled graph: the 2019 joint meeting of the
    security industry's organisations, intermediaries and laboratories.
    """


@cli.command()
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(dir_okay=False), help="Read the query from FILE.")
@_data_option
@click.option(
    "--format",
    "fmt",
    default="table",
    show_default=True,
    type=click.Choice(["table", "csv", "tsv", "json", "xml", "jsonl", "ttl", "nt", "jsonld"]),
    help="Rows: table|csv|tsv|json|xml|jsonl. Graphs (CONSTRUCT/DESCRIBE): ttl|nt|jsonld.",
)
@click.option(
    "--allow-update",
    is_flag=True,
    help="Permit SPARQL Update: on the memory store it changes only the in-memory copy; on a persistent "
    "store (--store) it changes the store.",
)
@click.option("--update-endpoint", metavar="URL", help="With an http(s) --store: the SPARQL Update endpoint.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), help="Stop the query after SECONDS.")
@click.option("--limit", type=click.IntRange(min=0), help="Return at most N rows.")
@_corpus_option
def query(
    sparql: str | None,
    query_file: str | None,
    data: tuple[str, ...],
    fmt: str,
    allow_update: bool,
    allow_network: bool,
    store: str | None,
    update_endpoint: str | None,
    timeout: float | None,
    limit: int | None,
    corpus: tuple[str, ...],
) -> None:
    """Run a SPARQL query given as an argument, with -f FILE, or on stdin (-).

    The prefixes og ogt ogc ogr org prov oa schema skos foaf dcterms owl rdf rdfs sh xsd are
    predeclared.

    \b
    Example:
      orggraph query 'SELECT ?o ?name WHERE { ?o a org:FormalOrganization ; skos:prefLabel ?name }'
      orggraph query -f my.rq --format csv
    """
    from .readwrite import read_text

    if query_file and sparql:
        raise click.UsageError("give the query as an argument or with -f, not both")
    if query_file:
        text, origin = read_text(query_file), query_file
    elif sparql in (None, "-"):
        if sparql is None and sys.stdin.isatty():
            raise click.UsageError("give a query as an argument, with -f FILE, or on stdin with -")
        text, origin = sys.stdin.read(), "<stdin>"
    else:
        text, origin = sparql, "query"
    if not text.strip():
        raise click.UsageError("the query is empty")
    from .output import format_result
    from .query import run_query

    graph = _load(data, allow_network, store, writable=allow_update, update_endpoint=update_endpoint)
    result = run_query(
        graph,
        text,
        allow_update=allow_update,
        allow_network=allow_network,
        origin=origin,
        timeout=timeout,
        limit=limit,
    )
    if result is None:
        saved = "the store" if (store or "memory") != "memory" else "the in-memory graph (nothing is saved)"
        click.echo(f"Update applied to {saved}.", err=True)
        return
    result = _with_passages(result, graph, corpus)
    _echo(format_result(result, fmt))


@cli.command()
def queries() -> None:
    """List the named queries and their parameters.

    \b
    Example:
      orggraph queries
    """
    from .query import list_named_queries

    for named in list_named_queries():
        click.echo(f"{named.name}: {named.title}")
        click.echo(f"    {named.description}")
        for parameter in named.parameters:
            need = "required" if parameter.required else "optional"
            click.echo(f"    -p {parameter.name} ({parameter.kind}, {need}): {parameter.description}")


@cli.command()
@click.argument("name")
@click.option(
    "-p",
    "--param",
    "params",
    type=(str, str),
    multiple=True,
    metavar="KEY VALUE",
    help="A parameter of the named query (repeatable).",
)
@_data_option
@click.option(
    "--format",
    "fmt",
    default="table",
    show_default=True,
    type=click.Choice(["table", "csv", "tsv", "json", "xml", "jsonl"]),
    help="Output format.",
)
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), help="Stop the query after SECONDS.")
@click.option("--limit", type=click.IntRange(min=0), help="Return at most N rows.")
@_corpus_option
def run(
    name: str,
    params: tuple[tuple[str, str], ...],
    data: tuple[str, ...],
    allow_network: bool,
    store: str | None,
    fmt: str,
    timeout: float | None,
    limit: int | None,
    corpus: tuple[str, ...],
) -> None:
    """Run the named query NAME (see `orggraph queries`).

    Organisation parameters take an IRI, a prefixed name, or any label or alias in Simplified
    or Traditional Chinese or English.

    \b
    Example:
      orggraph run duties-of -p org 中安协
      orggraph run org-chart -p org 公安部
      orggraph run responsible-for -p topic 标准化 --format csv
      orggraph run evidence -p of 国家工程实验室验收 --corpus ../shared/corpus
    """
    from .output import format_result
    from .query import run_named_query

    graph = _load(data, allow_network, store)
    result = run_named_query(graph, name, dict(params), timeout=timeout, limit=limit)
    result = _with_passages(result, graph, corpus)
    _echo(format_result(result, fmt))


@cli.command()
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="HTML file to write.")
@_data_option
@click.option("--title", default="orggraph", show_default=True, help="Page title and heading.")
@click.option(
    "--lang",
    "language",
    default="zh-Hans",
    show_default=True,
    type=click.Choice(["zh-Hans", "zh-Hant", "en"]),
    help="Label language shown first.",
)
@click.option("--focus", metavar="ORG", help="Only this organisation's neighbourhood (IRI, prefixed name or any name).")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(0, 20), help="Steps around --focus.")
@click.option("--types", metavar="KIND,…", help="Only these node types, e.g. testing-centre,duty,meeting.")
@click.option("--relations", metavar="REL,…", help="Only these relations, e.g. 'unit of,part of'.")
@click.option(
    "--duties",
    default="nodes",
    show_default=True,
    type=click.Choice(["nodes", "edges"]),
    help="Draw duties as nodes, or collapse each into labelled edges assigner → assignee.",
)
@click.option(
    "--max-nodes",
    default=10_000,
    show_default=True,
    type=click.IntRange(0),
    help="Refuse a bigger view (0: no limit); a page stays fluid up to about 10,000 nodes.",
)
def render(
    output: str,
    data: tuple[str, ...],
    allow_network: bool,
    store: str | None,
    title: str,
    language: str,
    focus: str | None,
    depth: int,
    types: str | None,
    relations: str | None,
    duties: str,
    max_nodes: int,
) -> None:
    """Write an interactive network of organisations, people, meetings and duties as one
    self-contained HTML file (works offline, from file://).

    \b
    Example:
      orggraph render -o seed.html --title "2019 联席会议"
      orggraph render -o bureau.html --focus 科信局 --depth 2 --duties edges --lang en
      orggraph render -o chart.html --types government-agency,internal-division,research-institute,testing-centre
    """
    from .rendering import write_html
    from .views import view_of

    graph = _load(data, allow_network, store)
    view = view_of(
        graph,
        focus=focus,
        depth=depth,
        types=_split(types),
        relations=_split(relations),
        duties=duties,
        max_nodes=max_nodes or None,
    )
    path = write_html(view, output, title=title, language=language)
    click.echo(f"Wrote {path} ({view.number_of_nodes()} nodes, {view.number_of_edges()} edges)", err=True)


def _split(value: str | None) -> list[str] | None:
    return [part.strip() for part in value.split(",") if part.strip()] if value else None


@cli.command()
@_data_option
@click.option("--shapes", type=click.Path(dir_okay=False), help="SHACL shapes file (default: the bundled shapes).")
def validate(data: tuple[str, ...], allow_network: bool, store: str | None, shapes: str | None) -> None:
    """Check the data against the SHACL shapes; exit 3 when it does not conform.

    \b
    Example:
      orggraph validate
      orggraph validate --data mine.ttl
    """
    from .validation import validate as validate_graph

    report = validate_graph(_load(data, allow_network, store), shapes)
    _echo(report.text())
    if not report.conforms:
        sys.exit(3)


@cli.command()
@_data_option
def info(data: tuple[str, ...], allow_network: bool, store: str | None) -> None:
    """Show counts by class, the source graphs and documents, and label languages.

    \b
    Example:
      orggraph info
    """
    from .inspection import summarize

    _echo(summarize(_load(data, allow_network, store)).text())


@cli.command()
@_data_option
@click.option(
    "--format",
    "fmt",
    default="ttl",
    show_default=True,
    type=click.Choice(["ttl", "nt", "jsonld", "trig", "nquads", "graphml", "gexf"]),
    help="ttl|nt|jsonld give the union of all graphs; trig|nquads keep the named graphs; graphml|gexf "
    "give the network projection (for Gephi, Cytoscape).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: stdout).")
def export(data: tuple[str, ...], allow_network: bool, store: str | None, fmt: str, output: str | None) -> None:
    """Write the whole loaded graph in an RDF format, or its network projection.

    \b
    Example:
      orggraph export --format trig -o orggraph.trig
      orggraph export --format gexf -o orggraph.gexf
    """
    from .readwrite import serialize_rdf, write_text_atomic

    if fmt in ("graphml", "gexf"):
        from .exchange import serialize_network
        from .projection import to_networkx

        text = serialize_network(to_networkx(_load(data, allow_network, store)), fmt)
    else:
        from .store import local_copy

        text = serialize_rdf(local_copy(_load(data, allow_network, store)), fmt)
    if output:
        write_text_atomic(output, text)
        click.echo(f"Wrote {output}", err=True)
    else:
        _echo(text)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--store",
    "store",
    envvar="ORGGRAPH_STORE",
    metavar="SPEC",
    required=True,
    help="oxigraph:PATH or an http(s)://…/sparql endpoint (also $ORGGRAPH_STORE).",
)
@click.option("--update-endpoint", metavar="URL", help="With an http(s) store: its SPARQL Update endpoint.")
@click.option("--replace", is_flag=True, help="Swap the graph of a file that changed or whose load was interrupted.")
@click.option("--allow-network", is_flag=True, help="Permit remote JSON-LD contexts and XML external entities.")
@click.option(
    "--optimize/--no-optimize",
    default=True,
    show_default=True,
    help="Compact an Oxigraph store the load changed: lookups about a quarter faster, twice the disk; "
    "skip it for frequent small loads.",
)
def load(
    files: tuple[str, ...], store: str, update_endpoint: str | None, replace: bool, allow_network: bool, optimize: bool
) -> None:
    """Load RDF files into a persistent store, one named graph per file.

    Loading the same file again adds nothing; a changed file needs --replace. The bundled
    ontology is loaded too. Read-only commands (query, run, render, …) then take the same --store.

    \b
    Example:
      orggraph load data/*.ttl --store oxigraph:./orggraph-db
      orggraph run duties-of -p org 中安协 --store oxigraph:./orggraph-db
    """
    from .store import load_files

    with click.progressbar(length=len(files), label="Loading", file=sys.stderr, show_pos=True) as bar:
        report = load_files(
            store,
            files,
            replace=replace,
            allow_network=allow_network,
            update_endpoint=update_endpoint,
            progress=lambda _: bar.update(1),
            optimize=optimize,
        )
    _echo(report.text())


@cli.command()
@click.argument("documents", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: stdout).")
@click.option(
    "--format",
    "fmt",
    default="facts",
    show_default=True,
    type=click.Choice(["facts", "jsonl", "ttl", "trig"]),
    help="facts: {entities, triples} as read by shared/gold/score.py; jsonl: one finding per line with its span "
    "in the raw document; ttl|trig: candidate RDF in the orggraph ontology with evidence (trig: a named graph "
    "per document), reusing the IRIs of organisations already in the graph.",
)
@click.option("--encoding", help="The documents' encoding (default: detect UTF-8, GB18030/GBK or Big5).")
@click.option(
    "--merge",
    is_flag=True,
    help="Also put the candidate graphs into the --store (one graph per "
    "document, replaced on a second merge; known organisations keep their IRIs).",
)
@click.option("--update-endpoint", metavar="URL", help="With an http(s) --store and --merge: its update endpoint.")
@_data_option
def extract(
    documents: tuple[str, ...],
    output: str | None,
    fmt: str,
    encoding: str | None,
    merge: bool,
    update_endpoint: str | None,
    data: tuple[str, ...],
    allow_network: bool,
    store: str | None,
) -> None:
    """Propose the organisations, people, posts, meeting, agenda, topics, achievements and duties
    a Chinese news document states, each pointing at the characters that say it.

    \b
    Example:
      orggraph extract ../shared/corpus/2019-02-21-security-industry-joint-meeting.txt -o pred.json
      python ../shared/gold/score.py ../shared/gold/seed-2019-02-21.yaml pred.json
      orggraph extract new-release.txt --format trig -o candidates.trig
    """
    from .documents import document_from_text, read_document
    from .extraction import extract_all, format_extractions, organisation_names

    prepared = []
    for name in documents:
        if name == "-":
            from .documents import decode

            text, used = decode(sys.stdin.buffer.read(), encoding, "<stdin>")
            prepared.append(document_from_text(text, "<stdin>", used))
        else:
            prepared.append(read_document(name, encoding))
    graph = _load(data, allow_network, store)
    names = organisation_names(graph)  # read once: the big graph's names are the fixed cost of a run
    results = extract_all(prepared, names=names)
    text = format_extractions(results, fmt, names=names)
    if merge:
        from .candidates import to_dataset
        from .store import merge_dataset

        merged = merge_dataset(store, to_dataset(results, names=names), update_endpoint=update_endpoint)
        click.echo(f"Merged {len(merged)} candidate graph(s) into {store}", err=True)
    if output:
        from .readwrite import write_text_atomic

        write_text_atomic(output, text)
        click.echo(f"Wrote {output}", err=True)
    else:
        _echo(text)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="orggraph")
