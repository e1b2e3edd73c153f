"""Tickets, events, routing rules and numbering."""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import String, and_, bindparam, case, cast, false, func, insert, or_, text, update
from sqlalchemy import select as sa_select
from sqlalchemy.dialects.postgresql import REGCLASS
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.util import identity_key
from sqlmodel import col, select

from storage.models import (
    OPEN_STATES,
    Residency,
    RoutingRule,
    Ticket,
    TicketCounter,
    TicketEvent,
    TicketState,
)
from storage.repos._util import dialect_name, insert_ignore

# ticket number sequences known to exist, per database (engine): PostgreSQL
_SEQUENCES_SEEN: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def ticket_number_text(prefix: str, year: int, seq: int) -> str:
    """``PG-2026-000123`` (at least six digits)."""
    return f"{prefix}-{int(year)}-{seq:06d}"


def _sequence_name(prefix: str, year: int) -> str:
    return f"ticket_seq_{prefix.encode().hex()}_{int(year)}"  # a safe identifier, whatever the prefix


_TICKET: Any = Ticket.__table__  # type: ignore[attr-defined]
_EVENT: Any = TicketEvent.__table__  # type: ignore[attr-defined]
_EVENT_COLUMNS = ("at", "actor_id", "kind", "data")
_INSERTS: dict[tuple[bool, bool, bool], Any] = {}


def _insert_ticket(numbered: bool, unit: bool, with_event: bool) -> Any:
    """The ticket's INSERT … RETURNING, built once per variant (every value is a parameter,
    ``t_<column>``): ``numbered``: the number from the sequence named by ``_number_seq``
    (PostgreSQL), formatted as ticket_number_text does; ``unit``: the unit of the residency of
    ``_unit_account`` in ``_unit_compound``; ``with_event``: the ticket's first event
    (``e_<column>``) is inserted by the same statement (PostgreSQL: data-modifying WITH)."""
    stmt = _INSERTS.get((numbered, unit, with_event))
    if stmt is not None:
        return stmt
    values: dict[str, Any] = {
        c.key: bindparam(f"t_{c.key}", type_=c.type) for c in _TICKET.columns if c.key != "id"
    }
    if numbered:
        n = sa_select(func.nextval(cast(bindparam("_number_seq", type_=String), REGCLASS)).label("n"))
        digits = cast(n.subquery().c.n, String)
        padded = func.lpad(digits, func.greatest(6, func.length(digits)), "0")
        values["number"] = sa_select(bindparam("_number_prefix", type_=String) + padded).scalar_subquery()
    if unit:
        r: Any = Residency.__table__  # type: ignore[attr-defined]
        values["unit_id"] = (
            sa_select(r.c.unit_id)
            .where(
                r.c.account_id == bindparam("_unit_account"), r.c.compound_id == bindparam("_unit_compound")
            )
            .scalar_subquery()
        )
    stmt = insert(_TICKET).values(values).returning(_TICKET.c.id, _TICKET.c.number, _TICKET.c.unit_id)
    if with_event:
        t = stmt.cte("new_ticket")
        row = [t.c.id, *(bindparam(f"e_{k}", type_=_EVENT.c[k].type) for k in _EVENT_COLUMNS)]
        e = (
            insert(_EVENT)
            .from_select(["ticket_id", *_EVENT_COLUMNS], sa_select(*row))
            .returning(_EVENT.c.id, _EVENT.c.ticket_id)
            .cte("new_event")
        )
        stmt = sa_select(t.c.id, t.c.number, t.c.unit_id, e.c.id.label("event_id")).select_from(
            t.join(e, e.c.ticket_id == t.c.id)
        )
    _INSERTS[(numbered, unit, with_event)] = stmt
    return stmt


class TicketRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session
        # the events of the tickets this unit of work inserted, in order: nobody else can have
        # written one (the ticket is not visible outside this transaction), so ``events`` needs
        # no SELECT for them (issue 14: a submit re-read the event it had just written)
        self._new_events: dict[int, list[TicketEvent]] = {}
        self._new_in: Any = None  # the transaction they belong to (a rollback forgets them)

    async def get(self, ticket_id: int, *, for_update: bool = False) -> Ticket | None:
        """``for_update``: lock the row (PostgreSQL) and re-read it, overwriting any copy
        this session holds, so a decision is never taken on a stale state."""
        if for_update:
            q = select(Ticket).where(Ticket.id == ticket_id).with_for_update()
            res = await self.s.execute(q.execution_options(populate_existing=True))
            return res.scalars().first()
        return await self.s.get(Ticket, ticket_id)

    async def due_for_check(self, now: datetime, limit: int, seen: set[int]) -> list[int]:
        """Ids of tickets whose next deadline moment has passed, earliest first."""
        q = select(Ticket.id).where(col(Ticket.next_check_at) <= now)
        if seen:
            q = q.where(col(Ticket.id).notin_(seen))
        q = q.order_by(col(Ticket.next_check_at), col(Ticket.id)).limit(limit)
        return [int(r[0]) for r in (await self.s.execute(q)).all()]

    async def hold_if_due(self, ticket_id: int, now: datetime) -> Ticket | None:
        """The ticket, locked for this transaction, if it is still due; None when another
        process holds it (PostgreSQL: SKIP LOCKED) or it was handled meanwhile."""
        q = select(Ticket).where(Ticket.id == ticket_id, col(Ticket.next_check_at) <= now)
        if dialect_name(self.s) == "postgresql":
            q = q.with_for_update(skip_locked=True)
        res = await self.s.execute(q.execution_options(populate_existing=True))
        return res.scalars().first()

    async def by_number(self, number: str) -> Ticket | None:
        q = select(Ticket).where(Ticket.number == number)
        return (await self.s.execute(q)).scalars().first()

    async def by_external_ref(self, ref: str) -> Ticket | None:
        q = select(Ticket).where(Ticket.external_ref == ref)
        return (await self.s.execute(q)).scalars().first()

    async def existing_external_refs(self, refs: Sequence[str]) -> set[str]:
        """Which of ``refs`` (upper case) some ticket already has, in any letter case."""
        found: set[str] = set()
        wanted = sorted({r.upper() for r in refs})
        for i in range(0, len(wanted), 500):
            q = select(Ticket.external_ref).where(func.upper(Ticket.external_ref).in_(wanted[i : i + 500]))
            found |= {str(r).upper() for r in (await self.s.execute(q)).scalars()}
        return found

    def add(self, obj: Ticket | TicketEvent) -> None:
        self.s.add(obj)
        if isinstance(obj, TicketEvent):
            new = self._remembered(obj.ticket_id)
            if new is not None:
                new.append(obj)

    async def insert(
        self,
        ticket: Ticket,
        *,
        first: TicketEvent | None = None,
        number: tuple[str, int] | None = None,
        unit_of: tuple[int, int] | None = None,
    ) -> None:
        """INSERT a new ticket now (issue 14: the submit's statements); its id is known afterwards
        and its events are remembered. ``first``: its first event, inserted with it (on
        PostgreSQL by the same statement). ``number`` (prefix, year): the ticket's number is the
        next of that prefix and year (``PREFIX-YEAR-000123``), on PostgreSQL taken from the
        sequence by the INSERT itself once the process knows the sequence exists. ``unit_of``
        (account, compound): the unit is that account's residency's in the compound (None
        without one), read by the INSERT. The rows then join the session as rows it had loaded."""
        params = {f"t_{c.key}": getattr(ticket, c.key) for c in _TICKET.columns if c.key != "id"}
        seq = None
        if number is not None:
            prefix, year = number
            seq = self._known_sequence(prefix, year)
            if seq is None:
                params["t_number"] = await self.take_number(prefix, year)
            else:
                params["_number_prefix"], params["_number_seq"] = f"{prefix}-{int(year)}-", seq
        if unit_of is not None:
            params["_unit_account"], params["_unit_compound"] = unit_of
        together = first is not None and dialect_name(self.s) == "postgresql"
        if together:
            params.update({f"e_{k}": getattr(first, k) for k in _EVENT_COLUMNS})
        conn = await self.s.connection()
        stmt = _insert_ticket(seq is not None, unit_of is not None, together)
        row = (await conn.execute(stmt, params)).one()
        ticket.id, ticket.number, ticket.unit_id = row.id, row.number, row.unit_id
        self._attach(ticket)
        txn = self.s.sync_session.get_transaction()
        if txn is not self._new_in:
            self._new_events, self._new_in = {}, txn
        # a fresh list: on SQLite a ticket rolled back to a savepoint can leave its id free
        self._new_events[ticket.id] = []
        if first is not None:
            first.ticket_id = ticket.id
            if together:
                first.id = row.event_id
                self._attach(first)
                self._new_events[ticket.id].append(first)
            else:
                self.add(first)
                await self.s.flush()

    def _attach(self, row: Ticket | TicketEvent) -> None:
        """A row this transaction just inserted joins the session as if loaded."""
        stale = self.s.sync_session.identity_map.get(identity_key(type(row), row.id))
        if stale is not None:  # SQLite gave the id of a row rolled back to a savepoint again
            self.s.expunge(stale)
        make_transient_to_detached(row)
        self.s.add(row)

    def _remembered(self, ticket_id: int) -> list[TicketEvent] | None:
        if not self._new_events or self.s.sync_session.get_transaction() is not self._new_in:
            return None
        return self._new_events.get(ticket_id)

    def add_rule(self, rule: RoutingRule) -> None:
        self.s.add(rule)

    async def flush(self) -> None:
        await self.s.flush()

    async def erasable(self, closed_before: datetime, limit: int) -> Sequence[Ticket]:
        """Tickets closed before `closed_before` whose personal fields are not erased yet,
        oldest first (the retention purge, services/privacy.py)."""
        q = (
            select(Ticket)
            .where(col(Ticket.closed_at) < closed_before, col(Ticket.erased_at).is_(None))
            .order_by(col(Ticket.closed_at), col(Ticket.id))
            .limit(limit)
        )
        return (await self.s.execute(q)).scalars().all()

    async def erase_event_data(self, event_id: int, data: dict[str, Any]) -> None:
        """The one change a ticket event allows (migration 0008): `data` reduced to a subset of
        its keys, marked "erased"."""
        stmt = (
            update(TicketEvent)
            .where(col(TicketEvent.id) == event_id)
            .values(data={**data, "erased": True})
            .execution_options(synchronize_session=False)
        )
        await self.s.execute(stmt)

    async def events(self, ticket_id: int) -> Sequence[TicketEvent]:
        new = self._remembered(ticket_id)
        if new is not None and all(e.id is not None for e in new):
            return list(new)
        q = select(TicketEvent).where(TicketEvent.ticket_id == ticket_id)
        return (await self.s.execute(q.order_by(col(TicketEvent.id)))).scalars().all()

    async def by_reporter(self, account_id: int, *, offset: int, limit: int) -> Sequence[Ticket]:
        q = (
            select(Ticket)
            .where(Ticket.reporter_id == account_id)
            .order_by(col(Ticket.id).desc())
            .offset(offset)
            .limit(limit)
        )
        return (await self.s.execute(q)).scalars().all()

    async def count_by_reporter(self, account_id: int) -> int:
        q = select(func.count()).select_from(Ticket).where(Ticket.reporter_id == account_id)
        return int((await self.s.execute(q)).scalar_one())

    async def open_in_queues(
        self, org_ids: Iterable[int], *, offset: int, limit: int, now: datetime | None = None
    ) -> Sequence[Ticket]:
        """Open tickets of the queues, oldest first; with ``now``, the overdue ones (past the
        resolution deadline, or past the first response without one) before the rest."""
        overdue = (
            or_(
                col(Ticket.resolution_due) < now,
                and_(col(Ticket.acknowledged_at).is_(None), col(Ticket.first_response_due) < now),
            )
            if now is not None
            else false()
        )
        q = (
            select(Ticket)
            .where(col(Ticket.queue_org_id).in_(list(org_ids)), col(Ticket.state).in_(OPEN_STATES))
            .order_by(case((overdue, 0), else_=1), col(Ticket.created_at), col(Ticket.id))
            .offset(offset)
            .limit(limit)
        )
        return (await self.s.execute(q)).scalars().all()

    async def count_open_in_queues(self, org_ids: Iterable[int]) -> int:
        q = (
            select(func.count())
            .select_from(Ticket)
            .where(col(Ticket.queue_org_id).in_(list(org_ids)), col(Ticket.state).in_(OPEN_STATES))
        )
        return int((await self.s.execute(q)).scalar_one())

    async def in_states(self, states: Iterable[TicketState]) -> Sequence[Ticket]:
        q = select(Ticket).where(col(Ticket.state).in_(list(states))).order_by(col(Ticket.id))
        return (await self.s.execute(q)).scalars().all()

    async def routing_rules(self) -> Sequence[RoutingRule]:
        q = select(RoutingRule).order_by(col(RoutingRule.id))
        return (await self.s.execute(q)).scalars().all()

    async def take_number(self, prefix: str, year: int) -> str:
        """The next ticket number of prefix+year, formatted (``PG-2026-000123``)."""
        return ticket_number_text(prefix, year, await self.next_number(prefix, year))

    async def next_number(self, prefix: str, year: int) -> int:
        """Atomically take the next sequence number for prefix+year.

        PostgreSQL: from a sequence per prefix and year (created with the year's first ticket,
        starting after ``ticket_counter``'s value). ``nextval`` takes no lock that lasts, so
        concurrent submits do not queue behind a counter row until each of them commits
        (bench/throughput.py: 100 residents' submits spent most of their time waiting for it).
        Numbers stay unique and increasing; a submit that then fails leaves a gap.
        SQLite has one writer at a time anyway: the ``ticket_counter`` row, in the unit of
        work's transaction."""
        if dialect_name(self.s) == "postgresql":
            return await self._next_from_sequence(prefix, year)
        await insert_ignore(self.s, TicketCounter, {"prefix": prefix, "year": year, "value": 0})
        stmt = (
            update(TicketCounter)
            .where(col(TicketCounter.prefix) == prefix, col(TicketCounter.year) == year)
            .values(value=TicketCounter.value + 1)
            .returning(col(TicketCounter.value))
        )
        return int((await self.s.execute(stmt)).scalar_one())

    def _sequences_seen(self) -> set[str]:
        bind = self.s.get_bind()
        return _SEQUENCES_SEEN.setdefault(getattr(bind, "engine", bind), set())

    def _known_sequence(self, prefix: str, year: int) -> str | None:
        """The sequence of prefix+year, when this is PostgreSQL and it is known to exist."""
        if dialect_name(self.s) != "postgresql":
            return None
        name = _sequence_name(prefix, year)
        return name if name in self._sequences_seen() else None

    async def _next_from_sequence(self, prefix: str, year: int) -> int:
        name = _sequence_name(prefix, year)
        take = text(f"SELECT nextval('{name}')")
        seen = self._sequences_seen()
        if name in seen:
            return int((await self.s.execute(take)).scalar_one())
        try:
            async with self.s.begin_nested():  # a missing sequence must not spoil the transaction
                value = int((await self.s.execute(take)).scalar_one())
        except DBAPIError as err:
            if "does not exist" not in str(err.orig):
                raise
            # created in this transaction: others see it once it commits (until then, a
            # transaction creating it as well waits for this one)
            await self._create_sequence(name, prefix, year)
            return int((await self.s.execute(take)).scalar_one())
        seen.add(name)  # it exists for every transaction from now on
        return value

    async def _create_sequence(self, name: str, prefix: str, year: int) -> None:
        """The year's first ticket: the sequence starts after what the counter row (numbers
        taken before sequences were used) gave out. Another transaction creating it at the
        same moment wins; this one then uses it."""
        counter = await self.s.get(TicketCounter, (prefix, year))
        start = (counter.value if counter else 0) + 1
        try:
            async with self.s.begin_nested():
                await self.s.execute(text(f"CREATE SEQUENCE IF NOT EXISTS {name} START WITH {int(start)}"))
        except DBAPIError as err:  # created meanwhile by another transaction
            if not isinstance(err, IntegrityError) and "already exists" not in str(err.orig):
                raise
