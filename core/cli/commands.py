"""What each command does, apart from parsing its options (see ``__init__``)."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from typing import Any

import typer

from .. import labels
from ..engine import default_engine
from ..errors import InputError
from .inputs import read_date, read_member


@contextlib.contextmanager
def rules_running() -> Iterator[None]:
    """While plugins run, what they print goes to stderr: stdout carries the answer only
    (``--format json`` stays valid JSON whatever a hook prints)."""
    with contextlib.redirect_stdout(sys.stderr):
        yield


def emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def regions_command(fmt: str) -> None:
    with rules_running():
        statuses = default_engine().regions()
    if fmt == "json":
        emit_json([status.to_dict() for status in statuses])
        return
    from .render import grid

    rows = [
        [
            s.code,
            f"{s.name_zh} {s.name_en}".strip(),
            f"{s.distribution} {s.version}".strip(),
            str(s.spec_version or ""),
            s.status if not s.reason else f"{s.status}: {s.reason}",
            ", ".join(s.hooks),
        ]
        for s in statuses
    ]
    typer.echo(grid(["code", "name", "distribution", "spec", "status", "hooks"], rows))


def evaluate_command(region: str, member_path: str | None, as_of: str | None, fmt: str, lang: str | None) -> None:
    member = read_member(member_path)
    day = read_date(as_of)
    with rules_running():
        result = default_engine().evaluate(region, member, day)
    if fmt == "json":
        emit_json(result.to_dict())
        return
    from .render import evaluation_text

    typer.echo(evaluation_text(result, lang or labels.default_language()))


def show_command(region: str, as_of: str | None, fmt: str) -> None:
    from ..showing import region_parameters

    day = read_date(as_of)
    with rules_running():
        data = region_parameters(default_engine().stack(region), day)
    if fmt == "json":
        emit_json(data)
        return
    from .render import grid

    rows = [
        [
            p["name"],
            p["layer"],
            "—" if p["value"] is None else _plain(p["value"]),
            "" if p["from"] is None else f"{p['from']}{'?' if p['from_uncertain'] else ''} – {p['to'] or ''}",
            _status(p),
            " ".join(f"({c['confidence']}) {c['title']}" for c in p["citations"]),
        ]
        for p in data["parameters"]
    ]
    lines = [
        f"{data['region_name']['zh']} {data['region_name']['en']} — parameters in force on {data['as_of']} — layers: {' < '.join(data['layers'])}",
        "",
    ]
    lines.append(grid(["parameter", "layer", "value", "in force", "", "sources"], rows))
    if any(p["from_uncertain"] for p in data["parameters"]):
        lines += ["", "?: no source dates the start; the value applies from the date shown, uncertain."]
    if any(p["ceiling"] for p in data["parameters"]):
        lines += ["ceiling: an upper bound a source sets, shown and never applied as the rule."]
    if data["not_modelled"]:
        lines += ["", "Not modelled:"] + [f"- {item['topic']} ({item['layer']}): {item['reason']}" for item in data["not_modelled"]]
    typer.echo("\n".join(lines))


def _status(parameter: dict[str, Any]) -> str:
    """What a person must know about a value before reading it: ceiling, stale, absent."""
    marks = ["ceiling"] if parameter["ceiling"] else []
    if parameter["stale"]:
        marks.append("stale")
    elif parameter["value"] is None:
        marks.append("not in force")
    return " ".join(marks)


def _plain(value: Any) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value)


def compare_command(
    regions: list[str], member_path: str | None, as_of: str | None, fmt: str, only_differences: bool, lang: str | None
) -> int:
    """Print the comparison; exit code 1 when a region failed, 0 otherwise."""
    if len(regions) < 2:
        raise InputError("REGION", f"compare needs two or more regions (or REGION@YYYY-MM-DD dates), got {len(regions)}")
    member = read_member(member_path)
    day = read_date(as_of)
    with rules_running():
        comparison = default_engine().compare(regions, member, day)
    if fmt == "json":
        emit_json(comparison.to_dict())
    else:
        from .render import comparison_text

        typer.echo(
            comparison_text(comparison, lang or labels.default_language(), markdown=fmt == "markdown", only_differences=only_differences)
        )
    for label, reason in comparison.failures.items():
        typer.echo(f"policy: {label} failed: {reason}", err=True)
    return 1 if comparison.failures else 0


def validate_command(file: str, kind: str | None, fmt: str) -> int:
    from ..checking import check_file

    report = check_file(file, kind)
    if fmt == "json":
        emit_json({"file": report.file, "kind": report.kind, "valid": report.ok, "problems": list(report.problems)})
    elif report.ok:
        typer.echo(f"{report.file}: valid {report.kind} file ({report.summary})")
    else:
        for problem in report.problems:
            typer.echo(f"{report.file}: {problem}")
        typer.echo(f"{report.file}: {len(report.problems)} problem{'s' if len(report.problems) != 1 else ''}")
    return 0 if report.ok else 1


def timeline_command(region: str, member_path: str, start: str | None, end: str | None, fmt: str, lang: str | None) -> None:
    """``policy timeline``: the window's errors name the options (--from, --to)."""
    import sys

    member = read_member(member_path)
    try:
        result = default_engine().timeline(region, member, start, end)
    except InputError as exc:
        if exc.path in ("start", "end"):
            raise InputError("--from" if exc.path == "start" else "--to", exc.reason) from None
        raise
    if fmt == "json":
        emit_json(result.to_dict())
        return
    from .timeline_view import timeline_csv, timeline_text

    if fmt == "csv":
        sys.stdout.flush()
        sys.stdout.buffer.write(timeline_csv(result))
        sys.stdout.buffer.flush()
        return
    typer.echo(timeline_text(result, lang or labels.default_language()))


def move_command(origin: str, destination: str, member_path: str | None, on: str | None, fmt: str) -> None:
    member = read_member(member_path)
    day = read_date(on, "--on")
    with rules_running():
        result = default_engine().move(origin, destination, member, day)
    if fmt == "json":
        emit_json(result.to_dict())
        return
    from .move_view import move_text

    typer.echo(move_text(result.to_dict(), markdown=fmt == "markdown"))
