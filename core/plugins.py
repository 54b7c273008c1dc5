"""Finding and loading region plugins: the ``yibao.regions`` entry-point group.

Discovery reads entry-point metadata only; a region's module is imported the first
time that region is used, so one broken or slow plugin costs nothing to the others.
An entry-point name with a dot (``shenzhen.pilot``) is an overlay of the region before
the dot: it sits on top of that region's stack.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from .errors import ParameterFileError, PluginError
from .parameters import load_region_file
from .stack import Layer, make_layer

if TYPE_CHECKING:
    from .catalogue import Point, Registered

GROUP = "yibao.regions"
BASELINE = "national"
BUILT_IN = "yibao-policy"


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

    @property
    def overlay_of(self) -> str | None:
        return self.code.split(".", 1)[0] if "." in self.code else None


@attrs.frozen
class Selection:
    """Which distributions may load: ``load=None`` all, ``()`` built-ins only, else those named."""

    load: frozenset[str] | None = None
    disable: frozenset[str] = frozenset()

    @classmethod
    def of(cls, load: Iterable[str] | None, disable: Iterable[str]) -> Selection:
        return cls(None if load is None else frozenset(normalise(d) for d in load), frozenset(normalise(d) for d in disable))

    @classmethod
    def from_environment(cls) -> Selection:
        """``YIBAO_LOAD_PLUGINS`` (unset: all; empty: built-ins; ``a,b``) and ``YIBAO_DISABLE_PLUGINS``."""
        raw = os.environ.get("YIBAO_LOAD_PLUGINS")
        load = None if raw is None else [name for name in raw.split(",") if name.strip()]
        disable = [name for name in os.environ.get("YIBAO_DISABLE_PLUGINS", "").split(",") if name.strip()]
        return cls.of([name.strip() for name in load] if load is not None else None, [name.strip() for name in disable])

    def refuses(self, distribution: str) -> str:
        """Why a distribution is not loaded, or "" if it is."""
        name = normalise(distribution)
        if name in self.disable:
            return "disabled (YIBAO_DISABLE_PLUGINS, or PolicyEngine(disable=...))"
        if self.load is not None and name != BUILT_IN and name not in self.load:
            return "not among the distributions selected to load (YIBAO_LOAD_PLUGINS, or PolicyEngine(load=...))"
        return ""


def discover(selection: Selection = Selection()) -> dict[str, Entry]:
    """Entries of the group by code, without importing anything they name (the list of
    entry points itself comes from :mod:`yibao.catalogue`'s cache while it is current)."""
    from .catalogue import entries as registered

    found: dict[str, list[Registered]] = {}
    for item in registered(GROUP):
        found.setdefault(item.point.name, []).append(item)
    entries = {}
    for code, items in found.items():
        distribution, version = items[0].distribution, items[0].version
        shippers = sorted({item.distribution or item.point.value for item in items})
        if len(shippers) > 1:
            entries[code] = Entry(
                code, None, ", ".join(shippers), "", "failed", f"registered by several distributions: {', '.join(shippers)}"
            )
            continue
        refused = selection.refuses(distribution)
        entries[code] = Entry(code, items[0].point, distribution, version, "disabled" if refused else "available", refused)
    return entries


def load_entry(entry: Entry) -> Layer:
    """Import a region plugin and wrap it as a layer; any failure is a PluginError."""
    if entry.point is None or entry.status != "available":
        raise PluginError(entry.code, entry.reason or "not available", entry.distribution, entry.version)
    try:
        plugin = entry.point.load()
    except Exception as exc:  # a plugin's import error must not take the host down
        raise PluginError(entry.code, f"import failed: {type(exc).__name__}: {_one_line(exc)}", entry.distribution, entry.version) from exc
    return load_plugin(entry.code, plugin, entry.distribution, entry.version)


def load_plugin(code: str, plugin: object, distribution: str = "", version: str = "") -> Layer:
    """Wrap an already-imported plugin object (module or instance) as a layer."""
    try:
        data = load_region_file(parameter_file(code, plugin, distribution, version))
    except ParameterFileError as exc:
        raise PluginError(code, f"parameter file: {exc}", distribution, version) from None
    return make_layer(code, plugin, data, distribution, version)


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
    text = str(exc).strip().splitlines()
    return text[0] if text else repr(exc)
