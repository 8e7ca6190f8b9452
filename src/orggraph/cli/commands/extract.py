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
@update_endpoint_option
@data_options
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
    from orggraph.extract.findings import organisation_names
    from orggraph.extract.formats import format_extractions
    from orggraph.extract.rules import extract_all
    from orggraph.text.documents import decode, document_from_text, read_document

    prepared = []
    for name in documents:
        if name == "-":
            text, used = decode(sys.stdin.buffer.read(), encoding, "<stdin>")
            prepared.append(document_from_text(text, "<stdin>", used))
        else:
            prepared.append(read_document(name, encoding))
    graph = open_data(data, allow_network, store)
    names = organisation_names(graph)  # read once: the big graph's names are the fixed cost of a run
    results = extract_all(prepared, names=names)
    text = format_extractions(results, fmt, names=names)
    if merge:
        from orggraph.extract.candidates import to_dataset
        from orggraph.store.backends import store_spec
        from orggraph.store.loading import merge_dataset

        merged = merge_dataset(store, to_dataset(results, names=names), update_endpoint=update_endpoint)
        click.echo(f"Merged {len(merged)} candidate graph(s) into {store_spec(store)}", err=True)
    if output:
        from orggraph.files import write_text_atomic

        write_text_atomic(output, text)
        click.echo(f"Wrote {output}", err=True)
    else:
        echo(text)
