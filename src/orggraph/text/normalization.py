"""Chinese text clean-up that keeps a map back to the raw characters.

Some re-posted news pages carry a pinyin reading in ASCII parentheses after a
character (``召開(kāi)``).  Evidence must point at the *raw* document, so every
clean-up here returns the cleaned text together with, for each cleaned
character, its offset in the raw input.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orggraph._version import __version__
from orggraph.errors import OrgGraphError
from orggraph.files import write_text_atomic
from orggraph.settings import cache_folder

__all__ = [
    "CleanText",
    "normalize_name",
    "normalize_names",
    "strip_reading_annotations",
    "to_simplified",
    "to_simplified_all",
    "to_traditional",
]

# A reading is ASCII letters with pinyin tone marks, optionally spaced, inside
# ASCII parentheses: "(kāi)", "(huì yì)".  At least one tone-marked vowel or an
# all-lowercase syllable keeps real parentheticals such as "(GA)" untouched.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿê"
_READING = re.compile(
    r" ?\((?=[^)]*["
    + _TONED
    + r"])[a-z"
    + _TONED
    + r" \n]{1,24}\)"  # toned: (kāi), (huì yì), (huì ), 會 (huì), wrapped
    r"|\((?:[a-z]{1,6}[1-5]?)(?: [a-z]{1,6}[1-5]?)*\)"  # numbered or toneless: (kai1), (de)
)


@dataclass(frozen=True)
class CleanText:
    """Cleaned text plus ``raw_offsets[i]``: the raw offset of cleaned character ``i``.

    ``raw_offsets`` has one extra entry (the raw length) so that an exclusive
    end offset maps too.
    """

    text: str
    raw_offsets: tuple[int, ...]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a cleaned ``[start, end)`` span to the raw document.

        >>> c = strip_reading_annotations("召開(kāi)會議")
        >>> c.text, c.raw_span(1, 3)
        ('召開會議', (1, 8))
        """
        if end <= start:
            raw = self.raw_offsets[start]
            return raw, raw
        return self.raw_offsets[start], self.raw_offsets[end - 1] + 1


def strip_reading_annotations(raw: str) -> CleanText:
    """Remove pinyin readings in parentheses, keeping an offset map.

    >>> strip_reading_annotations("在北京召開(kāi)會(huì)議(yì)").text
    '在北京召開會議'
    >>> strip_reading_annotations("公安部三所檢測中心(認證中心)").text
    '公安部三所檢測中心(認證中心)'
    """
    pieces: list[str] = []
    offsets: list[int] = []
    position = 0
    for match in _READING.finditer(raw):
        pieces.append(raw[position : match.start()])
        offsets.extend(range(position, match.start()))
        position = match.end()
    pieces.append(raw[position:])
    offsets.extend(range(position, len(raw)))
    offsets.append(len(raw))
    return CleanText("".join(pieces), tuple(offsets))


