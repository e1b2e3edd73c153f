"""Whistle texts and buttons shared by the flow (handlers/whistle.py) and the notification
renderers (handlers/whistle_notices.py): the card, the record, the action buttons."""

from __future__ import annotations

from handlers.buttons import WhistleButton, WhOp
from handlers.cards import local_time
from handlers.digest import join
from handlers.types import Button, Reply, msg
from locales import Msg
from services import whistle
from storage.models import Account, Whistle
from storage.uow import UnitOfWork


def kind_label(kind: str) -> Msg:
    return msg(f"whistle-kind-{kind}")


async def head(uow: UnitOfWork, row: Whistle, tz: str) -> Msg:
    compound = await uow.org.get(row.compound_id)
    ticket = None if row.ticket_id is None else await uow.tickets.get(row.ticket_id)
    return msg(
        "whistle-head",
        id=row.id or 0,
        kind=kind_label(row.kind),
        compound=compound.name if compound else "?",
        subject=msg("whistle-on-ticket", number=ticket.number) if ticket else msg("whistle-on-item"),
        problem=row.problem,
        place=row.place,
        meet=local_time(row.meet_at, tz),
    )


async def buttons_for(uow: UnitOfWork, viewer: Account, row: Whistle) -> list[list[Button]]:
    out: list[list[Button]] = []
    names: dict[int, str] = {}
    for action, dept in await whistle.actions_for(uow, viewer, row):
        if dept and dept not in names:
            node = await uow.org.get(dept)
            names[dept] = node.name if node else "?"
        if action == "report_in":
            out.append(
                [
                    Button(
                        msg("btn-whistle-report-in", department=names[dept]),
                        WhistleButton(WhOp.rin, row.id or 0, dept),
                    )
                ]
            )
        elif action == "arrive":
            out.append(
                [
                    Button(
                        msg("btn-whistle-arrive", department=names[dept]),
                        WhistleButton(WhOp.arr, row.id or 0, dept),
                    )
                ]
            )
        elif action == "close":
            out.append([Button(msg("btn-whistle-close"), WhistleButton(WhOp.cls, row.id or 0))])
    return out


def _call_line(c: whistle.CallLine, tz: str) -> Msg:
    return msg(
        "whistle-call-line",
        department=c.department,
        reported=local_time(c.reported_in_at, tz),
        arrived=local_time(c.arrived_at, tz),
        missed=msg("whistle-missed-both")
        if c.missed_report_in and c.missed_on_site
        else msg("whistle-missed-report-in")
        if c.missed_report_in
        else msg("whistle-missed-on-site")
        if c.missed_on_site
        else msg("whistle-missed-none"),
    )


def outcome_line(row: Whistle) -> Msg:
    if row.outcome is None:
        return msg("whistle-open")
    return msg("whistle-outcome", outcome=msg(f"whistle-outcome-{row.outcome}"), note=row.outcome_note or "-")


async def record_reply(
    uow: UnitOfWork, viewer: Account, whistle_id: int, tz: str, *, edit: bool = False
) -> Reply:
    rec = await whistle.record(uow, viewer, whistle_id)
    lines = [await head(uow, rec.whistle, tz)]
    if rec.full:
        lines += [_call_line(c, tz) for c in rec.calls]
    else:  # a resident sees who was called and what came of it, not who failed
        lines.append(
            msg("whistle-called-departments", departments="、".join(c.department for c in rec.calls))
        )
    lines.append(outcome_line(rec.whistle))
    return Reply(
        join(lines),
        buttons=await buttons_for(uow, viewer, rec.whistle),
        photos=list(rec.whistle.outcome_photos) if rec.full else [],
        edit=edit,
    )
