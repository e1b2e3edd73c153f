"""Expressions the report queries share: which tickets are valid, and when a ticket was first
answered in the queue that holds it now."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, exists, func, not_, select
from sqlalchemy.sql import ColumnElement

from storage.models import Ticket, TicketEvent, TicketState

TICKETS: Any = Ticket.__table__  # type: ignore[attr-defined]
T: Any = TICKETS.c
EVENTS: Any = TicketEvent.__table__  # type: ignore[attr-defined]
# a property company's "not ours" keeps the ticket valid (it goes to the community)
INVALID_REASONS = ("invalid", "duplicate")
# events that answer a ticket (first response); a rejection is an answer too
RESPONSE_KINDS = ("acknowledged", "assigned", "asked", "staff_message", "resolved", "rejected")
REROUTED = "rerouted"


def count_if(cond: ColumnElement[bool]) -> Any:
    """SUM(CASE WHEN cond THEN 1 ELSE 0 END), 0 over no rows."""
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def valid_ticket(state: Any = None, reject_reason: Any = None) -> ColumnElement[bool]:
    """Not rejected as invalid or duplicate (columns of the ticket table, or of a subquery)."""
    st = T.state if state is None else state
    why = T.reject_reason if reject_reason is None else reject_reason
    return not_(and_(st == TicketState.rejected.value, func.coalesce(why, "").in_(INVALID_REASONS)))


def ever_rerouted() -> Any:
    """EXISTS a "rerouted" event of the ticket (correlated with the enclosing ticket table)."""
    rr = EVENTS.alias("rr")
    return exists().where(rr.c.ticket_id == T.id, rr.c.kind == REROUTED)


def responded_at() -> Any:
    """When the ticket was first answered in its current queue.

    A re-route (a company's "not ours" → the community) restarts the first response, as the
    deadlines do: after one, only an answering event recorded after the last re-route counts,
    so the company's earlier acknowledgement does not answer for the community. Without a
    re-route it is the ticket's own answer time (acknowledged, else resolved, else closed: a
    rejection answers too)."""
    fr, later = EVENTS.alias("fr"), EVENTS.alias("later")
    rerouted_later = exists().where(
        later.c.ticket_id == fr.c.ticket_id, later.c.kind == REROUTED, later.c.id > fr.c.id
    )
    first_after = (
        select(func.min(fr.c.at))
        .where(fr.c.ticket_id == T.id, fr.c.kind.in_(RESPONSE_KINDS), not_(rerouted_later))
        .scalar_subquery()
    )
    return case(
        (not_(ever_rerouted()), func.coalesce(T.acknowledged_at, T.resolved_at, T.closed_at)),
        else_=first_after,
    )
