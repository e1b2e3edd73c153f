"""Issue 11, residents: what they send is not thrown away; edits change one field; the
resolution note stays; they are told who handles the report and what anonymity means."""

from __future__ import annotations

from tests.flows.conftest import join_resident, join_staff, report, ticket_by_number
from tests.flows.harness import Harness


async def test_text_outside_report_is_offered_as_a_report(h: Harness) -> None:
    await join_resident(h, "li", "XGY", "1-1-101")
    await h.say("li", "楼道灯坏了")
    await h.say("li", None, photos=("P1",))  # kept with it
    offer = h.last("li")
    assert offer.key == "report-offer" and "楼道灯坏了" in offer.text
    await h.press("li", offer.data_for("用它报事"))
    await h.press("li", "rp:c:other")
    assert h.last("li").key == "report-prefilled" and "楼道灯坏了" in h.last("li").text
    await h.press("li", "rp:done")
    await h.press("li", "rp:noloc")
    await h.press("li", "rp:submit")
    t = await ticket_by_number(h, "PG-2026-000001")
    assert (t.description, t.photos) == ("楼道灯坏了", ["P1"])


async def test_a_worker_is_not_offered_a_report(h: Harness) -> None:
    await join_staff(h, "wang", "staff", "YJWY")
    await h.say("wang", "你好")
    assert h.last("wang").key == "help-short-worker"


async def test_photo_at_the_description_step(h: Harness) -> None:
    await join_resident(h, "li", "XGY", "1-1-101")
    await h.say("li", "/report")
    await h.press("li", "rp:c:leak")
    await h.say("li", "厨房顶棚渗水", photos=("CAP",))  # a photo with a caption
    assert h.last("li").key == "report-photos"
    await h.press("li", "rp:done")
    await h.press("li", "rp:noloc")
    assert "照片：1 张" in h.last("li").text and "厨房顶棚渗水" in h.last("li").text
    await h.press("li", "rp:cancel")
    await h.say("li", "/report")
    await h.press("li", "rp:c:leak")
    await h.say("li", None, photos=("BARE",))  # no caption: kept, and the text is asked for
    assert h.last("li").key == "report-photo-kept"
    await h.say("li", "卫生间漏水")
    await h.press("li", "rp:done")
    await h.press("li", "rp:noloc")
    assert "照片：1 张" in h.last("li").text and "卫生间漏水" in h.last("li").text


async def test_edit_changes_one_field_and_keeps_the_rest(h: Harness) -> None:
    await join_resident(h, "li", "XGY", "1-1-101")
    await h.say("li", "/report")
    await h.press("li", "rp:c:leak")
    await h.say("li", "卫生间漏水")
    await h.say("li", None, photos=("P1",))
    await h.press("li", "rp:done")
    await h.press("li", "rp:noloc")
    await h.press("li", "rp:edit")
    assert h.last("li").key == "report-edit-which"
    await h.press("li", h.last("li").data_for("类别"))
    await h.press("li", "rp:c:drain")
    review = h.last("li")
    assert review.key == "report-review" and "卫生间漏水" in review.text and "照片：1 张" in review.text
    await h.press("li", "rp:edit")
    await h.press("li", h.last("li").data_for("描述"))
    await h.say("li", "下水道堵塞，卫生间地漏返水")
    review = h.last("li")
    assert review.key == "report-review" and "照片：1 张" in review.text and "下水" in review.text
    assert "社区、街道工作人员看不到" in review.text  # anonymity explained
    await h.press("li", "rp:submit")
    t = await ticket_by_number(h, "PG-2026-000001")
    assert (t.category, t.description, t.photos) == ("drain", "下水道堵塞，卫生间地漏返水", ["P1"])


async def test_resolution_note_stays_after_confirming(h: Harness) -> None:
    await join_resident(h, "li", "XGY", "1-1-101")
    await join_staff(h, "wang", "staff", "YJWY")
    await report(h, "li", "leak", "卫生间漏水")
    await h.press("wang", h.last("wang").data_for("办结"))
    await h.say("wang", "已更换楼上防水层")
    resolved = h.last("li")
    await h.press("li", resolved.data_for("已解决"), message_id=resolved.message_id)
    kept = next(m for m in h.seen("li") if m.message_id == resolved.message_id)
    assert "已更换楼上防水层" in kept.text and kept.buttons == []
    assert "confirm-closed" in h.keys("li")


async def test_resolution_note_stays_after_reopening(h: Harness) -> None:
    await join_resident(h, "li", "XGY", "1-1-101")
    await join_staff(h, "wang", "staff", "YJWY")
    await report(h, "li", "leak", "卫生间漏水")
    await h.press("wang", h.last("wang").data_for("办结"))
    await h.say("wang", "已疏通")
    resolved = h.last("li")
    await h.press("li", resolved.data_for("未解决"), message_id=resolved.message_id)
    kept = next(m for m in h.seen("li") if m.message_id == resolved.message_id)
    assert "已疏通" in kept.text and kept.buttons == []
    assert h.last("li").key == "confirm-reopened"


async def test_resident_is_told_the_community_handles_it_and_why(h: Harness) -> None:
    await join_resident(h, "zhou", "TYXC")  # an old compound: no property company
    await h.press("zhou", "sk:join.unit")
    final = await report(h, "zhou", "leak", "屋顶漏雨")
    assert "没有物业服务企业" in final
    await join_resident(h, "li", "XGY", "1-1-101")
    await join_staff(h, "wang", "staff", "YJWY")
    assert "宜居物业" in await report(h, "li", "parking", "僵尸车占道")
    await h.press("wang", h.last("wang").data_for("退回"))
    await h.press("wang", h.last("wang").data_for("不属物业职责"))
    await h.say("wang", "路边停车归社区统一管理")
    await h.press("wang", h.last("wang").data_for("确认转交"))
    told = h.last("li").text
    assert "宜居物业服务有限公司 认为不属其职责" in told and "路边停车归社区统一管理" in told
