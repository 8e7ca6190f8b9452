"""Plain file input and output: reads that fail with a clear :class:`~orggraph.errors.InputError`,
and writes that replace a file only once the whole text is written (no half-written output).

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> read_text(write_text_atomic(folder / "a.txt", "公安部"))
'公安部'
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from orggraph.errors import InputError

__all__ = ["read_bytes", "read_text", "write_bytes_atomic", "write_text_atomic"]


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """Read a file; a missing, unreadable or wrong kind of file raises :class:`InputError`."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a file; name a file inside it") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied; make the file readable") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}") from None


def read_text(path: str | os.PathLike[str], encoding: str = "utf-8") -> str:
    """Read a text file; missing, unreadable or undecodable files raise :class:`InputError`."""
    data = read_bytes(path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            f"{path}:{line}: not valid {encoding} text (byte {error.start}); convert the file to UTF-8"
        ) from None


def _new_file_mode(target: Path) -> int:
    # mkstemp creates 0600 files; give the result the mode a plain open() would have.
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` as UTF-8 to ``path`` through a temporary file and a rename (see
    :func:`write_bytes_atomic`)."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    An existing file is replaced only when the whole of ``data`` is written. Anything else that
    exists at ``path`` — a device such as ``/dev/null``, a FIFO, a link to a terminal or to
    another file — is written to in place: renaming over it would replace the special file itself.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{path}: the folder {folder} does not exist; create it or choose another path")
    if target.is_dir():
        raise InputError(f"{path}: is a directory; give a file name")
    if target.is_symlink() and target.resolve().is_file():
        return write_bytes_atomic(target.resolve(), data)  # the file the link names, replaced whole
    if target.is_symlink() or (target.exists() and not target.is_file()):
        try:
            with open(target, "wb") as stream:
                stream.write(data)
        except OSError as error:
            raise InputError(f"{path}: cannot write: {error.strerror}") from None
        return target
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, _new_file_mode(target))
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write: {error.strerror}") from None
    return target
