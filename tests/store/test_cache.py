from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

from orggraph.cli import cli
from orggraph.store.cache import cache_folder, cached, fingerprint


def _store_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    folder.mkdir()
    (folder / "000001.sst").write_text("data")
    return folder


def test_an_entry_is_reused_until_the_store_changes(tmp_path):
    store, entries = _store_folder(tmp_path), tmp_path / "entries"
    calls: list[int] = []

    def compute() -> list[int]:
        calls.append(1)
        return [len(calls)]

    assert cached("names", store, compute, directory=entries) == [1]
    assert cached("names", store, compute, directory=entries) == [1]
    assert len(calls) == 1
    with (store / "000001.sst").open("a") as appended:  # RocksDB appends: the size changes
        appended.write("more")
    assert cached("names", store, compute, directory=entries) == [2]
    (store / "000002.log").write_text("")  # a new file, even an empty one
    assert cached("names", store, compute, directory=entries) == [3]
    assert cached("other", store, compute, directory=entries) == [4]  # kinds do not share entries


def test_a_store_written_while_it_is_read_is_not_cached(tmp_path):
    store, entries = _store_folder(tmp_path), tmp_path / "entries"

    def written_meanwhile() -> list[str]:
        (store / "000003.log").write_text("a write during the read")
        return ["half old"]

    assert cached("names", store, written_meanwhile, directory=entries) == ["half old"]
    assert not list(entries.glob("*.json")) if entries.exists() else True
    assert cached("names", store, lambda: ["fresh"], directory=entries) == ["fresh"]


def test_a_damaged_or_foreign_entry_is_read_afresh_and_replaced(tmp_path):
    store, entries = _store_folder(tmp_path), tmp_path / "entries"
    cached("names", store, lambda: [["a", "b"]], directory=entries)
    (entry,) = entries.glob("names-*.json")
    entry.write_text('{"key": ', encoding="utf-8")  # cut short
    assert cached("names", store, lambda: [["c", "d"]], directory=entries) == [["c", "d"]]
    stored = json.loads(entry.read_text(encoding="utf-8"))
    stored["value"] = [["x"]]  # the right key, a value of the wrong shape
    entry.write_text(json.dumps(stored), encoding="utf-8")
    shaped = cached("names", store, lambda: [["e", "f"]], valid=lambda rows: len(rows[0]) == 2, directory=entries)
    assert shaped == [["e", "f"]]
    assert json.loads(entry.read_text(encoding="utf-8"))["value"] == [["e", "f"]]


def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path):
    store = _store_folder(tmp_path)
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("")
    assert cached("names", store, lambda: [1], directory=blocked) == [1]
    assert cached("names", None, lambda: [2], directory=tmp_path / "entries") == [2]  # not an on-disk store
    assert not (tmp_path / "entries").exists()


def test_the_cache_folder_follows_the_environment(tmp_path):
    assert cache_folder({"ORGGRAPH_CACHE_DIR": "off"}) is None
    assert cache_folder({"ORGGRAPH_CACHE_DIR": str(tmp_path)}) == tmp_path
    assert cache_folder({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "orggraph"
    assert cache_folder({}) == Path.home() / ".cache" / "orggraph"
    before = fingerprint(tmp_path)
    os.utime(tmp_path / ".", None)  # the folder's own time is not the store's content
    assert fingerprint(tmp_path) == before


def test_extraction_sees_an_organisation_loaded_after_the_names_were_cached(tmp_path, own_cache_folder):
    # the names of a store are cached between runs; loading more into the store must show at once
    from orggraph.resources import data_files
    from orggraph.store.loading import load_files

    spec = f"oxigraph:{tmp_path / 'db'}"
    load_files(spec, data_files())
    document = tmp_path / "news.txt"
    document.write_text("2021年3月1日,中安协与星河安防联盟在北京召开座谈会。\n", encoding="utf-8")
    runner = CliRunner()

    def organisations() -> set[str]:
        done = runner.invoke(cli, ["extract", str(document), "--store", spec], catch_exceptions=False)
        assert done.exit_code == 0, done.output
        return {entity["name"] for entity in json.loads(done.stdout)["entities"] if entity["type"] == "organisation"}

    def candidates() -> str:
        done = runner.invoke(
            cli, ["extract", str(document), "--store", spec, "--format", "trig"], catch_exceptions=False
        )
        assert done.exit_code == 0, done.output
        return done.stdout

    assert "星河安防联盟" not in organisations()
    assert "星河安防联盟" not in organisations()  # now from the cache
    assert "ogr:cspia" in candidates() and "ogr:cspia" in candidates()  # the known IRI, then from the cache
    assert {path.name.rsplit("-", 1)[0] for path in own_cache_folder.glob("*.json")} >= {
        "organisation-gazetteer",
        "organisation-index",
    }
    addition = tmp_path / "alliance.ttl"
    addition.write_text(
        "@prefix org: <http://www.w3.org/ns/org#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<https://example.org/alliance> a org:FormalOrganization ; skos:prefLabel "星河安防联盟"@zh-Hans .\n',
        encoding="utf-8",
    )
    load_files(spec, [addition])
    assert "星河安防联盟" in organisations()
    assert "<https://example.org/alliance>" in candidates()


def test_a_file_removed_while_the_store_is_read_never_fails_a_run(tmp_path, monkeypatch):
    # RocksDB compaction deletes files under an open writer: the fingerprint sees them go
    from orggraph.store import cache

    store = tmp_path / "store"
    store.mkdir()
    (store / "000001.sst").write_text("x", encoding="utf-8")
    real_scandir = cache.os.scandir

    class Vanished:
        name = "000002.sst"

        def stat(self, follow_symlinks=True):
            raise FileNotFoundError(self.name)

    monkeypatch.setattr(cache.os, "scandir", lambda folder: [*real_scandir(folder), Vanished()])
    assert cache.cached("example", store, lambda: ["value"], directory=tmp_path / "entries") == ["value"]
    assert cache.fingerprint(store) != ""


def test_a_poisoned_names_entry_is_read_afresh_and_extraction_ends(tmp_path, own_cache_folder):
    # an empty name in a cached gazetteer once made extraction loop for ever
    from orggraph.extract.rules import KnownNames, extract
    from orggraph.graph.resolution import OrganisationNames
    from orggraph.resources import data_files
    from orggraph.store.backends import open_graph
    from orggraph.store.loading import load_files
    from orggraph.text.documents import document_from_text

    spec = f"oxigraph:{tmp_path / 'db'}"
    load_files(spec, [p for p in data_files() if p.name.startswith("seed-")], optimize=False)
    before = set(own_cache_folder.glob("organisation-gazetteer-*.json"))
    truth = OrganisationNames(open_graph(spec)).gazetteer
    (entry,) = set(own_cache_folder.glob("organisation-gazetteer-*.json")) - before
    stored = json.loads(entry.read_text(encoding="utf-8"))
    stored["value"] = {"": "", **stored["value"]}
    entry.write_text(json.dumps(stored, ensure_ascii=False), encoding="utf-8")
    assert OrganisationNames(open_graph(spec)).gazetteer == truth  # the poisoned entry is not believed
    known = KnownNames({"": "", "公安部": "公安部"})
    result = extract(document_from_text("2020年5月6日,公安部在北京召开会议。"), known_names=known)
    assert any(f.name == "公安部" for f in result.findings)
