"""The Litestar application: routes, problem documents, limits.

The cheap routes (health, versions, the page) are synchronous on the event loop. The
answers (evaluate, compare, timeline, move, parameters) run in a worker thread, at most
``Limits.concurrent`` at once, each within ``Limits.request_seconds``: a heavy timeline
or a slow plugin never stalls ``/healthz``, and a caller gets a 503 (still waiting) or
504 (still working) naming the region instead of waiting without end. Each reads the
raw body (the size limit applies before it is read), parses it with :mod:`.bodies`,
calls the engine and encodes the CLI's JSON form, within ``Limits.max_answer`` bytes.
Every request first passes :mod:`.guard` (hosts, JSON bodies, HEAD, framing).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import anyio
import anyio.to_thread
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
from ..stack import guard_hooks
from . import bodies, openapi, page, strip
from .decision_log import HEADER, DecisionLog
from .guard import guarded
from .limits import Limits
from .problems import MEDIA_TYPE, Problem, from_error, http

log = logging.getLogger("yibao.serve")
JSON = "application/json"
_encode = msgspec.json.Encoder().encode
HEADERS = {"X-Yibao-Version": __version__, "X-Content-Type-Options": "nosniff"}


T = TypeVar("T")


def _json(data: Any, status: int = 200) -> Response[bytes]:
    return Response(_encode(data), status_code=status, media_type=JSON)


class Service(Litestar):
    """The Litestar app behind :func:`.guard.guarded`: every request, routed or not, passes it."""

    limits: Limits

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await super().__call__(scope, receive, send)
            return
        await self._guarded(scope, receive, send)

    def guard(self, limits: Limits) -> Service:
        self.limits = limits
        self._guarded = guarded(lambda scope, receive, send: Litestar.__call__(self, scope, receive, send), limits)
        return self


def build(engine: PolicyEngine | None, limits: Limits, log: DecisionLog | None = None) -> Litestar:
    """Routes over ``engine`` (default: configured from the environment), within
    ``limits``, each answer written to ``log`` when there is one."""
    engine = engine or PolicyEngine.from_environment()
    guard_hooks(limits.hook_seconds)  # a third-party hook past this is its PluginError
    slots = threading.BoundedSemaphore(limits.concurrent)  # answers at work in a thread, those given up on included
    claiming = threading.Lock()

    async def answer(work: Callable[[], Response[bytes]], regions: list[str], request: Request, body: bytes = b"") -> Response[bytes]:
        """:func:`compute`, and its line in the decision log (the id as a header)."""
        if log is None:
            return await compute(work, regions)
        endpoint = request.url.path
        given = body or (endpoint + ("?" + request.url.query if request.url.query else "")).encode()
        try:
            response = await compute(work, regions)
        except Problem as problem:
            problem.headers = {HEADER: log.record(endpoint, regions, given, problem.status, problem.body(), False)}
            raise
        content = response.content if isinstance(response.content, bytes) else b""
        decision = log.record(endpoint, regions, given, 200, content, response.media_type == JSON)
        response.headers[HEADER] = decision
        return response

    async def compute(work: Callable[[], T], regions: list[str]) -> T:
        """``work()`` in a worker thread within the request's time: 503 while every slot is
        taken, 504 once it runs over. A thread given up on keeps its slot until it ends
        (Python cannot stop it), so slow plugins never pile up more than ``concurrent``."""
        named = ", ".join(regions)

        state = {"started": False, "dropped": False}  # the slot is released once: by the thread, or here if it never ran

        def run() -> T:
            with claiming:
                if state["dropped"]:
                    raise TimeoutError
                state["started"] = True
            try:
                return work()
            finally:
                slots.release()

        with anyio.move_on_after(limits.request_seconds) as waiting:
            while not slots.acquire(blocking=False):  # (polled: only while every slot is taken)
                await anyio.sleep(0.005)
        if waiting.cancelled_caught:
            raise http(503, f"{named}: every worker was busy for {limits.request_seconds:g} s; try again")
        try:
            with anyio.fail_after(max(0.0, waiting.deadline - anyio.current_time())):
                return await anyio.to_thread.run_sync(run, abandon_on_cancel=True)
        except BaseException as exc:  # a timeout, or the client gone (cancelled)
            with claiming:
                if not state["started"]:
                    state["dropped"] = True
                    slots.release()
            if not isinstance(exc, TimeoutError):
                raise
            raise Problem(
                504, "answer-timeout", "The answer took too long", f"{named}: no answer within {limits.request_seconds:g} s", "region"
            ) from None

    def sized(data: Any, regions: list[str]) -> Response[bytes]:
        encoded = _encode(data)
        if len(encoded) > limits.max_answer:
            named = ", ".join(regions)
            raise Problem(
                500,
                "answer-too-large",
                "The answer is too large",
                f"{named}: the answer is {len(encoded)} bytes, over the limit of {limits.max_answer} (a region plugin's output?)",
            )
        return Response(encoded, status_code=200, media_type=JSON)

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

    @get("/v1/regions/{code:str}/parameters")
    async def parameters(request: Request, code: FromPath[str], as_of: FromQuery[str | None] = None) -> Response[bytes]:
        day = date.today() if as_of is None else call(lambda: parse_date(as_of, "as_of"))
        return await answer(lambda: sized(region_parameters(call(lambda: engine.stack(code), in_path=True), day), [code]), [code], request)

    @get("/v1/coverage")
    async def coverage_map(request: Request, as_of: FromQuery[str | None] = None) -> Response[bytes]:
        from ..coverage import coverage

        day = date.today() if as_of is None else call(lambda: parse_date(as_of, "as_of"))
        return await answer(lambda: sized(call(lambda: coverage(engine, day)).to_dict(), ["coverage"]), ["coverage"], request)

    @post("/v1/evaluate", status_code=200)
    async def evaluate(request: Request, body: RawBody) -> Response[bytes]:
        region, member, day = bodies.evaluate_request(bodies.parse_json(body))
        return await answer(lambda: sized(call(lambda: engine.evaluate(region, member, day)).to_dict(), [region]), [region], request, body)

    @post("/v1/compare", status_code=200)
    async def compare(request: Request, body: RawBody) -> Response[bytes]:
        regions, member, day = bodies.compare_request(bodies.parse_json(body))

        def work() -> Response[bytes]:
            try:
                return sized(engine.compare(regions, member, day).to_dict(), regions)
            except UnknownRegionError as exc:  # name the entry: regions[1]
                index = next((i for i, text in enumerate(regions) if text.split("@", 1)[0].strip() == exc.code), None)
                raise from_error(exc, region_field="regions" if index is None else f"regions[{index}]") from None
            except YibaoError as exc:
                raise from_error(exc) from None

        return await answer(work, regions, request, body)

    @post("/v1/timeline", status_code=200)
    async def timeline(request: Request, body: RawBody) -> Response[bytes]:
        region, member, start, end = bodies.timeline_request(bodies.parse_json(body))
        svg = "image/svg+xml" in request.headers.get("accept", "")
        lang = request.query_params.get("lang", "zh")

        def work() -> Response[bytes]:
            try:
                result = engine.timeline(region, member, start, end)
            except InputError as exc:  # the API names its arguments start/end; the body says from/to
                raise from_error(InputError({"start": "from", "end": "to"}.get(exc.path, exc.path), exc.reason)) from None
            except YibaoError as exc:
                raise from_error(exc) from None
            if svg:
                drawn = strip.render(result.to_dict(), lang if lang in strip.WORDS else "zh")
                return Response(drawn.encode("utf-8"), media_type="image/svg+xml; charset=utf-8")
            return sized(result.to_dict(), [region])

        return await answer(work, [region], request, body)

    @post("/v1/move", status_code=200)
    async def move(request: Request, body: RawBody) -> Response[bytes]:
        origin, destination, member, day = bodies.move_request(bodies.parse_json(body))
        field = {origin: "origin", destination: "destination"}

        def work() -> Response[bytes]:
            try:
                return sized(engine.move(origin, destination, member, day).to_dict(), [origin, destination])
            except UnknownRegionError as exc:
                raise from_error(exc, region_field=field.get(exc.code, "destination")) from None
            except YibaoError as exc:
                raise from_error(exc) from None

        return await answer(work, [origin, destination], request, body)

    @get("/favicon.ico", sync_to_thread=False, include_in_schema=False)
    def favicon() -> Response[bytes]:
        """No icon, said without an error: browsers ask for it on every page."""
        return Response(b"", status_code=204, headers={"Cache-Control": "public, max-age=86400"})

    @post("/v1/explain", status_code=200)
    async def explain(request: Request, body: RawBody) -> Response[bytes]:
        asked = bodies.explain_request(bodies.parse_json(body))
        regions = [asked[1], asked[2]] if asked[0] == "move" else [asked[1]]
        return await answer(lambda: sized(explained(engine, asked).to_dict(), regions), regions, request, body)

    @get("/openapi.json", sync_to_thread=False)
    def openapi_json() -> Response[bytes]:
        return _json(openapi.document())

    handlers: list[Any] = [
        healthz,
        version,
        regions,
        coverage_map,
        parameters,
        evaluate,
        compare,
        timeline,
        move,
        explain,
        openapi_json,
        favicon,
        *page.routes(engine),
    ]
    return Service(
        route_handlers=handlers,
        exception_handlers={Problem: _problem, HTTPException: _http_error, Exception: _internal},
        request_max_body_size=limits.max_body,
        response_headers=HEADERS,
        openapi_config=None,  # /openapi.json is ours, built from schemas/
        debug=False,
        logging_config=None,
    ).guard(limits)


def explained(engine: PolicyEngine, asked: tuple[Any, ...]) -> Any:
    """The explanation ``bodies.explain_request`` asked for; refusals named as the body names them."""
    kind = asked[0]
    try:
        if kind == "evaluation":
            _, region, member, day, area = asked
            return engine.explain(region, member, day, area=area)
        if kind == "month":
            _, region, member, month, start, end = asked
            try:
                timeline = engine.timeline(region, member, start, end)
            except InputError as exc:  # the API names its arguments start/end; the body says from/to
                raise InputError({"start": "from", "end": "to"}.get(exc.path, exc.path), exc.reason) from None
            return timeline.explain(month)
        _, origin, destination, member, day = asked
        try:
            return engine.move(origin, destination, member, day).explain()
        except UnknownRegionError as exc:
            raise from_error(exc, region_field="origin" if exc.code == origin else "destination") from None
    except YibaoError as exc:
        raise from_error(exc) from None


def _respond(problem: Problem, headers: dict[str, str] | None = None) -> Response[bytes]:
    return Response(problem.body(), status_code=problem.status, media_type=MEDIA_TYPE, headers={**HEADERS, **(headers or {})})


def _problem(request: Request, exc: Problem) -> Response[bytes]:
    return _respond(exc, exc.headers)


def _http_error(request: Request, exc: HTTPException) -> Response[bytes]:
    status = exc.status_code
    if status == 413:
        limit = request.app.request_max_body_size
        return _respond(http(413, f"the body is larger than the limit of {limit} bytes"))
    if status == 404:
        return _respond(http(404, f"no such path: {request.url.path}"))
    if status == 405:  # RFC 9110 15.5.6: say which methods are (HEAD wherever GET is: see .guard)
        allowed = [m.strip() for m in (exc.headers or {}).get("allow", "").split(",") if m.strip()]
        if "GET" in allowed and "HEAD" not in allowed:
            allowed.append("HEAD")
        return _respond(http(405, f"{request.method} is not allowed on {request.url.path}"), {"Allow": ", ".join(sorted(allowed))})
    if status >= 500:
        return _internal(request, exc)
    return _respond(http(status, str(exc.detail)))


def _internal(request: Request, exc: Exception) -> Response[bytes]:
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)  # the traceback goes to the log, not the client
    return _respond(http(500, "the server failed to answer; the error is in its log"))
