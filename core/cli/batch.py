"""``policy batch``: a population file through one region, the answers to a file, a
summary (and the aggregate difference of ``--compare`` / ``--reform``) on the terminal.

Imported only when the command runs: it is the one place the CLI touches pyarrow.
"""

from __future__ import annotations

import json
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import typer

from ..errors import InputError, YibaoError

CHUNK = 50_000  # rows per step of the progress bar; the shapes' answers carry over
PROGRESS_FROM = 200_000  # rows: shorter runs finish before a bar would help
FIRST_ERRORS = 5


def batch_command(
    region: str,
    source: str,
    output: str | None,
    as_of: str | None,
    fmt: str | None,
    compare: str | None,
    reform: str | None,
    keep: list[str],
    summary: str,
    progress: bool | None,
    force: bool = False,
) -> int:
    """Evaluate, write, summarise; exit code 1 when some rows were refused, else 0.

    The answers go to ``output`` (default: beside the input, ``NAME.policy.FORMAT``),
    written atomically (:mod:`yibao.cli.batch_files`); an existing file is replaced only
    with ``force``, and the input never.
    """
    try:
        import numpy  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError as exc:
        raise YibaoError(f'policy batch needs the batch extra ({exc.name} is missing): pip install "yibao-policy[batch]"') from None
    import pyarrow as pa

    from .. import batch
    from .batch_files import check_target, write_atomically
    from .inputs import read_date

    day = read_date(as_of)
    fmt = fmt or _format_of(output)
    target = Path(output) if output else Path(source).with_name(Path(source).stem + f".policy.{fmt}")
    check_target(target, source, force=force)  # before any work: a run is not wasted on a refusal at the end
    started = time.perf_counter()
    main = batch.evaluator(region, day, reform=reform)  # region and reform first: they fail fastest
    against, other_label = _baseline(region, day, compare, reform)
    table = batch.read_table(source, keep)
    show = progress if progress is not None else (sys.stderr.isatty() and table.num_rows >= PROGRESS_FROM)
    out_parts, other_parts = [], []
    with _bar(show, table.num_rows, f"{region} {day}") as advance:
        step = CHUNK if show else max(table.num_rows, 1)  # without a bar, one pass is faster
        for start in range(0, max(table.num_rows, 1), step):
            chunk = table.slice(start, step)
            out_parts.append(main.evaluate(chunk))
            if against is not None:
                other_parts.append(against.evaluate(chunk))
            advance(chunk.num_rows)
    out = batch.with_kept(table, pa.concat_tables(out_parts), keep)
    write_atomically(target, lambda path: _write(out, path, fmt, target), force=force)
    elapsed = time.perf_counter() - started
    report = _summary(out, region, day, reform, target, elapsed)
    if against is not None:
        report["compare"] = _difference(pa.concat_tables(out_parts), pa.concat_tables(other_parts), other_label)
    if summary == "json":
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        typer.echo(_text(report))
    return 1 if report["errors"] else 0


def _format_of(output: str | None) -> str:
    suffix = Path(output).suffix.lower().lstrip(".") if output else ""
    if suffix in ("parquet", "csv", "jsonl"):
        return suffix
    if output and suffix:
        raise InputError("--output", f"cannot tell the format from {output!r}: use .parquet, .csv or .jsonl, or --format")
    return "parquet"


def _baseline(region: str, day: Any, compare: str | None, reform: str | None) -> tuple[Any, str]:
    """What the run is compared with: ``--compare REGION[@DATE]``, or the region without the reform."""
    from .. import batch
    from ..months import parse_date

    if compare:
        code, _, when = compare.partition("@")
        other_day = parse_date(when, "--compare") if when else day
        return batch.evaluator(code, other_day), f"{code}@{other_day.isoformat()}"
    if reform:
        return batch.evaluator(region, day), f"{region}@{day.isoformat()} without the reform"
    return None, ""


class _bar:
    """A rich progress bar on stderr, or nothing."""

    def __init__(self, show: bool, total: int, label: str) -> None:
        self.show, self.total, self.label = show, total, label
        self.progress: Any = None

    def __enter__(self) -> Any:
        if not self.show:
            return lambda rows: None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.progress.start()
        task = self.progress.add_task(self.label, total=self.total)
        return lambda rows: self.progress.advance(task, rows)

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()