@functools.lru_cache(maxsize=2)
def _opencc(config: str) -> Any:
    import opencc  # imported here: converting is rare and the import is not free

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Traditional → Simplified Chinese (OpenCC ``t2s``).

    >>> to_simplified("中國安全防範產品行業協會")
    '中国安全防范产品行业协会'
    """
    return _converted("t2s", text)


def to_traditional(text: str) -> str:
    """Simplified → Traditional Chinese (OpenCC ``s2t``).

    >>> to_traditional("标准化")
    '標準化'
    """
    return _converted("s2t", text)


# OpenCC takes 10 ms (t2s) and 80 ms (s2t) to read its dictionaries: at every start, for the one
# name a command was given. Short texts converted before are kept in the cache folder instead.
_REMEMBERED_LENGTH = 64  # names, not documents
_REMEMBERED_COUNT = 4096  # per direction; the oldest half goes when it is full


def _converted(config: str, text: str) -> str:
    if not any(ord(ch) >= 0x2E80 for ch in text):  # nothing OpenCC would change
        return text
    if len(text) > _REMEMBERED_LENGTH:
        return str(_opencc(config).convert(text))
    remembered = _remembered()
    table = remembered.setdefault(config, {})
    found = table.get(text)
    if isinstance(found, str):
        return found
    converted = str(_opencc(config).convert(text))
    if len(table) >= _REMEMBERED_COUNT:
        for old in list(table)[: _REMEMBERED_COUNT // 2]:
            del table[old]
    table[text] = converted
    _remember(remembered)
    return converted


@functools.lru_cache(maxsize=1)
def _remembered() -> dict[str, dict[str, str]]:
    """The conversions kept in the cache folder ({} when there are none, or they belong to
    another version of orggraph or OpenCC)."""
    entry = _conversions_file()
    if entry is None:
        return {}
    try:
        stored = json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(stored, dict) or stored.get("key") != _conversions_key():
        return {}
    tables = stored.get("tables")
    if not isinstance(tables, dict):
        return {}
    return {name: dict(table) for name, table in tables.items() if isinstance(table, dict)}


def _remember(tables: dict[str, dict[str, str]]) -> None:
    entry = _conversions_file()
    if entry is None:
        return
    content = json.dumps({"key": _conversions_key(), "tables": tables}, ensure_ascii=False)
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(entry, content)
    except (OSError, OrgGraphError):  # a cache that cannot be written only makes the next run slower
        pass


def _conversions_file() -> Path | None:
    folder = cache_folder()
    return None if folder is None else folder / "script-conversions.json"


def _conversions_key() -> list[str]:
    import opencc  # its version decides what a conversion gives

    return [__version__, str(getattr(opencc, "__version__", ""))]


_PUNCTUATION = re.compile(r"[\s\u3000、，,。.;；:：()（）\[\]【】「」『』《》〈〉\"“”'‘’·•\-—_/|]+")


@functools.lru_cache(maxsize=1 << 16)  # names recur: the same organisations, document after document
def normalize_name(name: str) -> str:
    """A matching key for a name: NFKC, Simplified, lower case, no punctuation.

    Two spellings of one name (Traditional or Simplified, full- or half-width
    brackets) get the same key.

    >>> normalize_name("公安部三所檢測中心（認證中心）") == normalize_name("公安部三所检测中心(认证中心)")
    True
    """
    text = unicodedata.normalize("NFKC", name)
    text = to_simplified(text).lower()
    return _PUNCTUATION.sub("", text)


def normalize_names(names: Sequence[str]) -> list[str]:
    """:func:`normalize_name` of every name, converted in one pass: several times faster for the
    100,000s of names of a big graph than one call per name.

    >>> normalize_names(["公安部三所檢測中心（認證中心）", "CSPIA"])
    ['公安部三所检测中心认证中心', 'cspia']
    """
    converted = _in_one_pass(names, lambda text: to_simplified(unicodedata.normalize("NFKC", text)).lower())
    if converted is None:
        return [normalize_name(name) for name in names]
    return [_PUNCTUATION.sub("", text) for text in converted]


def to_simplified_all(texts: Sequence[str]) -> list[str]:
    """:func:`to_simplified` of every text, converted in one pass.

    >>> to_simplified_all(["中國", "協會"])
    ['中国', '协会']
    """
    converted = _in_one_pass(texts, to_simplified)
    return [to_simplified(text) for text in texts] if converted is None else converted


def _in_one_pass(texts: Sequence[str], convert: Callable[[str], str]) -> list[str] | None:
    """``convert`` applied to the texts joined by newlines, split again; None when a text holds a
    newline itself or the conversion moved one. No OpenCC phrase spans a newline, so each text
    converts as it would alone."""
    if not texts:
        return []
    pieces = convert("\n".join(texts)).split("\n")
    if len(pieces) != len(texts) or any("\n" in text for text in texts):
        return None
    return pieces
