#!/usr/bin/env python3
"""Benchmark yibao-policy on this machine: warm evaluate and CLI cold start.

Usage::

    python benchmarks/bench.py            # full run (about a minute)
    python benchmarks/bench.py --quick    # fewer repetitions
    python benchmarks/bench.py --json     # figures as JSON on stdout
    python benchmarks/bench.py --bytecode env   # cold start without a .pyc cache of our own

Figures (each the median, p10-p90 spread and minimum of many repetitions):

1. ``yibao.evaluate("shenzhen", member_dict, "2026-03-01")``, warm, from a plain dict
   (includes input validation), all five areas.                   goal: median <= 50 us
2. The same from an already-validated ``Member`` and a ``date``.  goal: median <= 20 us
2b. ``Evaluation.to_dict()`` of that evaluation.                  goal: cheaper than 1.
2c. Bytes of the representative member's evaluation as JSON (``--format json`` piped,
    compact citations) against 0.1's indented full form, and what they are made of.
                                              goal: <= a third, <= 6,500 bytes (issue 18)
3. Cold start of ``policy evaluate shenzhen --member examples/member.json --as-of
   2026-03-01 --format json`` against ``python -c pass``.         goal: ratio <= 10x
4. Cold start of ``policy compare shenzhen zhejiang`` likewise.   goal: ratio <= 10x
5. The same with 20 more region plugins installed (entry points only, never imported):
   goal: no slow-down beyond noise.
   ("compare: not available" while the command is missing or fails).
6. ``yibao.timeline("shenzhen", Member, "2017-01", "2026-12")``: 120 months, warm, from a
   validated member, timed in alternation with figure 2 (one repetition of each in turn).
                                          goal: median <= 1 ms and <= 40x figure 2
7. ``Member.from_mapping`` of a long history: 1,200 contribution ranges (the most a
   member may have), each with a float ``base``; per range, and scaled to 10,000 ranges.
                                                     goal: 10,000 ranges <= 10 ms
   (a member of 10,000 ranges is refused at once: its refusal time is reported too).
8. The timeline of figure 6 for a member who moves: Shenzhen 2017-01 .. 2021-12, Zhejiang
   from 2022-03 (``region`` on each range), 120 months, warm; reported beside figure 6.
                                                                  no goal of its own

It reports; it does not judge: the exit code is 0 whatever the figures, and each goal is
marked PASS or MISS. Standard library only; run it with the interpreter that has
``yibao`` installed. Paths are resolved relative to this file, so any directory works.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import timeit
from datetime import date
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parent.parent
MEMBER_FILE = ROOT / "examples" / "member.json"

REGION = "shenzhen"
AS_OF = "2026-03-01"
AREAS = ("credit", "lapse", "family", "transfer", "withdrawal")

# A realistic employee: tier 1, a base of 12,000 yuan, a balance, and a four-month gap
# in contributions (2025-05 .. 2025-08), so the lapse rules have something to look at.
MEMBER = {
    "category": "employee",
    "tier": 1,
    "contribution_base": "12000",
    "contributions": [{"from": "2019-01", "to": "2025-04"}, {"from": "2025-09", "to": "2026-12"}],
    "balance": "3560.20",
}

GOAL_DICT_US = 50.0
GOAL_MEMBER_US = 20.0
GOAL_COLD_RATIO = 10.0
GOAL_TIMELINE_MS = 1.0
GOAL_TIMELINE_RATIO = 40.0  # times one evaluate(Member) of the same run (issue 18)
GOAL_JSON_BYTES = 6500  # one evaluation, piped (issue 18)
GOAL_LONG_HISTORY_MS = 10.0  # for 10,000 ranges
TIMELINE_WINDOW = ("2017-01", "2026-12")  # 120 months
#: Figure 8: a history that moves from Shenzhen to Zhejiang after a 2-month gap.
ACROSS_HISTORY = [{"from": "2017-01", "to": "2021-12", "region": "shenzhen"}, {"from": "2022-03", "region": "zhejiang"}]
LONG_HISTORY = 1200  # contribution ranges: the most a member may have
# Context, not measured here: OpenFisca, the closest peer, needs about this much on this
# machine for one variable of one person built from a dict.
OPENFISCA_US = 210.0


# --------------------------------------------------------------------------- helpers


class BenchError(Exception):
    """Something to measure did not run; reported on stderr, exit code still 0."""


def summary(samples: list[float]) -> dict[str, float]:
    """Median and p10/p90 of ``samples`` (same unit as the samples)."""
    ordered = sorted(samples)
    if len(ordered) >= 2:
        deciles = statistics.quantiles(ordered, n=10, method="inclusive")
        p10, p90 = deciles[0], deciles[-1]
    else:
        p10 = p90 = ordered[0]
    return {
        "median": statistics.median(ordered),
        "p10": p10,
        "p90": p90,
        "min": ordered[0],
        "max": ordered[-1],
        "n": len(ordered),
    }


def _load() -> float | None:
    """The 1-minute load average, where the platform has one."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def time_call(stmt, repeats: int, target_s: float) -> dict[str, float]:
    """Per-call time of ``stmt`` in microseconds, over ``repeats`` repetitions.

    Each repetition runs ``stmt`` enough times in a loop to last about ``target_s``
    seconds (so timer resolution does not matter), with the garbage collector enabled
    as it is in a real program (``timeit`` would disable it).
    """
    timer = timeit.Timer(stmt, setup="gc.enable()", globals={"gc": gc})
    number = 1
    while True:  # calibrate, like Timer.autorange but towards target_s
        elapsed = timer.timeit(number)
        if elapsed >= target_s / 4 or number >= 1 << 24:
            break
        number *= 2
    number = max(1, round(number * target_s / max(elapsed, 1e-9)))
    per_call = [t / number * 1e6 for t in timer.repeat(repeat=repeats, number=number)]
    stats = summary(per_call)
    stats["loops_per_repetition"] = number
    return stats


