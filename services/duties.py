"""Duties: deadlines a party owes on a governance aggregate ("the 城管 department reports in
within 15 minutes", "the responsible party completes decision 3 by Friday").

A duty is opened from an aggregate's policy table (services/aggregate.follow) with a span on
a clock (business time of the district's calendar, or 24×7). Its reminder moments (the
configured fractions, 50 % and 80 % by default) are worked out once, when it opens. The tick
(``run_duties``) looks only at duties whose indexed ``next_check_at`` has passed, each in its
own short transaction holding the row (SKIP LOCKED on PostgreSQL), and hands every passed
moment to the aggregate (``AggregateSpec.on_duty``), which turns it into a system action: a
reminder or a miss, with its own event and notifications. A duty that is missed stays owed
(state ``missed``) until it is done or cancelled.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from services import deadlines
from services.calendar import due_at, reminder_times
from services.sla_defaults import Span
from services.sweep import Sweep, sweep
from storage.models import AggregateEvent, Duty, DutyState, OrgNode
from storage.uow import UnitOfWork, UowFactory


@dataclass(frozen=True)
class Moment:
    """A passed moment of a duty: a reminder at ``percent`` of its span, or the deadline."""

    kind: str  # "remind" | "missed"
    at: datetime
    percent: int


OnDuty = Callable[[UnitOfWork, Duty, Moment], Awaitable[None]]


async def open_duty(
    uow: UnitOfWork,
    *,
    aggregate: str,
    aggregate_id: int,
    what: str,
    holder_org_id: int | None,
    holder_account_id: int | None,
    span: Span,
    district: OrgNode | None,
    start: datetime,
) -> Duty:
    cal = await deadlines.district_calendar(uow, district)
    clock_cal, target = span.resolve(cal)
    due = due_at(clock_cal, start, target)
    assert due is not None  # no pauses: always a moment
    fractions = uow.config.reminder_fractions
    marks = [at for at in reminder_times(clock_cal, start, target, (), fractions) if at < due]
    duty = Duty(
        aggregate=aggregate,
        aggregate_id=aggregate_id,
        what=what,
        holder_org_id=holder_org_id,
        holder_account_id=holder_account_id,
        state=DutyState.open,
        started_at=start,
        due_at=due,
        clock=span.clock,
        reminders=[m.isoformat() for m in marks],
        checked_at=start,
    )
    duty.next_check_at = _next_moment(duty)
    return await uow.aggregates.add_duty(duty)


async def complete(uow: UnitOfWork, aggregate: str, aggregate_id: int, what: str, ev: AggregateEvent) -> int:
    """Mark ``what`` done: the duty of the org named in the event (``holder_org_id``), else
    the actor's own duty, else every such duty of the aggregate. Returns how many."""
    owed = [
        d
        for d in await uow.aggregates.duties(aggregate, aggregate_id)
        if d.what == what and d.state in (DutyState.open, DutyState.missed)
    ]
    org = (ev.data or {}).get("holder_org_id")
    if org is not None:
        owed = [d for d in owed if d.holder_org_id == org]
    elif any(d.holder_account_id == ev.actor_id for d in owed):
        owed = [d for d in owed if d.holder_account_id == ev.actor_id]
    for d in owed:
        d.state, d.done_at, d.done_by_id, d.next_check_at = DutyState.done, ev.at, ev.actor_id, None
    return len(owed)


def moments(duty: Duty, since: datetime, until: datetime) -> list[Moment]:
    """The duty's moments in (since, until], in order."""
    span = (duty.due_at - duty.started_at).total_seconds() or 1.0
    out = [
        Moment("remind", at, round(100 * (at - duty.started_at).total_seconds() / span))
        for at in (datetime.fromisoformat(m) for m in duty.reminders)
    ]
    if duty.state == DutyState.open:
        out.append(Moment("missed", duty.due_at, 100))
    return [m for m in sorted(out, key=lambda m: m.at) if since < m.at <= until]


def _next_moment(duty: Duty) -> datetime | None:
    if duty.state != DutyState.open:
        return None
    since = duty.checked_at or duty.started_at
    later = [datetime.fromisoformat(m) for m in duty.reminders] + [duty.due_at]
    return min((at for at in later if at > since), default=None)


@dataclass
class DutyReport:
    duties: int = 0
    reminders: int = 0
    missed: int = 0
    skipped: int = 0
    errors: int = 0


async def check_duty(uow: UnitOfWork, duty: Duty, on_duty: OnDuty, report: DutyReport) -> None:
    now = uow.clock.now()
    passed = moments(duty, duty.checked_at or duty.started_at, now)
    if any(m.kind == "missed" for m in passed):
        passed = [m for m in passed if m.kind == "missed"]  # the miss says it all
    for m in passed:
        if m.kind == "missed":
            duty.state = DutyState.missed
            report.missed += 1
        else:
            report.reminders += 1
        await on_duty(uow, duty, m)
    duty.checked_at = now
    duty.next_check_at = _next_moment(duty)
    report.duties += 1


async def run_duties(
    uow_factory: UowFactory, handlers: Mapping[str, OnDuty], *, batch: int = 100, max_duties: int = 5000
) -> DutyReport:
    """One pass over every due duty (up to ``max_duties``; the rest wait for the next tick).
    ``handlers``: the ``on_duty`` of each aggregate by name (services/duty_tick.py)."""
    report = DutyReport()

    async def check(uow: UnitOfWork, duty: Duty) -> None:
        handler = handlers.get(duty.aggregate)
        if handler is None:
            raise LookupError(f"no duty handler for aggregate {duty.aggregate!r}")
        await check_duty(uow, duty, handler, report)

    count = await sweep(
        uow_factory,
        Sweep(
            "duty",
            lambda uow, now, n, seen: uow.aggregates.due_duties(now, n, seen),
            lambda uow, did, now: uow.aggregates.hold_duty_if_due(did, now),
            check,
        ),
        batch=batch,
        most=max_duties,
    )
    report.skipped, report.errors = count.skipped, count.errors
    return report
