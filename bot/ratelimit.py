"""Client-side flood control for outgoing messages (Telegram: ~30 msg/s overall, ~1 msg/s per
private chat, 20 msg/min per group).

Each limit is a sliding window of ``cap`` messages per ``period`` seconds. A message holds its
slot while in flight and is counted from the moment its request *completed*: the server
counts it when the request arrived, which is earlier, so the server never sees more than
``cap`` messages in any window, whatever the network latency. A 429 ``hold`` pauses all
senders. ``clock``/``sleep`` are injectable so tests need no real time.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class SendLimits:
    """None switches a limit off. A private chat may take ``private_burst`` messages at once
    but no more than that in any ``private_burst / private_per_second`` seconds (Telegram
    tolerates short bursts; 1/s on average)."""

    global_per_second: int | None = 30
    private_per_second: float | None = 1.0
    group_per_minute: int | None = 20
    private_burst: int = 3

    @classmethod
    def unlimited(cls) -> SendLimits:
        return cls(None, None, None)


class Window:
    """At most ``cap`` messages in any ``period`` seconds (counted at completion)."""

    def __init__(self, cap: int, period: float) -> None:
        if cap < 1 or period <= 0:
            raise ValueError("a window needs cap >= 1 and period > 0")
        self.cap, self.period = cap, period
        self.done: deque[float] = deque()
        self.in_flight = 0

    def _expire(self, now: float) -> None:
        while self.done and self.done[0] <= now - self.period:
            self.done.popleft()

    def wait(self, now: float, cost: int) -> float | None:
        """Seconds until ``cost`` slots are free; None: only a completion can free them."""
        self._expire(now)
        cost = min(cost, self.cap)
        excess = len(self.done) + self.in_flight + cost - self.cap
        if excess <= 0:
            return 0.0
        if excess > len(self.done):
            return None
        return self.done[excess - 1] + self.period - now

    def start(self, cost: int) -> None:
        self.in_flight += min(cost, self.cap)

    def finish(self, cost: int, now: float) -> None:
        self.in_flight -= min(cost, self.cap)
        self.done.extend([now] * min(cost, self.cap))

    def idle(self, now: float) -> bool:
        self._expire(now)
        return not self.done and not self.in_flight


class RateLimiter:
    def __init__(
        self,
        limits: SendLimits | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        on_hold: Callable[[float], None] | None = None,
    ) -> None:
        self.limits = limits or SendLimits()
        self.on_hold = on_hold  # told of every 429 hold (metrics)
        self._clock, self._sleep = clock, sleep
        lim = self.limits
        self._global = Window(lim.global_per_second, 1.0) if lim.global_per_second else None
        self._chats: dict[str, Window] = {}
        self._hold_until = 0.0
        self._changed = asyncio.Event()
        self._fifo: deque[asyncio.Event] = deque()

    def hold(self, seconds: float) -> None:
        """Pause every sender for ``seconds`` (a 429 retry_after)."""
        self._hold_until = max(self._hold_until, self._clock() + max(0.0, seconds))
        if self.on_hold is not None:
            self.on_hold(seconds)

    @property
    def held_for(self) -> float:
        return max(0.0, self._hold_until - self._clock())

    def _chat(self, chat_id: str, group: bool) -> Window | None:
        lim = self.limits
        w = self._chats.get(chat_id)
        if w is None:
            if group and lim.group_per_minute:
                w = Window(lim.group_per_minute, 60.0)
            elif not group and lim.private_per_second:
                w = Window(lim.private_burst, lim.private_burst / lim.private_per_second)
            else:
                return None
            if len(self._chats) > 10_000:  # forget chats with nothing in their window
                now = self._clock()
                for key in [k for k, v in self._chats.items() if v.idle(now)]:
                    del self._chats[key]
            self._chats[chat_id] = w
        return w

    async def _until_free(self, window: Window | None, cost: int) -> None:
        """Wait until no hold is on and ``window`` has room (its own wait, nobody else's)."""
        while True:
            now = self._clock()
            if self._hold_until > now:
                await self._sleep(self._hold_until - now)
                continue
            wait = window.wait(now, cost) if window is not None else 0.0
            if wait == 0.0:
                return
            if wait is None:
                await self._completion(None)
            else:
                await self._sleep(wait)

    async def _completion(self, timeout: float | None) -> None:
        self._changed.clear()
        try:
            await asyncio.wait_for(self._changed.wait(), timeout=timeout)
        except TimeoutError:
            pass

    async def _acquire(self, chat: Window | None, cost: int) -> None:
        """The chat's own window first, then the global one in first-come order, so busy
        chats take turns (round robin) instead of racing for each freed global slot."""
        while True:
            await self._until_free(chat, cost)
            if self._global is None:
                break
            me = asyncio.Event()
            self._fifo.append(me)
            try:
                while self._fifo[0] is not me:
                    me.clear()
                    await me.wait()
                await self._until_free(self._global, cost)
            finally:
                self._fifo.remove(me)
                if self._fifo:
                    self._fifo[0].set()
            if chat is None or chat.wait(self._clock(), cost) == 0.0:
                self._global.start(cost)
                break
            # someone else used this chat meanwhile: queue again
        if chat is not None:
            chat.start(cost)

    @asynccontextmanager
    async def slot(self, chat_id: str, *, group: bool = False, cost: int = 1) -> AsyncIterator[None]:
        """``async with limiter.slot(chat):`` around one send call."""
        chat = self._chat(chat_id, group)
        cost = max(1, cost)
        await self._acquire(chat, cost)
        try:
            yield
        finally:
            now = self._clock()
            for w in (self._global, chat):
                if w is not None:
                    w.finish(cost, now)
            self._changed.set()