def time_pair(first, second, repeats: int, target_s: float) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """Per-call times (µs) of ``first`` and ``second`` timed in alternation, one repetition
    of each in turn, and the run-by-run ratio second / first: both see the same load."""
    timers = [timeit.Timer(stmt, setup="gc.enable()", globals={"gc": gc}) for stmt in (first, second)]
    numbers = []
    for timer in timers:
        number = 1
        while True:
            elapsed = timer.timeit(number)
            if elapsed >= target_s / 4 or number >= 1 << 24:
                break
            number *= 2
        numbers.append(max(1, round(number * target_s / max(elapsed, 1e-9))))
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        for timer, number, out in zip(timers, numbers, samples):
            out.append(timer.timeit(number) / number * 1e6)
    return summary(samples[0]), summary(samples[1]), summary([b / a for a, b in zip(*samples)])


def policy_command() -> tuple[list[str], str]:
    """How to start the ``policy`` CLI: the console script next to ``sys.executable`` if
    it runs on this very interpreter, else ``python -c "from yibao.cli import main; main()"``."""
    bindir = Path(sys.executable).parent
    for name in ("policy", "policy.exe", "policy-script.py"):
        script = bindir / name
        if not script.is_file():
            continue
        if name.endswith(".exe"):
            return [str(script)], str(script)
        try:
            first = script.read_text(encoding="utf-8", errors="replace").splitlines()[0]
        except (OSError, IndexError):
            first = ""
        shebang = first[2:].strip() if first.startswith("#!") else ""
        if shebang and _same_file(shebang, sys.executable):
            return [str(script)], str(script)
        # A shebang naming another interpreter (or none): run the script with ours.
        return [sys.executable, str(script)], f"{sys.executable} {script}"
    return [sys.executable, "-c", "from yibao.cli import main; main()"], "python -c 'from yibao.cli import main; main()'"


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b) or Path(a).absolute() == Path(b).absolute()
    except OSError:
        return False


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, int, str, float | None]:
    """Wall time (s) of one fresh process, its exit code, stderr's last line and the CPU
    time (s, user + system) it used, where the platform reports it (less sensitive to the
    other jobs on a shared machine than the wall time)."""
    before = _children_cpu()
    start = perf_counter()
    proc = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, cwd=ROOT, env=env)
    elapsed = perf_counter() - start
    after = _children_cpu()
    err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    cpu = None if before is None or after is None else after - before
    return elapsed, proc.returncode, err[-1] if err else "", cpu


