"""The review desk over HTTP, as `orggraph extract --review` and `orggraph serve --review` set it
up: every refusal (stale or foreign form, malformed post, oversized body, decision sent twice)
gets its 4xx and leaves the store as it was."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import running
from test_server import FORM, announce_oversized, ask, get

from orggraph.resources import data_files
from orggraph.store.loading import load_files

QUEUED = "gd-video-stdcomm-2016-06-03.txt"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
EVIL = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>"


def extract_for_review(spec: str, *documents: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "orggraph", "extract", *map(str, documents), "--store", spec, "--review"]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def desk(tmp_path_factory, corpus_dir: Path) -> Iterator[tuple[str, str]]:
    """(server URL, queued document key) of a desk over the seed document's store."""
    folder = tmp_path_factory.mktemp("desk")
    spec = f"oxigraph:{folder / 'db'}"
    load_files(spec, [path for path in data_files() if path.name.startswith("seed-")], optimize=False)
    evil = folder / "evil.txt"
    evil.write_text(f"2020年5月6日,交通部科技司在南京召开联席会议。\n{EVIL}\n", encoding="utf-8")
    done = extract_for_review(spec, corpus_dir / QUEUED, evil)
    assert done.returncode == 0, done.stderr
    assert f"queued {QUEUED}: " in done.stderr and "orggraph serve --store" in done.stderr
    with running("--store", spec, "--review", "--corpus", str(corpus_dir)) as (url, _):
        overview = ask(f"{url}review")[2]
        key = re.search(r'href="/review/doc\?key=([0-9a-f]{16})">' + re.escape(QUEUED), overview)
        assert key, overview
        yield url, key.group(1)


def statements(url: str) -> int:
    return int(get(url, COUNT, "text/csv")[2].splitlines()[1])


def page_of(url: str, key: str) -> str:
    return ask(f"{url}review/doc?key={key}", headers={"Cookie": "orggraph_reviewer=Ann%20Li"})[2]


def token_of(url: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', ask(f"{url}review")[2])
    assert found
    return found.group(1)


def post(url: str, fields: dict[str, str], *, headers: dict[str, str] | None = None) -> tuple[int, str, str]:
    sent = {**FORM, "Cookie": "orggraph_reviewer=Ann%20Li", **(headers or {})}
    return ask(f"{url}review/decide", data=urllib.parse.urlencode(fields).encode(), headers=sent)


def candidate(page: str, name: str) -> str:
    """The IRI of the item called ``name`` on a desk page."""
    section = re.search(
        r'<section class="item"[^>]*>\s*<h3><span class="kind">\w+</span> ' + re.escape(name) + r"<", page
    )
    assert section, name
    found = re.search(r'name="candidate" value="([^"]+)"', page[section.end() :])
    assert found
    return found.group(1)


def test_the_overview_lists_the_queued_documents_with_their_counts(desk):
    url, _ = desk
    status, kind, page = ask(f"{url}review")
    assert status == 200 and kind.startswith("text/html")
    assert re.search(rf"{re.escape(QUEUED)}</a></td><td>\d+</td><td>\d+</td>", page)
    assert "Start reviewing" in page  # no reviewer yet: the page asks who reviews


def test_the_desk_says_what_validation_would_report_and_offers_the_edit_that_mends_it(desk):
    url, key = desk
    page = page_of(url, key)
    item = r'<section class="item" [^>]*data-kind="(\w+)"[^>]*>(?:(?!</section>).)*class="problems"'
    flagged = re.findall(item, page, re.S)
    assert flagged == ["meeting"]
    assert "schema:organizer: a meeting needs a schema:organizer (its convener)" in page
    meeting = re.search(r'<section class="item" [^>]*data-kind="meeting".*?</section>', page, re.S)
    assert meeting and '<label>convened by <select name="assignee" multiple' in meeting.group(0)


def test_a_decision_redirects_back_and_a_second_one_is_a_conflict(desk):
    url, key = desk
    chosen = candidate(page_of(url, key), "广州市计量检测技术研究院")
    fields = {"csrf": token_of(url), "key": key, "candidate": chosen, "outcome": "accepted"}
    status, _, _ = post(url, fields)
    assert status == 200  # urllib followed the 303 back to the desk
    before = statements(url)
    status, _, body = post(url, fields)  # the same form, sent again
    assert status == 409 and "was accepted already, by Ann Li" in body
    assert statements(url) == before


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"csrf": "forged"}, 403, "out of date or from elsewhere"),
        ({"csrf": None}, 403, "out of date or from elsewhere"),
        ({"key": "../../etc/passwd"}, 400, "names no queued document"),
        ({"key": "0123456789abcdef"}, 400, "no document 0123456789abcdef"),
        ({"candidate": ""}, 400, "no candidate"),
        ({"candidate": "https://w3id.org/orggraph/id/mps"}, 400, "not a candidate of"),
        ({"outcome": "approved"}, 400, "not a review decision"),
        ({"outcome": "edited", "year": "2017"}, 400, "or an achievement, not for this organisation"),
        ({"outcome": "merged", "target": "没有这个单位"}, 400, "没有这个单位"),
    ],
)
def test_a_malformed_decision_is_refused_and_changes_nothing(desk, change, status, message):
    url, key = desk
    chosen = candidate(page_of(url, key), "珠海市安防协会")
    fields = {"csrf": token_of(url), "key": key, "candidate": chosen, "outcome": "accepted"}
    fields.update({name: value for name, value in change.items() if value is not None})
    for name in [name for name, value in change.items() if value is None]:
        del fields[name]
    before = statements(url)
    answer = post(url, fields)
    assert answer[0] == status and message in answer[2], answer
    assert statements(url) == before


