"""Take the screenshot of the review desk that docs/serve.md shows: a real corpus document's
candidates queued against a store of the seed document's graph, one of them accepted, in
headless Chromium.

Run:  python tools/screenshot_review.py CORPUS_DIR [OUT.png]   (default docs/serve-review.png)
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

DOCUMENT = "gd-video-stdcomm-2016-06-03.txt"


def orggraph(*arguments: str) -> None:
    subprocess.run([sys.executable, "-m", "orggraph", *arguments], check=True, capture_output=True)


def main(argv: list[str]) -> None:
    corpus = Path(argv[0])
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "docs" / "serve-review.png"
    data = Path(__file__).resolve().parents[1] / "data" / "seed-2019-02-21.ttl"
    with tempfile.TemporaryDirectory() as folder:
        spec = f"oxigraph:{Path(folder) / 'db'}"
        orggraph("load", str(data), "--store", spec)
        orggraph("extract", str(corpus / DOCUMENT), "--store", spec, "--review")
        command = [sys.executable, "-m", "orggraph", "serve", "--port", "0", "--store", spec, "--review"]
        server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        try:
            assert server.stderr is not None
            found = re.search(r"Serving on (http://\S+/) ", server.stderr.readline())
            assert found, "the server did not start"
            chromium = shutil.which("chromium") or shutil.which("chromium-browser")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
                page = browser.new_page(viewport={"width": 1100, "height": 1000})
                page.goto(f"{found.group(1)}review")
                page.click(f"text={DOCUMENT}")
                page.fill("input[name=reviewer]", "王芳")
                with page.expect_navigation():
                    page.click("text=Start reviewing")
                with page.expect_navigation():
                    page.locator("section.item button:text-is('Accept')").first.click()
                page.locator("section.item details.edit").nth(2).evaluate("node => node.open = true")
                page.evaluate("window.scrollTo(0, 0)")
                page.screenshot(path=str(out))
                browser.close()
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=20)
    print(out)


if __name__ == "__main__":
    main(sys.argv[1:])