def _editable() -> bool:
    """Whether yibao-policy is installed editable (pip install -e): its import hook then runs in
    every process of this interpreter, ``python -c pass`` included."""
    try:
        from importlib.metadata import distributions

        for dist in distributions():  # (a build's yibao_policy.egg-info in the current directory may come first)
            if (dist.metadata["Name"] or "").lower() == "yibao-policy":
                text = dist.read_text("direct_url.json")
                if text and json.loads(text).get("dir_info", {}).get("editable"):
                    return True
    except Exception:
        pass
    return False


def _children_cpu() -> float | None:
    try:
        import resource

        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime
    except (ImportError, OSError):  # Windows
        return None


# --------------------------------------------------------------------------- figures


def bench_warm(repeats: int, target_s: float) -> dict[str, dict]:
    try:
        import yibao

        # First call: loads the plugins and the parameter files; not measured.
        result = yibao.evaluate(REGION, MEMBER, AS_OF)
    except Exception as exc:  # the tree may be mid-edit: say so, do not crash
        raise BenchError(f"bench: yibao.evaluate({REGION!r}, member, {AS_OF!r}) failed: {type(exc).__name__}: {exc}") from exc
    missing = [area for area in AREAS if area not in result.decisions]
    if missing:
        raise BenchError(f"bench: evaluate answered no {', '.join(missing)}; the benchmark would not cover all five areas")
    member = yibao.Member.from_mapping(MEMBER)
    day = date.fromisoformat(AS_OF)
    from yibao.provenance import timeless  # evaluated_at differs by the milliseconds between the calls

    if timeless(yibao.evaluate(REGION, member, day).to_dict()) != timeless(result.to_dict()):
        raise BenchError("bench: evaluate from a Member answers differently from evaluate from the same dict")

    evaluate = yibao.evaluate
    from_dict = time_call(lambda: evaluate(REGION, MEMBER, AS_OF), repeats, target_s)
    from_member = time_call(lambda: evaluate(REGION, member, day), repeats, target_s)
    validate_only = time_call(lambda: yibao.Member.from_mapping(MEMBER), repeats, target_s)
    figures = {
        "from_dict": from_dict,
        "from_member": from_member,
        "validate_only": validate_only,
        "to_dict": time_call(lambda: result.to_dict(), repeats, target_s),
        "json_size": json_sizes(),
    }
    figures.update(bench_history(member, repeats, target_s))
    return figures


def json_sizes() -> dict[str, int]:
    """Bytes of the representative member's evaluation (``policy evaluate shenzhen`` without
    --member, as of 2026-11-22) in each form: what ``--format json`` prints when piped
    (compact citations, no spaces), the same indented, and the full form indented (0.1's output)."""
    import yibao

    member = json.loads((ROOT / "core" / "data" / "representative_member.json").read_text(encoding="utf-8"))
    result = yibao.evaluate("shenzhen", member, "2026-11-22")

    def size(data: object, **options: object) -> int:
        return len(json.dumps(data, ensure_ascii=False, **options).encode("utf-8"))

    compact = result.to_dict()
    try:
        full = result.to_dict(citations="full")
    except TypeError:  # before compact citations: to_dict() is the full form
        full = compact
    tight = {"separators": (",", ":")}
    cited = [item for area in AREAS for kind in ("citations", "disputed") for item in compact[area][kind]]
    passages = {(item.get("source"), item["quote"]) for item in cited}
    return {
        "piped": size(compact, **tight),
        "indented": size(compact, indent=2),
        "full_indented": size(full, indent=2),
        "citations": len(cited),
        "distinct_passages": len(passages),
        "quotes": sum(len(quote.encode("utf-8")) for _, quote in passages),
        "documents": size(compact.get("sources", {}), **tight),
    }


