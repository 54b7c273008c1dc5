"""`policy serve` in-process: each endpoint answers in the CLI's JSON form, validated
against schemas/; bad requests are problem+json naming the field; no traceback, no disk."""

from __future__ import annotations

import builtins
import json
import os
from datetime import date

import pytest

pytest.importorskip("litestar", reason='the service needs its extra: pip install ".[serve]"')

from litestar.testing import TestClient  # noqa: E402
from serve_support import SCHEMAS, schema_errors  # noqa: E402
from test_stack import Silent, toy_file  # noqa: E402

import yibao  # noqa: E402
from yibao import hookimpl  # noqa: E402
from yibao.serve import create_app  # noqa: E402
from yibao.serve.openapi import document  # noqa: E402

from conftest import BUILT_IN, built_in_plugins  # noqa: E402

MEMBER = {"category": "employee", "contribution_base": 10000, "contributions": [{"from": "2020-01", "to": "2026-02"}]}
PROBLEM = "application/problem+json"


def served(app):
    """A test client as a caller on this machine sends: Host 127.0.0.1, JSON bodies."""
    test_client = TestClient(app, base_url="http://127.0.0.1")
    test_client.headers["Content-Type"] = "application/json"
    return test_client


@pytest.fixture(scope="module")
def client():
    engine = yibao.PolicyEngine(built_in_plugins(), entry_points=False)
    with served(create_app(engine)) as test_client:
        yield test_client


def post(client, path, body):
    return client.post(path, content=json.dumps(body).encode() if not isinstance(body, bytes) else body)


