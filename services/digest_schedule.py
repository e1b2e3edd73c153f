"""Who gets a digest when, and writing the "digest" outbox rows.

Defaults for role holders who never changed their setting: community workers and property
managers a daily digest at 08:00 on working days (the district's calendar: holidays and
调休 make-up days count as in the SLA clocks), street officers a weekly one on Monday at 08:00.
A person changes theirs in chat (/digest); the setting applies to every digest kind they get.

``run_scheduled`` (called from the tick, inside the caller's transaction) writes, for every
subscriber whose local time has passed today and who was not yet served today, one "digest"
notification per org node they hold the role on. The outbox row is unique per person, kind,
local date and node, so two ticks (or two processes) never send a digest twice. The payload
names the period: from the previous digest moment (the previous working day at the same
time; a week for weekly digests) to today's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from services import notify, orgtime, periods
from services.errors import DomainError
from storage.models import DigestSubscription, Role, RoleGrant
from storage.uow import UnitOfWork

DAILY, WEEKLY = "daily", "weekly"
ROLE_KINDS: dict[Role, str] = {Role.community: DAILY, Role.manager: DAILY, Role.street: WEEKLY}
DEFAULT_TIME = "08:00"
WEEKLY_DAY = 0  # Monday
_TIME = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)$")


@dataclass(frozen=True)
class Setting:
    kind: str
    enabled: bool
    local_time: str
    stored: bool  # False: the default, never changed


def parse_time(text: str) -> str | None:
    """ "7:30" / "07:30" → "07:30"; None when it is no time of day."""
    m = _TIME.match(text.strip())
    return f"{int(m.group(1)):02d}:{m.group(2)}" if m else None


def _wall(text: str) -> time:
    hh, mm = text.split(":")
    return time(int(hh), int(mm))


async def kinds_of(uow: UnitOfWork, account_id: int) -> list[str]:
    """The digest kinds this person gets through their roles (daily before weekly)."""
    kinds = {
        ROLE_KINDS[Role(g.role)] for g in await uow.accounts.grants(account_id) if Role(g.role) in ROLE_KINDS
    }
    return sorted(kinds)


async def _row(uow: UnitOfWork, account_id: int, kind: str) -> DigestSubscription | None:
    return await uow.digests.subscription(account_id, kind)


async def settings_of(uow: UnitOfWork, account_id: int) -> list[Setting]:
    out = []
    for kind in await kinds_of(uow, account_id):
        row = await _row(uow, account_id, kind)
        out.append(
            Setting(kind, row.enabled, row.local_time, True)
            if row is not None
            else Setting(kind, True, DEFAULT_TIME, False)
        )
    return out


async def _upsert(uow: UnitOfWork, account_id: int, kind: str) -> DigestSubscription:
    return await uow.digests.ensure(account_id, kind, local_time=DEFAULT_TIME, now=uow.clock.now())


async def _change(uow: UnitOfWork, account_id: int, **values: object) -> list[Setting]:
    kinds = await kinds_of(uow, account_id)
    if not kinds:
        raise DomainError("digest_not_available")
    for kind in kinds:
        row = await _upsert(uow, account_id, kind)
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_at = uow.clock.now()
    await uow.flush()
    return await settings_of(uow, account_id)


async def set_enabled(uow: UnitOfWork, account_id: int, enabled: bool) -> list[Setting]:
    return await _change(uow, account_id, enabled=enabled)


async def set_time(uow: UnitOfWork, account_id: int, text: str) -> list[Setting]:
    """Set the local time of every digest of the person; a bad time changes nothing."""
    wall = parse_time(text)
    if wall is None:
        raise DomainError("digest_bad_time", text=text.strip()[:20])
    return await _change(uow, account_id, local_time=wall)


async def moment(uow: UnitOfWork, kind: str, org_id: int, day: date, wall: str) -> datetime | None:
    """When the digest of ``kind`` is due on local ``day``; None when ``day`` has none."""
    tz = await orgtime.org_zone(uow, org_id)
    if kind == WEEKLY:
        return orgtime.at_local(day, _wall(wall), tz) if day.weekday() == WEEKLY_DAY else None
    cal = await orgtime.org_calendar(uow, org_id)
    return orgtime.at_local(day, _wall(wall), tz) if cal.is_working_day(day) else None


async def previous_moment(uow: UnitOfWork, kind: str, org_id: int, day: date, wall: str) -> datetime:
    """The digest moment before the one on ``day`` (the previous working day for daily ones)."""
    tz = await orgtime.org_zone(uow, org_id)
    if kind == WEEKLY:
        return orgtime.at_local(day - timedelta(weeks=1), _wall(wall), tz)
    cal = await orgtime.org_calendar(uow, org_id)
    prev = day - timedelta(days=1)
    for _ in range(40):  # the longest holiday is far shorter
        if cal.is_working_day(prev):
            break
        prev -= timedelta(days=1)
    return orgtime.at_local(prev, _wall(wall), tz)


async def run_scheduled(uow: UnitOfWork, now: datetime | None = None) -> int:
    """Write the digests due by ``now``; returns how many outbox rows were new.
    The caller commits."""
    now = now or uow.clock.now()
    groups: dict[tuple[int, str], list[RoleGrant]] = defaultdict(list)
    for g in await uow.digests.grants_of_roles([r.value for r in ROLE_KINDS]):
        groups[(g.account_id, ROLE_KINDS[Role(g.role)])].append(g)
    subs = {(s.account_id, s.kind): s for s in await uow.digests.all()}
    written = 0
    for (account_id, kind), grants in groups.items():
        sub = subs.get((account_id, kind))
        if sub is not None and not sub.enabled:
            continue
        wall = sub.local_time if sub is not None else DEFAULT_TIME
        served: date | None = None
        for g in grants:
            today = periods.local_date(now, await orgtime.org_zone(uow, g.org_id))
            if sub is not None and sub.last_sent_on == today:
                continue
            due = await moment(uow, kind, g.org_id, today, wall)
            if due is None or now < due:
                continue
            since = await previous_moment(uow, kind, g.org_id, today, wall)
            payload = {
                "org_id": g.org_id,
                "role": Role(g.role).value,
                "kind": kind,
                "since": since.isoformat(),
                "until": due.isoformat(),
            }
            written += await notify.to_account(
                uow,
                account_id,
                "digest",
                ticket=None,
                key=f"{kind}:{today.isoformat()}:{g.org_id}",
                payload=payload,
                due_at=now,
            )
            served = today
        if served is not None:
            row = sub or await _upsert(uow, account_id, kind)
            row.last_sent_on = served
    await uow.flush()
    return written
