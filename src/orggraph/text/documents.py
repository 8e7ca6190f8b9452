"""Reading source documents: encoding detection, reading-annotation clean-up with an offset map
back to the raw text, Simplified matching text, and sentence spans."""

from __future__ import annotations

import hashlib
import itertools
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from orggraph.errors import InputError
from orggraph.files import read_bytes
from orggraph.text.normalization import CleanText, strip_reading_annotations, to_simplified

__all__ = ["Document", "decode", "read_document", "document_from_text"]

_ENCODINGS = ("utf-8", "gb18030", "big5")


def _plausibility(text: str) -> float:
    """Share of characters that are common in Chinese news text (CJK, ASCII, CJK punctuation)."""
    if not text:
        return 0.0
    good = sum(
        1
        for ch in text
        if "\u4e00" <= ch <= "\u9fff" or ch.isascii() or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
    )
    return good / len(text)


def decode(data: bytes, encoding: str | None = None, source: str = "<input>") -> tuple[str, str]:
    """Text and the encoding it was read in: UTF-8 (with or without BOM), GB18030/GBK or Big5.

    >>> decode("公安部".encode("gb18030"))
    ('公安部', 'gb18030')
    >>> decode("公安部".encode("big5"))
    ('公安部', 'big5')
    """
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as error:
            raise InputError(
                f"{source}: cannot be read as {encoding} ({error}); check {{encoding}}", parameters="encoding"
            ) from None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if b"\x00" in data:
        raise InputError(f"{source}: contains NUL bytes, so it is binary, not text; give a text document")
    candidates = []
    for name in _ENCODINGS:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if name == "utf-8":
            return text, name
        candidates.append((_plausibility(text), name, text))
    if not candidates:
        raise InputError(f"{source}: not UTF-8, GB18030 or Big5 text; pass {{encoding}}", parameters="encoding")
    score, name, text = max(candidates)
    if score < 0.9:
        raise InputError(
            f"{source}: does not look like Chinese text in any known encoding; pass {{encoding}}", parameters="encoding"
        )
    return text, name


_SENTENCE_END = re.compile(r"[。！？!?]|\n")
# a line break after these ends a paragraph or heading; any other break only wraps a sentence
_LINE_END = '。！？!?：:；;）)”"」』'


# page furniture around a news release: breadcrumbs, bylines, dates of posting, buttons, captions
_DEBRIS = re.compile(
    r"^[ \t\u3000]*(?:.*>.*>.*|.*(?:责任编辑|責任編輯|来源|來源|发布时间|發佈時間|发布日期|作者|点击|點擊|浏览次数|"
    r"瀏覽次數|打印|关闭|關閉|分享到)[:：].*|.*【(?:打印|关闭|關閉|收藏|返回)[^】]*】.*|[(（]?图为[^)）\n]*[)）]?|"
    r"第\s*\d+\s*页.*|上一篇.*|下一篇.*)[ \t\u3000]*$",
    re.MULTILINE,
)


def _drop_debris(clean: CleanText) -> CleanText:
    """Remove whole lines that are page furniture, keeping the offset map for the rest."""
    drop: set[int] = set()
    for match in _DEBRIS.finditer(clean.text):
        end = match.end() + 1 if match.end() < len(clean.text) and clean.text[match.end()] == "\n" else match.end()
        drop.update(range(match.start(), end))
    if not drop:
        return clean
    keep = [i for i in range(len(clean.text)) if i not in drop]
    return CleanText(
        "".join(clean.text[i] for i in keep), (*(clean.raw_offsets[i] for i in keep), clean.raw_offsets[-1])
    )


# a line that starts like this opens a new unit of layout, never continues the line before it
_OPENS_UNIT = re.compile(
    r"[ \t\u3000]*(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d)|[①-⑳]"
    r"|第[一二三四五六七八九十\d]+[条章节]"
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$|(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:上午|下午)?[,，至-]|.{0,10}[〔\[［][12]\d{3}[〕\]］]\s*\d+\s*[号號])"
)
# a row of a roster or a table: columns separated by a run of spaces, or a label before a colon
_ROW = re.compile(
    r"\S[ \t\u3000]{1,}\S.*[ \t\u3000]"
    r"|[\u4e00-\u9fff]{1,4}[ \t\u3000]+[\u4e00-\u9fff]{1,3}[ \t\u3000]"
    r"|^[^:：]{1,8}[:：]"
)


