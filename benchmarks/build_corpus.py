"""Building a store from many documents: kilobytes per second of `build_store`, against extraction
alone measured in the same run.

Run:  python benchmarks/build_corpus.py [COPIES]
      (default 125 copies of each of the 8 corpus documents = 1,000 documents; each copy differs by
      one line, so each is a document of its own)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from orggraph.extract.building import build_store
from orggraph.extract.rules import extract
from orggraph.text.documents import read_document

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def main(copies: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "docs"
        folder.mkdir()
        for source in sorted(CORPUS.glob("*.txt")):
            text = source.read_text(encoding="utf-8")
            for copy in range(copies):
                (folder / f"{source.stem}-{copy:04d}.txt").write_text(f"{text}\n第{copy}份\n", encoding="utf-8")
        paths = sorted(folder.glob("*.txt"))
        size_kb = sum(p.stat().st_size for p in paths) / 1024
        start = time.perf_counter()
        for path in paths:
            extract(read_document(path))
        floor = time.perf_counter() - start
        start = time.perf_counter()
        report = build_store([folder], f"oxigraph:{Path(scratch) / 'fast'}", validate_candidates=False)
        fast = time.perf_counter() - start
        start = time.perf_counter()
        build_store([folder], f"oxigraph:{Path(scratch) / 'db'}")
        built = time.perf_counter() - start
        added = sum(1 for d in report.documents if d.status == "added")
        print(f"{len(paths)} documents, {size_kb:.0f} kB ({added} added)")
        print(f"extraction alone (read + extract): {size_kb / floor:.0f} kB/s")
        print(
            f"build --no-validate (extract + identities + merge): {size_kb / fast:.0f} kB/s (ratio {fast / floor:.2f})"
        )
        print(f"build (extract + identities + merge + shapes): {size_kb / built:.0f} kB/s (ratio {built / floor:.2f})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 125)
