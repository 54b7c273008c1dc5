"""``GET /``: a small page for people, in Chinese and English, that works offline.

Server-rendered HTML (the regions, the labels and the representative member are put in
the page) with one plain script (``static/app.js``) that posts the form to
``/v1/evaluate`` or ``/v1/compare`` and shows the answer; the move form posts to
``/page/move``, which answers as ``POST /v1/move`` does plus the sentences ``policy move``
prints, in the page's language. No library, no external host: everything the page loads
comes from this server.

The regions checked at first are :data:`DEFAULT_REGIONS`: Shenzhen, the largest city of
migrant workers with its own rules, and Zhejiang, the province they most often move
between with it; the README, docs/compare.md and docs/move.md compare the same two.
"""

from __future__ import annotations

import html
import json
from functools import lru_cache
from importlib import resources
from typing import Any

from litestar import Request, Response, get
from litestar.params import FromPath, RawBody

from .. import labels
from ..engine import PolicyEngine

#: The page's own words; codes and fields are labelled from yibao's labels.toml.
WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "职工医保个人账户规则",
        "coverage": "各地区已建模的内容(提问前可先查看)",
        "coverage_note": "一档在职职工、连续缴费:是否建模 · 回答的层 · 依据中最弱的可信度 (H/M/L) · 起始日期无来源、有争议、可能过时的参数数。",
        "region": "地区",
        "intro": "选择地区,填写参保人和缴费时段,查看个人账户的划入、停缴后的待遇、家庭共济、转移和提取规则,每项附依据。",
        "regions": "地区(选一个查看,选多个对比)",
        "member": "参保人",
        "category": "参保类别",
        "employee": "职工",
        "flexible": "灵活就业人员",
        "retiree": "退休人员",
        "tier": "缴费档次",
        "base": "月缴费基数(元)",
        "balance": "账户余额(元)",
        "arrears": "有欠费",
        "periods": "已缴费时段(YYYY-MM;“至”留空表示仍在缴费;没有时段表示一直连续缴费)",
        "from": "自",
        "to": "至",
        "add": "添加时段",
        "remove": "删除",
        "as_of": "查询日期",
        "submit": "查看结果",
        "answer": "结果",
        "summary": "概要",
        "credit_line": "每月划入 {0} 元",
        "benefits_yes": "享受统筹基金待遇",
        "benefits_no": "暂停统筹基金待遇",
        "benefits_from": ",{0} 起恢复",
        "account_yes": "个人账户可用",
        "account_no": "个人账户不可用",
        "differ": "不同",
        "failed": "失败",
        "sources": "依据",
        "confidence": "可信度",
        "working": "计算中……",
        "choose": "请至少选择一个地区",
        "offline": "本页不连接任何外部网站。",
        "api": "接口说明",
        "provenance": "版本与数据文件(用于复现结果)",
        "strip": "逐月:统筹待遇与缴费",
        "other": "English",
        "still_paying": "仍在缴费",
        "move": "跨地区转移",
        "move_intro": "从一个地区转到另一个地区:账户是否转移、要办什么、何时恢复统筹待遇(使用上面的参保人和缴费时段)。",
        "origin": "转出地",
        "destination": "转入地",
        "on": "转移日期",
        "move_submit": "查看转移结果",
        "steps": "步骤",
        "details": "详情",
        "strip_of": "转入地逐月状态",
        "problem": "输入有误",
        "yuan": "元",
        "rate_of": "{0},基数 {1} 元",
    },
    "en": {
        "title": "Employee medical insurance: personal-account rules",
        "coverage": "What each region models (read this before you ask)",
        "coverage_note": "For a tier-1 employee paying continuously: modelled? · the layer that answers · the weakest confidence of its sources (H/M/L) · how many values have an undated start, a disputed reading, or are stale.",
        "region": "Region",
        "intro": "Choose regions, enter a member and the periods they paid, and see what is credited, what happens after a gap, family mutual aid, transfer and withdrawal, each with its sources.",
        "regions": "Regions (one to evaluate, several to compare)",
        "member": "Member",
        "category": "Category",
        "employee": "employee",
        "flexible": "flexible-employment worker",
        "retiree": "retiree",
        "tier": "Tier",
        "base": "Monthly contribution base (yuan)",
        "balance": "Account balance (yuan)",
        "arrears": "Dues outstanding",
        "periods": "Months paid (YYYY-MM; “to” left blank: still paying; no period: paid continuously)",
        "from": "from",
        "to": "to",
        "add": "Add a period",
        "remove": "remove",
        "as_of": "As of",
        "submit": "Show the answer",
        "answer": "Answer",
        "summary": "Summary",
        "credit_line": "{0} yuan credited a month",
        "benefits_yes": "pooled-fund benefits: yes",
        "benefits_no": "pooled-fund benefits: suspended",
        "benefits_from": ", back from {0}",
        "account_yes": "account usable",
        "account_no": "account not usable",
        "differ": "differs",
        "failed": "failed",
        "sources": "Sources",
        "confidence": "confidence",
        "working": "Working…",
        "choose": "Choose at least one region",
        "offline": "This page contacts no other site.",
        "api": "API",
        "provenance": "Versions and data files (to reproduce this answer)",
        "strip": "Month by month: benefits and payments",
        "other": "中文",
        "still_paying": "still paying",
        "move": "Moving between regions",
        "move_intro": "From one region to another: does the account move, what to do, when covered again (with the member and periods above).",
        "origin": "Origin",
        "destination": "Destination",
        "on": "Date of the move",
        "move_submit": "Show the move",
        "steps": "Steps",
        "details": "Details",
        "strip_of": "The destination month by month",
        "problem": "Input problem",
        "yuan": "yuan",
        "rate_of": "{0} of {1}",
    },
}


