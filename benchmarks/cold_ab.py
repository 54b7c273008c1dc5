#!/usr/bin/env python3
"""Cold start of two installations side by side: A/B, alternating, beside ``python -c pass``.

Usage::

    python3 -m venv /tmp/a && /tmp/a/bin/pip install -q /path/to/main-checkout
    python3 -m venv /tmp/b && /tmp/b/bin/pip install -q .
    python benchmarks/cold_ab.py /tmp/a /tmp/b --runs 30

Each round runs ``python -c pass`` (the interpreter of the first environment) and then,
for each environment in turn, ``policy evaluate shenzhen --member examples/member.json
--as-of 2026-03-01 --format json`` and ``policy compare shenzhen zhejiang``: every command
sees the same load. Each environment has its own entry-point cache (``YIBAO_CACHE_DIR``)
and bytecode cache (``PYTHONPYCACHEPREFIX``), both filled by discarded warm-up runs, as
after ``pip install`` and a first command. Reported per command: the median wall time and
CPU time (user + system, which moves less with other jobs on a shared machine) and their
ratios to ``python -c pass``; the load average before and after.

Install both environments normally (not ``pip install -e``): an editable install's import
hook runs in every process, ``python -c pass`` included. Standard library only; reports,
never judges (exit code 0).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEMBER_FILE = ROOT / "examples" / "member.json"
SETTLE_S = 2.5  # the caches keep only files older than two seconds (yibao.catalogue, yibao.tomlcache)


def commands(env_dir: Path) -> dict[str, list[str]]:
    policy = str(env_dir / "bin" / "policy")
    return {
        "evaluate": [policy, "evaluate", "shenzhen", "--member", str(MEMBER_FILE), "--as-of", "2026-03-01", "--format", "json"],
        "compare": [policy, "compare", "shenzhen", "zhejiang"],
    }


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one fresh process (which must succeed)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        last = (done.stderr.decode("utf-8", "replace").strip().splitlines() or [""])[-1]
        raise SystemExit(f"cold_ab: {' '.join(argv)} failed with exit code {done.returncode}: {last}")
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Cold start of two yibao-policy installations, alternating (reports only).")
    parser.add_argument("a", type=Path, help="virtual environment A (has bin/python and bin/policy)")
    parser.add_argument("b", type=Path, help="virtual environment B")
    parser.add_argument("--runs", type=int, default=30, help="rounds (default 30)")
    args = parser.parse_args(argv)

    base = dict(os.environ)
    base.pop("PYTHONDONTWRITEBYTECODE", None)
    scratch = Path(tempfile.mkdtemp(prefix="yibao-cold-ab-"))
    try:
        envs = {
            label: dict(base, YIBAO_CACHE_DIR=str(scratch / label / "cache"), PYTHONPYCACHEPREFIX=str(scratch / label / "pyc"))
            for label in ("A", "B")
        }
        plan = [("python -c pass", "A", [str(args.a / "bin" / "python"), "-c", "pass"])]
        for label, env_dir in (("A", args.a), ("B", args.b)):
            plan += [(name, label, command) for name, command in commands(env_dir).items()]
        for _, label, command in plan:  # fill the bytecode caches and the entry-point caches
            run(command, envs[label])
        time.sleep(SETTLE_S)
        for _, label, command in plan:  # ... and the parsed-file caches, now that nothing is new
            run(command, envs[label])
        wall: list[list[float]] = [[] for _ in plan]
        cpu: list[list[float]] = [[] for _ in plan]
        load_before = os.getloadavg()
        for _ in range(args.runs):
            for i, (_, label, command) in enumerate(plan):
                w, c = run(command, envs[label])
                wall[i].append(w * 1e3)
                cpu[i].append(c * 1e3)
        load_after = os.getloadavg()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print(f"A = {args.a}, B = {args.b}; {args.runs} alternating rounds on {os.cpu_count()} CPUs")
    print("load average before " + " ".join(f"{x:.2f}" for x in load_before) + ", after " + " ".join(f"{x:.2f}" for x in load_after))
    pass_wall, pass_cpu = statistics.median(wall[0]), statistics.median(cpu[0])
    print(f"{'command':16} {'env':3} {'wall ms':>9} {'×pass':>6} {'p10':>7} {'p90':>7} {'cpu ms':>8} {'×pass':>6}")
    for i, (name, label, _) in enumerate(plan):
        w, c = statistics.median(wall[i]), statistics.median(cpu[i])
        deciles = statistics.quantiles(wall[i], n=10) if len(wall[i]) > 1 else [w] * 9
        print(f"{name:16} {label:3} {w:9.1f} {w / pass_wall:6.1f} {deciles[0]:7.1f} {deciles[-1]:7.1f} {c:8.1f} {c / pass_cpu:6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
