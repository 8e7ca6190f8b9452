"""One test per command (exit code and message), plus the error paths of the CLI."""

from __future__ import annotations

import ast
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from helpers import TEST_DATA, running

from orggraph.cli import cli
from orggraph.resources import data_files
from orggraph.store.loading import load_files, load_graph


@pytest.fixture
def invoke():
    runner = CliRunner()

    def call(*args: str, stdin: str | None = None):
        return runner.invoke(cli, list(args), input=stdin, catch_exceptions=False)

    return call


def test_version(invoke):
    result = invoke("--version")
    assert result.exit_code == 0 and "orggraph, version 0.1.0" in result.output


def test_query(invoke):
    result = invoke("query", "SELECT ?o WHERE { ?o skos:altLabel '中安协'@zh-Hans }")
    assert result.exit_code == 0
    assert "ogr:cspia" in result.output and "(1 row)" in result.output


def test_a_query_file_is_the_base_of_its_relative_iris(invoke, tmp_path, monkeypatch):
    data = tmp_path / "rel.ttl"
    data.write_text('<#part> <urn:p> "a part" .\n', encoding="utf-8")
    query_file = tmp_path / "q.rq"
    query_file.write_text("SELECT ?t WHERE { <rel.ttl#part> <urn:p> ?t }", encoding="utf-8")
    result = invoke("query", "-f", str(query_file), "--data", str(data), "--format", "csv")
    assert result.exit_code == 0 and result.output.splitlines() == ["t", "a part"]
    # FROM a file given with --data is that file's graph, not a place on the network
    monkeypatch.chdir(tmp_path)
    result = invoke("query", "SELECT ?t FROM <rel.ttl> WHERE { ?s <urn:p> ?t }", "--data", "rel.ttl")
    assert result.exit_code == 0 and "a part" in result.output


def test_an_ad_hoc_query_sees_exactly_the_users_data(invoke, tmp_path):
    data = tmp_path / "one.ttl"
    data.write_text('<urn:a> <urn:p> "1" .\n', encoding="utf-8")
    spec = f"oxigraph:{tmp_path / 'db'}"
    assert invoke("load", "--store", spec, str(data)).exit_code == 0
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    for where in (["--data", str(data)], ["--store", spec]):
        only = invoke("query", count, "--format", "csv", *where)
        assert only.exit_code == 0 and only.output.splitlines()[-1] == "1", only.output  # no ontology, no records
        with_ontology = invoke("query", count, "--format", "csv", "--ontology", *where)
        assert int(with_ontology.output.splitlines()[-1]) > 100
    by_name = (
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/orggraph/graph/ontology/schemes.ttl> { ?s ?p ?o } }"
    )
    assert int(invoke("query", by_name, "--format", "csv", "--store", spec, "--ontology").output.splitlines()[-1]) > 100
    assert invoke("query", by_name, "--format", "csv", "--store", spec).output.splitlines()[-1] == "0"
    # a file loaded as named data is reachable by name only, the others are the default graph
    named = tmp_path / "named.ttl"
    named.write_text('<urn:n> <urn:p> "named" .\n', encoding="utf-8")
    assert invoke("load", "--store", spec, "--named", str(named)).exit_code == 0
    assert invoke("query", count, "--format", "csv", "--store", spec).output.splitlines()[-1] == "1"
    in_graphs = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert invoke("query", in_graphs, "--format", "csv", "--store", spec).output.splitlines()[1:] == [named.as_uri()]
    # named queries keep the ontology: organisation types are read from it
    assert invoke("run", "organisations", "--store", spec).exit_code == 0


def test_query_from_stdin_and_file(invoke, tmp_path):
    result = invoke("query", "-", "--format", "json", stdin="ASK { ogr:mps a org:FormalOrganization }")
    assert result.exit_code == 0 and json.loads(result.output)["boolean"] is True
    query_file = tmp_path / "q.rq"
    query_file.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?d a og:Duty }", encoding="utf-8")
    result = invoke("query", "-f", str(query_file), "--format", "csv")
    assert result.exit_code == 0 and result.output.split() == ["n", "58"]  # 28 curated, 30 reviewed


def test_queries(invoke):
    result = invoke("queries")
    assert result.exit_code == 0
    assert "duties-of: Duties of an organisation" in result.output
    assert "-p org (organisation, required)" in result.output


def test_run(invoke):
    names = ("中國安全防范產品行業協會", "中国安全防范产品行业协会", "中安协")
    outputs = [invoke("run", "duties-of", "-p", "org", name) for name in names]
    assert all(r.exit_code == 0 for r in outputs)
    assert outputs[0].output == outputs[1].output == outputs[2].output
    # 28 duties as a member unit of the 2019 joint meeting, 3 from the 2023 one
    assert "提升政治站位" in outputs[0].output and "(31 rows)" in outputs[0].output
    assert outputs[0].output.index("提升政治站位") < outputs[0].output.index("抢开局、赢先机")  # year by year