def problem(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    data = response.json()
    assert schema_errors("service.schema.json#/$defs/problem", data) == []
    assert data["status"] == status and "Traceback" not in response.text
    return data


# --- answers ------------------------------------------------------------------------------


def test_evaluate_answers_what_the_api_answers(client, engine):
    response = post(client, "/v1/evaluate", {"region": "shenzhen", "member": MEMBER, "as_of": "2026-03-01"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    data = response.json()
    assert schema_errors("evaluation.schema.json", data) == []
    expected = engine.evaluate("shenzhen", MEMBER, "2026-03-01").to_dict()
    assert {**data, "provenance": None} == {**expected, "provenance": None}
    assert data["credit"]["monthly_credit"] == "200.00"  # 2% of 10,000, as the API says
    assert [layer["code"] for layer in data["provenance"]["layers"]] == ["national", "guangdong", "shenzhen"]


def test_as_of_defaults_to_the_servers_today(client):
    data = post(client, "/v1/evaluate", {"region": "zhejiang", "member": MEMBER}).json()
    assert data["as_of"] == date.today().isoformat()


def test_compare_answers_the_cli_form(client, engine):
    body = {"regions": ["shenzhen", "zhejiang@2025-09-01"], "member": MEMBER, "as_of": "2026-11-22"}
    response = post(client, "/v1/compare", body)
    assert response.status_code == 200
    data = response.json()
    assert schema_errors("comparison.schema.json", data) == []
    expected = engine.compare(body["regions"], MEMBER, "2026-11-22").to_dict()
    assert data["differences"] == expected["differences"] and data["failures"] == {}
    assert set(data["results"]) == {"shenzhen", "zhejiang@2025-09-01"}
    assert all("provenance" in result for result in data["results"].values())


def test_a_failing_plugin_in_compare_is_reported_in_the_body(tmp_path):
    class Raises(Silent):
        @hookimpl
        def credit_rate(self, member, as_of, params):
            raise KeyError("tier")

    engine = yibao.PolicyEngine({**built_in_plugins(), "toy": Raises(toy_file(tmp_path, "toy"))}, entry_points=False)
    with served(create_app(engine)) as own:
        response = post(own, "/v1/compare", {"regions": ["shenzhen", "toy"], "member": MEMBER, "as_of": "2026-03-01"})
        assert response.status_code == 200
        data = response.json()
        assert set(data["results"]) == {"shenzhen"} and "credit_rate raised KeyError" in data["failures"]["toy"]
        assert schema_errors("comparison.schema.json", data) == []
        alone = problem(post(own, "/v1/evaluate", {"region": "toy", "member": MEMBER, "as_of": "2026-03-01"}), 500)
        assert "credit_rate raised KeyError" in alone["detail"] and alone["type"].endswith("/plugin-failed")


def test_regions_lists_what_policy_regions_lists(client, engine):
    data = client.get("/v1/regions").json()
    assert schema_errors("regions.schema.json", data) == []
    assert data == [status.to_dict() for status in engine.regions()]
    assert {r["code"] for r in data} == set(BUILT_IN)


def test_parameters_is_what_policy_show_prints(client):
    data = client.get("/v1/regions/shenzhen/parameters", params={"as_of": "2027-03-01"}).json()
    assert schema_errors("parameters.schema.json", data) == []
    assert data["as_of"] == "2027-03-01" and data["layers"] == ["national", "guangdong", "shenzhen"]
    assert {p["name"] for p in data["parameters"]} >= {"credit_rate"}
    assert [layer["code"] for layer in data["provenance"]["layers"]] == ["national", "guangdong", "shenzhen"]


def test_version_names_every_plugin_distribution(client):
    data = client.get("/v1/version").json()
    assert schema_errors("service.schema.json#/$defs/version", data) == []
    assert data["yibao_version"] == yibao.__version__ and data["spec_version"] == yibao.SPEC_VERSION
    assert {r["code"]: r["status"] for r in data["regions"]} == dict.fromkeys(BUILT_IN, "loaded")


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert response.headers["x-yibao-version"] == yibao.__version__


# --- problems ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "status", "field", "words"),
    [
        (b"", 400, None, "empty"),
        (b'{"region": ', 400, None, "not valid JSON"),
        (b"\xff\xfe{}", 400, None, "not UTF-8"),
        (b"[" * 100000 + b"]" * 100000, 400, None, "nested too deeply"),
        ([1], 422, "", "must be a JSON object"),
        ({"member": MEMBER}, 422, "region", "required"),
        ({"region": "shenzhen"}, 422, "member", "required"),
        ({"region": "shenzhen", "member": MEMBER, "asof": "2026-01-01"}, 422, "asof", "unknown field"),
        ({"region": 3, "member": MEMBER}, 422, "region", "got a number"),
        ({"region": "shenzhen", "member": []}, 422, "member", "got an array"),
        ({"region": "nowhere", "member": MEMBER}, 422, "region", "unknown region 'nowhere'"),
        ({"region": "shenzhen", "member": {"category": "boss"}}, 422, "member.category", "boss"),
        (
            {"region": "shenzhen", "member": {"category": "employee", "contributions": [{"from": "2025-13", "to": "2026-01"}]}},
            422,
            "member.contributions[0].from",
            "2025-13",
        ),
        ({"region": "shenzhen", "member": {"category": "employee", "salary": 1}}, 422, "member.salary", ""),
        ({"region": "shenzhen", "member": MEMBER, "as_of": "2026-02-30"}, 422, "as_of", "not a real date"),
        # issue 21: a lone surrogate (valid JSON, no text) was a plain-text 500; a list or object base a 500
        (b'{"region": "shenzhen\\ud800", "member": {"category": "employee"}}', 400, None, "lone surrogate"),
        (b'{"region": "shenzhen", "member": {"category": "employee", "\\udfff": 1}}', 400, None, "lone surrogate"),
        (
            {"region": "shenzhen", "member": {"category": "employee", "contributions": [{"from": "2025-01", "base": [1]}]}},
            422,
            "member.contributions[0].base",
            "not an amount in yuan",
        ),
        (
            {"region": "shenzhen", "member": {"category": "employee", "contributions": [{"from": "2025-01", "base": {"a": 1}}]}},
            422,
            "member.contributions[0].base",
            "not an amount in yuan",
        ),
    ],
    ids=lambda value: None,
)
def test_bad_evaluate_bodies_are_problems_naming_the_field(client, body, status, field, words):
    data = problem(post(client, "/v1/evaluate", body), status)
    assert "\\ud800" not in data["detail"] or "surrogate" in data["detail"]
    assert data.get("field") == field
    if field:
        assert data["detail"].startswith(f"{field}: ")
    assert words in data["detail"]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"regions": "shenzhen", "member": MEMBER}, "regions", "expected a list"),
        ({"regions": ["shenzhen"], "member": MEMBER}, "regions", "two or more"),
        ({"regions": ["shenzhen", None], "member": MEMBER}, "regions[1]", "got null"),
        ({"regions": ["shenzhen", "atlantis"], "member": MEMBER}, "regions[1]", "unknown region 'atlantis'"),
        ({"regions": ["shenzhen", "zhejiang@2026-13-01"], "member": MEMBER}, "regions (zhejiang@2026-13-01)", "2026-13-01"),
        ({"regions": ["shenzhen", "shenzhen"], "member": MEMBER}, "regions", "named twice"),
    ],
)
def test_bad_compare_bodies_are_problems_naming_the_field(client, body, field, words):
    data = problem(post(client, "/v1/compare", body), 422)
    assert data["field"] == field and words in data["detail"]


