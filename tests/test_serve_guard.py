"""Issue 21, the service: nothing a request or a plugin does takes it down.

Each test is one kind the adversarial pass found failing on main: HEAD and Allow as RFC
9110 says, 415 for bodies that are not JSON, the Host header checked, framing forbidden,
answers bounded in size and time (503/504 naming the region), work off the event loop,
and a hook that cannot change the host (recursion limit, streams, decimal context).
"""

from __future__ import annotations

import json
import sys
import threading
import time
from decimal import getcontext

import pytest

pytest.importorskip("litestar", reason='the service needs its extra: pip install ".[serve]"')

from litestar.testing import TestClient  # noqa: E402
from serve_support import schema_errors  # noqa: E402
from test_stack import Silent, toy_file  # noqa: E402

import yibao  # noqa: E402
from yibao import hookimpl  # noqa: E402
from yibao.serve import create_app  # noqa: E402
from yibao.serve.limits import Limits, from_environment  # noqa: E402
from yibao.stack import guard_hooks  # noqa: E402

from conftest import built_in_plugins  # noqa: E402

MEMBER = {"category": "employee", "contribution_base": 10000, "contributions": [{"from": "2020-01", "to": "2026-02"}]}
PROBLEM = "application/problem+json"
BODY = {"region": "shenzhen", "member": MEMBER, "as_of": "2026-03-01"}


def served(app, host="127.0.0.1"):
    client = TestClient(app, base_url=f"http://{host}")
    client.headers["Content-Type"] = "application/json"
    return client


