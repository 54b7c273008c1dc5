"""Hangzhou (杭州市), a city of Zhejiang: the balance is settled (paid out) for a member
without Hangzhou household registration who is insured in no other pooling area, beside
the national grounds; a gap of up to three months paid back restores benefits the month
after the back payment, and costs incurred during the gap are not reimbursed (Hangzhou
pages, L, disputed).

Its stack is national < zhejiang < hangzhou: only the withdrawal grounds (the
``[rules.withdrawal]`` table of ``region.toml``) and the back-payment rule (``[rules.lapse]``) are
Hangzhou's own; every other area is Zhejiang's answer or the national one beneath it.

A region of data alone: every rule is a ``[rules.*]`` table of ``region.toml``.
"""

from __future__ import annotations

from pathlib import Path

PARAMETERS = Path(__file__).with_name("region.toml")
#: yibao.batch may evaluate this layer by shape (docs/batch.md: amounts only in the credit, contributions only in the lapse).
BATCH_CONTRACT = 2
CODE = "hangzhou"