#: Checked when the page opens (where installed): the pair a user most likely compares.
DEFAULT_REGIONS = ("shenzhen", "zhejiang")

#: The page may load nothing from anywhere but this server.
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'self'"


def language(request: Request) -> str:
    """``?lang=zh|en``, else the browser's first choice (zh when it starts with zh), else zh."""
    asked = request.query_params.get("lang")
    if asked in WORDS:
        return asked  # type: ignore[return-value]
    accept = request.headers.get("accept-language", "").strip().lower()
    return "en" if accept and not accept.startswith("zh") else "zh"


@lru_cache(maxsize=8)
def static(name: str) -> bytes:
    """A file of ``static/``, read once."""
    return resources.files("yibao.serve").joinpath("static").joinpath(name).read_bytes()


def _script_json(data: Any) -> str:
    """JSON safe inside <script>: no "</" can close the element."""
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def representative_member() -> dict[str, Any]:
    return json.loads(resources.files("yibao").joinpath("data").joinpath("representative_member.json").read_text(encoding="utf-8"))


def defaults(codes: list[str]) -> list[str]:
    """The regions checked at first: :data:`DEFAULT_REGIONS` where installed, else the first two."""
    chosen = [code for code in DEFAULT_REGIONS if code in codes]
    return chosen if len(chosen) == 2 else codes[:2]


def error_patterns(lang: str) -> list[list[str]]:
    """``[errors]`` of labels.toml as [JavaScript regex, text in ``lang``]: the page
    translates a problem's detail as the CLI does (yibao.labels.error)."""
    out = []
    for pattern, entry in labels._patterns("errors"):
        out.append([pattern.pattern.replace("(?P<", "(?<"), entry[lang]])
    return out


def page_data(lang: str, regions: list[dict[str, str]]) -> dict[str, Any]:
    """What the script reads: words, labels, places, the member, the error patterns."""
    table = labels.table()
    shown = {kind: entries for kind, entries in table.items() if kind not in ("notes", "errors", "source_titles")}
    return {
        "lang": lang,
        "words": WORDS[lang],
        "labels": {kind: {code: entry[lang] for code, entry in entries.items()} for kind, entries in shown.items()},
        "places": {**{code: entry[lang] for code, entry in table.get("layers", {}).items()}, **{r["code"]: r["name"] for r in regions}},
        "titles": {title: entry[lang] for title, entry in table.get("source_titles", {}).items()},
        "errors": error_patterns(lang),
        "member": representative_member(),
    }


