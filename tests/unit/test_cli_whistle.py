"""`gongzhi sla whistle` edits the whistle deadline rows; `invite --role department` works."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main

DEMO = Path(__file__).resolve().parents[2] / "examples" / "pinggu-demo.yaml"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("GONGZHI_DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.setenv("GONGZHI_BOT_USERNAME", "pinggu_bot")
    monkeypatch.delenv("GONGZHI_BOT_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    return path


def test_whistle_deadlines_are_policy_rows(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    assert main(["sla", "list"]) == 0
    out = capsys.readouterr().out
    assert (
        "应急：报到 15m (24x7)，到场 30m (24x7)" in out
        and "日常：报到 4h (business)，到场 2bd (business)" in out
    )
    assert main(["sla", "whistle", "hard", "--report-in", "4h"]) == 0
    assert "攻坚：报到 4h (business)，到场 3bd (business)" in capsys.readouterr().out
    assert main(["org", "import", str(DEMO)]) == 0
    capsys.readouterr()
    assert main(["invite", "--role", "department", "--org", "BH-WYB"]) == 0
    assert "inv_" in capsys.readouterr().out
