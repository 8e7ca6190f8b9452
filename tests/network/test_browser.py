"""Generated pages opened in headless Chromium as a person would: offline, via file://.

Needs Debian's chromium (and fonts-wqy-microhei) and the playwright package; with CI=true a
missing browser fails these tests instead of skipping them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import orggraph
from orggraph.namespaces import OGR
from orggraph.network.projection import to_networkx
from orggraph.network.rendering import write_html

pytestmark = pytest.mark.browser

HOSTILE_TURTLE = """
@prefix org:  <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ogt:  <https://w3id.org/orggraph/ns/org-type/> .
@prefix ex:   <https://example.org/> .
ex:img a org:FormalOrganization ; org:classification ogt:industry-association ;
    skos:prefLabel "<img src=x onerror=\\"window.__pwned='img'\\">"@zh-Hans ;
    skos:altLabel "<svg onload=\\"window.__pwned='svg'\\"></svg>"@en .
ex:script a org:FormalOrganization ; org:classification ogt:standards-committee ;
    skos:prefLabel "</script><script>window.__pwned='script'</script>"@zh-Hans .
ex:href a org:FormalOrganization ; org:classification ogt:testing-centre ;
    skos:prefLabel "see <a href=\\"javascript:window.__pwned='href'\\">href</a> here"@zh-Hans ;
    org:subOrganizationOf ex:img , ex:script .
