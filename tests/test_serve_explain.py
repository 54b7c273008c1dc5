"""``POST /v1/explain``: the explanation JSON of ``policy explain`` (and of ``--why``)."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("litestar", reason='the service needs its extra: pip install ".[serve]"')

from litestar.testing import TestClient  # noqa: E402
from serve_support import schema_errors  # noqa: E402

import yibao  # noqa: E402
from yibao.serve import create_app  # noqa: E402

from conftest import built_in_plugins  # noqa: E402

GAP = {
    "category": "employee",
    "contribution_base": 10000,
    "contributions": [{"from": "2024-01", "to": "2026-02"}, {"from": "2026-08", "to": "2026-12"}],
}


@pytest.fixture(scope="module")
def engine():
    return yibao.PolicyEngine(built_in_plugins(), entry_points=False)


@pytest.fixture(scope="module")
def client(engine):
    with TestClient(create_app(engine), base_url="http://127.0.0.1") as test_client:
        yield test_client


def post(client, body):
    return client.post("/v1/explain", content=json.dumps(body).encode(), headers={"Content-Type": "application/json"})


def same(data, expected):
    """Equal but for the moment each was worked out."""
    return {**data, "provenance": None} == {**expected, "provenance": None}


def test_an_evaluations_explanation_is_policy_explains_json(client, engine):
    response = post(client, {"region": "zhejiang", "member": GAP, "as_of": "2026-10-01", "area": "lapse"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    data = response.json()
    assert schema_errors("explanation.schema.json", data) == []
    assert same(data, engine.explain("zhejiang", GAP, "2026-10-01", area="lapse").to_dict())
    assert data["areas"][0]["answer"]["pooled_benefits_resume"] == "2027-02-01"


def test_a_months_and_a_moves_explanations(client, engine):
    month = post(client, {"region": "zhejiang", "member": GAP, "month": "2026-10", "from": "2026-01", "to": "2027-03"}).json()
    assert month["kind"] == "month" and schema_errors("explanation.schema.json", month) == []
    assert same(month, engine.timeline("zhejiang", GAP, "2026-01", "2027-03").explain("2026-10").to_dict())
    moved = post(client, {"origin": "shenzhen", "destination": "zhejiang", "member": GAP, "on": "2026-08-01"}).json()
    assert moved["kind"] == "move" and schema_errors("explanation.schema.json", moved) == []


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"region": "zhejiang"}, "member", "required"),
        ({"region": "zhejiang", "member": GAP, "area": "credits"}, "area", "not an area"),
        ({"region": "nowhere", "member": GAP}, "region", "unknown region"),
        ({"region": "zhejiang", "member": GAP, "month": "2030-01", "to": "2027-03"}, "month", "outside the timeline"),
        ({"region": "zhejiang", "member": GAP, "month": "2026-10", "as_of": "2026-10-01"}, "as_of", "not a field of a month"),
        ({"origin": "shenzhen", "destination": "nowhere", "member": GAP}, "destination", "unknown region"),
        ({"member": GAP}, "region", "required"),
    ],
)
def test_bad_explain_bodies_are_problems_naming_the_field(client, body, field, words):
    response = post(client, body)
    assert 400 <= response.status_code < 500, response.text
    data = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert schema_errors("service.schema.json#/$defs/problem", data) == []
    assert data.get("field") == field and words in data["detail"], data


@pytest.mark.parametrize(
    "body",
    [
        {"region": "shenzhen", "member": GAP},
        {"region": "shenzhen", "member": GAP, "as_of": "2026-03-01", "area": "credit"},
        {"region": "shenzhen", "member": GAP, "area": "credits"},
        {"region": "zhejiang", "member": GAP, "month": "2026-10", "from": "2026-01"},
        {"region": "zhejiang", "member": GAP, "month": "2026-10", "area": "lapse"},
        {"origin": "shenzhen", "destination": "zhejiang", "member": GAP, "on": "2026-08-01"},
        {"origin": "shenzhen", "destination": "zhejiang", "member": GAP, "as_of": "2026-08-01"},
        {"origin": "shenzhen", "member": GAP},
        {"region": "shenzhen"},
        {"region": "shenzhen", "member": GAP, "why": 1},
    ],
)
def test_the_request_schema_accepts_what_the_service_accepts(client, body):
    valid = schema_errors("service.schema.json#/$defs/explain_request", body) == []
    assert valid == (post(client, body).status_code == 200)