def _write(out: Any, path: Path, fmt: str, target: Path) -> None:
    """The answers into ``path`` (a temporary file); errors name ``target``."""
    import pyarrow as pa

    try:
        if fmt == "parquet":
            import pyarrow.parquet as pq

            pq.write_table(out, path)
        elif fmt == "csv":
            import pyarrow.csv as pcsv

            pcsv.write_csv(_lists_as_json(out), path)
        else:
            with open(path, "w", encoding="utf-8") as stream:
                for batch in out.to_batches(65_536):
                    for row in batch.to_pylist():
                        stream.write(json.dumps(row, ensure_ascii=False, default=_json_default) + "\n")
    except OSError as exc:
        raise InputError("--output", f"cannot write {target}: {exc.strerror or exc}") from None
    except (pa.ArrowException, UnicodeError) as exc:
        raise InputError("--output", f"cannot write {target}: {str(exc)[:200]}") from None


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _lists_as_json(out: Any) -> Any:
    """CSV has no lists: a list column is written as its JSON text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arrays = []
    for field, column in zip(out.schema, out.columns):
        if pa.types.is_list(field.type):
            column = _json_lists(column.combine_chunks().cast(pa.list_(pa.string())), pa, pc)
        elif pa.types.is_dictionary(field.type):
            column = column.cast(pa.string())
        arrays.append(column)
    return pa.Table.from_arrays(arrays, names=out.column_names)


def _json_lists(column: Any, pa: Any, pc: Any) -> Any:
    """A list<string> column as JSON text, vectorised when no string needs escaping
    (the codes the rules use never do), else value by value."""
    plain = pc.all(pc.match_substring_regex(column.flatten(), r'^[^"\\\x00-\x1f]*$')).as_py() is not False
    if not plain:
        return pa.array(
            [None if v is None else json.dumps(v, ensure_ascii=False, separators=(",", ":")) for v in column.to_pylist()], pa.string()
        )
    joined = pc.binary_join_element_wise('["', pc.binary_join(column, '","'), '"]', "")
    empty = pc.equal(pc.list_value_length(column), 0)
    return pc.if_else(empty, pa.scalar("[]"), joined)


def _summary(out: Any, region: str, day: Any, reform: str | None, target: Path, elapsed: float) -> dict[str, Any]:
    """What the run answered, counted: the total credit and whom it covers (members with an
    account whose credit is known), and apart from it those without an account, those
    whose credit is not known, the rows refused; answers not modelled or stale per area."""
    import pyarrow.compute as pc

    errors = out.column("error")
    bad = pc.is_valid(errors)
    first = []
    if errors.null_count < len(errors):
        for index in pc.indices_nonzero(bad).to_pylist()[:FIRST_ERRORS]:
            first.append({"row": index, "error": errors[index].as_py()})
    money = out.column("credit_monthly_credit")
    credit = pc.sum(money).as_py() or Decimal("0.00")
    has_account = out.column("credit_has_account")

    def count(mask: Any) -> int:
        return int(pc.sum(pc.cast(pc.fill_null(mask, False), "int64")).as_py() or 0)

    not_modelled = {area: count(pc.invert(out.column(f"{area}_modelled"))) for area in AREAS}
    return {
        "region": region,
        "as_of": day.isoformat(),
        "reform": reform,
        "rows": out.num_rows,
        "errors": len(errors) - errors.null_count,
        "first_errors": first,
        "total_monthly_credit": f"{credit:.2f}",
        "members_credited": count(pc.and_(has_account, pc.is_valid(money))),
        "without_account": count(pc.invert(has_account)),
        "credit_unknown": count(pc.and_(has_account, pc.is_null(money))),
        "not_modelled": not_modelled,
        "stale": count(out.column("stale")),
        "without_pooled_benefits": count(pc.equal(out.column("lapse_pooled_benefits"), False)),
        "output": str(target),
        "seconds": round(elapsed, 3),
    }


AREAS = ("credit", "lapse", "family", "transfer", "withdrawal")


def _difference(main: Any, other: Any, label: str) -> dict[str, Any]:
    """Per field, the members whose answer changes (rows refused by either side left out),
    and the change in total monthly credit."""
    import pyarrow.compute as pc

    both = pc.and_(pc.is_null(main.column("error")), pc.is_null(other.column("error")))
    changed = {}
    for name in main.column_names:
        if name == "error":
            continue
        a, b = main.column(name), other.column(name)
        if pa_is_dictionary(a.type):
            a, b = a.cast("string"), b.cast("string")
        if pa_is_list(a.type):
            a, b = (pc.binary_join(c.cast(pa_list_of_text()), "\x1f") for c in (a, b))
        same = pc.or_kleene(pc.equal(a, b), pc.and_(pc.is_null(a), pc.is_null(b)))
        differ = pc.and_(both, pc.invert(pc.fill_null(same, False)))
        count = pc.sum(pc.cast(differ, "int64")).as_py() or 0
        if count:
            changed[name] = count
    credit_main = pc.sum(pc.filter(main.column("credit_monthly_credit"), both)).as_py() or Decimal("0.00")
    credit_other = pc.sum(pc.filter(other.column("credit_monthly_credit"), both)).as_py() or Decimal("0.00")
    return {
        "against": label,
        "members_compared": pc.sum(pc.cast(both, "int64")).as_py() or 0,
        "changed": changed,
        "total_monthly_credit": f"{credit_main:.2f}",
        "total_monthly_credit_against": f"{credit_other:.2f}",
        "total_monthly_credit_change": f"{credit_main - credit_other:+.2f}",
    }


def pa_is_list(kind: Any) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_list(kind))


def pa_list_of_text() -> Any:
    import pyarrow as pa

    return pa.list_(pa.string())


def pa_is_dictionary(kind: Any) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_dictionary(kind))


def _text(report: dict[str, Any]) -> str:
    """The summary for people: the answer first (and what it covers), 80 columns, no
    line cut: a long error or file name wraps onto indented lines."""
    reform = f", reform {Path(report['reform']).name}" if report["reform"] else ""
    credited = report["members_credited"]
    lines = [
        f"{Decimal(report['total_monthly_credit']):,.2f} yuan a month credited to {credited:,} member{'s' if credited != 1 else ''}",
        *_wrap(f"  {report['region']} on {report['as_of']}{reform}", "    "),
        "  (the total covers the members with an account whose credit is known)",
        f"  rows read                {report['rows']:>12,}",
        f"  without an account       {report['without_account']:>12,}",
        f"  credit not known         {report['credit_unknown']:>12,}  (not in the total)",
        f"  rows refused (error)     {report['errors']:>12,}",
        f"  credit not modelled      {report['not_modelled']['credit']:>12,}",
        f"  lapse not modelled       {report['not_modelled']['lapse']:>12,}",
        f"  stale answers            {report['stale']:>12,}  (a value past its last known date)",
        f"  without pooled benefits  {report['without_pooled_benefits']:>12,}",
        *_wrap(f"  answers written to {report['output']}  ({report['seconds']:.1f} s)", "    "),
    ]
    for item in report["first_errors"]:
        lines += _wrap(f"  row {item['row']}: {item['error']}", "    ")
    compare = report.get("compare")
    if compare:
        lines += [
            "",
            *_wrap(f"Against {compare['against']}: {Decimal(compare['total_monthly_credit_change']):+,.2f} yuan a month", "  "),
            f"  ({compare['members_compared']:,} members compared; members whose answer changes, per field)",
        ]
        if not compare["changed"]:
            lines.append("  no answer changes")
        for name, count in sorted(compare["changed"].items(), key=lambda item: -item[1]):
            lines.append(f"  {name:<40} {count:>12,}")
    return "\n".join(lines)


def _wrap(text: str, indent: str, width: int = 80) -> list[str]:
    """``text`` in lines of at most ``width`` columns, broken at spaces where it can be
    (a word longer than a line, a path say, is broken where it must): nothing is cut."""
    import textwrap

    first = len(text) - len(text.lstrip(" "))
    return textwrap.wrap(text.strip(), width, initial_indent=" " * first, subsequent_indent=indent, break_on_hyphens=False) or [text]
