"""What an explanation records while the hooks run: every parameter a hook reads (through
a recording view of its ``Params``), every member fact it reads (through a watched copy of
the member), and the steps rules name with :func:`yibao.tracing.step`.

Nothing here runs on the ordinary path: the views and the watched member exist only
while an explanation is being built, so ``evaluate`` stays as fast as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import attrs

from ..jsonform import jsonable
from ..labels import parameter
from ..member import Member, _thawed
from ..months import OPEN_END, format_month
from ..parameters import Applied, NotModelled, Params


class Read:
    """One parameter as a hook saw it: the value in force (``None``: none in force) in the
    view of layer ``seen_by`` on ``day``, and (:attr:`overrides`) the lower layers' values
    in force that day that it replaces."""

    __slots__ = ("name", "applied", "seen_by", "day", "_lower", "other_day")

    def __init__(
        self, name: str, applied: Applied | None, seen_by: str, day: date, lower: tuple[Params, ...] = (), other_day: bool = False
    ) -> None:
        self.name, self.applied, self.seen_by, self.day, self._lower = name, applied, seen_by, day, lower
        self.other_day = other_day  # read in force on another day than the answer's (a past gap judged by its own rules)

    @property
    def overrides(self) -> tuple[tuple[str, Any], ...]:
        """(layer, value) of each lower layer's own value of the parameter that this one replaces."""
        applied = self.applied
        if applied is None:
            return ()
        out: list[tuple[str, Any]] = []
        for view in self._lower:
            below = dict.get(view, self.name)
            if below is not None and below.layer != applied.layer and (below.layer, below.value) not in out:
                out.append((below.layer, below.value))
        return tuple(out)

    def __repr__(self) -> str:
        return f"Read({self.name!r}, {None if self.applied is None else self.applied.value!r}, seen_by={self.seen_by!r}, day={self.day})"


class Step:
    """One step of an answer: a stable ``code``, a sentence in each language, the member
    facts and parameters it read, and what it concluded.

    ``named`` is true for a step a rule named (``tracing.step``), false for one the host
    wrote (the layers asked, a parameter read by a hook that names no step).
    ``overridden``: the step belongs to a layer a higher layer's answer overrode.
    Facts are kept as read and put in JSON form when shown (a step is built on the way
    through a hook; most of the cost of showing it is paid only if it is shown).
    """

    __slots__ = ("code", "layer", "_en", "_zh", "facts", "params", "outcome", "named", "overridden", "not_modelled")

    def __init__(
        self,
        code: str,
        layer: str,
        en: str | None,
        zh: str | None,
        facts: tuple[tuple[str, Any], ...] = (),
        params: tuple[Read, ...] = (),
        outcome: Any = None,
        named: bool = False,
        overridden: bool = False,
        not_modelled: tuple[NotModelled, ...] = (),
    ) -> None:
        self.code, self.layer, self._en, self._zh = code, layer, en, zh
        self.facts, self.params, self.outcome = facts, params, outcome
        self.named, self.overridden, self.not_modelled = named, overridden, not_modelled

    @property
    def en(self) -> str:
        return self._en if self._en is not None else _read_text(self, "en")

    @property
    def zh(self) -> str:
        return self._zh if self._zh is not None else _read_text(self, "zh")

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def __repr__(self) -> str:
        return f"Step({self.code!r}, layer={self.layer!r}, en={self.en!r})"


#: The host's steps: code -> (English, Chinese), filled with the step's arguments.
HOST_STEPS: dict[str, tuple[str, str]] = {
    "stack.no_rule": ("{0} has no {1} rule of its own: not asked", "{0} 没有自己的 {1} 规则:不询问"),
    "stack.asked": ("{0} asked ({1})", "询问 {0}({1})"),
    "stack.passed": ("{0} did not answer: passed down", "{0} 未作答:交由下层"),
    "stack.answered": ("{0} answered {1}", "{0} 作答({1})"),
    "stack.overridden": ("{0} overridden by {1}: its own answer follows, not applied", "{0} 被 {1} 覆盖:以下为其本身的答案,未采用"),
    "stack.overridden_answer": ("{0} would have answered (overridden)", "{0} 本会作答(已被覆盖)"),
    "stack.overridden_failed": ("{0} could not answer: {1}", "{0} 无法作答:{1}"),
}

