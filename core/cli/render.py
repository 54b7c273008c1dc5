"""Terminal output for people: the answer first, then tables that fit the terminal.

Rendered with ``rich`` (imported here only, and this module only for ``--format table``):
every line fits the console's width (CJK characters count as two columns), cells wrap
inside their column, a narrow terminal gets one field per line, and output that is piped
or redirected is plain text with no escape codes (rich decides; ``NO_COLOR`` is honoured).
The width is the terminal's, or ``COLUMNS``, or 80 when there is no terminal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from .. import labels
from ..areas import AREAS
from ..comparison import decision_fields
from ..evaluation import AREA_KEYS
from . import places, summary
from .sources import Sources
from .values import cell_value, grouped_yuan, list_sep, parameter_value, show_value, shown_differences, word

if TYPE_CHECKING:
    from ..comparison import Comparison
    from ..engine import RegionStatus
    from ..evaluation import Evaluation

#: Area headings: colour on a terminal that has it (none with NO_COLOR, none when piped).
HEADING = "bold cyan"

#: Below these widths a table would squeeze its values into slivers: one field per line instead.
STACK_BELOW = 70


def console() -> Console:
    """Writes to standard output; markup off, so ``[1]`` and user text print as they are."""
    return Console(markup=False, highlight=False, emoji=False)


def emit(parts: Iterable[RenderableType]) -> None:
    """Print to the terminal (styles where it has them); piped, plain lines without the
    trailing spaces rich pads cells with."""
    out = console()
    if out.is_terminal:
        for part in parts:
            out.print(part)
        return
    with out.capture() as captured:
        for part in parts:
            out.print(part)
    import sys

    sys.stdout.write("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))
    sys.stdout.flush()


def emit_text(text: str) -> None:
    """Text another view laid out (``policy timeline``: 80 columns): as it is where it fits,
    each line folded to the width of a narrower terminal."""
    emit(Text(line, overflow="fold", no_wrap=False) for line in text.splitlines())


def para(text: str, *, indent: int = 0, style: str = "") -> RenderableType:
    """A paragraph wrapped to the width; wrapped lines keep the indent."""
    body = Text(text, style=style)
    return Padding(body, (0, 0, 0, indent)) if indent else body


def bullets(lines: Sequence[str], *, style: str = "") -> list[RenderableType]:
    """``• text`` with the text's wrapped lines hanging under it."""
    out: list[RenderableType] = []
    for line in lines:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        grid.add_row("•", Text(line, style=style))
        out.append(grid)
    return out


def table(header: Sequence[str], rows: Sequence[Sequence[str]], *, wide: Sequence[int] = ()) -> Table:
    """Columns sized by rich to the width; ``wide`` columns get the room that is left."""
    grid = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold", expand=False)
    for i, name in enumerate(header):
        grid.add_column(name, overflow="fold", ratio=2 if i in wide else None, min_width=4)
    for row in rows:
        grid.add_row(*row)
    return grid


def stacked(groups: Sequence[tuple[str, Sequence[tuple[str, str]]]], lang: str) -> list[RenderableType]:
    """One field per line, under its group's heading: what a narrow terminal gets."""
    out: list[RenderableType] = []
    for heading, fields in groups:
        out.append(Text(heading, style=HEADING))
        for name, value in fields:
            if "\n" in value:  # a list: one item per line under its name
                out.append(para(f"{name}:", indent=2))
                out += [para(item, indent=4) for item in value.splitlines()]
            else:
                out.append(para(f"{name}: {value}", indent=2))
    return out


def width() -> int:
    return console().width


def cell_width(text: str) -> int:
    """Columns ``text`` takes on a terminal (CJK characters count as two)."""
    from rich.cells import cell_len

    return cell_len(text)


def sources_tail(sources: Sources, lang: str, show: bool) -> list[RenderableType]:
    """The numbered sources in full with ``--sources``; otherwise one line saying how to see them."""
    if not len(sources):
        return []
    if not show:
        return [Text(""), Text(word("sources_folded", lang, n=len(sources)), style="dim")]
    heading = word("sources", lang)
    return [Text(""), Text(heading[:1].upper() + heading[1:] + ":", style="bold"), *bullets(sources.lines(lang))]


# --------------------------------------------------------------------------- evaluate


