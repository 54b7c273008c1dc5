#!/usr/bin/env python3
"""What explanations cost, and proof that the ordinary path does not pay for them.

Usage::

    python benchmarks/explain_bench.py                 # about half a minute
    python benchmarks/explain_bench.py --quick
    python benchmarks/explain_bench.py --json
    python benchmarks/explain_bench.py --baseline DIR  # also evaluate() of another tree, interleaved

Figures (median, p10-p90, of many repetitions; the member of benchmarks/bench.py):

9.  ``yibao.explain("shenzhen", Member, date)``, all five areas, warm, against
    ``yibao.evaluate`` of the same member measured in the same run.   goal: ≤ 3×
9b. The same with ``Explanation.to_dict()`` (what ``policy explain --format json`` and
    ``POST /v1/explain`` pay).                                         no goal of its own
9c. One area (``area="lapse"``), a timeline's month (``Timeline.explain``) and a move
    (``Move.explain``).                                                no goal of its own
9d. ``tracing.step(...)`` when nothing is recorded (what a rule pays on every
    ordinary evaluate for naming a step).                             goal: ≤ 0.2 µs
9e. With ``--baseline DIR`` (a tree of another commit, e.g. ``git archive BASE | tar -x
    -C DIR``): ``evaluate`` (figure 2) of that tree and of this one, in interleaved
    subprocesses.                                             goal: no slow-down beyond noise

It reports; it does not judge: the exit code is 0 whatever the figures. Standard
library only; run it with the interpreter that has ``yibao`` installed.
"""

from __future__ import annotations

import argparse
import json
import os

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import AS_OF, MEMBER, REGION, _load, spread, summary, time_call  # noqa: E402

GOAL_RATIO = 3.0
GOAL_STEP_US = 0.2
#: A member with a five-month gap, for the month and the move (docs/explain.md).
GAP = {"category": "employee", "contribution_base": "10000", "contributions": [{"from": "2024-01", "to": "2026-02"}, {"from": "2026-08"}]}

_EVALUATE_ONLY = """
import json, sys, timeit
from datetime import date
import yibao
member = yibao.Member.from_mapping(json.loads(sys.argv[1]))
day = date.fromisoformat(sys.argv[2])
yibao.evaluate(sys.argv[3], member, day)
runs = [min(timeit.repeat(lambda: yibao.evaluate(sys.argv[3], member, day), number=2000, repeat=3)) / 2000 * 1e6 for _ in range(5)]
print(json.dumps({"file": yibao.__file__, "us": runs}))
"""