# Kinds of event in a session's log.
_ENTER, _READ, _FACT, _HOST, _STEP, _MISSING = range(6)
MISSING = _MISSING


class Session:
    """The recorder of one explanation (a :class:`yibao.tracing.Recorder`).

    While the hooks run it only appends events to a log (a read costs a tuple and an
    append); :func:`replay` turns an area's log into steps when they are looked at. The
    host says which layer's hook runs (:meth:`enter`) and writes its own steps
    (:meth:`host`); a rule's named step claims the reads it names, and the reads no step
    claims become host steps of their own, one per parameter, in the order read.
    """

    def __init__(self) -> None:
        self.log: list[tuple[Any, ...]] = []
        self._views: dict[int, tuple[Params, Watching]] = {}  # id of a view -> (it, kept alive; its recording copy)
        self._members: dict[int, tuple[Member, Member]] = {}
        self.stacks: dict[tuple[int, date], tuple[Any, tuple[Params, ...]]] = {}  # (stack, day) -> its recording views

    # ------------------------------------------------------------ the host's side

    def take(self) -> tuple[tuple[Any, ...], ...]:
        """The events recorded so far, and a fresh log for the next area (the recording
        views and the member's copies are kept: one explanation builds each once)."""
        events = tuple(self.log)
        self.log.clear()
        return events

    def enter(self, layer: str, *, overridden: bool = False) -> None:
        """A layer's hook starts: what follows is its."""
        self.log.append((_ENTER, layer, overridden))

    def host(self, code: str, *args: Any, outcome: Any = None, not_modelled: tuple[NotModelled, ...] = ()) -> None:
        """A step the host writes (which layer was asked, which answered): its sentences
        are :data:`HOST_STEPS`'s for ``code``, filled with ``args`` when shown."""
        self.log.append((_HOST, code, args, outcome, not_modelled))

    def view(self, base: Params, stack_view: Callable[[date], Params] | None, lower: tuple[Params, ...]) -> Params:
        """A recording copy of ``base`` (one per view, so ``on(day)`` keeps recording)."""
        found = self._views.get(id(base))
        if found is None:
            found = self._views[id(base)] = (base, Watching(base, self, stack_view, lower))
        return found[1]

    def watch(self, member: Member) -> Member:
        """A copy of ``member`` whose field reads are recorded as facts (one per member)."""
        found = self._members.get(id(member))
        if found is None:
            found = self._members[id(member)] = (member, watched(member, self))
        return found[1]

    # ------------------------------------------------------------ the hooks' side

    def missing(self, found: NotModelled) -> None:
        """A hook asked why a topic is not modelled: the gap arises here."""
        self.log.append((_MISSING, found))

    def step(
        self,
        code: str,
        *,
        en: str,
        zh: str,
        facts: Mapping[str, Any],
        params: tuple[str, ...],
        outcome: Any,
    ) -> None:
        """A step a rule named (``tracing.step``)."""
        self.log.append((_STEP, code, en, zh, facts, params, outcome))


def replay(events: tuple[tuple[Any, ...], ...], day: date | None = None) -> tuple[Step, ...]:
    """An area's events as steps: reads pending until a named step of the same hook call
    claims them (by parameter name) or the hook returns, when they become steps of their
    own; a parameter read twice in one hook call is shown once; facts read go with the
    first step after them."""
    steps: list[Step] = []
    layer, overridden = "", False
    reads: dict[tuple[str, date], Read] = {}
    facts: dict[str, Any] = {}
    said: set[tuple[str, date]] = set()
    views: dict[str, Watching] = {}  # the view each layer last read from

    def flush() -> None:
        shown = tuple(facts.items())
        facts.clear()
        for key, read in reads.items():
            said.add(key)
            steps.append(_read_step(read, layer, overridden, shown))
            shown = ()
        reads.clear()
        if shown:
            steps.append(Step("member.read", layer, None, None, shown, overridden=overridden))

    for event in events:
        kind = event[0]
        if kind == _READ:
            _, name, applied, view = event
            key = (name, view._day)
            if key not in reads and key not in said:
                reads[key] = Read(name, applied, view._owner, view._day, view._lower, day is not None and view._day != day)
            views[layer] = view
        elif kind == _FACT:
            facts.setdefault(event[1], event[2])
        elif kind == _ENTER:
            flush()
            layer, overridden = event[1], event[2]
            said = set()
        elif kind == _HOST:
            flush()
            _, code, args, outcome, not_modelled = event
            en, zh = HOST_STEPS[code]
            steps.append(Step(code, layer, en.format(*args), zh.format(*args), outcome=outcome, overridden=overridden, not_modelled=not_modelled))
        elif kind == _MISSING:
            flush()
            found = event[1]
            steps.append(
                Step(
                    "params.not_modelled",
                    layer,
                    f"not modelled: {found.topic} ({found.reason})",
                    f"未建模:{parameter(found.topic, 'zh')}({found.reason_zh or found.reason})",
                    overridden=overridden,
                    not_modelled=(found,),
                )
            )
        else:  # _STEP
            _, code, en, zh, given, names, outcome = event
            claimed = []
            for name in names:
                key = next((key for key in reads if key[0] == name), None)
                if key is not None:
                    claimed.append(reads.pop(key))
                    said.add(key)
                else:
                    claimed.append(_known(views.get(layer), name, layer))
            before = {path: value for path, value in facts.items() if path not in given}
            facts.clear()  # (reads no step claimed stay pending: a later step of the hook may name them)
            shown = tuple({**before, **given}.items())
            steps.append(Step(code, layer, en, zh, shown, tuple(claimed), outcome, named=True, overridden=overridden))
    flush()
    return tuple(steps)


