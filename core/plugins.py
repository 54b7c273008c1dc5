"""Finding and loading region plugins: the ``yibao.regions`` entry-point group.

Discovery reads entry-point metadata only; a region's module is imported the first
time that region is used, so one broken or slow plugin costs nothing to the others.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ParameterFileError, PluginError
from .parameters import load_region_file
from .stack import Layer, make_layer

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

GROUP = "yibao.regions"
BASELINE = "national"


def discover() -> dict[str, EntryPoint]:
    """Entry points of the group by region code, without importing anything they name."""
    from importlib.metadata import entry_points

    found: dict[str, EntryPoint] = {}
    for point in entry_points(group=GROUP):
        found.setdefault(point.name, point)
    return found


def shipped_by(point: EntryPoint) -> tuple[str, str]:
    """(distribution, version) that registered an entry point, or ("", "")."""
    dist = getattr(point, "dist", None)
    return (dist.metadata["Name"], dist.version) if dist is not None else ("", "")


def load_entry_point(point: EntryPoint) -> Layer:
    """Import a region plugin and wrap it as a layer; any failure is a PluginError."""
    distribution, version = shipped_by(point)
    try:
        plugin = point.load()
    except Exception as exc:  # a plugin's import error must not take the host down
        raise PluginError(point.name, f"import failed: {type(exc).__name__}: {exc}", distribution, version) from exc
    return load_plugin(point.name, plugin, distribution, version)


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
        raise PluginError(code, "no parameter file: set PARAMETERS or ship region.toml beside the module", distribution, version)
    return Path(module_file).with_name("region.toml")


def baseline_layer() -> Layer:
    """The national baseline: the bottom layer of every stack, part of ``yibao`` itself."""
    from . import baseline

    return load_plugin(BASELINE, baseline, "yibao-policy", _own_version())


def _own_version() -> str:
    from ._version import __version__

    return __version__
