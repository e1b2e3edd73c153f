"""OutboxSender: delivers Notification rows through a Channel within the flood limits.

* Claiming: ``OutboxRepo.claim`` (FOR UPDATE SKIP LOCKED on PostgreSQL, a conditional UPDATE
  on SQLite) gives each row to one worker for a lease; before every send the lease is renewed
  with a conditional update, so a row whose lease lapsed and was taken over is never sent
  twice, and a row left behind by a crash is retried by anyone once its lease expires.
* Order and limits: rows are queued per chat (one lane per chat, in claim order) and every
  message passes the RateLimiter (global / per chat / per group).
* Errors: 429 -> next_attempt_at = now + retry_after, the whole sender holds, then the same
  row is retried; transient -> exponential backoff with jitter, ``failed`` after
  ``max_attempts``; permanent (blocked, chat not found) -> ``failed`` with the reason.
  A renderer returning [] marks the row sent (nothing left to say).
* Multi-message notifications record their progress in the payload ("_sent_parts"), so a
  retry does not repeat the parts already delivered. The part about to be sent is recorded
  ("_sending") with the lease renewal: a row a dead process left with it is the only kind that
  can be delivered twice (the process died between Telegram's answer and our commit; the Bot
  API has no idempotency key), and its retry is logged as such.
* Bundling: rows of kinds with a one-line form (handlers/rendering.Renderers.line) claimed
  together for one chat (one tick's reminders and escalations, a hotline import's new
  tickets) go out as one message; the rows riding along are marked sent with it, or released
  for a later claim if it fails.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.channel import Channel, SendError
from bot.delivery import fingerprint
from bot.ratelimit import RateLimiter, SendLimits
from handlers.rendering import Renderers, reader_locale
from handlers.types import Reply
from locales import t
from storage.models import Notification, NotificationState
from storage.uow import UnitOfWork, UowFactory

log = logging.getLogger(__name__)
RenderFn = Callable[[UnitOfWork, Notification], Awaitable[list[Reply]]]
PROGRESS = "_sent_parts"
SENDING = "_sending"  # the part being sent: left behind by a crash, the row is "in doubt"
NS = NotificationState


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    backoff_base: float = 2.0  # seconds; doubles each attempt
    backoff_cap: float = 900.0
    lease: float = 120.0  # a claim outlives this long without renewal
    send_timeout: float = 60.0


class OutboxSender:
    def __init__(
        self,
        uow_factory: UowFactory,
        channel: Channel,
        render: RenderFn | None = None,
        limits: SendLimits | None = None,
        worker_id: str | None = None,
        *,
        renderers: Renderers | None = None,
        batch: int = 100,
        max_in_flight: int = 500,
        retry: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
        poll_interval: float = 1.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.uow_factory, self.channel = uow_factory, channel
        if render is None:
            if renderers is None:
                raise TypeError(
                    "OutboxSender needs the renderers (handlers.build_renderers) or a render function"
                )
            known = renderers
            render = lambda uow, n: known.render(uow, n, uow.config.timezone)  # noqa: E731
        self.render: RenderFn = render
        self.renderers = renderers
        self.worker_id = worker_id or f"w-{uuid.uuid4().hex[:10]}"
        self.batch, self.max_in_flight = batch, max_in_flight
        self.retry = retry or RetryPolicy()
        self.limiter = limiter or RateLimiter(limits, clock=monotonic, sleep=sleep)
        self.poll_interval, self._rng = poll_interval, rng
        self._lanes: dict[str, deque[Notification]] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._in_flight: set[int] = set()
        self._wake = asyncio.Event()
        self._progress = asyncio.Event()
        self._stopping = False

    # -- public ------------------------------------------------------------------------------
    def wake(self) -> None:
        """New rows were committed: look now rather than at the next poll."""
        self._wake.set()

    async def drain_once(self) -> int:
        """Claim one batch and deliver it; returns how many rows were claimed."""
        rows = await self._claim(self.batch)
        self._dispatch(rows)
        while self._tasks:
            await asyncio.gather(*list(self._tasks.values()))
        return len(rows)

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set; rows claimed but not started are released."""
        low_water = max(1, self.max_in_flight // 2)
        try:
            while not stop.is_set():
                self._wake.clear()
                claimed = 0
                if len(self._in_flight) <= low_water and self.limiter.held_for == 0:
                    try:
                        rows = await self._claim(min(self.batch, self.max_in_flight - len(self._in_flight)))
                        claimed = len(rows)
                        self._dispatch(rows)
                    except Exception:
                        log.exception("outbox claim failed")
                if claimed == self.batch and len(self._in_flight) <= low_water:
                    continue
                self._progress.clear()
                waits = [asyncio.ensure_future(e.wait()) for e in (stop, self._wake, self._progress)]
                try:
                    await asyncio.wait(waits, timeout=self.poll_interval, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    for w in waits:
                        w.cancel()
        finally:
            await self._shutdown()

    # -- claiming and lanes -------------------------------------------------------------------
    async def _claim(self, limit: int) -> list[Notification]:
        async with self.uow_factory() as uow:
            rows = await uow.outbox.claim(
                now=uow.clock.now(),
                worker=self.worker_id,
                limit=limit,
                lease=timedelta(seconds=self.retry.lease),
                channel=self.channel.name,
            )
            await uow.commit()
        return [r for r in rows if r.id not in self._in_flight]

    def _dispatch(self, rows: list[Notification]) -> None:
        for row in rows:
            assert row.id is not None
            self._in_flight.add(row.id)
            key = f"{row.channel}:{row.chat_id}"
            self._lanes.setdefault(key, deque()).append(row)
            if key not in self._tasks:
                self._tasks[key] = asyncio.create_task(self._lane(key))

    async def _lane(self, key: str) -> None:
        lane = self._lanes[key]
        try:
            while lane and not self._stopping:
                row = lane.popleft()
                extra = self._riders(row, lane)
                try:
                    await self._deliver(row, extra)
                except Exception:  # a bug or the database: the lease expires, someone retries
                    log.exception("outbox row %s could not be handled", row.id)
                finally:
                    for r in (row, *extra):
                        self._in_flight.discard(r.id or 0)
                    self._progress.set()
        finally:
            self._tasks.pop(key, None)
            if not lane:
                self._lanes.pop(key, None)

    def _riders(self, row: Notification, lane: deque[Notification]) -> list[Notification]:
        """The rows of the lane that go out in one message with ``row`` (taken off the lane)."""
        r = self.renderers
        if r is None or not r.bundles(row) or PROGRESS in (row.payload or {}):
            return []
        riders = [n for n in lane if r.bundles(n) and PROGRESS not in (n.payload or {})]
        for n in riders:
            lane.remove(n)
        return riders

    async def _settle(self, riders: list[Notification], state: NotificationState) -> None:
        """Riders of a bundle: sent with it, or released for a later claim."""
        if not riders:
            return
        async with self.uow_factory() as uow:
            for n in riders:
                assert n.id is not None
                await uow.outbox.update_claimed(n.id, self.worker_id, **self._release(state)(uow.clock.now()))
            await uow.commit()

    async def _shutdown(self) -> None:
        self._stopping = True
        if self._tasks:
            _, pending = await asyncio.wait(list(self._tasks.values()), timeout=self.retry.send_timeout)
            for task in pending:
                task.cancel()
        left = [r for lane in self._lanes.values() for r in lane]
        self._lanes.clear()
        if left:
            async with self.uow_factory() as uow:
                for row in left:
                    assert row.id is not None
                    await uow.outbox.update_claimed(
                        row.id, self.worker_id, **self._release(NS.pending)(uow.clock.now())
                    )
                await uow.commit()
        self._in_flight.clear()
        self._stopping = False

    # -- one row --------------------------------------------------------------------------------
    async def _update(self, row: Notification, values: Callable[[datetime], dict[str, Any]]) -> bool:
        """Conditionally update a row we hold; ``values(now)`` gives the new column values."""
        assert row.id is not None
        async with self.uow_factory() as uow:
            ok = await uow.outbox.update_claimed(row.id, self.worker_id, **values(uow.clock.now()))
            await uow.commit()
        return ok

    def _release(self, state: NotificationState, **extra: Any) -> Callable[[datetime], dict[str, Any]]:
        def values(now: datetime) -> dict[str, Any]:
            out = {"state": state, "claimed_by": None, "claimed_until": None, **extra}
            if state == NS.sent:
                out["sent_at"] = now
            return out

        return values

    async def _prepare(self, row: Notification, riders: list[Notification]) -> tuple[list[Reply], str]:
        """Rendered replies (one bundled message when there are riders) and the reader's locale."""
        async with self.uow_factory() as uow:
            if riders and self.renderers is not None:
                replies = await self.renderers.render_many(uow, [row, *riders], uow.config.timezone)
            else:
                replies = await self.render(uow, row)
            account = await uow.accounts.get(row.account_id) if row.account_id is not None else None
            locale = reader_locale(uow, account)
        return replies, locale

    async def _thread(self, row: Notification) -> int | None:
        """The ticket's forum topic in the row's chat, created on first use (named "number
        category"); None when the row is not for a topic or the chat has no topics.

        Two processes may hold rows of the same ticket for the same group (its card and a
        reminder): on PostgreSQL the first to get here creates the topic while a transaction
        lock keeps the other waiting, which then finds it (each used to create one: an empty
        duplicate topic in the staff group). SQLite runs one process, whose lanes already send
        a chat's rows one at a time: no transaction is held over the Bot API call there."""
        if not row.in_topic or row.ticket_id is None:
            return None
        async with self.uow_factory() as uow:
            held = await uow.outbox.lock_topic(row.ticket_id, self.channel.name, row.chat_id)
            topic = await uow.outbox.topic(row.ticket_id, self.channel.name, row.chat_id)
            if topic is not None:
                return topic.thread_id
            ticket = await uow.tickets.get(row.ticket_id)
            name = f"{ticket.number} {_category(uow.config.locale, ticket.category)}"[:128] if ticket else "?"
            if held:
                thread_id = await self._create_topic(row.chat_id, name)
                if thread_id is not None:
                    await uow.outbox.add_topic(row.ticket_id, self.channel.name, row.chat_id, thread_id)
                    await uow.commit()
                return thread_id
        thread_id = await self._create_topic(row.chat_id, name)
        if thread_id is None:
            return None
        async with self.uow_factory() as uow:  # a concurrent creator may have won: use its topic
            await uow.outbox.add_topic(row.ticket_id, self.channel.name, row.chat_id, thread_id)
            topic = await uow.outbox.topic(row.ticket_id, self.channel.name, row.chat_id)
            winner = topic.thread_id if topic is not None else thread_id
            await uow.commit()
        return winner

    async def _create_topic(self, chat_id: str, name: str) -> int | None:
        try:
            return await self.channel.create_topic(chat_id, name)
        except SendError as err:
            if err.kind != "permanent":
                raise
            log.warning("no topic in %s (%s): posting in the chat", chat_id, err.description)
            return None

    async def _deliver(self, row: Notification, riders: list[Notification] | None = None) -> None:
        riders = riders or []
        while True:
            try:
                if await self._attempt(row, riders):
                    await self._settle(riders, NS.sent)
                else:
                    await self._settle(riders, NS.pending)
                return
            except SendError as err:
                if err.kind == "retry_after":
                    wait = max(1.0, float(err.retry_after or 1))
                    self.limiter.hold(wait)
                    lease, reason = wait + self.retry.lease, f"429: {err.description}"[:500]
                    if not await self._update(row, _held(wait, lease, reason)):
                        await self._settle(riders, NS.pending)
                        return
                    continue  # the limiter holds everyone, then the same row goes again
                await self._failed(row, err.kind == "permanent", err.description)
                await self._settle(riders, NS.pending)
                return
            except Exception as err:  # not mapped by the adapter: a bug is final, the rest transient
                log.warning("outbox row %s: %r", row.id, err)
                await self._failed(
                    row, isinstance(err, (LookupError, ValueError, TypeError)), f"{type(err).__name__}: {err}"
                )
                await self._settle(riders, NS.pending)
                return

    async def _failed(self, row: Notification, permanent: bool, reason: str) -> None:
        attempts = row.attempts + 1
        if permanent or attempts >= self.retry.max_attempts:
            await self._update(row, self._release(NS.failed, attempts=attempts, last_error=reason[:500]))
            return
        seconds = min(self.retry.backoff_cap, self.retry.backoff_base * 2 ** (attempts - 1))
        delay = timedelta(seconds=seconds * (0.5 + self._rng()))  # jitter: 50-150 %
        retry = self._release(NS.pending, attempts=attempts, last_error=reason[:500])
        await self._update(row, lambda now: {**retry(now), "next_attempt_at": now + delay})

    async def _attempt(self, row: Notification, riders: list[Notification]) -> bool:
        """Render and send the parts not yet sent; True when the row is done (sent, or
        nothing to say); raises SendError."""
        assert row.id is not None
        try:
            replies, locale = await self._prepare(row, riders)
        except (LookupError, ValueError, TypeError, AssertionError) as err:  # no renderer, bad payload
            log.exception("outbox row %s cannot be rendered", row.id)
            await self._failed(row, True, f"render: {err!r}")
            return False
        done = int((row.payload or {}).get(PROGRESS, 0))
        if not replies[done:]:  # nothing (left) to say
            await self._update(row, self._release(NS.sent))
            return True
        thread_id = await self._thread(row)
        group = row.in_topic or self.channel.is_group(row.chat_id)
        cost_of = getattr(self.channel, "message_cost", None)
        lease = timedelta(seconds=self.retry.lease)
        for index in range(done, len(replies)):
            reply = replies[index]
            cost = cost_of(reply) if cost_of else 1 + bool(reply.photos)  # photos: own message
            async with self.limiter.slot(row.chat_id, group=group, cost=cost):
                marked = {**(row.payload or {}), SENDING: index}
                if (row.payload or {}).get(SENDING) == index:  # Telegram has no idempotency key
                    log.warning("outbox row %s: a process stopped while sending it; may repeat", row.id)
                if not await self._update(row, _renewal(lease, marked)):
                    log.warning("outbox row %s: claim lost, not sending", row.id)
                    return False
                row.payload = marked
                for n in riders if index == done else ():  # riding along: in doubt with it
                    n.payload = {**(n.payload or {}), SENDING: 0}
                    await self._update(n, _renewal(lease, n.payload))
                sent = await asyncio.wait_for(
                    self.channel.send(row.chat_id, [reply], locale, thread_id), self.retry.send_timeout
                )
            async with self.uow_factory() as uow:
                for s in sent:
                    if s.reply.ticket_id is not None:
                        await uow.outbox.add_link(
                            self.channel.name,
                            row.chat_id,
                            s.message_id,
                            s.reply.ticket_id,
                            row.account_id,
                            card=s.reply.card,
                            fingerprint=fingerprint(s.reply, locale) if s.reply.card else None,
                        )
                if index < len(replies) - 1:
                    row.payload = {**(row.payload or {}), PROGRESS: index + 1}
                    values: dict[str, Any] = {"payload": row.payload}
                else:
                    values = self._release(NS.sent, last_error=None)(uow.clock.now())
                await uow.outbox.update_claimed(row.id, self.worker_id, **values)
                await uow.commit()
        return True


def _category(locale: str, key: str) -> str:
    try:
        return t(locale, f"category-{key}")
    except KeyError:
        return key


def _renewal(lease: timedelta, payload: dict[str, Any]) -> Callable[[datetime], dict[str, Any]]:
    """Row values just before a send: the lease renewed, the part being sent recorded."""
    return lambda now: {"claimed_until": now + lease, "payload": payload}


def _held(wait: float, lease: float, reason: str) -> Callable[[datetime], dict[str, Any]]:
    """Row values after a 429: retried once the hold is over, still claimed until then."""

    def values(now: datetime) -> dict[str, Any]:
        return {
            "next_attempt_at": now + timedelta(seconds=wait),
            "claimed_until": now + timedelta(seconds=lease),
            "last_error": reason,
        }

    return values
