"""Helpers for the command-line tests: a sandbox database as `gongzhi sandbox` leaves it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlmodel import select

from bot.app import uow_factory_for
from bot.settings import Settings
from sandbox.people import DEMO_ORG_FILE, seed_people
from services.org_import import import_org, load_org_file
from storage.db import create_engine
from storage.migrate import upgrade
from storage.models import Account


def seed_sandbox_database(settings: Settings, phones: dict[str, str] | None = None) -> Path:
    """Schema, demo org and demo people in settings.sandbox_dir (no server started); `phones`
    gives some people (by name) a phone number. Returns the database file."""
    asyncio.run(_seed(settings, phones or {}))
    path = settings.sandbox_dir / "sandbox.db"
    assert path.is_file()
    return path


async def _seed(settings: Settings, phones: dict[str, str]) -> None:
    settings.sandbox_dir.mkdir(parents=True, exist_ok=True)
    engine = create_engine(settings.sandbox_database_url())
    try:
        await upgrade(engine)
        doc = load_org_file(DEMO_ORG_FILE)
        async with uow_factory_for(settings, engine)() as uow:
            await import_org(uow, doc)
            await seed_people(uow, doc)
            for account in (await uow.session.execute(select(Account))).scalars():
                if account.display_name in phones:
                    account.phone = phones[account.display_name]
            await uow.commit()
    finally:
        await engine.dispose()
