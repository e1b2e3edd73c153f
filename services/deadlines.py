"""Due times of a ticket and the moments the tick must look at it.

After every recorded event services/ticket_effects.py calls ``refresh``; it recomputes from
the ticket and its events (the single source of truth), read through the clock columns of the
policy table (services/ticket_policy.py), and stores the result on the ticket:

* first response: starts when the ticket enters a queue (creation, or a re-route), met by
  any handler action (acknowledge, take, ask, message, resolve, reject);
* resolution (or "on site" for emergencies): starts with the first response clock and
  restarts at each reopen; stops at "resolved";
* escalation level: from level 1 on, the level's own deadline starts at the escalation
  (restarting at a reopen) and stops at "resolved";
* every clock counts in business time of the district's calendar (or 24/7) and pauses
  while the ticket waits for the resident (from "asked" to the resident's answer);
* a resolved ticket closes itself ``auto_close_after`` later.

``Ticket.next_check_at`` (indexed) is the earliest reminder / breach / auto-close moment after
``Ticket.sla_checked_at`` (the moment up to which services/tick.py has handled them), so a tick
reads only tickets that have something due.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from services import sla
from services.calendar import (
    BusinessCalendar,
    Pause,
    WorkingHours,
    due_at,
    reminder_times,
)
from services.escalation import MAX_LEVEL
from services.sla_defaults import SlaTarget, Span
from services.ticket_policy import policy_of
from storage.config import DomainConfig
from storage.models import (
    OPEN_STATES,
    OrgKind,
    OrgNode,
    Ticket,
    TicketEvent,
    TicketState,
)
from storage.uow import UnitOfWork


def auto_close_span(cfg: DomainConfig) -> Span:
    """How long a resolved ticket waits for the resident (24×7 time)."""
    return Span("24x7", time=cfg.auto_close_after)


# -- pure part ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class History:
    """What the events say about the clocks."""

    first_anchor: datetime
    first_met: bool
    resolution_anchor: datetime
    level_anchor: datetime | None
    pauses: tuple[Pause, ...]


def history(ticket: Ticket, events: Sequence[TicketEvent]) -> History:
    """Read the clocks off the events through the policy table (services/ticket_policy.py)."""
    first = resolution = ticket.created_at
    met = False
    level_at: datetime | None = None
    pauses: list[Pause] = []
    start: datetime | None = None
    for ev in events:
        p = policy_of(ev.kind)
        if p.restarts:
            first = resolution = ev.at
            met = False
        elif p.responds:
            met = True
        if p.restarts_resolution:
            resolution = ev.at
            level_at = ev.at if level_at is not None else None
        elif p.starts_level:
            level_at = ev.at
        if p.pauses and start is None:
            start = ev.at
        elif p.resumes and start is not None:
            pauses.append((start, ev.at))
            start = None
    if start is not None:
        pauses.append((start, None))
    return History(first, met, resolution, level_at, tuple(pauses))


@dataclass(frozen=True)
class Checkpoint:
    """A moment the tick acts on. kind: reminder | breach | level | auto_close."""

    at: datetime
    kind: str
    target: str  # first_response | resolution | on_site | level | auto_close
    due: datetime | None  # None: a reminder reached before a pause that still lasts
    fraction: float = 1.0
    level: int = 0


@dataclass(frozen=True)
class Plan:
    first_response_due: datetime | None
    resolution_due: datetime | None
    level_due: datetime | None
    checkpoints: tuple[Checkpoint, ...]


def _clock(
    name: str,
    span: Span,
    cal: BusinessCalendar,
    anchor: datetime,
    pauses: Sequence[Pause],
    fractions: Sequence[float],
) -> tuple[datetime | None, list[Checkpoint]]:
    """Due time (None while paused) and the reminder/breach moments of one clock."""
    clock_cal, target = span.resolve(cal)
    due = due_at(clock_cal, anchor, target, pauses)
    points = [] if due is None else [Checkpoint(due, "breach", name, due)]
    if target and fractions:
        for f, at in zip(
            sorted(fractions), reminder_times(clock_cal, anchor, target, pauses, fractions), strict=False
        ):
            if due is None or at < due:
                points.append(Checkpoint(at, "reminder", name, due, f))
    return due, points


def _not_before(
    due: datetime | None, points: list[Checkpoint], floor: datetime | None
) -> tuple[datetime | None, list[Checkpoint]]:
    """A resolution (or on-site) deadline never falls before the first-response deadline (a
    policy row on another clock could put it there): it moves to the floor, with its breach;
    reminders after the floor are dropped."""
    if due is None or floor is None or due >= floor:
        return due, points
    kept = [c for c in points if c.kind == "reminder" and c.at < floor]
    kept = [Checkpoint(c.at, c.kind, c.target, floor, c.fraction) for c in kept]
    name = points[0].target if points else "resolution"
    return floor, [*kept, Checkpoint(floor, "breach", name, floor)]


def make_plan(
    ticket: Ticket,
    hist: History,
    target: SlaTarget,
    level_span: Span | None,
    cal: BusinessCalendar,
    cfg: DomainConfig | None = None,
) -> Plan:
    """Due times and checkpoints for the ticket's current state (pure)."""
    cfg = cfg or DomainConfig()
    state = TicketState(ticket.state)
    live = state in OPEN_STATES
    points: list[Checkpoint] = []
    first = second = level = None
    if live or state == TicketState.resolved:
        fr = cfg.reminder_fractions
        first, pts = _clock("first_response", target.first_response, cal, hist.first_anchor, hist.pauses, fr)
        points += pts if live and not hist.first_met else []
        name, span = ("resolution", target.resolution) if target.resolution else ("on_site", target.on_site)
        if span is not None:
            second, pts = _clock(name, span, cal, hist.resolution_anchor, hist.pauses, fr)
            second, pts = _not_before(second, pts, first)
            points += pts if live else []
        if level_span is not None and hist.level_anchor is not None and ticket.escalation_level >= 1:
            level, _ = _clock("level", level_span, cal, hist.level_anchor, hist.pauses, ())
            if live and level is not None and ticket.escalation_level < MAX_LEVEL:
                points.append(Checkpoint(level, "level", "level", level, level=ticket.escalation_level))
    if state == TicketState.resolved and ticket.resolved_at is not None:
        clock_cal, span_td = auto_close_span(cfg).resolve(cal)
        at = clock_cal.add_business_time(ticket.resolved_at, span_td)
        points.append(Checkpoint(at, "auto_close", "auto_close", at))
    points.sort(key=lambda c: (c.at, c.kind != "reminder", c.fraction))
    return Plan(first, second, level, tuple(points))


