"""Renderers for the deadline notifications written by services/tick.py and
services/escalation.py: "reminder", "escalation", "auto_closed". A reminder or an escalation
is one line with a button that opens the ticket's card (the card itself is not sent again);
several due for one person in the same tick are bundled by the outbox sender (bot/outbox.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from handlers.cards import card, local_time, pointer, rating_buttons
from handlers.rendering import Renderers
from handlers.types import Reply, msg
from locales import Msg
from storage.models import OPEN_STATES, Notification, Ticket, TicketState
from storage.uow import UnitOfWork

renderers = Renderers()


def late_text(late: timedelta) -> Msg:
    """ "2 小时 5 分钟" style duration (never negative); numbers passed as strings."""
    minutes = max(0, int(late.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return msg("deadline-late-days", days=str(days), hours=str(hours))
    if hours:
        return msg("deadline-late-hours", hours=str(hours), minutes=str(mins))
    return msg("deadline-late-minutes", minutes=str(mins))


def _key(text: str) -> str:
    return text.replace("_", "-")


def _when(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


@renderers.on("reminder", "escalation")
async def _deadline(uow: UnitOfWork, n: Notification, t: Ticket | None, tz: str) -> list[Reply]:
    line = await (_reminder(uow, n, t, tz) if n.kind == "reminder" else _escalation(uow, n, t, tz))
    return [line] if line is not None else []


@renderers.line("reminder")
async def _reminder(uow: UnitOfWork, n: Notification, t: Ticket | None, tz: str) -> Reply | None:
    if t is None or TicketState(t.state) not in OPEN_STATES:
        return None  # handled meanwhile: nothing to remind of
    p = dict(n.payload or {})
    target = str(p.get("target", "resolution"))
    if target == "first_response" and t.acknowledged_at is not None and t.state != TicketState.new:
        return None  # responded since the reminder was written
    percent, due = int(p.get("percent", 0)), _when(p.get("due"))
    target_msg = msg(f"deadline-target-{_key(target)}")
    if due is None:
        head = msg("deadline-reminder-paused", number=t.number, percent=str(percent), target=target_msg)
    elif percent >= 100:
        head = msg(
            "deadline-overdue",
            number=t.number,
            target=target_msg,
            due=local_time(due, tz),
            late=late_text(uow.clock.now() - due),
        )
    else:
        head = msg(
            f"deadline-reminder-{_key(target)}",
            number=t.number,
            percent=str(percent),
            due=local_time(due, tz),
        )
    return pointer(head, t)


@renderers.line("escalation")
async def _escalation(uow: UnitOfWork, n: Notification, t: Ticket | None, tz: str) -> Reply | None:
    if t is None:
        return None
    p = dict(n.payload or {})
    level = msg(f"deadline-level-{int(p.get('to', p.get('level', t.escalation_level)))}")
    reason = msg(f"deadline-reason-{_key(str(p.get('reason', 'whistle')))}")
    late = int(p.get("late_minutes", 0))
    if late > 0:
        head = msg(
            "deadline-escalation-late",
            number=t.number,
            level=level,
            reason=reason,
            late=late_text(timedelta(minutes=late)),
        )
    else:
        head = msg("deadline-escalation", number=t.number, level=level, reason=reason)
    return pointer(head, t)


@renderers.on("auto_closed")
async def _auto_closed(uow: UnitOfWork, n: Notification, t: Ticket | None, tz: str) -> list[Reply]:
    if t is None:
        return []
    days = (n.payload or {}).get("days", 3)
    days_text = str(int(days)) if float(days).is_integer() else str(days)
    buttons = rating_buttons(t.id) if t.state == TicketState.closed and t.rating is None else []
    return [
        Reply(msg("deadline-auto-closed", number=t.number, days=days_text), buttons=buttons, ticket_id=t.id),
        Reply(
            await card(uow, t, tz, personal=False, unit=True, resident=True), ticket_id=t.id
        ),  # the reporter's own
    ]
