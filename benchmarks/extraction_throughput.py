"""Extraction throughput: kilobytes of text per second on one core, against a floor measured in
the same run (reading annotations stripped and the text converted to Simplified — the part every
extractor must do before any rule runs).

Run:  python benchmarks/extraction_throughput.py [DOCUMENT] [COPIES]
      (default: every document in ../shared/corpus, each repeated 100 times as separate documents,
      then all of them together)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from orggraph.extract.rules import extract
from orggraph.text.documents import document_from_text

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def measure(texts: list[str], copies: int) -> tuple[float, float, float]:
    """(kB, seconds to prepare, seconds to prepare and extract)."""
    size_kb = sum(len(text.encode("utf-8")) for text in texts) * copies / 1024
    start = time.perf_counter()
    documents = [document_from_text(text, f"copy-{i}") for text in texts for i in range(copies)]
    prepare = time.perf_counter() - start
    start = time.perf_counter()
    for document in documents:
        extract(document)
    return size_kb, prepare, prepare + time.perf_counter() - start


def main(paths: list[Path], copies: int) -> None:
    texts = [path.read_text(encoding="utf-8") for path in paths]
    print("| document | kB | floor kB/s | extract kB/s | ratio |\n|---|---:|---:|---:|---:|")
    rows = [(path.name, [text]) for path, text in zip(paths, texts, strict=True)]
    if len(paths) > 1:
        rows.append(("all together", texts))
    for name, group in rows:
        size_kb, prepare, total = measure(group, copies)
        print(f"| {name} | {size_kb:.0f} | {size_kb / prepare:.0f} | {size_kb / total:.0f} | {total / prepare:.2f} |")


if __name__ == "__main__":
    chosen = [Path(sys.argv[1])] if len(sys.argv) > 1 else sorted(CORPUS.glob("*.txt"))
    main(chosen, int(sys.argv[2]) if len(sys.argv) > 2 else 100)
