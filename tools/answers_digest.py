"""Evaluate generated members in every built-in region on many dates and print one JSON
line per answer: what `tools/answers_before_after.py` compares between two revisions.

Why: rewriting a region's rules as data (issue 20) must leave every answer as it was;
the scenario files pin the cases someone thought of, this pins thousands more.

Run:  python tools/answers_digest.py [REGION ...] > answers.jsonl
"""

from __future__ import annotations

import json
import random
import sys
from datetime import date
from typing import Any

REGIONS = ("shenzhen", "jiangxi", "zhejiang", "nanchang", "hangzhou")
DAYS = tuple(date(year, month, 1) for year in range(2019, 2028) for month in (1, 4, 7, 10)) + (
    date(2023, 10, 1),
    date(2025, 4, 21),
    date(2025, 6, 20),
    date(2025, 9, 1),
    date(2025, 10, 21),
    date(2026, 1, 10),
)
PER_DAY = 120


def member(rng: random.Random, day: date) -> dict[str, Any]:
    """A plausible member: any category and tier, a base near the limits or none, a
    history with gaps before ``day`` or none."""
    out: dict[str, Any] = {"category": rng.choice(("employee", "employee", "flexible", "retiree"))}
    if rng.random() < 0.8:
        out["tier"] = rng.choice((1, 1, 2))
    if rng.random() < 0.85:
        out["contribution_base"] = str(rng.choice((0, 1000, 2360, 2520, 6000.456, 10000, 12000, 34000, 41000, 99999.995)))
    if rng.random() < 0.2:
        out["arrears"] = True
    if rng.random() < 0.6:
        month = (day.year - 4) * 12 + rng.randrange(12)
        end = day.year * 12 + day.month - 1
        ranges = []
        while month < end and len(ranges) < 4:
            length = rng.randrange(1, 30)
            ranges.append({"from": _month(month), "to": _month(min(month + length, end))})
            month += length + rng.choice((1, 2, 3, 4, 7, 13))
        if ranges and rng.random() < 0.5:
            ranges[-1]["to"] = None
        if ranges:
            out["contributions"] = ranges
    return out


def _month(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def main(regions: list[str]) -> int:
    import yibao

    rng = random.Random(20)
    for region in regions or REGIONS:
        for day in DAYS:
            for _ in range(PER_DAY):
                given = member(rng, day)
                try:
                    answer: Any = yibao.evaluate(region, given, day).to_dict()
                    for volatile in ("evaluated_at", "provenance"):
                        answer.pop(volatile, None)
                except yibao.YibaoError as exc:
                    answer = {"error": str(exc)}
                print(json.dumps({"region": region, "as_of": day.isoformat(), "member": given, "answer": answer}, sort_keys=True, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
