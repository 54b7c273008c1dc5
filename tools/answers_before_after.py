"""Compare every answer of tools/answers_digest.py between a git revision and the work tree.

Why: issue 20 rewrote the built-in regions' rules as data; this proves the answers did not
move. The revision's code is exported with ``git archive`` into a temporary directory laid
out as installed (``yibao``, ``yibao.schemas``, ``yibao_regions``) and put first on the path.

Run:  python tools/answers_before_after.py [REV]     (default: main; exit 1 on a difference)

Differences are counted by where they lie (``shenzhen: layers``, ``shenzhen: transfer.basis[3].layer``)
so that a change made on purpose (Shenzhen gained its province, Guangdong, beneath it) is
seen to be the only one.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def export(rev: str, into: Path) -> None:
    """The revision's core/, schemas/ and regions/ as the packages yibao, yibao.schemas, yibao_regions."""
    data = subprocess.run(["git", "archive", rev, "core", "schemas", "regions"], cwd=ROOT, check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into / "raw", filter="data")
    shutil.move(str(into / "raw" / "core"), str(into / "yibao"))
    shutil.move(str(into / "raw" / "schemas"), str(into / "yibao" / "schemas"))
    shutil.move(str(into / "raw" / "regions"), str(into / "yibao_regions"))


def digest(path: str | None) -> list[str]:
    env = {**os.environ, "YIBAO_CACHE_DIR": "", "YIBAO_LOAD_PLUGINS": ""}
    if path:
        env["PYTHONPATH"] = path
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "answers_digest.py")], env=env, check=True, capture_output=True, text=True)
    return run.stdout.splitlines()


def main(argv: list[str]) -> int:
    rev = argv[0] if argv else "main"
    with tempfile.TemporaryDirectory() as tmp:
        export(rev, Path(tmp))
        before = digest(tmp)
    after = digest(None)
    if len(before) != len(after):
        print(f"{len(before)} answers before, {len(after)} after")
        return 1
    differ = [(json.loads(b), json.loads(a)) for b, a in zip(before, after) if b != a]
    where: dict[str, int] = {}
    for old, new in differ:
        for path in set(_paths(old["answer"], new["answer"], "")):
            key = f"{old['region']}: {path}"
            where[key] = where.get(key, 0) + 1
    for key, count in sorted(where.items()):
        print(f"{count:6d}  {key}")
    print(f"{len(after)} answers compared with {rev}: {len(differ)} differ")
    return 1 if differ else 0


def _paths(old: object, new: object, at: str) -> list[str]:
    """Where two JSON values differ, list indices written [i]."""
    if isinstance(old, dict) and isinstance(new, dict):
        return [p for key in sorted(set(old) | set(new)) for p in _paths(old.get(key), new.get(key), f"{at}.{key}" if at else key)]
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [p for i, (a, b) in enumerate(zip(old, new)) for p in _paths(a, b, f"{at}[{i}]")]
    return [] if old == new else [at]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
