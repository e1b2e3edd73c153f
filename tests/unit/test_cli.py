"""The command line on a fresh SQLite file: db upgrade, org import, invites."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli import main
from storage.migrate import head_revision

DEMO = Path(__file__).resolve().parents[2] / "examples" / "pinggu-demo.yaml"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("GONGZHI_DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.setenv("GONGZHI_BOT_USERNAME", "pinggu_bot")
    monkeypatch.delenv("GONGZHI_BOT_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return path


def test_commands_refuse_a_missing_database_without_creating_it(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["org", "import", str(DEMO)]) == 2
    assert "gongzhi db upgrade" in capsys.readouterr().err
    assert not db.exists()


def test_upgrade_import_invite(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    assert f"{head_revision()}（最新：{head_revision()}）" in capsys.readouterr().out
    assert main(["org", "import", str(DEMO)]) == 0
    first = capsys.readouterr().out
    assert main(["org", "import", str(DEMO)]) == 0
    second = capsys.readouterr().out
    assert "房屋：新增 144" in first and "房屋：新增 0，更新 0，未变 144" in second
    assert main(["invite", "--role", "staff", "--org", "YJWY"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"https://t\.me/pinggu_bot\?start=inv_[A-Za-z0-9_-]{8,}", out)
    assert main(["invite", "--role", "resident", "--org", "XGY"]) == 0
    assert "https://t.me/pinggu_bot?start=c_XGY" in capsys.readouterr().out
    assert main(["invite", "--role", "staff", "--org", "NOPE"]) == 2
    assert "找不到组织 NOPE" in capsys.readouterr().err
    assert main(["invite", "--role", "staff", "--org", "XGY"]) == 2  # staff belong to a company
    assert "不能授予" in capsys.readouterr().err


def test_bad_org_file_is_rejected_with_its_reason(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("district: {code: 'bad code!', name: x}\n", encoding="utf-8")
    assert main(["org", "import", str(bad)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "组织文件有误（1 个问题），未导入任何数据：",
        "district.code：代码“bad code!”应为 1 到 40 个字母、数字、- 或 _",
    ]


def test_the_hotline_sample_imports_once(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sample = DEMO.with_name("hotline-sample.csv")
    assert main(["db", "upgrade"]) == 0
    assert main(["org", "import", str(DEMO)]) == 0
    capsys.readouterr()
    assert main(["hotline", "import", str(sample)]) == 0
    assert "新建工单 4 件，重复 0 行（已跳过），拒收 0 行" in capsys.readouterr().out
    assert main(["hotline", "import", str(sample)]) == 0
    assert "新建工单 0 件，重复 4 行（已跳过），拒收 0 行" in capsys.readouterr().out
    assert main(["sla", "list"]) == 0
    assert "* · urgent · 首次响应 2h" in capsys.readouterr().out
