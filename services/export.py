"""Ticket export rows (no text: the CLI adds the headers and names from the catalogues).

Personal data (PIPL): phones are masked (138****1234) and anonymous reporters hidden unless
the export is made for an account holding the admin role (``unmasked_for``); anyone else
asking for an unmasked export is refused with DomainError("export_not_admin").
The phone column is the hotline caller's number, else the reporter's account phone (hidden
with the reporter when the ticket is anonymous).
"""
from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased
from sqlmodel import col

from services.errors import DomainError
from services.ratings import RatingScale, satisfaction
from storage.models import Account, OrgNode, Role, Ticket
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class ExportRow:
    number: str
    received_at: datetime
    compound_code: str
    compound_name: str
    category: str  # key
    priority: str
    source: str
    state: str
    queue: str
    escalation_level: int
    reopen_count: int
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    first_response_due: datetime | None
    resolution_due: datetime | None
    rating: int | None
    satisfaction: str | None  # satisfied | basic | dissatisfied
    reject_reason: str | None
    reporter_kind: str  # named | anonymous | hotline | none
    reporter: str | None  # display name; None when hidden
    phone: str | None
    external_ref: str | None
    description: str


EXPORT_FIELDS = tuple(f.name for f in fields(ExportRow))


def mask_phone(phone: str | None) -> str | None:
    """138****1234; short numbers become ****."""
    if not phone:
        return None
    p = phone.strip()
    return p[:3] + "****" + p[-4:] if len(p) >= 8 else "****"


async def is_admin(uow: UnitOfWork, account_id: int) -> bool:
    return any(g.role == Role.admin for g in await uow.accounts.grants(account_id))


def _row(t: Ticket, code: str, name: str, reporter: Account | None, unmasked: bool,
         scale: RatingScale) -> ExportRow:
    hide = t.anonymous and not unmasked
    if t.reporter_id is None:
        kind = "hotline" if t.source == "hotline" else "none"
    else:
        kind = "anonymous" if t.anonymous else "named"
    who = None if hide or reporter is None else reporter.display_name
    phone = t.caller_phone or (None if hide or reporter is None else reporter.phone)
    return ExportRow(
        t.number, t.created_at, code, name, t.category, str(t.priority), str(t.source),
        str(t.state), str(t.queue), t.escalation_level, t.reopen_count, t.acknowledged_at,
        t.resolved_at, t.closed_at, t.first_response_due, t.resolution_due, t.rating,
        satisfaction(t.rating, scale) if t.rating is not None else None, t.reject_reason,
        kind, who, phone if unmasked else mask_phone(phone), t.external_ref, t.description,
    )


async def export_tickets(uow: UnitOfWork, start: datetime, end: datetime, *,
                         unmasked_for: int | None = None, scale: RatingScale | None = None,
                         batch: int = 1000) -> AsyncIterator[ExportRow]:
    """The tickets received in [start, end), oldest first, streamed in batches.
    ``unmasked_for``: the admin account the unmasked export is made for."""
    unmasked = False
    if unmasked_for is not None:
        if not await is_admin(uow, unmasked_for):
            raise DomainError("export_not_admin", account=str(unmasked_for))
        unmasked = True
    compound = aliased(OrgNode)
    q = (select(Ticket, col(compound.code), col(compound.name), Account)
         .join(compound, col(compound.id) == col(Ticket.compound_id))
         .outerjoin(Account, col(Account.id) == col(Ticket.reporter_id))
         .where(col(Ticket.created_at) >= start, col(Ticket.created_at) < end)
         .order_by(col(Ticket.created_at), col(Ticket.id))
         .execution_options(yield_per=batch))
    s = scale or RatingScale()
    result = await uow.session.stream(q)
    async for t, code, name, reporter in result:
        yield _row(t, code, name, reporter, unmasked, s)
