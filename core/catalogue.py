"""The installed ``yibao.regions`` entry points, read once and kept in a small cache file.

Why: reading entry points means importing ``importlib.metadata`` and opening the
metadata of every installed distribution, about a third of a cold ``policy compare``.
The list changes only when something is installed or removed, so the command line keeps
it in ``$YIBAO_CACHE_DIR`` (default ``$XDG_CACHE_HOME/yibao-policy``, else
``~/.cache/yibao-policy``), one file per interpreter and ``sys.path``.

Never stale: the cache is used only while its key still matches, and the key is
``sys.path`` with the modification time of every directory on it (pip creates or
removes a ``*.dist-info`` directory there for every install, upgrade and uninstall, which
changes the directory's time) and of each ``entry_points.txt`` that registered a region.
A directory changed within the last two seconds is not trusted (a file system may keep
coarse times), so nothing is cached until it settles. Any problem with the file (missing,
corrupt, unwritable) means reading the entry points as if there were no cache.
``YIBAO_CACHE_DIR=`` (empty) turns the cache off.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any
from zlib import crc32

import attrs

FORMAT = 1
SETTLE_NS = 2_000_000_000
_VALUE = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")


@attrs.frozen
class Point:
    """An entry point as ``importlib.metadata`` gives it, minus the cost of importing it."""

    name: str
    value: str
    group: str

    def load(self) -> Any:
        """Import the module the value names (and the attribute after ``:``)."""
        import importlib

        found = _VALUE.match(self.value)
        if found is None:
            raise ValueError(f"entry point {self.name} = {self.value!r} is not 'module' or 'module:attribute'")
        target = importlib.import_module(found.group("module"))
        for part in (found.group("attr") or "").split(".") if found.group("attr") else ():
            target = getattr(target, part)
        return target


@attrs.frozen
class Registered:
    """One entry point of the group with the distribution that registered it."""

    point: Point
    distribution: str
    version: str


def entries(group: str) -> tuple[list[Registered], list[str]]:
    """Every entry point of ``group`` on ``sys.path``, and a notice per distribution whose
    metadata cannot be read (skipped): from the cache when it is current."""
    cache = cache_file()
    key = _key()
    if cache is not None:
        found = _read(cache, key, group)
        if found is not None:
            return found
    registered, skipped, sources = _scan(group)
    if cache is not None and _settled(key):
        data = {"format": FORMAT, "group": group, "key": key, "sources": sources, "skipped": skipped}
        _write(cache, data | {"entries": [_dump(r) for r in registered]})
    return registered, skipped


def cache_file() -> Path | None:
    """Where this interpreter's cache lives, or None when the cache is off."""
    configured = os.environ.get("YIBAO_CACHE_DIR")
    if configured is not None:
        if not configured.strip():
            return None
        folder = Path(configured)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        folder = Path(base) / "yibao-policy"
    # which file: a checksum of the interpreter and sys.path (zlib is loaded with Python; hashlib
    # would load OpenSSL). Two setups sharing a file only take turns: the key inside decides.
    digest = f"{crc32(chr(0).join([sys.executable, *sys.path]).encode('utf-8', 'surrogatepass')):08x}"
    return folder / f"entry-points-{digest}.json"


def _key() -> list[list[Any]]:
    """``sys.path`` with each entry's modification time (None where it does not exist)."""
    out = []
    for entry in sys.path:
        try:
            stamp: int | None = os.stat(entry or ".").st_mtime_ns
        except OSError:
            stamp = None
        out.append([entry, stamp])
    return out


def _settled(key: list[list[Any]]) -> bool:
    now = time.time_ns()
    return all(stamp is None or now - stamp > SETTLE_NS for _, stamp in key)


def _read(cache: Path, key: list[list[Any]], group: str) -> tuple[list[Registered], list[str]] | None:
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data.get("group") != group or data.get("key") != key:
            return None
        for path, stamp in data["sources"]:  # a region's entry_points.txt edited in place
            if os.stat(path).st_mtime_ns != stamp:
                return None
        found = [Registered(Point(item["name"], item["value"], group), item["distribution"], item["version"]) for item in data["entries"]]
        return found, [str(notice) for notice in data["skipped"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write(cache: Path, data: dict[str, Any]) -> None:
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, cache)  # readers see the old file or the new one, never half
    except OSError:
        pass  # a read-only home, a full disk: the next run reads the entry points again


def _scan(group: str) -> tuple[list[Registered], list[str], list[list[Any]]]:
    """The group's entry points, distribution by distribution (one whose metadata cannot be
    read is skipped with a notice instead of hiding every region), the first distribution
    of a name on ``sys.path`` winning as in ``importlib.metadata.entry_points``; and the
    ``entry_points.txt`` files they come from, with their times."""
    from importlib.metadata import distributions

    seen: set[str] = set()
    registered: list[Registered] = []
    skipped: list[str] = []
    sources: list[list[Any]] = []
    for dist in distributions():
        try:
            key = getattr(dist, "_normalized_name", None)  # from the folder name: no METADATA read (as importlib does)
            if key is not None:
                key = normalise(key)
                if key in seen:
                    continue
                seen.add(key)
            ours = [point for point in dist.entry_points if point.group == group]
            if not ours:
                continue
            name = str(dist.metadata["Name"] or "")
            if key is None:
                if normalise(name) in seen:
                    continue
                seen.add(normalise(name))
            version = str(dist.version or "")
            registered += [Registered(Point(point.name, point.value, group), name, version) for point in ours]
            located = _entry_points_file(dist)
            if located is not None:
                sources.append(located)
        except Exception as exc:
            where = getattr(dist, "_path", None) or "an installed distribution"
            text = (str(exc).strip().splitlines() or [repr(exc)])[0]
            skipped.append(f"skipped {where}: its metadata cannot be read ({type(exc).__name__}: {text})")
    return registered, skipped, sources


def _entry_points_file(dist: Any) -> list[Any] | None:
    try:
        path = Path(dist._path) / "entry_points.txt"  # a PathDistribution's *.dist-info folder
        return [str(path), os.stat(path).st_mtime_ns]
    except (AttributeError, OSError, TypeError, ValueError):
        return None


def normalise(distribution: str) -> str:
    """PEP 503 names, as ``yibao.plugins.normalise`` (kept here: plugins imports this module)."""
    return re.sub(r"[-_.]+", "-", distribution).lower()


def _dump(item: Registered) -> dict[str, str]:
    return {"name": item.point.name, "value": item.point.value, "distribution": item.distribution, "version": item.version}
