"""Per-chat ordering locks: one holder at a time per key, in arrival order, and no lock kept
for a chat once its updates are done."""

from __future__ import annotations

import asyncio

from handlers.keyed_locks import KeyedLocks


async def test_one_holder_per_key_in_order_and_nothing_kept_afterwards() -> None:
    locks = KeyedLocks()
    seen: list[tuple[str, int]] = []
    gate = asyncio.Event()

    async def work(key: str, n: int) -> None:
        async with locks.hold(key):
            seen.append((key, n))
            if n == 0:
                await gate.wait()  # the first holder of each key waits; the others queue

    tasks = [asyncio.create_task(work(k, n)) for n in range(3) for k in ("a", "b")]
    while len(seen) < 2:
        await asyncio.sleep(0)
    assert sorted(seen) == [("a", 0), ("b", 0)] and len(locks) == 2  # one holder per key
    gate.set()
    await asyncio.gather(*tasks)
    assert [n for k, n in seen if k == "a"] == [0, 1, 2] == [n for k, n in seen if k == "b"]
    assert len(locks) == 0


async def test_a_failing_holder_releases_and_forgets_its_key() -> None:
    locks = KeyedLocks()
    try:
        async with locks.hold("chat"):
            raise RuntimeError("handler failed")
    except RuntimeError:
        pass
    assert len(locks) == 0
    async with locks.hold("chat"):
        assert len(locks) == 1