"""


class Page:
    """An opened page with what it tried to fetch and what it complained about."""

    def __init__(self, browser, path: Path) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function(
            "() => document.body.dataset.drawn === 'true' && document.body.dataset.stable === 'true'", timeout=60_000
        )

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith("file:") or url.startswith("data:"):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def js(self, expression: str):
        return self.page.evaluate(expression)

    def shown(self) -> int:
        return int(self.js("document.body.dataset.shownNodes"))

    def node_point(self, node_id: str) -> tuple[float, float]:
        point = self.js(f"""(() => {{
            const n = window.orggraph.network;
            const p = n.canvasToDOM(n.getPositions([{json.dumps(node_id)}])[{json.dumps(node_id)}]);
            const r = document.querySelector('#network canvas').getBoundingClientRect();
            return [r.left + p.x, r.top + p.y];
        }})()""")
        return point[0], point[1]

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def seed_page(browser, seed_graph, tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "seed.html"
    write_html(to_networkx(seed_graph), path, title="2019 联席会议")
    page = Page(browser, path)
    yield page
    page.close()


def test_seed_page_draws_everything_offline(seed_page):
    data = seed_page.js("window.orggraph.data")
    assert seed_page.js("window.orggraph.nodes.length") == len(data["nodes"]) == 50
    assert seed_page.js("window.orggraph.edges.length") == len(data["edges"]) == 145 - 23 * 3  # inherited: once
    assert seed_page.shown() == 50
    assert seed_page.requests == [] and seed_page.errors == []
    assert seed_page.js("document.title") == "2019 联席会议"
    coloured = seed_page.js("""(() => {
        const c = document.querySelector('#network canvas');
        const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < pixels.length; i += 4) {
            if (pixels[i + 3] > 0 && (pixels[i] < 200 || pixels[i + 2] < 200)) n++;
        }
        return n;
    })()""")
    assert coloured > 5000, "the canvas looks blank"


def test_legend_lists_the_types_with_colours(seed_page):
    legend = seed_page.js("[...document.querySelectorAll('#legend label')].map(l => l.textContent)")
    assert "industry association" in legend and "duty" in legend and "meeting" in legend


def test_search_matches_any_script_and_aliases(seed_page):
    page = seed_page.page
    for query, expected in (
        ("检测中心", OGR["mps-fri-testing-center"]),
        ("檢測中心", OGR["mps-tri-testing-center"]),
        ("中安协", OGR.cspia),
        ("cspia", OGR.cspia),
    ):
        page.fill("#search", query)
        assert 0 < seed_page.shown() < 50, query
        assert seed_page.js(f"window.orggraph.nodes.get({json.dumps(str(expected))}).hidden") is False, query
    page.fill("#search", "")
    assert seed_page.shown() == 50


def test_type_and_relation_filters(seed_page):
    page = seed_page.page
    page.uncheck("#legend input[data-kind='duty']")
    assert seed_page.shown() == 22
    page.check("#legend input[data-kind='duty']")
    assert seed_page.shown() == 50
    page.uncheck("#relations input[data-relation='sub-duty of']")
    hidden = seed_page.js("window.orggraph.edges.get({filter: e => e.hidden}).length")
    assert hidden == 23
    page.check("#relations input[data-relation='sub-duty of']")


def test_click_focuses_on_a_neighbourhood_and_reset(seed_page):
    page = seed_page.page
    centre = str(OGR["mps-fri"])
    x, y = seed_page.node_point(centre)
    page.mouse.click(x, y)
    page.wait_for_function("() => document.body.dataset.shownNodes !== '50'")
    neighbours = {str(OGR.mps), str(OGR["mps-fri-testing-center"]), centre}
    visible = set(seed_page.js("window.orggraph.nodes.get({filter: n => !n.hidden}).map(n => n.id)"))
    assert visible == neighbours
    page.click("#reset")
    assert seed_page.shown() == 50


def test_language_switch_changes_labels(seed_page):
    page = seed_page.page
    label = f"window.orggraph.nodes.get({json.dumps(str(OGR.cspia))}).label"
    assert seed_page.js(label).startswith("中国安全防范")
    page.select_option("#language", "zh-Hant")
    assert seed_page.js(label).startswith("中國安全防範")
    page.select_option("#language", "en")
    assert seed_page.js(label).startswith("China Security")
    page.select_option("#language", "zh-Hans")


def test_tooltip_shows_names_duty_text_and_source(seed_page):
    page = seed_page.page
    x, y = seed_page.node_point(str(OGR["duty-jm2019-3-3"]))
    page.mouse.move(x, y)
    page.wait_for_selector("div.vis-tooltip", state="visible")
    text = seed_page.js("document.querySelector('div.vis-tooltip').innerText")
    assert "国家工程实验室验收" in text and "國家工程實驗室驗收" in text and "year: 2019" in text
    assert "source: 2019-02-21-security-industry-joint-meeting.txt [" in text
    assert "assigned by: 公安部科技信息化局" in text
    page.mouse.move(5, 5)


def test_hostile_labels_execute_nothing(browser, tmp_path):
    data = tmp_path / "hostile.ttl"
    data.write_text(HOSTILE_TURTLE, encoding="utf-8")
    page_path = tmp_path / "hostile.html"
    network = to_networkx(orggraph.load_graph([data]))
    write_html(network, page_path, title="<img src=x onerror=\"window.__pwned='title'\">")
    page = Page(browser, page_path)
    try:
        assert page.js("window.orggraph.nodes.length") == 3
        for node in ("https://example.org/img", "https://example.org/script", "https://example.org/href"):
            x, y = page.node_point(node)
            page.page.mouse.move(x, y)
            page.page.wait_for_selector("div.vis-tooltip", state="visible")
            page.page.mouse.click(x, y)
            page.page.click("#reset")
        page.page.fill("#search", "href")
        page.page.select_option("#language", "en")
        page.page.wait_for_timeout(300)
        assert page.js("window.__pwned") is None
        assert page.dialogs == [] and page.errors == [] and page.requests == []
        assert page.js("document.querySelectorAll('#page img, #page svg, #page a').length") == 0
        assert page.js("document.getElementById('heading').textContent").startswith("<img src=x")
    finally:
        page.close()


def test_duties_as_edges_page(browser, seed_graph, tmp_path):
    from orggraph.network.views import select_view

    network = select_view(to_networkx(seed_graph), duties="edges")
    path = write_html(network, tmp_path / "edges.html", language="en")
    page = Page(browser, path)
    try:
        duty_edges = page.js(
            "window.orggraph.edges.get({filter: e => e.label && e.title && e.title.startsWith('duty')})"
        )
        assert len(duty_edges) == 5
        assert page.errors == [] and page.requests == []
    finally:
        page.close()


def test_a_large_graph_draws_without_physics(browser, tmp_path):
    import networkx as nx

    tree = nx.random_labeled_tree(3000, seed=3)
    network = nx.MultiDiGraph()
    for node in tree.nodes:
        network.add_node(f"urn:n:{node}", kind="organisation", labels={"en": f"unit {node}"}, curie=f"n{node}")
    for u, v in tree.edges:
        network.add_edge(f"urn:n:{u}", f"urn:n:{v}", relation="part of")
    path = write_html(network, tmp_path / "large.html")
    page = Page(browser, path)
    try:
        assert page.js("window.orggraph.data.physics") is False
        assert page.js("window.orggraph.nodes.length") == 3000 and page.errors == []
    finally:
        page.close()
