"""Digest data (services/digest.py) over a seeded day, and who gets a digest when
(services/digest_schedule.py). The clock is Wednesday 25 Nov 2026 10:00 in Beijing; the daily
digest covers Tuesday 08:00 to Wednesday 08:00 (Beijing), i.e. 24 Nov 00:00 to 25 Nov 00:00 UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from services import digest_schedule
from services.accounts import Identity, ensure_account
from services.digest import TrendWeek, build_digest, run_scheduled, scope_for
from storage.clock import FrozenClock
from storage.models import (
    DigestSubscription,
    Notification,
    Role,
    Ticket,
    TicketEvent,
    TicketState,
)
from storage.uow import UowFactory
from tests.storage.governance_seed import add, person, seed_org

SH = ZoneInfo("Asia/Shanghai")
S = TicketState
SINCE = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)  # Tue 08:00 Beijing
UNTIL = datetime(2026, 11, 25, 0, 0, tzinfo=UTC)  # Wed 08:00 Beijing


def utc(mo: int, d: int, h: int = 0) -> datetime:
    return datetime(2026, mo, d, h, tzinfo=UTC)


def sh(mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(2026, mo, d, h, mi, tzinfo=SH)


async def seed_day(f: UowFactory, orgs: dict[str, int]) -> dict[str, Ticket]:
    """The tickets of the module docstring's day; keys are letters used in the assertions."""
    async with f() as uow:
        fixer = await ensure_account(uow, Identity("telegram", "fixer", "chat-fixer", "fixer"))
        T: dict[str, Ticket] = {
            # new in the period, first response missed at 05:00, escalated once
            "A": add(
                uow,
                orgs,
                "XGY",
                "leak",
                utc(11, 24, 3),
                first_response_due=utc(11, 24, 5),
                resolution_due=utc(11, 25, 3),
                escalation_level=1,
            ),
            # new, taken in time: not overdue
            "B": add(
                uow,
                orgs,
                "XGY",
                "sanitation",
                utc(11, 24, 10),
                S.in_progress,
                acknowledged_at=utc(11, 24, 11),
                first_response_due=utc(11, 24, 12),
                resolution_due=utc(11, 26),
                assignee_id=fixer.id,
            ),
            # old, resolution missed on 23 Nov 02:00, at the street level
            "C": add(
                uow,
                orgs,
                "LHY",
                "elevator",
                utc(11, 20),
                S.acknowledged,
                acknowledged_at=utc(11, 20, 1),
                first_response_due=utc(11, 20, 2),
                resolution_due=utc(11, 23, 2),
                escalation_level=2,
            ),
            # new, in the community queue, nobody took it, not yet due
            "D": add(
                uow, orgs, "LHY", "noise", utc(11, 24, 20), queue="community", first_response_due=utc(11, 26)
            ),
            # old, community queue, first response missed on 23 Nov 01:00: the worst
            "E": add(
                uow, orgs, "XGY", "noise", utc(11, 22), queue="community", first_response_due=utc(11, 23, 1)
            ),
            # closed in the period and rated 5 / 3 in it
            "F": add(uow, orgs, "XGY", "leak", utc(11, 20, 5), S.closed, closed_at=utc(11, 24, 6), rating=5),
            "G": add(
                uow, orgs, "LHY", "parking", utc(11, 19, 5), S.closed, closed_at=utc(11, 24, 9), rating=3
            ),
            # closed before the period, rated (1 star) in it
            "H": add(uow, orgs, "XGY", "fees", utc(11, 21, 5), S.closed, closed_at=utc(11, 23), rating=1),
            # another community: only in the street's digest (overdue, at the street level)
            "I": add(
                uow,
                orgs,
                "TYXC",
                "leak",
                utc(11, 23),
                S.in_progress,
                acknowledged_at=utc(11, 23, 1),
                resolution_due=utc(11, 24, 20),
                escalation_level=2,
            ),
            # new but rejected: counts as new, not open
            "J": add(
                uow,
                orgs,
                "XGY",
                "dogs",
                utc(11, 24, 12),
                S.rejected,
                queue="community",
                closed_at=utc(11, 24, 13),
            ),
            # after this digest's moment: open, not new
            "K": add(uow, orgs, "XGY", "greenery", utc(11, 25, 1), first_response_due=utc(11, 26)),
            # older history for the four-week trend
            "L": add(uow, orgs, "XGY", "leak", utc(11, 1), S.closed, closed_at=utc(11, 2)),
            "M": add(uow, orgs, "LHY", "leak", utc(11, 12), S.closed, closed_at=utc(11, 13)),
            "N": add(uow, orgs, "XGY", "leak", utc(10, 1), S.closed, closed_at=utc(10, 2)),
        }
        await uow.flush()
        for key, stars_at in (
            ("F", utc(11, 24, 7)),
            ("G", utc(11, 24, 10)),
            ("H", utc(11, 24, 1)),
            ("L", utc(11, 3)),
        ):
            uow.session.add(
                TicketEvent(
                    ticket_id=T[key].id or 0, at=stars_at, kind="rated", data={"stars": T[key].rating}
                )
            )
        await uow.commit()
    return T


