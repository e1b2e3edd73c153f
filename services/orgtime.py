"""Local time of an org node: its district's zone and working-day calendar.

A company hangs under no district; it takes the district of the first compound it serves.
Without a district the configured default zone (services/deadlines.py) applies.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from services import deadlines
from services.calendar import BusinessCalendar
from storage.models import OrgKind, OrgNode
from storage.uow import UnitOfWork


async def district_of(uow: UnitOfWork, org: OrgNode) -> OrgNode | None:
    if org.kind == OrgKind.company and org.id is not None:
        compounds = await uow.org.compounds_of_company(org.id)
        if compounds:
            org = compounds[0]
    return await uow.org.ancestor_of_kind(org, OrgKind.district)


async def org_zone(uow: UnitOfWork, org_id: int) -> str:
    org = await uow.org.get(org_id)
    district = await district_of(uow, org) if org is not None else None
    return (district.timezone if district else None) or uow.config.timezone


async def org_calendar(uow: UnitOfWork, org_id: int) -> BusinessCalendar:
    """Working days (holidays, 调休) of the org's district, as the SLA clocks use them."""
    org = await uow.org.get(org_id)
    district = await district_of(uow, org) if org is not None else None
    return await deadlines.district_calendar(uow, district)


def at_local(day: date, wall: time, tz: str) -> datetime:
    """The UTC instant of a wall-clock time on a local day."""
    return datetime.combine(day, wall, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def end_of_day(day: date, tz: str) -> datetime:
    """The instant a local date ends (the next day's midnight), in UTC."""
    return at_local(day + timedelta(days=1), time(0, 0), tz)
