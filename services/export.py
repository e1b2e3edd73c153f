"""Ticket export rows (no text: the CLI adds the headers and names from the catalogues).

Personal data (PIPL): phones are masked (at least half of the digits hidden) and anonymous
reporters hidden, unless the export is unmasked. Who may export what:

* without an account (the operator on the server): every compound, masked;
* ``as_account``: only the compounds under the nodes where that account holds the admin role
  (a district admin: the district; an admin of one community: that community); refused with
  DomainError("export_not_admin") for an account without any admin grant;
* unmasked: only ``as_account`` (DomainError("export_needs_admin") without one), and every
  unmasked export leaves an "export_unmasked" row in the append-only audit log, in the
  caller's transaction (commit it before streaming the rows).

The phone column is the hotline caller's number, else the reporter's account phone (hidden
with the reporter when the ticket is anonymous).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from services.errors import DomainError
from services.org_rollup import OrgIndex
from services.ratings import RatingScale, satisfaction
from storage.models import Account, Role, Ticket
from storage.queries import export as eq
from storage.uow import UnitOfWork

AUDIT_ACTION = "export_unmasked"


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
    """The digits with at least half of them hidden: up to the first 3 and the last 4 stay
    when that hides half or more, fewer otherwise (13******234, 69****34); None for no phone."""
    if not phone or not phone.strip():
        return None
    digits = [ch for ch in phone if ch.isdigit()]
    if not digits:
        return "****"
    shown = len(digits) // 2  # so that len - shown >= len / 2 are hidden
    tail = min(4, (shown + 1) // 2)
    head = min(3, shown - tail)
    hidden = len(digits) - head - tail
    return "".join(digits[:head]) + "*" * hidden + "".join(digits[len(digits) - tail :])


async def admin_nodes(uow: UnitOfWork, account_id: int) -> list[int]:
    """The org nodes where the account holds the admin role."""
    return sorted({g.org_id for g in await uow.accounts.grants(account_id) if g.role == Role.admin})


async def is_admin(uow: UnitOfWork, account_id: int) -> bool:
    return bool(await admin_nodes(uow, account_id))


@dataclass(frozen=True)
class ExportGrant:
    """What one export may contain (from ``authorize``)."""

    account_id: int | None
    compound_ids: tuple[int, ...] | None  # None: every compound
    unmasked: bool
    org_codes: tuple[str, ...] = ()  # the admin nodes bounding it


async def authorize(
    uow: UnitOfWork,
    start: datetime,
    end: datetime,
    *,
    as_account: int | None = None,
    unmasked: bool = False,
    **audit: Any,
) -> ExportGrant:
    """Check the export against the account's admin grants; an unmasked export writes its audit
    row (with ``audit`` as extra parameters, e.g. the file format) into this transaction."""
    if as_account is None:
        if unmasked:
            raise DomainError("export_needs_admin")
        return ExportGrant(None, None, False)
    nodes = await admin_nodes(uow, as_account)
    if not nodes:
        raise DomainError("export_not_admin", account=str(as_account))
    idx = await OrgIndex.load(uow)
    compounds = tuple(c.id for c in idx.compounds_under_any(nodes) if c.id is not None)
    codes = tuple(idx.by_id[n].code for n in nodes if n in idx.by_id)
    if unmasked:
        await uow.audit.add(
            at=uow.clock.now(),
            actor_id=as_account,
            action=AUDIT_ACTION,
            params={
                "from": start.isoformat(),
                "to": end.isoformat(),
                "orgs": list(codes),
                "compounds": len(compounds),
                **audit,
            },
        )
    return ExportGrant(as_account, compounds, unmasked, codes)


def _row(
    t: Ticket, code: str, name: str, reporter: Account | None, unmasked: bool, scale: RatingScale
) -> ExportRow:
    hide = t.anonymous and not unmasked
    if t.reporter_id is None:
        kind = "hotline" if t.source == "hotline" else "none"
    else:
        kind = "anonymous" if t.anonymous else "named"
    who = None if hide or reporter is None else reporter.display_name
    phone = t.caller_phone or (None if hide or reporter is None else reporter.phone)
    return ExportRow(
        t.number,
        t.created_at,
        code,
        name,
        t.category,
        str(t.priority),
        str(t.source),
        str(t.state),
        str(t.queue),
        t.escalation_level,
        t.reopen_count,
        t.acknowledged_at,
        t.resolved_at,
        t.closed_at,
        t.first_response_due,
        t.resolution_due,
        t.rating,
        satisfaction(t.rating, scale) if t.rating is not None else None,
        t.reject_reason,
        kind,
        who,
        phone if unmasked else mask_phone(phone),
        t.external_ref,
        t.description,
    )


async def export_tickets(
    uow: UnitOfWork,
    start: datetime,
    end: datetime,
    grant: ExportGrant | None = None,
    *,
    scale: RatingScale | None = None,
    batch: int = 1000,
) -> AsyncIterator[ExportRow]:
    """The tickets received in [start, end) that ``grant`` covers (default: every compound,
    masked), oldest first, streamed in batches."""
    g = grant or ExportGrant(None, None, False)
    s = scale or RatingScale()
    async for t, code, name, reporter in eq.ticket_rows(
        uow.session, start, end, compound_ids=g.compound_ids, batch=batch
    ):
        yield _row(t, code, name, reporter, g.unmasked, s)
