"""The composition root hands the settings to the services, typed, through the unit of work."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.app import domain_config, uow_factory_for
from bot.settings import Settings
from storage.config import DomainConfig
from storage.db import create_engine
from storage.uow import make_uow_factory


async def test_settings_reach_the_services(tmp_path: Path) -> None:
    holidays = tmp_path / "holidays.yaml"
    s = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}",
        timezone="Asia/Urumqi",
        locale="en",
        auto_close_days=5,
        holidays_file=holidays,
        max_photos=3,
        _env_file=None,
    )  # type: ignore[call-arg]
    engine = create_engine(s.database_url)
    try:
        cfg = uow_factory_for(s, engine)().config
        assert cfg == domain_config(s)
        assert (cfg.timezone, cfg.locale, cfg.holidays_file) == ("Asia/Urumqi", "en", str(holidays))
        assert cfg.auto_close_after == timedelta(days=5) and cfg.max_photos == 3
        # a unit of work built without the root falls back to the documented defaults
        assert make_uow_factory(engine)().config == DomainConfig()
    finally:
        await engine.dispose()