def note_lines(area: str, block: dict[str, Any], lang: str, sources: Sources, cited: dict[str, Any] | None) -> list[str]:
    """Not modelled, disputed (with its source's number) and the hook's notes of one area, in ``lang``."""
    name = labels.label("areas", area, lang)
    out = []
    for item in block["not_modelled"]:
        reason = item.get("reason_zh") if lang == "zh" and item.get("reason_zh") else labels.note(item["reason"], lang)
        out.append(f"{name}: {word('not_modelled', lang)} — {reason}")
    for item in block["disputed"]:
        note = item.get("note_zh") if lang == "zh" and item.get("note_zh") else item["note"]
        value = show_value(item["parameter"], item["value"], lang, sep=list_sep(lang))
        ref = sources.ref(item, cited)
        parameter = labels.parameter(item["parameter"], lang) if lang == "zh" else item["parameter"]
        out.append(f"{name}: {word('disputed', lang)} — {parameter} = {value} [{ref}] ({item['confidence']}): {note}")
    for text in block["notes"]:
        out.append(f"{name}: {labels.note(text, lang)}")
    return out + dating_lines(name, block, lang)


def _param(name: str, lang: str) -> str:
    """A parameter as the notes name it: its label in Chinese, its code in English (what
    region authors read and write)."""
    return labels.parameter(name, lang) if lang == "zh" else name


def dating_lines(name: str, block: dict[str, Any], lang: str) -> list[str]:
    """Ceilings and starts no source dates, said as such beside the answer they qualify."""
    out = [
        f"{name}: {word('ceiling', lang)} — {_param(p['name'], lang)} = "
        f"{parameter_value('ratio' if p['name'].endswith('_rate_ceiling') else '', p['value'], lang)} ({labels.place(p['layer'], lang)})"
        for p in block["parameters"]
        if p.get("ceiling")
    ]
    shown = "{0} ({1})" if lang == "zh" else "{0} {1}"  # a space to break at, so a line never parts a date
    uncertain = [shown.format(_param(p["name"], lang), p["from"]) for p in block["parameters"] if p.get("from_uncertain")]
    if uncertain:
        out.append(f"{name}: {word('from_uncertain', lang)} — {list_sep(lang).join(uncertain)}")
    return out


def area_fields(data: dict[str, Any], area: str, lang: str) -> list[tuple[str, str]]:
    """(label, value) of an area's decision fields; without an account, no relatives or uses."""
    block = data[area]
    out = []
    for field, value in block.items():
        if field in AREA_KEYS:
            continue
        shown = cell_value(field, block, lang)
        if area == "family" and field in ("relations", "uses") and not summary.has_account(data):
            shown = word("no_account_rows", lang)
        out.append((labels.label("fields", field, lang), shown))
    return out


def evaluation_view(result: Evaluation, lang: str, *, representative: bool = False, show_sources: bool = False) -> None:
    data = result.to_dict()
    places.teach([data["region"]])
    emit(evaluation_parts(data, result.member.to_dict(), lang, representative=representative, show_sources=show_sources, width=width()))


def evaluation_parts(
    data: dict[str, Any], member: dict[str, Any], lang: str, *, representative: bool, show_sources: bool, width: int
) -> list[RenderableType]:
    """Member (if representative), region and date, the summary, warnings, table, notes, sources."""
    parts: list[RenderableType] = []
    if representative:
        parts.append(para(summary.member_line(member, lang), style="bold"))
    name = data["region_name"][lang] if lang == "zh" else f"{data['region_name'][lang]} ({data['region']})"
    parts.append(para(f"{name} — {word('as_of', lang)} {data['as_of']} — {word('layers', lang)}: {places.layers(data['layers'], lang)}"))
    parts += bullets(summary.evaluation_lines(data, lang), style="bold")
    parts += bullets([f"{word('warning', lang)}: {line}" for line in data["warnings"]], style="yellow")
    parts.append(Text(""))
    sources = Sources()
    refs = {
        area: f"{labels.place(data[area]['layer'], lang)} {sources.refs(data[area]['citations'], data.get('sources'))}" for area, _, _ in AREAS
    }
    if width < STACK_BELOW:
        groups = [(f"{labels.label('areas', area, lang)} — {refs[area]}", area_fields(data, area, lang)) for area, _, _ in AREAS]
        parts += stacked(groups, lang)
    else:
        grid = table([word("field", lang), word("value", lang)], [], wide=(1,))
        for area, _, _ in AREAS:
            grid.add_row(Text(labels.label("areas", area, lang), style=HEADING), Text(f"{word('layer', lang)} {refs[area]}", style="dim"))
            for field, value in area_fields(data, area, lang):
                grid.add_row(Padding(field, (0, 0, 0, 2)), value)
        parts.append(grid)
    notes = [line for area, _, _ in AREAS for line in note_lines(area, data[area], lang, sources, data.get("sources"))]
    if notes:
        parts += [Text(""), Text(word("notes", lang), style="bold"), *bullets(notes)]
    parts += sources_tail(sources, lang, show_sources)
    return parts


