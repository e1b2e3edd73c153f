"""The ticket (工单) state machine as data: one table of transitions, who may do what.

    new ──acknowledge──▶ acknowledged ──take──▶ in_progress ⇄ waiting_resident
     │                        │                   │  (ask / answer: clock paused)
     └──────────── resolve ───┴───────────────────┴──▶ resolved ──confirm / auto_close──▶ closed
                                                         │ reopen ▲                      (rate, comment)
                                                         └────────┘ (→ in_progress)
    any open state ──reject (invalid / duplicate)──▶ rejected
    any open state ──reroute (not responsible)──▶ new, in the community queue

``TRANSITIONS`` is the only place a ticket's next state is decided; ``ACTION_ROLES`` says
which kind of person may ask for an action; ``allowed_actions(state, role)`` is what the
buttons offer. ``services/ticket_machine.apply`` enforces both and records ``EVENT_OF[action]``.
Pure: no database, no I/O.
"""

from __future__ import annotations

from enum import StrEnum

from storage.models import TicketState

S = TicketState


class Action(StrEnum):
    """What someone (or the clock) does to a ticket."""

    acknowledge = "acknowledge"  # handler: "seen, we are on it"
    take = "take"  # handler: assign it to me
    ask = "ask"  # handler: ask the reporter a question (the clock pauses)
    message = "message"  # handler: write to the reporter
    resolve = "resolve"  # handler: done (with a note)
    reject = "reject"  # handler: invalid, or duplicate of another ticket
    reroute = "reroute"  # property staff: not responsible, the community takes it
    answer = "answer"  # reporter: answers the question (the clock resumes)
    add_info = "add_info"  # reporter: more information
    confirm = "confirm"  # reporter: "fixed"
    reopen = "reopen"  # reporter: "not fixed"
    rate = "rate"  # reporter: 1-5 stars
    comment = "comment"  # reporter: a comment on the rating
    remind = "remind"  # clock: a reminder moment of a deadline passed
    mark_overdue = "mark_overdue"  # clock: a deadline passed
    escalate = "escalate"  # clock, rules or a supervisor: one level up
    auto_close = "auto_close"  # clock: resolved and unanswered for N days


class EventKind(StrEnum):
    """What the append-only ticket history records (TicketEvent.kind)."""

    created = "created"
    acknowledged = "acknowledged"
    assigned = "assigned"
    asked = "asked"
    staff_message = "staff_message"
    resident_message = "resident_message"
    resolved = "resolved"
    rejected = "rejected"
    rerouted = "rerouted"
    reopened = "reopened"
    confirmed = "confirmed"
    rated = "rated"
    rating_comment = "rating_comment"
    reminded = "reminded"
    overdue = "overdue"
    escalated = "escalated"
    auto_closed = "auto_closed"


class TicketRole(StrEnum):
    """How a person stands to one ticket (services/ticket_access.ticket_roles)."""

    reporter = "reporter"
    staff = "staff"  # works the property company queue the ticket is in
    manager = "manager"
    community = "community"  # community worker of the ticket's community
    street = "street"
    admin = "admin"
    system = "system"  # the clock and the rules


EVENT_OF: dict[Action, EventKind] = {
    Action.acknowledge: EventKind.acknowledged,
    Action.take: EventKind.assigned,
    Action.ask: EventKind.asked,
    Action.message: EventKind.staff_message,
    Action.resolve: EventKind.resolved,
    Action.reject: EventKind.rejected,
    Action.reroute: EventKind.rerouted,
    Action.answer: EventKind.resident_message,
    Action.add_info: EventKind.resident_message,
    Action.confirm: EventKind.confirmed,
    Action.reopen: EventKind.reopened,
    Action.rate: EventKind.rated,
    Action.comment: EventKind.rating_comment,
    Action.remind: EventKind.reminded,
    Action.mark_overdue: EventKind.overdue,
    Action.escalate: EventKind.escalated,
    Action.auto_close: EventKind.auto_closed,
}

