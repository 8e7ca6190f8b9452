"""Extraction throughput: kilobytes of text per second on one core, against a floor measured in
the same run (reading annotations stripped and the text converted to Simplified — the part every
extractor must do before any rule runs).

Run:  python benchmarks/extraction_throughput.py [DOCUMENT] [COPIES]
      (default: the seed document from ../shared/corpus, repeated 200 times as separate documents)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from orggraph.extract.rules import extract
from orggraph.text.documents import document_from_text

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
DEFAULT = CORPUS / "2019-02-21-security-industry-joint-meeting.txt"


def main(path: Path, copies: int) -> None:
    text = path.read_text(encoding="utf-8")
    size_kb = len(text.encode("utf-8")) * copies / 1024
    start = time.perf_counter()
    documents = [document_from_text(text, f"copy-{i}") for i in range(copies)]
    prepare = time.perf_counter() - start
    start = time.perf_counter()
    for document in documents:
        extract(document)
    rules = time.perf_counter() - start
    total = prepare + rules
    print(f"{copies} × {path.name}: {size_kb:.0f} kB")
    print(f"floor (clean-up + script conversion): {size_kb / prepare:.0f} kB/s")
    print(f"orggraph extract (clean-up + rules):   {size_kb / total:.0f} kB/s  (ratio {total / prepare:.2f})")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT, int(sys.argv[2]) if len(sys.argv) > 2 else 200)
