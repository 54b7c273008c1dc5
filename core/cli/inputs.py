"""Reading what the command line is given: member files, dates, languages."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..months import parse_date
from ..reading import read_stream, read_text

REPRESENTATIVE_MEMBER = Path(__file__).resolve().parent.parent / "data" / "representative_member.json"


def read_member(path: str | None) -> Any:
    """The JSON member from a file, ``-`` for standard input, or the representative member."""
    if path is None:
        return json.loads(REPRESENTATIVE_MEMBER.read_text(encoding="utf-8"))
    name = "standard input" if path == "-" else path
    if path == "-":
        text = read_stream(getattr(sys.stdin, "buffer", None) if sys.stdin is not None else None, name, "--member")
    else:
        text = read_text(path, "--member")  # at most MAX_INPUT_BYTES: --member /dev/zero is refused, not read forever
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError("--member", f"{name} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except (ValueError, RecursionError) as exc:  # a number too long to convert, nesting too deep
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc).split(";")[0]
        raise InputError("--member", f"{name} cannot be read as JSON: {reason}") from None


def read_date(text: str | None, option: str = "--as-of") -> date:
    """``--as-of`` (or ``option``): a real date written YYYY-MM-DD; today when not given."""
    return date.today() if text is None else parse_date(text, option)