def _join_wrapped_lines(clean: CleanText, raw: str) -> CleanText:
    """Drop line breaks (and the spaces around them) that wrap a sentence, keeping the offset map.

    A break wraps a sentence when the line before it runs to the wrap width of the document (the
    longest line that does not end a sentence, counted in raw characters, since a narrow column
    wraps the text as published) and does not end a sentence, and the line after it does not open a
    unit of layout (a numbered clause, a dateline, a file number) and neither is a row of a roster
    or table. Short lines stay lines of their own: headlines, file numbers, signatures, roster rows.
    """
    text, offsets = clean.text, clean.raw_offsets
    lines: list[tuple[int, int, str]] = []  # (start, end, stripped text)
    start = 0
    for line in text.split("\n"):
        lines.append((start, start + len(line), line.strip(" \t\u3000")))
        start += len(line) + 1

    def raw_width(start: int, end: int) -> int:
        return offsets[end - 1] + 1 - offsets[start] if end > start else 0

    raw_lines = [line.strip(" \t\u3000") for line in raw.split("\n")]
    width = max((len(line) for line in raw_lines if line and line[-1] not in _LINE_END), default=0)
    joins: set[int] = set()  # indices of the line breaks that wrap
    for (a, b, before), (_, _, after) in itertools.pairwise(lines):
        if (
            before
            and after
            and before[-1] not in _LINE_END
            and raw_width(a, b) >= 0.8 * width
            and not _OPENS_UNIT.match(after)
            and not _ROW.search(before)
            and not _ROW.search(after)
        ):
            joins.add(b)
    keep: list[int] = []
    index = 0
    while index < len(text):
        if index in joins:
            while keep and text[keep[-1]] in " \t\u3000":
                keep.pop()
            index += 1
            while index < len(text) and text[index] in " \t\u3000":
                index += 1
            continue
        keep.append(index)
        index += 1
    return CleanText("".join(text[i] for i in keep), (*(offsets[i] for i in keep), offsets[-1]))


@dataclass(frozen=True)
class Document:
    """A source document: raw text as published, cleaned text with offsets, matching text."""

    name: str
    raw: str
    encoding: str
    clean: CleanText
    simplified: str = ""
    sentences: tuple[tuple[int, int], ...] = field(default_factory=tuple)
    file_sha256: str = ""  # of the file's bytes, when read from a file

    @property
    def sha256(self) -> str:
        """The SHA-256 evidence refers to: of the file's bytes as published (so a quoting side
        that reads the file finds it, whatever its encoding), else of the text in UTF-8."""
        return self.file_sha256 or hashlib.sha256(self.raw.encode("utf-8")).hexdigest()

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """A cleaned span as raw-document offsets."""
        return self.clean.raw_span(start, end)


def document_from_text(raw: str, name: str = "<input>", encoding: str = "utf-8") -> Document:
    """Prepare a document from its raw text.

    >>> doc = document_from_text("會(huì)議召開(kāi)。第二句")
    >>> doc.clean.text, doc.simplified, doc.sentences
    ('會議召開。第二句', '会议召开。第二句', ((0, 5), (5, 8)))
    """
    clean = _join_wrapped_lines(_drop_debris(strip_reading_annotations(raw)), raw)
    simplified = to_simplified(clean.text)
    if len(simplified) != len(clean.text):  # phrase conversions may change length: convert per character
        simplified = "".join(to_simplified(ch) for ch in clean.text)
    sentences = []
    start = 0
    for match in _SENTENCE_END.finditer(clean.text):
        end = match.end() if match.group() != "\n" else match.start()
        if clean.text[start:end].strip():
            sentences.append((start, end))
        start = match.end()
    if clean.text[start:].strip():
        sentences.append((start, len(clean.text)))
    return Document(name, raw, encoding, clean, simplified, tuple(sentences))


def read_document(path: str | os.PathLike[str], encoding: str | None = None) -> Document:
    """Read and prepare a document file (``-`` is not handled here)."""

    file = Path(path)
    data = read_bytes(file)
    text, used = decode(data, encoding, str(path))
    if not text.strip():
        raise InputError(f"{path}: the document is empty")
    return replace(document_from_text(text, file.name, used), file_sha256=hashlib.sha256(data).hexdigest())
