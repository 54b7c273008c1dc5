"""Reading an input file or stream with a size limit, so ``--member /dev/zero`` is one
clear error and not a process that eats memory until it dies.

A member is a few hundred bytes (10,000 contribution ranges are about 350 KB); a region
parameter file a few tens of KB. Anything above :data:`MAX_INPUT_BYTES` is refused.
"""

from __future__ import annotations

from typing import BinaryIO

from .errors import InputError

MAX_INPUT_BYTES = 1024 * 1024
MAX_INPUT_TEXT = "1 MiB"


def read_text(path: str, field: str, *, limit: int = MAX_INPUT_BYTES, name: str | None = None) -> str:
    """The UTF-8 text of the file at ``path``; any problem is an InputError on ``field``
    that calls the file ``name`` (default: its path)."""
    shown = path if name is None else name
    try:
        with open(path, "rb") as stream:
            return _decode(stream.read(limit + 1), shown, field, limit)
    except OSError as exc:
        raise InputError(field, f"cannot read {shown}: {exc.strerror or exc}") from None


def read_stream(stream: BinaryIO | None, name: str, field: str, *, limit: int = MAX_INPUT_BYTES) -> str:
    """The UTF-8 text of an open binary stream (standard input), or an InputError:
    a closed stream says so, instead of failing on ``None``."""
    if stream is None:
        raise InputError(field, f"{name} is closed: give a file, or pipe the input in")
    try:
        data = stream.read(limit + 1)
    except ValueError:  # "I/O operation on closed file"
        raise InputError(field, f"{name} is closed: give a file, or pipe the input in") from None
    except OSError as exc:
        raise InputError(field, f"cannot read {name}: {exc.strerror or exc}") from None
    return _decode(data, name, field, limit)


def _decode(data: bytes, name: str, field: str, limit: int) -> str:
    if len(data) > limit:
        shown = MAX_INPUT_TEXT if limit == MAX_INPUT_BYTES else f"{limit:,} bytes"
        raise InputError(field, f"{name} is larger than {shown}, the most accepted")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(field, f"{name} is not UTF-8 text") from None
