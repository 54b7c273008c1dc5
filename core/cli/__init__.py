"""``policy``: the command line. Importing it is cheap: ``main`` (``launch``) runs
``evaluate`` and ``compare`` without typer when their arguments are plain, and the typer
app (``typer_app``) is built on first use of ``yibao.cli.app`` (or any other command)."""

from __future__ import annotations

import os
from typing import Any

from .launch import main

__all__ = ["main"]


def __getattr__(name: str) -> Any:
    """``app``, ``Format``... from the typer app, imported when first asked for."""
    if name.startswith("__") or os.path.exists(os.path.join(os.path.dirname(__file__), f"{name}.py")):
        raise AttributeError(name)  # a submodule not imported yet (``from . import places``): the import system's
    from . import typer_app

    try:
        return getattr(typer_app, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
