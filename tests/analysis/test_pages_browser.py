"""The heatmap and timeline pages opened in headless Chromium as a person would: offline, via file://."""

from __future__ import annotations

import pytest

from orggraph.analysis.matrix import matrix
from orggraph.graph.passages import corpus_folders

pytestmark = pytest.mark.browser


def _open(browser, path):
    """Open ``path`` offline; return the context, the page, what it requested and its errors."""
    context = browser.new_context()
    requests: list[str] = []
    errors: list[str] = []

    def route(request_route):
        requests.append(request_route.request.url)
        if request_route.request.url.startswith("file:"):
            request_route.continue_()
        else:
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.resolve().as_uri())
    page.wait_for_function("() => document.body.dataset.drawn === 'true'", timeout=30_000)
    return context, page, requests, errors


HOSTILE = '</script><img src=x onerror="window.__pwned=1">'  # a label that must stay text


def test_the_heatmap_draws_offline_and_a_click_lists_duties_with_passages(browser, bundled, tmp_path, corpus_dir):
    graph = bundled
    result = matrix(graph)
    result.add_passages(graph, corpus_folders([corpus_dir]))
    # a hostile label must stay text
    result.rows.append(HOSTILE)
    result.cells[(HOSTILE, result.columns[0])] = [{"duty": "x", "task_zh_hans": HOSTILE, "document": HOSTILE}]
    page_file = tmp_path / "matrix.html"
    page_file.write_text(result.html(), encoding="utf-8")
    context, page, requests, errors = _open(browser, page_file)
    assert [url for url in requests if not url.startswith("file:")] == []
    assert errors == []
    cell = page.locator('td.cell[data-row="中国安全防范产品行业协会"][data-column="political-guidance"]')
    colour = cell.evaluate("node => getComputedStyle(node).backgroundColor")
    assert colour != "rgb(255, 255, 255)"
    cell.click()
    items = page.locator("#duties li")
    assert items.count() == result.count("中国安全防范产品行业协会", "political-guidance")
    assert page.locator("#duties .passage").count() > 0  # source passages quoted from the corpus
    assert page.locator("#legend canvas").count() == 1
    page.locator(f'td.cell[data-column="{result.columns[0]}"]').last.click()
    assert page.evaluate("() => window.__pwned") is None
    assert HOSTILE in page.locator("#duties").inner_text()
    context.close()


def test_the_timeline_page_draws_offline_and_a_click_shows_a_meeting(browser, bundled, tmp_path):
    from orggraph.analysis.timeline import timeline_html

    page_file = tmp_path / "timeline.html"
    page_file.write_text(timeline_html(bundled, "中安协"), encoding="utf-8")
    context, page, requests, errors = _open(browser, page_file)
    assert [url for url in requests if not url.startswith("file:")] == [] and errors == []
    assert page.locator("button.meeting").count() == 3  # 2018, 2019 and 2023
    page.locator("button.meeting").nth(1).click()  # on the time axis, 2019 comes second
    assert "联席会议" in page.locator("#meeting-heading").inner_text()
    assert page.locator("#attendees li").count() == 11  # the convener, the speaker and the attendees
    assert page.locator("#assigned li").count() > 20
    context.close()


def test_a_hostile_label_stays_text_on_the_timeline(browser, tmp_path):
    from orggraph.analysis.timeline import _TEMPLATE
    from orggraph.text.escaping import script_safe_json

    payload = {
        "organisation": HOSTILE,
        "meetings": [
            {
                "meeting": "x",
                "name": HOSTILE,
                "date": "2020-01-01",
                "role": "convened",
                "place": HOSTILE,
                "document": "",
                "attendees": [{"name": HOSTILE, "role": ""}],
                "duties": [{"organisation": HOSTILE, "task": HOSTILE}],
            }
        ],
        "years": {"2020": {"duty": 1}},
    }
    page_file = tmp_path / "hostile.html"
    page_file.write_text(
        _TEMPLATE.read_text(encoding="utf-8").replace("/*TIMELINE_JSON*/", script_safe_json(payload)), encoding="utf-8"
    )
    context, page, _, _ = _open(browser, page_file)
    page.locator("button.meeting").first.click()
    assert page.evaluate("() => window.__pwned") is None
    assert HOSTILE in page.locator("#side").inner_text()
    context.close()
