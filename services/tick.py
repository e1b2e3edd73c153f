"""The tick: what is due now (reminders, breaches, level deadlines, auto-close), written as
ticket changes, TicketEvents and outbox rows.

It reads only tickets whose indexed ``next_check_at`` has passed, each in its own short
transaction holding the ticket row (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite's
``BEGIN IMMEDIATE`` serialises writers), and handles the checkpoints in
(``sla_checked_at``, now]. So a tick that runs twice, two processes ticking at once, or a
restart after downtime neither loses nor repeats anything. Each due moment is a system action
(remind, mark_overdue, escalate, auto_close) through services/ticket_machine.py, so it is
recorded as an event and its notifications follow from the policy table.
"""

from __future__ import annotations

from dataclasses import dataclass

from services import deadlines
from services.deadlines import Checkpoint
from services.sweep import Sweep, sweep
from services.ticket_machine import apply
from services.ticket_rules import OPEN, Action
from storage.models import Ticket, TicketState
from storage.uow import UnitOfWork, UowFactory


@dataclass
class TickReport:
    tickets: int = 0  # tickets looked at
    reminders: int = 0  # reminder / overdue events recorded
    escalations: int = 0
    auto_closed: int = 0
    skipped: int = 0  # held by another process, or no longer due
    errors: int = 0


def _checkpoint_data(c: Checkpoint) -> dict[str, object]:
    return {
        "target": c.target,
        "percent": int(round(c.fraction * 100)),
        "due": c.due.isoformat() if c.due else None,
        "at": c.at.isoformat(),
    }


async def _act(uow: UnitOfWork, ticket: Ticket, c: Checkpoint, report: TickReport) -> None:
    """One due checkpoint, as a system action on the ticket (its event tells who must know)."""
    level_before = ticket.escalation_level
    if c.kind == "reminder":
        await apply(uow, ticket, None, Action.remind, **_checkpoint_data(c))
        report.reminders += 1
    elif c.kind == "breach":
        await apply(uow, ticket, None, Action.mark_overdue, **_checkpoint_data(c))
        report.reminders += 1
    elif c.kind == "level" and c.level == ticket.escalation_level and c.due is not None:
        late = uow.clock.now() - c.due
        await apply(
            uow,
            ticket,
            None,
            Action.escalate,
            reason="level_overdue",
            late_minutes=max(0, int(late.total_seconds() // 60)),
        )
    elif c.kind == "auto_close" and ticket.state == TicketState.resolved:
        await apply(uow, ticket, None, Action.auto_close)
        report.auto_closed += 1
    if ticket.escalation_level > level_before:
        report.escalations += 1


async def check_ticket(uow: UnitOfWork, ticket: Ticket, report: TickReport | None = None) -> TickReport:
    """Handle the ticket's checkpoints in (sla_checked_at, now], then plan the next look."""
    report = report or TickReport()
    now = uow.clock.now()
    since = ticket.sla_checked_at or ticket.created_at
    plan, _ = await deadlines.plan_for(uow, ticket)
    due = [c for c in plan.checkpoints if since < c.at <= now]
    breached = {c.target for c in due if c.kind == "breach"}
    for c in due:
        if c.kind == "reminder" and c.target in breached:
            continue  # the breach says it all
        if TicketState(ticket.state) not in (*OPEN, TicketState.resolved):
            break  # closed by an earlier checkpoint of this same look
        await _act(uow, ticket, c, report)
    ticket.sla_checked_at = now
    await deadlines.refresh(uow, ticket)
    report.tickets += 1
    return report


async def run_tick(uow_factory: UowFactory, *, batch: int = 100, max_tickets: int = 5000) -> TickReport:
    """One tick over every due ticket (up to ``max_tickets``; the rest wait for the next)."""
    report = TickReport()

    async def check(uow: UnitOfWork, ticket: Ticket) -> None:
        await check_ticket(uow, ticket, report)

    count = await sweep(
        uow_factory,
        Sweep(
            "ticket",
            lambda uow, now, n, seen: uow.tickets.due_for_check(now, n, seen),
            lambda uow, tid, now: uow.tickets.hold_if_due(tid, now),
            check,
        ),
        batch=batch,
        most=max_tickets,
    )
    report.skipped, report.errors = count.skipped, count.errors
    return report
