"""Speed and robustness of `policy serve`, over HTTP on 127.0.0.1 only.

1. Latency of ``POST /v1/evaluate`` with keep-alive (median, p10-p90), against
   OpenFisca's ``/calculate`` for one person and one variable, measured by the same
   client (``http.client``, one persistent connection each) in the same run, in
   interleaved rounds. OpenFisca is installed in its own virtual environment under this
   run's temporary directory (``--openfisca-venv DIR`` reuses one); when it cannot be
   installed or started, that half is skipped with the reason. Goal: median <= 0.5x.
2. A bounded load test: ``--requests`` (20,000) at ``--concurrency`` (32) against one
   server, valid and invalid bodies mixed: counts 5xx, dropped connections, invalid
   bodies not answered 4xx, and reports p50/p99. Goal: 0, 0, 0.

Both servers run one worker process. The exit code is 0 whatever the figures; each goal
is marked PASS or MISS. Standard library only, run with the interpreter that has
``yibao-policy[serve]``:

    python benchmarks/serve_bench.py                 # both parts
    python benchmarks/serve_bench.py --quick         # fewer requests, rougher figures
    python benchmarks/serve_bench.py --no-openfisca  # our latency and the load test only
    python benchmarks/serve_bench.py --json
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import venv
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

HOST = "127.0.0.1"
MEMBER = {
    "category": "employee",
    "tier": 1,
    "contribution_base": "12000",
    "balance": "3560.20",
    "contributions": [{"from": "2019-01", "to": "2025-04"}, {"from": "2025-09", "to": "2026-02"}],
}
EVALUATE = json.dumps({"region": "shenzhen", "member": MEMBER, "as_of": "2026-03-01"}).encode()
COMPARE = json.dumps({"regions": ["shenzhen", "zhejiang"], "member": MEMBER, "as_of": "2026-03-01"}).encode()
# OpenFisca's country template: one person, one variable (income_tax from salary).
OPENFISCA_SITUATION = json.dumps(
    {"persons": {"p": {"salary": {"2017-01": 3000}, "income_tax": {"2017-01": None}}}, "households": {"h": {"adults": ["p"]}}}
).encode()
OPENFISCA_PACKAGES = ["openfisca-core[web-api]>=46,<47", "openfisca-country-template>=8.2,<8.3"]

#: (name, path, body, expected status class): what the load test sends, in proportion.
MIX: list[tuple[str, str, bytes, int]] = [
    *[("evaluate", "/v1/evaluate", EVALUATE, 2)] * 12,
    *[("compare", "/v1/compare", COMPARE, 2)] * 3,
    ("malformed JSON", "/v1/evaluate", b'{"region": "shenzhen", "member": ', 4),
    ("not an object", "/v1/evaluate", b"[1, 2, 3]", 4),
    (
        "bad month",
        "/v1/evaluate",
        json.dumps(
            {"region": "shenzhen", "member": {"category": "employee", "contributions": [{"from": "2025-13", "to": "2026-01"}]}}
        ).encode(),
        4,
    ),
    ("unknown region", "/v1/evaluate", json.dumps({"region": "atlantis", "member": MEMBER}).encode(), 4),
    ("unknown field", "/v1/compare", json.dumps({"regions": ["shenzhen", "zhejiang"], "member": MEMBER, "when": "now"}).encode(), 4),
    ("not UTF-8", "/v1/evaluate", b"\xff\xfe\x00{", 4),
]
OVERSIZED = ("oversized", "/v1/evaluate", b'{"pad": "' + b"x" * (1024 * 1024 + 10) + b'"}', 4)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def wait_until_up(port: int, path: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", path)
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"no answer on port {port} within {seconds:.0f} s")


@contextlib.contextmanager
def running(argv: list[str], port: int, probe: str, env: dict[str, str] | None = None) -> Iterator[subprocess.Popen]:
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
    try:
        try:
            wait_until_up(port, probe, process)
        except RuntimeError as exc:
            process.kill()
            raise RuntimeError(f"{' '.join(argv[:3])}...: {exc}: {process.stderr.read().decode(errors='replace')[-500:]}") from None
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        process.stderr.close()


def yibao_server(port: int, max_body: int | None = None) -> contextlib.AbstractContextManager[subprocess.Popen]:
    argv = [sys.executable, "-c", "from yibao.cli import main; main()", "serve", "--host", HOST, "--port", str(port), "--workers", "1"]
    if max_body:
        argv += ["--max-body", str(max_body)]
    return running(argv, port, "/healthz")


def openfisca_venv(work: Path, reuse: str | None, log: list[str]) -> Path:
    """A virtual environment with OpenFisca's web API and country template (installed here)."""
    if reuse:
        return Path(reuse)
    target = work / "openfisca-venv"
    venv.EnvBuilder(with_pip=True).create(target)
    pip = [str(target / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *OPENFISCA_PACKAGES]
    started = time.monotonic()
    subprocess.run(pip, check=True, capture_output=True, timeout=1200)
    log.append(f"OpenFisca installed in {time.monotonic() - started:.0f} s under {target}")
    return target


def openfisca_server(environment: Path, port: int) -> contextlib.AbstractContextManager[subprocess.Popen]:
    argv = [
        str(environment / "bin" / "openfisca"),
        "serve",
        "--country-package",
        "openfisca_country_template",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        "1",
    ]
    return running(argv, port, "/spec")


def timed_posts(port: int, path: str, body: bytes, count: int, check: bytes) -> list[float]:
    """``count`` POSTs on one keep-alive connection; seconds each. Fails on a wrong answer."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {"Content-Type": "application/json"}
    times = []
    try:
        for _ in range(count):
            started = time.perf_counter()
            connection.request("POST", path, body, headers)
            response = connection.getresponse()
            payload = response.read()
            times.append(time.perf_counter() - started)
            if response.status != 200 or check not in payload:
                raise RuntimeError(f"{path}: {response.status} {payload[:200]!r}")
    finally:
        connection.close()
    return times


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    deciles = statistics.quantiles(ordered, n=10)
    return {
        "median_us": statistics.median(ordered) * 1e6,
        "p10_us": deciles[0] * 1e6,
        "p90_us": deciles[-1] * 1e6,
        "p99_us": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1e6,
        "min_us": ordered[0] * 1e6,
        "n": len(ordered),
    }


def latency(rounds: int, per_round: int, openfisca: Path | None, log: list[str]) -> dict[str, object]:
    """Interleaved rounds: ours, then OpenFisca's, ``rounds`` times, after a warm-up each."""
    ours_port = free_port()
    out: dict[str, object] = {}
    with contextlib.ExitStack() as stack:
        stack.enter_context(yibao_server(ours_port))
        of_port = None
        if openfisca is not None:
            try:
                of_port = free_port()
                stack.enter_context(openfisca_server(openfisca, of_port))
            except (RuntimeError, OSError) as exc:
                log.append(f"OpenFisca skipped: {exc}")
                of_port = None
        timed_posts(ours_port, "/v1/evaluate", EVALUATE, 300, b'"monthly_credit"')
        if of_port:
            timed_posts(of_port, "/calculate", OPENFISCA_SITUATION, 300, b"income_tax")
        ours: list[float] = []
        theirs: list[float] = []
        for _ in range(rounds):
            ours += timed_posts(ours_port, "/v1/evaluate", EVALUATE, per_round, b'"monthly_credit"')
            if of_port:
                theirs += timed_posts(of_port, "/calculate", OPENFISCA_SITUATION, per_round, b"income_tax")
    out["yibao_evaluate"] = summary(ours)
    if theirs:
        out["openfisca_calculate"] = summary(theirs)
        out["ratio"] = out["yibao_evaluate"]["median_us"] / out["openfisca_calculate"]["median_us"]  # type: ignore[index]
    return out


def load(port: int, requests: int, concurrency: int, oversized_every: int = 400) -> dict[str, object]:
    """``requests`` requests from ``concurrency`` threads, each on its own keep-alive
    connection (reconnecting only when the server says it closes one)."""
    plan = [OVERSIZED if i % oversized_every == oversized_every - 1 else MIX[i % len(MIX)] for i in range(requests)]
    lock = threading.Lock()
    cursor = iter(range(requests))
    statuses: Counter[int] = Counter()
    by_kind: Counter[str] = Counter()
    wrong: list[str] = []
    dropped: list[str] = []
    times: list[float] = []

    def worker() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        headers = {"Content-Type": "application/json"}
        mine: list[float] = []
        while True:
            with lock:
                index = next(cursor, None)
            if index is None:
                break
            name, path, body, expected = plan[index]
            started = time.perf_counter()
            try:
                connection.request("POST", path, body, headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    dropped.append(f"{name}: {type(exc).__name__}: {exc}")
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=60)
                continue
            mine.append(time.perf_counter() - started)
            with lock:
                statuses[response.status] += 1
                by_kind[name] += 1
                if response.status // 100 != expected:
                    wrong.append(f"{name}: {response.status}")
            if response.will_close:
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=60)
        connection.close()
        with lock:
            times.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(times)
    invalid = sum(count for name, count in by_kind.items() if name not in ("evaluate", "compare"))
    return {
        "requests": requests,
        "concurrency": concurrency,
        "answered": len(times),
        "seconds": elapsed,
        "per_second": len(times) / elapsed if elapsed else 0.0,
        "statuses": dict(sorted(statuses.items())),
        "server_errors": sum(count for status, count in statuses.items() if status >= 500),
        "dropped": len(dropped),
        "dropped_examples": dropped[:5],
        "invalid_sent": invalid,
        "invalid_not_4xx": sum(1 for line in wrong if line.split(": ")[0] not in ("evaluate", "compare")),
        "valid_not_2xx": sum(1 for line in wrong if line.split(": ")[0] in ("evaluate", "compare")),
        "wrong_examples": wrong[:5],
        "p50_ms": ordered[len(ordered) // 2] * 1e3 if ordered else None,
        "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1e3 if ordered else None,
    }


def load_test(requests: int, concurrency: int) -> dict[str, object]:
    port = free_port()
    with yibao_server(port):
        return load(port, requests, concurrency)


def mark(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and 2,000 load requests")
    parser.add_argument("--json", action="store_true", help="figures as JSON")
    parser.add_argument("--no-openfisca", action="store_true", help="skip OpenFisca (no install)")
    parser.add_argument("--openfisca-venv", help="reuse a virtual environment that has OpenFisca's web API")
    parser.add_argument("--requests", type=int, default=None, help="load-test requests (default 20,000; --quick 2,000)")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--no-load", action="store_true", help="latency only")
    args = parser.parse_args()
    rounds, per_round = (5, 200) if args.quick else (10, 500)
    requests = args.requests or (2000 if args.quick else 20000)
    log: list[str] = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="serve-bench-") as work:
        openfisca = None
        if not args.no_openfisca:
            try:
                openfisca = openfisca_venv(Path(work), args.openfisca_venv, log)
            except (subprocess.SubprocessError, OSError) as exc:
                log.append(f"OpenFisca skipped: it could not be installed ({type(exc).__name__})")
        figures: dict[str, object] = {"latency": latency(rounds, per_round, openfisca, log)}
        if not args.no_load:
            figures["load"] = load_test(requests, args.concurrency)
    figures["loadavg"] = [load_before, os.getloadavg()[0]]
    figures["notes"] = log
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    lat = figures["latency"]
    ours = lat["yibao_evaluate"]  # type: ignore[index]
    print(f"load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after (2 cores: above ~1 the figures are noisy)")
    for note in log:
        print(f"note: {note}")
    print(
        f"POST /v1/evaluate, keep-alive, 1 worker: median {ours['median_us']:.0f} µs (p10 {ours['p10_us']:.0f}, p90 {ours['p90_us']:.0f}, n {ours['n']})"
    )
    if "openfisca_calculate" in lat:  # type: ignore[operator]
        theirs = lat["openfisca_calculate"]  # type: ignore[index]
        ratio = lat["ratio"]  # type: ignore[index]
        print(
            f"OpenFisca POST /calculate, same client:  median {theirs['median_us']:.0f} µs (p10 {theirs['p10_us']:.0f}, p90 {theirs['p90_us']:.0f})"
        )
        print(f"ratio {ratio:.2f}x (goal <= 0.5x): {mark(ratio <= 0.5)}")
    if "load" in figures:
        result = figures["load"]
        print(
            f"load: {result['answered']}/{result['requests']} answered at concurrency {result['concurrency']} in {result['seconds']:.1f} s "
            f"({result['per_second']:.0f}/s); p50 {result['p50_ms']:.2f} ms, p99 {result['p99_ms']:.2f} ms"
        )
        print(f"  statuses {result['statuses']}; invalid bodies sent {result['invalid_sent']}")
        print(
            f"  5xx {result['server_errors']}, dropped {result['dropped']}, invalid not 4xx {result['invalid_not_4xx']}, valid not 2xx {result['valid_not_2xx']}: "
            f"{mark(result['server_errors'] == result['dropped'] == result['invalid_not_4xx'] == result['valid_not_2xx'] == 0)}"
        )
        for line in result["dropped_examples"] + result["wrong_examples"]:
            print(f"  e.g. {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
