"""``policy new-region``: a complete, pip-installable region package from a template.

The template is data (``data/template/``): file contents use ``$code``-style
placeholders; path parts ``__package__`` and ``__code__`` are renamed, ``github`` and
``gitignore`` become their dotted names and a ``.tmpl`` suffix is dropped.

The region it writes is data alone (its rules are ``[rules.*]`` tables); ``python=True``
(``--python``) writes the five hooks as Python instead (``data/python_hooks/``), with the
file's tables left out, for an author whose rules the vocabulary lacks.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from string import Template

from ._version import __version__
from .errors import InputError
from .hookspecs import SPEC_VERSION
from .plugins import BASELINE, BUILT_IN_CODES

TEMPLATE = Path(__file__).resolve().parent / "data" / "template"
PYTHON_HOOKS = Path(__file__).resolve().parent / "data" / "python_hooks" / "__init__.py.tmpl"
_RULES_MARK = "\n# --- rules as data"
_CODE = re.compile(r"[a-z][a-z0-9_]*")


def new_region(
    code: str,
    directory: Path | str | None = None,
    *,
    name_en: str | None = None,
    name_zh: str | None = None,
    python: bool = False,
) -> tuple[Path, list[Path]]:
    """Write the package for region ``code`` into ``directory`` (default ``./yibao-region-CODE``).

    Refuses a code that is not a valid entry-point name or a directory that is not empty.
    Returns the package directory and the files written.
    """
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        raise InputError("CODE", f"{code!r} is not a region code: lower-case letters, digits and _, starting with a letter")
    if code == BASELINE or code in BUILT_IN_CODES:
        taken = "the national baseline" if code == BASELINE else f"a built-in region of yibao-policy; e.g. {code}_pilot for a variant"
        raise InputError("CODE", f"{code!r} is reserved ({taken}): choose another code")
    package = f"yibao_region_{code}"
    distribution = f"yibao-region-{code.replace('_', '-')}"
    target = Path(directory) if directory is not None else Path.cwd() / distribution
    for option, name in (("--name-en", name_en), ("--name-zh", name_zh)):
        if name is not None and not _printable_name(name):
            raise InputError(option, f"{name!r}: give a name without quotes, backslashes, line breaks or other control characters")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InputError("--dir", f"{target} exists and is not an empty directory; choose another --dir")
    values = {
        "code": code,
        "package": package,
        "distribution": distribution,
        "name_en": name_en or code.replace("_", " ").title(),
        "name_zh": name_zh or code,
        "spec_version": str(SPEC_VERSION),
        "yibao_requirement": f"yibao-policy>={__version__}",
    }
    renames = {"__package__": package, "__code__": code, "github": ".github", "gitignore": ".gitignore"}
    written = []
    try:
        for source in sorted(TEMPLATE.rglob("*")):
            if source.is_dir() or "__pycache__" in source.parts:
                continue
            parts = [renames.get(part, part) for part in source.relative_to(TEMPLATE).parts]
            parts[-1] = parts[-1].replace("__code__", code).removesuffix(".tmpl")
            destination = target.joinpath(*parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            text = source.read_text(encoding="utf-8")
            if python and parts[-1] == "__init__.py" and "src" in parts:
                text = PYTHON_HOOKS.read_text(encoding="utf-8")
            elif python and parts[-1] == "region.toml":
                text = text.split(_RULES_MARK, 1)[0]
            destination.write_text(Template(text).substitute(values), encoding="utf-8")
            written.append(destination)
    except OSError as exc:
        raise InputError("--dir", f"cannot write into {target}: {exc.strerror or exc}") from None
    return target, written


def _printable_name(name: object) -> bool:
    """A name that goes verbatim into TOML strings, Python docstrings and Markdown:
    no quotes or backslashes, and no control, format or unassigned characters
    (Unicode categories C*), which TOML refuses or a reader cannot see."""
    return isinstance(name, str) and bool(name.strip()) and not any(ch in '"\\' or unicodedata.category(ch).startswith("C") for ch in name)