def _known(view: Watching | None, name: str, layer: str) -> Read:
    """A parameter a step names that its hook did not read (just before): its value in
    the view the layer last read from, or none in force."""
    if view is not None and name in view:
        return Read(name, dict.get(view, name), view._owner, view._day, view._lower)
    return Read(name, None, layer, view._day if view is not None else date.min)


def _read_step(read: Read, layer: str, overridden: bool, facts: tuple[tuple[str, Any], ...]) -> Step:
    return Step("params.read", layer, None, None, facts, (read,), overridden=overridden)


def _read_text(step: Step, lang: str) -> str:
    """The sentence of a host step that reads parameters: "read rate = 0.02 (shenzhen, from 2023-10-01)"."""
    parts = [_fragment(read, lang) for read in step.params]
    if not parts:
        shown = ", ".join(path for path, _ in step.facts)
        return f"读取 {shown}" if lang == "zh" else f"read {shown}"
    return ("读取 " if lang == "zh" else "read ") + "; ".join(parts)


#: (id of a value, language, the day when not the answer's) -> (the value, kept alive; its words).
_FRAGMENTS: dict[tuple[int, str, date | None], tuple[Applied, str]] = {}


def _fragment(read: Read, lang: str) -> str:
    applied = read.applied
    if applied is None:
        return f"{read.name}:{read.day} 无有效值" if lang == "zh" else f"{read.name}: no value in force on {read.day}"
    key = (id(applied), lang, read.day if read.other_day else None)
    found = _FRAGMENTS.get(key)
    if found is not None and found[0] is applied:
        return found[1]
    value = _shown(applied.value)
    if lang == "zh":
        when = f"{read.day} 有效," if read.other_day else ""
        text = f"{read.name} = {value}{'(上限)' if applied.ceiling else ''}({when}{applied.layer},自 {applied.start} 起)"
    else:
        when = f"in force on {read.day}, " if read.other_day else ""
        text = f"{read.name} = {value}{' (a ceiling)' if applied.ceiling else ''} ({when}{applied.layer}, from {applied.start})"
    if len(_FRAGMENTS) > 8192:
        _FRAGMENTS.clear()
    _FRAGMENTS[key] = (applied, text)
    return text