# --------------------------------------------------------------------------- compare


def comparison_view(
    comparison: Comparison, lang: str, *, only_differences: bool = False, representative: bool = False, show_sources: bool = False
) -> None:
    data = comparison.to_dict()
    places.teach(data["regions"])
    emit(
        comparison_parts(
            data, lang, only_differences=only_differences, representative=representative, show_sources=show_sources, width=width()
        )
    )


def difference_lines(data: dict[str, Any], lang: str, limit: int = 6) -> list[str]:
    """``Pooled-fund benefits: shenzhen yes; zhejiang no`` for the first rows that differ; a
    list says only what is not shared (``Uses: also resident-insurance premiums in zhejiang, jiangxi``);
    a value of several lines (channels) gives each target its own line."""
    out = []
    differences = shown_differences(data, lang)
    for item in differences[:limit]:
        name = labels.label("fields", item["field"], lang)
        values = {places.target(target, lang) if lang == "zh" else target: value for target, value in item["values"].items()}
        blocks = {
            places.target(target, lang) if lang == "zh" else target: data["results"][target][item["area"]] for target in item["values"]
        }
        if all(isinstance(value, list) and all(isinstance(item, str) for item in value) for value in values.values()):
            out.append(f"{name}: {list_difference(item['field'], values, lang)}")
            continue
        cells = {label: cell_value(item["field"], block, lang, sep=list_sep(lang)) for label, block in blocks.items()}
        if item["field"] == "channels":
            out.append(f"{name}:\n" + "\n".join(f"{label}: {cell}" for label, cell in cells.items()))
            continue
        out.append(f"{name}: " + list_sep(lang).join(f"{label} {cell}" for label, cell in cells.items()))
    if len(differences) > limit:
        out.append(word("differ_more", lang, n=len(differences) - limit))
    return out


def list_difference(field: str, values: dict[str, list[Any]], lang: str) -> str:
    """Items every target has, then the others grouped by the targets that have them."""
    common = set.intersection(*(set(value) for value in values.values()))
    comma = "、" if lang == "zh" else ", "
    groups: dict[tuple[str, ...], list[Any]] = {}
    for label, value in values.items():
        extra = tuple(item for item in value if item not in common)
        groups.setdefault(extra, []).append(label)
    parts = []
    if common:
        shared = [item for item in next(iter(values.values())) if item in common]
        parts.append(f"{word('in_all', lang)} {show_value(field, shared, lang, sep=comma)}")
    for extra, targets in groups.items():
        if common and not extra:
            continue  # nothing beyond what all have
        shown = show_value(field, list(extra), lang, sep=comma) if extra else labels.label("values", "none", lang)
        parts.append(f"{comma.join(targets)}{word('also', lang) if common and extra else ''}: {shown}")
    return list_sep(lang).join(parts)