# -- database part --------------------------------------------------------------------------------
@lru_cache(maxsize=32)
def _calendar(
    tz: str, hours: WorkingHours, years: tuple[int, ...], holidays_file: str | None
) -> BusinessCalendar:
    return BusinessCalendar.china(tz, hours=hours, years=years, overrides=holidays_file)


async def calendar_for(uow: UnitOfWork, ticket: Ticket) -> BusinessCalendar:
    """The business calendar of the ticket's district (zone from the district node,
    working hours from its CalendarPolicy row, holidays from the package + override file)."""
    compound = await uow.org.get(ticket.compound_id)
    district = await uow.org.ancestor_of_kind(compound, OrgKind.district) if compound else None
    return await district_calendar(uow, district)


async def district_calendar(uow: UnitOfWork, district: OrgNode | None) -> BusinessCalendar:
    """A district's business calendar: its zone, its working hours, holidays and 调休."""
    cfg = uow.config
    tz = (district.timezone if district else None) or cfg.timezone
    hours = await sla.working_hours(uow, district.code if district else None)
    year = uow.clock.now().year
    return _calendar(tz, hours, (year - 1, year, year + 1), cfg.holidays_file)


async def plan_for(
    uow: UnitOfWork, ticket: Ticket, events: Sequence[TicketEvent] | None = None
) -> tuple[Plan, History]:
    """``events``: the ticket's events when the caller has them (a ticket not inserted yet)."""
    if events is None:
        assert ticket.id is not None
        events = await uow.tickets.events(ticket.id)
    hist = history(ticket, events)
    target = await sla.target_for(uow, ticket.category, ticket.priority)
    level_span = (
        await sla.level_span(uow, ticket.escalation_level, ticket.priority)
        if ticket.escalation_level >= 1
        else None
    )
    cal = await calendar_for(uow, ticket)
    return make_plan(ticket, hist, target, level_span, cal, uow.config), hist


async def refresh(uow: UnitOfWork, ticket: Ticket, events: Sequence[TicketEvent] | None = None) -> Plan:
    """Store the due times and the next moment the tick must look at the ticket."""
    plan, hist = await plan_for(uow, ticket, events)
    state = TicketState(ticket.state)
    if state in OPEN_STATES or state == TicketState.resolved:
        if not (hist.first_met and ticket.first_response_due is not None):
            ticket.first_response_due = plan.first_response_due
        ticket.resolution_due = plan.resolution_due
        ticket.level_due = plan.level_due
    if ticket.sla_checked_at is None:
        ticket.sla_checked_at = ticket.created_at
    since = ticket.sla_checked_at
    ticket.next_check_at = min((c.at for c in plan.checkpoints if c.at > since), default=None)
    return plan