def test_an_unknown_region_in_the_path_is_404(client):
    data = problem(client.get("/v1/regions/atlantis/parameters"), 404)
    assert data["field"] == "code" and "atlantis" in data["detail"] and "shenzhen" in data["detail"]


def test_a_bad_as_of_in_the_query_names_it(client):
    data = problem(client.get("/v1/regions/shenzhen/parameters?as_of=yesterday"), 422)
    assert data["field"] == "as_of"


def test_unknown_paths_and_methods_are_problems_too(client):
    assert problem(client.get("/v2/evaluate"), 404)["type"] == "about:blank"
    assert problem(client.get("/v1/evaluate"), 405)["title"] == "Method Not Allowed"


def test_a_body_over_the_limit_is_413_before_it_is_parsed(engine, monkeypatch):
    import yibao.serve.bodies as bodies

    parsed = []
    monkeypatch.setattr(bodies, "parse_json", lambda raw: parsed.append(raw))
    with served(create_app(engine, max_body=1000)) as small:
        data = problem(small.post("/v1/evaluate", content=b"{" + b" " * 1000 + b"}"), 413)
        assert "1000 bytes" in data["detail"]
    assert parsed == [], "the oversized body reached the JSON parser"


def test_the_default_limit_is_one_mebibyte(engine, monkeypatch):
    monkeypatch.delenv("YIBAO_SERVE_MAX_BODY", raising=False)
    with served(create_app(engine)) as default:
        body = json.dumps({"region": "shenzhen", "member": MEMBER, "pad": " " * (1024 * 1024)}).encode()
        assert problem(default.post("/v1/evaluate", content=body), 413)
        just_under = json.dumps({"region": "shenzhen", "member": {**MEMBER}}).encode().ljust(1024 * 1024 - 1)
        assert default.post("/v1/evaluate", content=just_under).status_code == 200


def test_the_limit_is_configurable_from_the_environment(engine, monkeypatch):
    monkeypatch.setenv("YIBAO_SERVE_MAX_BODY", "50")
    with served(create_app(engine)) as tiny:
        assert problem(post(tiny, "/v1/evaluate", {"region": "shenzhen", "member": MEMBER}), 413)
    monkeypatch.setenv("YIBAO_SERVE_MAX_BODY", "lots")
    with pytest.raises(yibao.InputError, match="YIBAO_SERVE_MAX_BODY"):
        create_app(engine)


def test_an_unexpected_error_is_a_500_problem_without_traceback(engine, monkeypatch, caplog):
    import yibao.serve.bodies as bodies

    def boom(data):
        raise ZeroDivisionError("secret internals")

    monkeypatch.setattr(bodies, "evaluate_request", boom)
    with served(create_app(engine)) as own:
        response = post(own, "/v1/evaluate", {"region": "shenzhen", "member": MEMBER})
        assert problem(response, 500)["detail"] == "the server failed to answer; the error is in its log"
        assert "secret internals" not in response.text and "ZeroDivisionError" not in response.text
    assert "ZeroDivisionError" in caplog.text  # the operator still sees it, in the log


