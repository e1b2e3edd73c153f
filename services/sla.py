"""SLA policy rows: seed the defaults, list, edit, look up (category x priority, level).

Rows are seeded from services/sla_defaults.py with INSERT ... ON CONFLICT DO NOTHING, so
seeding at every start-up (from any number of processes) is harmless and never overwrites an
operator's edit. A lookup falls back to the built-in default when no row exists.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import time, timedelta
from typing import Any

from services.calendar import WorkingHours
from services.errors import DomainError
from services.sla_defaults import (
    Clock,
    SlaTarget,
    Span,
    default_escalation_deadlines,
    default_sla_targets,
)
from storage.models import ANY, CalendarPolicy, EscalationPolicy, Priority, SlaPolicy
from storage.uow import UnitOfWork

CLOCKS: tuple[Clock, ...] = ("business", "24x7")
TARGETS = ("first_response", "resolution", "on_site")
_SPAN_RE = re.compile(r"(\d+)(bd|d|h|m)")


# -- spans <-> columns / text ---------------------------------------------------------------
def span_columns(prefix: str, span: Span | None) -> dict[str, Any]:
    if span is None:
        return {f"{prefix}_clock": None, f"{prefix}_minutes": 0, f"{prefix}_business_days": 0}
    return {
        f"{prefix}_clock": span.clock,
        f"{prefix}_minutes": int(span.time / timedelta(minutes=1)),
        f"{prefix}_business_days": span.business_days,
    }


def span_of(clock: str | None, minutes: int, days: int) -> Span | None:
    if clock is None:
        return None
    if clock not in CLOCKS:
        raise ValueError(f"unknown SLA clock {clock!r}")
    return Span(clock, time=timedelta(minutes=minutes), business_days=days)


def row_target(row: SlaPolicy) -> SlaTarget:
    first = span_of(row.first_response_clock, row.first_response_minutes, row.first_response_business_days)
    assert first is not None
    return SlaTarget(
        category=None if row.category == ANY else row.category,
        priority=row.priority,
        first_response=first,
        resolution=span_of(row.resolution_clock, row.resolution_minutes, row.resolution_business_days),
        on_site=span_of(row.on_site_clock, row.on_site_minutes, row.on_site_business_days),
    )


def parse_span(text: str, clock: Clock | None = None) -> Span:
    """ "15m", "2h", "1bd" (business days), "3d" (24 h days, 24x7 only), "1bd4h".
    Without ``clock``: business days mean the business clock, "d" the 24x7 one, else business."""
    s = text.strip().lower().replace(" ", "")
    parts = _SPAN_RE.findall(s)
    if not s or "".join(n + u for n, u in parts) != s:
        raise DomainError("bad_span", text=text)
    units = {u for _, u in parts}
    clk: Clock = clock or ("24x7" if "d" in units else "business")
    if clk == "24x7" and "bd" in units:
        raise DomainError("bad_span", text=text)
    if clk == "business" and "d" in units:
        raise DomainError("bad_span", text=text)
    minutes = {"m": 1, "h": 60, "d": 1440}
    total = sum(int(n) * minutes[u] for n, u in parts if u != "bd")
    days = sum(int(n) for n, u in parts if u == "bd")
    if total == 0 and days == 0:
        raise DomainError("bad_span", text=text)
    return Span(clk, time=timedelta(minutes=total), business_days=days)


def format_span(span: Span | None) -> str:
    if span is None:
        return "-"
    out = f"{span.business_days}bd" if span.business_days else ""
    minutes = int(span.time / timedelta(minutes=1))
    h, m = divmod(minutes, 60)
    out += (f"{h}h" if h else "") + (f"{m}m" if m else "")
    return f"{out or '0m'} ({span.clock})"


# -- seeding ------------------------------------------------------------------------------------
async def seed_defaults(uow: UnitOfWork) -> int:
    """Insert the default rows that are missing; returns how many were new."""
    now = uow.clock.now()
    added = 0
    for t in default_sla_targets():
        values = {
            "category": t.category or ANY,
            "priority": t.priority,
            "updated_at": now,
            **span_columns("first_response", t.first_response),
            **span_columns("resolution", t.resolution),
            **span_columns("on_site", t.on_site),
        }
        added += await uow.policy.seed_sla(values)
    for d in default_escalation_deadlines():
        values = {
            "level": d.level,
            "priority": ANY,
            "name": d.name,
            "updated_at": now,
            "clock": d.deadline.clock,
            "business_days": d.deadline.business_days,
            "minutes": int(d.deadline.time / timedelta(minutes=1)),
        }
        added += await uow.policy.seed_level(values)
    return added


# -- listing and editing -----------------------------------------------------------------------
async def list_policies(uow: UnitOfWork) -> Sequence[SlaPolicy]:
    return await uow.policy.sla_rows()


async def list_levels(uow: UnitOfWork) -> Sequence[EscalationPolicy]:
    return await uow.policy.level_rows()


async def _row(uow: UnitOfWork, category: str, priority: str) -> SlaPolicy | None:
    return await uow.policy.sla_row(category, priority)


async def set_policy(
    uow: UnitOfWork, category: str | None, priority: str, changes: dict[str, Span | None]
) -> SlaPolicy:
    """Create or update one row; ``changes`` maps a target name to its span (None = no
    such target; first_response cannot be removed). Targets not named keep their value."""
    from services.categories import BY_KEY

    cat = ANY if category in (None, "", ANY, "default") else category
    if cat != ANY and cat not in BY_KEY:
        raise DomainError("unknown_category", category=cat)
    if priority not in {p.value for p in Priority}:
        raise DomainError("unknown_priority", priority=priority)
    if unknown := set(changes) - set(TARGETS):
        raise DomainError("unknown_target", target=sorted(unknown)[0])
    if "first_response" in changes and changes["first_response"] is None:
        raise DomainError("first_response_required")
    row = await _row(uow, cat, priority)
    if row is None:
        base = await target_for(uow, None if cat == ANY else cat, priority)
        row = SlaPolicy(
            category=cat,
            priority=priority,
            **span_columns("first_response", base.first_response),
            **span_columns("resolution", base.resolution),
            **span_columns("on_site", base.on_site),
        )
        uow.policy.add(row)
    for name, span in changes.items():
        for key, value in span_columns(name, span).items():
            setattr(row, key, value)
    row.updated_at = uow.clock.now()
    await uow.flush()
    return row


async def set_level(uow: UnitOfWork, level: int, span: Span, priority: str = ANY) -> EscalationPolicy:
    if level not in (1, 2, 3):
        raise DomainError("unknown_level", level=str(level))
    row = await uow.policy.level_row(level, priority)
    if row is None:
        row = EscalationPolicy(level=level, priority=priority)
        uow.policy.add(row)
    row.clock, row.business_days = span.clock, span.business_days
    row.minutes = int(span.time / timedelta(minutes=1))
    row.updated_at = uow.clock.now()
    await uow.flush()
    return row


# -- lookups --------------------------------------------------------------------------------------
async def target_for(uow: UnitOfWork, category: str | None, priority: str) -> SlaTarget:
    """The category's row, else the any-category row, else the built-in default."""
    for cat in ([category] if category else []) + [ANY]:
        row = await uow.policy.sla_lookup(cat, priority)
        if row is not None:
            return row_target(row)
    for t in default_sla_targets():
        if t.priority == priority and t.category is None:
            return t
    raise DomainError("unknown_priority", priority=priority)


