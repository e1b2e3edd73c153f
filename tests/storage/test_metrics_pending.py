"""Rates that do not mislead: tickets still within their deadlines are pending (neither a
success nor a failure) and reported beside the rates; a re-route to the community restarts
the first response in the metrics and the digests; bounced tickets are counted per company.
The clock is 25 Nov 2026 02:00 UTC (10:00 in Beijing)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.digest import build_digest, scope_for
from services.metrics import Counts, community_counts, metrics_by_level, scope_metrics
from services.periods import parse_period
from storage.clock import FrozenClock
from storage.models import TicketState
from storage.uow import UowFactory
from tests.storage.ticket_seed import add_rerouted, add_ticket, demo_org

S = TicketState
M = timedelta(minutes=1)
H = timedelta(hours=1)
D = timedelta(days=1)
T0 = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
Q4 = parse_period("2026Q4")


def by_code(rows: list) -> dict:  # type: ignore[type-arg]
    return {r.code: r for r in rows}


async def test_a_minute_after_the_first_ticket_no_rate_is_a_failure(
    uow_factory: UowFactory, clock: FrozenClock
) -> None:
    ids = await demo_org(uow_factory)
    async with uow_factory() as uow:
        await add_ticket(uow, "XGY", clock.now() - M)  # due in 2 h (answer) and 1 day (fix)
        await uow.commit()
    async with uow_factory() as uow:
        m = await scope_metrics(uow, ids["YJWY"], Q4)
    assert m is not None
    assert m.counts == Counts(total=1, valid=1)
    assert (m.counts.response_pending, m.counts.resolution_pending) == (1, 1)
    assert (m.rates.response, m.rates.resolution, m.rates.service_standard, m.rates.composite) == (None,) * 4


async def test_pending_and_decided_tickets_by_hand(uow_factory: UowFactory, clock: FrozenClock) -> None:
    await demo_org(uow_factory)
    now = clock.now()
    async with uow_factory() as uow:
        # a: a minute old, nothing due yet                    → pending, pending
        await add_ticket(uow, "XGY", now - M)
        # b: 3 h old, never answered: the 2 h answer is missed → failure, resolution pending
        await add_ticket(uow, "XGY", now - 3 * H)
        # c: 30 min old, answered after 10 min               → on time, resolution pending
        await add_ticket(uow, "XGY", now - 30 * M, state=S.acknowledged, ack=10 * M)
        # d: 2 days old, answered in 1 h, the 1-day fix missed → on time, failure
        await add_ticket(uow, "XGY", now - 2 * D, state=S.in_progress, ack=H)
        # e: 3 days old, answered in 1 h, fixed in 5 h          → on time, resolved
        await add_ticket(uow, "XGY", now - 3 * D, state=S.resolved, ack=H, resolved=5 * H)
        await uow.commit()
    async with uow_factory() as uow:
        xgy = by_code(await metrics_by_level(uow, Q4, "compound"))["XGY"]
    c, r = xgy.counts, xgy.rates
    assert c == Counts(
        total=5,
        valid=5,
        response_counted=4,
        responded_on_time=3,
        resolution_counted=2,
        resolved=1,
        standard_total=3,
        standard_met=1,
    )
    assert (c.response_pending, c.resolution_pending) == (1, 3)
    assert r.response == pytest.approx(3 / 4)  # b failed; a not counted
    assert r.resolution == pytest.approx(1 / 2)  # d failed; a, b, c not counted
    assert r.service_standard == pytest.approx(1 / 3)  # e met; b and d missed; a and c open


async def seed_reroutes(uow_factory: UowFactory) -> dict[str, int]:
    ids = await demo_org(uow_factory)
    async with uow_factory() as uow:
        # each acknowledged by the company after 30 min and passed to the community after 1 h:
        # the community's first response is due 2 h after the re-route (T0 + 3 h)
        r = {
            "R1": await add_rerouted(uow, "XGY", T0, acknowledged=30 * M, rerouted=H, from_code="YJWY"),
            "R2": await add_rerouted(
                uow, "XGY", T0, acknowledged=30 * M, rerouted=H, answered=2 * H, from_code="YJWY"
            ),
            # an old event without "from": the compound's company bounced it; answered late
            "R3": await add_rerouted(uow, "LHY", T0, acknowledged=30 * M, rerouted=H, answered=5 * H),
            "R4": await add_rerouted(uow, "JGJY", T0, acknowledged=30 * M, rerouted=H, from_code="HTWY"),
            # "from" names the company that let it go, whichever compound it is in
            "R5": await add_rerouted(
                uow, "XGY", T0, acknowledged=30 * M, rerouted=H, answered=2 * H, from_code="HTWY"
            ),
        }
        await uow.commit()
    return {**ids, **{k: t.id or 0 for k, t in r.items()}}


async def test_reroute_restarts_the_first_response_and_bounces_count_per_company(
    uow_factory: UowFactory,
) -> None:
    await seed_reroutes(uow_factory)
    async with uow_factory() as uow:
        compounds = by_code(await metrics_by_level(uow, Q4, "compound"))
        companies = by_code(await metrics_by_level(uow, Q4, "company"))
        communities = by_code(await metrics_by_level(uow, Q4, "community"))
    xgy = compounds["XGY"].counts
    # R1: the company's acknowledgement does not answer for the community, which never did
    assert (xgy.total, xgy.response_counted, xgy.responded_on_time, xgy.bounced) == (3, 3, 2, 3)
    assert (compounds["LHY"].counts.responded_on_time, compounds["LHY"].counts.bounced) == (0, 1)
    assert (compounds["JGJY"].counts.responded_on_time, compounds["JGJY"].counts.bounced) == (0, 1)
    yj, ht = companies["YJWY"], companies["HTWY"]
    assert (yj.counts.total, yj.counts.responded_on_time, yj.counts.bounced) == (4, 2, 3)  # R1, R2, R3
    assert yj.rates.response == pytest.approx(2 / 4)
    assert (ht.counts.total, ht.counts.bounced) == (1, 2)  # R4, R5
    # the community queue's tickets are not the company's service standard; fixes not due yet
    assert yj.rates.service_standard is None and yj.counts.standard_total == 0
    assert (yj.rates.resolution, yj.counts.resolution_pending) == (None, 4)
    assert communities["BH-XY"].counts.bounced == 4  # bounced tickets of its compounds


async def test_digest_counts_a_rerouted_ticket_nobody_answered_as_overdue(
    uow_factory: UowFactory, clock: FrozenClock
) -> None:
    ids = await seed_reroutes(uow_factory)
    now = clock.now()
    async with uow_factory() as uow:
        counts = await community_counts(uow, ids["BH-XY"], now)
        data = await build_digest(uow, await scope_for(uow, ids["BH-XY"], "community"), now - D, now)
    assert (counts.open, counts.overdue) == (4, 1)  # R1, R2, R3, R5 open; R1 unanswered
    assert (data.totals.open, data.totals.overdue) == (4, 1)
    assert [w.ticket_id for w in data.worst] == [ids["R1"]]
    assert data.worst[0].due == T0 + 3 * H