def test_run_org_chart_shows_division_under_bureau(invoke):
    result = invoke("run", "org-chart", "-p", "org", "公安部", "--format", "jsonl")
    rows = [json.loads(line) for line in result.output.splitlines()]
    division = next(r for r in rows if r["name_zh_hans"] == "技防处")
    assert division["parent_name"] == "公安部科技信息化局" and division["depth"] == 2


def test_render(invoke, tmp_path):
    target = tmp_path / "g.html"
    result = invoke("render", "-o", str(target), "--title", "联席会议")
    assert result.exit_code == 0 and f"Wrote {target}" in result.output
    assert "联席会议" in target.read_text(encoding="utf-8")


def test_validate(invoke):
    result = invoke("validate")
    assert result.exit_code == 0 and result.output.startswith("Conforms: 0 violation(s)")


def test_validate_broken_file_exits_3(invoke):
    result = invoke("validate", "--data", str(TEST_DATA / "broken.ttl"))
    assert result.exit_code == 3
    assert "Does not conform" in result.output and "og:assignedTo" in result.output


def test_extract_review(invoke, tmp_path, seed_document):
    spec = f"oxigraph:{tmp_path / 'db'}"
    load_files(spec, [path for path in data_files() if path.name.startswith("seed-")], optimize=False)
    result = invoke("extract", str(seed_document), "--store", spec, "--review")
    assert result.exit_code == 0, result.output
    assert f"queued {seed_document.name}: " in result.output and "candidate(s) to review" in result.output
    assert f"orggraph serve --store {spec} --review" in result.output
    assert (tmp_path / "db.review").is_dir() and "{" not in result.output  # queued, not printed


def test_info(invoke):
    result = invoke("info")
    assert result.exit_code == 0
    assert "og:Duty" in result.output and "2019-02-21-security-industry-joint-meeting.txt" in result.output
    # language tags as the store holds them: the prebuilt copy is Oxigraph's, which writes them in lower case
    assert "zh-hant" in result.output.lower()


def test_export(invoke, tmp_path):
    target = tmp_path / "all.trig"
    result = invoke("export", "--format", "trig", "-o", str(target))
    assert result.exit_code == 0 and "Wrote" in result.output
    assert "https://w3id.org/orggraph/graph/data/seed-2019-02-21.ttl" in target.read_text(encoding="utf-8")
    result = invoke("export", "--format", "nt")
    assert result.exit_code == 0 and result.output.count(" .\n") > 1500


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["run", "duty-of"], 2, "Error: unknown named query 'duty-of'; did you mean duties-of?"),
        (["run", "duties-of"], 2, "Error: query 'duties-of' needs -p org VALUE"),
        (["run", "duties-of", "-p", "org", "不存在的单位"], 2, "Error: unknown organisation '不存在的单位'"),
        (["query", "SELECT ?x WHERE {"], 1, "Error: query:1:"),
        (["query", "DELETE WHERE { ?s ?p ?o }"], 1, "--allow-update"),
        (["query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"], 1, "--allow-network"),
        (["info", "--data", "missing.ttl"], 1, "Error: missing.ttl: no such file"),
        (["export", "-o", "no/such/dir/out.ttl"], 1, "does not exist"),
        (["render"], 2, "Missing option '-o'"),
        (["query", "x", "--format", "yaml"], 2, "Invalid value for '--format'"),
        (["extract", "doc.txt", "--review"], 2, "Error: the review queue sits beside an Oxigraph store"),
        (["extract", "doc.txt", "--review", "--merge", "--store", "oxigraph:db"], 2, "drop --merge and --data"),
        (["serve", "--review"], 2, "Error: the review queue sits beside an Oxigraph store, and the store is memory"),
        (["serve", "--review", "--data", "doc.ttl"], 2, "--review works on a --store"),
        (["run", "merges", "--store", "http://127.0.0.1:9/sparql"], 1, "Error: merges.rq: cannot reach the SPARQL"),
        (["query", "ASK {}", "--store", "http://127.0.0.1:9/sparql"], 1, "endpoint http://127.0.0.1:9/sparql (conn"),
    ],
)
def test_errors_are_one_line_with_documented_exit_codes(invoke, tmp_cwd, args, code, message):
    (tmp_cwd / "doc.txt").write_text("2020年5月6日,交通部科技司在南京召开联席会议。\n", encoding="utf-8")
    result = invoke(*args)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    if code == 1:
        assert len(result.output.strip().splitlines()) == 1


