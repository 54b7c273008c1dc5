"""A region as a stack of layers, and the one loop that asks them in order.

Lowest first: the national baseline, then any parent (a province under a city), then
the region itself. For each area the highest layer whose hook returns a decision
answers; ``None`` passes the question down. The order is the stack's, fixed when it is
built, never the order in which plugins were imported.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import getcontext, setcontext
from time import perf_counter
from typing import Any, TypeVar

import attrs
import pluggy

from . import hookspecs
from .areas import AREAS, HOOKS
from .decision_fields import problem
from .decisions import Decision, TransferInDecision
from .errors import InputError, PluginError, YibaoError
from .evaluation import Evaluation
from .member import Member
from .money import CONTEXT
from .months import month_of
from .parameters import Applied, NotModelled, Parameter, Params, RegionData
from .provenance import LayerOrigin, now
from .vocabulary.binding import rule_plugin

T = TypeVar("T")


@attrs.frozen
class Layer:
    """One plugin with its parameter file, behind a plugin manager of its own.

    A manager per layer keeps each plugin's hooks apart, so precedence is the stack's
    business, and a validation error names exactly one plugin.
    """

    code: str
    data: RegionData
    plugin: object
    hooks: Any  # pluggy.HookRelay
    distribution: str = ""
    version: str = ""
    notes: tuple[str, ...] = ()  # what the host survived while loading it (output captured at import)
    #: yibao-policy's own layers: their decisions are proved sound by the test suite (the
    #: same checks, on every test member and fuzzed ones) instead of on the hot path.
    trusted: bool = False

    @property
    def implemented(self) -> tuple[str, ...]:
        """Names of the hooks this layer's plugin implements."""
        return tuple(hook for _, hook, _ in HOOKS if getattr(self.hooks, hook).get_hookimpls())


def make_layer(code: str, plugin: object, data: RegionData, distribution: str = "", version: str = "") -> Layer:
    """Register ``plugin`` against the specs; unknown hook names or arguments are refused here."""
    if data.code != code:
        raise PluginError(code, f"its parameter file {data.file} declares code {data.code!r}", distribution, version)
    if data.spec_version != hookspecs.SPEC_VERSION:
        raise PluginError(
            code,
            f"written for hook-spec version {data.spec_version}, this yibao provides version {hookspecs.SPEC_VERSION}",
            distribution,
            version,
        )
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    try:
        manager.register(plugin, name=code)
        implemented = frozenset(hook for _, hook, _ in HOOKS if getattr(manager.hook, hook).get_hookimpls())
        rules, shadowed = rule_plugin(data, implemented)  # [rules.<area>] tables: hooks the plugin does not implement
        if rules is not None:
            manager.register(rules, name=f"{code}[rules]")
        manager.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(code, _first_line(str(exc)), distribution, version) from None
    return Layer(code, data, plugin, manager.hook, distribution, version, notes=shadowed)


