"""`orggraph serve` in headless Chromium, as an analyst uses it: search → organisation page →
a source passage highlighted in its document; nothing is fetched from outside the app."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator

import pytest
from helpers import app_only_page, running


@pytest.fixture(scope="module")
def site(corpus_dir) -> Iterator[str]:
    with running("--corpus", str(corpus_dir)) as (url, _):
        yield url


def test_search_to_an_organisation_to_its_highlighted_passage(browser, site):
    context, page, outside, errors = app_only_page(browser, site, 800)
    page.goto(site)
    page.fill("input[type=search]", "中國安全防范產品行業協會")
    page.press("input[type=search]", "Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    page.click("text=中国安全防范产品行业协会")
    page.wait_for_url(re.compile(r"/org\?"))
    assert page.inner_text("h1") == "中国安全防范产品行业协会"
    assert page.locator("text=提升政治站位").count() >= 1
    page.click("a[href*='start=818']")
    page.wait_for_url(re.compile(r"/doc\?"))
    passage = page.locator("#passage")
    assert passage.inner_text() == "中安協" and "selected" in (passage.get_attribute("class") or "")
    box, height = passage.bounding_box(), page.viewport_size["height"]
    assert box is not None and 0 <= box["y"] <= height  # scrolled to
    page.goto(f"{site}graph?{urllib.parse.urlencode({'iri': 'https://w3id.org/orggraph/id/cspia'})}")
    page.wait_for_function("() => document.body.dataset.drawn === 'true'", timeout=60_000)
    assert int(page.evaluate("document.body.dataset.shownNodes")) > 5
    context.close()
    assert outside == [] and errors == []
