"""One rule for the reader's language (locales.choose_locale): the language the person chose,
else the one their client reported at first contact, else GONGZHI_LOCALE. Replies,
notifications, refreshed cards and digests all follow it."""

from __future__ import annotations

import re

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import Settings
from locales import choose_locale
from storage.clock import FrozenClock
from tests.flows.conftest import join_resident, join_staff, report, ticket_by_number
from tests.flows.harness import Harness


def test_the_rule() -> None:
    assert choose_locale("en", "zh-hans", "zh_CN") == "en"  # chosen with /lang
    assert choose_locale(None, "en-GB", "zh_CN") == "en"  # the client's language
    assert choose_locale(None, "zh-hant", "en") == "zh_CN"
    assert choose_locale(None, None, "en") == "en"  # GONGZHI_LOCALE
    assert choose_locale("xx", None, "nonsense") == "zh_CN"


async def test_an_english_client_reads_everything_in_english(h: Harness) -> None:
    h.languages.update(amy="en", wang="en")  # both Telegram clients are English; nobody used /lang
    await join_resident(h, "amy", "XGY", "1-1-101")
    await join_staff(h, "wang", "staff", "YJWY")
    await join_staff(h, "zhao", "community", "BH-XY")  # a Chinese client
    final = await report(h, "amy", "leak", "Water dripping from the ceiling")
    found = re.search(r"PG-\d{4}-\d{6}", final)
    assert found, final
    number = found.group()
    card = h.last("wang")
    await h.press("wang", card.data_for("Acknowledge"))
    await h.press("wang", h.last("wang").data_for("Take"))
    await h.press("wang", h.last("wang").data_for("Resolve"))
    await h.say("wang", "Pipe replaced")
    await h.press("amy", h.last("amy").data_for("Fixed"))
    await h.press("amy", h.last("amy").data_for("5★"))
    await h.say("amy", "Thanks")
    t = await ticket_by_number(h, number)
    assert t.state == "closed" and t.rating == 5
    for person in ("amy", "wang"):  # replies, notifications and edited cards alike
        assert {m.locale for m in h.seen(person)} == {"en"}, [(m.key, m.locale) for m in h.seen(person)]
    assert {"notice-acknowledged", "notice-taken", "rated", "comment-saved"} <= set(h.keys("amy"))
    assert any(m.key == "notice-rated" for m in h.seen("wang"))
    assert {m.locale for m in h.seen("zhao")} == {"zh_CN"}
    # a choice made with /lang wins over the client's language
    await h.say("amy", "/lang")
    await h.press("amy", h.last("amy").data_for("简体中文"))
    await h.say("amy", "/my")
    assert h.last("amy").locale == "zh_CN"


async def test_gongzhi_locale_is_the_default_for_notifications(
    engine: AsyncEngine, clock: FrozenClock
) -> None:
    from bot.app import seed_policies
    from services.org_import import import_org, load_org_file
    from tests.flows.conftest import DEMO

    hh = Harness(
        engine,
        clock,
        Settings(database_url="sqlite+aiosqlite://", bot_token=None, locale="en", _env_file=None),
    )  # type: ignore[call-arg]
    await seed_policies(hh.core.uow_factory)
    async with hh.core.uow_factory() as uow:
        await import_org(uow, load_org_file(DEMO))
        await uow.commit()
    hh.languages.update(li="", wang="")  # clients that report no language
    await join_resident(hh, "li", "XGY", "1-1-101")
    await join_staff(hh, "wang", "staff", "YJWY")
    await report(hh, "li", "leak", "漏水")
    await hh.press("wang", hh.last("wang").data_for("Acknowledge"))
    assert any(m.key == "notice-acknowledged" for m in hh.seen("li"))
    assert {m.locale for m in hh.seen("li")} == {"en"} and {m.locale for m in hh.seen("wang")} == {"en"}
