"""Renderers of the whistle's notifications (services/whistle_spec.POLICY says who gets
which): the department card, progress to the caller, reminders, misses, escalation above the
caller, the outcome; the ticket's resident gets two texts that name no failure."""

from __future__ import annotations

from typing import Any

from handlers.cards import local_time
from handlers.digest import join
from handlers.rendering import Renderers
from handlers.types import Reply, msg
from handlers.whistle_view import buttons_for, head, outcome_line
from storage.models import Account, Notification, Ticket, Whistle
from storage.uow import UnitOfWork

renderers = Renderers()


async def _load(uow: UnitOfWork, n: Notification) -> tuple[Whistle, Account, dict[str, Any]] | None:
    p: dict[str, Any] = dict(n.payload or {})
    row = await uow.whistles.get(int(p.get("id", 0)))
    reader = await uow.accounts.get(n.account_id or 0)
    if row is None or reader is None:
        return None
    return row, reader, p


def _what(p: dict[str, Any]) -> Any:
    return msg("whistle-what-report-in" if p.get("what") == "report_in" else "whistle-what-on-site")


@renderers.on("whistle_called")
async def _called(uow: UnitOfWork, n: Notification, ticket: Ticket | None, tz: str) -> list[Reply]:
    found = await _load(uow, n)
    if found is None:
        return []
    row, reader, _ = found
    caller = await uow.org.get(row.caller_org_id)
    text = join([msg("whistle-called-card", caller=caller.name if caller else "?"), await head(uow, row, tz)])
    return [Reply(text, buttons=await buttons_for(uow, reader, row))]


@renderers.on("whistle_progress")
async def _progress(uow: UnitOfWork, n: Notification, ticket: Ticket | None, tz: str) -> list[Reply]:
    found = await _load(uow, n)
    if found is None:
        return []
    row, reader, p = found
    events = {e.id: e.kind for e in await uow.aggregates.events("whistle", row.id or 0)}
    key = (
        "whistle-progress-arrived"
        if events.get(int(p.get("event", 0))) == "arrived"
        else "whistle-progress-in"
    )
    return [
        Reply(
            msg(
                key, id=row.id or 0, department=str(p.get("department", "?")), at=local_time(n.created_at, tz)
            ),
            buttons=await buttons_for(uow, reader, row),
        )
    ]


@renderers.on("whistle_reminder")
async def _reminder(uow: UnitOfWork, n: Notification, ticket: Ticket | None, tz: str) -> list[Reply]:
    found = await _load(uow, n)
    if found is None or found[0].state != "called":
        return []
    row, reader, p = found
    buttons = await buttons_for(uow, reader, row)
    if not buttons:
        return []  # done meanwhile
    text = msg(
        "whistle-reminder",
        id=row.id or 0,
        what=_what(p),
        percent=str(p.get("percent", 0)),
        problem=row.problem,
    )
    return [Reply(text, buttons=buttons)]


@renderers.on("whistle_missed", "whistle_escalated")
async def _missed(uow: UnitOfWork, n: Notification, ticket: Ticket | None, tz: str) -> list[Reply]:
    found = await _load(uow, n)
    if found is None:
        return []
    row, reader, p = found
    caller = await uow.org.get(row.caller_org_id)
    key = "whistle-escalated" if n.kind == "whistle_escalated" else "whistle-missed"
    text = msg(
        key,
        id=row.id or 0,
        department=str(p.get("department", "?")),
        what=_what(p),
        caller=caller.name if caller else "?",
        problem=row.problem,
    )
    return [Reply(join([text, await head(uow, row, tz)]), buttons=await buttons_for(uow, reader, row))]


@renderers.on("whistle_closed")
async def _closed(uow: UnitOfWork, n: Notification, ticket: Ticket | None, tz: str) -> list[Reply]:
    found = await _load(uow, n)
    if found is None:
        return []
    row = found[0]
    return [Reply(join([msg("whistle-closed-card", id=row.id or 0, problem=row.problem), outcome_line(row)]))]


@renderers.on("whistle_resident_called")
async def _resident_called(uow: UnitOfWork, n: Notification, ticket: Ticket | None, tz: str) -> list[Reply]:
    found = await _load(uow, n)
    if found is None or ticket is None:
        return []
    row, _, p = found
    departments = "、".join(str(d) for d in p.get("departments", []))
    return [
        Reply(
            msg(
                "whistle-resident-called",
                number=ticket.number,
                departments=departments,
                meet=local_time(row.meet_at, tz),
            ),
            ticket_id=ticket.id,
        )
    ]


@renderers.on("whistle_resident_closed")
async def _resident_closed(uow: UnitOfWork, n: Notification, ticket: Ticket | None, tz: str) -> list[Reply]:
    found = await _load(uow, n)
    if found is None or ticket is None:
        return []
    row = found[0]
    return [
        Reply(
            join([msg("whistle-resident-closed", number=ticket.number), outcome_line(row)]),
            ticket_id=ticket.id,
        )
    ]
