"""TOML files read once: the parsed document kept beside the entry-point cache.

Why: a cold ``policy compare`` parsed three region files and the labels, about a tenth of
its time (tomllib is pure Python, ~2.5 ms a file), and imported tomllib and hashlib for it.
The parse is a function of the file's bytes alone, so it is kept in ``$YIBAO_CACHE_DIR``
(see :mod:`yibao.catalogue`; empty: off) with the file's size, modification time and
SHA-256, and reused while the file's size and time are unchanged. What is done with
the document (the schema check, building the region) runs every time: a cache written by
another version of yibao never skips a check. A file changed within the last two seconds
is not cached (a file system may keep coarse times); any problem with a cache file means
parsing as if there were none.

The document is the one ``tomllib`` gives with ``parse_float=Decimal``, except that TOML
dates are written ``YYYY-MM-DD`` (as :func:`yibao.parameters.parse_region_text` checks
them against the JSON Schema). The cache is ``marshal`` (no import), Decimals as 1-tuples.
"""

from __future__ import annotations

import marshal
import os
import sys
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from zlib import crc32

FORMAT = 1
SETTLE_NS = 2_000_000_000


def parse(text: str) -> dict[str, Any]:
    """``text`` as a TOML document, floats as Decimal, dates as text (raises the TOML error)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]

    return dates_as_text(tomllib.loads(text, parse_float=Decimal))


def dates_as_text(node: Any) -> Any:
    """TOML dates become "YYYY-MM-DD" so the file checks against the JSON Schema as written."""
    if isinstance(node, dict):
        return {key: dates_as_text(item) for key, item in node.items()}
    if isinstance(node, list):
        return [dates_as_text(item) for item in node]
    if isinstance(node, date) and not hasattr(node, "hour"):
        return node.isoformat()
    return node


def load(path: str, text: Callable[[], str]) -> tuple[dict[str, Any], str]:
    """The document of the file at ``path`` and the SHA-256 of its bytes, from the cache when
    current. ``text()`` reads the file (called only on a miss; its errors propagate)."""
    cache = _cache_path(path)
    stamp = _stamp(path)
    if cache is not None and stamp is not None:
        found = _read(cache, path, stamp)
        if found is not None:
            return found
    content = text()
    import hashlib

    document = parse(content)
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
    if cache is not None and stamp is not None and time.time_ns() - stamp[1] > SETTLE_NS and stamp == _stamp(path):
        _write(cache, (FORMAT, sys.hexversion, path, stamp, digest, _encode(document)))
    return document, digest


def _cache_path(path: str) -> Path | None:
    from .catalogue import cache_file

    entry_points = cache_file()
    if entry_points is None:
        return None
    return entry_points.parent / f"toml-{crc32(path.encode('utf-8', 'surrogatepass')):08x}.marshal"


def _stamp(path: str) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_size, found.st_mtime_ns)


def _read(cache: Path, path: str, stamp: tuple[int, int]) -> tuple[dict[str, Any], str] | None:
    try:
        data = marshal.loads(cache.read_bytes())
        form, version, where, when, digest, document = data
        if form != FORMAT or version != sys.hexversion or where != path or tuple(when) != stamp:
            return None
        return _decode(document), digest
    except (OSError, ValueError, EOFError, TypeError):
        return None


def _write(cache: Path, data: tuple[Any, ...]) -> None:
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        temporary.write_bytes(marshal.dumps(data))
        os.replace(temporary, cache)  # readers see the old file or the new one, never half
    except (OSError, ValueError):
        pass  # a read-only home, a full disk: the next run parses again


def _encode(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _encode(item) for key, item in node.items()}
    if isinstance(node, list):
        return [_encode(item) for item in node]
    if isinstance(node, Decimal):
        return (str(node),)  # (TOML gives lists, never tuples: a tuple is a Decimal)
    return node


def _decode(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _decode(item) for key, item in node.items()}
    if isinstance(node, list):
        return [_decode(item) for item in node]
    if isinstance(node, tuple):
        return Decimal(node[0])
    return node
