"""What several bot processes share when GONGZHI_REDIS_URL is set: the per-chat ordering
lock (one update of a chat at a time, across processes) and the flood limiter (one 30 msg/s
budget for the bot, 1/s per private chat, 20/min per group, a 429 pauses every process).
Without Redis the same interfaces are process-local (ChatLocks, bot.ratelimit.RateLimiter).

The Redis limiter keeps one sorted set per window (global, each chat): a message is a member
scored "in flight" (far in the future) when its slot is taken and re-scored with the time its
request completed, so, as in bot/ratelimit.py, the server never sees more than the cap in any
window whatever the latency. Times are Redis's own clock (TIME), so processes on machines
with different clocks agree.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from bot.ratelimit import SendLimits
from handlers.keyed_locks import KeyedLocks

IN_FLIGHT = 60.0  # seconds a taken slot counts before its request completes (a crash frees it then)


# One holder per key at a time in this process; locks of idle keys are forgotten.
ChatLocks = KeyedLocks


_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class RedisChatLocks:
    """ChatLocks across processes: a local lock first (no Redis traffic while a sibling task
    of this process holds the chat), then ``SET key token NX PX ttl`` with short retries. The
    lease (``ttl``) frees the chat if its holder dies."""

    def __init__(self, redis: Any, *, prefix: str = "gongzhi:chat:", ttl: float = 60.0) -> None:
        self.redis, self.prefix, self.ttl = redis, prefix, ttl
        self.local = ChatLocks()
        self._release = redis.register_script(_RELEASE)

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        async with self.local.hold(key):
            token = secrets.token_hex(8)
            name = self.prefix + key
            delay = 0.002
            while not await self.redis.set(name, token, nx=True, px=int(self.ttl * 1000)):
                await asyncio.sleep(delay)
                delay = min(delay * 2, 0.05)
            try:
                yield
            finally:
                await self._release(keys=[name], args=[token])


# KEYS: hold, global, chat.  ARGV: member, cost, in_flight,
#       global cap, global period, chat cap, chat period   (cap 0: no such window)
# returns "0" when the slot was taken, else the seconds to wait before asking again
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local hold = tonumber(redis.call('GET', KEYS[1]) or '0')
if hold > now then return tostring(hold - now) end
local cost = tonumber(ARGV[2])
local wait = 0
for i = 1, 2 do
  local key, cap, period = KEYS[i + 1], tonumber(ARGV[2 + 2 * i]), tonumber(ARGV[3 + 2 * i])
  if cap > 0 then
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now - period)
    local n = redis.call('ZCARD', key)
    local excess = n + math.min(cost, cap) - cap
    if excess > 0 then
      local oldest = redis.call('ZRANGE', key, excess - 1, excess - 1, 'WITHSCORES')
      local free_at = tonumber(oldest[2]) + period
      if free_at > now + period then free_at = now + 0.05 end
      wait = math.max(wait, free_at - now)
    end
  end
end
if wait > 0 then return tostring(wait) end
local until_ = now + tonumber(ARGV[3])
for i = 1, 2 do
  local key, cap, period = KEYS[i + 1], tonumber(ARGV[2 + 2 * i]), tonumber(ARGV[3 + 2 * i])
  if cap > 0 then
    for j = 1, math.min(cost, cap) do redis.call('ZADD', key, until_, ARGV[1] .. ':' .. j) end
    redis.call('PEXPIRE', key, math.ceil((period + tonumber(ARGV[3])) * 1000))
  end
end
return "0"
"""

# KEYS: global, chat.  ARGV: member, cost.  Re-score the slot with the completion time.
_FINISH = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
for i = 1, 2 do
  for j = 1, tonumber(ARGV[2]) do redis.call('ZADD', KEYS[i], 'XX', now, ARGV[1] .. ':' .. j) end
end
return 0
"""

# KEYS: hold.  ARGV: seconds.  Pause everyone until Redis's clock passes now + seconds.
_HOLD = """
local t = redis.call('TIME')
local until_ = tonumber(t[1]) + tonumber(t[2]) / 1000000 + tonumber(ARGV[1])
if until_ > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], tostring(until_), 'PX', math.ceil(tonumber(ARGV[1]) * 1000) + 1000)
end
return 0
"""


class RedisRateLimiter:
    """bot.ratelimit.RateLimiter's interface (``slot``, ``hold``, ``held_for``) with its
    windows in Redis, shared by every process of the bot."""

    def __init__(
        self,
        redis: Any,
        limits: SendLimits | None = None,
        *,
        prefix: str = "gongzhi:flood:",
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        on_hold: Callable[[float], None] | None = None,
    ) -> None:
        self.redis, self.limits, self.prefix, self._sleep = redis, limits or SendLimits(), prefix, sleep
        self.on_hold = on_hold
        self._acquire = redis.register_script(_ACQUIRE)
        self._finish = redis.register_script(_FINISH)
        self._hold = redis.register_script(_HOLD)
        self._held_until = 0.0  # this process's last known hold (loop time), for held_for

    def _windows(self, chat_id: str, group: bool) -> tuple[list[str], list[float]]:
        lim = self.limits
        if group:
            chat_cap, chat_period = float(lim.group_per_minute or 0), 60.0
        elif lim.private_per_second:
            chat_cap, chat_period = float(lim.private_burst), lim.private_burst / lim.private_per_second
        else:
            chat_cap, chat_period = 0.0, 1.0
        keys = [self.prefix + "global", self.prefix + "chat:" + chat_id]
        return keys, [float(lim.global_per_second or 0), 1.0, chat_cap, chat_period]

    def hold(self, seconds: float) -> None:
        """Pause every process for ``seconds`` (a 429's retry_after)."""
        self._held_until = max(self._held_until, asyncio.get_running_loop().time() + seconds)
        if self.on_hold is not None:
            self.on_hold(seconds)
        task = asyncio.get_running_loop().create_task(self._hold(keys=[self.prefix + "hold"], args=[seconds]))
        task.add_done_callback(lambda t: t.exception())

    @property
    def held_for(self) -> float:
        return max(0.0, self._held_until - asyncio.get_running_loop().time())

    @asynccontextmanager
    async def slot(self, chat_id: str, *, group: bool = False, cost: int = 1) -> AsyncIterator[None]:
        keys, caps = self._windows(chat_id, group)
        member = secrets.token_hex(8)
        cost = max(1, cost)
        while True:
            wait = float(
                await self._acquire(keys=[self.prefix + "hold", *keys], args=[member, cost, IN_FLIGHT, *caps])
            )
            if wait <= 0:
                break
            await self._sleep(min(max(wait, 0.005), 1.0))
        try:
            yield
        finally:
            await self._finish(keys=keys, args=[member, cost])


def connect(url: str) -> Any:
    """An asyncio Redis client (redis-py) for ``url``; nothing connects until first use."""
    import redis.asyncio

    return redis.asyncio.from_url(url)
