"""docs/serve.md runs: each curl example against a live server, its answer checked
against the abridged answer printed under it; the start-up lines start a server."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("litestar", reason='the service needs its extra: pip install ".[serve]"')

from serve_support import free_port, live_server  # noqa: E402

from conftest import ROOT  # noqa: E402

DOC = (ROOT / "docs" / "serve.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", DOC, re.S)


def commands(text: str) -> list[str]:
    """Shell lines of a block, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", text)
    return [line for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def examples() -> list[tuple[str, object]]:
    found = []
    for i, (kind, text) in enumerate(BLOCKS):
        if kind == "sh" and "curl" in text:
            following = BLOCKS[i + 1] if i + 1 < len(BLOCKS) else ("", "")
            expected = json.loads(following[1]) if following[0] == "json" else (following[1].strip() if following[0] == "text" else None)
            found.append((text.strip(), expected))  # one command per block (its JSON may span lines)
    return found


def contains(actual: object, expected: object, where: str = "") -> list[str]:
    """Where ``actual`` lacks what ``expected`` shows: keys are a subset; a list of plain
    values is equal, a list of objects holds a match for each object shown."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected an object"]
        return [
            p
            for key, value in expected.items()
            for p in (contains(actual[key], value, f"{where}.{key}") if key in actual else [f"{where}.{key}: missing"])
        ]
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{where}: expected a list"]
        if all(not isinstance(value, (dict, list)) for value in expected):
            return [] if actual == expected else [f"{where}: {actual!r} != {expected!r}"]
        # a list of objects: each item shown matches some item of the answer
        return [f"{where}: nothing matches {value!r}" for value in expected if all(contains(item, value) for item in actual)]
    return [] if actual == expected else [f"{where}: {actual!r} != {expected!r}"]


def test_every_endpoint_has_a_curl_example():
    lines = " ".join(line for line, _ in examples())
    for path in (
        "/healthz",
        "/v1/version",
        "/v1/regions",
        "/v1/coverage?as_of=",
        "/v1/evaluate",
        "/v1/compare",
        "/v1/timeline",
        "/v1/move",
        "/v1/explain",
        "/parameters?as_of=",
        "/openapi.json",
    ):
        assert path in lines, f"docs/serve.md has no curl example for {path}"


@pytest.fixture(scope="module")
def server():
    if not shutil.which("curl"):
        pytest.skip("curl is not installed")
    with live_server() as base:
        yield base


@pytest.mark.parametrize(("line", "expected"), examples(), ids=lambda v: v.split("8000", 1)[-1][:40] if isinstance(v, str) else None)
def test_curl_example_answers_as_documented(server, line, expected):
    assert line.count("curl ") == 1, "one curl command per block, its answer under it"
    command = line.replace("127.0.0.1:8000", server.removeprefix("http://"))
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert expected is not None, f"no answer documented under: {line}"
    if isinstance(expected, str):  # a ```text block: the output as printed
        assert result.stdout.strip() == expected
        return
    answer = json.loads(result.stdout)
    assert contains(answer, expected) == []


def start_and_probe(line: str) -> None:
    port = free_port()
    argv = shlex.split(line.replace("8000", str(port)))
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"  # this environment's scripts
    process = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env={**os.environ, "YIBAO_LOAD_PLUGINS": "", "PATH": path}
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stderr.read()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as reply:
                    assert json.loads(reply.read()) == {"status": "ok"}
                    return
            except OSError:
                assert time.monotonic() < deadline, f"{line}: no answer within 60 s"
                time.sleep(0.2)
    finally:
        process.terminate()
        process.wait(timeout=20)
        process.stderr.close()


PROXY_SECTION = DOC.split("## Behind a reverse proxy", 1)[1]


@pytest.mark.parametrize("line", commands(re.search(r"```sh\n(.*?)```", PROXY_SECTION, re.S).group(1)))
def test_the_documented_ways_to_start_several_workers_start(line):
    pytest.importorskip("uvicorn")
    start_and_probe(line)
