"""``PolicyEngine``: the API for services that want to say which plugins are loaded.

``yibao.evaluate`` and ``yibao.regions`` use one default engine that discovers every
installed region; a service (or a test) builds its own::

    engine = PolicyEngine(entry_points=False, plugins={"myregion": my_plugin_module})
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import attrs

from . import plugins as _plugins
from .errors import PluginError, UnknownRegionError, YibaoError
from .member import Member
from .months import parse_date
from .stack import Layer, Stack

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from .compare import Comparison
    from .evaluation import Evaluation


@attrs.frozen
class RegionStatus:
    """What ``policy regions`` lists: who a region is, who shipped it, and whether it loads."""

    code: str
    status: str  # "loaded" | "failed"
    name_zh: str = ""
    name_en: str = ""
    distribution: str = ""
    version: str = ""
    spec_version: int | None = None
    parent: str | None = None
    hooks: tuple[str, ...] = ()
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self, recurse=False) | {"hooks": list(self.hooks)}


class PolicyEngine:
    """Loads regions on first use and evaluates members against them.

    ``plugins`` maps region codes to plugin objects registered directly (a module or an
    instance with hook implementations); ``entry_points=False`` ignores whatever is
    installed on the machine. Loaded stacks are cached for the engine's lifetime.
    """

    def __init__(self, plugins: Mapping[str, object] | None = None, *, entry_points: bool = True) -> None:
        self._direct = dict(plugins or {})
        self._use_entry_points = entry_points
        self._points: dict[str, EntryPoint] | None = None
        self._layers: dict[str, Layer] = {}
        self._stacks: dict[str, Stack] = {}

    def codes(self) -> list[str]:
        """Codes of every region this engine can load, without loading any."""
        return sorted(set(self._direct) | set(self._entry_points()))

    def evaluate(self, region: str, member: Member | Mapping[str, Any], as_of: date | str | None = None) -> Evaluation:
        """Evaluate ``member`` in ``region`` on ``as_of`` (a date, "YYYY-MM-DD", default today)."""
        stack = self.stack(region)
        checked = member if type(member) is Member else Member.from_mapping(member)  # type: ignore[arg-type]
        day = date.today() if as_of is None else parse_date(as_of)
        return stack.evaluate(checked, day)

    def compare(
        self, regions: Sequence[str], member: Member | Mapping[str, Any], as_of: date | str | None = None
    ) -> Comparison:
        """The same member in each of ``regions`` (codes, or ``code@YYYY-MM-DD``); see :mod:`yibao.compare`."""
        from .compare import compare

        return compare(self, regions, member, as_of)

    def stack(self, code: str) -> Stack:
        """The loaded stack of ``code`` (baseline, parents, region)."""
        stack = self._stacks.get(code)
        if stack is None:
            chain = [self.layer(code)]
            while chain[-1].data.parent:
                parent = chain[-1].data.parent
                if parent in {layer.code for layer in chain} or parent == _plugins.BASELINE:
                    raise PluginError(code, f"parent chain loops or names the baseline: {parent!r}")
                chain.append(self.layer(parent))
            chain.append(self.layer(_plugins.BASELINE))
            stack = self._stacks[code] = Stack(tuple(reversed(chain)))
        return stack

    def layer(self, code: str) -> Layer:
        """Load one layer by code (imports its plugin the first time)."""
        layer = self._layers.get(code)
        if layer is None:
            if not isinstance(code, str):
                raise UnknownRegionError(repr(code), self.codes())
            if code == _plugins.BASELINE:
                layer = _plugins.baseline_layer()
            elif code in self._direct:
                layer = _plugins.load_plugin(code, self._direct[code])
            else:
                point = self._entry_points().get(code)
                if point is None:
                    raise UnknownRegionError(code, self.codes())
                layer = _plugins.load_entry_point(point)
            self._layers[code] = layer
        return layer

    def regions(self) -> list[RegionStatus]:
        """Every region with its status; loading them is the point, failures are listed."""
        out = []
        for code in self.codes():
            try:
                layer = self.stack(code).top
            except YibaoError as exc:
                distribution, version = self._shipped_by(code)
                reason = exc.reason if isinstance(exc, PluginError) else str(exc)
                out.append(RegionStatus(code, "failed", distribution=distribution, version=version, reason=reason))
                continue
            data = layer.data
            out.append(
                RegionStatus(
                    code,
                    "loaded",
                    data.name_zh,
                    data.name_en,
                    layer.distribution,
                    layer.version,
                    data.spec_version,
                    data.parent,
                    layer.implemented,
                )
            )
        return out

    def _entry_points(self) -> dict[str, EntryPoint]:
        if self._points is None:
            self._points = _plugins.discover() if self._use_entry_points else {}
        return self._points

    def _shipped_by(self, code: str) -> tuple[str, str]:
        point = self._entry_points().get(code)
        return _plugins.shipped_by(point) if point is not None else ("", "")


_default: PolicyEngine | None = None


def default_engine() -> PolicyEngine:
    """The process-wide engine behind ``yibao.evaluate`` (all installed regions)."""
    global _default
    if _default is None:
        _default = PolicyEngine()
    return _default