def long_history(count: int) -> dict:
    """A member with ``count`` one-month ranges a month apart, each with a float base."""
    items = []
    for i in range(count):
        month = 1950 * 12 + 2 * i if count <= 600 else 1950 * 12 + i
        text = f"{month // 12:04d}-{month % 12 + 1:02d}"
        items.append({"from": text, "to": text, "base": 6733.5 + i % 7})
    return {"category": "employee", "contribution_base": 9000.25, "contributions": items}


def bench_history(member: object, repeats: int, target_s: float) -> dict[str, dict]:
    """Figures 6 and 7: the 120-month timeline and validating a long history."""
    import yibao

    try:
        engine = yibao.PolicyEngine()
        first, last = TIMELINE_WINDOW
        months = len(engine.timeline(REGION, member, first, last).months)  # warm-up, not measured
        if months != 120:
            raise BenchError(f"bench: the timeline has {months} months, not 120")
    except (AttributeError, yibao.YibaoError) as exc:
        return {"timeline_note": {"reason": f"{type(exc).__name__}: {exc}"}}
    day = date.fromisoformat(AS_OF)
    one, timeline, ratio = time_pair(
        lambda: engine.evaluate(REGION, member, day), lambda: engine.timeline(REGION, member, first, last), repeats, target_s
    )
    data = long_history(LONG_HISTORY)
    if len(yibao.Member.from_mapping(data).periods) != LONG_HISTORY:
        raise BenchError("bench: the long history was not read whole")
    longest = time_call(lambda: yibao.Member.from_mapping(data), repeats, target_s)
    too_long = dict(data, contributions=data["contributions"] * 9)  # 10,800 ranges

    def refuse() -> None:
        try:
            yibao.Member.from_mapping(too_long)
        except yibao.InputError:
            return
        raise BenchError("bench: a member of 10,800 ranges was accepted")

    refused = time_call(refuse, repeats, target_s)
    moving = yibao.Member.from_mapping({**MEMBER, "contributions": ACROSS_HISTORY})
    if engine.timeline(REGION, moving, first, last).regions != ("shenzhen", "zhejiang"):
        raise BenchError("bench: the cross-region timeline did not cross")
    across = time_call(lambda: engine.timeline(REGION, moving, first, last), repeats, target_s)
    return {
        "timeline_120": timeline,
        "timeline_beside": one,
        "timeline_ratio": ratio,
        "long_history": longest,
        "long_history_refused": refused,
        "timeline_across_120": across,
    }


def cold_env(bytecode: str, cache_dir: str) -> dict[str, str]:
    """The environment of the measured processes.

    ``cached`` (default): bytecode is written to and read from ``cache_dir`` (via
    PYTHONPYCACHEPREFIX, so nothing is written into the source tree), as for a normal
    install where pip compiles the .pyc files; the discarded warm-up run fills it.
    ``env``: the environment as it is; with PYTHONDONTWRITEBYTECODE set and an editable
    install, every run then compiles yibao from source.
    """
    env = dict(os.environ)
    if bytecode == "cached":
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = cache_dir
    return env


def bench_cold(runs: int, bytecode: str) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="yibao-bench-pyc-") as cache_dir:
        out = _bench_cold(runs, cold_env(bytecode, cache_dir))
    out["bytecode"] = "as in the environment" if bytecode == "env" else "cached (PYTHONPYCACHEPREFIX, temporary)"
    out["env_dont_write_bytecode"] = bool(os.environ.get("PYTHONDONTWRITEBYTECODE"))
    return out


