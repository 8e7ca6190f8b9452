"""Every environment variable orggraph reads, read here and nowhere else, when asked (so a
change to the environment between calls is seen).

=========================  ===========================================================
``ORGGRAPH_STORE``         the store used when none is given (default ``memory``)
``ORGGRAPH_CACHE_DIR``     the cache folder; ``off`` turns the cache off
``XDG_CACHE_HOME``         the cache folder's parent when ``ORGGRAPH_CACHE_DIR`` is unset
``ORGGRAPH_CORPUS``        folders (``os.pathsep``-separated) holding source documents
``ORGGRAPH_DEBUG``         set: an unexpected error shows its traceback
=========================  ===========================================================
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

__all__ = ["cache_folder", "corpus_folders", "debug", "default_store"]


def default_store(environment: Mapping[str, str] = os.environ) -> str:
    """The store used when none is given: ``$ORGGRAPH_STORE``, else ``memory``.

    >>> default_store({}), default_store({"ORGGRAPH_STORE": "oxigraph:/tmp/db"})
    ('memory', 'oxigraph:/tmp/db')
    """
    return environment.get("ORGGRAPH_STORE") or "memory"


def cache_folder(environment: Mapping[str, str] = os.environ) -> Path | None:
    """Where cache entries live; None when the cache is off.

    >>> cache_folder({"ORGGRAPH_CACHE_DIR": "off"}) is None, cache_folder({"XDG_CACHE_HOME": "/c"})
    (True, PosixPath('/c/orggraph'))
    """
    chosen = environment.get("ORGGRAPH_CACHE_DIR")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    base = environment.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "orggraph"


def corpus_folders(environment: Mapping[str, str] = os.environ) -> list[Path]:
    """The folders of ``$ORGGRAPH_CORPUS``, in order.

    >>> corpus_folders({"ORGGRAPH_CORPUS": "a" + os.pathsep + "b"})
    [PosixPath('a'), PosixPath('b')]
    """
    return [Path(p) for p in environment.get("ORGGRAPH_CORPUS", "").split(os.pathsep) if p]


def debug(environment: Mapping[str, str] = os.environ) -> bool:
    """Whether ``$ORGGRAPH_DEBUG`` asks for tracebacks.

    >>> debug({}), debug({"ORGGRAPH_DEBUG": "1"})
    (False, True)
    """
    return bool(environment.get("ORGGRAPH_DEBUG"))
