"""A cache, on disk, of what is slow to read from a big on-disk store and read again by every
run: the names of all its organisations, which extraction needs before its first document.

An entry belongs to one store folder and holds a fingerprint of that folder: the name, size and
modification time of every file in it. Oxigraph (RocksDB) only ever writes by appending to or
adding files, so any change to the store (``orggraph load``, ``--merge``, ``query --update``,
another program) changes the fingerprint, and the entry is read afresh. The fingerprint is taken
before and after reading, and an entry is written only when the two agree.

Entries live in ``$ORGGRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/orggraph``, else
``~/.cache/orggraph``; ``ORGGRAPH_CACHE_DIR=off`` turns the cache off. A cache that cannot be read
or written only makes a run slower: it is never an error.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from orggraph._version import __version__
from orggraph.errors import OrgGraphError
from orggraph.files import write_text_atomic
from orggraph.settings import cache_folder

__all__ = ["cache_folder", "cached", "cached_value", "fingerprint"]

Value = TypeVar("Value")
logger = logging.getLogger(__name__)


def fingerprint(folder: Path) -> str:
    """A digest of the name, size and modification time of every file in ``folder``.

    >>> import tempfile; folder = Path(tempfile.mkdtemp())
    >>> before = fingerprint(folder); _ = (folder / "000001.log").write_text("x")
    >>> before == fingerprint(folder)
    False
    """
    digest = hashlib.sha256()
    for entry in sorted(os.scandir(folder), key=lambda entry: entry.name):
        try:
            status = entry.stat(follow_symlinks=False)
        except FileNotFoundError:  # a writer compacting the store removed it: the store is changing
            digest.update(f"{entry.name}\0gone\n".encode())
            continue
        digest.update(f"{entry.name}\0{status.st_size}\0{status.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def cached(
    kind: str,
    store_folder: Path | None,
    compute: Callable[[], Value],
    *,
    valid: Callable[[Any], bool] = lambda value: True,
    directory: Path | None = None,
) -> Value:
    """``compute()``, or what it returned before for the same ``kind`` and the same unchanged
    store folder, if ``valid`` accepts it; entries in ``directory`` (default:
    :func:`cache_folder`). The value must survive JSON (lists, strings, numbers); tuples come
    back as lists.

    >>> import tempfile; store, entries = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp())
    >>> [cached("example", store, lambda: [text], directory=entries) for text in ("computed", "again")]
    [['computed'], ['computed']]
    >>> _ = (store / "000002.log").write_text("a write"); cached("example", store, lambda: ["anew"], directory=entries)
    ['anew']
    """
    place = _entry(kind, store_folder, directory)
    if place is None:
        return compute()
    entry, folder, key = place
    stored = _read(entry)
    if stored is not None and stored.get("key") == key and valid(stored.get("value")):
        logger.info("cache hit: %s of %s (%s)", kind, folder, entry)
        return stored["value"]
    logger.info("cache miss: %s of %s, computing it", kind, folder)
    value = compute()
    try:
        unchanged = fingerprint(folder) == key["fingerprint"]
    except OSError:
        unchanged = False
    if unchanged:  # not written to while we read
        _write(entry, {"key": key, "value": value})
    else:
        logger.info("the store changed while %s was read; not caching it", kind)
    return value


def cached_value(kind: str, store_folder: Path, *, valid: Callable[[Any], bool] = lambda value: True) -> Any | None:
    """What :func:`cached` keeps for ``kind`` and the unchanged store in ``store_folder``, if
    ``valid`` accepts it; None when there is nothing (nothing is computed).

    >>> import tempfile; cached_value("example", Path(tempfile.mkdtemp())) is None
    True
    """
    place = _entry(kind, store_folder, None)
    if place is None:
        return None
    entry, _, key = place
    stored = _read(entry)
    return stored["value"] if stored is not None and stored.get("key") == key and valid(stored.get("value")) else None


def _entry(kind: str, store_folder: Path | None, directory: Path | None) -> tuple[Path, Path, dict[str, str]] | None:
    """The cache entry of ``kind`` for the store in ``store_folder``, the folder resolved, and the
    key the entry must hold; None without a cache or a store folder."""
    directory = cache_folder() if directory is None else directory
    if store_folder is None or directory is None or not store_folder.is_dir():
        return None
    folder = store_folder.resolve()
    entry = directory / f"{kind}-{hashlib.sha256(str(folder).encode()).hexdigest()[:20]}.json"
    try:
        key = {"orggraph": __version__, "kind": kind, "store": str(folder), "fingerprint": fingerprint(folder)}
    except OSError:  # the cache never makes a run fail, only slower
        return None
    return entry, folder, key


def _read(entry: Path) -> dict[str, Any] | None:
    try:
        stored = json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stored if isinstance(stored, dict) else None


def _write(entry: Path, content: dict[str, Any]) -> None:
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(entry, json.dumps(content, ensure_ascii=False, separators=(",", ":")))
    except (OSError, OrgGraphError):
        # a cache that cannot be written only makes the next run as slow as this one
        logger.info("cannot write the cache entry %s; the next run reads the store again", entry)
