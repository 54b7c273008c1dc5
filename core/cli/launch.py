"""The ``policy`` script's entry point: one line on stderr and an exit code, never a traceback.

Why a module of its own: typer (with its bundled click) is about a fifth of a cold
``policy compare``. ``evaluate`` and ``compare`` given plain arguments (``quick``) run
without it; everything else (help, errors of usage, other commands) goes through the
typer app exactly as before, so what either path prints is the same.
"""

from __future__ import annotations

import sys

from ..errors import YibaoError


def main() -> None:
    """Entry point of the ``policy`` script: never a traceback.

    Bad input (and a closed or full stream) is one line on stderr and exit code 2; a
    reader that goes away early (``policy regions | head -1``) ends the command quietly
    with exit code 1, as click does; a bug in yibao itself is one line and exit code 70.
    Warnings (a plugin that printed at import, an unknown name in YIBAO_LOAD_PLUGINS) are
    one line each on stderr, never on stdout.
    """
    import threading

    before = set(threading.enumerate())
    _leave(_run(), before)


def _leave(code: int, before: set[object]) -> None:
    """Exit with ``code``, not waiting for threads started during the command and left
    running (a plugin's non-daemon thread would hold the command, and could write after
    the answer): once the answer is written and flushed, nothing is left to wait for.
    Threads that were there before (a host calling ``main`` in-process) are not ours to judge."""
    import threading

    if not any(thread.is_alive() and not thread.daemon for thread in threading.enumerate() if thread not in before):
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass  # (already reported by _run; the exit code says so)
    import os

    os._exit(code)


def _run() -> int:
    if sys.stdout is None:  # started with stdout closed (`policy regions >&-`)
        _error("standard output is closed: nowhere to write the answer")
        return 2
    import warnings

    warnings.showwarning = _warning
    try:
        code = _dispatch()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except YibaoError as exc:
        _error(_in_language(str(exc)))
        code = 2
    except BrokenPipeError:
        return _silence_stdout(1)
    except OSError as exc:  # writing the answer failed: a full disk, `>/dev/full`, an I/O error
        _error(f"cannot write the output: {exc.strerror or exc}")
        return _silence_stdout(2)
    except Exception as exc:  # a bug in yibao: still one line, but say it is ours
        _error(f"internal error: {type(exc).__name__}: {exc} (a bug in yibao-policy: please report it)")
        return 70
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        return _silence_stdout(1)
    except OSError as exc:
        _error(f"cannot write the output: {exc.strerror or exc}")
        return _silence_stdout(2)
    return code


def _dispatch() -> int:
    """The quick path where it applies, else the typer app (looked up on the package, so a
    test can replace ``yibao.cli.app``)."""
    from .quick import command

    quick = command(sys.argv[1:])
    if quick is not None:
        import gc

        # A short run whose objects live until it exits: the collector's passes while the
        # modules load free nothing and cost 5-12 ms of a cold start (benchmarks/README.md).
        gc.disable()
        try:
            return quick()
        except KeyboardInterrupt:  # as click says it
            sys.stderr.write("\nAborted!\n")
            return 1
        finally:
            gc.enable()
    from .. import cli

    cli.app()
    return 0


def _in_language(message: str) -> str:
    """The error in the language asked for (``--lang``, else the locale): under zh the
    field is named in words and the reason, where labels.toml lists it, is Chinese."""
    from .. import labels

    lang = None
    for i, arg in enumerate(sys.argv):
        if arg == "--lang" and i + 1 < len(sys.argv):
            lang = sys.argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    if lang not in labels.LANGUAGES:
        lang = labels.default_language()
    return ("错误:" if lang == "zh" else "error: ") + labels.error(message, lang)


def _error(message: str) -> None:
    """``policy: error: ...`` as one line on stderr, if there is a stderr to write to."""
    line = " ".join(message.split())
    if not line.startswith(("error: ", "错误:")):
        line = f"error: {line}"
    try:
        if sys.stderr is not None:
            sys.stderr.write(f"policy: {line}\n")
            sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _warning(message, category, filename, lineno, file=None, line=None) -> None:  # type: ignore[no-untyped-def]
    """Warnings as one line on stderr: ``policy: warning: ...`` (no file and line number)."""
    try:
        if sys.stderr is not None:
            sys.stderr.write(f"policy: warning: {' '.join(str(message).split())}\n")
    except (OSError, ValueError):
        pass


def _silence_stdout(code: int) -> int:
    """Point stdout at /dev/null so the interpreter's last flush cannot fail (and print) again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    return code