def test_no_endpoint_writes_to_disk(client, monkeypatch):
    """Every endpoint answered while any write to a file would raise."""

    real_open, real_os_open = builtins.open, os.open

    def read_only_open(file, mode="r", *args, **kwargs):
        if any(flag in mode for flag in "wax+"):
            raise AssertionError(f"an endpoint opened {file!r} for writing")
        return real_open(file, mode, *args, **kwargs)

    def read_only_os_open(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND):
            raise AssertionError(f"an endpoint opened {path!r} for writing")
        return real_os_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", read_only_open)
    monkeypatch.setattr(os, "open", read_only_os_open)
    for path in (
        "/",
        "/?lang=en",
        "/static/app.js",
        "/v1/regions",
        "/v1/version",
        "/healthz",
        "/openapi.json",
        "/v1/regions/jiangxi/parameters",
    ):
        assert client.get(path).status_code == 200, path
    assert post(client, "/v1/evaluate", {"region": "jiangxi", "member": MEMBER}).status_code == 200
    assert post(client, "/v1/compare", {"regions": ["jiangxi", "zhejiang"], "member": MEMBER}).status_code == 200
    assert post(client, "/v1/move", {"origin": "jiangxi", "destination": "zhejiang", "member": MEMBER}).status_code == 200
    assert post(client, "/v1/timeline", {"region": "jiangxi", "member": MEMBER}).status_code == 200
    assert post(client, "/v1/evaluate", b"{").status_code == 400


# --- the OpenAPI document -------------------------------------------------------------------


def _without_refs(node):
    """A schema with its $id dropped and every $ref blanked: what the document may change."""
    if isinstance(node, dict):
        return {k: "ref" if k == "$ref" else _without_refs(v) for k, v in node.items() if k != "$id"}
    if isinstance(node, list):
        return [_without_refs(item) for item in node]
    return node


def test_openapi_is_3_1_and_embeds_the_schema_files_with_only_their_refs_changed(client):
    served = client.get("/openapi.json").json()
    assert served["openapi"].startswith("3.1") and served["info"]["version"] == yibao.__version__
    components = served["components"]["schemas"]
    for name, file in (
        ("Member", "member"),
        ("Evaluation", "evaluation"),
        ("Comparison", "comparison"),
        ("Move", "move"),
        ("Service", "service"),
    ):
        shipped = SCHEMAS[f"{file}.schema.json"]
        assert _without_refs(components[name]) == _without_refs(shipped), f"{name} is not schemas/{file}.schema.json"


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_every_ref_of_the_openapi_document_resolves_inside_it(client):
    """Issue 21: tools (schemathesis) could not resolve `member.schema.json` or a relative
    `$id`; now every `$ref` is a JSON pointer into the document itself."""
    served = client.get("/openapi.json").json()
    refs = set(_refs(served))
    assert len(refs) > 20
    for ref in refs:
        assert ref.startswith("#/components/schemas/"), ref
        node = served
        for part in ref[2:].split("/"):
            node = node[part]  # a KeyError is a reference that does not resolve
        assert isinstance(node, dict)
    assert not [c for c in served["components"]["schemas"].values() if "$id" in c]


