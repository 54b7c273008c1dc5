"""Where ``policy batch`` writes, and how: atomically, never over its input or an existing
file without ``--force``.

The answers are written to a temporary file beside the target (same directory, so the
rename cannot cross file systems), flushed to disk, then renamed over the target in one
step. A run that fails (a full disk, a bad cell the writer refuses), is interrupted
(Ctrl-C) or terminated (SIGTERM) removes its temporary file and leaves the target as it
was: the old file, or none. Only a SIGKILL, which no process can catch, can leave a
temporary file behind (hidden: ``.NAME.*.tmp``), never a partial file under the target name.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError


def check_target(target: Path, source: str, *, force: bool) -> None:
    """Refuse, before any work, a target that is the input (or inside an input directory),
    or that exists while ``force`` is not given."""
    given = Path(source)
    if _same(target, given) or (given.is_dir() and _inside(target, given)):
        raise InputError("--output", f"{target} is the input {source}: write the answers to another file")
    if target.is_dir():
        raise InputError("--output", f"{target} is a directory: name a file")
    if target.exists() and not force:
        raise InputError("--output", f"{target} exists: pass --force to replace it, or -o another file")


def write_atomically(target: Path, write: Callable[[Path], None], *, force: bool) -> None:
    """Call ``write(temporary path)``, then move the result to ``target`` in one rename;
    on any failure or interruption the temporary file is removed and ``target`` untouched."""
    folder = target.parent if str(target.parent) else Path(".")
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError("--output", f"cannot write in {folder}: {exc.strerror or exc}") from None
    os.close(handle)
    temporary = Path(name)
    try:
        with _terminate_as_interrupt():
            write(temporary)
            _flush(temporary)
            if force:
                os.replace(temporary, target)
            else:
                _publish_new(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def _publish_new(temporary: Path, target: Path) -> None:
    """Rename without replacing a file that appeared meanwhile (a hard link is atomic and
    fails if the name exists; where links are not supported, checked just before)."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise InputError("--output", f"{target} exists: pass --force to replace it, or -o another file") from None
    except OSError:
        if target.exists():
            raise InputError("--output", f"{target} exists: pass --force to replace it, or -o another file") from None
        os.replace(temporary, target)
        return
    temporary.unlink()


def _flush(path: Path) -> None:
    with open(path, "rb+") as stream:
        os.fsync(stream.fileno())


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt while the answers are written, so the temporary
    file is removed as on Ctrl-C (only where this is the main thread)."""

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: signals stay as they are
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _same(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def _inside(target: Path, folder: Path) -> bool:
    try:
        return target.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False
