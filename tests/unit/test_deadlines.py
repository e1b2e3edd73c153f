"""Pure parts of the deadline machinery: clocks read from events, plans (checkpoints), spans,
late texts, the client-side rate limiter and the scheduler job. No database, no sleeping."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.ratelimit import RateLimiter, SendLimits, Window
from bot.scheduler import TICK_JOB_ID, build_scheduler
from handlers.notices_deadlines import late_text
from locales import render
from services.calendar import BusinessCalendar, WorkingHours
from services.deadlines import History, history, make_plan
from services.errors import DomainError
from services.sla import format_span, parse_span
from services.sla_defaults import SlaTarget, Span, default_sla_targets
from storage.config import DomainConfig
from storage.models import Priority, Queue, Ticket, TicketEvent, TicketState

SH = ZoneInfo("Asia/Shanghai")
BER = ZoneInfo("Europe/Berlin")
UTC = UTC
H = timedelta(hours=1)
TARGETS = {t.priority: t for t in default_sla_targets()}
LEVEL1 = Span("business", business_days=1)


def sh(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=SH)


@pytest.fixture(scope="module")
def cn() -> BusinessCalendar:
    return BusinessCalendar.china(years=[2026])


def ticket(
    created: datetime,
    priority: str = "normal",
    state: TicketState = TicketState.new,
    level: int = 0,
    resolved_at: datetime | None = None,
) -> Ticket:
    return Ticket(
        id=1,
        number="PG-2026-000001",
        compound_id=1,
        category="sanitation",
        priority=Priority(priority),
        description="x",
        queue=Queue.property,
        queue_org_id=1,
        state=state,
        escalation_level=level,
        created_at=created,
        updated_at=created,
        resolved_at=resolved_at,
    )


def ev(kind: str, at: datetime, **data: object) -> TicketEvent:
    return TicketEvent(ticket_id=1, at=at, kind=kind, data=dict(data))


def at_of(plan_points: object, kind: str, target: str) -> list[datetime]:
    return [c.at for c in plan_points if c.kind == kind and c.target == target]  # type: ignore[attr-defined]


def test_history_reads_pauses_anchors_and_first_response() -> None:
    t = ticket(sh(2026, 11, 25, 10))
    h = history(
        t,
        [
            ev("created", sh(2026, 11, 25, 10)),
            ev("asked", sh(2026, 11, 25, 16)),
            ev("resident_message", sh(2026, 11, 26, 9)),
            ev("asked", sh(2026, 11, 26, 11)),
        ],
    )
    assert h.first_met and h.first_anchor == h.resolution_anchor == sh(2026, 11, 25, 10)
    assert h.pauses == ((sh(2026, 11, 25, 16), sh(2026, 11, 26, 9)), (sh(2026, 11, 26, 11), None))
    h2 = history(
        t,
        [
            ev("acknowledged", sh(2026, 11, 25, 11)),
            ev("rerouted", sh(2026, 11, 25, 12)),
            ev("escalated", sh(2026, 11, 25, 13)),
            ev("reopened", sh(2026, 11, 27, 9)),
        ],
    )
    assert not h2.first_met  # the new queue has not answered yet
    assert h2.first_anchor == sh(2026, 11, 25, 12) and h2.resolution_anchor == sh(2026, 11, 27, 9)
    assert h2.level_anchor == sh(2026, 11, 27, 9)  # a reopen restarts the level clock


def test_normal_ticket_plan_counts_business_time(cn: BusinessCalendar) -> None:
    t = ticket(sh(2026, 9, 30, 16, 30))  # Wed before National Day (Oct 1-7; Sat Oct 10 works)
    plan = make_plan(t, history(t, []), TARGETS["normal"], None, cn)
    assert plan.first_response_due == sh(2026, 10, 8, 16, 30)  # 1 h Wed + 8 h Thu Oct 8
    assert at_of(plan.checkpoints, "reminder", "first_response") == [
        sh(2026, 10, 8, 12, 0),
        sh(2026, 10, 8, 14, 42),
    ]
    # 27 h: 1 h Wed, 9 h Oct 8, 9 h Oct 9, 8 h on the make-up Saturday Oct 10
    assert plan.resolution_due == sh(2026, 10, 10, 16, 30)
    assert [c.at for c in plan.checkpoints] == sorted(c.at for c in plan.checkpoints)


def test_emergency_runs_around_the_clock(cn: BusinessCalendar) -> None:
    t = ticket(sh(2026, 10, 3, 23, 50), "emergency")  # a holiday Saturday, nearly midnight
    plan = make_plan(t, history(t, []), TARGETS["emergency"], None, cn)
    assert plan.first_response_due == sh(2026, 10, 4, 0, 5)
    assert plan.resolution_due == sh(2026, 10, 4, 0, 20)  # on site within 30 min
    assert at_of(plan.checkpoints, "breach", "on_site") == [sh(2026, 10, 4, 0, 20)]
    assert at_of(plan.checkpoints, "reminder", "on_site") == [sh(2026, 10, 4, 0, 5), sh(2026, 10, 4, 0, 14)]


def test_open_pause_keeps_only_reminders_reached_before_it(cn: BusinessCalendar) -> None:
    t = ticket(sh(2026, 11, 25, 10), state=TicketState.waiting_resident)
    events = [ev("assigned", sh(2026, 11, 25, 10, 5)), ev("asked", sh(2026, 11, 26, 12))]
    plan = make_plan(t, history(t, events), TARGETS["normal"], None, cn)
    assert plan.resolution_due is None
    # 50 % of 27 h = 13.5 h: Wed 7.5 h + Thu 6 h -> Thu 14:30, after the pause began: not yet
    assert [c for c in plan.checkpoints if c.target == "resolution"] == []
    events.insert(1, ev("asked", sh(2026, 11, 26, 15)))
    events.pop()
    plan = make_plan(t, history(t, events), TARGETS["normal"], None, cn)
    [reminder] = [c for c in plan.checkpoints if c.target == "resolution"]
    assert (reminder.at, reminder.due, reminder.fraction) == (sh(2026, 11, 26, 14, 30), None, 0.5)


def test_resolved_ticket_only_waits_for_auto_close(cn: BusinessCalendar) -> None:
    t = ticket(sh(2026, 11, 25, 10), state=TicketState.resolved, level=1, resolved_at=sh(2026, 11, 27, 17))
    h = History(t.created_at, True, t.created_at, sh(2026, 11, 26, 10), ())
    cfg = DomainConfig(auto_close_after=timedelta(days=5))
    plan = make_plan(t, h, TARGETS["normal"], LEVEL1, cn, cfg)
    assert [(c.kind, c.at) for c in plan.checkpoints] == [("auto_close", sh(2026, 12, 2, 17))]
    assert plan.level_due == sh(2026, 11, 27, 10)


def test_level_deadline_checkpoint_below_the_top_only(cn: BusinessCalendar) -> None:
    t = ticket(sh(2026, 11, 25, 10), state=TicketState.in_progress, level=2)
    h = History(t.created_at, True, t.created_at, sh(2026, 11, 27, 16), ())
    plan = make_plan(t, h, TARGETS["normal"], LEVEL1, cn)
    assert [(c.at, c.level) for c in plan.checkpoints if c.kind == "level"] == [(sh(2026, 11, 30, 16), 2)]
    top = ticket(sh(2026, 11, 25, 10), state=TicketState.in_progress, level=3)
    plan = make_plan(top, h, TARGETS["normal"], LEVEL1, cn)
    assert plan.level_due == sh(2026, 11, 30, 16)
    assert [c for c in plan.checkpoints if c.kind == "level"] == []


def test_dst_zone_counts_local_working_hours() -> None:
    ber = BusinessCalendar(tz="Europe/Berlin", hours=WorkingHours(time(8, 30), time(17, 30)))
    created = datetime(2026, 3, 27, 17, 0, tzinfo=BER)  # Friday; clocks go forward on Sunday
    t = ticket(created)
    plan = make_plan(t, history(t, []), TARGETS["normal"], None, ber)
    assert plan.first_response_due == datetime(2026, 3, 30, 17, 0, tzinfo=BER)
    assert plan.first_response_due.astimezone(UTC) == datetime(2026, 3, 30, 15, 0, tzinfo=UTC)
    t_sh = ticket(sh(2026, 3, 27, 17))
    shanghai = make_plan(
        t_sh, history(t_sh, []), TARGETS["normal"], None, BusinessCalendar(tz="Asia/Shanghai")
    )
    assert shanghai.first_response_due is not None
    assert shanghai.first_response_due.astimezone(UTC) == datetime(2026, 3, 30, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "clock", "business_days", "minutes"),
    [
        ("15m", "business", 0, 15),
        ("2h", "business", 0, 120),
        ("1bd", "business", 1, 0),
        ("1bd4h", "business", 1, 240),
        ("3d", "24x7", 0, 4320),
    ],
)
def test_parse_span(text: str, clock: str, business_days: int, minutes: int) -> None:
    span = parse_span(text)
    assert (span.clock, span.business_days, span.time) == (clock, business_days, timedelta(minutes=minutes))


@pytest.mark.parametrize("bad", ["", "2", "2x", "h2", "0m", "1bd", "1d2"])
def test_parse_span_rejects(bad: str) -> None:
    with pytest.raises(DomainError) as err:
        parse_span(bad, "24x7" if bad == "1bd" else None)
    assert err.value.code == "bad_span"


def test_format_span() -> None:
    assert (
        format_span(Span("business", time=timedelta(hours=4, minutes=30), business_days=1))
        == "1bd4h30m (business)"
    )
    assert format_span(None) == "-"


def test_late_text() -> None:
    assert render("zh_CN", late_text(timedelta(minutes=5))) == "5 分钟"
    assert render("zh_CN", late_text(timedelta(hours=2, minutes=3))) == "2 小时 3 分钟"
    assert render("en", late_text(timedelta(days=1, hours=4, minutes=59))) == "1 d 4 h"
    assert render("en", late_text(timedelta(minutes=-3))) == "0 min"


def test_window_counts_from_completion() -> None:
    w = Window(2, 1.0)
    assert w.wait(0.0, 1) == 0.0
    w.start(1)
    w.start(1)
    assert w.wait(0.1, 1) is None  # both slots in flight
    w.finish(1, 0.2)
    w.finish(1, 0.3)
    assert w.wait(0.3, 1) == pytest.approx(0.9)  # the first completion leaves the window at 1.2
    assert w.wait(1.2, 1) == 0.0


async def test_limiter_spaces_a_private_chat_and_honours_a_hold() -> None:
    now = [0.0]

    async def sleep(s: float) -> None:
        now[0] += s

    limiter = RateLimiter(
        SendLimits(global_per_second=30, private_per_second=1.0, private_burst=1),
        clock=lambda: now[0],
        sleep=sleep,
    )
    starts = []
    for _ in range(3):
        async with limiter.slot("42"):
            starts.append(now[0])
    assert starts == [0.0, 1.0, 2.0]
    bursty = RateLimiter(SendLimits(), clock=lambda: now[0], sleep=sleep)
    starts.clear()
    for _ in range(5):
        async with bursty.slot("44"):
            starts.append(now[0] - 2.0)
    assert starts == [0.0, 0.0, 0.0, 3.0, 3.0]  # a burst of 3, then 3 per 3 s
    held_at = now[0]
    limiter.hold(5)
    async with limiter.slot("43"):
        assert now[0] == held_at + 5


async def test_scheduler_has_one_coalescing_tick_job() -> None:
    ran = asyncio.Event()

    async def tick() -> None:
        ran.set()

    scheduler = build_scheduler(tick, 20)
    [job] = scheduler.get_jobs()
    assert (job.id, job.max_instances, job.coalesce) == (TICK_JOB_ID, 1, True)
    assert job.trigger.interval == timedelta(seconds=20)
    scheduler.start()
    try:
        await asyncio.wait_for(ran.wait(), 5)  # the first tick runs at start
    finally:
        scheduler.shutdown(wait=False)
    with pytest.raises(ValueError):
        build_scheduler(tick, 0)


# -- urgent on the 24x7 clock; no resolution before the first response (issue 11) ---------------
def test_urgent_first_response_runs_around_the_clock(cn: BusinessCalendar) -> None:
    t = ticket(sh(2026, 12, 5, 8, 5), "urgent")  # a heating order on Saturday morning
    plan = make_plan(t, history(t, []), TARGETS["urgent"], None, cn)
    assert plan.first_response_due == sh(2026, 12, 5, 10, 5)  # not Monday 10:30
    assert plan.resolution_due == sh(2026, 12, 6, 8, 5)


STARTS = [
    sh(2026, 11, 25, 10),  # Wednesday, working hours
    sh(2026, 11, 25, 20),  # Wednesday evening
    sh(2026, 11, 27, 17, 20),  # Friday, ten minutes before closing
    sh(2026, 12, 5, 8, 5),  # Saturday morning
    sh(2026, 9, 30, 17, 0),  # the eve of National Day
    sh(2026, 10, 3, 23, 50),  # a holiday night
]


@pytest.mark.parametrize("row", default_sla_targets(), ids=lambda r: f"{r.category or '*'}-{r.priority}")
def test_no_default_row_puts_resolution_before_first_response(cn: BusinessCalendar, row: SlaTarget) -> None:
    for start in STARTS:
        t = ticket(start, row.priority)
        plan = make_plan(t, history(t, []), row, None, cn)
        assert plan.first_response_due is not None and plan.resolution_due is not None
        assert plan.resolution_due >= plan.first_response_due, (start, row)


def test_a_resolution_row_shorter_than_the_first_response_is_clamped(cn: BusinessCalendar) -> None:
    odd = SlaTarget(None, "normal", Span("business", business_days=1), Span("24x7", time=4 * H))
    t = ticket(sh(2026, 11, 27, 17, 20))  # Friday evening: first response Monday 17:20
    plan = make_plan(t, history(t, []), odd, None, cn)
    assert plan.first_response_due == sh(2026, 11, 30, 17, 20)
    assert plan.resolution_due == plan.first_response_due
    assert at_of(plan.checkpoints, "breach", "resolution") == [sh(2026, 11, 30, 17, 20)]
    assert all(c.at <= plan.first_response_due for c in plan.checkpoints if c.target == "resolution")
