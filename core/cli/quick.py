"""``policy evaluate`` and ``policy compare`` without typer, when their arguments are plain.

Why: importing typer and building its command is about 35 ms of a cold start that
should stay under ten times ``python -c pass``. Only a command line whose meaning is
beyond doubt takes this path: the command first, each option at most once in its plain
spelling (``--member X``, ``--member=X``, ``-m X``), a value from the option's choices,
no ``--help``, no ``--``, no value or region that looks like an option. Anything else
(``None`` here) is parsed by the typer app, which prints its usage errors and help as
always; what the command itself does and prints is the same code on both paths.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

#: Per command: options taking a value (each spelling -> name, and the allowed values or
#: None for any), flags (spelling -> name), and whether several regions are taken.
_VALUES = {"--member": "member", "-m": "member", "--as-of": "as_of", "--format": "fmt", "-f": "fmt", "--lang": "lang"}
_CHOICES: dict[str, dict[str, tuple[str, ...] | None]] = {
    "evaluate": {"member": None, "as_of": None, "fmt": ("table", "json"), "lang": ("zh", "en")},
    "compare": {"member": None, "as_of": None, "fmt": ("table", "json", "markdown"), "lang": ("zh", "en")},
}
_FLAGS = {
    "evaluate": {"--sources": "sources"},
    "compare": {"--sources": "sources", "--only-differences": "only_differences", "-d": "only_differences"},
}


def command(args: Sequence[str]) -> Callable[[], int] | None:
    """The command to run for ``args`` (``sys.argv[1:]``), or None for the typer app."""
    if not args or args[0] not in _CHOICES:
        return None
    name = args[0]
    parsed = _parse(name, args[1:])
    if parsed is None:
        return None
    regions, options = parsed
    if name == "evaluate":
        return None if len(regions) != 1 else lambda: _evaluate(regions[0], options)
    return None if not regions else lambda: _compare(regions, options)


def _parse(name: str, args: Sequence[str]) -> tuple[list[str], dict[str, Any]] | None:
    choices, flags = _CHOICES[name], _FLAGS[name]
    regions: list[str] = []
    options: dict[str, Any] = {}
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if not arg.startswith("-"):
            regions.append(arg)
            continue
        spelling, equals, attached = arg.partition("=")
        if spelling in flags and not equals:
            key, value = flags[spelling], True
        elif spelling in _VALUES and (equals or rest) and not (equals and not spelling.startswith("--")):
            key = _VALUES[spelling]
            value = attached if equals else rest.pop(0)
            allowed = choices[key]
            if (allowed is not None and value not in allowed) or (value.startswith("-") and value != "-"):
                return None
        else:
            return None  # --help, --, an unknown or abbreviated option, -mFILE, a lone '-'...
        if key in options:
            return None  # given twice: click's rule (the last wins) is the typer app's to apply
        options[key] = value
    return regions, options


def _evaluate(region: str, options: dict[str, Any]) -> int:
    from .commands import evaluate_command

    member, as_of, lang = options.get("member"), options.get("as_of"), options.get("lang")
    evaluate_command(region, member, as_of, options.get("fmt", "table"), lang, options.get("sources", False))
    return 0


def _compare(regions: list[str], options: dict[str, Any]) -> int:
    from .commands import compare_command

    member, as_of, lang = options.get("member"), options.get("as_of"), options.get("lang")
    fmt, only, sources = options.get("fmt", "table"), options.get("only_differences", False), options.get("sources", False)
    return compare_command(regions, member, as_of, fmt, only, lang, sources)