EXTRA_PLUGINS = 20


def install_fake_plugins(root: Path, count: int) -> None:
    """``count`` region distributions (entry points plus a module) in ``root``, as pip would
    leave them; their modules raise if imported, which a lazy host never does."""
    for i in range(count):
        name = f"yibao_region_bench{i:02d}"
        info = root / f"{name}-1.0.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8")
        (info / "entry_points.txt").write_text(f"[yibao.regions]\nbench{i:02d} = {name}\n", encoding="utf-8")
        (root / f"{name}.py").write_text("raise ImportError('benchmark plugin imported: the host is not lazy')\n", encoding="utf-8")


def _bench_cold(runs: int, env: dict[str, str]) -> dict[str, object]:
    base = [sys.executable, "-c", "pass"]
    policy, policy_desc = policy_command()
    compare = policy + ["compare", "shenzhen", "zhejiang"]
    plugin_dir = Path(tempfile.mkdtemp(prefix="yibao-bench-plugins-"))
    install_fake_plugins(plugin_dir, EXTRA_PLUGINS)
    with_plugins = dict(env, PYTHONPATH=os.pathsep.join(filter(None, [str(plugin_dir), env.get("PYTHONPATH", "")])))
    commands: dict[str, tuple[list[str], dict[str, str]]] = {
        "python_pass": (base, env),
        "evaluate": (policy + ["evaluate", REGION, "--member", str(MEMBER_FILE), "--as-of", AS_OF, "--format", "json"], env),
        "compare": (compare, env),
        "compare_plugins": (compare, with_plugins),
    }
    try:
        return _time_commands(runs, commands, policy_desc)
    finally:
        shutil.rmtree(plugin_dir, ignore_errors=True)


def _time_commands(runs: int, commands: dict[str, tuple[list[str], dict[str, str]]], policy_desc: str) -> dict[str, object]:
    notes: dict[str, str] = {}

    # Warm-up round (discarded): fills the OS file cache and the bytecode cache, and tells
    # whether each command works at all. A command that fails is reported, not timed.
    for name, (argv, env) in list(commands.items()):
        _, code, err, _ = run_once(argv, env)
        if code != 0:
            if name == "python_pass":
                raise BenchError(f"bench: {' '.join(argv)} failed (exit code {code}: {err})")
            notes[name] = f"exit code {code}" + (f": {err}" if err else "")
            del commands[name]

    samples: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):  # interleaved, so drift affects every command alike
        for name, (argv, env) in list(commands.items()):
            elapsed, code, err, used = run_once(argv, env)
            if code != 0:  # the tree may be mid-edit
                notes[name] = f"failed mid-run, exit code {code}" + (f": {err}" if err else "")
                del commands[name], samples[name], cpu[name]
                continue
            samples[name].append(elapsed * 1e3)
            if used is not None:
                cpu[name].append(used * 1e3)

    out: dict[str, object] = {"policy_command": policy_desc, "runs": runs, "extra_plugins": EXTRA_PLUGINS, "editable": _editable()}
    stats = {name: summary(values) for name, values in samples.items()}
    out["python_pass_ms"] = stats["python_pass"]
    have_cpu = all(len(values) == len(samples[name]) and values for name, values in cpu.items())
    out["python_pass_cpu_ms"] = summary(cpu["python_pass"]) if have_cpu else None
    for name in ("evaluate", "compare", "compare_plugins"):
        if name in stats:
            ratios = [c / p for c, p in zip(samples[name], samples["python_pass"])]
            out[name] = {
                "available": True,
                "ms": stats[name],
                "ratio": stats[name]["median"] / stats["python_pass"]["median"],
                "ratio_pairwise": summary(ratios),
            }
            if have_cpu:
                out[name]["cpu_ms"] = summary(cpu[name])
                out[name]["cpu_ratio"] = out[name]["cpu_ms"]["median"] / out["python_pass_cpu_ms"]["median"]
        else:
            out[name] = {"available": False, "reason": notes.get(name, "")}
    return out


