"""A process's read-through cache of the reference data, checked against a version stamp.

Reference data (org tree, routing rules, SLA / escalation / calendar policies, the role grants
of everyone but residents) is read on every update and changes rarely (org import, the CLI,
staff invites). Every process keeps one ``RefCache`` per unit-of-work factory; a unit of work
reads the stamp (``ref_version``) once per transaction, the first time it asks the cache, and
the cache drops what it holds when the stamp moved. Every write to a cached table adds one to
the stamp in the same transaction, whichever process made it: changes the session flushes
through ``before_flush`` below, statements (INSERT … ON CONFLICT in the repositories) through
``stamp_written``, which tests/unit/test_refcache_writes.py requires beside them. From then on
that transaction reads the tables itself.

What the cache hands out is shared by every unit of work of the process, so it is frozen:
setting an attribute raises, and so does adding it to a session. Writers load the rows through
their session (``OrgRepo.all``/``editable``, ``PolicyRepo.sla_row`` …), never through the cache.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy import event, inspect, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction
from sqlmodel import SQLModel

from storage.models import (
    CalendarPolicy,
    EscalationPolicy,
    OrgNode,
    RefVersion,
    Role,
    RoleGrant,
    RoutingRule,
    SlaPolicy,
)

CACHED: tuple[type[SQLModel], ...] = (OrgNode, RoutingRule, SlaPolicy, EscalationPolicy, CalendarPolicy)
# role grants are cached too, but residents' (one per resident who joins) neither move the
# stamp nor enter the cache
_VIEW = "refcache_view"
_FROZEN = "refcache_frozen"
_STAMP: Any = RefVersion.__table__  # type: ignore[attr-defined]
_BUMP = update(_STAMP).where(_STAMP.c.id == 1).values(version=_STAMP.c.version + 1)
_READ = select(_STAMP.c.version).where(_STAMP.c.id == 1)  # built once: its compiled form is cached
T = TypeVar("T")
M = TypeVar("M", bound=SQLModel)


class FrozenRefError(TypeError):
    """A cached reference row was changed or added to a session: load it through the session."""


class RefCache:
    """What one process knows of the reference data, as of stamp ``version``."""

    def __init__(self) -> None:
        self.version: int | None = None
        self.tables: dict[str, Any] = {}

    def advance(self, seen: int) -> None:
        """A transaction saw stamp ``seen``: a newer one empties the cache (never an older one:
        a transaction on an older snapshot reads the tables itself)."""
        if self.version is None or seen > self.version:
            self.version = seen
            self.tables = {}


class RefView:
    """One unit of work's access to the cache (the session's info points at it)."""

    def __init__(self, session: AsyncSession, cache: RefCache) -> None:
        self.session = session
        self.cache = cache
        self.seen: int | None = None  # the stamp this transaction read
        self.wrote = False  # this transaction wrote reference data: it reads it itself
        session.sync_session.info[_VIEW] = self

    async def table(self, name: str, load: Callable[[AsyncSession], Awaitable[T]]) -> T | None:
        """The cached ``name`` (loaded by ``load`` when missing); None when this transaction
        must read the tables itself (it wrote to them, or it sees an older stamp)."""
        if self.wrote or _pending(self.session.sync_session):
            # a change of ours not flushed yet: the session's own query flushes (and stamps) it
            return None
        if self.seen is None:
            conn = await self.session.connection()  # Core: no ORM execution for one integer
            seen = (await conn.execute(_READ)).scalar_one_or_none()
            if seen is None:  # no stamp row: nothing can be trusted
                self.wrote = True
                return None
            self.seen = seen
            self.cache.advance(seen)
        if self.seen != self.cache.version:
            return None
        found = self.cache.tables.get(name)
        if found is None:
            found = await load(self.session)
            if self.seen == self.cache.version and not self.wrote:
                self.cache.tables[name] = found
        return found

    def writes(self, session: Session) -> None:
        """This transaction writes a cached table: add one to the stamp, in the transaction."""
        self.wrote = True
        session.connection().execute(_BUMP)

    def ended(self) -> None:
        self.seen = None
        self.wrote = False


def stamp_read(session: AsyncSession, version: int | None) -> None:
    """The stamp, read along with something else as the transaction's first statement (the
    dispatcher's view of an update): the cache does not read it again."""
    view = _view(session.sync_session)
    if view is not None and view.seen is None and not view.wrote and version is not None:
        view.seen = version
        view.cache.advance(version)


def stamp_column() -> Any:
    """The stamp as a column of another SELECT."""
    return _READ.scalar_subquery()


async def stamp_written(session: AsyncSession) -> None:
    """A statement (not a flush) of this transaction wrote a cached table: move the stamp."""
    view = _view(session.sync_session)
    if view is not None:
        view.wrote = True
    await session.execute(_BUMP)


def frozen_rows(model: type[M], rows: Any) -> list[M]:
    """Detached, read-only instances of ``model`` from Core rows (none enters a session)."""
    out = []
    for row in rows:
        obj = model(**row._mapping)
        inspect(obj).info[_FROZEN] = True
        out.append(obj)
    return out


async def load_all(session: AsyncSession, model: type[M]) -> list[M]:
    """Every row of ``model``'s table, frozen, by id."""
    table: Any = model.__table__  # type: ignore[attr-defined]
    return frozen_rows(model, await session.execute(select(table).order_by(table.c.id)))


# -- the session of a unit of work: stamps writes, refuses frozen rows -------------------------
class RefSession(Session):
    """The sync session behind every unit of work (see storage/uow.py)."""


def _view(session: Session) -> RefView | None:
    return session.info.get(_VIEW)


@event.listens_for(RefSession, "before_flush")
def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    view = _view(session)
    if view is None:
        return
    if _pending(session):
        view.writes(session)


def _pending(session: Session) -> bool:
    """Whether the session holds changes to cached rows it has not flushed."""
    return (
        any(_cached_row(o) for o in session.new)
        or any(_cached_row(o) for o in session.deleted)
        or any(isinstance(o, (*CACHED, RoleGrant)) and session.is_modified(o) for o in session.dirty)
    )


def _cached_row(obj: object) -> bool:
    return isinstance(obj, CACHED) or (isinstance(obj, RoleGrant) and obj.role != Role.resident)


@event.listens_for(RefSession, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    view = _view(session)
    if view is not None and transaction.parent is None:
        view.ended()


@event.listens_for(RefSession, "before_attach")
def _before_attach(_session: Session, instance: object) -> None:
    if inspect(instance).info.get(_FROZEN):
        raise FrozenRefError(f"a cached {type(instance).__name__} cannot join a session; load it there")


def _refuse_set(target: object, value: Any, oldvalue: Any, _initiator: Any) -> Any:
    if inspect(target).info.get(_FROZEN):
        raise FrozenRefError(
            f"a cached {type(target).__name__} is read-only; change the one its session loads"
            " (OrgRepo.editable, PolicyRepo.sla_row …)"
        )
    return value


for _model in (*CACHED, RoleGrant):
    for _attr in inspect(_model).column_attrs:
        event.listen(getattr(_model, _attr.key), "set", _refuse_set, retval=True)
