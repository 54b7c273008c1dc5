"""Finding and loading region plugins: the ``yibao.regions`` entry-point group.

Discovery reads entry-point metadata only; a region's module is imported the first
time that region is used, so one broken or slow plugin costs nothing to the others.
An entry-point name with a dot (``shenzhen.pilot``) is an overlay of the region before
the dot: it sits on top of that region's stack.

Whatever a plugin does while it is imported or registered (raise anything short of
``KeyboardInterrupt``, call ``sys.exit``, print) is that plugin's reported failure or
warning: the host, and every other region, carries on. The codes of the built-in
regions and ``national`` are reserved: another distribution registering them is a
reported conflict, never a replacement.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import re
import threading
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from .errors import InputError, ParameterFileError, PluginError, YibaoError, YibaoWarning
from .parameters import load_region_file
from .stack import CAPTURING, Layer, make_layer

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from .catalogue import Point

GROUP = "yibao.regions"
BASELINE = "national"
BUILT_IN = "yibao-policy"
#: Codes the yibao-policy distribution registers; with ``national`` no other package may take them.
BUILT_IN_CODES = frozenset({"shenzhen", "jiangxi", "zhejiang", "nanchang", "hangzhou", "guangdong", "guangzhou"})  # as pyproject.toml (tested)
#: Spellings of the boolean environment variables (case-insensitive, spaces ignored).
TRUE, FALSE = frozenset({"1", "true", "yes", "on"}), frozenset({"", "0", "false", "no", "off"})


def env_flag(name: str) -> bool:
    """A boolean environment variable: 1/true/yes/on or 0/false/no/off/empty/unset.

    Anything else is refused rather than guessed: ``YIBAO_STRICT_PLUGINS=flase`` must
    not silently mean either.
    """
    raw = os.environ.get(name, "")
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise InputError(name, f"{raw!r} is not a boolean: use 1, true, yes or on (or 0, false, no, off, empty)")


def reserved_reason(code: str) -> str:
    """Why a third party may not register ``code``, or "" if it may."""
    if code == BASELINE or code.startswith(BASELINE + "."):
        return f"{code!r} is reserved: 'national' is the baseline beneath every region, part of yibao itself"
    if code in BUILT_IN_CODES:
        return f"{code!r} is reserved for the built-in region of yibao-policy"
    return ""


def normalise(distribution: str) -> str:
    """Distribution names compare as PEP 503 does: ``Yibao_Region.X`` == ``yibao-region-x``."""
    return re.sub(r"[-_.]+", "-", distribution).lower()


@attrs.frozen
class Entry:
    """One discovered region: where it comes from and whether it may be loaded."""

    code: str
    point: Point | None
    distribution: str
    version: str
    status: str = "available"  # available | disabled | failed
    reason: str = ""
    notes: tuple[str, ...] = ()  # warnings that do not stop it loading (a conflict it won)

    @property
    def overlay_of(self) -> str | None:
        return self.code.split(".", 1)[0] if "." in self.code else None


@attrs.frozen
class Selection:
    """Which distributions may load: ``load=None`` all, ``()`` built-ins only, else those named."""

    load: frozenset[str] | None = None
    disable: frozenset[str] = frozenset()
    origin: tuple[str, str] = ("PolicyEngine(load=...)", "PolicyEngine(disable=...)")  # where the names were given

    @classmethod
    def of(cls, load: Iterable[str] | None, disable: Iterable[str]) -> Selection:
        for what, names in (("load", load), ("disable", disable)):
            if names is not None and (isinstance(names, (str, bytes)) or not isinstance(names, Iterable)):
                raise InputError(what, f"expected a list of distribution names, got {type(names).__name__}")
        load = None if load is None else list(load)
        disable = [] if disable is None else list(disable)
        for what, names in (("load", load or []), ("disable", disable)):
            for name in names:
                if not isinstance(name, str):
                    raise InputError(what, f"a distribution name is a string, got {type(name).__name__}")
        return cls(None if load is None else frozenset(normalise(d) for d in load), frozenset(normalise(d) for d in disable))

    def unknown(self, installed: Iterable[str]) -> list[str]:
        """One warning per name given that no installed distribution of the group has."""
        known = {normalise(name) for name in installed} | {BUILT_IN}
        out = []
        for origin, names in zip(self.origin, (self.load or frozenset(), self.disable)):
            for name in sorted(names - known):
                out.append(f"{origin} names {name!r}, which no installed distribution registers in {GROUP}; it has no effect")
        return out

    @classmethod
    def from_environment(cls) -> Selection:
        """``YIBAO_LOAD_PLUGINS`` (unset: all; empty: built-ins; ``a,b``) and ``YIBAO_DISABLE_PLUGINS``."""
        raw = os.environ.get("YIBAO_LOAD_PLUGINS")
        load = None if raw is None else [name for name in raw.split(",") if name.strip()]
        disable = [name for name in os.environ.get("YIBAO_DISABLE_PLUGINS", "").split(",") if name.strip()]
        chosen = cls.of([name.strip() for name in load] if load is not None else None, [name.strip() for name in disable])
        return attrs.evolve(chosen, origin=("YIBAO_LOAD_PLUGINS", "YIBAO_DISABLE_PLUGINS"))

    def refuses(self, distribution: str) -> str:
        """Why a distribution is not loaded, or "" if it is."""
        name = normalise(distribution)
        if name in self.disable:
            return "disabled (YIBAO_DISABLE_PLUGINS, or PolicyEngine(disable=...))"
        if self.load is not None and name != BUILT_IN and name not in self.load:
            return "not among the distributions selected to load (YIBAO_LOAD_PLUGINS, or PolicyEngine(load=...))"
        return ""


def discover(selection: Selection = Selection()) -> dict[str, Entry]:
    """Entries of the group by code, without importing anything they name.

    Warns (:class:`~yibao.errors.YibaoWarning`) about a reserved code another
    distribution registers and about names in the load controls that match nothing.
    """
    notices: list[str] = []
    points = _installed_points(notices)
    found: dict[str, list[tuple[Point, str, str]]] = {}
    for item in points:
        found.setdefault(item[0].name, []).append(item)
    entries = {}
    for code, shipped in found.items():
        ours = [item for item in shipped if normalise(item[1]) == BUILT_IN]
        reserved = reserved_reason(code) or (f"{code!r} is reserved for the built-in region of yibao-policy" if ours else "")
        notes: tuple[str, ...] = ()
        if reserved:
            others = sorted(
                {f"{dist} {version}" if dist else point.value for point, dist, version in shipped if normalise(dist) != BUILT_IN}
            )
            notes = tuple(f"also registered by {other}: ignored, {reserved}" for other in others)
            notices += [f"region {code!r}: {note}" for note in notes]
            if not ours or code == BASELINE:  # nothing built in to keep: the registration is refused
                entries[code] = Entry(code, None, ", ".join(others), "", "failed", f"{reserved}; registered by {', '.join(others)}")
                continue
            shipped = ours
        point, distribution, version = shipped[0]
        shippers = sorted({dist or p.value for p, dist, _ in shipped})
        if len(shippers) > 1:
            entries[code] = Entry(
                code, None, ", ".join(shippers), "", "failed", f"registered by several distributions: {', '.join(shippers)}"
            )
            continue
        refused = selection.refuses(distribution)
        entries[code] = Entry(code, point, distribution, version, "disabled" if refused else "available", refused, notes)
    notices += selection.unknown(dist for _, dist, _ in points)
    for notice in notices:
        warnings.warn(notice, YibaoWarning, stacklevel=2)
    return entries


def _installed_points(notices: list[str]) -> list[tuple[Point, str, str]]:
    """(entry point, distribution, version) of the group, one distribution per name (the
    first on ``sys.path``, as ``importlib.metadata.entry_points`` picks), read
    distribution by distribution (one with unreadable metadata is skipped with a
    warning), and kept by :mod:`yibao.catalogue` while nothing is installed or removed."""
    from .catalogue import entries as registered

    found, skipped = registered(GROUP)
    notices += skipped
    return [(item.point, item.distribution, item.version) for item in found]


def shipped_by(point: EntryPoint) -> tuple[str, str]:
    """(distribution, version) that registered an entry point, or ("", "")."""
    dist = getattr(point, "dist", None)
    if dist is None:
        return ("", "")
    return (str(dist.metadata["Name"] or ""), str(dist.version or ""))


def load_entry(entry: Entry) -> Layer:
    """Import a region plugin and wrap it as a layer; any failure is a PluginError.

    What the plugin writes to stdout or stderr while it is imported is captured (it
    would corrupt ``--format json``) and reported as the layer's notes and a warning.
    """
    if entry.point is None or entry.status != "available":
        raise PluginError(entry.code, entry.reason or "not available", entry.distribution, entry.version)
    with captured() as streams:
        try:
            plugin = entry.point.load()
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # SystemExit and GeneratorExit too: a plugin's import must not take the host down
            raise PluginError(entry.code, f"import failed: {_describe(exc)}", entry.distribution, entry.version) from None
        layer = load_plugin(entry.code, plugin, entry.distribution, entry.version)  # registering runs plugin code too
    notes = tuple(f"wrote to {name} at import (captured, not shown): {_excerpt(text)}" for name, text in streams.items() if text)
    for note in notes:
        shipped = f" ({entry.distribution} {entry.version})" if entry.distribution else ""
        warnings.warn(f"region {entry.code!r}{shipped} {note}", YibaoWarning, stacklevel=2)
    return attrs.evolve(layer, notes=layer.notes + notes) if notes else layer


def load_plugin(code: str, plugin: object, distribution: str = "", version: str = "") -> Layer:
    """Wrap an already-imported plugin object (module or instance) as a layer.

    Reading its attributes and registering it runs the plugin's code (a module
    ``__getattr__``, a property): anything that raises there is its PluginError.
    """
    try:
        data = load_region_file(parameter_file(code, plugin, distribution, version))
        layer = make_layer(code, plugin, data, distribution, version)
        return attrs.evolve(layer, trusted=True) if normalise(distribution) == BUILT_IN else layer
    except ParameterFileError as exc:
        raise PluginError(code, f"parameter file: {exc}", distribution, version) from None
    except (YibaoError, KeyboardInterrupt):
        raise
    except BaseException as exc:
        raise PluginError(code, f"could not be registered: {_describe(exc)}", distribution, version) from None


_CAPTURE_LOCK = threading.RLock()


@contextlib.contextmanager
def captured() -> Iterator[dict[str, str]]:
    """Collect what is written to ``sys.stdout`` and ``sys.stderr`` inside the block.

    Yields a dict filled in when the block ends: ``{"stdout": text, "stderr": text}``.
    Python-level streams only (a C extension writing to file descriptor 1 is not caught);
    the redirection is process-wide while it lasts, as imports are.
    """
    out, err = io.StringIO(), io.StringIO()
    streams: dict[str, str] = {}
    # One capture at a time: two threads loading plugins would otherwise each restore
    # the other's buffer, and the process would lose its stdout for good.
    with _CAPTURE_LOCK:
        CAPTURING[0] += 1  # a hook running meanwhile in another thread must not "put back" the streams
        CAPTURING[1] += 1
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                yield streams
        finally:
            CAPTURING[0] -= 1
            CAPTURING[1] += 1
            streams["stdout"], streams["stderr"] = out.getvalue(), err.getvalue()


def _describe(exc: BaseException) -> str:
    """``SystemExit: 3`` / ``ImportError: needs numpy``: the kind and the first line."""
    if isinstance(exc, SystemExit):
        code = exc.code if exc.code is None or isinstance(exc.code, (int, str)) else type(exc.code).__name__
        return f"SystemExit({code!r}) (the plugin called sys.exit)"
    return f"{type(exc).__name__}: {_one_line(exc)}"


def _excerpt(text: str, limit: int = 80) -> str:
    """A captured stream as one quoted line, cut to ``limit`` characters."""
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= limit else flat[: limit - 1] + "…")


def parameter_file(code: str, plugin: object, distribution: str = "", version: str = "") -> Path:
    """The plugin's ``PARAMETERS`` attribute, else ``region.toml`` beside its module."""
    explicit = getattr(plugin, "PARAMETERS", None)
    if explicit is not None:
        return Path(explicit)
    module_file = getattr(plugin, "__file__", None)
    if module_file is None:
        module = importlib.import_module(type(plugin).__module__)
        module_file = getattr(module, "__file__", None)
    if module_file is None:
        raise PluginError(
            code,
            "its module has no file (an empty namespace package?): ship region.toml beside the module or set PARAMETERS",
            distribution,
            version,
        )
    return Path(module_file).with_name("region.toml")


def baseline_layer() -> Layer:
    """The national baseline: the bottom layer of every stack, part of ``yibao`` itself."""
    from . import baseline
    from ._version import __version__

    return load_plugin(BASELINE, baseline, BUILT_IN, __version__)


def _one_line(exc: BaseException) -> str:
    try:
        text = str(exc).strip().splitlines()
    except Exception:  # an exception whose __str__ raises
        return type(exc).__name__
    return text[0] if text else type(exc).__name__