# --------------------------------------------------------------------------- report


def spread(stats: dict[str, float], unit: str, fmt: str = ".1f") -> str:
    return (
        f"median {stats['median']:{fmt}} {unit}  (p10 {stats['p10']:{fmt}} – p90 {stats['p90']:{fmt}}, "
        f"min {stats['min']:{fmt}}, n={stats['n']})"
    )


def report(figures: dict) -> None:
    env = figures["environment"]
    print(f"yibao-policy benchmark — Python {env['python']} on {env['platform']}")
    print(f"interpreter: {env['executable']}")
    before, after = env.get("load_before"), env.get("load_after")
    if before is not None and after is not None:
        print(f"load average (1 min): {before:.2f} before, {after:.2f} after, on {env['cpus']} CPUs")
        if max(before, after) > 0.5 * (env["cpus"] or 1):
            print("   caution: the machine was busy; medians are inflated and spreads wide — rerun when it is idle")
    print()

    warm = figures["warm"]
    d, m, v = warm["from_dict"], warm["from_member"], warm["validate_only"]
    print(f"1. evaluate({REGION!r}, dict, {AS_OF!r}), warm, 5 areas")
    print(f"   {spread(d, 'µs')}")
    print(f"   goal: median ≤ {GOAL_DICT_US:.0f} µs  → {verdict(d['median'] <= GOAL_DICT_US)}")
    print(
        f"   context: OpenFisca needs about {OPENFISCA_US:.0f} µs on this machine for one variable of one person from a dict (not measured here)"
    )
    print(f"   of which Member.from_mapping(dict) alone: {spread(v, 'µs')}")
    print()
    print(f"2. evaluate({REGION!r}, Member, date), warm, 5 areas")
    print(f"   {spread(m, 'µs')}")
    print(f"   goal: median ≤ {GOAL_MEMBER_US:.0f} µs  → {verdict(m['median'] <= GOAL_MEMBER_US)}")
    print()
    td, size = warm["to_dict"], warm["json_size"]
    print("2b. Evaluation.to_dict() of that evaluation, warm")
    print(f"   {spread(td, 'µs')}")
    print(
        f"   goal: cheaper than the evaluation from a dict  → {verdict(td['median'] < d['median'])}"
        f"  ({td['median'] / m['median']:.1f}× the evaluation from a Member)"
    )
    print("2c. JSON of the representative member's evaluation (shenzhen, 2026-11-22)")
    print(
        f"   --format json piped: {size['piped']:,} bytes; indented: {size['indented']:,}; "
        f"full citations indented (0.1's output): {size['full_indented']:,}"
    )
    print(
        f"   goal: ≤ a third of 0.1's output  → {verdict(size['piped'] * 3 <= size['full_indented'])}"
        f"  ({size['piped'] / size['full_indented']:.0%})"
    )
    print(f"   goal: ≤ {GOAL_JSON_BYTES:,} bytes piped  → {verdict(size['piped'] <= GOAL_JSON_BYTES)}")
    print(
        f"   made of: {size['citations']} citations of {size['distinct_passages']} distinct passages, whose quotes are "
        f"{size['quotes']:,} bytes; the documents they name {size['documents']:,} bytes"
    )
    print()

    cold = figures["cold"]
    base = cold["python_pass_ms"]
    print(f"   cold start: {cold['runs']} interleaved runs each after one discarded warm-up; policy = {cold['policy_command']}")
    print(f"   bytecode: {cold['bytecode']}" + ("; PYTHONDONTWRITEBYTECODE is set here" if cold["env_dont_write_bytecode"] else ""))
    print(f"   python -c pass: {spread(base, 'ms')}")
    if cold.get("editable"):
        print("   caution: yibao is an editable install here; its import hook runs in every process, python -c pass")
        print("   included (about 10 ms), which flatters the ratios: measure a normal install (pip install .)")
    if cold.get("python_pass_cpu_ms"):
        print(f"   python -c pass, CPU time: {spread(cold['python_pass_cpu_ms'], 'ms')}")
    labels = {
        "evaluate": f"3. policy evaluate {REGION} --member examples/member.json --as-of {AS_OF} --format json",
        "compare": "4. policy compare shenzhen zhejiang",
        "compare_plugins": f"5. policy compare shenzhen zhejiang with {cold['extra_plugins']} more region plugins installed (not imported)",
    }
    for name, label in labels.items():
        entry = cold[name]
        print(label)
        if not entry["available"]:
            print(f"   {name}: not available" + (f" ({entry['reason']})" if entry.get("reason") else ""))
            continue
        ratio = entry["ratio"]
        print(f"   {spread(entry['ms'], 'ms')}")
        pair = entry["ratio_pairwise"]
        print(f"   ratio to python -c pass: {ratio:.1f}×  (run-by-run p10 {pair['p10']:.1f}× – p90 {pair['p90']:.1f}×)")
        if "cpu_ms" in entry:
            print(f"   CPU time: median {entry['cpu_ms']['median']:.1f} ms, {entry['cpu_ratio']:.1f}× python -c pass's")
        print(f"   goal: ratio ≤ {GOAL_COLD_RATIO:.0f}×  → {verdict(ratio <= GOAL_COLD_RATIO)}")
    if cold["compare"]["available"] and cold["compare_plugins"]["available"]:
        extra = cold["compare_plugins"]["ms"]["median"] - cold["compare"]["ms"]["median"]
        print(f"   with {cold['extra_plugins']} extra plugins: {extra:+.1f} ms on the median compare (goal: no slow-down beyond noise)")
    print()


