"""Seeded tickets across the demo compounds → exact rates per compound, company, community,
street and district; period boundaries in Beijing local dates; the digest counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services import metrics
from services.metrics import Counts, community_counts, metrics_by_level, scope_metrics
from services.periods import parse_period
from storage.models import TicketState
from storage.uow import UowFactory
from tests.storage.ticket_seed import add_ticket, demo_org

S = TicketState
H = timedelta(hours=1)
D = timedelta(days=1)
T0 = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)  # a Monday, 10:00 in Beijing


async def seed(uow_factory: UowFactory) -> dict[str, int]:
    ids = await demo_org(uow_factory)
    async with uow_factory() as uow:
        # XGY (宜居物业): on time and 满意; late answer and 基本满意; late fix and 不满意; invalid
        await add_ticket(uow, "XGY", T0, state=S.closed, ack=H, resolved=10 * H, closed=D, rating=5)
        await add_ticket(uow, "XGY", T0, state=S.closed, ack=3 * H, resolved=10 * H, closed=D, rating=3)
        await add_ticket(uow, "XGY", T0, state=S.closed, ack=H, resolved=2 * D, closed=3 * D, rating=2)
        await add_ticket(uow, "XGY", T0, state=S.rejected, closed=H, reject_reason="invalid")
        # LHY (宜居物业): in progress; never answered; duplicate
        await add_ticket(uow, "LHY", T0, state=S.in_progress, ack=H)
        await add_ticket(uow, "LHY", T0, state=S.new)
        await add_ticket(uow, "LHY", T0, state=S.rejected, ack=H, closed=H, reject_reason="duplicate")
        # TYXC (老旧小区, community queue): fixed and 满意
        await add_ticket(uow, "TYXC", T0, state=S.closed, ack=H, resolved=5 * H, closed=D, rating=4)
        # JGJY: last quarter only
        await add_ticket(
            uow,
            "JGJY",
            datetime(2026, 9, 20, 2, tzinfo=UTC),
            state=S.closed,
            ack=H,
            resolved=H,
            closed=D,
            rating=1,
        )
        # FJY: 23:30 on 31 December in Beijing is Q4; 00:10 on 1 January is not
        await add_ticket(
            uow,
            "FJY",
            datetime(2026, 12, 31, 15, 30, tzinfo=UTC),
            state=S.closed,
            ack=H,
            resolved=5 * H,
            closed=D,
            rating=3,
        )
        await add_ticket(uow, "FJY", datetime(2026, 12, 31, 16, 10, tzinfo=UTC), state=S.new)
        await uow.commit()
    return ids


def by_code(rows: list) -> dict:  # type: ignore[type-arg]
    return {r.code: r for r in rows}


async def test_compound_level(uow_factory: UowFactory) -> None:
    await seed(uow_factory)
    async with uow_factory() as uow:
        rows = by_code(await metrics_by_level(uow, parse_period("2026Q4"), "compound"))
    assert sorted(rows) == ["FJY", "JGJY", "LHY", "TYXC", "XGY"]
    xgy = rows["XGY"]
    # every deadline of these passed long before the clock's now (25 Nov): nothing pending
    assert xgy.counts == Counts(
        total=4,
        valid=3,
        response_counted=4,
        responded_on_time=3,
        resolution_counted=3,
        resolved=3,
        rated=3,
        satisfied=1,
        basic=1,
        standard_total=3,
        standard_met=1,
    )
    assert (xgy.counts.response_pending, xgy.counts.resolution_pending) == (0, 0)
    assert xgy.rates.response == pytest.approx(0.75)
    assert xgy.rates.resolution == pytest.approx(1.0)
    assert xgy.rates.satisfaction == pytest.approx(1.9 / 3)
    assert xgy.rates.composite == pytest.approx(7.5 + 50 + 40 * 1.9 / 3)
    assert xgy.rates.service_standard == pytest.approx(1 / 3)
    lhy = rows["LHY"]
    assert (lhy.counts.total, lhy.counts.valid, lhy.counts.responded_on_time) == (3, 2, 2)
    # the unanswered one is past its due: a failure, not pending
    assert (lhy.counts.response_counted, lhy.counts.resolution_counted) == (3, 2)
    # nothing resolved is a real 0 %; nobody rated is unknown, and so is the composite
    assert lhy.rates.resolution == 0.0 and lhy.rates.satisfaction is None and lhy.rates.composite is None
    assert lhy.rates.service_standard == 0.0
    tyxc = rows["TYXC"]
    assert tyxc.rates.satisfaction == 1.0 and tyxc.rates.service_standard is None  # no company
    jgjy = rows["JGJY"]
    assert jgjy.counts == Counts() and jgjy.rates.response is None and jgjy.rates.resolution is None
    fjy = rows["FJY"]
    assert fjy.counts.total == 1 and fjy.rates.satisfaction == pytest.approx(0.9)
    assert fjy.rates.service_standard == 1.0
    # received "after" the clock's now, but answered and resolved: counted, on time
    assert (fjy.rates.response, fjy.rates.resolution, fjy.counts.response_pending) == (1.0, 1.0, 0)


async def test_company_community_street_district(uow_factory: UowFactory) -> None:
    ids = await seed(uow_factory)
    q4 = parse_period("2026Q4")
    async with uow_factory() as uow:
        companies = by_code(await metrics_by_level(uow, q4, "company"))
        communities = by_code(await metrics_by_level(uow, q4, "community"))
        streets = by_code(await metrics_by_level(uow, q4, "street"))
        district = by_code(await metrics_by_level(uow, q4, "district"))
        scoped = await scope_metrics(uow, ids["YJWY"], q4)
    assert sorted(companies) == ["HTWY", "YJWY"]  # TYXC has no company
    yj = companies["YJWY"]
    assert yj.compounds == 2
    assert yj.counts == Counts(
        total=7,
        valid=5,
        response_counted=7,
        responded_on_time=5,
        resolution_counted=5,
        resolved=3,
        rated=3,
        satisfied=1,
        basic=1,
        standard_total=5,
        standard_met=1,
    )
    assert yj.rates.response == pytest.approx(5 / 7)
    assert yj.rates.resolution == pytest.approx(0.6)
    assert yj.rates.composite == pytest.approx(10 * 5 / 7 + 50 * 0.6 + 40 * 1.9 / 3)
    assert yj.rates.service_standard == pytest.approx(0.2)
    assert scoped is not None and scoped.counts == yj.counts and scoped.rates == yj.rates
    assert communities["BH-XY"].counts == yj.counts
    assert communities["BH-TY"].counts.total == 1
    assert communities["XG-JG"].counts == companies["HTWY"].counts
    bh = streets["BH"]
    assert bh.compounds == 3
    assert (bh.counts.total, bh.counts.valid, bh.counts.resolved, bh.counts.rated) == (8, 6, 4, 4)
    assert bh.rates.response == pytest.approx(0.75)
    assert bh.rates.resolution == pytest.approx(4 / 6)
    assert bh.rates.satisfaction == pytest.approx((2 + 0.9) / 4)
    assert streets["XG"].counts.total == 1
    assert district["PG"].counts.total == 9 and district["PG"].compounds == 5


async def test_other_periods_and_within(uow_factory: UowFactory) -> None:
    ids = await seed(uow_factory)
    async with uow_factory() as uow:
        q3 = by_code(await metrics_by_level(uow, parse_period("2026Q3"), "compound"))
        dec = by_code(await metrics_by_level(uow, parse_period("2026-12"), "compound"))
        jan = by_code(await metrics_by_level(uow, parse_period("2027-01"), "compound"))
        span = by_code(await metrics_by_level(uow, parse_period("2026-09-20..2026-11-02"), "street"))
        xg_only = by_code(await metrics_by_level(uow, parse_period("2026Q4"), "compound", within=ids["XG"]))
    assert q3["JGJY"].counts.total == 1 and q3["JGJY"].rates.satisfaction == 0.0
    assert q3["XGY"].counts.total == 0
    assert dec["FJY"].counts.total == 1 and jan["FJY"].counts.total == 1
    assert span["BH"].counts.total == 8 and span["XG"].counts.total == 1
    assert sorted(xg_only) == ["FJY", "JGJY"]


async def test_community_counts_open_overdue_new(uow_factory: UowFactory, clock) -> None:  # type: ignore[no-untyped-def]
    await demo_org(uow_factory)
    now = clock.now()  # 2026-11-25 02:00 UTC
    async with uow_factory() as uow:
        await add_ticket(uow, "XGY", T0, state=S.in_progress, ack=H)  # past resolution due
        await add_ticket(uow, "LHY", T0, state=S.new)  # never answered, past first-response due
        await add_ticket(uow, "LHY", now - 3 * H, state=S.new, respond_within=4 * H)  # not yet due
        await add_ticket(uow, "XGY", now - 2 * H, state=S.closed, ack=H, resolved=H, closed=H)
        await add_ticket(uow, "XGY", T0, state=S.closed, ack=H, resolved=H, closed=H)
        await add_ticket(uow, "TYXC", now - H, state=S.new)  # another community
        await uow.commit()
    async with uow_factory() as uow:
        community = await uow.org.by_code("BH-XY")
        assert community is not None and community.id is not None
        counts = await community_counts(uow, community.id, now)
        week = await community_counts(uow, community.id, now, since=now - 7 * D)
    assert (counts.open, counts.overdue, counts.new) == (3, 2, 2)
    assert week.new == 2


async def test_rectification_part_comes_from_the_rectification_queries(
    uow_factory: UowFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = await seed(uow_factory)
    calls: list[list[int]] = []

    async def share(uow: object, org_ids: list[int], start: datetime, end: datetime) -> float | None:
        calls.append(org_ids)
        assert (start, end) == parse_period("2026Q4").bounds()
        return 0.5 if org_ids == [ids["YJWY"]] else None

    monkeypatch.setattr(metrics, "items_on_time_share", share)
    async with uow_factory() as uow:
        rows = by_code(await metrics_by_level(uow, parse_period("2026Q4"), "company"))
        scoped = await scope_metrics(uow, ids["HTWY"], parse_period("2026Q4"))
    assert rows["YJWY"].rates.rectification == 0.5 and rows["HTWY"].rates.rectification is None
    assert scoped is not None and scoped.rates.rectification is None
    assert sorted(calls) == sorted([[ids["YJWY"]], [ids["HTWY"]], [ids["HTWY"]]])