class Stack:
    """The layers of one region, lowest first, ready to evaluate members.

    ``code`` names the region; overlays above it change its rules, not who it is.
    """

    __slots__ = ("code", "layers", "top", "origins", "_plan", "_views", "_params", "_checked", "_by_area", "_reform", "_copies")

    def __init__(self, layers: tuple[Layer, ...], code: str | None = None, reform: dict[str, Parameter] | None = None) -> None:
        self._reform = reform  # a reform's parameters (yibao.reform), put over every layer's own
        self.layers = layers
        self.code = code or layers[-1].code
        self.top: Layer = next(layer for layer in layers if layer.code == self.code)  # the region's own layer, not an overlay
        self._views = _param_views(layers)
        self.origins = tuple(LayerOrigin(layer.code, layer.distribution, layer.version, layer.data.sha256) for layer in layers)
        self._params: dict[date, tuple[Params, ...]] = {}
        self._checked: dict[int, Decision] = {}  # decisions already checked, by identity (Params.once hands back the same one)
        self._copies: dict[int, Any] = {}  # third-party layers' own copies of the parameter objects (a deepcopy memo)
        positions = {layer.code: i for i, layer in enumerate(layers)}
        top_down = tuple(reversed(layers))
        self._plan: tuple[tuple[str, str, type[Decision], tuple[tuple[Layer, int, Callable[..., Any], bool], ...]], ...] = tuple(
            (
                area,
                hook,
                kind,
                tuple((layer, positions[layer.code], call, layer.trusted) for layer in top_down if (call := _caller(layer, hook))),
            )
            for area, hook, kind in AREAS
        )
        self._by_area = {entry[0]: entry for entry in self._plan}

    def params(self, day: date) -> tuple[Params, ...]:
        """Each layer's view of the parameters on ``day``: its own over those below it."""
        views = self._params.get(day)
        if views is None:
            if len(self._params) > 4096:
                self._params.clear()
            merged: dict[str, Applied] = {}
            built = []
            for position, (layer, (known, not_modelled)) in enumerate(zip(self.layers, self._views)):
                merged = _over(merged, layer.data.applied(day))
                if self._reform:
                    from .reform import override

                    merged = override(merged, known, layer.code, self._reform, day)
                if layer.trusted:
                    built.append(Params(layer.code, day, merged, known, not_modelled, self._viewer(position)))
                else:  # its own copies: what it does to them (object.__setattr__) reaches no other layer or region
                    own = self._isolated
                    built.append(Params(layer.code, day, own(merged), own(known), own(not_modelled), self._viewer(position)))
            views = self._params[day] = tuple(built)
        return views

    def _isolated(self, shared: Mapping[str, T]) -> dict[str, T]:
        """Copies of ``shared``'s values for a third-party layer, made once per object.

        Parameter values, dates and citations are frozen attrs objects, shared by every
        stack (national's by every region): ``object.__setattr__`` still writes them. A
        plugin's hooks see copies, so such a write changes that plugin's answers alone.
        """
        return {name: copy.deepcopy(value, self._copies) for name, value in shared.items()}

    def _viewer(self, position: int) -> Callable[[date], Params]:
        """How a layer's view reaches its view on another day (``Params.on``)."""
        return lambda day: self.params(day)[position]

    def evaluate(self, member: Member, as_of: date) -> Evaluation:
        """Ask each area's layers top-down; the first decision answers.

        Hooks run under yibao's own decimal context (a fresh copy each time, so neither
        the caller's context nor a plugin that changes it alters anyone's answers).
        Anything a hook raises (``SystemExit`` included; ``KeyboardInterrupt`` excepted)
        or returns that breaks the contract is a :class:`PluginError` naming its layer
        (see :mod:`yibao.decision_fields`; yibao-policy's own layers are checked by the
        test suite instead, which keeps the hot path fast).
        """
        if type(member) is not Member or (type(as_of) is not date and (type(as_of) is datetime or not isinstance(as_of, date))):
            # (otherwise the first hook would be blamed for it)
            raise InputError(
                "member" if type(member) is not Member else "as_of",
                f"Stack.evaluate takes a yibao.Member and a datetime.date (got {type(member).__name__}, {type(as_of).__name__});"
                " PolicyEngine.evaluate converts a mapping and a 'YYYY-MM-DD' string",
            )
        views = self.params(as_of)
        decisions: dict[str, Decision] = {}
        answered_by: dict[str, str] = {}
        seen = member.in_month(month_of(as_of))  # the base, tier and category of the range paying the as-of month
        ask = self._ask
        caller_context = getcontext()
        setcontext(CONTEXT.copy())
        try:
            for area, hook, kind, callers in self._plan:
                decisions[area], answered_by[area] = ask(hook, kind, callers, views, seen, as_of)
        finally:
            setcontext(caller_context)
        top = self.top.data
        return Evaluation(
            region=self.code,
            region_name=(top.name_zh, top.name_en),
            as_of=as_of,
            member=member,
            layers=tuple(layer.code for layer in self.layers),
            decisions=decisions,
            answered_by=answered_by,
            origins=self.origins,
            evaluated_at=now(),
        )

    def _check(self, decision: object, kind: type[Decision], hook: str, layer: Layer) -> None:
        """Refuse a decision of the wrong class, without evidence, or with a bad field."""
        if type(decision) is not kind:
            reason = f"hook {hook} returned {type(decision).__name__}, expected {kind.__name__} or None"
        elif not decision.basis and not decision.citations:  # type: ignore[attr-defined]
            reason = f"hook {hook} returned a decision without citations"
        else:
            try:
                bad = problem(decision)  # type: ignore[arg-type]
            except (KeyboardInterrupt, YibaoError):
                raise
            except BaseException as exc:  # a field whose comparison raises
                bad = f"a field could not be checked ({_describe(exc)})"
            if bad is None:
                if len(self._checked) > 4096:
                    self._checked.clear()
                self._checked[id(decision)] = decision  # type: ignore[assignment]  # kept alive, so the id is not reused
                return
            reason = f"hook {hook} returned a {kind.__name__} with a bad field: {bad}"
        raise PluginError(layer.code, reason, layer.distribution, layer.version)

    def decide(self, area: str, member: Member, as_of: date) -> tuple[Decision, str]:
        """One area's decision and the layer that gave it, asked of the layers as
        :meth:`evaluate` asks them; see :meth:`decide_areas`."""
        return self.decide_areas((area,), member, as_of)[0]

    def decide_areas(self, areas: tuple[str, ...], member: Member, as_of: date) -> tuple[tuple[Decision, str], ...]:
        """Some areas' decisions, each with the layer that gave it, with the isolation and
        checks of :meth:`evaluate` under one fresh copy of yibao's decimal context (the
        timeline needs two areas a month, not five). ``member`` is given to the hooks as
        it is (the timeline passes the member as the rules see that month)."""
        if type(member) is not Member or type(as_of) is not date:
            raise InputError(
                "member" if type(member) is not Member else "as_of",
                f"Stack.decide_areas takes a yibao.Member and a datetime.date (got {type(member).__name__}, {type(as_of).__name__})",
            )
        views = self._params.get(as_of) or self.params(as_of)
        ask, plan = self._ask, self._by_area
        caller_context = getcontext()
        setcontext(CONTEXT.copy())
        try:
            out = []
            for area in areas:
                _, hook, kind, callers = plan[area]
                out.append(ask(hook, kind, callers, views, member, as_of))
            return tuple(out)
        finally:
            setcontext(caller_context)

    def _ask(
        self,
        hook: str,
        kind: type[Any],
        callers: tuple[Any, ...],
        views: tuple[Params, ...],
        member: Member,
        as_of: date,
        extra: dict[str, Any] | None = None,
    ) -> tuple[Any, str]:
        """The first decision of ``callers`` (top-down) and its layer's code: the one loop
        behind evaluate, decide_areas and transfer_in. Anything a hook raises but
        ``KeyboardInterrupt`` (``SystemExit`` included) or returns that breaks the contract
        is that layer's :class:`PluginError`. The caller sets yibao's decimal context."""
        for layer, position, call, trusted in callers:
            try:
                if not trusted:
                    decision = _guarded(layer, hook, call, member, as_of, views[position], extra)
                elif extra is None:  # (the five areas: no keyword unpacking on the hot path)
                    decision = call(member=member, as_of=as_of, params=views[position])
                else:
                    decision = call(member=member, as_of=as_of, params=views[position], **extra)
            except (YibaoError, KeyboardInterrupt):
                raise
            except BaseException as exc:  # SystemExit, GeneratorExit...: the plugin's failure, not the host's
                raise PluginError(layer.code, f"hook {hook} raised {_describe(exc)}", layer.distribution, layer.version) from (
                    exc if isinstance(exc, Exception) else None
                )
            if decision is None:
                continue
            if not trusted and self._checked.get(id(decision)) is not decision:
                self._check(decision, kind, hook, layer)
            return decision, layer.code
        raise PluginError(self.code, f"no layer answered {hook} on {as_of}")

    @property
    def province(self) -> str | None:
        """The province the region lies in: its own ``[region] province``, else its parent's."""
        for layer in reversed(self.layers):
            if layer.data.province:
                return layer.data.province
        return None

    def transfer_in(self, member: Member, as_of: date, origin: Any) -> tuple[TransferInDecision, str]:
        """Ask this stack, as the destination of a move from ``origin``, how it receives
        ``member`` (hook ``transfer_in``): the highest layer that answers, with the same
        isolation and checks as the five areas. Returns the decision and the layer's code."""
        views = self.params(as_of)
        callers = tuple(
            (layer, position, layer.hooks.transfer_in, layer.trusted)
            for position, layer in reversed(tuple(enumerate(self.layers)))
            if layer.hooks.transfer_in.get_hookimpls()
        )
        caller_context = getcontext()
        setcontext(CONTEXT.copy())
        try:
            return self._ask("transfer_in", TransferInDecision, callers, views, member, as_of, {"origin": origin})
        finally:
            setcontext(caller_context)