def problem(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    data = response.json()
    assert schema_errors("service.schema.json#/$defs/problem", data) == []
    return data


@pytest.fixture(scope="module")
def client():
    engine = yibao.PolicyEngine(built_in_plugins(), entry_points=False)
    with served(create_app(engine, limits=Limits())) as test_client:
        yield test_client


@pytest.fixture(autouse=True)
def _no_hook_limit_after():
    yield
    guard_hooks(None)  # create_app sets it process-wide


# --- HEAD, Allow, methods --------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/healthz", "/", "/v1/regions", "/openapi.json", "/static/app.js", "/v1/regions/shenzhen/parameters"])
def test_head_answers_as_get_without_the_body(client, path):
    got, head = client.get(path), client.head(path)
    assert got.status_code == head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-length"] == got.headers["content-length"]


def test_a_405_says_which_methods_are_allowed(client):
    assert problem(client.post("/healthz", content=b"{}"), 405)
    assert client.post("/healthz", content=b"{}").headers["allow"].replace(" ", "").split(",") == ["GET", "HEAD", "OPTIONS"]
    allow = client.get("/v1/evaluate").headers["allow"]
    assert "POST" in allow and "GET" not in allow


def test_an_unusual_method_is_a_problem_with_allow(client):
    response = client.request("PURGE", "/healthz")
    assert problem(response, 405)["detail"] == "PURGE is not allowed on /healthz"
    assert "GET" in response.headers["allow"]


# --- bodies, hosts, framing --------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""])
def test_a_body_that_is_not_json_is_415_before_any_handler(client, kind):
    """A cross-site "simple" POST (text/plain, a form) never reaches a handler."""
    response = client.post("/v1/evaluate", content=json.dumps(BODY).encode(), headers={"Content-Type": kind})
    assert "application/json" in problem(response, 415)["detail"]


@pytest.mark.parametrize("kind", ["application/json", "application/json; charset=utf-8", "application/problem+json", "APPLICATION/JSON"])
def test_json_bodies_of_any_json_type_are_read(client, kind):
    assert client.post("/v1/evaluate", content=json.dumps(BODY).encode(), headers={"Content-Type": kind}).status_code == 200


@pytest.mark.parametrize("host", ["attacker.example", "127.0.0.1.attacker.example", "localhost.example:8000", ""])
def test_a_foreign_host_is_refused(client, host):
    """DNS rebinding: a page on attacker.example whose name now points at 127.0.0.1."""
    refused = client.get("/healthz", headers={"Host": host})
    assert "not served here" in problem(refused, 400)["detail"]
    assert refused.headers["x-yibao-version"] == yibao.__version__
    assert problem(client.post("/v1/evaluate", content=json.dumps(BODY).encode(), headers={"Host": host}), 400)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:8000", "localhost", "LOCALHOST:1", "[::1]:8000"])
def test_this_machine_is_served(client, host):
    assert client.get("/healthz", headers={"Host": host}).status_code == 200


def test_the_allowed_hosts_are_a_setting(engine, monkeypatch):
    monkeypatch.setenv("YIBAO_SERVE_ALLOWED_HOSTS", "yibao.example.org, 10.0.0.5")
    limits = from_environment()
    assert limits.allowed_hosts == ("yibao.example.org", "10.0.0.5")
    with served(create_app(engine), host="yibao.example.org") as named:
        assert named.get("/healthz").status_code == 200
        assert named.get("/healthz", headers={"Host": "127.0.0.1"}).status_code == 400
    assert Limits(allowed_hosts=("*",)).allows("anything.example")


@pytest.mark.parametrize("path", ["/", "/healthz", "/v2/nothing"])
def test_no_answer_can_be_framed(client, path):
    response = client.get(path)
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    if path == "/":  # the page keeps its own policy, with framing added
        assert "default-src 'self'" in response.headers["content-security-policy"]


# --- size and time ----------------------------------------------------------------------------


def test_an_answer_over_the_limit_is_a_problem_naming_the_region(engine):
    with served(create_app(engine, limits=Limits(max_answer=2000))) as small:
        data = problem(small.post("/v1/evaluate", content=json.dumps(BODY).encode()), 500)
        assert data["detail"].startswith("shenzhen: the answer is ") and "over the limit of 2000" in data["detail"]
        assert small.get("/healthz").status_code == 200


class Slow(Silent):
    def __init__(self, parameters, seconds):
        super().__init__(parameters)
        self.seconds = seconds

    @hookimpl
    def credit_rate(self, member, as_of, params):
        time.sleep(self.seconds)
        return None


def slow_engine(tmp_path, seconds):
    return yibao.PolicyEngine({**built_in_plugins(), "toy": Slow(toy_file(tmp_path, "toy"), seconds)}, entry_points=False)


def test_a_slow_answer_is_a_504_naming_the_region_and_the_service_stays_live(tmp_path):
    engine = slow_engine(tmp_path, 1.5)
    with served(create_app(engine, limits=Limits(request_seconds=0.5, hook_seconds=10))) as app:
        health: list[float] = []

        def ask_health():
            time.sleep(0.1)
            started = time.monotonic()
            assert app.get("/healthz").status_code == 200
            health.append(time.monotonic() - started)

        beside = threading.Thread(target=ask_health)
        beside.start()
        started = time.monotonic()
        data = problem(app.post("/v1/evaluate", content=json.dumps({**BODY, "region": "toy"}).encode()), 504)
        took = time.monotonic() - started
        beside.join()
        assert data["detail"].startswith("toy: no answer within 0.5 s")
        assert took < 1.4, "the caller waited for the hook"
        assert health and health[0] < 0.4, f"/healthz took {health} s while a hook slept"


def test_a_request_that_finds_no_free_worker_is_a_503(tmp_path):
    engine = slow_engine(tmp_path, 1.0)
    with served(create_app(engine, limits=Limits(request_seconds=0.4, concurrent=1, hook_seconds=10))) as app:
        first = threading.Thread(target=lambda: app.post("/v1/evaluate", content=json.dumps({**BODY, "region": "toy"}).encode()))
        first.start()
        time.sleep(0.3)
        data = problem(app.post("/v1/evaluate", content=json.dumps(BODY).encode()), 503)
        first.join()
        assert data["detail"].startswith("shenzhen: every worker was busy")


def test_a_hook_over_its_time_limit_is_the_plugins_failure(tmp_path):
    engine = slow_engine(tmp_path, 0.3)
    with served(create_app(engine, limits=Limits(hook_seconds=0.1))) as app:
        data = problem(app.post("/v1/evaluate", content=json.dumps({**BODY, "region": "toy"}).encode()), 500)
        assert data["type"].endswith("/plugin-failed") and "took 0.3 s, over the limit of 0.1 s" in data["detail"]
        assert "'toy'" in data["detail"]
        assert app.post("/v1/evaluate", content=json.dumps(BODY).encode()).status_code == 200  # built-ins unaffected


def test_a_heavy_timeline_leaves_the_event_loop_free(engine):
    """600 ranges, regions alternating: seconds of work, in a worker thread."""
    ranges = [
        {
            "from": f"{1960 + i // 12:04d}-{i % 12 + 1:02d}",
            "to": f"{1960 + i // 12:04d}-{i % 12 + 1:02d}",
            "region": ("shenzhen", "zhejiang")[i // 2 % 2],
        }
        for i in range(0, 1200, 2)
    ]
    body = {"region": "zhejiang", "member": {"category": "employee", "contributions": ranges}, "from": "1960-01", "to": "2059-12"}
    with served(create_app(engine, limits=Limits(request_seconds=60, hook_seconds=60))) as app:
        done: list[int] = []
        answers: list[str] = []

        def ask() -> None:
            reply = app.post("/v1/timeline", content=json.dumps(body).encode())
            done.append(reply.status_code)
            answers.append(reply.text[:300])

        worker = threading.Thread(target=ask)
        worker.start()
        time.sleep(0.05)
        started = time.monotonic()
        assert app.get("/healthz").status_code == 200
        waited = time.monotonic() - started
        worker.join()
        assert done == [200], answers
        assert waited < 0.5, f"/healthz waited {waited:.2f} s behind a timeline"


# --- a hook cannot change the host ------------------------------------------------------------


class Meddles(Silent):
    def __init__(self, parameters, how):
        super().__init__(parameters)
        self.how = how

    @hookimpl
    def credit_rate(self, member, as_of, params):
        if self.how == "recursion":
            sys.setrecursionlimit(200000)
        elif self.how == "stdout":
            sys.stdout = open("/dev/null", "w")  # noqa: SIM115
        elif self.how == "decimal":
            getcontext().prec = 2
        return None


@pytest.mark.parametrize("how", ["recursion", "stdout"])
def test_a_hook_that_changes_the_host_is_put_back_and_reported(tmp_path, how):
    limit, out = sys.getrecursionlimit(), sys.stdout
    engine = yibao.PolicyEngine({**built_in_plugins(), "toy": Meddles(toy_file(tmp_path, "toy"), how)}, entry_points=False)
    with pytest.raises(yibao.PluginError, match=r"hook credit_rate changed (the recursion limit|sys\.stdout) \(put back\)"):
        engine.evaluate("toy", MEMBER, "2026-03-01")
    assert sys.getrecursionlimit() == limit and sys.stdout is out


def test_a_hook_that_changes_the_decimal_context_changes_no_later_answer(tmp_path):
    engine = yibao.PolicyEngine({**built_in_plugins(), "toy": Meddles(toy_file(tmp_path, "toy"), "decimal")}, entry_points=False)
    answer = engine.evaluate("toy", {**MEMBER, "balance": "12345.67"}, "2026-03-01")
    assert getcontext().prec != 2
    expected = engine.evaluate("shenzhen", {**MEMBER, "balance": "12345.67"}, "2026-03-01")
    assert answer.decisions["credit"].monthly_credit is not None or expected is not None
    assert yibao.evaluate("shenzhen", MEMBER, "2026-03-01").to_dict()["credit"]["monthly_credit"] == "200.00"


def test_a_deep_body_after_a_meddling_hook_is_a_400_not_a_crash(tmp_path):
    engine = yibao.PolicyEngine({**built_in_plugins(), "toy": Meddles(toy_file(tmp_path, "toy"), "recursion")}, entry_points=False)
    with served(create_app(engine, limits=Limits())) as app:
        problem(app.post("/v1/evaluate", content=json.dumps({**BODY, "region": "toy"}).encode()), 500)
        deep = b"[" * 150000 + b"]" * 150000  # would overflow the C stack under a limit of 200,000
        assert "nested too deeply" in problem(app.post("/v1/evaluate", content=deep), 400)["detail"]


# --- the live server: slow clients, malformed request lines -------------------------------


@pytest.fixture(scope="module")
def live():
    pytest.importorskip("uvicorn")
    from serve_support import live_server

    with live_server("--header-timeout", "1", "--body-timeout", "1", "--allowed-host", "127.0.0.1") as base:
        yield base


def exchange(base, data, wait=5.0, pause=None):
    """Send ``data`` (then, with ``pause``, nothing more for that long); the whole reply."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=wait) as sock:
        sock.sendall(data)
        reply = b""
        started = time.monotonic()
        while time.monotonic() - started < wait:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            reply += chunk
        return reply, time.monotonic() - started


def test_slow_headers_are_cut_off_with_a_408(live):
    reply, took = exchange(live, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    assert reply.startswith(b"HTTP/1.1 408") and b"application/problem+json" in reply, reply[:300]
    assert b"headers did not arrive within 1 s" in reply
    assert took < 4, "the connection was held open"


def test_a_connection_that_sends_nothing_is_closed(live):
    reply, took = exchange(live, b"")
    assert reply.startswith(b"HTTP/1.1 408") and took < 4


def test_a_body_that_never_comes_is_cut_off_with_a_408(live):
    head = b'POST /v1/evaluate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"region"'
    reply, took = exchange(live, head)
    assert reply.startswith(b"HTTP/1.1 408") and b"body did not arrive within 1 s" in reply, reply[:300]
    assert took < 4


def test_a_request_line_the_parser_refuses_is_a_problem_not_plain_text(live):
    reply, _ = exchange(live, b"FOO\x01 /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 400") and b"application/problem+json" in reply, reply[:300]
    assert b"text/plain" not in reply


def test_live_head_and_hosts(live):
    reply, _ = exchange(live, b"HEAD /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and body == b"" and b"content-length: 15" in head.lower()
    refused, _ = exchange(live, b"GET /healthz HTTP/1.1\r\nHost: rebound.example\r\nConnection: close\r\n\r\n")
    assert refused.startswith(b"HTTP/1.1 400") and b"not served here" in refused
    localhost, _ = exchange(live, b"GET /healthz HTTP/1.1\r\nHost: localhost:80\r\nConnection: close\r\n\r\n")
    assert localhost.startswith(b"HTTP/1.1 400"), "--allowed-host replaces the default list"


def test_a_bad_limit_is_one_line_and_exit_2():
    import subprocess

    from serve_support import policy_command

    result = subprocess.run([*policy_command(), "serve", "--request-timeout", "0"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "--request-timeout" in result.stderr and "Traceback" not in result.stderr


# --- the decision log -------------------------------------------------------------------------


def test_each_answer_is_one_line_of_the_decision_log_without_member_data(engine, tmp_path):
    import hashlib

    from yibao.serve.decision_log import DecisionLog

    path = tmp_path / "decisions.jsonl"
    body = json.dumps(BODY).encode()
    with served(create_app(engine, limits=Limits(), decision_log=DecisionLog(str(path)))) as app:
        answered = app.post("/v1/evaluate", content=body)
        assert (
            app.post("/v1/compare", content=json.dumps({"regions": ["shenzhen", "zhejiang"], "member": MEMBER}).encode()).status_code == 200
        )
        shown = app.get("/v1/regions/zhejiang/parameters?as_of=2026-03-01")
        refused = app.post("/v1/evaluate", content=b"{")  # not an answer: no line
    assert refused.status_code == 400 and "x-decision-id" not in refused.headers
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [line["endpoint"] for line in lines] == ["/v1/evaluate", "/v1/compare", "/v1/regions/zhejiang/parameters"]
    first = lines[0]
    assert first["decision_id"] == answered.headers["x-decision-id"] and len(first["decision_id"]) == 32
    assert first["regions"] == ["shenzhen"] and first["status"] == 200
    assert first["input_sha256"] == hashlib.sha256(body).hexdigest()
    assert first["answer_sha256"] == hashlib.sha256(answered.content).hexdigest()
    assert first["provenance"] == answered.json()["provenance"]
    assert set(lines[1]["provenance"]) == {"shenzhen", "zhejiang"}
    assert lines[2]["decision_id"] == shown.headers["x-decision-id"] and lines[2]["regions"] == ["zhejiang"]
    assert "10000" not in path.read_text(encoding="utf-8") and "input" not in first  # no member data by default


def test_the_log_keeps_inputs_only_when_asked_and_records_refused_answers(tmp_path):
    from yibao.serve.decision_log import DecisionLog

    path = tmp_path / "decisions.jsonl"
    engine = slow_engine(tmp_path, 0.6)
    with served(create_app(engine, limits=Limits(request_seconds=0.2), decision_log=DecisionLog(str(path), log_inputs=True))) as app:
        timed_out = app.post("/v1/evaluate", content=json.dumps({**BODY, "region": "toy"}).encode())
    assert timed_out.status_code == 504
    (line,) = [json.loads(text) for text in path.read_text(encoding="utf-8").splitlines()]
    assert line["status"] == 504 and line["decision_id"] == timed_out.headers["x-decision-id"] and "provenance" not in line
    assert json.loads(line["input"])["member"] == MEMBER


def test_log_inputs_without_a_log_is_refused():
    import subprocess

    from serve_support import policy_command

    result = subprocess.run([*policy_command(), "serve", "--log-inputs"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "--decision-log" in result.stderr


def test_policy_serve_decision_log_option(tmp_path):
    import urllib.request

    from serve_support import live_server

    path = tmp_path / "log.jsonl"
    with live_server("--decision-log", str(path)) as base:
        request = urllib.request.Request(
            base + "/v1/evaluate", data=json.dumps(BODY).encode(), headers={"Content-Type": "application/json"}, method="POST"
        )
        with urllib.request.urlopen(request, timeout=30) as reply:
            decision = reply.headers["X-Decision-Id"]
    (line,) = [json.loads(text) for text in path.read_text(encoding="utf-8").splitlines()]
    assert line["decision_id"] == decision and line["endpoint"] == "/v1/evaluate"


# --- issue 19: the server's headers ------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/", "text/html; charset=utf-8"),
        ("/static/app.js", "text/javascript; charset=utf-8"),
        ("/static/style.css", "text/css; charset=utf-8"),
    ],
)
def test_the_content_type_is_said_once(client, path, kind):
    assert client.get(path).headers["content-type"] == kind  # was "...; charset=utf-8; charset=utf-8"
    assert client.head(path).headers["content-type"] == kind


def test_the_favicon_is_no_error(client):
    for response in (client.get("/favicon.ico"), client.head("/favicon.ico")):
        assert response.status_code == 204 and response.content == b""