def comparison_parts(
    data: dict[str, Any], lang: str, *, only_differences: bool, representative: bool, show_sources: bool, width: int
) -> list[RenderableType]:
    labels_ = data["regions"]
    ok = [label for label in labels_ if label in data["results"]]
    heads = [places.target(label, lang) for label in labels_] if lang == "zh" else list(labels_)
    parts: list[RenderableType] = []
    if representative:
        parts.append(para(summary.member_line(data["member"], lang), style="bold"))
    joined = (list_sep(lang) if lang == "zh" else ", ").join(heads)
    parts.append(para(f"{word('comparison', lang)} — {word('as_of', lang)} {data['as_of']}: {joined}"))
    differences = shown_differences(data, lang)
    if differences:
        parts.append(para(word("differ", lang, n=len(differences)), style="bold"))
        parts += bullets(difference_lines(data, lang), style="bold")
    elif len(ok) > 1:
        parts.append(para(word("differ_none", lang), style="bold"))
    failed = [f"{places.target(label, lang) if lang == 'zh' else label}: {word('failed', lang)} — {labels.error(reason, lang)}"
              for label, reason in data["failures"].items()]
    parts += bullets(failed, style="red")
    parts.append(Text(""))

    sources = Sources()
    differing = {(d["area"], d["field"]) for d in differences}
    groups: list[tuple[str, list[tuple[str, list[str]]]]] = []
    for area, _, _ in AREAS:
        fields = decision_fields({label: data["results"][label] for label in ok}, area)
        rows = []
        for field in fields:
            if only_differences and (area, field) not in differing:
                continue
            mark = "≠ " if (area, field) in differing else ""
            cells = []
            for label in labels_:
                result = data["results"].get(label)
                if result is None:
                    cells.append("")
                    continue
                value = cell_value(field, result[area], lang)
                if area == "family" and field in ("relations", "uses") and not summary.has_account(result):
                    value = word("no_account_rows", lang)
                cells.append(value)
            rows.append((mark + labels.label("fields", field, lang), cells))
        if not rows:
            continue
        refs = []
        for label in labels_:
            result = data["results"].get(label)
            refs.append(
                ""
                if result is None
                else f"{labels.place(result[area]['layer'], lang)} {sources.refs(result[area]['citations'], result.get('sources'))}"
            )
        rows.append((word("sources", lang), refs))
        groups.append((labels.label("areas", area, lang), rows))
    if width < 24 + 16 * len(labels_) or width < STACK_BELOW:
        for heading, rows in groups:
            parts.append(Text(heading, style=HEADING))
            for name, cells in rows:
                parts.append(para(name, indent=2))
                for label, cell in zip(heads, cells):
                    if "\n" in cell:
                        parts.append(para(f"{label}:", indent=4))
                        parts += [para(item, indent=6) for item in cell.splitlines()]
                    else:
                        parts.append(para(f"{label}: {cell}", indent=4))
    else:
        grid = table([word("field", lang), *heads], [], wide=tuple(range(1, len(labels_) + 1)))
        for heading, rows in groups:
            grid.add_row(Text(heading, style=HEADING), *[""] * len(labels_))
            for name, cells in rows:
                grid.add_row(name, *cells)
            grid.add_row(*[""] * (len(labels_) + 1))
        parts.append(grid)
    parts += sources_tail(sources, lang, show_sources)
    return parts


# --------------------------------------------------------------------------- show, regions


def show_answer(data: dict[str, Any], lang: str) -> str:
    """The first line of ``policy show``, in plain words: how many parameters are in force,
    from which layers, how many are stale, not in force or a ceiling, how many topics no
    source settles."""
    params = data["parameters"]
    per_layer = list_sep(lang).join(
        word("show_layer", lang, layer=labels.place(code, lang), n=sum(1 for p in params if p["layer"] == code)) for code in data["layers"]
    )
    flags = [
        word(key, lang, n=n)
        for key, n in (
            ("show_stale", sum(1 for p in params if p["stale"])),
            ("show_not_in_force", sum(1 for p in params if p["value"] is None)),
            ("show_ceilings", sum(1 for p in params if p.get("ceiling"))),
            ("show_not_modelled", len(data["not_modelled"])),
        )
        if n
    ]
    name = data["region_name"][lang]
    return word("show_answer", lang, region=name, day=data["as_of"], n=len(params), layers=per_layer) + "".join(
        (";" if lang == "zh" else "; ") + flag for flag in flags
    )