_ARGUMENTS = frozenset({"member", "as_of", "params"})
#: Seconds one call of a third-party hook may take; ``None``: no limit (see guard_hooks).
_HOOK_SECONDS: list[float | None] = [None]
#: [captures under way, captures begun or ended so far] of yibao.plugins.captured (in any
#: thread): a stream changed while one is under way, or began or ended, is theirs, not a
#: hook's, and is left alone.
CAPTURING = [0, 0]


def guard_hooks(seconds: float | None) -> None:
    """Make a third-party hook that runs longer than ``seconds`` its layer's PluginError
    (``None``: no limit). Process-wide; ``policy serve`` sets it from ``--hook-timeout``.
    A hook cannot be stopped from outside in Python: it is judged when it returns (the
    service's own request limit answers the caller meanwhile)."""
    _HOOK_SECONDS[0] = seconds


def _guarded(
    layer: Layer, hook: str, call: Callable[..., Any], member: Member, as_of: date, params: Params, extra: dict[str, Any] | None
) -> Any:
    """One third-party hook call that cannot change the host: the recursion limit,
    ``sys.stdout``/``sys.stderr`` and yibao's decimal context are put back after it
    (whatever it did), and a change, or a call over the time limit, is its PluginError.
    A raised recursion limit would let the next deep JSON body overflow the C stack."""
    limit, out, err, captures = sys.getrecursionlimit(), sys.stdout, sys.stderr, CAPTURING[1]
    started = perf_counter()
    try:
        if extra is None:
            decision = call(member=member, as_of=as_of, params=params)
        else:
            decision = call(member=member, as_of=as_of, params=params, **extra)
    finally:
        elapsed = perf_counter() - started
        setcontext(CONTEXT.copy())
        changed = (
            _put_back(limit, out, err, captures)
            if sys.getrecursionlimit() != limit or sys.stdout is not out or sys.stderr is not err
            else ""
        )
    if changed:
        raise PluginError(layer.code, f"hook {hook} changed {changed} (put back)", layer.distribution, layer.version)
    seconds = _HOOK_SECONDS[0]
    if seconds is not None and elapsed > seconds:
        raise PluginError(
            layer.code, f"hook {hook} took {elapsed:.1f} s, over the limit of {seconds:g} s", layer.distribution, layer.version
        )
    return decision