def test_build(invoke, tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("2020年5月6日,交通部科技司在南京召开联席会议。", encoding="utf-8")
    store = f"oxigraph:{tmp_path / 'db'}"
    first = invoke("build", str(tmp_path / "docs"), "--store", store)
    assert first.exit_code == 0 and "a.txt: added" in first.output and "1 document(s) built" in first.output
    second = invoke("build", str(tmp_path / "docs"), "--store", store)
    assert second.exit_code == 0 and "a.txt: unchanged" in second.output
    (tmp_path / "docs" / "a.txt").write_text("2020年5月7日,交通部科技司在南京召开联席会议。", encoding="utf-8")
    changed = invoke("build", str(tmp_path / "docs"), "--store", store)
    assert changed.exit_code == 2 and "rerun" not in changed.output and "--replace" in changed.output
    assert len(changed.output.strip().splitlines()) == 1
    assert "replaced" in invoke("build", str(tmp_path / "docs"), "--store", store, "--replace").output
    missing = invoke("build", str(tmp_path / "nowhere"), "--store", store)
    assert missing.exit_code == 1 and "no such file or folder" in missing.output


def test_matrix(invoke):
    result = invoke("matrix", "--rows", "type", "--columns", "year")
    assert result.exit_code == 0 and "industry-association" in result.output and "2019" in result.output
    assert json.loads(invoke("matrix", "--format", "json").output)["by"] == ["organisation", "category"]


def test_timeline(invoke, tmp_path):
    result = invoke("timeline", "中安协")
    # 2018 and 2023 convened, 2019 attended, 31 duties, 8 posts held by its people
    assert result.exit_code == 0 and "attended" in result.output and "(42 rows)" in result.output
    page = tmp_path / "t.html"
    assert invoke("timeline", "中安协", "--format", "html", "-o", str(page)).exit_code == 0
    assert "timeline-data" in page.read_text(encoding="utf-8")
    refused = invoke("timeline", "中安协", "--format", "html")
    assert refused.exit_code == 2 and "-o FILE.html" in refused.output


def test_diff(invoke, tmp_path):
    result = invoke("diff", "2018", "2019")
    assert result.exit_code == 0 and result.output.startswith("2018 → 2019")
    assert "new duties (" in result.output
    orggraph_file = tmp_path / "a.ttl"
    assert invoke("export", "--format", "ttl", "-o", str(orggraph_file)).exit_code == 0
    edited = tmp_path / "b.ttl"
    text = orggraph_file.read_text(encoding="utf-8")
    edited.write_text(text.replace("聚焦重点工作", "聚焦新的重点工作"), encoding="utf-8")
    versions = invoke("diff", str(orggraph_file), str(edited))
    assert versions.exit_code == 0 and "聚焦新的重点工作" in versions.output and "recurring duties (" in versions.output
    unknown = invoke("diff", "没有这个会议", "2019")
    assert unknown.exit_code == 2 and "没有这个会议" in unknown.output
    assert len(unknown.output.strip().splitlines()) == 1


def test_parse_error_reports_file_line_column(invoke, tmp_cwd):
    (tmp_cwd / "bad.ttl").write_text("@prefix ex: <http://ex/> .\nex:a ex:b .\n", encoding="utf-8")
    result = invoke("validate", "--data", "bad.ttl")
    assert result.exit_code == 1 and result.output.startswith("Error: bad.ttl:2:")


def test_every_command_has_help(invoke):
    for name, command in cli.commands.items():
        result = invoke(name, "--help")
        assert result.exit_code == 0, name
        assert command.help and "Example:" in result.output, name


def test_module_entry_point_and_light_help():
    result = subprocess.run([sys.executable, "-m", "orggraph", "--version"], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "orggraph, version 0.1.0"
    probe = (
        "import sys, orggraph.cli; from click.testing import CliRunner; "
        "CliRunner().invoke(orggraph.cli.cli, ['--help']); "
        "print(sorted(m for m in ('rdflib', 'pyvis', 'networkx', 'pyshacl') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    probe = (
        "import sys, orggraph; print(sorted(m for m in ('rdflib', 'pyvis', 'networkx', 'pyshacl') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def _modules_after(*args: str) -> tuple[str, list[str]]:
    """The output of ``orggraph ARGS`` run in a process of its own, and the heavy modules it imported."""
    probe = (
        "import sys, orggraph.cli; from click.testing import CliRunner; "
        f"result = CliRunner().invoke(orggraph.cli.cli, {list(args)!r}); "
        "assert result.exit_code == 0, result.output; print(result.output, end=''); "
        "print(sorted(m for m in ('rdflib', 'pyvis', 'networkx', 'pyshacl') if m in sys.modules), file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return result.stdout, ast.literal_eval(result.stderr.strip().splitlines()[-1])


def test_read_only_queries_on_oxigraph_import_no_rdflib(tmp_path):
    spec = f"oxigraph:{tmp_path / 'db'}"
    load_files(spec, data_files())
    load_graph(prebuilt=True)  # the bundled graph's copy, as the first command after install writes it
    output, modules = _modules_after("query", "--store", spec, "--format", "csv", _CSPIA)
    assert output.splitlines() == ["o", "https://w3id.org/orggraph/id/cspia"] and modules == []
    output, modules = _modules_after("query", _CSPIA)
    assert output.splitlines()[-2:] == ["ogr:cspia", "(1 row)"] and modules == []
    output, modules = _modules_after("run", "duties-of", "-p", "org", "中安协", "--format", "json")
    assert len(json.loads(output)["results"]["bindings"]) == 31 and modules == []
    _modules_after("info")  # computes the summary and keeps it
    output, modules = _modules_after("info")
    assert "named graph(s)" in output.splitlines()[0] and modules == []
    # the formats Oxigraph does not write take the general path, with rdflib
    output, modules = _modules_after("query", "--store", spec, "--format", "jsonl", _CSPIA)
    assert output == '{"o": "https://w3id.org/orggraph/id/cspia"}\n' and modules == ["rdflib"]


_CSPIA = 'SELECT DISTINCT ?o WHERE { ?o skos:altLabel "中安协"@zh-Hans }'


def test_read_only_queries_on_an_endpoint_import_no_rdflib():
    with running() as (url, _process):
        endpoint = f"{url}sparql"
        output, modules = _modules_after("run", "duties-of", "-p", "org", "中安协", "--store", endpoint)
        assert output.splitlines()[-1] == "(31 rows)" and modules == []
        output, modules = _modules_after("query", "--store", endpoint, "--format", "csv", _CSPIA)
        assert output.splitlines() == ["o", "https://w3id.org/orggraph/id/cspia"] and modules == []
        # a graph is written by the general path, with rdflib
        output, modules = _modules_after(
            "query", "--store", endpoint, "--format", "ttl", "CONSTRUCT WHERE { ogr:cspia a ?t }"
        )
        assert "ogr:cspia" in output and modules == ["rdflib"]


def test_render_with_focus_types_and_duties_as_edges(invoke, tmp_path):
    target = tmp_path / "focus.html"
    result = invoke(
        "render", "-o", str(target), "--focus", "科信局", "--depth", "1", "--duties", "edges", "--lang", "en"
    )
    assert result.exit_code == 0 and "(13 nodes," in result.output
    chart = tmp_path / "chart.html"
    result = invoke(
        "render", "-o", str(chart), "--types", "government-agency,internal-division", "--relations", "unit of"
    )
    assert result.exit_code == 0 and "(30 nodes, 2 edges)" in result.output
    result = invoke("render", "-o", str(chart), "--types", "lab")
    assert result.exit_code == 2 and "unknown node type 'lab'" in result.output


def test_render_refuses_a_view_above_max_nodes_and_writes_nothing(invoke, tmp_path):
    target = tmp_path / "all.html"
    result = invoke("render", "-o", str(target), "--max-nodes", "20")
    assert result.exit_code == 2 and "more than --max-nodes 20; narrow it with --focus" in result.output
    assert not target.exists()
    result = invoke("render", "-o", str(target), "--focus", "科信局", "--depth", "1", "--max-nodes", "60")
    assert result.exit_code == 0 and target.exists()


def test_export_network_formats(invoke, tmp_path):
    target = tmp_path / "net.gexf"
    result = invoke("export", "--format", "gexf", "-o", str(target))
    assert result.exit_code == 0 and "<gexf" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"], 1, "pass --allow-network"),
        (["query", "DELETE WHERE { ?s ?p ?o }"], 1, "pass --allow-update to change the data"),
        (["render", "-o", "x.html", "--duties", "edges", "--max-nodes", "2"], 2, "more than --max-nodes 2"),
        (["run", "nothing-like-this"], 2, "`orggraph queries` lists them"),
        (["load", "x.ttl"], 2, "`orggraph load` needs a persistent store: --store oxigraph:PATH"),
    ],
)
def test_library_errors_name_the_options_that_fix_them(invoke, tmp_cwd, monkeypatch, args, code, message):
    monkeypatch.delenv("ORGGRAPH_STORE", raising=False)
    result = invoke(*args)
    assert result.exit_code == code and message in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1


def test_verbose_says_which_store_was_opened(invoke, monkeypatch):
    result = invoke("-v", "info")
    assert result.exit_code == 0 and "orggraph: reading the prebuilt copy" in result.output
    assert "prebuilt" not in invoke("info").output
    monkeypatch.setenv("ORGGRAPH_CACHE_DIR", "off")
    result = invoke("-v", "info")
    assert result.exit_code == 0 and "orggraph: opening the store memory" in result.output
