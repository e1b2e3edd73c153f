"""Quarterly ranking of the compounds with the most 12345 hotline complaints (接诉即办 special
rectification: the top compounds each get a plan, 一小区一方案).

* counted: hotline tickets (source=hotline) received in the quarter (district local dates),
  except those rejected as invalid or duplicate;
* a compound ranks only with at least ``min_count`` complaints (default 3: small samples do
  not rank); competition ranking (1, 2, 2, 4), ties ordered by compound code;
* the top ``top`` ranks are kept (default 10); compounds tied at the last kept rank are all
  kept, so the list may be a little longer than ``top``.

``send_quarter_ranking`` writes one "ranking" notification per street officer (streets of the
district) and district admin; the outbox key is "<quarter>:<district code>", so it is sent
once. ``run_scheduled`` (for the tick) sends the previous quarter's ranking from the opening
hour of the first working day after the quarter ended, for ``GRACE_DAYS`` days (a tick that
was down catches up; a person who joins months later is not sent an old ranking).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from services import deadlines, notify
from services.calendar import BusinessCalendar
from services.errors import DomainError
from services.org_rollup import OrgIndex
from services.periods import (
    DEFAULT_TZ,
    Period,
    local_date,
    parse_period,
    previous,
    quarter_of,
)
from storage.models import Account, OrgKind, OrgNode, Role
from storage.queries import ranking as rq
from storage.uow import UnitOfWork

KIND = "ranking"
GRACE_DAYS = 14


@dataclass(frozen=True)
class RankRow:
    rank: int
    compound_id: int
    code: str
    name: str
    count: int


def rank(items: Sequence[tuple[int, str, str, int]], *, top: int = 10, min_count: int = 3) -> list[RankRow]:
    """(compound_id, code, name, count) → ranked rows (pure)."""
    eligible = sorted((i for i in items if i[3] >= min_count), key=lambda i: (-i[3], i[1]))
    out: list[RankRow] = []
    for pos, (cid, code, name, count) in enumerate(eligible, start=1):
        r = out[-1].rank if out and out[-1].count == count else pos
        if r > top:
            break
        out.append(RankRow(r, cid, code, name, count))
    return out


def as_quarter(quarter: str | Period) -> Period:
    p = parse_period(quarter) if isinstance(quarter, str) else quarter
    if p.kind != "quarter":
        raise DomainError("not_a_quarter", text=p.label)
    return p


async def quarterly_ranking(
    uow: UnitOfWork, district_id: int, quarter: str | Period, *, top: int = 10, min_count: int = 3
) -> list[RankRow]:
    p = as_quarter(quarter)
    idx = await OrgIndex.load(uow)
    district = idx.by_id.get(district_id)
    if district is None or district.kind != OrgKind.district:
        raise DomainError("org_not_found", org_code=str(district_id))
    compounds = {c.id: c for c in idx.compounds_under(district_id) if c.id is not None}
    if not compounds:
        return []
    start, end = p.bounds(district.timezone or DEFAULT_TZ)
    rows = await rq.hotline_counts(uow.session, list(compounds), start, end, min_count=min_count)
    items = [(cid, compounds[cid].code, compounds[cid].name, n) for cid, n in rows]
    return rank(items, top=top, min_count=min_count)


async def recipients(uow: UnitOfWork, district: OrgNode) -> list[Account]:
    """Street officers of the district's streets and the district's admins."""
    assert district.id is not None
    streets = [s.id for s in await uow.org.children(district.id, OrgKind.street) if s.id is not None]
    people = {a.id: a for a in await uow.accounts.holders([Role.street], streets)}
    people.update({a.id: a for a in await uow.accounts.holders([Role.admin], [district.id])})
    return [people[k] for k in sorted(k for k in people if k is not None)]


def _key(quarter: Period, district: OrgNode) -> str:
    return f"{quarter.label}:{district.code}"


async def send_quarter_ranking(
    uow: UnitOfWork, quarter: str | Period, *, top: int = 10, min_count: int = 3
) -> int:
    """Write the quarter's ranking notifications of every district; returns how many outbox
    rows were new (0 when it was sent before). An empty ranking is sent too, so the
    recipients know nobody reached ``min_count``."""
    p = as_quarter(quarter)
    added = 0
    for district in await uow.org.all(OrgKind.district):
        assert district.id is not None
        people = await recipients(uow, district)
        if not people:
            continue
        rows = await quarterly_ranking(uow, district.id, p, top=top, min_count=min_count)
        payload = {
            "quarter": p.label,
            "district": district.name,
            "district_code": district.code,
            "top": top,
            "min_count": min_count,
            "rows": [asdict(r) for r in rows],
        }
        for acc in people:
            assert acc.id is not None
            added += await notify.to_account(
                uow, acc.id, KIND, ticket=None, key=_key(p, district), payload=payload
            )
    return added


# -- schedule -------------------------------------------------------------------------------------
async def calendar_for(uow: UnitOfWork) -> BusinessCalendar:
    """The first district's calendar (zone, working hours, holidays), as the deadlines use it."""
    districts = await uow.org.all(OrgKind.district)
    return await deadlines.district_calendar(uow, districts[0] if districts else None)


def first_working_day(start: date, calendar: BusinessCalendar) -> date:
    day = start
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def due_quarter_rankings(
    now: datetime,
    *,
    calendar: BusinessCalendar | None = None,
    tz: str = DEFAULT_TZ,
    grace_days: int = GRACE_DAYS,
) -> str | None:
    """The quarter whose ranking is due at ``now`` ("2026Q3"), or None: due from the opening
    hour of the first working day after the quarter ended, for ``grace_days`` days."""
    year = local_date(now, tz).year
    cal = calendar or BusinessCalendar.china(tz, years=(year - 1, year, year + 1))
    current = quarter_of(local_date(now, cal.tz))
    day = first_working_day(current.start, cal)
    opening = datetime.combine(day, cal.hours.start, cal.zone)
    if opening <= now < opening + timedelta(days=grace_days):
        return previous(current).label
    return None


async def _all_sent(uow: UnitOfWork, p: Period) -> bool:
    """Cheap check (three small queries) that every recipient already has the ranking, so the
    tick does not recompute it every few seconds during the grace days."""
    keys: list[str] = []
    for district in await uow.org.all(OrgKind.district):
        ids = [a.id for a in await recipients(uow, district) if a.id is not None]
        for account_id, channel in await rq.channels_of(uow.session, ids):
            keys.append(f"{KIND}:-:{account_id}:{channel}:{_key(p, district)}"[:200])
    if not keys:
        return True
    return await rq.notifications_with_keys(uow.session, keys) >= len(set(keys))


async def run_scheduled(uow: UnitOfWork) -> int:
    """For the tick: send the previous quarter's ranking when it is due; returns the number of
    new outbox rows (0 when not due or already sent)."""
    now = uow.clock.now()
    if local_date(now) - quarter_of(local_date(now)).start > timedelta(days=GRACE_DAYS + 31):
        return 0  # far from any quarter start: no queries at all
    label = due_quarter_rankings(now, calendar=await calendar_for(uow))
    if label is None:
        return 0
    p = as_quarter(label)
    if await _all_sent(uow, p):
        return 0
    return await send_quarter_ranking(uow, p)