def show_parts(data: dict[str, Any], lang: str, *, show_sources: bool, width: int) -> list[RenderableType]:
    sources = Sources()
    parts: list[RenderableType] = [
        para(show_answer(data, lang), style="bold"),
        para(f"{word('layers', lang)}: {places.layers(data['layers'], lang)}"),
        Text(""),
    ]
    rows = []
    for p in data["parameters"]:
        marks = [word("ceiling", lang)] if p.get("ceiling") else []
        if p["stale"]:
            marks.append(word("stale", lang))
        elif p["value"] is None:
            marks.append(word("not_in_force", lang))
        flag = " ".join(marks)
        when = "" if p["from"] is None else f"{p['from']}{'?' if p.get('from_uncertain') else ''}–{p['to'] or ''}"
        rows.append(
            [
                labels.parameter(p["name"], lang) if lang == "zh" else p["name"],  # English: the code a region author writes
                labels.place(p["layer"], lang),
                parameter_value(p["unit"], p["value"], lang),
                f"{when} {flag}".strip(),
                sources.refs(p["citations"], None),
            ]
        )
    header = [word(key, lang) for key in ("parameter", "layer", "value", "in_force", "sources")]
    longest = max((cell_width(row[0]) for row in rows), default=0)
    if width < longest + 60:  # names are long codes: below this the value column is a sliver
        for name, layer, value, when, refs in rows:
            parts.append(para(f"{name} — {layer}, {when} {refs}".rstrip(), style="bold"))
            parts += [para(item, indent=2) for item in value.splitlines()]
    else:
        grid = table(header, rows, wide=(2,))
        grid.columns[0].no_wrap = True
        parts.append(grid)
    if any(p.get("from_uncertain") for p in data["parameters"]):
        parts += [Text(""), para(f"?: {word('uncertain_legend', lang)}")]
    if any(p.get("ceiling") for p in data["parameters"]):
        parts.append(para(f"{word('ceiling', lang)}: {word('ceiling_legend', lang)}"))
    if data["not_modelled"]:
        lines = [
            f"{_param(item['topic'], lang)} ({labels.place(item['layer'], lang)}): "
            f"{item.get('reason_zh') if lang == 'zh' and item.get('reason_zh') else item['reason']}"
            for item in data["not_modelled"]
        ]
        parts += [Text(""), Text(word("not_modelled", lang), style="bold"), *bullets(lines)]
    parts += sources_tail(sources, lang, show_sources)
    return parts


def show_view(data: dict[str, Any], lang: str, *, show_sources: bool = False) -> None:
    places.teach([data["region"]])
    emit(show_parts(data, lang, show_sources=show_sources, width=width()))


_AREA_OF_HOOK = {hook: area for area, hook, _ in AREAS}


def regions_parts(statuses: Sequence[RegionStatus], lang: str, *, width: int) -> list[RenderableType]:
    rows = []
    for s in statuses:
        name = s.name_zh or s.code if lang == "zh" else "\n".join(part for part in (s.name_zh, s.name_en) if part)
        status = labels.label("words", s.status, lang) if s.status in ("loaded", "failed", "disabled") else s.status
        hooks = [_AREA_OF_HOOK.get(hook, hook) for hook in s.hooks]  # credit, not credit_rate: a column of short words
        if lang == "zh":
            hooks = [labels.label("areas", hook, lang) if hook in _AREA_OF_HOOK.values() else word(hook, lang) for hook in hooks]
        rows.append([s.code, name, "\n".join(part for part in (s.distribution, s.version) if part), status, "\n".join(hooks)])
    header = [word(key, lang) for key in ("code", "name", "distribution", "status", "areas")]
    # why a region failed or is disabled: one bullet each under the table, never squeezed into a cell
    reasons = [f"{s.code} ({f'{s.distribution} {s.version}'.strip()}): {s.reason}" for s in statuses if s.reason]
    parts: list[RenderableType] = (
        stacked([(row[0], list(zip(header[1:], row[1:]))) for row in rows], lang)
        if width < STACK_BELOW
        else [table(header, rows, wide=(4,))]
    )
    if reasons:
        parts += [Text(""), *bullets(reasons)]
    return parts


def regions_view(statuses: Sequence[RegionStatus], lang: str) -> None:
    emit(regions_parts(statuses, lang, width=width()))


def coverage_parts(result: Any, lang: str, *, width: int) -> list[RenderableType]:
    """``policy coverage``: how many areas are modelled first, then one table per region."""
    from ..coverage import cell

    zh = lang == "zh"
    asked = [region for region in result.regions if not region.failed]
    areas = [area for region in asked for area in region.areas]
    modelled = sum(area.modelled for area in areas)
    day = result.as_of.isoformat()
    headline = (
        f"{day}:{len(asked)} 个地区共 {len(areas)} 个领域,{modelled} 个已建模(一档在职职工,基数 12,000 元,连续缴费)。"
        if zh
        else f"On {day}, {modelled} of {len(areas)} areas of {len(asked)} regions are modelled "
        "(a tier-1 employee paying continuously on 12,000 yuan)."
    )
    parts: list[RenderableType] = [para(headline, style="bold")]
    header = ["领域" if zh else "area", "是否建模 · 层 · 可信度" if zh else "modelled · layer · confidence"]
    for region in result.regions:
        parts += [Text(""), Text(f"{region.code}  {region.name_zh} {region.name_en}", style=HEADING)]
        if region.failed:
            parts.append(para(f"{word('failed', lang)}: {region.failed}", indent=2))
            continue
        parts.append(para(" < ".join(region.layers), indent=2, style="dim"))
        parts.append(table(header, [[labels.label("areas", area.area, lang), cell(area, lang)] for area in region.areas], wide=(1,)))
    legend = (
        "H/M/L:其依据中最弱的可信度;起始未定、有争议、可能过时:该回答所依参数的个数。"
        if zh
        else "H/M/L: the weakest confidence among its sources; undated, disputed, stale: how many of the values it rests on."
    )
    return [*parts, Text(""), Text(legend, style="dim")]


