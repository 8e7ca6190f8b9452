"""``orggraph extract``: candidate facts from documents."""

from __future__ import annotations

import sys

import click

from orggraph.cli.app import cli, echo
from orggraph.cli.common import open_data
from orggraph.cli.options import data_options, format_option, output_option, update_endpoint_option
from orggraph.formats import EXTRACTION_FORMATS


@cli.command()
@click.argument("documents", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@output_option("File")
@format_option(
    EXTRACTION_FORMATS,
    "facts",
    "facts: {entities, triples} as read by shared/gold/score.py; jsonl: one finding per line with its span "
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
@click.option(
    "--review",
    is_flag=True,
    help="Put the candidates in the review queue of the --store (an Oxigraph store: the folder "
    "STORE.review beside it) instead of printing them; `orggraph serve --review` shows them to decide on.",
)
@update_endpoint_option
@data_options
def extract(
    documents: tuple[str, ...],
    output: str | None,
    fmt: str,
    encoding: str | None,
    merge: bool,
    review: bool,
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
      orggraph extract new-release.txt --store oxigraph:./db --review
    """
    from orggraph.extract.findings import organisation_names
    from orggraph.extract.formats import format_extractions
    from orggraph.extract.rules import extract_all
    from orggraph.files import read_bytes
    from orggraph.text.documents import decode, document_from_text, read_document

    if review and (merge or data):
        raise click.UsageError("--review takes the documents to the review queue of a --store; drop --merge and --data")
    prepared, published = [], []
    for name in documents:
        if name == "-":
            raw = sys.stdin.buffer.read()
            text, used = decode(raw, encoding, "<stdin>")
            prepared.append(document_from_text(text, "<stdin>", used))
            published.append(raw)
        else:
            prepared.append(read_document(name, encoding))
            published.append(read_bytes(name) if review else b"")
    graph = open_data(data, allow_network, store)
    names = organisation_names(graph)  # read once: the big graph's names are the fixed cost of a run
    results = extract_all(prepared, names=names)
    if review:
        from orggraph.review.desk import queue_extracted
        from orggraph.review.queue import queue_folder
        from orggraph.store.backends import store_spec

        report = queue_extracted(graph, queue_folder(store), results, published, names=names)
        for line in report.lines():
            click.echo(line, err=True)
        click.echo(f"Decide on them at the desk: orggraph serve --store {store_spec(store)} --review", err=True)
        if not output:
            return
    text = format_extractions(results, fmt, names=names)
    if merge:
        from orggraph.extract.candidates import to_dataset
        from orggraph.review.decisions import without_rejected
        from orggraph.store.backends import store_spec
        from orggraph.store.loading import merge_dataset

        candidates = without_rejected(to_dataset(results, names=names), graph)
        merged = merge_dataset(store, candidates, update_endpoint=update_endpoint)
        click.echo(f"Merged {len(merged)} candidate graph(s) into {store_spec(store)}", err=True)
    if output:
        from orggraph.files import write_text_atomic

        write_text_atomic(output, text)
        click.echo(f"Wrote {output}", err=True)
    else:
        echo(text)
