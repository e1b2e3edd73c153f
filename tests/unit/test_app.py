"""The composition root hands the settings to the services through the unit of work."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.app import uow_factory_for
from bot.settings import Settings
from services import deadlines
from storage.db import create_engine


async def test_settings_reach_the_services(tmp_path: Path) -> None:
    holidays = tmp_path / "holidays.yaml"
    s = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", timezone="Asia/Urumqi",
                 auto_close_days=5, holidays_file=holidays, _env_file=None)  # type: ignore[call-arg]
    engine = create_engine(s.database_url)
    try:
        cfg = deadlines.config(uow_factory_for(s, engine)())
        assert cfg.default_tz == "Asia/Urumqi" and cfg.holidays_file == str(holidays)
        assert cfg.auto_close_after.time == timedelta(days=5)
        # a unit of work built without the root falls back to the documented defaults
        from storage.uow import make_uow_factory

        assert deadlines.config(make_uow_factory(engine)()) == deadlines.DEFAULT_CONFIG
    finally:
        await engine.dispose()
