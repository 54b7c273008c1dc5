"""Named steps of an answer, for ``yibao.explain``: a hook (or a library rule) says what
it tested, and the explanation shows it to the person who receives the answer.

Calling :func:`step` costs one context-variable read when no explanation is being
recorded (every ordinary ``evaluate``), so rules may call it freely. Parameters a hook
reads are recorded by the host without the hook doing anything; ``step`` adds the
reasoning between them: which member facts were tested, against which values, and with
what outcome.

    from yibao import tracing

    tracing.step(
        "lapse.gap_length",
        en="the gap ran 5 months (2026-03 to 2026-07)",
        zh="中断 5 个月(2026-03 至 2026-07)",
        facts={"contributions[0].to": "2026-02"},
        params=("long_gap_months",),
        outcome=5,
    )

``code`` is stable (programs may rely on it): ``AREA.WHAT`` in lower case, the area one
of credit, lapse, family, transfer, withdrawal, transfer_in, or the layer's own prefix.

The recorder is :class:`yibao.explaining.recording.Session`, set here by
``yibao.explain`` (and ``Timeline.explain``, ``Move.explain``) while the layers answer;
a step takes the reads of the parameters it names (see docs/hooks.md, "Naming steps").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from typing import Any, Protocol


class Recorder(Protocol):
    """What an explanation in progress collects steps with (see ``yibao.explain``)."""

    def step(
        self,
        code: str,
        *,
        en: str,
        zh: str,
        facts: Mapping[str, Any],
        params: tuple[str, ...],
        outcome: Any,
    ) -> None: ...


#: The recorder of the explanation being built in this context, if any.
ACTIVE: ContextVar[Recorder | None] = ContextVar("yibao_tracing_active", default=None)


def step(
    code: str,
    *,
    en: str,
    zh: str,
    facts: Mapping[str, Any] | None = None,
    params: Iterable[str] = (),
    outcome: Any = None,
) -> None:
    """Record one step of the answer being explained; nothing when none is.

    ``facts`` maps a member field path (``"contributions[0].to"``) to the value read;
    ``params`` names the parameters the step compared them with (their values, dates and
    sources are looked up by the recorder); ``outcome`` is what the step concluded.
    """
    recorder = ACTIVE.get()
    if recorder is None:
        return
    recorder.step(code, en=en, zh=zh, facts=dict(facts or {}), params=tuple(params), outcome=outcome)


def recording() -> bool:
    """Whether an explanation is being recorded: for a rule whose step text is costly to build."""
    return ACTIVE.get() is not None
