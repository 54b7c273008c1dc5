"""``policy timeline``'s sources: a title too long for one line goes on under its own
start, so each source's number stands alone at the left (in both languages)."""

from __future__ import annotations

import pytest

from yibao import timeline
from yibao.cli.timeline_view import source_lines, width

BACK_PAID = {
    "category": "employee",
    "contribution_base": "10000",
    "contributions": [
        {"from": "2024-01", "to": "2026-03"},
        {"from": "2026-04", "to": "2026-06", "paid": "back_paid", "paid_in": "2026-07"},
        {"from": "2026-07"},
    ],
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_wrapped_source_title_hangs_under_its_start(lang):
    lines = source_lines(timeline("hangzhou", BACK_PAID, "2026-03", "2026-09"), lang)[1:]
    numbered = [n for n, line in enumerate(lines) if line.startswith("[")]
    assert numbered[0] == 0 and len(numbered) >= 5
    wrapped = [line for n, line in enumerate(lines[: numbered[-1] + 1]) if n not in numbered]
    assert wrapped, "the 国办发〔2021〕14号 title is longer than a line"
    assert all(line.startswith("    ") and line.strip() for line in wrapped)
    assert max(width(line) for line in lines) <= 80
