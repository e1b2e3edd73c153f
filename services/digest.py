"""Digest data: what a community worker, a street officer or a property manager reads in
their daily / weekly digest. Numbers and lists only; the text lives in locales/ and the
chart in services/charts.py.

Scope: a community or street covers the tickets of every compound below it; a property
company covers the tickets in its own queue. "New" counts tickets created in [since, until)
(the previous digest's moment to this one's); "open", "overdue" and "escalated" describe the
tickets as they are at ``now``. A ticket is overdue when its first response is missing past
``first_response_due`` (in its current queue: a re-route to the community restarts the first
response, so the company's earlier acknowledgement does not count) or it is past
``resolution_due``; the worst-overdue list is the five whose earliest missed deadline lies
furthest back. Ratings are those given in the period. The trend counts the tickets received
in each of the last four 7-day windows of local days, the newest ending with the digest's day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from services import orgtime, periods
from services.digest_schedule import run_scheduled
from services.ratings import satisfaction
from services.rectification import PlanProgress, plan_progress
from storage.models import OrgKind, Role, Ticket
from storage.queries import digest as dq
from storage.uow import UnitOfWork

__all__ = ["DigestData", "Scope", "TrendWeek", "build_digest", "run_scheduled", "scope_for"]
TREND_WEEKS = 4
WORST = 5


@dataclass(frozen=True)
class Scope:
    org_id: int
    org_name: str
    role: str  # community | street | manager
    compounds: tuple[tuple[int, str], ...]  # (id, name) of the compounds covered
    queue_org_id: int | None = None  # only this queue's tickets (a property company)

    @property
    def compound_ids(self) -> list[int]:
        return [cid for cid, _ in self.compounds]

    @property
    def query(self) -> dq.DigestScope:
        return dq.DigestScope(tuple(self.compound_ids), self.queue_org_id)


@dataclass
class Counts:
    new: int = 0
    open: int = 0
    overdue: int = 0
    escalated: int = 0


@dataclass(frozen=True)
class Row:
    key: str  # compound code or category key
    name: str  # compound name ("" for a category: the reader's catalogue names it)
    counts: Counts


@dataclass(frozen=True)
class LateTicket:
    ticket_id: int
    number: str
    compound: str
    category: str
    due: datetime
    late: timedelta


@dataclass
class Ratings:
    count: int = 0
    average: float | None = None
    satisfied: int = 0
    basic: int = 0
    dissatisfied: int = 0


@dataclass(frozen=True)
class TrendWeek:
    first: date  # first local day of the 7-day window
    last: date  # its last local day
    count: int  # tickets received in it


@dataclass
class DigestData:
    scope: Scope
    since: datetime
    until: datetime
    now: datetime
    totals: Counts
    by_compound: list[Row]
    by_category: list[Row]
    waiting: int  # open, in the reader's queue, taken by nobody (street: reached the street)
    closed: int  # closed in the period
    ratings: Ratings
    worst: list[LateTicket]
    trend: list[TrendWeek]  # oldest first; the last one ends with the local day of ``until``
    plans: list[PlanProgress] = field(default_factory=list)


async def scope_for(uow: UnitOfWork, org_id: int, role: str) -> Scope:
    org = await uow.org.get(org_id)
    if org is None:
        return Scope(org_id, "?", role, ())
    if org.kind == OrgKind.company:
        nodes = list(await uow.org.compounds_of_company(org_id))
        return Scope(org_id, org.name, role, tuple((n.id or 0, n.name) for n in nodes), org_id)
    nodes = (
        [org]
        if org.kind == OrgKind.compound
        else [n for n in await uow.org.descendants(org_id) if n.kind == OrgKind.compound]
    )
    nodes.sort(key=lambda n: n.id or 0)
    return Scope(org_id, org.name, role, tuple((n.id or 0, n.name) for n in nodes))


def missed_due(t: Ticket, responded_at: datetime | None, now: datetime) -> datetime | None:
    """The earliest deadline the open ticket has missed, or None (``responded_at``: its first
    answer in its current queue)."""
    dues = [t.resolution_due] if t.resolution_due is not None and t.resolution_due < now else []
    if responded_at is None and t.first_response_due is not None and t.first_response_due < now:
        dues.append(t.first_response_due)
    return min(dues) if dues else None


def _waiting(scope: Scope, t: Ticket) -> bool:
    if scope.role == Role.street:
        return t.escalation_level >= 2
    return t.assignee_id is None and t.queue_org_id == scope.org_id


async def _ratings(uow: UnitOfWork, scope: Scope, since: datetime, until: datetime) -> Ratings:
    stars = await dq.stars_rated(uow.session, scope.query, since, until)
    out = Ratings(count=len(stars), average=round(sum(stars) / len(stars), 2) if stars else None)
    for s in stars:
        level = satisfaction(s)
        setattr(out, level, getattr(out, level) + 1)
    return out


def trend_window(until: datetime, tz: str) -> tuple[date, datetime]:
    """First local day of the trend and the UTC moment it starts."""
    first = periods.local_date(until - timedelta(microseconds=1), tz) - timedelta(days=7 * TREND_WEEKS - 1)
    return first, orgtime.at_local(first, time(0), tz)


async def build_digest(
    uow: UnitOfWork, scope: Scope, since: datetime, until: datetime, *, with_plans: bool | None = None
) -> DigestData:
    now = uow.clock.now()
    names = dict(scope.compounds)
    codes = {n.id: n.code for n in [await uow.org.get(cid) for cid in names] if n is not None}
    by_compound = {cid: Counts() for cid in names}
    by_category: dict[str, Counts] = {}
    totals, waiting, worst = Counts(), 0, []

    def bump(t_compound: int, category: str, attr: str) -> None:
        for counts in (
            totals,
            by_compound.setdefault(t_compound, Counts()),
            by_category.setdefault(category, Counts()),
        ):
            setattr(counts, attr, getattr(counts, attr) + 1)

    for o in await dq.open_tickets(uow.session, scope.query):
        t = o.ticket
        bump(t.compound_id, t.category, "open")
        if t.escalation_level >= 1:
            bump(t.compound_id, t.category, "escalated")
        waiting += _waiting(scope, t)
        missed = missed_due(t, o.responded_at, now)
        if missed is not None:
            bump(t.compound_id, t.category, "overdue")
            worst.append(
                LateTicket(
                    t.id or 0, t.number, names.get(t.compound_id, "?"), t.category, missed, now - missed
                )
            )
    tz = await orgtime.org_zone(uow, scope.org_id)
    first_day, trend_start = trend_window(until, tz)
    weeks = [0] * TREND_WEEKS
    for compound_id, category, created in await dq.received(
        uow.session, scope.query, min(since, trend_start), until
    ):
        if created >= since:
            bump(compound_id, category, "new")
        if created >= trend_start:
            weeks[min(TREND_WEEKS - 1, (periods.local_date(created, tz) - first_day).days // 7)] += 1
    worst.sort(key=lambda w: (w.due, w.ticket_id))
    data = DigestData(
        scope=scope,
        since=since,
        until=until,
        now=now,
        totals=totals,
        by_compound=[Row(codes.get(cid, str(cid)), names.get(cid, "?"), c) for cid, c in by_compound.items()],
        by_category=[
            Row(k, "", c) for k, c in sorted(by_category.items(), key=lambda kv: (-kv[1].open, kv[0]))
        ],
        waiting=waiting,
        closed=await dq.closed_count(uow.session, scope.query, since, until),
        ratings=await _ratings(uow, scope, since, until),
        worst=worst[:WORST],
        trend=[
            TrendWeek(first_day + timedelta(days=7 * i), first_day + timedelta(days=7 * i + 6), n)
            for i, n in enumerate(weeks)
        ],
    )
    if with_plans if with_plans is not None else scope.role in (Role.community, Role.street):
        data.plans = await plan_progress(uow, scope.compound_ids, now)
    return data
