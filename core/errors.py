"""Exceptions: every failure the library reports is one of these.

All subclass :class:`YibaoError`, itself a :class:`ValueError`, so a service can catch
bad input with a plain ``except ValueError`` and still tell the kinds apart.
"""

from __future__ import annotations


class YibaoError(ValueError):
    """Base class of everything ``yibao`` raises on purpose."""


class InputError(YibaoError):
    """A member, a date or another argument is malformed.

    ``path`` is the offending field as a dotted path (``contributions[0].from``), or
    ``""`` where the whole value is wrong.
    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}" if path else reason)


class UnknownRegionError(YibaoError):
    """No installed plugin registers the region code asked for."""

    def __init__(self, code: str, known: list[str], why: str = "") -> None:
        self.code = code
        self.known = known
        listed = ", ".join(known) if known else "none installed"
        super().__init__(f"unknown region {code!r}{': ' + why if why else ''} (known: {listed})")


class ParameterFileError(YibaoError):
    """A region's parameter file is unreadable or breaks ``schemas/region.schema.json``."""

    def __init__(self, file: str, key: str, reason: str) -> None:
        self.file = file
        self.key = key
        self.reason = reason
        where = f"{file}: {key}" if key else file
        super().__init__(f"{where}: {reason}")


class PluginError(YibaoError):
    """A region plugin failed: import error, unknown hook, bad return type, exception.

    Names the region, the distribution that shipped it and its version, so the report
    points at the package to fix.
    """

    def __init__(self, region: str, reason: str, distribution: str = "", version: str = "") -> None:
        self.region = region
        self.reason = reason
        self.distribution = distribution
        self.version = version
        shipped = f" ({distribution} {version})" if distribution else ""
        super().__init__(f"region {region!r}{shipped}: {reason}")


class YibaoWarning(UserWarning):
    """Something the host survived but the user should hear about: a plugin that printed
    at import, a region code a third party tried to take over, a misspelt distribution
    name in ``YIBAO_LOAD_PLUGINS``. The ``policy`` command prints each as one line."""


def shown(value: object, limit: int = 60) -> str:
    """``repr(value)`` for an error message: cut to ``limit`` characters, and safe for any
    value (an integer of thousands of digits cannot be printed, and must still be refused
    with a message rather than a second error)."""
    try:
        text = repr(value)
    except Exception:
        return f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."