def test_posts_of_another_kind_size_or_origin_are_refused(desk):
    url, key = desk
    fields = {"csrf": token_of(url), "key": key, "candidate": "x", "outcome": "accepted"}
    body = urllib.parse.urlencode(fields).encode()
    before = statements(url)
    as_json = ask(f"{url}review/decide", data=b'{"outcome": "accepted"}', headers={"Content-Type": "application/json"})
    assert as_json[0] == 415
    assert announce_oversized(url, "/review/decide")[0] == 413
    twice = ask(f"{url}review/decide", data=body + b"&outcome=rejected", headers=FORM)
    assert twice[0] == 400 and "sent 2 times" in twice[2]
    foreign = post(url, fields, headers={"Origin": "https://elsewhere.example"})
    assert foreign[0] == 403 and "another site" in foreign[2]
    nobody = ask(f"{url}review/decide", data=body, headers=FORM)  # no reviewer cookie
    assert nobody[0] == 400 and "who reviews" in nobody[2]
    assert ask(f"{url}review/decide")[0] == 405
    assert statements(url) == before


def test_the_reviewer_name_is_kept_in_a_strict_cookie(desk):
    url, _ = desk
    import urllib.request

    class Keep(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *arguments, **options):
            return None

    request = urllib.request.Request(
        f"{url}review/reviewer",
        data=urllib.parse.urlencode({"csrf": token_of(url), "reviewer": "王 芳", "back": "/review"}).encode(),
        headers=FORM,
    )
    try:
        urllib.request.build_opener(Keep).open(request, timeout=30)
    except urllib.error.HTTPError as answer:
        assert answer.code == 303 and answer.headers["location"] == "/review"
        cookie = answer.headers["set-cookie"]
        assert "orggraph_reviewer=%E7%8E%8B%20%E8%8A%B3" in cookie and "samesite=strict" in cookie.lower()
        assert "httponly" in cookie.lower()
    else:
        raise AssertionError("no redirect")
    elsewhere = {"csrf": token_of(url), "reviewer": "x", "back": "https://elsewhere.example/"}
    refused = ask(f"{url}review/reviewer", data=urllib.parse.urlencode(elsewhere).encode(), headers=FORM)
    assert refused[0] == 400


def test_hostile_text_in_a_queued_document_is_inert(desk):
    url, _ = desk
    overview = ask(f"{url}review")[2]
    keys = re.findall(r'href="/review/doc\?key=([0-9a-f]{16})">evil.txt', overview)
    assert keys
    page = page_of(url, keys[0])
    assert "<script>alert" not in page and "<img src=x" not in page and "&lt;script&gt;" in page
    text = ask(f"{url}review/text?key={keys[0]}&start=0&end=5")[2]
    assert "<script>alert" not in text and "&lt;script&gt;" in text


def test_desk_pages_refuse_what_they_cannot_show(desk):
    url, _ = desk
    assert ask(f"{url}review/doc?key=../x")[0] == 400
    assert ask(f"{url}review/doc?key=0123456789abcdef")[0] == 404
    assert ask(f"{url}review/text?key=0123456789abcdef&start=0&end=1")[0] == 404


def test_the_desk_is_closed_unless_the_server_was_started_for_it(tmp_path):
    with running() as (url, _):
        assert ask(f"{url}review")[0] == 404
        assert ask(f"{url}review/decide", data=b"a=b", headers=FORM)[0] == 404


def test_a_pasted_document_joins_the_queue(desk):
    url, _ = desk
    text = "2021年3月4日,青松县林业局在县城召开护林防火工作会议,要求各乡镇做好2021年防火工作。"
    fields = {"csrf": token_of(url), "name": "pasted-notice.txt", "text": text}
    status, _, page = ask(f"{url}review/queue", data=urllib.parse.urlencode(fields).encode(), headers=FORM)
    assert status == 200 and "<h1>pasted-notice.txt</h1>" in page  # followed to its desk page
    assert 'data-name="青松县林业局"' in page
    overview = ask(f"{url}review")[2]
    assert "pasted-notice.txt</a>" in overview
    # once a candidate of it is accepted, its document page shows the passage, though it was
    # queued after the server started
    key = re.search(r'href="/review/doc\?key=([0-9a-f]{16})">pasted-notice.txt', overview).group(1)
    chosen = candidate(page_of(url, key), "青松县林业局")
    accepted = post(url, {"csrf": token_of(url), "key": key, "candidate": chosen, "outcome": "accepted"})
    assert accepted[0] == 200
    status, _, document = ask(f"{url}doc?name=pasted-notice.txt")
    assert status == 200 and 'title="青松县林业局">青松县林业局</mark>' in document


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"name": "../../etc/passwd", "text": "x"}, 400, "without folders"),
        ({"name": "a.txt", "text": "  "}, 400, "empty"),
        ({"name": "a.txt", "text": "x", "csrf": "forged"}, 403, "out of date"),
    ],
)
def test_a_bad_paste_is_refused(desk, fields, status, message):
    url, _ = desk
    before = ask(f"{url}review")[2]
    sent = {"csrf": token_of(url), **fields}
    answer = ask(f"{url}review/queue", data=urllib.parse.urlencode(sent).encode(), headers=FORM)
    assert answer[0] == status and message in answer[2], answer
    assert ask(f"{url}review")[2] == before