def test_openapi_covers_every_route_and_resolves(client):
    served = client.get("/openapi.json").json()
    assert set(served["paths"]) == {
        "/v1/regions",
        "/v1/coverage",
        "/v1/evaluate",
        "/v1/compare",
        "/v1/move",
        "/v1/timeline",
        "/v1/explain",
        "/v1/regions/{code}/parameters",
        "/v1/version",
        "/healthz",
    }
    from jsonschema import Draft202012Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    # As an OpenAPI 3.1 tool does: the document is one resource; references point into it.
    base = "urn:yibao:openapi"
    registry = Registry().with_resource(base, DRAFT202012.create_resource(served))

    def check(ref, instance):
        return list(Draft202012Validator({"$ref": base + ref}, registry=registry).iter_errors(instance))

    ops = served["paths"]
    evaluate_schema = ops["/v1/evaluate"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    example = ops["/v1/evaluate"]["post"]["requestBody"]["content"]["application/json"]["example"]
    assert check(evaluate_schema, example) == []
    assert check(evaluate_schema, {"region": "shenzhen"}), "a request without a member must not validate"
    answer = post(client, "/v1/evaluate", example).json()
    assert check(ops["/v1/evaluate"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"], answer) == []
    bad = post(client, "/v1/evaluate", {"region": "shenzhen"}).json()
    assert check(ops["/v1/evaluate"]["post"]["responses"]["422"]["content"]["application/problem+json"]["schema"]["$ref"], bad) == []


def test_the_document_is_built_once():
    assert document() is document()


@pytest.mark.parametrize(
    ("path", "definition", "body"),
    [
        ("/v1/evaluate", "evaluate_request", {"region": "shenzhen", "member": MEMBER}),
        ("/v1/evaluate", "evaluate_request", {"region": "shenzhen", "member": MEMBER, "as_of": "2026-03-01"}),
        ("/v1/evaluate", "evaluate_request", {"region": "shenzhen"}),
        ("/v1/evaluate", "evaluate_request", {"region": "shenzhen", "member": MEMBER, "extra": 1}),
        ("/v1/evaluate", "evaluate_request", {"region": "shenzhen", "member": {"category": "boss"}}),
        ("/v1/evaluate", "evaluate_request", {"region": 7, "member": MEMBER}),
        ("/v1/evaluate", "evaluate_request", {"region": "shenzhen", "member": MEMBER, "as_of": 20260301}),
        ("/v1/compare", "compare_request", {"regions": ["shenzhen", "zhejiang@2026-01-01"], "member": MEMBER}),
        ("/v1/compare", "compare_request", {"regions": ["shenzhen"], "member": MEMBER}),
        ("/v1/compare", "compare_request", {"regions": "shenzhen", "member": MEMBER}),
        ("/v1/compare", "compare_request", {"regions": ["shenzhen", "zhejiang"]}),
        ("/v1/move", "move_request", {"origin": "shenzhen", "destination": "zhejiang", "member": MEMBER, "on": "2026-03-01"}),
        ("/v1/move", "move_request", {"origin": "shenzhen", "destination": "zhejiang", "member": MEMBER, "when": "2026-03-01"}),
        ("/v1/move", "move_request", {"origin": "shenzhen", "member": MEMBER}),
        ("/v1/timeline", "timeline_request", {"region": "zhejiang", "member": MEMBER, "from": "2025-01"}),
        ("/v1/timeline", "timeline_request", {"region": "zhejiang", "member": MEMBER, "from": 2025}),
    ],
)
def test_the_request_schemas_accept_what_the_service_accepts(client, path, definition, body):
    """schemas/service.schema.json and the service's own checks agree, body by body."""
    valid = schema_errors(f"service.schema.json#/$defs/{definition}", body) == []
    assert valid == (post(client, path, body).status_code == 200)


# --- moves -------------------------------------------------------------------------------------

MOVER = {"category": "employee", "contribution_base": 12000, "contributions": [{"from": "2019-01", "to": "2026-02"}]}


def test_move_answers_what_the_api_answers(client, engine):
    body = {"origin": "shenzhen", "destination": "zhejiang", "member": MOVER, "on": "2026-03-01"}
    response = post(client, "/v1/move", body)
    assert response.status_code == 200
    data = response.json()
    assert schema_errors("move.schema.json", data) == []
    expected = engine.move("shenzhen", "zhejiang", MOVER, "2026-03-01").to_dict()
    for answer in (data, expected):
        assert answer["provenance"].pop("evaluated_at")
    assert data == expected
    # no gap: the relationship and the balance move, and benefits go on from the move's month
    assert (data["relationship_transferable"], data["balance"], data["pooled_benefits_resume"]) == (True, "moves", "2026-03-01")
    assert [layer["code"] for layer in data["provenance"]["layers"]] == ["national", "guangdong", "shenzhen", "zhejiang"]


def test_a_blocked_move_is_an_answer_not_an_error(client):
    """43号 Art. 2 leaves retirees out: the move is blocked, with the reason, status 200."""
    body = {"origin": "shenzhen", "destination": "zhejiang", "member": {**MOVER, "category": "retiree"}, "on": "2026-03-01"}
    data = post(client, "/v1/move", body).json()
    assert data["relationship_transferable"] is False and data["blockers"] == ["retired"]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"origin": "shenzhen", "destination": "shenzhen", "member": MOVER}, "destination", "two different regions"),
        ({"origin": "shenzhen", "destination": "atlantis", "member": MOVER}, "destination", "unknown region 'atlantis'"),
        ({"origin": "atlantis", "destination": "zhejiang", "member": MOVER}, "origin", "unknown region 'atlantis'"),
        ({"origin": "shenzhen", "destination": "zhejiang", "member": MOVER, "on": "2010-01-01"}, "on", "before any month paid"),
        ({"origin": "shenzhen", "destination": "zhejiang", "member": MOVER, "on": "2026-02-30"}, "on", "not a real date"),
        ({"origin": "shenzhen", "destination": "zhejiang"}, "member", "required"),
        ({"origin": "shenzhen", "to": "zhejiang", "member": MOVER}, "to", "unknown field"),
    ],
)
def test_bad_move_bodies_are_problems_naming_the_field(client, body, field, words):
    data = problem(post(client, "/v1/move", body), 422)
    assert data["field"] == field and words in data["detail"]


