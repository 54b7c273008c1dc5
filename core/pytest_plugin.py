"""The ``yibao`` pytest plugin (entry point ``pytest11``): collects ``*.scenarios.toml``.

It is loaded into every pytest run once yibao-policy is installed, so it imports
nothing of yibao until a scenario file is actually collected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

SUFFIX = ".scenarios.toml"
#: What the scenarios of this run reached (``--yibao-coverage``), when asked for.
_COVERAGE: list[Any] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("yibao", "yibao-policy scenarios")
    group.addoption(
        "--yibao-coverage",
        action="store_true",
        default=False,
        help="Report, per region layer, which parameters and named steps the scenarios reached and which they never did.",
    )
    group.addoption(
        "--yibao-coverage-fail-under",
        type=float,
        default=None,
        metavar="PERCENT",
        help="Fail the run when a region layer's scenarios reach less than PERCENT of its parameters and named steps (implies --yibao-coverage).",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--yibao-coverage", False) or config.getoption("--yibao-coverage-fail-under", None) is not None:
        from .testing.coverage import Coverage

        _COVERAGE[:] = [Coverage()]


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if not _COVERAGE:
        return
    from .testing.coverage import report

    figures = _COVERAGE[0].layers()
    terminalreporter.section("yibao rule coverage")
    for line in report(figures) or ["no scenario of a region ran"]:
        terminalreporter.write_line(line)
    floor = config.getoption("--yibao-coverage-fail-under", None)
    below = [item.layer for item in figures if floor is not None and item.percent < floor]
    if below:
        terminalreporter.write_line(f"FAIL: below {floor:g}%: {', '.join(below)}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    floor = session.config.getoption("--yibao-coverage-fail-under", None)
    if _COVERAGE and floor is not None and any(item.percent < floor for item in _COVERAGE[0].layers()):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.name.endswith(SUFFIX):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    def collect(self):  # type: ignore[no-untyped-def]
        from .testing.scenarios import load_scenarios

        try:
            scenarios = load_scenarios(self.path)
        except ValueError as exc:
            raise self.CollectError(str(exc)) from None
        for scenario in scenarios:
            yield ScenarioItem.from_parent(self, name=scenario.name, scenario=scenario)


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario

    def runtest(self) -> None:
        from .errors import YibaoError
        from .testing.contract import engine_for
        from .testing.scenarios import ScenarioFailure, run_scenario

        try:
            engine = engine_for(self.scenario.region)
        except YibaoError as exc:  # an unknown or broken region: one line, not pytest's internals
            raise ScenarioFailure(f"region {self.scenario.region!r} cannot be loaded: {exc}") from None
        run_scenario(self.scenario, engine)
        if _COVERAGE:
            _COVERAGE[0].record(engine, self.scenario)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        from .testing.scenarios import ScenarioFailure

        if isinstance(excinfo.value, ScenarioFailure):
            head = f"scenario {self.scenario.name!r} ({self.scenario.region}, as of {self.scenario.as_of})"
            source = f"\n  source: {self.scenario.source}" if self.scenario.source else ""
            return f"{head}{source}\n{excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"scenario: {self.name}"