def measure(repeats: int, target_s: float) -> dict[str, dict[str, float]]:
    import yibao
    from yibao import tracing

    member = yibao.Member.from_mapping(MEMBER)
    day = date.fromisoformat(AS_OF)
    explained = yibao.explain(REGION, member, day)
    if explained.evaluation != yibao.evaluate(REGION, member, day):
        raise SystemExit("explain_bench: the explanation's answer is not evaluate's")
    timeline = yibao.timeline("zhejiang", GAP, "2026-01", "2027-03")
    moving = yibao.move("shenzhen", "zhejiang", GAP, "2026-08-01")
    out = {
        "evaluate": time_call(lambda: yibao.evaluate(REGION, member, day), repeats, target_s),
        "explain": time_call(lambda: yibao.explain(REGION, member, day), repeats, target_s),
        "explain_to_dict": time_call(lambda: yibao.explain(REGION, member, day).to_dict(), max(5, repeats // 3), target_s),
        "explain_lapse": time_call(lambda: yibao.explain(REGION, member, day, area="lapse"), repeats, target_s),
        "explain_month": time_call(lambda: timeline.explain("2026-10"), repeats, target_s),
        "explain_move": time_call(lambda: moving.explain(), repeats, target_s),
        "step_not_recording": time_call(
            lambda: tracing.step("credit.amount", en="x", zh="x", facts={"contribution_base": 1}, params=("credit_rate",), outcome=1),
            repeats,
            target_s,
        ),
    }
    return out


def baseline(tree: Path, rounds: int) -> dict[str, object]:
    """evaluate() of ``tree`` and of this checkout, in interleaved subprocesses."""
    here = Path(__file__).resolve().parent.parent
    found: dict[str, list[float]] = {"baseline": [], "this": []}
    with tempfile.TemporaryDirectory() as links:
        for name, folder in (("yibao", "core"), ("yibao_regions", "regions")):
            os.symlink(tree / folder, Path(links) / name)
        for _ in range(rounds):
            for label, path in (("baseline", links), ("this", None)):
                env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
                env["YIBAO_LOAD_PLUGINS"] = ""
                if path:
                    env["PYTHONPATH"] = path
                done = subprocess.run(
                    [sys.executable, "-c", _EVALUATE_ONLY, json.dumps(MEMBER), AS_OF, REGION],
                    capture_output=True, text=True, env=env, cwd=here, timeout=300,
                )
                if done.returncode:
                    raise SystemExit(f"explain_bench: the {label} tree failed: {done.stderr.strip()[-400:]}")
                result = json.loads(done.stdout)
                if label == "baseline" and not result["file"].startswith(str(links)):
                    raise SystemExit(f"explain_bench: the baseline run imported {result['file']}, not the tree given")
                found[label] += result["us"]
    return {label: summary(values) for label, values in found.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="What explanations cost (reports only; exit code 0).")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--baseline", metavar="DIR", help="a tree of another commit (with core/ and regions/): compare evaluate()")
    args = parser.parse_args(argv)
    repeats, target_s = (15, 0.02) if args.quick else (40, 0.05)
    figures: dict[str, object] = {"load_before": _load()}
    warm = measure(repeats, target_s)
    figures["warm"] = warm
    if args.baseline:
        figures["baseline"] = baseline(Path(args.baseline).resolve(), 3 if args.quick else 6)
    figures["load_after"] = _load()
    ratio = warm["explain"]["median"] / warm["evaluate"]["median"]
    figures["ratio_explain_to_evaluate"] = ratio
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"load average (1 min): {figures['load_before']} before, {figures['load_after']} after, on {os.cpu_count()} CPUs")
    e = warm["evaluate"]
    print(f"2. evaluate({REGION!r}, Member, date), this run: {spread(e, 'µs')}")
    print(f"9. explain({REGION!r}, Member, date), 5 areas: {spread(warm['explain'], 'µs')}")
    print(f"   = {ratio:.1f}× evaluate; goal ≤ {GOAL_RATIO:.0f}×  → {'PASS' if ratio <= GOAL_RATIO else 'MISS'}")
    print(f"9b. explain(...).to_dict(): {spread(warm['explain_to_dict'], 'µs', '.0f')} = {warm['explain_to_dict']['median'] / e['median']:.0f}× evaluate")
    for key, label in (("explain_lapse", "one area (lapse)"), ("explain_month", "Timeline.explain(month)"), ("explain_move", "Move.explain()")):
        print(f"9c. {label}: {spread(warm[key], 'µs', '.0f')}")
    step = warm["step_not_recording"]
    print(f"9d. tracing.step, nothing recorded: {spread(step, 'µs', '.3f')}  goal ≤ {GOAL_STEP_US} µs → {'PASS' if step['median'] <= GOAL_STEP_US else 'MISS'}")
    if "baseline" in figures:
        b, t = figures["baseline"]["baseline"], figures["baseline"]["this"]  # type: ignore[index]
        print(f"9e. evaluate, baseline tree: {spread(b, 'µs')}")
        print(f"    evaluate, this tree:     {spread(t, 'µs')}  ({(t['median'] / b['median'] - 1) * 100:+.1f}% on the median)")
    return 0


if __name__ == "__main__":
    sys.exit(main())