OPEN = (S.new, S.acknowledged, S.in_progress, S.waiting_resident)
LIVE = OPEN + (S.resolved,)


def _same(states: tuple[TicketState, ...], action: Action) -> dict[tuple[TicketState, Action], TicketState]:
    return {(s, action): s for s in states}


TRANSITIONS: dict[tuple[TicketState, Action], TicketState] = {
    (S.new, Action.acknowledge): S.acknowledged,
    **{(s, Action.take): S.in_progress for s in (S.new, S.acknowledged, S.in_progress)},
    **{(s, Action.ask): S.waiting_resident for s in (S.new, S.acknowledged, S.in_progress)},
    (S.new, Action.message): S.acknowledged,  # writing to the reporter is a first response
    **_same((S.acknowledged, S.in_progress, S.waiting_resident, S.resolved), Action.message),
    **{(s, Action.resolve): S.resolved for s in OPEN},
    **{(s, Action.reject): S.rejected for s in OPEN},
    **{(s, Action.reroute): S.new for s in OPEN},
    (S.waiting_resident, Action.answer): S.in_progress,
    **_same((S.new, S.acknowledged, S.in_progress, S.resolved), Action.add_info),
    (S.resolved, Action.confirm): S.closed,
    (S.resolved, Action.reopen): S.in_progress,
    (S.closed, Action.rate): S.closed,
    (S.closed, Action.comment): S.closed,
    **_same(OPEN, Action.remind),
    **_same(OPEN, Action.mark_overdue),
    **_same(OPEN + (S.closed,), Action.escalate),  # closed: a "dissatisfied" rating
    (S.resolved, Action.auto_close): S.closed,
}

HANDLERS = frozenset(
    {TicketRole.staff, TicketRole.manager, TicketRole.community, TicketRole.street, TicketRole.admin}
)
REPORTER = frozenset({TicketRole.reporter})
SYSTEM = frozenset({TicketRole.system})

ACTION_ROLES: dict[Action, frozenset[TicketRole]] = {
    Action.acknowledge: HANDLERS,
    Action.take: HANDLERS,
    Action.ask: HANDLERS,
    Action.message: HANDLERS,
    Action.resolve: HANDLERS,
    Action.reject: HANDLERS,
    Action.reroute: frozenset({TicketRole.staff, TicketRole.manager}),
    Action.answer: REPORTER,
    Action.add_info: REPORTER,
    Action.confirm: REPORTER,
    Action.reopen: REPORTER,
    Action.rate: REPORTER,
    Action.comment: REPORTER,
    Action.remind: SYSTEM,
    Action.mark_overdue: SYSTEM,
    # a supervisor may raise a ticket (吹哨) besides the rules
    Action.escalate: SYSTEM | {TicketRole.community, TicketRole.street, TicketRole.admin},
    Action.auto_close: SYSTEM,
}

# actions that need the person to be handling the ticket now (its queue, or the escalation
# layer it reached), not just to hold the role somewhere above it
HANDLING_ACTIONS = frozenset(
    {
        Action.acknowledge,
        Action.take,
        Action.ask,
        Action.message,
        Action.resolve,
        Action.reject,
        Action.reroute,
    }
)


def next_state(state: TicketState, action: Action) -> TicketState | None:
    """The state after ``action``, or None when the table does not allow it."""
    return TRANSITIONS.get((TicketState(state), action))


def allowed_actions(state: TicketState, role: TicketRole) -> tuple[Action, ...]:
    """Actions ``role`` may take in ``state``, in declaration order (for buttons)."""
    s = TicketState(state)
    return tuple(a for a in Action if (s, a) in TRANSITIONS and role in ACTION_ROLES[a])


def allowed_for(state: TicketState, roles: frozenset[TicketRole] | set[TicketRole]) -> tuple[Action, ...]:
    """Actions any of ``roles`` may take in ``state``."""
    s = TicketState(state)
    return tuple(a for a in Action if (s, a) in TRANSITIONS and roles & ACTION_ROLES[a])
