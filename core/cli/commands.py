"""What each command does, apart from parsing its options (see ``__init__``)."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from typing import Any

from .. import labels
from ..engine import default_engine
from ..errors import InputError
from .echo import echo
from .inputs import read_date, read_member


@contextlib.contextmanager
def rules_running() -> Iterator[None]:
    """While plugins run, what they print goes to stderr: stdout carries the answer only
    (``--format json`` stays valid JSON whatever a hook prints)."""
    with contextlib.redirect_stdout(sys.stderr):
        yield


def emit_json(data: Any) -> None:
    """Indented for a person at a terminal; one line without spaces for a program (piped)."""
    import sys

    if sys.stdout.isatty():
        echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        echo(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def regions_command(fmt: str, lang: str | None = None) -> None:
    with rules_running():
        statuses = default_engine().regions()
    if fmt == "json":
        emit_json([status.to_dict() for status in statuses])
        return
    from .render import regions_view

    regions_view(statuses, lang or labels.default_language())


def coverage_command(as_of: str | None, fmt: str, lang: str | None = None) -> None:
    from ..coverage import coverage, markdown

    day = read_date(as_of)
    with rules_running():
        result = coverage(default_engine(), day)
    language = lang or labels.default_language()
    if fmt == "json":
        emit_json(result.to_dict())
        return
    if fmt == "markdown":
        sys.stdout.write(markdown(result, language))
        return
    from .render import coverage_view

    coverage_view(result, language)


def evaluate_command(
    region: str, member_path: str | None, as_of: str | None, fmt: str, lang: str | None, show_sources: bool = False
) -> None:
    member = read_member(member_path)
    day = read_date(as_of)
    with rules_running():
        result = default_engine().evaluate(region, member, day)
    if fmt == "json":
        emit_json(result.to_dict())
        return
    from .render import evaluation_view

    evaluation_view(result, lang or labels.default_language(), representative=member_path is None, show_sources=show_sources)


def explain_command(region: str, member_path: str | None, as_of: str | None, area: str | None, fmt: str, lang: str | None) -> None:
    member = read_member(member_path)
    day = read_date(as_of)
    with rules_running():
        data = default_engine().explain(region, member, day, area=area).to_dict()
    explanation_out(data, fmt, lang, representative=member_path is None)


def explanation_out(data: dict[str, Any], fmt: str, lang: str | None, *, representative: bool = False) -> None:
    """An explanation's JSON, or its text (``--why`` of timeline and move print it too)."""
    if fmt == "json":
        emit_json(data)
        return
    from . import places
    from .explain_view import explanation_text
    from .render import emit_text

    destination = [data["answer"]["destination"]["code"]] if data["kind"] == "move" else []
    places.teach([data["region"], *destination])  # layers by name under zh, never by code
    emit_text(explanation_text(data, lang or labels.default_language(), representative=representative))


def show_command(region: str, as_of: str | None, fmt: str, lang: str | None = None, show_sources: bool = False) -> None:
    from ..showing import region_parameters

    day = read_date(as_of)
    with rules_running():
        data = region_parameters(default_engine().stack(region), day)
    if fmt == "json":
        emit_json(data)
        return
    from .render import show_view

    show_view(data, lang or labels.default_language(), show_sources=show_sources)


def compare_command(
    regions: list[str],
    member_path: str | None,
    as_of: str | None,
    fmt: str,
    only_differences: bool,
    lang: str | None,
    show_sources: bool = False,
) -> int:
    """Print the comparison; exit code 1 when a region failed, 0 otherwise."""
    if len(regions) < 2:
        raise InputError("REGION", f"compare needs two or more regions (or REGION@YYYY-MM-DD dates), got {len(regions)}")
    member = read_member(member_path)
    day = read_date(as_of)
    with rules_running():
        comparison = default_engine().compare(regions, member, day)
    language = lang or labels.default_language()
    if fmt == "json":
        emit_json(comparison.to_dict())
    elif fmt == "markdown":
        from .markdown import comparison_markdown

        echo(comparison_markdown(comparison, language, only_differences=only_differences))
    else:
        from .render import comparison_view

        comparison_view(
            comparison, language, only_differences=only_differences, representative=member_path is None, show_sources=show_sources
        )
    for label, reason in comparison.failures.items():
        echo(f"policy: {label} failed: {reason}", err=True)
    return 1 if comparison.failures else 0


def validate_command(file: str, kind: str | None, fmt: str) -> int:
    from ..checking import check_file

    report = check_file(file, kind)
    if fmt == "json":
        emit_json({"file": report.file, "kind": report.kind, "valid": report.ok, "problems": list(report.problems)})
    elif report.ok:
        echo(f"{report.file}: valid {report.kind} file ({report.summary})")
    else:
        for problem in report.problems:
            echo(f"{report.file}: {problem}")
        echo(f"{report.file}: {len(report.problems)} problem{'s' if len(report.problems) != 1 else ''}")
    return 0 if report.ok else 1


def timeline_command(
    region: str, member_path: str, start: str | None, end: str | None, fmt: str, lang: str | None, why: str | None = None
) -> None:
    """``policy timeline``: the window's errors name the options (--from, --to, --why)."""
    import sys

    member = read_member(member_path)
    try:
        result = default_engine().timeline(region, member, start, end)
    except InputError as exc:
        if exc.path in ("start", "end"):
            raise InputError("--from" if exc.path == "start" else "--to", exc.reason) from None
        raise
    if why is not None:
        try:
            with rules_running():
                data = result.explain(why).to_dict()
        except InputError as exc:
            raise InputError("--why", exc.reason) from None
        explanation_out(data, "json" if fmt == "json" else "table", lang)
        return
    if fmt == "json":
        emit_json(result.to_dict())
        return
    from .timeline_view import timeline_csv, timeline_text

    if fmt == "csv":
        sys.stdout.flush()
        sys.stdout.buffer.write(timeline_csv(result))
        sys.stdout.buffer.flush()
        return
    from . import places
    from .render import emit_text

    places.teach(result.regions)
    emit_text(timeline_text(result, lang or labels.default_language()))  # laid out for 80 columns; folded below that


def move_command(
    origin: str,
    destination: str,
    member_path: str | None,
    on: str | None,
    fmt: str,
    show_sources: bool = False,
    lang: str | None = None,
    why: bool = False,
) -> None:
    member = read_member(member_path)
    day = read_date(on, "--on")
    with rules_running():
        result = default_engine().move(origin, destination, member, day)
        data = result.explain().to_dict() if why else None
    if data is not None:
        explanation_out(data, "json" if fmt == "json" else "table", lang, representative=member_path is None)
        return
    if fmt == "json":
        emit_json(result.to_dict())
        return
    if fmt == "markdown":
        from . import places
        from .move_view import move_text

        places.teach([origin, destination])  # (the layers that answered, by name under zh)
        shown = lang or labels.default_language()
        echo(move_text(result.to_dict(citations="full"), markdown=True, lang=shown))  # (it reads each citation's own title)
        return
    from .render import move_view

    move_view(
        result.to_dict(), member=member if member_path is None else None, show_sources=show_sources, lang=lang or labels.default_language()
    )
