"""Operational read-outs for /healthz and /metrics: the database answers, the outbox backlog
and its oldest pending row, open tickets by state."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, text
from sqlmodel import col

from storage.models import OPEN_STATES, Notification, NotificationState, Ticket
from storage.uow import UnitOfWork


async def ping(uow: UnitOfWork) -> None:
    """Raises when the database does not answer."""
    await uow.session.execute(text("SELECT 1"))


async def outbox_backlog(uow: UnitOfWork) -> tuple[int, datetime | None]:
    """(pending notifications, the due time of the oldest one)."""
    q = select(func.count(), func.min(col(Notification.due_at))).where(
        col(Notification.state) == NotificationState.pending
    )
    count, oldest = (await uow.session.execute(q)).one()
    return int(count), oldest


async def open_tickets_by_state(uow: UnitOfWork) -> dict[str, int]:
    q = (
        select(col(Ticket.state), func.count())
        .where(col(Ticket.state).in_(OPEN_STATES))
        .group_by(col(Ticket.state))
    )
    return {str(getattr(s, "value", s)): int(n) for s, n in (await uow.session.execute(q)).all()}


async def outbox_due(uow: UnitOfWork, now: datetime) -> int:
    """Notifications the sender could deliver now: pending and due, or being sent."""
    q = select(func.count()).where(
        ((col(Notification.state) == NotificationState.pending) & (col(Notification.next_attempt_at) <= now))
        | (col(Notification.state) == NotificationState.sending)
    )
    return int((await uow.session.execute(q)).scalar_one())
