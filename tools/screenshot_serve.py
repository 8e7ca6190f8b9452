"""Take the screenshots of `orggraph serve` that docs/serve.md shows, in headless Chromium: an
organisation page of the bundled graph and, given the corpus folder, the review desk (a real
corpus document's candidates queued against a store of the seed document's graph, one accepted).

Run:  python tools/screenshot_serve.py [CORPUS_DIR]   (writes docs/serve-organisation.png and,
      with CORPUS_DIR, docs/serve-review.png)
"""

from __future__ import annotations

import contextlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ORGANISATION = "https://w3id.org/orggraph/id/cspia"
QUEUED = "gd-video-stdcomm-2016-06-03.txt"
DOCS = Path(__file__).resolve().parents[1] / "docs"


@contextlib.contextmanager
def serving(*options: str) -> Iterator[str]:
    """`orggraph serve OPTIONS` on a free port, and its URL."""
    command = [sys.executable, "-m", "orggraph", "serve", "--port", "0", *options]
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stderr is not None
        found = re.search(r"Serving on (http://\S+/) ", server.stderr.readline())
        assert found, "the server did not start"
        yield found.group(1)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=20)


@contextlib.contextmanager
def browser_page(width: int, height: int) -> Iterator[Page]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield browser.new_page(viewport={"width": width, "height": height})
        browser.close()


def organisation_page(out: Path) -> None:
    with serving() as url, browser_page(1100, 900) as page:
        page.goto(f"{url}org?{urllib.parse.urlencode({'iri': ORGANISATION})}")
        page.screenshot(path=str(out))


def review_desk(corpus: Path, out: Path) -> None:
    seed = Path(__file__).resolve().parents[1] / "data" / "seed-2019-02-21.ttl"
    with tempfile.TemporaryDirectory() as folder:
        spec = f"oxigraph:{Path(folder) / 'db'}"
        for arguments in (["load", str(seed)], ["extract", str(corpus / QUEUED), "--review"]):
            command = [sys.executable, "-m", "orggraph", *arguments, "--store", spec]
            subprocess.run(command, check=True, capture_output=True)
        with serving("--store", spec, "--review") as url, browser_page(1100, 1000) as page:
            page.goto(f"{url}review")
            page.click(f"text={QUEUED}")
            page.fill("input[name=reviewer]", "王芳")
            with page.expect_navigation():
                page.click("text=Start reviewing")
            with page.expect_navigation():
                page.locator("section.item button:text-is('Accept')").first.click()
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(out))


def main(argv: list[str]) -> None:
    organisation_page(DOCS / "serve-organisation.png")
    print(DOCS / "serve-organisation.png")
    if argv:
        review_desk(Path(argv[0]), DOCS / "serve-review.png")
        print(DOCS / "serve-review.png")


if __name__ == "__main__":
    main(sys.argv[1:])
