"""The Litestar application: routes, problem documents, limits.

Handlers are synchronous and run on the event loop (``sync_to_thread=False``): an
evaluation is tens of microseconds of pure Python, cheaper than a hop to a thread.
Each reads the raw body (the size limit applies before it is read), parses it with
:mod:`.bodies`, calls the engine and encodes the CLI's JSON form.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import msgspec
from litestar import Litestar, Request, Response, get, post
from litestar.exceptions import HTTPException
from litestar.params import FromPath, FromQuery, RawBody

from .._version import __version__
from ..engine import PolicyEngine
from ..errors import InputError, UnknownRegionError, YibaoError
from ..hookspecs import SPEC_VERSION
from ..months import parse_date
from ..showing import region_parameters
from . import bodies, openapi, page, strip
from .problems import MEDIA_TYPE, Problem, from_error, http

log = logging.getLogger("yibao.serve")
JSON = "application/json"
_encode = msgspec.json.Encoder().encode
HEADERS = {"X-Yibao-Version": __version__, "X-Content-Type-Options": "nosniff"}


def _json(data: Any, status: int = 200) -> Response[bytes]:
    return Response(_encode(data), status_code=status, media_type=JSON)


def build(engine: PolicyEngine | None, max_body: int) -> Litestar:
    """Routes over ``engine`` (default: configured from the environment)."""
    engine = engine or PolicyEngine.from_environment()

    def call(work: Any, region_field: str = "region", *, in_path: bool = False) -> Any:
        try:
            return work()
        except YibaoError as exc:
            raise from_error(exc, region_field=region_field, in_path=in_path) from None

    @get("/healthz", sync_to_thread=False)
    def healthz() -> Response[bytes]:
        return _json({"status": "ok"})

    @get("/v1/version", sync_to_thread=False)
    def version() -> Response[bytes]:
        regions = [{"code": s.code, "status": s.status, "distribution": s.distribution, "version": s.version} for s in call(engine.regions)]
        return _json({"yibao_version": __version__, "spec_version": SPEC_VERSION, "regions": regions})

    @get("/v1/regions", sync_to_thread=False)
    def regions() -> Response[bytes]:
        return _json([status.to_dict() for status in call(engine.regions)])

    @get("/v1/regions/{code:str}/parameters", sync_to_thread=False)
    def parameters(code: FromPath[str], as_of: FromQuery[str | None] = None) -> Response[bytes]:
        day = date.today() if as_of is None else call(lambda: parse_date(as_of, "as_of"))
        stack = call(lambda: engine.stack(code), in_path=True)
        return _json(region_parameters(stack, day))

    @get("/v1/coverage", sync_to_thread=False)
    def coverage_map(as_of: FromQuery[str | None] = None) -> Response[bytes]:
        from ..coverage import coverage

        day = date.today() if as_of is None else call(lambda: parse_date(as_of, "as_of"))
        return _json(call(lambda: coverage(engine, day)).to_dict())

    @post("/v1/evaluate", sync_to_thread=False, status_code=200)
    def evaluate(body: RawBody) -> Response[bytes]:
        region, member, day = bodies.evaluate_request(bodies.parse_json(body))
        return _json(call(lambda: engine.evaluate(region, member, day)).to_dict())

    @post("/v1/compare", sync_to_thread=False, status_code=200)
    def compare(body: RawBody) -> Response[bytes]:
        regions, member, day = bodies.compare_request(bodies.parse_json(body))
        try:
            return _json(engine.compare(regions, member, day).to_dict())
        except UnknownRegionError as exc:  # name the entry: regions[1]
            index = next((i for i, text in enumerate(regions) if text.split("@", 1)[0].strip() == exc.code), None)
            raise from_error(exc, region_field="regions" if index is None else f"regions[{index}]") from None
        except YibaoError as exc:
            raise from_error(exc) from None

    @post("/v1/timeline", sync_to_thread=False, status_code=200)
    def timeline(request: Request, body: RawBody) -> Response[bytes]:
        region, member, start, end = bodies.timeline_request(bodies.parse_json(body))
        try:
            result = engine.timeline(region, member, start, end)
        except InputError as exc:  # the API names its arguments start/end; the body says from/to
            raise from_error(InputError({"start": "from", "end": "to"}.get(exc.path, exc.path), exc.reason)) from None
        except YibaoError as exc:
            raise from_error(exc) from None
        if "image/svg+xml" in request.headers.get("accept", ""):
            lang = request.query_params.get("lang", "zh")
            svg = strip.render(result.to_dict(), lang if lang in strip.WORDS else "zh")
            return Response(svg.encode("utf-8"), media_type="image/svg+xml; charset=utf-8")
        return _json(result.to_dict())

    @post("/v1/move", sync_to_thread=False, status_code=200)
    def move(body: RawBody) -> Response[bytes]:
        origin, destination, member, day = bodies.move_request(bodies.parse_json(body))
        field = {origin: "origin", destination: "destination"}
        try:
            return _json(engine.move(origin, destination, member, day).to_dict())
        except UnknownRegionError as exc:
            raise from_error(exc, region_field=field.get(exc.code, "destination")) from None
        except YibaoError as exc:
            raise from_error(exc) from None

    @get("/openapi.json", sync_to_thread=False)
    def openapi_json() -> Response[bytes]:
        return _json(openapi.document())

    handlers: list[Any] = [healthz, version, regions, coverage_map, parameters, evaluate, compare, timeline, move, openapi_json, *page.routes(engine)]
    return Litestar(
        route_handlers=handlers,
        exception_handlers={Problem: _problem, HTTPException: _http_error, Exception: _internal},
        request_max_body_size=max_body,
        response_headers=HEADERS,
        openapi_config=None,  # /openapi.json is ours, built from schemas/
        debug=False,
        logging_config=None,
    )


def _respond(problem: Problem) -> Response[bytes]:
    return Response(problem.body(), status_code=problem.status, media_type=MEDIA_TYPE, headers=HEADERS)


def _problem(request: Request, exc: Problem) -> Response[bytes]:
    return _respond(exc)


def _http_error(request: Request, exc: HTTPException) -> Response[bytes]:
    status = exc.status_code
    if status == 413:
        limit = request.app.request_max_body_size
        return _respond(http(413, f"the body is larger than the limit of {limit} bytes"))
    if status == 404:
        return _respond(http(404, f"no such path: {request.url.path}"))
    if status == 405:
        return _respond(http(405, f"{request.method} is not allowed on {request.url.path}"))
    if status >= 500:
        return _internal(request, exc)
    return _respond(http(status, str(exc.detail)))


def _internal(request: Request, exc: Exception) -> Response[bytes]:
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)  # the traceback goes to the log, not the client
    return _respond(http(500, "the server failed to answer; the error is in its log"))
