"""`gongzhi vote tally` on paper ballots: JSON and readable output, refusals naming rows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main

# 甲 holds a+b (150 m²), c (60) and d (40) are one owner each, the developer holds e+f (100):
# 4 owners, 350 m²
ORG = """
district: {code: TD, name: 测试区}
streets:
  - code: TS
    name: 测试街道
    communities:
      - code: TC
        name: 测试社区
        compounds:
          - code: T1
            name: 测试小区
            buildings:
              - code: "1"
                units:
                  - {code: a, area: 100, owner: 甲}
                  - {code: b, area: 50, owner: 甲}
                  - {code: c, area: 60}
                  - {code: d, area: 40}
                  - {code: e, area: 50, developer: true}
                  - {code: f, area: 50, developer: true}
"""


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("GONGZHI_DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.delenv("GONGZHI_BOT_TOKEN", raising=False)
    monkeypatch.delenv("GONGZHI_LOCALE", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "org.yaml").write_text(ORG, encoding="utf-8")
    assert main(["db", "upgrade"]) == 0
    assert main(["org", "import", "org.yaml"]) == 0
    capsys.readouterr()
    return path


def ballots(tmp_path: Path, body: str) -> str:
    (tmp_path / "b.csv").write_text("unit_code,choice\n" + body, encoding="utf-8")
    return "b.csv"


def test_tally_json_and_summary(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # d's later row replaces its 反对; the developer abstains on e (for e and f)
    f = ballots(tmp_path, "a,yes\nc,同意\nd,反对\ne,弃权\nd,yes\n")
    assert main(["vote", "tally", "--compound", "T1", "--kind", "special", f, "--json"]) == 0
    out = capsys.readouterr().out
    # all 4 owners and 350 m² take part; yes 250 m² (5/7 < 3/4) and 3 of 4 owners
    assert json.loads(out) == {
        "kind": "special",
        "total_area": "350.00",
        "total_owners": 4,
        "participating_area": "350.00",
        "participating_owners": 4,
        "yes_area": "250.00",
        "yes_owners": 3,
        "quorum_met": True,
        "passed": False,
    }
    assert out.count("\n") == 1  # exactly one object
    assert main(["vote", "tally", "--compound", "T1", "--kind", "ordinary", f, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["passed"] is True  # 5/7 > 1/2 and 3/4 > 1/2
    assert main(["vote", "tally", "--compound", "T1", "--kind", "ordinary", f]) == 0
    zh = capsys.readouterr().out
    assert "参与表决：面积 350.00 ㎡，4 人" in zh and "结果：通过" in zh
    assert main(["vote", "tally", "--compound", "T1", "--kind", "special", "--lang", "en", f]) == 0
    en = capsys.readouterr().out
    assert "Yes: 250.00 m², 3 owners" in en and "Result: not passed" in en
    # the same ballots saved by a Chinese Excel (GB18030) tally the same
    text = (tmp_path / f).read_text(encoding="utf-8")
    (tmp_path / "gb.csv").write_bytes(text.encode("gb18030"))
    assert main(["vote", "tally", "--compound", "T1", "--kind", "special", "gb.csv", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["yes_area"] == "250.00"


def test_tally_refuses_bad_ballots_naming_them(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = ballots(tmp_path, "a,yes\nzz,yes\nc,maybe\n")
    assert main(["vote", "tally", "--compound", "T1", "--kind", "ordinary", f, "--json"]) == 2
    got = capsys.readouterr()
    assert got.out == ""
    assert "第 3 行：房屋 zz 不在本小区的房屋登记中" in got.err
    assert "第 4 行：无法识别的选择“maybe”" in got.err
    f = ballots(tmp_path, "a,yes\nb,no\nc,yes\n")
    assert main(["vote", "tally", "--compound", "T1", "--kind", "ordinary", "--lang", "en", f]) == 2
    got = capsys.readouterr()
    assert got.out == "" and "The units a, b of one owner carry different choices" in got.err
    (tmp_path / "h.csv").write_text("unit,vote\na,yes\n", encoding="utf-8")
    assert main(["vote", "tally", "--compound", "T1", "--kind", "ordinary", "h.csv"]) == 2
    assert "表头应为 unit_code,choice" in capsys.readouterr().err
    assert main(["vote", "tally", "--compound", "NOPE", "--kind", "ordinary", "h.csv"]) == 2
    assert "找不到这个小区" in capsys.readouterr().err


def test_report_funds_csv_and_xlsx(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import asyncio
    from datetime import UTC, datetime

    from bot.cli import with_uow
    from bot.settings import Settings
    from storage.models import EmergencyFund, FundApplication

    async def seed(uow: Any) -> None:
        t1, td = await uow.org.by_code("T1"), await uow.org.by_code("TD")
        uow.owners.add(EmergencyFund(district_id=td.id, balance_fen=328700000))
        at = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
        for days, amount, actual in ((3, 8600000, 8450050), (8, 100000, None), (None, 5000, None)):
            approved = None if days is None else datetime(2026, 11, 2 + days, 2, 0, tzinfo=UTC)
            uow.owners.add(
                FundApplication(
                    compound_id=t1.id,
                    works="w",
                    amount_fen=amount,
                    actual_fen=actual,
                    created_at=at,
                    approved_at=approved,
                    settled_at=approved if actual else None,
                )
            )

    asyncio.run(with_uow(Settings(), seed))
    assert main(["report", "funds", "--period", "2026Q4", "--lang", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("level,code,name,applications,applied (yuan),settled (yuan)")
    # median of 3 and 8 days (the unapproved one has none)
    assert lines[1:] == [
        "compound,T1,测试小区,3,87050.00,84500.50,,5.5",
        "district,TD,测试区,3,87050.00,84500.50,3287000.00,5.5",
    ]
    assert main(["report", "funds", "--period", "2026Q4", "--format", "xlsx", "--output", "f.xlsx"]) == 0
    assert (tmp_path / "f.xlsx").stat().st_size > 0 and "f.xlsx" in capsys.readouterr().out