@pytest.fixture
async def orgs(uow_factory: UowFactory) -> dict[str, int]:
    return await seed_org(uow_factory)


async def digest_of(f: UowFactory, org_id: int, role: str) -> Any:
    async with f() as uow:
        return await build_digest(uow, await scope_for(uow, org_id, role), SINCE, UNTIL)


def table(rows: Any) -> dict[str, tuple[int, int, int, int]]:
    return {r.key: (r.counts.new, r.counts.open, r.counts.overdue, r.counts.escalated) for r in rows}


async def test_community_digest_counts_a_seeded_day(uow_factory: UowFactory, orgs: dict[str, int]) -> None:
    T = await seed_day(uow_factory, orgs)
    d = await digest_of(uow_factory, orgs["BH-XY"], "community")
    assert (d.totals.new, d.totals.open, d.totals.overdue, d.totals.escalated) == (4, 6, 3, 2)
    # (new, open, overdue, escalated) per compound, every compound of the community listed
    assert table(d.by_compound) == {"XGY": (3, 4, 2, 1), "LHY": (1, 2, 1, 1)}
    assert [r.name for r in d.by_compound] == ["兴谷园小区", "柳河苑"]
    assert table(d.by_category) == {
        "noise": (1, 2, 1, 0),
        "elevator": (0, 1, 1, 1),
        "greenery": (0, 1, 0, 0),
        "leak": (1, 1, 1, 1),
        "sanitation": (1, 1, 0, 0),
        "dogs": (1, 0, 0, 0),
    }
    assert [r.key for r in d.by_category] == ["noise", "elevator", "greenery", "leak", "sanitation", "dogs"]
    assert d.waiting == 2  # D and E: community queue, nobody took them
    assert d.closed == 2  # F and G (H closed the day before)
    r = d.ratings
    assert (r.count, r.average, r.satisfied, r.basic, r.dissatisfied) == (3, 3.0, 1, 1, 1)
    assert [w.number for w in d.worst] == [T["E"].number, T["C"].number, T["A"].number]
    assert d.worst[0].late == timedelta(days=2, hours=1)  # now is 25 Nov 02:00 UTC
    # four 7-day windows of Beijing days, the last ending with the digest's day (Wed 25 Nov): D,
    # received at 04:00 on the 25th, is in the newest window, labelled up to that day
    assert d.trend == [
        TrendWeek(date(2026, 10, 29), date(2026, 11, 4), 1),
        TrendWeek(date(2026, 11, 5), date(2026, 11, 11), 0),
        TrendWeek(date(2026, 11, 12), date(2026, 11, 18), 1),
        TrendWeek(date(2026, 11, 19), date(2026, 11, 25), 9),
    ]


async def test_manager_digest_covers_the_company_queue(uow_factory: UowFactory, orgs: dict[str, int]) -> None:
    await seed_day(uow_factory, orgs)
    d = await digest_of(uow_factory, orgs["YJWY"], "manager")
    assert (d.totals.new, d.totals.open, d.totals.overdue, d.totals.escalated) == (2, 4, 2, 2)
    assert table(d.by_compound) == {"XGY": (2, 3, 1, 1), "LHY": (0, 1, 1, 1)}
    assert d.waiting == 3  # A, C, K: company queue, nobody took them (B was taken)
    assert (d.closed, d.ratings.count) == (2, 3) and d.plans == []


async def test_street_digest_spans_its_communities(uow_factory: UowFactory, orgs: dict[str, int]) -> None:
    T = await seed_day(uow_factory, orgs)
    d = await digest_of(uow_factory, orgs["BH"], "street")
    assert [r.key for r in d.by_compound] == ["XGY", "LHY", "TYXC"]
    assert table(d.by_compound)["TYXC"] == (0, 1, 1, 1)
    assert (d.totals.open, d.totals.overdue) == (7, 4)
    assert d.waiting == 2  # C and I reached the street
    assert [w.number for w in d.worst] == [T["E"].number, T["C"].number, T["A"].number, T["I"].number]
    xg = await digest_of(uow_factory, orgs["XG"], "street")
    assert (xg.totals.open, xg.closed, xg.worst, xg.ratings.average) == (0, 0, [], None)


