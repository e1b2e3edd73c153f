"""The 六个一点 ledger: totals by source in the six sources' order, received vs pledged, the
progress bar (floored), names only with consent, surplus and shortfall."""

from __future__ import annotations

from datetime import UTC, date, datetime

from services.campaign_ledger import ledger, progress_bar
from services.campaigns import Source
from storage.models import Campaign, CampaignEntry

AT = datetime(2026, 11, 25, tzinfo=UTC)


def entry(kind: str, source: Source, fen: int, giver: str = "", public: bool = False) -> CampaignEntry:
    return CampaignEntry(
        campaign_id=1, kind=kind, source=source.value, amount_fen=fen, giver=giver, public=public, at=AT
    )


def test_ledger_totals_names_and_final_account() -> None:
    c = Campaign(
        id=1, compound_id=1, purpose="铺路", target_fen=13460000, end_date=date(2026, 12, 31), created_at=AT
    )
    entries = [
        entry("pledge", Source.owners, 50000, "王秀兰", public=True),
        entry("pledge", Source.owners, 30000, "李建国"),  # not agreed to be named
        entry("receipt", Source.government, 8000000, "区政府", public=True),  # a receipt names nobody
        entry("pledge", Source.property, 1000000, "宜居物业", public=True),
        entry("receipt", Source.owners, 80000),
    ]
    led = ledger(c, entries)
    assert [(x.source, x.pledged_fen, x.received_fen) for x in led.lines] == [
        (Source.government, 0, 8000000),
        (Source.property, 1000000, 0),
        (Source.owners, 80000, 80000),
    ]
    assert (led.pledged_fen, led.received_fen, led.percent, led.bar) == (1080000, 8080000, 60, "▓▓▓▓▓▓░░░░")
    assert led.names == [("王秀兰", 50000), ("宜居物业", 1000000)]
    assert (led.final_cost_fen, led.balance_fen) == (None, None)
    c.final_cost_fen = 8100000  # ¥200 more than received: a shortfall
    assert ledger(c, entries).balance_fen == -20000


def test_progress_bar_edges() -> None:
    assert progress_bar(0, 100) == (0, "░" * 10)
    assert progress_bar(99, 100) == (99, "▓" * 9 + "░")  # floored: never "done" before it is
    assert progress_bar(150, 100) == (150, "▓" * 10)
    assert progress_bar(5, 0) == (0, "░" * 10)
