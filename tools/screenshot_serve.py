"""Take the screenshot of `orggraph serve` that docs/serve.md shows: an organisation page of the
bundled graph, in headless Chromium.

Run:  python tools/screenshot_serve.py [OUT.png]   (default docs/serve-organisation.png)
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import urllib.parse
from pathlib import Path

from playwright.sync_api import sync_playwright

ORGANISATION = "https://w3id.org/orggraph/id/cspia"


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else Path(__file__).resolve().parents[1] / "docs" / "serve-organisation.png"
    server = subprocess.Popen(
        [sys.executable, "-m", "orggraph", "serve", "--port", "0"], stderr=subprocess.PIPE, text=True
    )
    try:
        assert server.stderr is not None
        found = re.search(r"Serving on (http://\S+/) ", server.stderr.readline())
        assert found, "the server did not start"
        page_url = f"{found.group(1)}org?{urllib.parse.urlencode({'iri': ORGANISATION})}"
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.goto(page_url)
            page.screenshot(path=str(out))
            browser.close()
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=20)
    print(out)


if __name__ == "__main__":
    main(sys.argv[1:])
