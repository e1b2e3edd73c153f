"""Composition root: settings → engine → services → handlers → adapter,
outbox sender and scheduler. Nothing here runs at import time."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.cards_refresh import refresh_cards
from bot.coordination import ChatLocks
from bot.delivery import InteractiveChannel, deliver
from bot.monitor import Monitor, update_kind
from bot.settings import Settings
from handlers import build_renderers, build_router
from handlers.dispatch import Dispatcher, Unavailable
from handlers.rendering import Renderers
from handlers.types import Incoming, Outcome
from locales import t
from services import routing, sla, whistle_policy
from services.calendar import BusinessCalendar, years_without_workdays
from storage.clock import Clock, SystemClock
from storage.config import DomainConfig
from storage.db import create_engine
from storage.migrate import is_up_to_date, upgrade
from storage.uow import UowFactory, make_uow_factory

log = logging.getLogger(__name__)


class SchemaOutdated(RuntimeError):
    pass


def check_calendar(settings: Settings, today: date | None = None) -> list[int]:
    """Before the bot starts: a holiday override (GONGZHI_HOLIDAYS_FILE) that cannot be used
    raises HolidayFileInvalid (the bot refuses to start, instead of failing every submit);
    this year and next without any make-up working day are logged as a warning and returned."""
    today = today or datetime.now(ZoneInfo(settings.timezone)).date()
    years = (today.year, today.year + 1)
    overrides = str(settings.holidays_file) if settings.holidays_file else None
    cal = BusinessCalendar.china(settings.timezone, years=years, overrides=overrides)
    missing = years_without_workdays(cal, years)
    for year in missing:
        log.warning("%s", t(settings.locale, "calendar-no-workdays", year=str(year)))
    return missing


def domain_config(settings: Settings) -> DomainConfig:
    """The one typed configuration of the domain, from the settings."""
    return DomainConfig(
        timezone=settings.timezone,
        locale=settings.locale,
        holidays_file=str(settings.holidays_file) if settings.holidays_file else None,
        auto_close_after=timedelta(days=settings.auto_close_days),
        max_description=settings.max_description,
        max_photos=settings.max_photos,
        page_size=settings.page_size,
        processed_update_ttl=timedelta(days=settings.processed_update_days),
        council_agenda_days=settings.council_agenda_days,
        retention=timedelta(days=settings.retention_days),
        invite_attempts=settings.invite_attempts,
        invite_attempt_window=timedelta(minutes=settings.invite_attempt_minutes),
    )


async def open_database(settings: Settings, *, auto_upgrade: bool) -> AsyncEngine:
    """The engine, refusing an out-of-date schema unless asked to upgrade."""
    engine = create_engine(settings.database_url, pool=settings.database_pool)
    if not await is_up_to_date(engine):
        if not auto_upgrade:
            await engine.dispose()
            raise SchemaOutdated(settings.database_url)
        await upgrade(engine)
    return engine


@dataclass
class Core:
    """Everything channel-independent, shared by every adapter."""

    settings: Settings
    engine: AsyncEngine
    uow_factory: UowFactory
    dispatcher: Dispatcher
    renderers: Renderers
    clock: Clock
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)


def uow_factory_for(settings: Settings, engine: AsyncEngine, clock: Clock | None = None) -> UowFactory:
    """Units of work for this configuration: every entry point (bot, CLI, sandbox) uses it."""
    return make_uow_factory(engine, clock, domain_config(settings))


async def seed_policies(uow_factory: UowFactory) -> None:
    """Default SLA and routing rows; idempotent, safe from several processes."""
    async with uow_factory() as uow:
        await sla.seed_defaults(uow)
        await whistle_policy.seed_defaults(uow)
        await routing.seed_default_rules(uow)
        await uow.commit()


def build_core(settings: Settings, engine: AsyncEngine, *, clock: Clock | None = None) -> Core:
    clk = clock or SystemClock()
    config = domain_config(settings)
    uow_factory = make_uow_factory(engine, clk, config)
    dispatcher = Dispatcher(build_router(), uow_factory, config)
    return Core(settings, engine, uow_factory, dispatcher, build_renderers(), clk)


class Pipeline:
    """Incoming → handlers → replies through the channel; wakes the sender.

    One update of a chat at a time (``locks``: this process's, or Redis's across processes),
    held until its replies are out, so a chat's answers keep its updates' order. ``close()``
    stops taking updates (the webhook answers 503, polling stops) and ``drained()`` waits for
    the ones in hand.

    Raises when the update is not handled (the database could not be reached): the adapter
    then leaves it unconfirmed and Telegram delivers it again. The person is told "try again
    shortly" once per update."""

    def __init__(
        self,
        core: Core,
        channel: InteractiveChannel,
        wake: Any = None,
        limiter: Any = None,
        *,
        locks: Any = None,
        monitor: Monitor | None = None,
    ) -> None:
        self.core = core
        self.channel = channel
        self.wake = wake
        self.limiter = limiter  # shared with the outbox sender: one flood budget
        self.locks = locks or ChatLocks()
        self.monitor = monitor
        self.accepting = True
        self._in_hand = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._background: set[asyncio.Task[None]] = set()
        self._told: OrderedDict[tuple[str, int], None] = OrderedDict()  # "try again" sent for these
        # polling records "replies sent" once per batch (flush_sent), not once per update
        self.defer_sent = False
        self._sent: list[tuple[str, int]] = []

    def close(self) -> None:
        self.accepting = False
        if self.monitor is not None:
            self.monitor.stopping = True

    async def drained(self, timeout: float) -> bool:
        """Wait (at most ``timeout`` s) until no update is in hand; False when some still are."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True

    def _enter(self) -> None:
        self._in_hand += 1
        self._idle.clear()

    def _leave(self) -> None:
        self._in_hand -= 1
        if self._in_hand == 0:
            self._idle.set()

    async def __call__(self, inc: Incoming) -> None:
        self._enter()
        started = time.perf_counter()
        try:
            async with self.locks.hold(f"{inc.channel}:{inc.chat_id}:{inc.user_id}"):
                await self._handle(inc)
        finally:
            self._leave()
            if self.monitor is not None:
                self.monitor.latency.observe(time.perf_counter() - started)
                self.monitor.updates.labels(kind=update_kind(inc)).inc()

    async def _handle(self, inc: Incoming) -> None:
        try:
            out = await self.core.dispatcher.handle(inc)
        except Unavailable as err:
            await self._try_again(inc, err.outcome)
            raise
        if out is None:
            return
        await deliver(self.channel, self.core.uow_factory, inc, out, self.limiter)
        self._sent.append((inc.channel, inc.update_id))
        if not self.defer_sent:
            await self.flush_sent()
        if self.wake is not None:
            self.wake()
        if out.changed_tickets:
            edited = (
                {(inc.chat_id, inc.message_id)}
                if inc.message_id is not None and any(r.edit and r.card for r in out.replies)
                else set()
            )
            # the staff cards elsewhere are refreshed beside the update, not inside it: a
            # group's 20 messages a minute must not hold the chat (or a webhook answer)
            self._refresh(out.changed_tickets, edited)

    def _refresh(self, tickets: set[int], skip: set[tuple[str, int]]) -> None:
        async def run() -> None:
            try:
                await refresh_cards(
                    self.channel, self.core.uow_factory, tickets, skip=skip, limiter=self.limiter
                )
            except Exception:
                log.exception("refreshing the cards of %s failed", sorted(tickets))

        self._enter()
        task = asyncio.create_task(run())
        self._background.add(task)

        def done(t: asyncio.Task[None]) -> None:
            self._background.discard(t)
            self._leave()

        task.add_done_callback(done)

    async def flush_sent(self) -> None:
        """Record that the replies went out, so a redelivery is dropped rather than answered
        again (a failure here only means a redelivery would repeat them)."""
        done, self._sent = self._sent, []
        try:
            await self.core.dispatcher.sent(done)
        except Exception as err:
            log.warning("%s updates: replies sent, not recorded (%s)", len(done), type(err).__name__)

    async def _try_again(self, inc: Incoming, out: Outcome) -> None:
        key = (inc.channel, inc.update_id)
        if key in self._told:
            return
        self._told[key] = None
        while len(self._told) > 10_000:
            self._told.popitem(last=False)
        try:
            await deliver(self.channel, self.core.uow_factory, inc, out, self.limiter)
        except Exception as err:
            log.warning("update %s: could not say 'try again' (%s)", inc.update_id, type(err).__name__)
