"""`policy serve` as a process: the CLI, the 413 before the body is read, the default
bind address, and the web stack kept out of `import yibao` and `policy evaluate`."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlsplit

import pytest
from serve_support import live_server, policy_command

WEB_STACK = ("litestar", "uvicorn", "starlette", "msgspec", "httpx", "anyio", "h11", "yibao.serve.app")


def test_import_yibao_and_evaluate_do_not_import_the_web_stack():
    code = (
        "import sys, yibao, yibao.serve\n"
        "yibao.evaluate('shenzhen', {'category': 'employee'}, '2026-03-01')\n"
        f"print([m for m in {WEB_STACK!r} if m in sys.modules])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_policy_evaluate_does_not_import_the_web_stack():
    command = [sys.executable, "-X", "importtime", "-c", "from yibao.cli import main; main()", "evaluate", "shenzhen", "--format", "json"]
    result = subprocess.run(command, capture_output=True, text=True, env={"YIBAO_LOAD_PLUGINS": "", "PATH": ""})
    assert result.returncode == 0, result.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "yibao.evaluation" in imported  # the measurement works
    assert not {m for m in imported if m.split(".")[0] in WEB_STACK or m in WEB_STACK}


@pytest.fixture(scope="module")
def server():
    pytest.importorskip("uvicorn")
    pytest.importorskip("litestar")
    with live_server("--max-body", "4096") as base:
        yield base


def raw_exchange(base: str, head: bytes, body: bytes = b"", wait: float = 5.0) -> bytes:
    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=wait) as sock:
        sock.sendall(head + body)
        reply = b""
        while b"\r\n\r\n" not in reply:
            chunk = sock.recv(65536)
            if not chunk:
                break
            reply += chunk
        return reply


def test_a_declared_oversized_body_is_refused_before_it_is_sent(server):
    """The request announces 10 MB and sends none of it: the answer (413) comes anyway,
    so the server never waited for, let alone parsed, the body."""
    head = b"POST /v1/evaluate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n"
    started = time.monotonic()
    reply = raw_exchange(server, head)
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]
    assert b"application/problem+json" in reply
    assert time.monotonic() - started < 4


def test_a_chunked_body_is_cut_off_at_the_limit(server):
    chunk = b"x" * 3000
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(3)) + b"0\r\n\r\n"
    head = b"POST /v1/evaluate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    assert raw_exchange(server, head, body).startswith(b"HTTP/1.1 413")


def test_the_live_server_answers_with_the_cli_json(server):
    member = {"category": "employee", "contribution_base": 10000}
    request = urllib.request.Request(
        server + "/v1/evaluate",
        data=json.dumps({"region": "shenzhen", "member": member, "as_of": "2026-03-01"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as reply:
        served = json.loads(reply.read())
    cli = subprocess.run(
        [*policy_command(), "evaluate", "shenzhen", "--member", "-", "--as-of", "2026-03-01", "--format", "json"],
        input=json.dumps(member),
        capture_output=True,
        text=True,
        env={"YIBAO_LOAD_PLUGINS": "", "PATH": ""},
        check=True,
    )
    printed = json.loads(cli.stdout)
    assert {**served, "provenance": None} == {**printed, "provenance": None}
    assert served["provenance"]["layers"] == printed["provenance"]["layers"]


def test_it_binds_to_127_0_0_1_by_default(server):
    """The listening socket's own address, as the kernel reports it (/proc/net/tcp*)."""
    port = urlsplit(server).port
    tables = [path for path in ("/proc/net/tcp", "/proc/net/tcp6") if os.path.exists(path)]
    if not tables:
        pytest.skip("no /proc/net/tcp on this system")
    listening = []
    for path in tables:
        with open(path, encoding="ascii") as table:
            for line in table.readlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.rsplit(":", 1)
                if int(hex_port, 16) == port and state == "0A":  # 0A: LISTEN
                    listening.append(address)
    assert listening == ["0100007F"], f"listening on {listening} (0100007F is 127.0.0.1)"


@pytest.mark.parametrize(
    ("args", "words"),
    [(["--workers", "0"], "--workers"), (["--max-body", "0"], "--max-body"), (["--port", "70000"], "--port")],
)
def test_bad_serve_options_are_one_line_and_exit_2(args, words):
    result = subprocess.run([*policy_command(), "serve", *args], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("policy: error: ") and words in result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_serve_help_teaches_with_an_example_in_80_columns():
    result = subprocess.run([*policy_command(), "serve", "--help"], capture_output=True, text=True, env={**os.environ, "COLUMNS": "80"})
    assert result.returncode == 0
    assert any(line.strip().startswith("Example: policy serve") for line in result.stdout.splitlines()), result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_without_the_extra_serve_says_what_to_install():
    code = "import sys; sys.modules['uvicorn'] = None; sys.argv = ['policy', 'serve']; from yibao.cli import main; main()"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip() == 'policy: error: serve: the web service needs its extra: pip install "yibao-policy[serve]"'


def test_a_port_in_use_is_one_line_and_exit_2():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([*policy_command(), "serve", "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith(f"policy: error: --port: cannot listen on 127.0.0.1:{port}: ") and result.stderr.count("\n") == 1
