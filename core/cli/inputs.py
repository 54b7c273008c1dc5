"""Reading what the command line is given: member files, dates, languages."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..months import parse_date

REPRESENTATIVE_MEMBER = Path(__file__).resolve().parent.parent / "data" / "representative_member.json"


def read_member(path: str | None) -> Any:
    """The JSON member from a file, ``-`` for standard input, or the representative member."""
    if path is None:
        return json.loads(REPRESENTATIVE_MEMBER.read_text(encoding="utf-8"))
    name = "standard input" if path == "-" else path
    try:
        text = sys.stdin.buffer.read().decode("utf-8") if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError("--member", f"cannot read {name}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InputError("--member", f"{name} is not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError("--member", f"{name} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except (ValueError, RecursionError) as exc:  # a number too long to convert, nesting too deep
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc).split(";")[0]
        raise InputError("--member", f"{name} cannot be read as JSON: {reason}") from None


def read_date(text: str | None, option: str = "--as-of") -> date:
    """``--as-of`` (or ``option``): a real date written YYYY-MM-DD; today when not given."""
    return date.today() if text is None else parse_date(text, option)
