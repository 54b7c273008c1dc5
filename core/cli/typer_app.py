"""``policy``'s commands as a typer app (``yibao.cli.app``). Each command imports what it needs when it
runs; this module is imported only when typer parses the command line (see ``launch``)."""

from __future__ import annotations

from enum import Enum

import typer

app = typer.Typer(
    name="policy",
    help=(
        "Employee medical-insurance personal-account rules, region by region, with the "
        "source of every answer (职工医保个人账户).\n\n"
        "Examples:\n\n"
        "  policy compare shenzhen zhejiang\n\n"
        "  policy regions\n\n"
        "  policy coverage\n\n"
        "  policy evaluate shenzhen --member member.json --as-of 2026-03-01\n\n"
        "  policy explain shenzhen --member member.json --area credit\n\n"
        "  policy show shenzhen --as-of 2026-03-01\n\n"
        "  policy move shenzhen zhejiang --member member.json --on 2026-03-01"
    ),
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Format(str, Enum):
    table = "table"
    json = "json"


class CompareFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


AS_OF_HELP = "Date the rules are read for, YYYY-MM-DD. Default: today."
MEMBER_HELP = "Member JSON file (schemas/member.schema.json, at most 1 MiB), or - for standard input. Default: the representative member."
FORMAT_HELP = "table for people, json for programs."
LANG_HELP = "Language of labels in tables. Default: from the locale (zh when LANG starts with zh)."
SOURCES_HELP = "List every source in full under the table (otherwise cells point to them by number; JSON always has them)."


def _version(value: bool) -> None:
    if value:
        from .._version import __version__

        typer.echo(f"policy (yibao-policy) {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Employee medical-insurance personal-account rules, region by region."""


@app.command()
def regions(
    fmt: Format = typer.Option(Format.table, "--format", "-f", help=FORMAT_HELP),
    lang: Lang | None = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    """List the installed regions, who ships them and whether they load.

    Example: policy regions --format json
    """
    from .commands import regions_command

    regions_command(fmt.value, lang.value if lang else None)


@app.command()
def coverage(
    as_of: str | None = typer.Option(None, "--as-of", help=AS_OF_HELP),
    fmt: CompareFormat = typer.Option(CompareFormat.table, "--format", "-f", help="table for people, json for programs, markdown for documents."),
    lang: Lang | None = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    """What each installed region models, area by area, on a date: the layer that
    answers, the weakest confidence of its sources, undated starts, disputes, stale values.

    Examples:

      policy coverage --as-of 2026-12-10

      policy coverage --format markdown --lang zh
    """
    from .commands import coverage_command

    coverage_command(as_of, fmt.value, lang.value if lang else None)


@app.command()
def evaluate(
    region: str = typer.Argument(..., metavar="REGION", help="Region code, as `policy regions` lists it (e.g. shenzhen)."),
    member: str | None = typer.Option(None, "--member", "-m", help=MEMBER_HELP),
    as_of: str | None = typer.Option(None, "--as-of", help=AS_OF_HELP),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help=FORMAT_HELP),
    lang: Lang | None = typer.Option(None, "--lang", help=LANG_HELP),
    sources: bool = typer.Option(False, "--sources", help=SOURCES_HELP),
) -> None:
    """Answer the five questions for one member in one region on one date.

    The answer comes first, in a few sentences; then each area's fields with the layer
    that answered (national baseline or region) and the numbers of its sources.
    Without --member, the representative member is used, and the first line says so.

    Examples:

      policy evaluate shenzhen --as-of 2026-11-22

      policy evaluate shenzhen --member member.json --as-of 2026-03-01 --lang zh --sources

      policy evaluate shenzhen --member member.json --format json
    """
    from .commands import evaluate_command

    evaluate_command(region, member, as_of, fmt.value, lang.value if lang else None, sources)


class Area(str, Enum):
    credit = "credit"
    lapse = "lapse"
    family = "family"
    transfer = "transfer"
    withdrawal = "withdrawal"


@app.command()
def explain(
    region: str = typer.Argument(..., metavar="REGION", help="Region code, as `policy regions` lists it (e.g. shenzhen)."),
    member: str | None = typer.Option(None, "--member", "-m", help=MEMBER_HELP),
    as_of: str | None = typer.Option(None, "--as-of", help=AS_OF_HELP),
    area: Area | None = typer.Option(None, "--area", help="Explain one area only. Default: all five."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help=FORMAT_HELP),
    lang: Lang | None = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    """Why: each answer of `policy evaluate`, step by step, with the values each step read.

    The answers come first; then, per area, the layers asked top-down, the member facts
    and parameter values each rule read (with their dates and sources), what each step
    concluded and the layer that answered; steps of a layer the answer overrode are
    marked ×. JSON: schemas/explanation.schema.json. See docs/explain.md.

    Examples:

      policy explain zhejiang --member member.json --as-of 2026-10-01 --area lapse

      policy explain shenzhen --format json --lang zh
    """
    from .commands import explain_command

    explain_command(region, member, as_of, area.value if area else None, fmt.value, lang.value if lang else None)


@app.command()
def show(
    region: str = typer.Argument(..., metavar="REGION", help="Region code (e.g. shenzhen)."),
    as_of: str | None = typer.Option(None, "--as-of", help=AS_OF_HELP),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help=FORMAT_HELP),
    lang: Lang | None = typer.Option(None, "--lang", help=LANG_HELP),
    sources: bool = typer.Option(False, "--sources", help=SOURCES_HELP),
) -> None:
    """Show a region's parameters in force on a date, layer by layer, with their sources.

    Example: policy show shenzhen --as-of 2027-03-01   (flags values past their last known date)
    """
    from .commands import show_command

    show_command(region, as_of, fmt.value, lang.value if lang else None, sources)


@app.command()
def compare(
    regions: list[str] = typer.Argument(
        ..., metavar="REGION REGION [REGION...]", help="Two or more region codes; REGION@YYYY-MM-DD compares a region on another date."
    ),
    member: str | None = typer.Option(None, "--member", "-m", help=MEMBER_HELP),
    as_of: str | None = typer.Option(None, "--as-of", help=AS_OF_HELP),
    fmt: CompareFormat = typer.Option(
        CompareFormat.table, "--format", "-f", help="table for people, json for programs, markdown for documents."
    ),
    only_differences: bool = typer.Option(False, "--only-differences", "-d", help="Show only the rows where the regions differ."),
    lang: Lang | None = typer.Option(None, "--lang", help=LANG_HELP),
    sources: bool = typer.Option(False, "--sources", help=SOURCES_HELP),
) -> None:
    """Evaluate the same member in several regions on the same date, side by side.

    The rows where the regions differ come first, in words; then the table, where they
    are marked ≠ and every area points to its sources by number (--sources lists them).
    A region whose plugin fails, or that refuses the member under a rule of its own, is
    shown as failed and the command exits with 1.
    Without --member the representative member is used: a tier-1 employee on a 12,000
    yuan base with a 5-month gap in 2026 (see docs/compare.md).

    Examples:

      policy compare shenzhen zhejiang

      policy compare shenzhen jiangxi zhejiang --format markdown

      policy compare shenzhen@2025-09-01 shenzhen@2026-03-01 --only-differences
    """
    from .commands import compare_command

    code = compare_command(regions, member, as_of, fmt.value, only_differences, lang.value if lang else None, sources)
    raise typer.Exit(code)


@app.command()
def move(
    origin: str = typer.Argument(..., metavar="ORIGIN", help="Region the member leaves (e.g. shenzhen)."),
    destination: str = typer.Argument(..., metavar="DESTINATION", help="Region the member moves to (e.g. zhejiang)."),
    member: str | None = typer.Option(None, "--member", "-m", help=MEMBER_HELP),
    on: str | None = typer.Option(
        None,
        "--on",
        help="Date of the move, YYYY-MM-DD: months before its month were paid in ORIGIN, from it on in DESTINATION. Default: today.",
    ),
    fmt: CompareFormat = typer.Option(
        CompareFormat.table, "--format", "-f", help="table for people, json for programs, markdown for documents."
    ),
    sources: bool = typer.Option(False, "--sources", help=SOURCES_HELP),
    lang: Lang | None = typer.Option(None, "--lang", help=LANG_HELP),
    why: bool = typer.Option(False, "--why", help="Explain the move step by step instead (see `policy explain`; json: the explanation)."),
) -> None:
    """Move a member from one region to another: does the account move, what to do, when covered again.

    The answer comes first (moves, or blocked and why; covered again on ...), then the
    steps in order, each with its sources (医保办发〔2021〕43号 and the regions' own rules).
    A retiree or a member with arrears is blocked, with the reason; the same region
    twice, an unknown region or a move before the first paid month exits with 2.

    Example:

      policy move shenzhen zhejiang --member member.json --on 2026-03-01

      policy move shenzhen zhejiang --member member.json --on 2026-03-01 --why
    """
    from .commands import move_command

    move_command(origin, destination, member, on, fmt.value, sources, lang.value if lang else None, why)


class Kind(str, Enum):
    member = "member"
    region = "region"


@app.command()
def validate(
    file: str = typer.Argument(..., metavar="FILE", help="A member (.json) or a region parameter file (.toml), at most 1 MiB."),
    kind: Kind | None = typer.Option(None, "--kind", help="What FILE is; default: .json is a member, anything else a region file."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table for people, json for programs."),
) -> None:
    """Check a member or region parameter file against its schema and list every problem.

    Exit code 0: valid; 1: problems found (each printed with its location); 2: FILE cannot be read.

    Examples:

      policy validate member.json

      policy validate src/yibao_region_foshan/region.toml
    """
    from .commands import validate_command

    raise typer.Exit(validate_command(file, kind.value if kind else None, fmt.value))


@app.command("plugins")
def plugins_(
    fmt: Format = typer.Option(Format.table, "--format", "-f", help=FORMAT_HELP),
    lang: Lang | None = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    """The same list as `policy regions`: every region plugin, its distribution and status.

    Example: policy plugins --format json
    """
    from .commands import regions_command

    regions_command(fmt.value, lang.value if lang else None)


class TimelineFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


@app.command()
def timeline(
    region: str = typer.Argument(..., metavar="REGION", help="Region code, as `policy regions` lists it (e.g. zhejiang)."),
    member: str = typer.Option(..., "--member", "-m", help="Member JSON file with its contributions history, or - for standard input."),
    start: str | None = typer.Option(None, "--from", help="First month, YYYY-MM. Default: the first paid month (or 24 months back)."),
    end: str | None = typer.Option(None, "--to", help="Last month, YYYY-MM. Default: 12 months after today."),
    fmt: TimelineFormat = typer.Option(
        TimelineFormat.table, "--format", "-f", help="table for people, json for programs, csv for spreadsheets (UTF-8 with BOM)."
    ),
    lang: Lang | None = typer.Option(None, "--lang", help=LANG_HELP),
    why: str | None = typer.Option(
        None, "--why", metavar="MONTH", help="Explain one month (YYYY-MM) step by step instead (see `policy explain`; json: the explanation)."
    ),
) -> None:
    """A member's history month by month: paid, credited, covered, and what changed.

    Each month is judged by the rules in force on its 1st day, with the base, tier and
    category of the contribution range that pays it; a gap is judged by the recovery
    rule in force when payment resumed. The first line answers (e.g. "Covered from
    2026-09-01; 2,880.00 yuan credited in 2026"); a strip per year follows
    (● covered, ◐ paid and waiting, ○ not covered), then one line per month, the yearly
    totals and the sources. At most 1,200 months. See docs/timeline.md.

    A range that names its region ("region": "zhejiang") is judged by that region's
    rules, and the move rules apply where the region changes (a marker line shows it);
    REGION is the region of the ranges that name none.

    Examples:

      policy timeline zhejiang --member history.json --from 2025-01 --to 2026-12

      policy timeline shenzhen -m - --format csv < history.json > out.csv

      policy timeline shenzhen --member examples/moved.json --from 2025-08

      policy timeline zhejiang --member history.json --why 2026-10
    """
    from .commands import timeline_command

    timeline_command(region, member, start, end, fmt.value, lang.value if lang else None, why)


@app.command("new-region")
def new_region(
    code: str = typer.Argument(..., metavar="CODE", help="The region code: lower-case letters, digits and _ (e.g. foshan)."),
    directory: str | None = typer.Option(None, "--dir", help="Where to write the package. Default: ./yibao-region-CODE."),
    name_en: str | None = typer.Option(None, "--name-en", help="English name (default: from the code)."),
    name_zh: str | None = typer.Option(None, "--name-zh", help="Chinese name, e.g. 佛山市 (default: the code)."),
    python: bool = typer.Option(False, "--python", help="Write the five hooks in Python instead of [rules.*] tables."),
) -> None:
    """Write a complete, pip-installable region plugin package that passes its own tests.

    It holds a pyproject registering the region in the yibao.regions entry-point group,
    region.toml with an example dated value and citation and its rule as data (a
    [rules.credit] table; --python writes the five hooks in Python instead), scenario
    tests, a README and a CI workflow.

    Example: policy new-region foshan --name-zh 佛山市 --dir ../foshan
    """
    from ..scaffold import new_region as write

    target, written = write(code, directory, name_en=name_en, name_zh=name_zh, python=python)
    typer.echo(f"wrote {len(written)} files into {target}")
    typer.echo(f"next: cd {target} and run the commands of its README.md")
    typer.echo("(where yibao-policy is not on your package index, first set YIBAO_POLICY to its checkout or wheel)")


class BatchFormat(str, Enum):
    parquet = "parquet"
    csv = "csv"
    jsonl = "jsonl"


@app.command()
def batch(
    region: str = typer.Argument(..., metavar="REGION", help="Region code (e.g. shenzhen)."),
    source: str = typer.Argument(..., metavar="INPUT", help="Members, one a row: .parquet, .csv or .jsonl (columns: the member fields)."),
    output: str | None = typer.Option(
        None, "--output", "-o", help="Answers file (never the input). Default: INPUT's name + .policy.FORMAT beside it."
    ),
    as_of: str | None = typer.Option(None, "--as-of", help=AS_OF_HELP),
    fmt: BatchFormat | None = typer.Option(None, "--format", "-f", help="Answers file format. Default: from --output, else parquet."),
    compare: str | None = typer.Option(
        None, "--compare", metavar="REGION[@DATE]", help="Also evaluate under this region or date; print what changes."
    ),
    reform: str | None = typer.Option(
        None, "--reform", metavar="FILE", help="Parameter values overridden (TOML, region format); compared with the region as is."
    ),
    keep: list[str] = typer.Option([], "--keep", help="An input column to copy into the answers (e.g. an id); repeatable."),
    summary: Format = typer.Option(Format.table, "--summary", help="table for people, json for programs."),
    progress: bool | None = typer.Option(
        None, "--progress/--no-progress", help="Progress bar on stderr. Default: for 200,000 rows or more on a terminal."
    ),
    force: bool = typer.Option(False, "--force", help="Replace the answers file if it exists (default: refuse)."),
) -> None:
    """Evaluate a whole population file: one row of answers per member, exact to the fen.

    Writes the key fields of the five areas per member (credit, lapse, family, transfer,
    withdrawal, who answered, an error column for a refused row) and prints a summary:
    members, total monthly credit, members without pooled benefits, refused rows.
    Exit code 1 when some rows were refused (the others are answered), 2 on bad input.
    The answers file is written whole or not at all; an existing one is kept unless --force.
    Needs the batch extra: pip install "yibao-policy[batch]".

    Examples:

      policy batch shenzhen members.parquet -o answers.parquet --as-of 2026-03-01

      policy batch shenzhen members.csv --compare shenzhen@2025-09-01

      policy batch shenzhen members.parquet --reform floor-2027.toml --as-of 2027-03-01
    """
    from .batch import batch_command

    code = batch_command(region, source, output, as_of, fmt.value if fmt else None, compare, reform, keep, summary.value, progress, force)
    raise typer.Exit(code)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind. Default 127.0.0.1 (this machine only)."),
    port: int = typer.Option(8000, "--port", help="TCP port. Default 8000."),
    workers: int = typer.Option(1, "--workers", help="Worker processes (uvicorn). Default 1."),
    max_body: int | None = typer.Option(
        None, "--max-body", help="Largest request body in bytes; larger ones get 413. Default 1048576 (1 MiB)."
    ),
    allowed_host: list[str] | None = typer.Option(
        None, "--allowed-host", help="A name the Host header may give (repeat; * for any). Default: localhost and --host."
    ),
    request_timeout: float | None = typer.Option(None, "--request-timeout", help="Seconds for one answer; then 504. Default 10."),
    hook_timeout: float | None = typer.Option(
        None, "--hook-timeout", help="Seconds for one call of a third-party plugin's hook; then its failure. Default 5."
    ),
    header_timeout: float | None = typer.Option(None, "--header-timeout", help="Seconds to send the headers; then 408. Default 10."),
    body_timeout: float | None = typer.Option(None, "--body-timeout", help="Seconds to send the body; then 408. Default 30."),
    max_answer: int | None = typer.Option(None, "--max-answer", help="Largest answer in bytes; larger is a 500. Default 8388608."),
    concurrent: int | None = typer.Option(
        None, "--concurrent", help="Answers computed at once per worker; the rest wait (then 503). Default 4."
    ),
    decision_log: str | None = typer.Option(
        None, "--decision-log", help="Append one JSON line per answer to FILE (id, time, digests, provenance)."
    ),
    log_inputs: bool = typer.Option(False, "--log-inputs", help="Write the request bodies (member data) into the decision log too."),
) -> None:
    """Serve the API and a page over HTTP (needs: pip install "yibao-policy[serve]").

    Endpoints: GET / (a page, zh/en), GET /v1/regions, POST /v1/evaluate, POST /v1/compare,
    POST /v1/timeline, POST /v1/move, POST /v1/explain, GET /v1/regions/CODE/parameters?as_of=,
    GET /v1/version, GET /healthz, GET /openapi.json.
    Limits and their defaults: docs/serve.md.

    Example: policy serve --port 8000   then   curl -s 127.0.0.1:8000/v1/regions
    """
    from ..serve import run

    limits = {
        "request_seconds": request_timeout,
        "hook_seconds": hook_timeout,
        "header_seconds": header_timeout,
        "body_seconds": body_timeout,
        "max_answer": max_answer,
        "concurrent": concurrent,
    }
    run(
        host=host,
        port=port,
        workers=workers,
        max_body=max_body,
        announce=True,
        limits=limits,
        allowed_hosts=allowed_host,
        decision_log=decision_log,
        log_inputs=log_inputs,
    )
