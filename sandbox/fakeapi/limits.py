"""Sliding-window flood limits modelled on Telegram's documented bot limits.

* global: ``global_per_second`` messages in any 1 s window (default 30);
* private chat: ``private_burst`` messages in any ``private_burst / private_per_second``
  seconds window (default 3 messages per 3 s: on average 1/s, short bursts of 3 allowed);
* group / supergroup: ``group_per_minute`` messages in any 60 s window (default 20).

Only the methods in ``counted_methods`` count (a media group counts as one message).
A refused request does not consume quota.  ``retry_after`` is the whole number of seconds
(at least 1) until the oldest message in the full window leaves it.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from sandbox.fakeapi.errors import too_many_requests

SEND_METHODS = frozenset({"sendMessage", "sendPhoto", "sendMediaGroup", "sendLocation"})


@dataclass(frozen=True)
class Limits:
    global_per_second: int = 30
    private_per_second: float = 1.0
    private_burst: int = 3
    group_per_minute: int = 20
    counted_methods: frozenset[str] = field(default=SEND_METHODS)


class RateLimiter:
    def __init__(self, limits: Limits, clock: Callable[[], float]) -> None:
        self.limits = limits
        self._clock = clock
        self._global: deque[float] = deque()
        self._chats: dict[int, deque[float]] = {}

    def acquire(self, chat_id: int, private: bool) -> None:
        """Record one message to ``chat_id`` or raise a 429 ``ApiError``."""
        lim = self.limits
        now = self._clock()
        if private:
            chat_window = lim.private_burst / lim.private_per_second
            chat_cap = lim.private_burst
        else:
            chat_window, chat_cap = 60.0, lim.group_per_minute
        chat_q = self._chats.setdefault(chat_id, deque())
        windows = ((self._global, 1.0, lim.global_per_second), (chat_q, chat_window, chat_cap))
        wait = 0.0
        for queue, window, cap in windows:
            while queue and queue[0] <= now - window:
                queue.popleft()
            if len(queue) >= cap:
                wait = max(wait, queue[len(queue) - cap] + window - now)
        if wait > 0:
            raise too_many_requests(max(1, math.ceil(wait)))
        self._global.append(now)
        chat_q.append(now)


class ManualClock:
    """A monotonic clock for tests: ``FakeBotApi(clock=clock)``, then ``clock.advance(3)``."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


TELEGRAM_LIMITS = Limits()  # the limits Telegram applies (None elsewhere: no limit)
