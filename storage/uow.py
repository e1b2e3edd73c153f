"""Unit of work: one transaction, its repositories and the clock."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from types import TracebackType

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, AsyncSessionTransaction, async_sessionmaker

from storage.autocommit import begin_lazily
from storage.clock import Clock, SystemClock
from storage.config import DomainConfig
from storage.refcache import RefCache, RefSession, RefView
from storage.repos.accounts import AccountRepo
from storage.repos.aggregates import AggregateRepo
from storage.repos.audit import AuditRepo
from storage.repos.councils import CouncilRepo
from storage.repos.digests import DigestRepo
from storage.repos.messaging import ConversationRepo, OutboxRepo
from storage.repos.org import OrgRepo
from storage.repos.owners import OwnersRepo
from storage.repos.policy import PolicyRepo
from storage.repos.rectification import RectificationRepo
from storage.repos.tickets import TicketRepo
from storage.repos.whistles import WhistleRepo


class UnitOfWork:
    """`async with uow:` opens a session; `commit()` ends the transaction.

    Leaving the block without commit rolls back, so a failed service call
    changes nothing stored.
    """

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: Clock,
        config: DomainConfig,
        refcache: RefCache | None = None,
    ) -> None:
        self._sessionmaker = sessionmaker
        # the process's reference data (org tree, policies), shared by its units of work
        # (make_uow_factory's sessions stamp their writes to it); None: read it every time
        self._refcache = refcache
        self.clock = clock
        # the domain's configuration (zone, locale, limits, holidays, auto-close), typed
        self.config = config
        self._session: AsyncSession | None = None
        self._ref: RefView | None = None
        # tickets changed in this unit of work (their staff cards get refreshed), and those it
        # created (no card of theirs was sent before: nothing to refresh)
        self.touched_tickets: set[int] = set()
        self.created_tickets: set[int] = set()

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside `async with`")
        return self._session

    async def __aenter__(self) -> UnitOfWork:
        self._session = self._sessionmaker()
        self._ref = None if self._refcache is None else RefView(self._session, self._refcache)
        return self

    # the repositories, made when first used (an update uses two or three of them)

    @cached_property
    def org(self) -> OrgRepo:
        return OrgRepo(self.session, self._ref)

    @cached_property
    def accounts(self) -> AccountRepo:
        return AccountRepo(self.session, self._ref)

    @cached_property
    def policy(self) -> PolicyRepo:
        return PolicyRepo(self.session, self._ref)

    @cached_property
    def tickets(self) -> TicketRepo:
        return TicketRepo(self.session)

    @cached_property
    def conversations(self) -> ConversationRepo:
        return ConversationRepo(self.session)

    @cached_property
    def outbox(self) -> OutboxRepo:
        return OutboxRepo(self.session)

    @cached_property
    def audit(self) -> AuditRepo:
        return AuditRepo(self.session)

    @cached_property
    def aggregates(self) -> AggregateRepo:
        return AggregateRepo(self.session)

    @cached_property
    def digests(self) -> DigestRepo:
        return DigestRepo(self.session)

    @cached_property
    def rectification(self) -> RectificationRepo:
        return RectificationRepo(self.session)

    @cached_property
    def owners(self) -> OwnersRepo:
        return OwnersRepo(self.session)

    @cached_property
    def whistles(self) -> WhistleRepo:
        return WhistleRepo(self.session)

    @cached_property
    def councils(self) -> CouncilRepo:
        return CouncilRepo(self.session)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        try:
            # close() rolls back what was not committed and detaches the
            # objects without expiring them, so callers can still read them
            await self._session.close()
        finally:
            self._session = None
            for name in _REPOS:  # bound to that session
                self.__dict__.pop(name, None)

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()

    def savepoint(self) -> AsyncSessionTransaction:
        """A nested transaction: leaving it with an error undoes only what it did."""
        return self.session.begin_nested()

    async def flush(self) -> None:
        await self.session.flush()


# on PostgreSQL a unit of work's transaction begins at its first write (storage/autocommit.py)
event.listen(RefSession, "after_begin", begin_lazily)

_REPOS = tuple(n for n, v in vars(UnitOfWork).items() if isinstance(v, cached_property))

UowFactory = Callable[[], UnitOfWork]


def make_uow_factory(
    engine: AsyncEngine, clock: Clock | None = None, config: DomainConfig | None = None
) -> UowFactory:
    sm = async_sessionmaker(engine, expire_on_commit=False, sync_session_class=RefSession)
    clk = clock or SystemClock()
    cfg = config or DomainConfig()
    cache = RefCache()
    return lambda: UnitOfWork(sm, clk, cfg, cache)