# --- timelines -----------------------------------------------------------------------------

HISTORY = {  # the representative member of docs/compare.md: a 5-month gap in 2026
    "category": "employee",
    "contribution_base": 12000,
    "contributions": [{"from": "2019-01", "to": "2026-02"}, {"from": "2026-08", "to": "2026-12"}],
}


def test_timeline_answers_what_the_api_answers(client, engine):
    body = {"region": "zhejiang", "member": HISTORY, "from": "2025-01", "to": "2027-06"}
    response = post(client, "/v1/timeline", body)
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    data = response.json()
    assert schema_errors("timeline.schema.json", data) == []
    expected = engine.timeline("zhejiang", HISTORY, "2025-01", "2027-06").to_dict()
    for answer in (data, expected):
        assert answer["provenance"].pop("evaluated_at")
    assert data == expected
    assert (data["start"], data["end"], len(data["months"])) == ("2025-01", "2027-06", 30)


def test_timeline_as_svg_is_the_month_strip(client):
    """docs/compare.md: in Zhejiang the member pays again from 2026-08 but is covered again
    only from 2027-02-01: 2026-09 is a paid month without benefits."""
    import xml.etree.ElementTree as ET

    body = {"region": "zhejiang", "member": HISTORY, "from": "2025-01", "to": "2026-12"}
    response = client.post("/v1/timeline?lang=en", content=json.dumps(body), headers={"Accept": "image/svg+xml"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("image/svg+xml")
    svg = ET.fromstring(response.content)
    cells = {g.get("data-month"): g.get("class").split()[1] for g in svg.iter("{http://www.w3.org/2000/svg}g")}
    assert len(cells) == 24
    assert (cells["2025-06"], cells["2026-05"], cells["2026-09"]) == ("covered", "uncovered", "waiting")
    assert "Zhejiang" in svg.get("aria-label") and b"<script" not in response.content


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"region": "zhejiang", "member": HISTORY, "from": "2026-13"}, "from", "2026-13"),
        ({"region": "zhejiang", "member": HISTORY, "to": 202612}, "to", "got a number"),
        ({"region": "zhejiang", "member": HISTORY, "from": "2027-01", "to": "2026-01"}, "from", ""),
        ({"region": "zhejiang", "member": HISTORY, "from": "1900-01", "to": "2199-12"}, "", "1,200"),
        ({"region": "atlantis", "member": HISTORY}, "region", "unknown region 'atlantis'"),
        ({"region": "zhejiang", "member": HISTORY, "start": "2026-01"}, "start", "unknown field"),
    ],
)
def test_bad_timeline_bodies_are_problems_naming_the_field(client, body, field, words):
    data = problem(post(client, "/v1/timeline", body), 422)
    if field:
        assert data["field"] == field
    assert words in data["detail"]


def test_coverage_is_the_cli_map_and_a_bad_date_is_a_problem(client, engine):
    from datetime import date

    from yibao.coverage import coverage

    response = client.get("/v1/coverage?as_of=2026-12-10")
    assert response.status_code == 200
    data = response.json()
    assert schema_errors("coverage.schema.json", data) == []
    assert data == coverage(engine, date(2026, 12, 10)).to_dict()
    bad = client.get("/v1/coverage?as_of=2026-02-30")
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    assert "/v1/coverage" in client.get("/openapi.json").json()["paths"]