def coverage_view(result: Any, lang: str) -> None:
    emit(coverage_parts(result, lang, width=width()))


def render_to_text(parts: Sequence[RenderableType], width: int) -> str:
    """The plain text of ``parts`` at ``width`` columns (for tests and for capturing)."""
    import io

    buffer = io.StringIO()
    out = Console(file=buffer, width=width, markup=False, highlight=False, emoji=False, color_system=None, force_terminal=False)
    for part in parts:
        out.print(part)
    return buffer.getvalue()


__all__ = ["comparison_view", "emit_text", "evaluation_view", "move_view", "regions_view", "render_to_text", "show_view"]


# --------------------------------------------------------------------------- move


def move_parts(
    data: dict[str, Any], *, member: dict[str, Any] | None = None, show_sources: bool, width: int, lang: str = "en"
) -> list[RenderableType]:
    """``policy move``: the answer (move_view's sentences), the details, the numbered steps
    with their sources as numbers, what is disputed or not modelled, the sources on request."""
    from .. import moving_zh as move_zh
    from .move_view import _details, _name, headline

    zh = lang == "zh"
    parts: list[RenderableType] = []
    if member is not None:  # the representative member: say so first
        parts.append(para(summary.member_line(member, lang), style="bold"))
    if zh:
        parts.append(para(f"{data['origin']['name']['zh']} -> {data['destination']['name']['zh']},{data['on']} 转移"))
    else:
        parts.append(para(f"{_name(data['origin'])} -> {_name(data['destination'])}, moving on {data['on']}"))
    parts += bullets(move_zh.headline(data) if zh else headline(data), style="bold")
    parts.append(Text(""))
    details = move_zh.details(data) if zh else _details(data)
    if width < STACK_BELOW:
        parts += [para(f"{label}: {value}", indent=2) for label, value in details]
    else:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(overflow="fold")
        for label, value in details:
            grid.add_row(label, value)
        parts.append(grid)
    sources = Sources()
    parts += [Text(""), Text("步骤" if zh else "Steps", style=HEADING)]
    for i, step in enumerate(data["steps"], 1):
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, justify="right", min_width=3)
        grid.add_column(overflow="fold")
        text = move_zh.step(data, step) if zh else grouped_yuan(step["text"], data["balance_amount"])
        grid.add_row(f"{i}.", f"{text} {sources.refs(step['citations'], data.get('sources'))}".rstrip())
        parts.append(grid)
    remarks = [
        f"{word('not_modelled', lang)}: {item.get('reason_zh') if zh and item.get('reason_zh') else labels.note(item['reason'], lang)}"
        for item in data["not_modelled"]
    ]
    remarks += [
        f"{word('disputed', lang)}: {_param(item['parameter'], lang)} = {show_value(item['parameter'], item['value'], lang, sep=list_sep(lang))} "
        f"[{sources.ref(item, data.get('sources'))}] ({item['confidence']}): {item.get('note_zh') if zh and item.get('note_zh') else item['note']}"
        for item in data["disputed"]
    ]
    remarks += [f"{word('note', lang)}: {labels.note(note, lang)}" for note in data["notes"]]
    if remarks:
        parts += [Text(""), *bullets(remarks)]
    parts += sources_tail(sources, lang, show_sources)
    return parts


def move_view(data: dict[str, Any], *, member: dict[str, Any] | None = None, show_sources: bool = False, lang: str = "en") -> None:
    """``member``: the representative member's facts, when no --member was given."""
    places.teach([data["origin"]["code"], data["destination"]["code"]])
    emit(move_parts(data, member=member, show_sources=show_sources, width=width(), lang=lang))