def _put_back(limit: int, out: Any, err: Any, captures: int) -> str:
    """What a hook changed of the host, put back ("" if nothing it is blamed for)."""
    changed = []
    if sys.getrecursionlimit() != limit:
        sys.setrecursionlimit(limit)
        changed.append("the recursion limit")
    if not CAPTURING[0] and CAPTURING[1] == captures:  # (else a plugin import in another thread is capturing them)
        if sys.stdout is not out:
            sys.stdout = out
            changed.append("sys.stdout")
        if sys.stderr is not err:
            sys.stderr = err
            changed.append("sys.stderr")
    return " and ".join(changed)


def _caller(layer: Layer, hook: str) -> Callable[..., Any] | None:
    """How to call one layer's implementation of ``hook``, or None if it has none.

    pluggy registered and checked the plugin; with one plugin per layer and first-result
    hooks, calling its function directly gives the same answer for a fraction of the
    cost (this is the hot path). A hook wrapper, if a plugin declares one, goes through
    pluggy as usual.
    """
    caller = getattr(layer.hooks, hook)
    impls = caller.get_hookimpls()
    if not impls:
        return None
    if len(impls) > 1 or any(getattr(impl, "hookwrapper", False) or getattr(impl, "wrapper", False) for impl in impls):
        return caller
    function, names = impls[0].function, tuple(impls[0].argnames)
    if set(names) == _ARGUMENTS:
        return function
    return lambda member, as_of, params: function(**{name: {"member": member, "as_of": as_of, "params": params}[name] for name in names})


def _over(below: dict[str, Applied], own: dict[str, Applied]) -> dict[str, Applied]:
    """A layer's values over those below it, except a stale one where a newer value exists below.

    A stale value applies only "when nothing newer is known": a lower layer's value that
    starts after the stale one ended is newer.
    """
    merged = dict(below)
    for name, applied in own.items():
        under = below.get(name)
        if applied.stale and under is not None and applied.end is not None and under.start > applied.end:
            continue
        merged[name] = applied
    return merged


def _param_views(layers: tuple[Layer, ...]) -> list[tuple[dict[str, Parameter], dict[str, NotModelled]]]:
    """Per layer: the parameters it can see and the not-modelled topics, its own over those below."""
    units: dict[str, tuple[str, str]] = {}
    known: dict[str, Parameter] = {}
    not_modelled: dict[str, NotModelled] = {}
    views = []
    for layer in layers:
        for name, parameter in layer.data.parameters.items():
            below = units.get(name)
            if below is not None and below[1] != parameter.unit:
                raise PluginError(
                    layer.code,
                    f"parameter {name!r} has unit {parameter.unit!r}, but layer {below[0]!r} below defines it with unit {below[1]!r}",
                    layer.distribution,
                    layer.version,
                )
            units[name] = (layer.code, parameter.unit)
        known = {**known, **layer.data.parameters}
        zh = layer.data.not_modelled_zh
        not_modelled = {
            **not_modelled,
            **{topic: NotModelled(topic, reason, zh.get(topic)) for topic, reason in layer.data.not_modelled.items()},
        }
        views.append((known, not_modelled))
    return views


def _describe(exc: BaseException) -> str:
    """``KeyError: 'tier'``, or ``SystemExit(3)`` for a hook that called ``sys.exit``."""
    if isinstance(exc, SystemExit):
        code = exc.code if exc.code is None or isinstance(exc.code, (int, str)) else type(exc.code).__name__
        return f"SystemExit({code!r}) (the plugin called sys.exit)"
    try:
        text = str(exc)
    except Exception:
        text = ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > 1 and "hookimpl definition" in text:
        # pluggy: "Plugin 'x' for hook 'h'\nhookimpl definition: ...\nArgument(s) {...} are declared ..."
        return f"{lines[0]}: {lines[-1]}"
    return lines[0] if lines else text
