"""12345 hotline intake: a CSV export of dispatched orders becomes tickets (source=hotline).

Columns (header row required, any order; extra columns are ignored)::

    order_no,received_at,address,compound_code,category,content,caller_phone

* ``order_no``      the hotline order number (工单编号), ≤ 64 characters, compared and stored
                    normalised (NFKC, stripped, upper case: ``gd001`` is ``GD001``) as the
                    ticket's ``external_ref``: an order already imported (in any letter case),
                    or repeated further up in the same file, is a duplicate and is skipped;
* ``received_at``   when the hotline received the call: ISO 8601 (``2026-11-20T09:31:00+08:00``)
                    or ``2026-11-20 09:31`` / ``2026-11-20 09:31:05`` / ``2026/11/20 09:31``;
                    without a zone it is Asia/Shanghai time; it must lie in the plausible
                    window (default: from 2000-01-01 to one day after the clock);
* ``address``       the address the caller gave (used when ``compound_code`` is empty);
* ``compound_code`` our compound code (e.g. ``XGY``); when empty the compound is found from the
                    address: equal to a compound's address, else containing a compound's
                    address, else containing a compound's name (or the name without a trailing
                    小区); the longest match wins, two different compounds with an equally long
                    match are ambiguous;
* ``category``      the hotline's category text, mapped by keywords (漏水/渗水 → leak,
                    供暖/暖气 → heating, 电梯 → elevator, 噪音/扰民 → noise, …, see
                    services/hotline_match.KEYWORDS);
                    our own keys (``leak``) are accepted as well; unknown → ``other``; when the
                    column is empty the content is searched for the keywords;
* ``content``       the complaint text, required, ≤ ``max_content`` characters (default 2000);
                    it may hold line breaks when the cell is quoted;
* ``caller_phone``  optional; digits, spaces, ``+`` and ``-`` only; shown masked (138****1234).

Extra columns are ignored (the 12345 system exports many); each row is a ``HotlineRow``
(``extra="forbid"``) of the known columns.

Reading and checking the rows (malformed records from a stray quote, control characters,
the date window, order-number normalisation) is services/hotline_csv.py. Row numbers are
spreadsheet rows: the header is row 1. Every row is checked before anything is written; a
rejected row stores nothing and carries a Problem (row, column, message key; no personal data).
The valid rows are stored in the caller's transaction, each inside a SAVEPOINT: a database
error on one row rejects that row only (``hotline-not-stored``) and the others are kept. A
dry run checks everything and writes nothing (``would_create`` lists the rows; no ticket
numbers exist). A ticket's ``created_at`` is ``received_at`` and its due times are computed
from it (services.deadlines.refresh), so an order already past its deadline is escalated by
the next tick like any overdue ticket.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import DBAPIError

from services import deadlines
from services.errors import DomainError
from services.hotline_csv import (
    COLUMNS,
    DateWindow,
    HotlineRow,
    Rules,
    check_row,
    decode,
    normalise_order,
    read_rows,
)
from services.hotline_match import KEYWORDS, CompoundMatcher, map_category
from services.routing import community_of
from services.tickets import NewTicket, create_ticket
from services.validation import Problem
from storage.models import OrgKind, OrgNode, Source
from storage.uow import UnitOfWork

__all__ = [
    "COLUMNS",
    "KEYWORDS",
    "CompoundMatcher",
    "DateWindow",
    "ImportReport",
    "RowIssue",
    "decode",
    "import_orders",
    "map_category",
]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RowIssue:
    """A rejected or duplicate row: its (normalised) order number and the problem."""

    order_no: str
    problem: Problem

    @property
    def row(self) -> int:
        return self.problem.row or 0

    @property
    def key(self) -> str:
        return self.problem.key


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)  # ticket numbers
    would_create: list[tuple[int, str]] = field(default_factory=list)  # dry run: (row, order number)
    duplicates: list[RowIssue] = field(default_factory=list)
    rejected: list[RowIssue] = field(default_factory=list)


@dataclass(frozen=True)
class _Order:
    row: int
    order_no: str
    received_at: datetime
    compound: OrgNode
    category: str
    content: str
    phone: str | None


async def _order(
    uow: UnitOfWork, row: int, r: HotlineRow, match: CompoundMatcher, communities: dict[int, bool]
) -> _Order | RowIssue:
    """A checked row whose compound is found (and has a community to route to)."""

    def issue(column: str, key: str, **params: str | int) -> RowIssue:
        return RowIssue(r.order_no, Problem((column,), key, params, row))

    if r.compound_code:
        compound = match.by_code.get(r.compound_code.upper())
        if compound is None:
            return issue("compound_code", "hotline-unknown-compound", code=r.compound_code[:40])
    else:
        found, why = match.by_address(r.address or "")
        if found is None:  # the address is the caller's: not repeated in the problem
            return issue("address", f"hotline-{why.replace('_', '-')}")
        compound = found
    assert compound.id is not None
    if compound.id not in communities:
        try:
            await community_of(uow, compound)  # routing needs one
            communities[compound.id] = True
        except DomainError:
            communities[compound.id] = False
    if not communities[compound.id]:
        return issue("compound_code", "hotline-no-community", code=compound.code)
    category = map_category(r.category or r.content)
    return _Order(row, r.order_no, r.received_at, compound, category, r.content, r.caller_phone)


async def import_orders(
    uow: UnitOfWork,
    text: str,
    *,
    max_content: int = 2000,
    tz: str = "Asia/Shanghai",
    window: DateWindow | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Check every row, then create the tickets of the valid ones (the caller commits), each
    in a savepoint of its own; ``dry_run`` writes nothing and reports ``would_create``."""
    missing, rows = read_rows(text)
    if missing:
        raise DomainError("hotline_bad_header", missing=",".join(missing))
    report = ImportReport()
    rules = Rules(now=uow.clock.now(), tz=tz, max_content=max_content, window=window or DateWindow())
    match = CompoundMatcher(list(await uow.org.all(OrgKind.compound)))
    communities: dict[int, bool] = {}
    checked: list[_Order] = []
    for raw in rows:
        r = check_row(raw, rules)
        if isinstance(r, list):
            report.rejected += [RowIssue(_order_no(raw.cells), p) for p in r]
            continue
        got = await _order(uow, raw.row, r, match, communities)
        if isinstance(got, RowIssue):
            report.rejected.append(got)
        else:
            checked.append(got)
    stored = await uow.tickets.existing_external_refs([o.order_no for o in checked])
    seen: dict[str, int] = {}
    orders: list[_Order] = []
    for o in checked:
        if o.order_no in seen:
            report.duplicates.append(
                RowIssue(
                    o.order_no,
                    Problem(
                        ("order_no",), "hotline-duplicate-in-file", {"first_row": seen[o.order_no]}, o.row
                    ),
                )
            )
        elif o.order_no in stored:
            report.duplicates.append(
                RowIssue(o.order_no, Problem(("order_no",), "hotline-already-imported", row=o.row))
            )
        else:
            seen[o.order_no] = o.row
            orders.append(o)
    if dry_run:
        report.would_create = [(o.row, o.order_no) for o in orders]
        return report
    for o in orders:
        number = await _store(uow, o)
        if number is None:
            report.rejected.append(RowIssue(o.order_no, Problem((), "hotline-not-stored", row=o.row)))
        else:
            report.created.append(number)
    report.rejected.sort(key=lambda i: i.row)
    return report


def _order_no(cells: dict[str, str] | None) -> str:
    """A rejected row's order number as far as it can be shown ("" when unreadable)."""
    value = normalise_order((cells or {}).get("order_no", ""))
    return value[:64] if value.isprintable() else ""


async def _store(uow: UnitOfWork, o: _Order) -> str | None:
    """The new ticket's number, or None when the database refused the row (rolled back to
    the savepoint; only the row number and the error class are logged, nothing personal)."""
    assert o.compound.id is not None
    try:
        async with uow.savepoint():
            ticket = await create_ticket(
                uow,
                None,
                NewTicket(
                    compound_id=o.compound.id,
                    category=o.category,
                    description=o.content,
                    source=Source.hotline,
                    external_ref=o.order_no,
                    caller_phone=o.phone,
                ),
            )
            ticket.created_at, ticket.sla_checked_at = o.received_at, None
            await deadlines.refresh(uow, ticket)
            await uow.flush()
            return ticket.number
    except (DBAPIError, DomainError) as err:
        log.warning("hotline row %d not stored: %s", o.row, type(err).__name__)
        return None
