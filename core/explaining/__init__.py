"""Explanations: how an answer was reached, step by step (``yibao.explain``).

While an explanation is built, every hook of the region's layers is given a recording
view of its parameters and a watched copy of the member, so an unchanged plugin's trace
already shows what it read; a rule names its reasoning with :func:`yibao.tracing.step`.
The layers are asked by the stack's own loop, top-down; the layers below the one that
answered are then asked too, for the record, and their steps are marked ``overridden``.
See docs/explain.md.
"""

from __future__ import annotations

from .model import FORMAT, AreaExplanation, Explanation
from .recording import Read, Step
from .run import explain_evaluation, explain_month, explain_move

__all__ = ["FORMAT", "AreaExplanation", "Explanation", "Read", "Step", "explain_evaluation", "explain_month", "explain_move"]
