"""Issue 11, urgent deadlines through the chat: an urgent order on a weekend is due the same
morning, not on Monday."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.flows.conftest import join_resident, report
from tests.flows.harness import Harness

SH = ZoneInfo("Asia/Shanghai")


async def test_saturday_heating_order_is_due_the_same_morning(h: Harness) -> None:
    await join_resident(h, "li", "XGY", "1-1-101")
    h.clock.set(datetime(2026, 12, 5, 8, 5, tzinfo=SH))  # Saturday
    final = await report(h, "li", "heating", "暖气不热，室温只有14度")
    assert h.last("li").key == "report-submitted"
    assert "2026-12-05 10:05" in final
