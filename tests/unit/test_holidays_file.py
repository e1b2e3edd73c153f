"""A holiday override the bot cannot use stops `gongzhi run` with what is wrong (it used
to start and then fail every submit); a year without make-up working days is warned about
at start and in `gongzhi sla list`."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest

from bot import cli
from bot.app import check_calendar
from bot.settings import Settings
from services.calendar import BusinessCalendar, HolidayFileInvalid, years_without_workdays

BAD_FILES = {
    "missing": (None, "无法打开"),
    "both": (
        "holidays: [2027-02-10]\nworkdays: [2027-02-10]\n",
        "同时列在 holidays 和 workdays 中：2027-02-10",
    ),
    "yaml": ("holidays: [2027-02-10\nworkdays: [", "不是有效的 YAML"),
    "keys": ("holiday: [2027-02-10]\n", "未知的键：holiday"),
    "date": ("holidays: [2027-02-31]\n", "“2027-02-31”不是日期"),
    "shape": ("- 2027-02-10\n", "格式不对"),
}


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "bot.db"
    db.touch()
    monkeypatch.setenv("GONGZHI_DATABASE_URL", f"sqlite+aiosqlite:///{db}")
    monkeypatch.setenv("GONGZHI_BOT_TOKEN", "123456:TEST")
    monkeypatch.setenv("GONGZHI_TELEGRAM_API_BASE", "http://127.0.0.1:9")
    monkeypatch.chdir(tmp_path)  # no stray .env

    def never(*a: object, **k: object) -> None:
        raise AssertionError("the bot must not start")

    monkeypatch.setattr("bot.adapters.choice.make_runtime", never)
    return tmp_path


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_run_refuses_a_bad_holiday_file(
    case: str, env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    content, says = BAD_FILES[case]
    path = env / "holidays.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    monkeypatch.setenv("GONGZHI_HOLIDAYS_FILE", str(path))
    assert cli.main(["run"]) == 2
    err = capsys.readouterr().err
    assert says in err and str(path) in err and "Traceback" not in err


def test_a_good_file_passes_and_a_year_without_workdays_is_warned(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    good = tmp_path / "holidays.yaml"
    good.write_text("holidays: [2027-02-10]\nworkdays: [2027-02-07]\n", encoding="utf-8")
    settings = Settings(holidays_file=good, _env_file=None)  # type: ignore[call-arg]
    with caplog.at_level(logging.WARNING):
        assert check_calendar(settings, today=date(2026, 12, 6)) == []
        plain = Settings(_env_file=None)  # type: ignore[call-arg]
        assert check_calendar(plain, today=date(2026, 12, 6)) == [2027]
    assert [r.getMessage() for r in caplog.records if "2027" in r.getMessage()] == [
        "⚠️ 日历中没有 2027 年的调休上班日：该年的时限按普通周末计算。"
        "请更新 holidays 包，或在 GONGZHI_HOLIDAYS_FILE 的 workdays 中列出。"
    ]
    with pytest.raises(HolidayFileInvalid):
        check_calendar(Settings(holidays_file=tmp_path / "nope.yaml", _env_file=None))  # type: ignore[call-arg]


def test_years_without_workdays() -> None:
    cal = BusinessCalendar.china(years=(2026, 2027))
    assert years_without_workdays(cal, (2026, 2027)) == [2027]
