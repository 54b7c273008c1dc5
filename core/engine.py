"""``PolicyEngine``: the API for services that want to say which plugins are loaded.

``yibao.evaluate`` and ``yibao.regions`` use one default engine configured from the
environment (``YIBAO_LOAD_PLUGINS``, ``YIBAO_DISABLE_PLUGINS``, ``YIBAO_STRICT_PLUGINS``);
a service or a test builds its own::

    engine = PolicyEngine(load=["yibao-region-foshan"], strict=True)
    engine = PolicyEngine({"myregion": my_plugin_module}, entry_points=False)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import attrs

from . import plugins as _plugins
from .comparison import Comparison, compare
from .errors import InputError, PluginError, UnknownRegionError, YibaoError
from .member import Member
from .months import parse_date
from .stack import Layer, Stack

if TYPE_CHECKING:
    from .evaluation import Evaluation
    from .explaining import Explanation
    from .moving import Move
    from .timelines import Timeline


@attrs.frozen
class RegionStatus:
    """What ``policy regions`` lists: who a region is, who shipped it, and whether it loads."""

    code: str
    status: str  # "loaded" | "failed" | "disabled"
    name_zh: str = ""
    name_en: str = ""
    distribution: str = ""
    version: str = ""
    spec_version: int | None = None
    parent: str | None = None
    overlay_of: str | None = None
    hooks: tuple[str, ...] = ()
    reason: str = ""
    province: str | None = None
    warnings: tuple[str, ...] = ()  # what the host survived: output captured at import, a reserved code another package claimed

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self, recurse=False) | {"hooks": list(self.hooks), "warnings": list(self.warnings)}


class PolicyEngine:
    """Loads regions on first use and evaluates members against them.

    - ``plugins``: region codes mapped to plugin objects registered directly (a module or
      an instance with hook implementations), beside or instead of entry points;
    - ``entry_points=False``: ignore whatever is installed on the machine;
    - ``load``: distributions allowed to load (``None``: all; ``()``: built-ins only);
    - ``disable``: distributions never loaded;
    - ``strict``: a failing plugin raises everywhere, instead of being reported as failed.

    Loaded stacks are cached for the engine's lifetime.
    """

    def __init__(
        self,
        plugins: Mapping[str, object] | None = None,
        *,
        entry_points: bool = True,
        load: Iterable[str] | None = None,
        disable: Iterable[str] = (),
        strict: bool = False,
    ) -> None:
        if plugins is not None and not isinstance(plugins, Mapping):
            raise InputError("plugins", f"expected a mapping of region code to plugin, got {type(plugins).__name__}")
        for name, flag in (("strict", strict), ("entry_points", entry_points)):
            if not isinstance(flag, bool):  # strict="no" would otherwise be true
                raise InputError(name, f"expected True or False, got {type(flag).__name__} {flag!r:.40}")
        self._direct = dict(plugins or {})
        for code in self._direct:
            if not isinstance(code, str) or code == _plugins.BASELINE or code.startswith(_plugins.BASELINE + "."):
                raise InputError("plugins", f"{code!r} cannot be a region code: 'national' is the baseline, part of yibao itself")
        self._use_entry_points = entry_points
        self._selection = _plugins.Selection.of(load, disable)
        self.strict = strict
        self._entries: dict[str, _plugins.Entry] | None = None
        self._layers: dict[str, Layer] = {}
        self._stacks: dict[str, Stack] = {}
        self._reform_stacks: dict[tuple[str, Any], Stack] = {}

    @classmethod
    def from_environment(cls) -> PolicyEngine:
        """The engine the CLI and ``yibao.evaluate`` use: plugin controls from the environment."""
        engine = cls(strict=_plugins.env_flag("YIBAO_STRICT_PLUGINS"))
        engine._selection = _plugins.Selection.from_environment()
        return engine

    def codes(self) -> list[str]:
        """Codes of every region this engine can evaluate (overlays and disabled ones aside)."""
        available = {code for code, entry in self._catalog().items() if entry.status == "available"}
        return sorted(code for code in set(self._direct) | available if "." not in code)

    def evaluate(
        self, region: str, member: Member | Mapping[str, Any], as_of: date | str | None = None, *, reform: Any = None
    ) -> Evaluation:
        """Evaluate ``member`` in ``region`` on ``as_of`` (a date, "YYYY-MM-DD", default today).

        ``reform``: parameter values overridden (a :class:`yibao.reform.Reform`, the path of
        a reform TOML file, or its parsed mapping); answers resting on them are hypothetical.
        """
        stack = self.stack(region) if reform is None else self.stack(region, reform=reform)
        checked = member if type(member) is Member else Member.from_mapping(member)  # type: ignore[arg-type]
        day = date.today() if as_of is None else parse_date(as_of)
        return stack.evaluate(checked, day)

    def timeline(
        self, region: str, member: Member | Mapping[str, Any], start: date | str | None = None, end: date | str | None = None
    ) -> Timeline:
        """``member`` in ``region`` month by month from ``start`` to ``end``, across the regions
        its ranges name (with this engine's ``move`` at each boundary); see :func:`yibao.timeline`."""
        from . import across as _across
        from . import timelines as _timeline

        stack = self.stack(region)
        checked = member if type(member) is Member else Member.from_mapping(member)  # type: ignore[arg-type]
        first, last = _timeline.window(checked, start, end)
        if not _across.crosses(checked):
            built = _timeline.build(stack, checked, first, last)
        else:
            stacks = {stack.code: stack, **self._history_stacks(member, checked)}
            route = _across.Route(stacks, stack.code, checked, lambda origin, destination, who, on: self.move(origin, destination, who, on))
            built = _timeline.build(stack, checked, first, last, route)
        return attrs.evolve(built, engine=self)  # (Timeline.explain asks this engine again)

    def explain(
        self, region: str, member: Member | Mapping[str, Any], as_of: date | str | None = None, *, area: Any = None
    ) -> Explanation:
        """``evaluate`` with the steps that reached each answer (``area``: one area, or several);
        see :func:`yibao.explain`."""
        from .explaining import explain_evaluation

        stack = self.stack(region)
        checked = member if type(member) is Member else Member.from_mapping(member)  # type: ignore[arg-type]
        day = date.today() if as_of is None else parse_date(as_of)
        return explain_evaluation(stack, checked, day, area)

    def _history_stacks(self, given: Member | Mapping[str, Any], member: Member) -> dict[str, Stack]:
        """The stack of each region a history names; an unknown one is an InputError naming
        ``contributions[i].region`` (``i`` as given, for a mapping)."""
        items = given.get("contributions") if isinstance(given, Mapping) else None
        named = (
            [(i, item.get("region")) for i, item in enumerate(items) if isinstance(item, Mapping)]
            if isinstance(items, list)
            else list(enumerate(period.region for period in member.periods or ()))
        )
        stacks: dict[str, Stack] = {}
        for i, code in named:
            if code is None or code in stacks:
                continue
            try:
                stacks[code] = self.stack(code)
            except UnknownRegionError as error:
                raise InputError(f"contributions[{i}].region", str(error)) from None
        return stacks

    def compare(self, regions: Sequence[str], member: Member | Mapping[str, Any], as_of: date | str | None = None) -> Comparison:
        """The same member in each of ``regions`` (codes, or ``code@YYYY-MM-DD``); see :mod:`yibao.comparison`."""
        return compare(self, regions, member, as_of)

    def move(self, origin: str, destination: str, member: Member | Mapping[str, Any], on: date | str | None = None) -> Move:
        """``member`` moving from ``origin`` to ``destination`` in the month of ``on`` (default
        today): what moves, what blocks it, the steps and when pooled benefits resume; see
        :mod:`yibao.moving`."""
        from .moving import move

        return move(self, origin, destination, member, on)

    def stack(self, code: str, *, reform: Any = None) -> Stack:
        """The loaded stack of ``code``: baseline < parents < region < overlays (and a
        reform's values over them all, when one is given)."""
        if reform is not None:
            return self._reformed(code, reform)
        try:
            stack = self._stacks.get(code)
        except TypeError:  # unhashable: a list given for a code
            stack = None
        if stack is None:
            if not isinstance(code, str):
                raise InputError("region", f"a region code is a string such as 'shenzhen', got {type(code).__name__}")
            if code == _plugins.BASELINE:
                raise UnknownRegionError(code, self.codes(), "'national' is the baseline beneath every region, not a region to evaluate")
            if "." in code:
                raise UnknownRegionError(code, self.codes(), "a dotted code is an overlay; evaluate the region it changes")
            chain = [self.layer(code)]
            while chain[-1].data.parent:
                parent = chain[-1].data.parent
                if parent in {layer.code for layer in chain} or parent == _plugins.BASELINE:
                    raise PluginError(code, f"parent chain loops or names the baseline: {parent!r}")
                chain.append(self.layer(parent))
            chain.append(self.layer(_plugins.BASELINE))
            overlays = [self.layer(name) for name in self._overlays_of(code)]
            stack = self._stacks[code] = Stack((*reversed(chain), *overlays), code)
        return stack

    def _reformed(self, code: str, reform: Any) -> Stack:
        from .reform import as_reform

        found = as_reform(reform)
        key = (code, found)
        cache = self._reform_stacks
        stack = cache.get(key)
        if stack is None:
            if len(cache) > 64:
                cache.clear()
            base = self.stack(code)
            stack = cache[key] = Stack(base.layers, base.code, reform=found.resolve(base))
        return stack

    def layer(self, code: str) -> Layer:
        """Load one layer by code (imports its plugin the first time)."""
        if not isinstance(code, str):
            raise InputError("region", f"a region code is a string such as 'shenzhen', got {type(code).__name__}")
        layer = self._layers.get(code)
        if layer is None:
            if code == _plugins.BASELINE:
                layer = _plugins.baseline_layer()
            elif code in self._direct:
                layer = _plugins.load_plugin(code, self._direct[code])
            else:
                entry = self._catalog().get(code)
                if entry is None:
                    raise UnknownRegionError(code, self.codes())
                layer = _plugins.load_entry(entry)  # a disabled or conflicting entry says why
            self._layers[code] = layer
        return layer

    def regions(self) -> list[RegionStatus]:
        """Every region and overlay with its status: loaded, failed (with the reason) or disabled."""
        out = []
        catalog = self._catalog()
        for code in sorted(set(self._direct) | set(catalog)):
            entry = catalog.get(code) if code not in self._direct else None
            overlay_of = code.split(".", 1)[0] if "." in code else None
            if entry is not None and entry.status != "available":
                if self.strict and entry.status == "failed":
                    raise PluginError(code, entry.reason, entry.distribution, entry.version)
                out.append(
                    RegionStatus(
                        code,
                        entry.status,
                        distribution=entry.distribution,
                        version=entry.version,
                        overlay_of=overlay_of,
                        reason=entry.reason,
                        warnings=entry.notes,
                    )
                )
                continue
            try:
                layer = self.layer(code) if overlay_of else self.stack(code).top
            except YibaoError as exc:
                if self.strict:
                    raise
                reason = exc.reason if isinstance(exc, PluginError) else str(exc)
                distribution, version = (entry.distribution, entry.version) if entry else ("", "")
                notes = entry.notes if entry else ()
                out.append(
                    RegionStatus(
                        code, "failed", distribution=distribution, version=version, overlay_of=overlay_of, reason=reason, warnings=notes
                    )
                )
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
                    overlay_of,
                    layer.implemented,
                    warnings=(entry.notes if entry else ()) + layer.notes,
                    province=data.province,
                )
            )
        return out

    def _catalog(self) -> dict[str, _plugins.Entry]:
        if self._entries is None:
            self._entries = _plugins.discover(self._selection) if self._use_entry_points else {}
        return self._entries

    def _overlays_of(self, code: str) -> list[str]:
        names = {name for name, entry in self._catalog().items() if entry.overlay_of == code and entry.status != "disabled"}
        names |= {name for name in self._direct if name.split(".", 1)[0] == code and "." in name}
        return sorted(names)


_default: PolicyEngine | None = None


def default_engine() -> PolicyEngine:
    """The process-wide engine behind ``yibao.evaluate`` (configured from the environment)."""
    global _default
    if _default is None:
        _default = PolicyEngine.from_environment()
    return _default