class Watching(Params):
    """A layer's ``Params`` that records what its hook reads (only while explaining).

    Same values, same owner and day; ``once`` is computed afresh (so the reads behind a
    shared answer are seen), ``on(day)`` answers with a recording view of that day.
    """

    __slots__ = ("_session", "_log", "_stack_view", "_lower", "_base")

    def __init__(self, base: Params, session: Session, stack_view: Callable[[date], Params] | None, lower: tuple[Params, ...]) -> None:
        dict.__init__(self, base)
        self._owner = base.owner
        self._day = base.day
        self._known = base._known
        self._not_modelled = base._not_modelled
        self._reasons = {}
        self._once = {}
        self._on = base._on
        self._base = base
        self._session = session
        self._log = session.log
        self._stack_view = stack_view
        self._lower = lower

    def __getitem__(self, name: str) -> Applied | None:
        applied = dict.__getitem__(self, name)  # a name no layer defines: KeyError, as in Params
        self._log.append((_READ, name, applied, self))
        return applied

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        if name not in self:
            return default
        return self[name]

    def once(self, key: str, make: Callable[[], Any]) -> Any:
        """``make()`` once per date and view, as ``Params.once``, with what it recorded: an
        explanation that finds it made replays the reads and steps behind it (the answer
        depends on the date's parameters only, never on the member)."""
        base = self._base
        found = _ONCE.get((id(base), key))
        if found is not None and found[0] is base:
            self._log.extend(found[2])
            return found[1]
        start = len(self._log)
        value = make()
        if len(_ONCE) > 4096:
            _ONCE.clear()
        _ONCE[(id(base), key)] = (base, value, _detached(self._log[start:]))
        return value

    def not_modelled(self, topic: str) -> NotModelled:
        found = super().not_modelled(topic)
        self._session.missing(found)
        return found

    def nearest_citations(self, name: str) -> tuple[Any, ...]:
        self._log.append((_READ, name, dict.get(self, name), self))
        return super().nearest_citations(name)

    def on(self, day: date) -> Params:
        if day == self._day:
            return self
        other = super().on(day) if self._stack_view is None else self._stack_view(day)
        return self._session.view(other, self._stack_view, ())


_NOBODY = Session()  # the session of views kept with a shared answer's events (never recorded into)
#: (id of a layer's view, key) -> (the view, kept alive; the shared answer; the events recorded making it).
_ONCE: dict[tuple[int, str], tuple[Params, Any, tuple[tuple[Any, ...], ...]]] = {}

def _detached(events: list[tuple[Any, ...]]) -> tuple[tuple[Any, ...], ...]:
    """Events to keep beyond their explanation: each view read from replaced by a copy tied
    to no session (so a shared answer's trace keeps no member's data alive)."""
    copies: dict[int, Watching] = {}
    out = []
    for event in events:
        if event[0] == _READ:
            view = event[3]
            copy = copies.get(id(view))
            if copy is None:
                copy = copies[id(view)] = Watching(view._base, _NOBODY, None, view._lower)
            event = (_READ, event[1], event[2], copy)
        out.append(event)
    return tuple(out)


#: Member fields a fact may name (the data a hook reads).
FIELDS = frozenset(field.name for field in attrs.fields(Member))


class _Watched(Member):
    """A member whose field reads are recorded (only while explaining)."""

    __slots__ = ("_log",)

    def __getattribute__(self, name: str) -> Any:
        value = object.__getattribute__(self, name)
        if name in FIELDS:
            try:
                log = object.__getattribute__(self, "_log")
            except AttributeError:
                return value
            log.append((_FACT, name, value))
        return value


def watched(member: Member, session: Session) -> Member:
    copy = object.__new__(_Watched)
    for name in FIELDS:
        object.__setattr__(copy, name, getattr(member, name))
    object.__setattr__(copy, "_log", session.log)
    return copy


def _shown(value: Any) -> str:
    """A value as the JSON shows it (``true``, ``0.02``, ``["spouse", "child"]``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    found = jsonable(value)
    return ", ".join(map(str, found)) if isinstance(found, list) else str(found)


def fact_json(name: str, value: Any) -> Any:
    """A member fact in its JSON form: ranges as "YYYY-MM..YYYY-MM", amounts as strings
    (a history's form built once per explanation's member: each area shows it again)."""
    if name != "contributions" or value is None:  # (only a history is costly to show: its ranges, strings)
        return _fact_json(name, value)
    key = (name, id(value))
    found = _FACTS.get(key)
    if found is None or found[0] is not value:
        if len(_FACTS) > 4096:
            _FACTS.clear()
        found = _FACTS[key] = (value, _fact_json(name, value))
    return list(found[1])


_FACTS: dict[tuple[str, int], tuple[Any, Any]] = {}


def _fact_json(name: str, value: Any) -> Any:
    if name == "contributions":
        return None if value is None else [f"{format_month(start)}..{'' if end >= OPEN_END else format_month(end)}" for start, end in value]
    if name == "periods":
        return None if value is None else [period.to_dict() for period in value]
    if name == "extensions":
        return _thawed(value)
    return jsonable(value)