async def test_open_and_overdue_agree_with_metrics(
    uow_factory: UowFactory, orgs: dict[str, int], clock: FrozenClock
) -> None:
    metrics = pytest.importorskip("services.metrics")
    await seed_day(uow_factory, orgs)
    d = await digest_of(uow_factory, orgs["BH-XY"], "community")
    async with uow_factory() as uow:
        c = await metrics.community_counts(uow, orgs["BH-XY"], clock.now())
    assert (c.open, c.overdue) == (d.totals.open, d.totals.overdue)


# -- schedule ---------------------------------------------------------------------------------
async def digests(f: UowFactory, clock: FrozenClock, when: datetime) -> list[Notification]:
    """Run the schedule at ``when``; the digest rows it wrote."""
    clock.set(when)
    async with f() as uow:
        before = {n.id for n in (await uow.session.execute(select(Notification))).scalars().all()}
        await run_scheduled(uow, clock.now())
        await uow.commit()
        rows = (
            (
                await uow.session.execute(
                    select(Notification).where(Notification.kind == "digest").order_by(col(Notification.id))
                )
            )
            .scalars()
            .all()
        )
        return [n for n in rows if n.id not in before]


@pytest.fixture
async def people(uow_factory: UowFactory, orgs: dict[str, int]) -> dict[str, int]:
    out = {}
    for name, role, org in (
        ("community", Role.community, "BH-XY"),
        ("manager", Role.manager, "YJWY"),
        ("street", Role.street, "BH"),
        ("admin", Role.admin, "PG"),
        ("resident", Role.resident, "XGY"),
    ):
        out[name] = await person(uow_factory, name, role, org)
    return out


async def test_defaults_send_once_a_day_after_the_local_time(
    uow_factory: UowFactory, clock: FrozenClock, people: dict[str, int], orgs: dict[str, int]
) -> None:
    assert await digests(uow_factory, clock, sh(11, 25, 7, 59)) == []
    rows = await digests(uow_factory, clock, sh(11, 25, 10))
    assert sorted(n.account_id or 0 for n in rows) == sorted([people["community"], people["manager"]])
    community = next(n for n in rows if n.account_id == people["community"])
    assert community.chat_id == "chat-community"
    assert community.payload == {
        "org_id": orgs["BH-XY"],
        "role": "community",
        "kind": "daily",
        "since": SINCE.isoformat(),
        "until": UNTIL.isoformat(),
    }
    assert await digests(uow_factory, clock, sh(11, 25, 10, 20)) == []  # once a day
    async with uow_factory() as uow:
        subs = (await uow.session.execute(select(DigestSubscription))).scalars().all()
        assert {(s.account_id, s.kind, s.enabled, s.local_time, s.last_sent_on) for s in subs} == {
            (people["community"], "daily", True, "08:00", date(2026, 11, 25)),
            (people["manager"], "daily", True, "08:00", date(2026, 11, 25)),
        }
    assert await digests(uow_factory, clock, sh(11, 26, 7, 59)) == []
    assert len(await digests(uow_factory, clock, sh(11, 26, 8, 0))) == 2


async def test_weekly_digest_on_monday_only_and_daily_since_friday(
    uow_factory: UowFactory, clock: FrozenClock, people: dict[str, int], orgs: dict[str, int]
) -> None:
    for day in (27, 28, 29):  # Friday: daily only; weekend: nothing
        rows = await digests(uow_factory, clock, sh(11, day, 9))
        assert len(rows) == (2 if day == 27 else 0) and all(n.payload["kind"] == "daily" for n in rows)
    monday = await digests(uow_factory, clock, sh(11, 30, 8, 0))
    weekly = [n for n in monday if n.payload["kind"] == "weekly"]
    assert [n.account_id for n in weekly] == [people["street"]]
    assert weekly[0].payload["since"] == sh(11, 23, 8).astimezone(UTC).isoformat()
    daily = next(n for n in monday if n.account_id == people["community"])
    assert daily.payload["since"] == sh(11, 27, 8).astimezone(UTC).isoformat()  # Friday's
    tuesday = await digests(uow_factory, clock, sh(12, 1, 9))
    assert {n.payload["kind"] for n in tuesday} == {"daily"}