def report_history(figures: dict) -> None:
    """Figures 6 and 7 (from the warm run, beside figure 2)."""
    warm = figures["warm"]
    if "timeline_120" not in warm:
        print(f"6. timeline: not available ({warm.get('timeline_note', {}).get('reason', '')})")
        return
    tl, m = warm["timeline_120"], warm["from_member"]
    ms = {key: value / 1000 if key in ("median", "p10", "p90", "min", "max") else value for key, value in tl.items()}
    print(f"6. timeline({REGION!r}, Member, {TIMELINE_WINDOW[0]!r}, {TIMELINE_WINDOW[1]!r}): 120 months, warm")
    print(f"   {spread(ms, 'ms', '.2f')}")
    one, ratio = warm["timeline_beside"], warm["timeline_ratio"]
    print(
        f"   = {ratio['median']:.1f} × evaluate(Member) timed in alternation with it ({one['median']:.1f} µs; run-by-run p10 "
        f"{ratio['p10']:.1f}× – p90 {ratio['p90']:.1f}×; 120 evaluations would be {120 * one['median'] / 1000:.2f} ms)"
    )
    print(f"   goal: median ≤ {GOAL_TIMELINE_MS:.0f} ms  → {verdict(ms['median'] <= GOAL_TIMELINE_MS)}")
    print(f"   goal: ≤ {GOAL_TIMELINE_RATIO:.0f} × one evaluate  → {verdict(ratio['median'] <= GOAL_TIMELINE_RATIO)}")
    long, refused = warm["long_history"], warm["long_history_refused"]
    per_range = long["median"] / LONG_HISTORY
    print(f"7. Member.from_mapping of {LONG_HISTORY:,} ranges with float bases (the most accepted)")
    print(f"   {spread(long, 'µs', '.0f')}")
    print(f"   per range {per_range:.2f} µs → 10,000 ranges would take {per_range * 10:.1f} ms (linear)")
    print(f"   goal: 10,000 ranges ≤ {GOAL_LONG_HISTORY_MS:.0f} ms  → {verdict(per_range * 10 <= GOAL_LONG_HISTORY_MS)}")
    print(f"   a member of 10,800 ranges is refused in {refused['median']:.1f} µs (median)")
    across = warm.get("timeline_across_120")
    if across is not None:
        print("8. the same timeline for a member who moves shenzhen -> zhejiang (2 regions, 1 move)")
        print(f"   {spread({k: v / 1000 if k in ('median', 'p10', 'p90', 'min', 'max') else v for k, v in across.items()}, 'ms', '.2f')}")
        print(f"   = {across['median'] / tl['median']:.2f} × figure 6 of this run")
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark yibao-policy: warm evaluate and CLI cold start (reports only; exit code 0).")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (rougher figures)")
    parser.add_argument(
        "--bytecode",
        choices=("cached", "env"),
        default="cached",
        help="cold start with a warm .pyc cache in a temporary directory (default, as after a normal install), "
        "or with the environment as it is (PYTHONDONTWRITEBYTECODE=1 then means compiling on every run)",
    )
    args = parser.parse_args(argv)

    repeats, target_s, runs = (15, 0.02, 20) if args.quick else (60, 0.05, 40)
    figures: dict = {
        "environment": {
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "platform": platform.platform(),
            "executable": sys.executable,
            "quick": args.quick,
            "bytecode": args.bytecode,
            "cpus": os.cpu_count(),
            "load_before": _load(),
        },
        "goals": {
            "from_dict_median_us": GOAL_DICT_US,
            "from_member_median_us": GOAL_MEMBER_US,
            "cold_start_ratio": GOAL_COLD_RATIO,
            "openfisca_context_us": OPENFISCA_US,
        },
    }
    try:
        figures["warm"] = bench_warm(repeats, target_s)
        figures["cold"] = bench_cold(runs, args.bytecode)
    except BenchError as exc:
        print(exc, file=sys.stderr)
        return 0

    figures["environment"]["load_after"] = _load()
    cold = figures["cold"]
    figures["verdicts"] = {
        "from_dict": verdict(figures["warm"]["from_dict"]["median"] <= GOAL_DICT_US),
        "from_member": verdict(figures["warm"]["from_member"]["median"] <= GOAL_MEMBER_US),
        "to_dict_cheaper_than_evaluate": verdict(figures["warm"]["to_dict"]["median"] < figures["warm"]["from_dict"]["median"]),
        "json_third_of_full": verdict(figures["warm"]["json_size"]["piped"] * 3 <= figures["warm"]["json_size"]["full_indented"]),
        "json_bytes": verdict(figures["warm"]["json_size"]["piped"] <= GOAL_JSON_BYTES),
        "cold_evaluate": verdict(cold["evaluate"]["ratio"] <= GOAL_COLD_RATIO) if cold["evaluate"]["available"] else "not available",
        "cold_compare": verdict(cold["compare"]["ratio"] <= GOAL_COLD_RATIO) if cold["compare"]["available"] else "not available",
        "cold_compare_with_plugins": verdict(cold["compare_plugins"]["ratio"] <= GOAL_COLD_RATIO)
        if cold["compare_plugins"]["available"]
        else "not available",
    }
    warm = figures["warm"]
    if "timeline_120" in warm:
        figures["verdicts"]["timeline_120"] = verdict(warm["timeline_120"]["median"] / 1000 <= GOAL_TIMELINE_MS)
        figures["verdicts"]["timeline_ratio"] = verdict(warm["timeline_ratio"]["median"] <= GOAL_TIMELINE_RATIO)
        figures["verdicts"]["long_history"] = verdict(warm["long_history"]["median"] / LONG_HISTORY * 10 <= GOAL_LONG_HISTORY_MS)
    if args.json:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
    else:
        report(figures)
        report_history(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
