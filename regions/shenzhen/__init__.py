"""Shenzhen (深圳市): tiers 1 and 2 under Decree 358, the next-month recovery after a gap,
paying relatives' Shenzhen resident premiums and province-wide mutual aid at designated
institutions, and its own withdrawal grounds. A tier-2 member has no account, and every
area says so the same way on every date.

A region of data alone: its parameters, with citations, and every rule, as ``[rules.*]``
tables, are in ``region.toml`` beside this file; what it does not define comes from
Guangdong and the national baseline beneath it.
"""

from __future__ import annotations

from pathlib import Path

PARAMETERS = Path(__file__).with_name("region.toml")
#: yibao.batch may evaluate this layer by shape (docs/batch.md: amounts only in the credit, contributions only in the lapse).
BATCH_CONTRACT = 2
CODE = "shenzhen"
