"""The fake Bot API with the e2e cast, and the bot on each adapter."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from sandbox.fakeapi import FakeBotApi
from tests.e2e.bot_driver import (
    ADAPTERS,
    COMMUNITY,
    OLD_RESIDENT,
    RESIDENT,
    STAFF,
    STAFF_GROUP,
    Driver,
    prepare_db,
)


@pytest.fixture
async def cast_api() -> AsyncIterator[FakeBotApi]:
    fake = FakeBotApi(limits=None)
    await fake.start()
    fake.add_user(RESIDENT, "李伟")
    fake.add_user(STAFF, "王师傅")
    fake.add_user(COMMUNITY, "马丽")
    fake.add_user(OLD_RESIDENT, "赵淑芬")
    fake.add_group(STAFF_GROUP, "宜居物业工单", is_forum=True, members=[STAFF])
    yield fake
    await fake.stop()
    assert fake.internal_errors == []


@pytest.fixture(params=ADAPTERS)
async def drv(request: pytest.FixtureRequest, cast_api: FakeBotApi, tmp_path: Path) -> AsyncIterator[Driver]:
    """The running bot, once with aiogram and once with python-telegram-bot."""
    db = f"sqlite+aiosqlite:///{tmp_path / 'e2e.db'}"
    await prepare_db(db)
    d = Driver(cast_api, db, request.param)
    await d.start()
    yield d
    await d.stop()
