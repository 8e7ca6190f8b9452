"""The review desk in headless Chromium, as a reviewer uses it: say who reviews, accept one
candidate, reject one, edit one, merge one; reload and find every decision kept, in the desk
and in the graph; nothing is fetched from outside the app."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import app_only_page, running
from test_review import QUEUED, extract_for_review
from test_server import get

from orggraph.resources import data_files
from orggraph.store.loading import load_files

COMMITTEE = "广东省视频监控标准化技术委员会"
BUREAU = "广东省质量技术监督局"
MEETING = "广东省视频监控标准化技术委员会成立大会暨第一届第一次全体工作会议"
DUTY = "全省视频监控领域的标准化技术工作"


@pytest.fixture(scope="module")
def site(tmp_path_factory, corpus_dir: Path) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("desk-browser")
    spec = f"oxigraph:{folder / 'db'}"
    load_files(spec, [path for path in data_files() if path.name.startswith("seed-")], optimize=False)
    assert extract_for_review(spec, corpus_dir / QUEUED).returncode == 0
    with running("--store", spec, "--review") as (url, _):
        yield url


def item(page, described: str):
    """The section of the desk item described as ``kind name``."""
    kind, name = described.split(" ", 1)
    return page.locator(f'section.item[data-kind="{kind}"][data-name="{name}"]')


def submit(page, button) -> None:
    """Click a form's button and wait for the desk page the decision redirects to."""
    with page.expect_navigation():
        button.click()


def test_accept_reject_edit_and_merge_then_reload(browser, site):
    context, page, outside, errors = app_only_page(browser, site, 900)
    page.goto(f"{site}review")
    page.click(f"text={QUEUED}")
    page.wait_for_url(re.compile(r"/review/doc\?key="))
    assert page.locator("button:text-is('Accept')").count() == 0  # nobody said who reviews yet
    page.fill("input[name=reviewer]", "王芳")
    submit(page, page.locator("text=Start reviewing"))
    committee = item(page, f"organisation {COMMITTEE}")
    assert committee.locator("mark").first.inner_text().replace("(shù)", "").replace("(huì )", "")

    submit(page, committee.locator("button:text-is('Accept')"))
    submit(page, item(page, f"meeting {MEETING}").locator("button:text-is('Reject')"))
    duty = item(page, f"duty {DUTY}")
    duty.locator("details.edit summary").click()
    duty.locator("input[name=year]").fill("2017")
    duty.locator("select[name=category]").select_option(value="https://w3id.org/orggraph/ns/duty-category/coordination")
    submit(page, duty.locator("text=Save and accept"))
    submit(page, item(page, f"organisation {BUREAU}").locator("button:text-is('Accept')"))
    short = item(page, "organisation 省质监局")
    short.locator("details.merge summary").click()
    short.locator("input[name=target]").fill(BUREAU)
    submit(page, short.locator("button:text-is('Merge')"))

    page.reload()
    outcomes = {
        name: item(page, name).locator(".outcome").inner_text()
        for name in (
            f"organisation {COMMITTEE}",
            f"meeting {MEETING}",
            f"duty {DUTY}",
            f"organisation {BUREAU}",
            "organisation 省质监局",
        )
    }
    assert outcomes[f"organisation {COMMITTEE}"].startswith("accepted by 王芳 at ")
    assert outcomes[f"meeting {MEETING}"].startswith("rejected by 王芳")
    assert outcomes[f"duty {DUTY}"].startswith("edited by 王芳")
    assert outcomes[f"organisation {BUREAU}"].startswith("accepted by 王芳")
    assert outcomes["organisation 省质监局"].startswith(f"merged into {BUREAU} by 王芳")
    context.close()
    assert outside == [] and errors == []

    # the graph holds what was decided: the edited duty, the merged alias, the PROV records
    duty_rows = get(
        site,
        f'SELECT ?year ?c WHERE {{ ?d skos:prefLabel "{DUTY}"@zh-Hans ; og:period ?year ; og:category ?c }}',
        "text/csv",
    )[2]
    assert duty_rows.splitlines()[1:] == ["2017,https://w3id.org/orggraph/ns/duty-category/coordination"]
    merged = f'ASK {{ ?b skos:prefLabel "{BUREAU}"@zh-Hans ; skos:altLabel "省质监局"@zh-Hans }}'
    assert get(site, merged, "application/json")[2].endswith("true}")
    who = get(
        site,
        'SELECT (COUNT(*) AS ?n) WHERE { ?d a og:ReviewDecision ; prov:wasAssociatedWith [ rdfs:label "王芳" ] }',
        "text/csv",
    )[2]
    assert who.splitlines()[1] == "5"
