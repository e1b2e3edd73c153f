"""The tick: what is due now (reminders, breaches, level deadlines, auto-close), written as
ticket changes, TicketEvents and outbox rows.

It reads only tickets whose indexed ``next_check_at`` has passed, each in its own short
transaction holding the ticket row (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite's
``BEGIN IMMEDIATE`` serialises writers), and handles the checkpoints in
(``sla_checked_at``, now]. So a tick that runs twice, two processes ticking at once, or a
restart after downtime neither loses nor repeats anything; outbox rows are also UNIQUE per
(kind, ticket, recipient, moment).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, select

from services import deadlines, notify
from services.deadlines import Checkpoint
from services.escalation import escalate
from services.ticket_core import record
from storage.models import Ticket, TicketState
from storage.repos._util import dialect_name
from storage.uow import UnitOfWork, UowFactory

log = logging.getLogger(__name__)


@dataclass
class TickReport:
    tickets: int = 0  # tickets looked at
    reminders: int = 0  # reminder / overdue outbox rows written
    escalations: int = 0
    auto_closed: int = 0
    skipped: int = 0  # held by another process, or no longer due
    errors: int = 0


async def _due_ids(uow: UnitOfWork, now: datetime, limit: int, seen: set[int]) -> list[int]:
    q = select(Ticket.id).where(col(Ticket.next_check_at) <= now)
    if seen:
        q = q.where(col(Ticket.id).notin_(seen))
    q = q.order_by(col(Ticket.next_check_at), col(Ticket.id)).limit(limit)
    return [int(r[0]) for r in (await uow.session.execute(q)).all()]


async def _hold(uow: UnitOfWork, ticket_id: int, now: datetime) -> Ticket | None:
    """The ticket, locked for this transaction, if it is still due."""
    q = select(Ticket).where(Ticket.id == ticket_id, col(Ticket.next_check_at) <= now)
    if dialect_name(uow.session) == "postgresql":
        q = q.with_for_update(skip_locked=True)
    res = await uow.session.execute(q.execution_options(populate_existing=True))
    return res.scalars().first()


def _percent(c: Checkpoint) -> int:
    return int(round(c.fraction * 100))


async def _remind(uow: UnitOfWork, ticket: Ticket, c: Checkpoint) -> int:
    payload = {"target": c.target, "percent": _percent(c),
               "due": c.due.isoformat() if c.due else None}
    key = f"{c.target}:{_percent(c)}:{c.at.isoformat()}"
    return await notify.to_handlers(uow, ticket, "reminder", key=key, payload=payload)


async def _auto_close(uow: UnitOfWork, ticket: Ticket) -> None:
    now = uow.clock.now()
    ticket.state, ticket.closed_at = TicketState.closed, now
    days = deadlines.config(uow).auto_close_after.time / timedelta(days=1)
    ev = await record(uow, ticket, None, "auto_closed", days=days)
    if ticket.reporter_id is not None:
        await notify.to_account(uow, ticket.reporter_id, "auto_closed", ticket=ticket,
                                key=str(ev.id), payload={"days": days})


async def check_ticket(uow: UnitOfWork, ticket: Ticket, report: TickReport | None = None) -> TickReport:
    """Handle the ticket's checkpoints in (sla_checked_at, now], then plan the next look."""
    report = report or TickReport()
    now = uow.clock.now()
    since = ticket.sla_checked_at or ticket.created_at
    plan, _ = await deadlines.plan_for(uow, ticket)
    due = [c for c in plan.checkpoints if since < c.at <= now]
    breached = {c.target for c in due if c.kind == "breach"}
    for c in due:
        if c.kind == "reminder" and c.target not in breached:
            report.reminders += await _remind(uow, ticket, c)
        elif c.kind == "breach":
            report.reminders += await _remind(uow, ticket, c)
            if ticket.escalation_level == 0 and c.due is not None:
                if await escalate(uow, ticket, f"{c.target}_overdue", late=now - c.due):
                    report.escalations += 1
        elif c.kind == "level" and c.level == ticket.escalation_level and c.due is not None:
            if await escalate(uow, ticket, "level_overdue", late=now - c.due):
                report.escalations += 1
        elif c.kind == "auto_close" and ticket.state == TicketState.resolved:
            await _auto_close(uow, ticket)
            report.auto_closed += 1
    ticket.sla_checked_at = now
    await deadlines.refresh(uow, ticket)
    report.tickets += 1
    return report


async def run_tick(uow_factory: UowFactory, *, batch: int = 100, max_tickets: int = 5000) -> TickReport:
    """One tick over every due ticket (up to ``max_tickets``; the rest wait for the next)."""
    report = TickReport()
    seen: set[int] = set()
    while len(seen) < max_tickets:
        async with uow_factory() as uow:
            now = uow.clock.now()
            ids = await _due_ids(uow, now, min(batch, max_tickets - len(seen)), seen)
        if not ids:
            break
        for ticket_id in ids:
            seen.add(ticket_id)
            try:
                async with uow_factory() as uow:
                    ticket = await _hold(uow, ticket_id, uow.clock.now())
                    if ticket is None:
                        report.skipped += 1
                        continue
                    await check_ticket(uow, ticket, report)
                    await uow.commit()
            except Exception:  # one broken ticket must not stop the others
                log.exception("tick failed for ticket %s", ticket_id)
                report.errors += 1
    return report
