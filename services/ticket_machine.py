"""``apply()``: the one way a ticket changes.

1. lock and re-read the row (``SELECT … FOR UPDATE`` with ``populate_existing`` on
   PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already holds the writer lock, and the row is
   re-read all the same);
2. check the action against ``ticket_rules.TRANSITIONS`` and the person's roles
   (``ACTION_ROLES``, and for handling actions, that they handle the ticket at its level);
3. check the action's own preconditions and set its fields and timestamps (``_STEPS``);
4. record the event (``EVENT_OF[action]``) and let ``ticket_effects.follow`` derive the
   notifications, the escalation rules and the deadlines from it, in the same transaction.

Refusals raise a DomainError before anything is written, so the caller's rollback leaves
the database as it was.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from services import access, ticket_effects
from services.errors import DomainError, InvalidState, NotAllowed, NotFound
from services.ratings import satisfaction
from services.routing import community_of
from services.ticket_rules import (
    ACTION_ROLES,
    EVENT_OF,
    HANDLING_ACTIONS,
    Action,
    EventKind,
    TicketRole,
    next_state,
)
from storage.models import Account, Queue, Ticket, TicketEvent, TicketState
from storage.uow import UnitOfWork

S = TicketState
MAX_LEVEL = max(access.ESCALATION_KINDS)
REJECT_REASONS = ("duplicate", "invalid")


@dataclass
class Step:
    """What one ``apply`` works on."""

    uow: UnitOfWork
    ticket: Ticket
    actor: Account | None
    roles: frozenset[TicketRole]
    data: dict[str, Any]

    @property
    def now(self) -> Any:
        return self.uow.clock.now()


async def lock(uow: UnitOfWork, ticket_id: int) -> Ticket:
    ticket = await uow.tickets.get(ticket_id, for_update=True)
    if ticket is None:
        raise NotFound("ticket")
    return ticket


async def apply(
    uow: UnitOfWork, ticket: Ticket | int, actor: Account | None, action: Action, **data: Any
) -> Ticket:
    """Carry out ``action`` by ``actor`` (None: the system) on the ticket; returns it."""
    t = await lock(uow, ticket if isinstance(ticket, int) else _id(ticket))
    roles, after = await _check(uow, t, actor, action)
    step = Step(uow, t, actor, roles, dict(data))
    event_data = await _STEPS[action](step)
    if event_data is None:  # nothing to do (e.g. already at the top level)
        return t
    t.state = after
    await record(uow, t, actor, EVENT_OF[action], **event_data)
    return t


async def check(uow: UnitOfWork, ticket_id: int, actor: Account | None, action: Action) -> Ticket:
    """The ticket, when ``actor`` may do ``action`` on it now (e.g. before asking for the
    note of a Resolve); raises the refusal ``apply`` would raise. Reads without a lock."""
    t = await uow.tickets.get(ticket_id)
    if t is None:
        raise NotFound("ticket")
    await _check(uow, t, actor, action)
    return t


async def _check(
    uow: UnitOfWork, t: Ticket, actor: Account | None, action: Action
) -> tuple[frozenset[TicketRole], TicketState]:
    roles = await access.ticket_roles(uow, actor, t)
    if not roles & ACTION_ROLES[action]:
        raise NotAllowed(number=t.number)
    if action in HANDLING_ACTIONS and TicketRole.system not in roles:
        if not access.handles_now(roles, t, await access.queue_kind(uow, t)):
            raise NotAllowed(number=t.number)
    after = next_state(TicketState(t.state), action)
    if after is None:
        raise InvalidState(
            t.state, number=t.number, action=action.value, already=_already(TicketState(t.state), action)
        )
    return roles, after


def _already(state: TicketState, action: Action) -> bool:
    """The state the action leads to is already reached (a double tap)."""
    return any(next_state(s, action) == state for s in TicketState) and action not in (
        Action.remind,
        Action.mark_overdue,
        Action.escalate,
    )


def _id(ticket: Ticket) -> int:
    assert ticket.id is not None
    return ticket.id


async def record(
    uow: UnitOfWork, ticket: Ticket, actor: Account | None, kind: EventKind, **data: Any
) -> TicketEvent:
    """Append the event, then follow it (notifications, escalation rules, deadlines)."""
    ev = _event(uow, ticket, _id(ticket), actor, kind, data)
    uow.tickets.add(ev)
    await uow.flush()
    await _follow(uow, ticket, ev, planned=False)
    return ev


async def open_ticket(
    uow: UnitOfWork,
    ticket: Ticket,
    actor: Account | None,
    kind: EventKind,
    *,
    number: tuple[str, int],
    unit_of: tuple[int, int] | None = None,
    **data: Any,
) -> TicketEvent:
    """A new ticket and its first event: the deadlines are planned from that event before the
    row is written, so the INSERT carries them (no UPDATE of the row it just wrote); then the
    event is inserted with it and followed like any other. ``number`` and ``unit_of``: see
    ``TicketRepo.insert`` (the number and the reporter's unit are taken by the INSERT)."""
    ev = _event(uow, ticket, 0, actor, kind, data)  # its ticket id is known once inserted
    await ticket_effects.refresh_deadlines(uow, ticket, [ev])
    await uow.tickets.insert(ticket, first=ev, number=number, unit_of=unit_of)
    uow.touched_tickets.add(_id(ticket))
    uow.created_tickets.add(_id(ticket))
    await _follow(uow, ticket, ev, planned=True)
    return ev


def _event(
    uow: UnitOfWork,
    ticket: Ticket,
    ticket_id: int,
    actor: Account | None,
    kind: EventKind,
    data: dict[str, Any],
) -> TicketEvent:
    now = uow.clock.now()
    ticket.updated_at = now
    if ticket.id is not None:
        uow.touched_tickets.add(ticket.id)
    actor_id = actor.id if actor else None
    return TicketEvent(ticket_id=ticket_id, at=now, actor_id=actor_id, kind=kind.value, data=data)


async def _follow(uow: UnitOfWork, ticket: Ticket, ev: TicketEvent, *, planned: bool) -> None:
    """``planned``: the deadlines already count this event (only follow-ups change them)."""
    follow_ups = await ticket_effects.follow(uow, ticket, ev)
    for action, follow_data in follow_ups:
        await apply(uow, ticket, None, action, **follow_data)
    if follow_ups or not planned:
        await ticket_effects.refresh_deadlines(uow, ticket)


# -- the steps: preconditions and fields of each action ---------------------------------------
def _respond(st: Step) -> None:
    if st.ticket.acknowledged_at is None:
        st.ticket.acknowledged_at = st.now


async def _acknowledge(st: Step) -> dict[str, Any]:
    st.ticket.acknowledged_at = st.now
    return {}


async def _take(st: Step) -> dict[str, Any]:
    t, actor = st.ticket, st.actor
    assert actor is not None and actor.id is not None
    if t.assignee_id == actor.id and t.state == S.in_progress:
        raise DomainError("already_yours", number=t.number)
    if t.assignee_id not in (None, actor.id) and TicketRole.manager not in st.roles:
        other = await st.uow.accounts.get(t.assignee_id)
        raise DomainError("taken_by_other", number=t.number, name=other.display_name if other else "?")
    _respond(st)
    previous = t.assignee_id
    t.assignee_id = actor.id
    return {"assignee": actor.id, "name": actor.display_name, "previous": previous}


def _needs_reporter(t: Ticket) -> None:
    if t.reporter_id is None:
        raise DomainError("no_reporter", number=t.number)


async def _ask(st: Step) -> dict[str, Any]:
    _needs_reporter(st.ticket)
    _respond(st)
    st.ticket.waiting_since = st.now
    return {"text": str(st.data["text"])}


async def _message(st: Step) -> dict[str, Any]:
    _needs_reporter(st.ticket)
    _respond(st)
    return {"text": str(st.data.get("text", "")), "photos": list(st.data.get("photos") or [])}


async def _resolve(st: Step) -> dict[str, Any]:
    t, note = st.ticket, st.data.get("note")
    _respond(st)
    t.resolved_at, t.resolution_note, t.waiting_since = st.now, note, None
    if t.assignee_id is None and st.actor is not None:
        t.assignee_id = st.actor.id
    return {"note": note or ""}


async def _reject(st: Step) -> dict[str, Any]:
    t, reason = st.ticket, str(st.data.get("reason", ""))
    if reason not in REJECT_REASONS:
        raise DomainError("unknown_reason")
    other_number = None
    if reason == "duplicate":
        wanted = str(st.data.get("duplicate_of") or "").strip().upper()
        other = await st.uow.tickets.by_number(wanted)
        if other is None or other.id == t.id:
            raise DomainError("duplicate_not_found", number=wanted[:32])
        t.duplicate_of_id, other_number = other.id, other.number
    _respond(st)
    t.reject_reason, t.closed_at, t.waiting_since = reason, st.now, None
    return {"reason": reason, "duplicate_of": other_number}


async def _reroute(st: Step) -> dict[str, Any]:
    """A property company's "not ours" does not end a ticket: the community gets it."""
    t = st.ticket
    if t.queue == Queue.community:
        raise DomainError("cannot_reroute", number=t.number)
    compound = await st.uow.org.get(t.compound_id)
    assert compound is not None
    community = await community_of(st.uow, compound)
    company = await st.uow.org.get(t.queue_org_id)
    assert community.id is not None
    t.queue, t.queue_org_id = Queue.community, community.id
    t.assignee_id, t.waiting_since, t.acknowledged_at = None, None, None
    t.reject_reason = "not_responsible"
    return {
        "reason": "not_responsible",
        "note": str(st.data.get("note") or ""),
        "from": company.code if company else None,
        "from_id": company.id if company else None,
        "from_name": company.name if company else None,
        "to": community.code,
        "community": community.name,
    }


async def _reporter_message(st: Step) -> dict[str, Any]:
    answered = st.ticket.state == S.waiting_resident
    st.ticket.waiting_since = None
    return {
        "text": str(st.data.get("text", "")),
        "photos": list(st.data.get("photos") or []),
        "answered": answered,
    }


async def _confirm(st: Step) -> dict[str, Any]:
    st.ticket.closed_at = st.now
    return {}


async def _reopen(st: Step) -> dict[str, Any]:
    t = st.ticket
    t.reopen_count, t.resolved_at = t.reopen_count + 1, None
    return {"count": t.reopen_count}


async def _rate(st: Step) -> dict[str, Any]:
    t, stars = st.ticket, int(st.data["stars"])
    if not 1 <= stars <= 5:
        raise DomainError("bad_rating")
    if t.rating is not None:
        raise DomainError("already_rated", number=t.number)
    t.rating = stars
    return {"stars": stars, "level": satisfaction(stars)}


async def _comment(st: Step) -> dict[str, Any]:
    t = st.ticket
    if t.rating is None:
        raise DomainError("not_rated", number=t.number)
    if t.rating_comment:
        raise DomainError("already_commented", number=t.number)
    t.rating_comment = str(st.data["text"])
    return {"text": t.rating_comment}


async def _checkpoint(st: Step) -> dict[str, Any]:
    return {k: st.data.get(k) for k in ("target", "percent", "due", "at")}


async def _escalate(st: Step) -> dict[str, Any] | None:
    t = st.ticket
    if t.escalation_level >= MAX_LEVEL:
        return None
    before = t.escalation_level
    after = before + 1
    if after == 1 and t.queue == Queue.community:
        after = 2  # the community already handles it: the next layer is the street
    t.escalation_level = after
    return {
        "from": before,
        "to": after,
        "reason": str(st.data.get("reason", "whistle")),
        "late_minutes": int(st.data.get("late_minutes", 0)),
    }


async def _auto_close(st: Step) -> dict[str, Any]:
    st.ticket.closed_at = st.now
    return {"days": st.uow.config.auto_close_after.total_seconds() / 86400}


_STEPS: dict[Action, Callable[[Step], Awaitable[dict[str, Any] | None]]] = {
    Action.acknowledge: _acknowledge,
    Action.take: _take,
    Action.ask: _ask,
    Action.message: _message,
    Action.resolve: _resolve,
    Action.reject: _reject,
    Action.reroute: _reroute,
    Action.answer: _reporter_message,
    Action.add_info: _reporter_message,
    Action.confirm: _confirm,
    Action.reopen: _reopen,
    Action.rate: _rate,
    Action.comment: _comment,
    Action.remind: _checkpoint,
    Action.mark_overdue: _checkpoint,
    Action.escalate: _escalate,
    Action.auto_close: _auto_close,
}
