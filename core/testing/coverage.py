"""Rule coverage for region authors: which of a layer's parameters and named steps the
scenarios reached, and which they never did (``pytest --yibao-coverage``).

Each passing scenario is explained again (``yibao.explain``, ``Move.explain``); every
parameter value a step read that was not overridden counts for the layer whose file
supplied it, every named step (``tracing.step``) for the layer whose hook named it. The
named steps a layer can take are read from its plugin's source: the literal codes of its
``tracing.step(...)`` calls.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from ..plugins import BASELINE


@attrs.frozen
class LayerCoverage:
    """One layer's figures: what it defines, what the scenarios reached."""

    layer: str
    parameters: tuple[str, ...]
    steps: tuple[str, ...]
    reached_parameters: frozenset[str]
    reached_steps: frozenset[str]

    @property
    def total(self) -> int:
        return len(self.parameters) + len(self.steps)

    @property
    def reached(self) -> int:
        return len(self.reached_parameters & set(self.parameters)) + len(self.reached_steps & set(self.steps))

    @property
    def percent(self) -> float:
        return 100.0 if not self.total else 100.0 * self.reached / self.total

    def never(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(parameters, named steps) no scenario reached, in the file's order."""
        return (
            tuple(name for name in self.parameters if name not in self.reached_parameters),
            tuple(code for code in self.steps if code not in self.reached_steps),
        )


class Coverage:
    """Collects what the scenarios of one pytest run reached, layer by layer."""

    def __init__(self) -> None:
        self._layers: dict[str, Any] = {}  # layer code -> Layer (the region layers of the stacks asked)
        self._parameters: dict[str, set[str]] = {}
        self._steps: dict[str, set[str]] = {}

    def record(self, engine: Any, scenario: Any) -> None:
        """Explain a scenario that passed and note what its steps reached."""
        if scenario.raises is not None:
            return
        if scenario.kind == "move":
            origin, destination = (str(code).split(".", 1)[0] for code in (scenario.origin, scenario.destination))
            explanation = engine.move(origin, destination, scenario.member, scenario.as_of).explain()
            stacks = [engine.stack(origin), engine.stack(destination)]
        else:
            region = scenario.region.split(".", 1)[0]
            explanation = engine.explain(region, scenario.member, scenario.as_of)
            stacks = [engine.stack(region)]
        for stack in stacks:
            for layer in stack.layers:
                if layer.code != BASELINE:
                    self._layers.setdefault(layer.code, layer)
        for step in explanation.all_steps():
            if step.overridden:
                continue  # a layer whose answer was not applied: its rule was not what the scenario tested
            if step.named:
                self._steps.setdefault(step.layer, set()).add(step.code)
            for read in step.params:
                if read.applied is not None:
                    self._parameters.setdefault(read.applied.layer, set()).add(read.name)
                else:  # none in force: the rule still asked for it, of every layer that defines it
                    for code, layer in self._layers.items():
                        if read.name in layer.data.parameters:
                            self._parameters.setdefault(code, set()).add(read.name)

    def layers(self) -> list[LayerCoverage]:
        """Each region layer asked, by code."""
        return [
            LayerCoverage(
                code,
                tuple(layer.data.parameters),
                declared_steps(layer.plugin),
                frozenset(self._parameters.get(code, ())),
                frozenset(self._steps.get(code, ())),
            )
            for code, layer in sorted(self._layers.items())
        ]


def declared_steps(plugin: object) -> tuple[str, ...]:
    """The codes of the ``tracing.step("AREA.WHAT", ...)`` calls in a plugin's source (its
    module, and the other modules of its package), in order of appearance."""
    codes: dict[str, None] = {}
    for path in _sources(plugin):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            first = node.args[0]
            if name == "step" and isinstance(first, ast.Constant) and isinstance(first.value, str) and "." in first.value:
                codes.setdefault(first.value)
    return tuple(codes)


def _sources(plugin: object) -> Iterable[Path]:
    module = plugin if inspect.ismodule(plugin) else inspect.getmodule(type(plugin))
    try:
        file = inspect.getsourcefile(module) if module is not None else None  # type: ignore[arg-type]
    except TypeError:
        file = None
    if file is None:
        return ()
    here = Path(file)
    if here.name == "__init__.py":
        return sorted(here.parent.glob("*.py"))
    return (here,)


def report(figures: list[LayerCoverage], width: int = 80) -> list[str]:
    """Lines for the terminal: per layer, the share reached, then what was never reached."""
    lines = []
    for item in figures:
        lines.append(
            f"{item.layer}: {item.percent:.0f}% reached ({len(item.reached_parameters & set(item.parameters))}/{len(item.parameters)} "
            f"parameters, {len(item.reached_steps & set(item.steps))}/{len(item.steps)} named steps)"
        )
        parameters, steps = item.never()
        for label, names in (("never reached: parameters", parameters), ("never reached: named steps", steps)):
            if names:
                lines += _wrapped(f"  {label}: ", ", ".join(names), width)
    return lines


def _wrapped(head: str, text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width, initial_indent=head, subsequent_indent=" " * 4, break_on_hyphens=False) or [head]