def render(lang: str, regions: list[dict[str, str]]) -> str:
    """The page in ``lang`` offering ``regions`` (code, name)."""
    words = WORDS[lang]
    esc = html.escape
    data = page_data(lang, regions)
    checked = defaults([r["code"] for r in regions])
    code = (lambda r: "") if lang == "zh" else (lambda r: f" <code>{esc(r['code'])}</code>")
    boxes = "\n".join(
        f'<label class="region"><input type="checkbox" name="region" value="{esc(r["code"])}"'
        f"{' checked' if r['code'] in checked else ''}> {esc(r['name'])}{code(r)}</label>"
        for r in regions
    )
    options = "".join(f'<option value="{esc(r["code"])}">{esc(r["name"])}</option>' for r in regions)
    other = "en" if lang == "zh" else "zh"
    return f"""<!doctype html>
<html lang="{"zh-CN" if lang == "zh" else "en"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(words["title"])}</title>
<link rel="stylesheet" href="/static/style.css">
</head>
<body>
<header><h1>{esc(words["title"])}</h1>
<nav><a id="switch-lang" href="/?lang={other}">{esc(words["other"])}</a> · <a href="/openapi.json">{esc(words["api"])}</a></nav></header>
<p class="intro">{esc(words["intro"])}</p>
<form id="ask" novalidate>
<fieldset><legend>{esc(words["regions"])}</legend>
{boxes}
</fieldset>
<fieldset><legend>{esc(words["member"])}</legend>
<label>{esc(words["category"])} <select name="category" id="category">
<option value="employee">{esc(words["employee"])}</option>
<option value="flexible">{esc(words["flexible"])}</option>
<option value="retiree">{esc(words["retiree"])}</option>
</select></label>
<label>{esc(words["tier"])} <select name="tier" id="tier"><option>1</option><option>2</option></select></label>
<label>{esc(words["base"])} <input name="contribution_base" id="contribution_base" inputmode="decimal" size="10"></label>
<label>{esc(words["balance"])} <input name="balance" id="balance" inputmode="decimal" size="10"></label>
<label><input type="checkbox" name="arrears" id="arrears"> {esc(words["arrears"])}</label>
</fieldset>
<fieldset><legend>{esc(words["periods"])}</legend>
<div id="periods"></div>
<button type="button" id="add-period">{esc(words["add"])}</button>
</fieldset>
<label>{esc(words["as_of"])} <input name="as_of" id="as_of" placeholder="YYYY-MM-DD" size="11"></label>
<button type="submit" id="submit">{esc(words["submit"])}</button>
</form>
<form id="move-form" novalidate>
<fieldset><legend>{esc(words["move"])}</legend>
<p class="hint">{esc(words["move_intro"])}</p>
<label>{esc(words["origin"])} <select name="origin" id="origin">{options}</select></label>
<label>{esc(words["destination"])} <select name="destination" id="destination">{options}</select></label>
<label>{esc(words["on"])} <input name="on" id="on" placeholder="YYYY-MM-DD" size="11"></label>
<button type="submit" id="move-submit">{esc(words["move_submit"])}</button>
</fieldset>
</form>
<div id="problem" role="alert" hidden></div>
<section id="answer" aria-live="polite"></section>
<section id="coverage" aria-labelledby="coverage-title"></section>
<footer>{esc(words["offline"])}</footer>
<script type="application/json" id="yibao-data">{_script_json(data)}</script>
<script src="/static/app.js"></script>
<script src="/static/why.js"></script>
<script src="/static/coverage.js"></script>
</body>
</html>
"""


def move_words(data: dict[str, Any], lang: str) -> dict[str, Any]:
    """The sentences ``policy move`` prints for ``data`` (``Move.to_dict()``), in ``lang``:
    the page shows the same answer as the terminal, from the same code."""
    from .. import moving_zh as move_zh
    from ..cli.move_view import _details, headline
    from ..cli.values import grouped_yuan

    zh = lang == "zh"
    steps = [move_zh.step(data, step) if zh else grouped_yuan(step["text"], data["balance_amount"]) for step in data["steps"]]
    return {
        "headline": move_zh.headline(data) if zh else headline(data),
        "details": [list(row) for row in (move_zh.details(data) if zh else _details(data))],
        "steps": steps,
    }


def routes(engine: PolicyEngine) -> list[Any]:
    """``GET /``, the static files (``why.js``: the "为什么 / why" of each answer) and
    ``POST /page/move`` (the move form's answer)."""
    from litestar import post

    from . import bodies
    from .problems import from_error

    @post("/page/move", sync_to_thread=True, status_code=200, include_in_schema=False)  # off the event loop, as /v1/move
    def move(request: Request, body: RawBody) -> Response[bytes]:
        from ..errors import UnknownRegionError, YibaoError
        from ..labels import learn_places

        lang = language(request)
        origin, destination, member, day = bodies.move_request(bodies.parse_json(body))
        try:
            data = engine.move(origin, destination, member, day).to_dict()
        except UnknownRegionError as exc:
            raise from_error(exc, region_field="origin" if exc.code == origin else "destination") from None
        except YibaoError as exc:
            raise from_error(exc) from None
        learn_places({place["code"]: place["name"] for place in (data["origin"], data["destination"])})
        out = {"move": data, **move_words(data, lang)}
        return Response(json.dumps(out, ensure_ascii=False).encode("utf-8"), media_type="application/json")

    @get("/", sync_to_thread=False, include_in_schema=False)
    def index(request: Request) -> Response[str]:
        lang = language(request)
        loaded = [s for s in engine.regions() if s.status == "loaded" and s.overlay_of is None]
        regions = [{"code": s.code, "name": (s.name_zh if lang == "zh" else s.name_en) or s.code} for s in loaded]
        return Response(
            render(lang, regions), media_type="text/html; charset=utf-8", headers={"Content-Language": lang, "Content-Security-Policy": CSP}
        )

    @get("/static/{name:str}", sync_to_thread=False, include_in_schema=False)
    def files(name: FromPath[str]) -> Response[bytes]:
        kinds = {"app.js": "text/javascript; charset=utf-8", "why.js": "text/javascript; charset=utf-8", "coverage.js": "text/javascript; charset=utf-8", "style.css": "text/css; charset=utf-8"}
        if name not in kinds:
            from litestar.exceptions import NotFoundException

            raise NotFoundException()
        return Response(static(name), media_type=kinds[name], headers={"Cache-Control": "public, max-age=3600"})

    return [index, files, move]
