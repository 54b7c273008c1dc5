"""The OpenAPI 3.1 document, built from the project's own JSON Schemas.

The files of ``schemas/`` are embedded under ``components.schemas`` with one change:
every ``$ref`` (``#/$defs/x``, ``member.schema.json``, ``evaluation.schema.json#/$defs/x``)
is rewritten to the component it names inside this document, and the ``$id`` dropped,
so every reference resolves here (OpenAPI tools do not resolve relative ``$id``s).
Request and response bodies refer to them. Nothing is re-typed as a model: a schema
change shows here by itself.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from .._version import __version__

#: component name -> schema file in ``yibao.schemas``.
FILES = {
    "Member": "member.schema.json",
    "Evaluation": "evaluation.schema.json",
    "Comparison": "comparison.schema.json",
    "Regions": "regions.schema.json",
    "Parameters": "parameters.schema.json",
    "Move": "move.schema.json",
    "Timeline": "timeline.schema.json",
    "Service": "service.schema.json",
    "Explanation": "explanation.schema.json",
    "Coverage": "coverage.schema.json",
}
#: component name -> a definition inside service.schema.json.
DEFINITIONS = {
    "EvaluateRequest": "evaluate_request",
    "CompareRequest": "compare_request",
    "MoveRequest": "move_request",
    "TimelineRequest": "timeline_request",
    "ExplainRequest": "explain_request",
    "Problem": "problem",
    "Version": "version",
    "Health": "health",
}


def schema_text(name: str) -> str:
    """One schema file of ``yibao.schemas`` as shipped."""
    return resources.files("yibao.schemas").joinpath(name).read_text(encoding="utf-8")


def _ref(component: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{component}"}


def _json(component: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(component)}}}


def _problems(*statuses: int) -> dict[str, Any]:
    reasons = {
        400: "The body is not UTF-8 JSON (or has a lone surrogate), or the Host header is not one served.",
        404: "Unknown region (in the path) or unknown path.",
        413: "The body is larger than the limit (default 1 MiB); refused before it is read.",
        415: "The body is not JSON (Content-Type: application/json).",
        422: "A field is wrong: `detail` and `field` name it (member.contributions[0].from).",
        500: "A region plugin failed (its distribution and reason in `detail`), the answer was over its size limit, or a bug; never a traceback.",
        503: "Every worker was busy for the whole time limit: try again.",
        504: "The answer took longer than the time limit (default 10 s); `detail` names the region.",
    }
    return {str(s): {"description": reasons[s], "content": {"application/problem+json": {"schema": _ref("Problem")}}} for s in statuses}


def _post(summary: str, request: str, response: str, example: dict[str, Any], what: str, operation: str) -> dict[str, Any]:
    ok = _json(response, what)
    if operation == "timeline":  # the page's month strip: the same answer drawn on the server
        ok["content"]["image/svg+xml"] = {
            "schema": {"type": "string", "description": "An SVG document: one row per year, one cell per month."}
        }
    return {
        "post": {
            "operationId": operation,
            "summary": summary,
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref(request), "example": example}},
            },
            "responses": {"200": ok, **_problems(400, 413, 415, 422, 500, 503, 504)},
        }
    }


EXAMPLE_MEMBER = {"category": "employee", "contribution_base": 10000, "contributions": [{"from": "2020-01", "to": "2026-02"}]}


def embedded(component: str) -> dict[str, Any]:
    """One schema file as a component: its references pointed inside the document."""
    schema = json.loads(schema_text(FILES[component]))
    schema.pop("$id", None)
    return _pointed(schema, component)


def _target(ref: str, component: str) -> str:
    """``#/$defs/x`` of ``component``, or ``file.schema.json#/...`` (by name or by ``$id``),
    as a reference inside the document."""
    where, _, fragment = ref.partition("#")
    if where:
        name = where.rsplit("/", 1)[-1]
        found = next((c for c, file in FILES.items() if file == name), None)
        if found is None:
            raise ValueError(f"schema {FILES[component]} refers to {ref!r}, which is not a file of yibao.schemas")
        component = found
    return f"#/components/schemas/{component}{fragment}"


def _pointed(node: Any, component: str) -> Any:
    if isinstance(node, dict):
        return {
            key: _target(value, component) if key == "$ref" and isinstance(value, str) else _pointed(value, component)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_pointed(item, component) for item in node]
    return node


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document served at ``GET /openapi.json``."""
    schemas: dict[str, Any] = {name: embedded(name) for name in FILES}
    for component, definition in DEFINITIONS.items():
        schemas[component] = {"$ref": f"#/components/schemas/Service/$defs/{definition}"}
    paths: dict[str, Any] = {
        "/v1/regions": {
            "get": {
                "operationId": "regions",
                "summary": "Every installed region with its status (policy regions --format json).",
                "responses": {"200": _json("Regions", "Loaded, failed (with the reason) or disabled regions.")},
            }
        },
        "/v1/coverage": {
            "get": {
                "operationId": "coverage",
                "summary": "What each installed region models on a date, area by area: the layer that answers, the weakest confidence, undated starts, disputes, stale values (policy coverage --format json).",
                "parameters": [
                    {
                        "name": "as_of",
                        "in": "query",
                        "required": False,
                        "description": "YYYY-MM-DD; default: the server's today.",
                        "schema": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
                    }
                ],
                "responses": {"200": _json("Coverage", "Every region's areas on the date."), **_problems(422, 500)},
            }
        },
        "/v1/evaluate": _post(
            "One member in one region on one date: the five areas with their sources (policy evaluate --format json).",
            "EvaluateRequest",
            "Evaluation",
            {"region": "shenzhen", "member": EXAMPLE_MEMBER, "as_of": "2026-03-01"},
            "The evaluation, with its provenance.",
            "evaluate",
        ),
        "/v1/compare": _post(
            "The same member in several regions, side by side (policy compare --format json). A failing plugin is reported under `failures`.",
            "CompareRequest",
            "Comparison",
            {"regions": ["shenzhen", "zhejiang"], "member": EXAMPLE_MEMBER, "as_of": "2026-11-22"},
            "The comparison; a region that failed is under `failures` with its reason (status 200).",
            "compare",
        ),
        "/v1/timeline": _post(
            "One member in one region month by month, each month by the rules of its 1st day (policy timeline --format json).",
            "TimelineRequest",
            "Timeline",
            {"region": "zhejiang", "member": EXAMPLE_MEMBER, "from": "2025-01", "to": "2026-12"},
            "The months, the yearly totals and each parameter applied once with its sources; with Accept: image/svg+xml, the month strip.",
            "timeline",
        ),
        "/v1/move": _post(
            "A member moving from one region to another: what moves, what blocks it, the steps, when covered again (policy move --format json).",
            "MoveRequest",
            "Move",
            {"origin": "shenzhen", "destination": "zhejiang", "member": EXAMPLE_MEMBER, "on": "2026-03-01"},
            "The move, with its steps, sources and provenance; a blocked move (a retiree, arrears) is an answer, not an error.",
            "move",
        ),
        "/v1/explain": _post(
            "Why: an evaluation, one month of a timeline or a move, with the steps that reached it (policy explain --format json).",
            "ExplainRequest",
            "Explanation",
            {"region": "zhejiang", "member": EXAMPLE_MEMBER, "as_of": "2026-10-01", "area": "lapse"},
            "The explanation (format yibao-explanation/1): per area, the layers asked, the facts and parameters each step read, the outcome.",
            "explain",
        ),
        "/v1/regions/{code}/parameters": {
            "get": {
                "operationId": "parameters",
                "summary": "A region's parameters in force on a date, with sources (policy show --format json).",
                "parameters": [
                    {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}, "example": "shenzhen"},
                    {
                        "name": "as_of",
                        "in": "query",
                        "required": False,
                        "description": "YYYY-MM-DD; default: the server's today.",
                        "schema": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
                    },
                ],
                "responses": {
                    "200": _json("Parameters", "Parameters layer by layer, stale ones flagged."),
                    **_problems(404, 422, 500, 503, 504),
                },
            }
        },
        "/v1/version": {
            "get": {
                "operationId": "version",
                "summary": "yibao's version, the hook-spec version and each region plugin's distribution and version.",
                "responses": {"200": _json("Version", "Versions.")},
            }
        },
        "/healthz": {
            "get": {"operationId": "health", "summary": "Liveness: the process answers.", "responses": {"200": _json("Health", "Alive.")}}
        },
    }
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "yibao-policy",
            "version": __version__,
            "summary": "Employee medical-insurance personal-account rules (职工医保个人账户), region by region, with sources.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "paths": paths,
        "components": {"schemas": schemas},
    }
