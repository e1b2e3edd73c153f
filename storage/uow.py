"""Unit of work: one transaction, its repositories and the clock."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, AsyncSessionTransaction, async_sessionmaker

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
        # tickets changed in this unit of work (their staff cards get refreshed)
        self.touched_tickets: set[int] = set()

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside `async with`")
        return self._session

    async def __aenter__(self) -> UnitOfWork:
        self._session = self._sessionmaker()
        s = self._session
        ref = None if self._refcache is None else RefView(s, self._refcache)
        self.org = OrgRepo(s, ref)
        self.accounts = AccountRepo(s, ref)
        self.tickets = TicketRepo(s)
        self.conversations = ConversationRepo(s)
        self.outbox = OutboxRepo(s)
        self.audit = AuditRepo(s)
        self.aggregates = AggregateRepo(s)
        self.policy = PolicyRepo(s, ref)
        self.digests = DigestRepo(s)
        self.rectification = RectificationRepo(s)
        self.owners = OwnersRepo(s)
        self.whistles = WhistleRepo(s)
        self.councils = CouncilRepo(s)
        return self

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

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()

    def savepoint(self) -> AsyncSessionTransaction:
        """A nested transaction: leaving it with an error undoes only what it did."""
        return self.session.begin_nested()

    async def flush(self) -> None:
        await self.session.flush()


UowFactory = Callable[[], UnitOfWork]


def make_uow_factory(
    engine: AsyncEngine, clock: Clock | None = None, config: DomainConfig | None = None
) -> UowFactory:
    sm = async_sessionmaker(engine, expire_on_commit=False, sync_session_class=RefSession)
    clk = clock or SystemClock()
    cfg = config or DomainConfig()
    cache = RefCache()
    return lambda: UnitOfWork(sm, clk, cfg, cache)