async def test_no_daily_digest_on_a_holiday_but_on_a_make_up_day(
    uow_factory: UowFactory, clock: FrozenClock, people: dict[str, int]
) -> None:
    assert await digests(uow_factory, clock, sh(10, 1, 9)) == []  # National Day, a Thursday
    assert len(await digests(uow_factory, clock, sh(10, 10, 9))) == 2  # Saturday 10 Oct: 调休 working day
    monday = await digests(uow_factory, clock, sh(10, 12, 9))
    first_after = [n for n in monday if n.account_id == people["community"]]
    assert first_after[0].payload["since"] == sh(10, 10, 8).astimezone(UTC).isoformat()


async def test_personal_time_and_switching_off(
    uow_factory: UowFactory, clock: FrozenClock, people: dict[str, int]
) -> None:
    async with uow_factory() as uow:
        await digest_schedule.set_time(uow, people["community"], "9:30")
        await digest_schedule.set_enabled(uow, people["manager"], False)
        await uow.commit()
    assert await digests(uow_factory, clock, sh(11, 26, 9, 29)) == []
    rows = await digests(uow_factory, clock, sh(11, 26, 9, 30))
    assert [n.account_id for n in rows] == [people["community"]]
    assert rows[0].payload["until"] == sh(11, 26, 9, 30).astimezone(UTC).isoformat()


async def test_bad_time_changes_nothing_and_non_workers_have_no_digest(
    uow_factory: UowFactory, people: dict[str, int]
) -> None:
    from services.errors import DomainError

    async with uow_factory() as uow:
        with pytest.raises(DomainError) as bad:
            await digest_schedule.set_time(uow, people["community"], "25:00")
        assert bad.value.code == "digest_bad_time"
        with pytest.raises(DomainError) as none:
            await digest_schedule.set_enabled(uow, people["resident"], False)
        assert none.value.code == "digest_not_available"
        assert await digest_schedule.settings_of(uow, people["admin"]) == []
        assert await digest_schedule.settings_of(uow, people["community"]) == [
            digest_schedule.Setting("daily", True, "08:00", False)
        ]
        assert (await uow.session.execute(select(DigestSubscription))).scalars().all() == []


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("07:30", "07:30"),
        ("7:05", "07:05"),
        ("23：59", "23:59"),
        ("24:00", None),
        ("7.30", None),
        ("", None),
        ("0730", None),
    ],
)
def test_parse_time(text: str, parsed: str | None) -> None:
    assert digest_schedule.parse_time(text) == parsed


async def test_plan_progress_in_community_and_street_digests(
    uow_factory: UowFactory, orgs: dict[str, int], clock: FrozenClock
) -> None:
    from datetime import date as d

    from services import rectification as rx

    async with uow_factory() as uow:
        plan, _ = await rx.open_plan(uow, None, orgs["XGY"], "2026Q4", "兴谷园整改", ["sanitation"])
        for title, deadline in (
            ("清理堆物", d(2026, 11, 20)),
            ("修路灯", d(2026, 12, 20)),
            ("补绿", d(2026, 11, 1)),
        ):
            item = await rx.add_item(uow, None, plan, "sanitation", title, "YJWY", deadline)
            item.done_at = clock.now() if title == "补绿" else None
        await uow.commit()
    expected = [rx.PlanProgress(plan.id or 0, "兴谷园小区", "2026Q4", "兴谷园整改", 1, 3, 1)]
    assert (await digest_of(uow_factory, orgs["BH-XY"], "community")).plans == expected
    assert (await digest_of(uow_factory, orgs["BH"], "street")).plans == expected
    assert (await digest_of(uow_factory, orgs["YJWY"], "manager")).plans == []
    assert (await digest_of(uow_factory, orgs["XG-JG"], "community")).plans == []


def test_trend_window_ends_with_the_local_day_of_the_digest() -> None:
    from services.digest import trend_window

    # 08:00 in Beijing: today (25 Nov) is the last day; 28 days back is 29 Oct
    assert trend_window(UNTIL, "Asia/Shanghai") == (
        date(2026, 10, 29),
        datetime(2026, 10, 28, 16, tzinfo=UTC),
    )
    # exactly local midnight: the day that just ended is the last one
    midnight = datetime(2026, 11, 25, 16, tzinfo=UTC)
    assert trend_window(midnight, "Asia/Shanghai")[0] == date(2026, 10, 29)
