"""A move in Chinese: its answer, details and steps (``policy move --lang zh``, the page,
and the ``zh`` of a move's own steps in ``Move.explain()``).

Built from the move's JSON fields and each step's ``code`` (the English sentences of
``yibao.moving`` and ``move_view`` are not parsed), so the Chinese says what the JSON says.
A step whose code is not known here keeps its English text.
"""

from __future__ import annotations

from typing import Any

from . import labels
from .money import grouped


def _names(data: dict[str, Any]) -> tuple[str, str]:
    return data["origin"]["name"]["zh"], data["destination"]["name"]["zh"]


def _yuan(data: dict[str, Any]) -> str:
    return f"{grouped(data['balance_amount'])} 元"


def headline(data: dict[str, Any]) -> list[str]:
    """Moves or blocked (why), and when the member is covered again."""
    origin, destination = _names(data)
    if not data["relationship_transferable"]:
        why = []
        if "retired" in data["blockers"]:
            why.append("退休人员不适用国家转移接续办法")
        if "arrears" in data["blockers"]:
            why.append(f"须先在{origin}补缴欠费")
        reason = ";".join(why) or "、".join(labels.label("blockers", code, "zh") for code in data["blockers"])
        return [f"不能转移:{reason}。", f"医保关系和个人账户余额({_yuan(data)})留在{origin}。"]
    balance = {
        "moves": f"医保关系和个人账户余额({_yuan(data)})转入{destination}。",
        "stays": f"医保关系转入{destination};余额({_yuan(data)})留在{origin}的账户,跨市使用。",
        "paid_out": f"医保关系转入{destination};余额({_yuan(data)})不能转移,一次性支取。",
        "none": f"医保关系转入{destination};{origin}没有个人账户,没有余额。",
    }[data["balance"]]
    resume, gap = data["pooled_benefits_resume"], data["gap_months"]
    arriving = data["transfer_in"]
    if resume is None:
        ceiling = arriving["wait_ceiling_months"]
        limit = f";43号规定最长{ceiling}个月" if ceiling is not None else ""
        covered = f"何时恢复统筹待遇:未建模 —— 来源未给出{destination}在中断{gap}个月后的等待期{limit}。"
    elif not gap:
        covered = f"不中断:自 {resume} 起在{destination}享受统筹待遇。"
    elif data["destination_wait_months"] == arriving["short_gap_wait_months"] and gap <= (arriving["payable_gap_months"] or 0):
        covered = f"在{destination}补缴中断的{gap}个月后,自 {resume} 起恢复(中断期间的待遇也可追溯)。"
    else:
        covered = f"自 {resume} 起恢复:{destination}要求中断{gap}个月后连续缴费{data['destination_wait_months']}个月。"
    return [f"可以转移。{balance}", covered]


def details(data: dict[str, Any]) -> list[tuple[str, str]]:
    origin, destination = _names(data)
    days = data["processing_working_days"]
    wait, ceiling = data["destination_wait_months"], data["transfer_in"]["wait_ceiling_months"]
    shown_wait = "—" if wait is None else f"{wait}个月"
    if ceiling is not None and wait is None:
        shown_wait += f"(未建模;上限{ceiling}个月)"
    first = data["first_destination_month"] + ("(推定)" if data["destination_start_assumed"] else "")
    merged = data["continuity_merged"]
    return [
        ("余额", {"moves": "随关系转移", "stays": "留在原账户", "paid_out": "一次性支取", "none": "无(没有个人账户)"}[data["balance"]]),
        ("转移障碍", "、".join(labels.label("blockers", code, "zh") for code in data["blockers"]) or "无"),
        (f"在{origin}最后缴费月份", data["last_origin_month"] or "—"),
        (f"在{destination}首个缴费月份", first),
        ("转移前中断", "—" if data["gap_months"] is None else f"{data['gap_months']}个月"),
        ("转入地等待期", shown_wait),
        ("统筹待遇起始", data["pooled_benefits_resume"] or "—"),
        ("缴费年限合并计算", "—" if merged is None else ("是" if merged else "否")),
        ("办理时限(工作日)", f"{origin} {_days(days['origin'])},{destination} {_days(days['destination'])}"),
        (
            "回答的层",
            f"{labels.place(data['answered_by']['transfer'], 'zh')}(转出),{labels.place(data['answered_by']['transfer_in'], 'zh')}(转入)",
        ),
    ]


def _days(value: int | None) -> str:
    return "—" if value is None else str(value)


def step(data: dict[str, Any], item: dict[str, Any]) -> str:
    """A step in Chinese from its code and the move's fields; unknown codes keep their text."""
    origin, destination = _names(data)
    gap, resume, wait = data["gap_months"], data["pooled_benefits_resume"], data["destination_wait_months"]
    days = data["processing_working_days"]
    code = item.get("code")
    if code == "blocked_retired":
        return f"退休人员不适用国家转移接续办法:医保关系留在{origin},余额也是。"
    if code == "pay_arrears":
        return f"先在{origin}补缴欠费:有欠费不能申请转移。"
    if code == "enrol":
        return f"在{destination}参加职工医保:参保后申请转移。"
    if code == "pay_back_gap":
        when = f"自 {resume} 起享受统筹待遇" if resume else "何时享受统筹待遇未建模"
        return f"按{destination}的规定补缴中断的{gap}个月:{when},中断期间的待遇也可追溯。"
    if code == "wait" and resume:
        return f"中断{gap}个月后,在{destination}连续缴费:连续缴满{wait}个月后,自 {resume} 起享受统筹待遇。"
    if code == "wait":
        ceiling = data["transfer_in"]["wait_ceiling_months"]
        limit = f"43号规定最长{ceiling}个月。" if ceiling is not None else ""
        return f"中断{gap}个月后,{destination}可设置恢复统筹待遇前的等待期;其长度未建模。{limit}"
    if code == "balance_stays":
        return f"省内转移时余额({_yuan(data)})不划转:留在{origin}的账户,跨市使用。"
    if code == "apply_transfer":
        within = f"在{days['origin']}个工作日内" if days["origin"] is not None else ""
        moving = "并划转余额" if data["balance"] == "moves" else ""
        return f"申请转移接续:{origin}{within}出具参保缴费凭证{moving}。"
    if code == "balance_credited":
        within = f"在{days['destination']}个工作日内" if days["destination"] is not None else "(办理时限未建模)"
        return f"{destination}{within}将余额({_yuan(data)})记入新账户。"
    if code == "balance_paid_out":
        return f"余额不能转入{destination}:由{origin}一次性支付现金。"
    if code == "no_balance":
        return f"{origin}没有个人账户:只转移医保关系。"
    if code == "years_merged":
        return f"在{origin}的缴费年限与在{destination}的合并计算。"
    return str(item["text"])
