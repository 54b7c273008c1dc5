"""click's ``echo`` for a line of text, without importing click (bundled in typer).

Why: the quick path (``quick``) must not pay for typer's import to print its answer.
What click does for a ``str`` on Linux and macOS is done here the same way: a newline
added, ANSI escapes removed when the stream is not a terminal, a flush. Where click would
do more (Windows consoles, a stream misconfigured as ASCII, whose encoding it replaces)
or behaves otherwise (under typer's parser, or its test runner, which patches it), click
itself prints: whenever typer is already imported.
"""

from __future__ import annotations

import codecs
import re
import sys
from typing import IO, Any

_ANSI = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")


def echo(message: str, *, err: bool = False) -> None:
    """``typer.echo(message, err=err)``, byte for byte."""
    file = sys.stderr if err else sys.stdout
    if "typer" in sys.modules or sys.platform == "win32" or (file is not None and _ascii(file)):
        import typer

        typer.echo(message, err=err)
        return
    if file is None:
        return
    out = message + "\n"
    if not _isatty(file) and not type(file).__module__.startswith("ipykernel."):
        out = _ANSI.sub("", out)
    file.write(out)
    file.flush()


def _ascii(stream: IO[Any]) -> bool:
    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "ascii").name == "ascii"
    except LookupError:
        return False


def _isatty(stream: IO[Any]) -> bool:
    try:
        return stream.isatty()
    except Exception:
        return False
