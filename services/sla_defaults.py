"""Default SLA policy table (domain-rules.md, "Deadlines") as plain data.

Someone else seeds these into policy rows; nothing here is a statutory number (none exists).
Every duration is a ``Span``: an amount on one of two clocks.

* ``"business"``: counted only inside working hours on working days of the compound's
  ``BusinessCalendar``. ``business_days=n`` means n x the length of a working day (9 h with
  08:30-17:30), which from a start inside working hours ends at the same clock time n working
  days later (Mon 10:00 + 1 business day = Tue 10:00; a report at Mon 20:00 is due Tue 17:30).
* ``"24x7"``: wall-clock elapsed time (real hours, DST-safe), e.g. emergencies.

Decisions: urgent "resolution 24 h" is 24 wall-clock hours (24x7), not 24 business hours, and
urgent first response (2 h) runs on the 24x7 clock too: a heating failure on a Saturday morning
must not wait for Monday (issue 11). A resolution deadline never falls before the first-response
deadline (services/deadlines.make_plan clamps it; tests check every default row).
Emergency has no resolution target: the second deadline is "on site" (30 min); the pilot
rule is to stay until done (事不完人不撤). The SLA clock pauses while waiting for the resident
on both clocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from services.calendar import BusinessCalendar

Clock = Literal["business", "24x7"]


@dataclass(frozen=True)
class Span:
    """A target length: ``business_days`` working days plus ``time``, on ``clock``."""

    clock: Clock
    time: timedelta = timedelta(0)
    business_days: int = 0

    def __post_init__(self) -> None:
        if self.clock == "24x7" and self.business_days:
            raise ValueError("business_days needs the business clock; use time= for 24x7")
        if self.time < timedelta(0) or self.business_days < 0:
            raise ValueError("a span must not be negative")

    def resolve(self, business: BusinessCalendar) -> tuple[BusinessCalendar, timedelta]:
        """The calendar to count on and the duration for ``services.calendar.due_at``."""
        if self.clock == "24x7":
            return BusinessCalendar.twenty_four_seven(business.tz), self.time
        return business, business.business_days(self.business_days) + self.time


@dataclass(frozen=True)
class SlaTarget:
    """One policy row. ``category`` None = any category (a category row wins over it)."""

    category: str | None
    priority: str  # "emergency" | "urgent" | "normal"
    first_response: Span
    resolution: Span | None  # None: no resolution deadline (emergency: stay until done)
    on_site: Span | None = None  # emergency only: arrive within


@dataclass(frozen=True)
class EscalationDeadline:
    """Deadline of one escalation level (0 property is covered by the SLA targets)."""

    level: int
    name: str
    deadline: Span
    official: bool = False  # False: our default, not taken from any regulation


DEFAULT_REMINDER_FRACTIONS: tuple[float, ...] = (0.5, 0.8)
DEFAULT_AUTO_CLOSE_DAYS = 3  # calendar days without a resident answer after "resolved"


def default_sla_targets() -> list[SlaTarget]:
    return [
        SlaTarget(
            category=None,
            priority="emergency",
            first_response=Span("24x7", time=timedelta(minutes=15)),
            resolution=None,
            on_site=Span("24x7", time=timedelta(minutes=30)),
        ),
        SlaTarget(
            category=None,
            priority="urgent",
            first_response=Span("24x7", time=timedelta(hours=2)),
            resolution=Span("24x7", time=timedelta(hours=24)),
        ),
        SlaTarget(
            category=None,
            priority="normal",
            first_response=Span("business", business_days=1),
            resolution=Span("business", business_days=3),
        ),
    ]


def default_escalation_deadlines() -> list[EscalationDeadline]:
    """Our defaults (not official): community 1, street 2, district 3 business days."""
    return [
        EscalationDeadline(1, "community", Span("business", business_days=1)),
        EscalationDeadline(2, "street", Span("business", business_days=2)),
        EscalationDeadline(3, "district", Span("business", business_days=3)),
    ]


def default_auto_close_after() -> Span:
    return Span("24x7", time=timedelta(days=DEFAULT_AUTO_CLOSE_DAYS))
