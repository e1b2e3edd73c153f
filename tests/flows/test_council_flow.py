"""议事 in chat: refusals and stale buttons in the council's own words, nothing stored."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.models import AggregateEvent, CouncilItem
from tests.flows.conftest import join_resident, join_staff
from tests.flows.harness import Harness


async def _count(h: Harness, model: type) -> int:
    async with h.core.uow_factory() as uow:
        return int((await uow.session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_council_refusals_and_stale_buttons(h: Harness) -> None:
    await join_staff(h, "community", "community", "BH-XY")
    await join_staff(h, "cg", "department", "BH-CG")
    await join_resident(h, "resident", "XGY", "1-1-101")
    await h.say("resident", "/council new")
    assert h.last("resident").key == "error-council-not-allowed"
    await h.say("community", "/council new")
    await h.press("community", h.last("community").data_for("庭院议事会"))
    await h.press("community", h.last("community").data_for("兴谷园小区"))
    await h.say("community", "楼道治理；活动室；2026-12-01 19:00")
    assert h.keys("community")[-2] == "council-scheduled-ok"
    assert "邀请您参加议事会" in h.last("resident").text and "楼道治理" in h.last("resident").text
    await h.press("resident", h.last("resident").data_for("提议题"))
    await h.say("resident", "电动车飞线充电")
    assert h.keys("resident")[-2] == "council-proposed-ok"
    # a resident may not post minutes or accept items; a stranger may not even look
    await h.press("resident", "cc:mn:1")
    await h.press("resident", "cc:a:1:1")
    await h.press("cg", "cc:v:1")
    assert h.answer_keys()[-3:] == [
        "error-council-not-allowed",
        "error-council-refused",
        "error-council-refused",
    ]
    await h.press("community", "cc:a:1:1")
    events = await _count(h, AggregateEvent)
    await h.press("community", "cc:a:1:1")  # the same button again
    assert h.answer_keys()[-1] == "error-council-stale"
    assert await _count(h, AggregateEvent) == events and await _count(h, CouncilItem) == 1
    await h.say("community", "/council 1")
    assert "已列入议程" in h.last("community").text
