"""The poller confirms an update only after it was handled (bot/adapters/polling.py)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.adapters.polling import Poller
from handlers.dispatch import Unavailable
from handlers.types import Outcome


@dataclass(frozen=True)
class U:
    update_id: int


async def _nosleep(_: float) -> None:
    return None


async def test_offset_stops_at_the_first_update_not_handled() -> None:
    down = {12}
    handled: list[int] = []

    async def handle(u: U) -> None:
        if u.update_id in down:
            raise Unavailable(Outcome())
        handled.append(u.update_id)

    async def fetch(offset: int | None) -> list[U]:
        return []

    p = Poller(fetch, handle, sleep=_nosleep)
    assert not await p.handle_batch([U(11), U(12), U(13)])
    assert p.offset == 12  # 12 and 13 come again; 11 is confirmed
    assert handled == [11, 13]
    down.clear()
    assert await p.handle_batch([U(12), U(13)])
    assert p.offset == 14


async def test_a_poisoned_update_is_confirmed_after_some_attempts() -> None:
    async def handle(u: U) -> None:
        raise KeyError("a bug")

    async def fetch(offset: int | None) -> list[U]:
        return []

    p = Poller(fetch, handle, max_failures=3, sleep=_nosleep)
    assert not await p.handle_batch([U(5)])
    assert not await p.handle_batch([U(5)])
    assert p.offset == 5
    assert await p.handle_batch([U(5)])
    assert p.offset == 6


async def test_the_loop_fetches_with_the_offset_and_backs_off_when_down() -> None:
    offsets: list[int | None] = []
    sleeps: list[float] = []
    batches = [[U(1), U(2)], [U(2)], [U(2)], []]

    async def fetch(offset: int | None) -> list[U]:
        offsets.append(offset)
        if not batches:
            p._stopping = True
            return []
        return batches.pop(0)

    calls = {2: 0}

    async def handle(u: U) -> None:
        if u.update_id == 2:
            calls[2] += 1
            if calls[2] < 3:
                raise Unavailable(Outcome())

    async def sleep(s: float) -> None:
        sleeps.append(s)

    p = Poller(fetch, handle, sleep=sleep, backoff=(0.5, 5.0))
    await p.run()
    assert offsets[:4] == [None, 2, 2, 3]
    assert sleeps == [0.5, 1.0]