async def level_span(uow: UnitOfWork, level: int, priority: str) -> Span | None:
    rows = await uow.policy.level_lookup(level, [priority, ANY])
    for row in sorted(rows, key=lambda r: r.priority == ANY):
        return span_of(row.clock, row.minutes, row.business_days)
    return next((d.deadline for d in default_escalation_deadlines() if d.level == level), None)


def _hm(text: str) -> time:
    h, _, m = text.partition(":")
    return time(int(h), int(m or 0))


async def working_hours(uow: UnitOfWork, district_code: str | None) -> WorkingHours:
    """Working hours of a district: its CalendarPolicy row, else the "*" row, else 08:30-17:30
    Monday-Friday."""
    scopes = ([district_code] if district_code else []) + [ANY]
    rows = await uow.policy.calendar_lookup(scopes)
    row = next((rows[s] for s in scopes if s in rows), None)
    if row is None:
        return WorkingHours()
    days = frozenset(int(d) for d in row.weekdays.split(",") if d.strip())
    return WorkingHours(start=_hm(row.start), end=_hm(row.end), weekdays=days)


async def set_working_hours(uow: UnitOfWork, scope: str, hours: WorkingHours) -> CalendarPolicy:
    """Working hours for a district code ("*" = every district without its own row)."""
    row = (await uow.policy.calendar_rows([scope])).get(scope)
    if row is None:
        row = CalendarPolicy(scope=scope)
        uow.policy.add(row)
    row.start, row.end = hours.start.strftime("%H:%M"), hours.end.strftime("%H:%M")
    row.weekdays = ",".join(str(d) for d in sorted(hours.weekdays))
    row.updated_at = uow.clock.now()
    await uow.flush()
    return row
