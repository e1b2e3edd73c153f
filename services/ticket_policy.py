"""What follows a recorded ticket event, as data: who is told, and what it does to the clocks.

One row per ``EventKind``. ``services/ticket_effects.follow`` reads it right after the event
is recorded, inside the same transaction; ``services/deadlines.history`` reads the clock
columns. No transition notifies anyone or touches a deadline by hand.

Audiences: ``reporter`` (the resident who reported), ``queue`` (everyone working the ticket's
queue, and its staff group topic), ``handlers`` (the assignee if any, else the queue),
``level`` (the people of the escalation level just reached).
Pure: no database, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from services.ticket_rules import EventKind

E = EventKind


class Audience(StrEnum):
    reporter = "reporter"
    queue = "queue"
    handlers = "handlers"
    level = "level"


class Trigger(StrEnum):
    """A rule that may raise the escalation level after the event (services/ticket_effects)."""

    second_reopen = "second_reopen"  # the Nth reopen (DomainConfig.escalate_after_reopens)
    dissatisfied = "dissatisfied"  # a 1-2 star rating
    level_zero_breach = "level_zero_breach"  # a deadline missed while nobody above was told


@dataclass(frozen=True)
class Tell:
    audience: Audience
    kind: str  # the notification kind (its renderer in handlers/notices*.py)


@dataclass(frozen=True)
class EventPolicy:
    tell: tuple[Tell, ...] = ()
    responds: bool = False  # meets the first-response deadline
    pauses: bool = False  # the ticket now waits for the reporter: every clock pauses
    resumes: bool = False  # the wait (if any) ends
    restarts: bool = False  # a new queue: first response and resolution start again
    restarts_resolution: bool = False  # reopened: the resolution clock starts again
    starts_level: bool = False  # the escalation level's own deadline starts
    trigger: Trigger | None = None


def _tell(audience: Audience, kind: str) -> tuple[Tell, ...]:
    return (Tell(audience, kind),)


A = Audience
POLICY: dict[EventKind, EventPolicy] = {
    E.created: EventPolicy(tell=_tell(A.queue, "ticket_card")),
    E.acknowledged: EventPolicy(tell=_tell(A.reporter, "acknowledged"), responds=True),
    E.assigned: EventPolicy(tell=_tell(A.reporter, "taken"), responds=True),
    E.asked: EventPolicy(tell=_tell(A.reporter, "question"), responds=True, pauses=True),
    E.staff_message: EventPolicy(tell=_tell(A.reporter, "relay_to_resident"), responds=True),
    E.resident_message: EventPolicy(tell=_tell(A.handlers, "relay_to_staff"), resumes=True),
    E.resolved: EventPolicy(tell=_tell(A.reporter, "resolved"), responds=True, resumes=True),
    E.rejected: EventPolicy(tell=_tell(A.reporter, "rejected"), responds=True, resumes=True),
    E.rerouted: EventPolicy(
        tell=(Tell(A.queue, "ticket_card"), Tell(A.reporter, "rerouted")), resumes=True, restarts=True
    ),
    E.reopened: EventPolicy(
        tell=_tell(A.handlers, "reopened"), restarts_resolution=True, trigger=Trigger.second_reopen
    ),
    E.confirmed: EventPolicy(),
    E.rated: EventPolicy(tell=_tell(A.handlers, "rated"), trigger=Trigger.dissatisfied),
    E.rating_comment: EventPolicy(tell=_tell(A.handlers, "rating_comment")),
    E.reminded: EventPolicy(tell=_tell(A.handlers, "reminder")),
    E.overdue: EventPolicy(tell=_tell(A.handlers, "reminder"), trigger=Trigger.level_zero_breach),
    E.escalated: EventPolicy(tell=_tell(A.level, "escalation"), starts_level=True),
    E.auto_closed: EventPolicy(tell=_tell(A.reporter, "auto_closed")),
}

NO_POLICY = EventPolicy()


def policy_of(kind: str) -> EventPolicy:
    """The row for an event kind; kinds without one (older rows) have no effect."""
    try:
        return POLICY[EventKind(kind)]
    except ValueError:
        return NO_POLICY
