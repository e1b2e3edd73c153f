"""Item 2 of issue 10: running the bot on either adapter with every logger at DEBUG writes
neither the bot token nor a person's phone or name to the log."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest

from bot.logsafe import REDACTED
from sandbox.fakeapi import FakeBotApi
from tests.e2e.bot_driver import (
    COMMUNITY,
    NUMBER,
    OLD_RESIDENT,
    RESIDENT,
    STAFF,
    STAFF_GROUP,
    Driver,
    join,
    report,
)

PHONE = "13912345678"
NAMES = ("李伟", "王师傅", "马丽")  # the cast's names as Telegram shows them (tests/e2e/conftest.py)
TOKEN = "7012345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@pytest.fixture
async def cast_api() -> AsyncIterator[FakeBotApi]:
    """The e2e cast (tests/e2e/conftest.py) behind a token shaped like a real one."""
    fake = FakeBotApi(limits=None, token=TOKEN)
    await fake.start()
    for user, name in zip((RESIDENT, STAFF, COMMUNITY, OLD_RESIDENT), (*NAMES, "赵淑芬"), strict=True):
        fake.add_user(user, name)
    fake.add_group(STAFF_GROUP, "宜居物业工单", is_forum=True, members=[STAFF])
    yield fake
    await fake.stop()
    assert fake.internal_errors == []


async def test_the_log_holds_no_token_phone_or_name(drv: Driver, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    await join(drv)
    number = await report(drv, RESIDENT, "漏水", f"卫生间顶部漏水，请联系 {PHONE}", photo=True)
    card = await drv.said(STAFF, "卫生间顶部漏水")
    assert number in card["text"] and NUMBER.search(card["text"])
    await drv.tap(STAFF, "受理", "已受理")
    # a library that logs a request URL above its floor, or an error carrying it, is redacted
    url = f"{drv.api.base_url}/bot{TOKEN}/getUpdates"
    logging.getLogger("httpx").warning("HTTP Request: POST %s", url)
    try:
        raise ConnectionError(f"cannot reach {url}")
    except ConnectionError:
        logging.getLogger("bot.outbox").exception("send failed")
    await drv.stop()  # shutting down logs too
    text = "\n".join(logging.Formatter("%(name)s %(message)s").format(r) for r in caplog.records)
    assert "Polling stopped" in text or "Application.stop() complete" in text  # the adapter logged
    assert text.count(REDACTED) >= 2 and f"bot{REDACTED}/getUpdates" in text
    secret = TOKEN.split(":", 1)[1]
    for needle in (TOKEN, secret, TOKEN.replace(":", "%3A"), PHONE, *NAMES, "赵淑芬"):
        assert needle not in text, (needle, [line for line in text.splitlines() if needle in line][:3])
