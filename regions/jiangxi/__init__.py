"""Jiangxi (江西省): the 2021 reform from 赣府厅发〔2021〕47号, and family mutual aid for
all near relatives, their medical bills and their resident premiums, with the
conditions the province sets.

Parameters with citations are in ``region.toml`` beside this file, with the credit and
family rules as ``[rules.*]`` tables; what it does not define comes from the national
baseline beneath it. No Jiangxi source gives its own rule on lapses, transfers or
withdrawals, or on receiving a member who moves in: there is no rule for them, and the
national layer answers. A region of data alone.
"""

from __future__ import annotations

from pathlib import Path

PARAMETERS = Path(__file__).with_name("region.toml")
#: yibao.batch may evaluate this layer by shape (docs/batch.md: amounts only in the credit, contributions only in the lapse).
BATCH_CONTRACT = 2
CODE = "jiangxi"
