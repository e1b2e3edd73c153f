"""Issue 11, staff cards show what was collected: location (coordinates, distance from the
compound, a map link), both deadlines, the photos right after the card; /queue flags overdue
tickets first and opens them with their photos; the community sees who bounced a ticket."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.flows.conftest import join_resident, join_staff, report
from tests.flows.harness import Harness

SH = ZoneInfo("Asia/Shanghai")


async def test_card_shows_location_deadlines_and_then_the_photos(h: Harness) -> None:
    await join_resident(h, "li", "XGY", "1-1-101")
    await join_staff(h, "wang", "staff", "YJWY")
    before = len(h.seen("wang"))
    await h.say("li", "/report")
    await h.press("li", "rp:c:leak")
    await h.say("li", "卫生间漏水")
    await h.say("li", None, photos=("P1",))
    await h.say("li", None, photos=("P2",))
    await h.press("li", "rp:done")
    await h.say("li", None, location=(40.1421, 117.1205))  # ~100 m north of 兴谷园小区
    await h.press("li", "rp:submit")
    new = h.seen("wang")[before:]
    assert [m.key for m in new] == ["ticket-photos", "ticket-card"]  # the album, captioned, then the card
    photos, card = new
    assert photos.photos == ["P1", "P2"] and card.button_keys[:1] == ["btn-ack"]
    assert "40.14210, 117.12050" in card.text and "距小区约 100 米" in card.text
    assert "https://uri.amap.com/marker?position=117.120500,40.142100" in card.text
    assert "首次响应时限：2026-11-25 12:00" in card.text and "办结时限：2026-11-26 10:00" in card.text
    assert "升级层级" not in card.text


async def test_queue_puts_overdue_first_and_opens_with_photos(h: Harness) -> None:
    await join_resident(h, "li", "XGY", "1-1-101")
    await join_staff(h, "wang", "staff", "YJWY")
    await report(h, "li", "sanitation", "垃圾桶满了")  # first response: Thursday 10:00
    await report(h, "li", "leak", "卫生间漏水", photos=("P9",))  # first response: 12:00
    h.clock.set(datetime(2026, 11, 25, 12, 30, tzinfo=SH))
    await h.say("wang", "/queue")
    page = h.last("wang")
    assert page.key == "queue-head"
    first, second = page.buttons[0], page.buttons[1]
    assert first[0].startswith("⚠️ 超时 · PG-2026-000002") and "超时" not in second[0]
    await h.press("wang", first[1], message_id=page.message_id)
    assert [m.key for m in h.seen("wang")[-2:]] == ["ticket-photos", "ticket-card"]
    assert h.seen("wang")[-2].photos == ["P9"]
    assert "已超时" in h.last("wang").text


async def test_community_card_says_who_bounced_it_and_why(h: Harness) -> None:
    await join_resident(h, "li", "XGY", "1-1-101")
    await join_staff(h, "wang", "staff", "YJWY")
    await join_staff(h, "zhao", "community", "BH-XY")
    await report(h, "li", "parking", "小区门口有僵尸车占道")
    await h.press("wang", h.last("wang").data_for("退回"))
    await h.press("wang", h.last("wang").data_for("不属物业职责"))
    await h.say("wang", "路边停车归社区统一管理")
    await h.press("wang", h.last("wang").data_for("确认转交"))
    card = h.last("zhao")
    assert card.key == "ticket-card"
    assert "宜居物业服务有限公司（wang）退回" in card.text and "路边停车归社区统一管理" in card.text


async def test_resident_view_has_no_internals(h: Harness) -> None:
    await join_resident(h, "li", "XGY", "1-1-101")
    await report(h, "li", "leak", "卫生间漏水")
    await h.say("li", "/my")
    await h.press("li", h.last("li").buttons[0][1])
    shown = "\n".join(h.texts("li")[-2:])
    assert "卫生间漏水" in shown and "升级" not in shown and "层级" not in shown
