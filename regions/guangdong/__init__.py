"""Guangdong (广东省): the province layer beneath Shenzhen and Guangzhou. A data-only
region: its rules are the ``[rules.*]`` tables of ``region.toml``."""

from __future__ import annotations

from pathlib import Path

PARAMETERS = Path(__file__).with_name("region.toml")
#: yibao.batch may evaluate this layer by shape (docs/batch.md: amounts only in the credit, contributions only in the lapse).
BATCH_CONTRACT = 2
