"""``policy move --format markdown`` speaks the language asked for (``--lang zh`` was
ignored: the document came out in English), and writes a disputed value as people read
it (``= no``, not Python's ``False``)."""

from __future__ import annotations

from conftest import ROOT
from test_cli import run

MEMBER = str(ROOT / "examples" / "member.json")


def markdown(tmp_path, lang: str) -> str:
    result = run(["move", "shenzhen", "zhejiang", "--member", MEMBER, "--on", "2026-08-01", "--format", "markdown", "--lang", lang], tmp_path)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_move_markdown_in_chinese(tmp_path):
    text = markdown(tmp_path, "zh")
    assert text.startswith("### 深圳市 -> 浙江省,2026-08-01 转移")
    assert "1. 在浙江省参加职工医保:参保后申请转移。 [1]" in text
    assert "步骤:" in text and "依据:" in text and "Steps:" not in text and "Enrol" not in text
    assert "| 转移障碍 | 无 |" in text
    assert "有争议:余额随医保关系转移 = 否" in text


def test_move_markdown_in_english_writes_values_as_people_read_them(tmp_path):
    text = markdown(tmp_path, "en")
    assert text.startswith("### Shenzhen 深圳市 -> Zhejiang 浙江省, moving on 2026-08-01")
    assert "disputed: balance_moves_with_relationship = no per" in text and "= False" not in text
