from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from sandbox.fakeapi import FakeBotApi

# The test modules repeat these ids (they do not import conftest).
USER = 1001
OTHER = 1002
FORUM = -1001000000001
GROUP = -1001000000002


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    fake = FakeBotApi(limits=None)
    await fake.start()
    fake.add_user(USER, "Li Wei", username="liwei")
    fake.add_user(OTHER, "Wang Fang")
    fake.add_group(FORUM, "Staff desk", is_forum=True, members=[USER, OTHER])
    fake.add_group(GROUP, "Residents", members=[USER])
    yield fake
    await fake.stop()
    assert fake.internal_errors == []


@pytest.fixture
async def abot(api: FakeBotApi) -> AsyncIterator[Bot]:
    bot = Bot(api.token, session=AiohttpSession(api=TelegramAPIServer.from_base(api.base_url)))
    yield bot
    await bot.session.close()
