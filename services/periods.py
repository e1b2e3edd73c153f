"""Reporting periods: a quarter ("2026Q3"), a month ("2026-11") or a date range.

Periods are local dates (default zone Asia/Shanghai, where the assessments are made): a ticket
belongs to a period when its ``created_at`` (the moment it was received) falls between the
local midnight starting ``start`` and the local midnight ending ``end`` (both inclusive days).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from services.errors import DomainError

DEFAULT_TZ = "Asia/Shanghai"
_QUARTER = re.compile(r"^(\d{4})\s*-?\s*Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass(frozen=True)
class Period:
    start: date  # first day, inclusive
    end: date  # last day, inclusive
    kind: str  # quarter | month | range

    @property
    def label(self) -> str:
        if self.kind == "quarter":
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "month":
            return f"{self.start.year}-{self.start.month:02d}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def bounds(self, tz: str = DEFAULT_TZ) -> tuple[datetime, datetime]:
        """[start, end) in UTC: local midnight of ``start`` to local midnight after ``end``."""
        zone = ZoneInfo(tz)
        lo = datetime.combine(self.start, time(0), zone).astimezone(UTC)
        hi = datetime.combine(self.end + timedelta(days=1), time(0), zone).astimezone(UTC)
        return lo, hi

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def quarter(year: int, q: int) -> Period:
    if not 1 <= q <= 4:
        raise DomainError("bad_period", text=f"{year}Q{q}")
    start = date(year, 3 * q - 2, 1)
    end = (date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)) - timedelta(days=1)
    return Period(start, end, "quarter")


def month(year: int, m: int) -> Period:
    if not 1 <= m <= 12:
        raise DomainError("bad_period", text=f"{year}-{m:02d}")
    start = date(year, m, 1)
    end = (date(year + 1, 1, 1) if m == 12 else date(year, m + 1, 1)) - timedelta(days=1)
    return Period(start, end, "month")


def date_range(start: date, end: date) -> Period:
    if end < start:
        raise DomainError("bad_period", text=f"{start.isoformat()}..{end.isoformat()}")
    return Period(start, end, "range")


def quarter_of(day: date) -> Period:
    return quarter(day.year, (day.month - 1) // 3 + 1)


def local_date(now: datetime, tz: str = DEFAULT_TZ) -> date:
    return now.astimezone(ZoneInfo(tz)).date()


def current_quarter(now: datetime, tz: str = DEFAULT_TZ) -> Period:
    return quarter_of(local_date(now, tz))


def previous(p: Period) -> Period:
    """The period of the same kind just before ``p`` (a range: as many days, ending the day
    before it starts)."""
    if p.kind == "quarter":
        return quarter_of(p.start - timedelta(days=1))
    if p.kind == "month":
        before = p.start - timedelta(days=1)
        return month(before.year, before.month)
    days = (p.end - p.start).days
    end = p.start - timedelta(days=1)
    return date_range(end - timedelta(days=days), end)


def following(p: Period) -> Period:
    """The period of the same kind just after ``p``."""
    if p.kind == "quarter":
        return quarter_of(p.end + timedelta(days=1))
    if p.kind == "month":
        after = p.end + timedelta(days=1)
        return month(after.year, after.month)
    days = (p.end - p.start).days
    start = p.end + timedelta(days=1)
    return date_range(start, start + timedelta(days=days))


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise DomainError("bad_date", text=text[:40]) from None


def parse_period(text: str) -> Period:
    """ "2026Q3" (also "2026-Q3", "2026q3"), "2026-11", or "2026-10-01..2026-12-31"."""
    s = text.strip()
    if m := _QUARTER.match(s):
        return quarter(int(m.group(1)), int(m.group(2)))
    if m := _MONTH.match(s):
        return month(int(m.group(1)), int(m.group(2)))
    if ".." in s:
        lo, _, hi = s.partition("..")
        try:
            return date_range(date.fromisoformat(lo.strip()), date.fromisoformat(hi.strip()))
        except ValueError:
            pass
    raise DomainError("bad_period", text=s[:40])


def resolve(period: str | None, start: str | None, end: str | None) -> Period:
    """A CLI choice: ``--period`` or ``--from``/``--to`` (either open end: the other's
    quarter boundary)."""
    if period:
        if start or end:
            raise DomainError("period_conflict")
        return parse_period(period)
    if not start and not end:
        raise DomainError("period_missing")
    lo = parse_date(start) if start else quarter_of(parse_date(end or "")).start
    hi = parse_date(end) if end else quarter_of(lo).end
    return date_range(lo, hi)
