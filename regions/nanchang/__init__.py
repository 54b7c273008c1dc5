"""Nanchang (南昌市), a city of Jiangxi: a three-month wait after a gap of more than three
months (南昌发布 notice, late 2025, M), for a gap in the city and for a member moving in;
benefits the month after a gap in the city is paid back (a city page, L/M). The notice's
no-wait text is about members who transfer: 43号's rule for moves, not a rule for a gap
in the city, so a short unpaid gap in the city is not modelled.

The first built-in region with a parent: its stack is national < jiangxi < nanchang.
Only the recovery rules are Nanchang's own; every other area is Jiangxi's answer (or the
national one beneath it), whose hooks see Jiangxi's and the national values only.

A region of data alone: every rule is a ``[rules.*]`` table of ``region.toml``.
"""

from __future__ import annotations

from pathlib import Path

PARAMETERS = Path(__file__).with_name("region.toml")
#: yibao.batch may evaluate this layer by shape (docs/batch.md: amounts only in the credit, contributions only in the lapse).
BATCH_CONTRACT = 2
CODE = "nanchang"
