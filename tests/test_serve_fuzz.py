"""Issue 21: schemathesis over our own /openapi.json against the live service.

Every operation of the document, with requests that fit its schemas (positive) and
requests that break them (negative), a few hundred in all: no answer is a server
error, and every answer has a documented status, a documented content type and a
body valid against the documented schema. Derandomised, no example database: the
same requests every run, bounded in time (well under a minute).
"""

from __future__ import annotations

import pytest

pytest.importorskip("uvicorn")
schemathesis = pytest.importorskip("schemathesis", reason="the fuzz run needs the test extra (schemathesis)")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from serve_support import live_server  # noqa: E402

#: Examples per operation and mode: 8 operations x 2 modes x this, at most.
EXAMPLES = 20
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def base():
    with live_server() as url:
        yield url


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["positive", "negative"])
def test_generated_requests_get_no_server_error_and_documented_answers(base, mode):
    schema = schemathesis.openapi.from_url(base + "/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]  # .ok() raises on one that cannot be resolved
    assert {op.label for op in operations} >= {"POST /v1/evaluate", "POST /v1/compare", "POST /v1/timeline", "POST /v1/move"}
    sent: list[str] = []
    failures: list[str] = []
    for operation in operations:

        @given(operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def one(case):
            label = case.operation.label
            sent.append(label)
            try:
                case.call_and_validate(base_url=base, checks=CHECKS, timeout=30)
            except Exception as exc:  # collected: every operation runs, the report lists them all
                failures.append(f"{label}: {str(exc)[:800]}")

        try:
            one()
        except Unsatisfiable:  # no schema-breaking request exists (a GET without parameters)
            assert mode is GenerationMode.NEGATIVE
    assert len(sent) > 40, sent
    assert failures == []
