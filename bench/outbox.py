"""Outbox delivery rate against the fake Bot API's enforced flood limits.

    .venv/bin/python bench/outbox.py                  # 3,000 notifications, 500 private chats
    .venv/bin/python bench/outbox.py --count 600 --chats 100 --database-url postgresql+asyncpg://…

Starts FakeBotApi with its default (Telegram-like) limits, writes ``--count`` outbox rows
spread over ``--chats`` private chats, and runs the real OutboxSender (``run`` loop) through
the aiogram adapter until every row is sent. Prints delivered/s divided by the limit the fake
enforces — min(global/s, chats x per-chat/s) — and the number of 429 answers. Goal: a ratio
>= 0.95 with zero 429s. With the defaults this takes a little over 100 s (3,000 / 30 per s).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select  # noqa: E402

from bot.adapters.aiogram_adapter import AiogramChannel, make_bot  # noqa: E402
from bot.outbox import OutboxSender  # noqa: E402
from handlers.types import Reply, msg  # noqa: E402
from sandbox.fakeapi import FakeBotApi, Limits  # noqa: E402
from storage.db import create_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Notification, NotificationState  # noqa: E402
from storage.uow import UnitOfWork, UowFactory, make_uow_factory  # noqa: E402

FIRST_CHAT = 10_000_001


async def render(uow: UnitOfWork, n: Notification) -> list[Reply]:
    p = n.payload
    return [
        Reply(
            msg(
                "deadline-reminder-resolution",
                number=f"PG-2026-{p['i']:06d}",
                percent="50",
                due="2026-11-25 17:30",
            )
        )
    ]


async def fill(f: UowFactory, count: int, chats: int) -> None:
    async with f() as uow:
        now = uow.clock.now()
        for i in range(count):
            await uow.outbox.enqueue(
                {
                    "dedup_key": f"bench:{i}",
                    "kind": "bench",
                    "ticket_id": None,
                    "account_id": None,
                    "channel": "telegram",
                    "chat_id": str(FIRST_CHAT + i % chats),
                    "in_topic": False,
                    "due_at": now,
                    "payload": {"i": i},
                    "state": NotificationState.pending.value,
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                }
            )
        await uow.commit()


async def sent_count(f: UowFactory) -> int:
    async with f() as uow:
        q = select(func.count()).select_from(Notification).where(Notification.state == NotificationState.sent)  # type: ignore[arg-type]
        return int((await uow.session.execute(q)).scalar_one())


async def bench(count: int, chats: int, database_url: str | None) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(database_url or f"sqlite+aiosqlite:///{tmp}/bench.db")
        await upgrade(engine)
        f = make_uow_factory(engine)
        await fill(f, count, chats)
        limits = Limits()
        async with FakeBotApi(limits=limits) as api:
            for c in range(chats):
                api.add_user(FIRST_CHAT + c, f"住户{c}")
            bot = make_bot(api.token, api.base_url)
            sender = OutboxSender(f, AiogramChannel(bot), render=render, worker_id="bench")
            stop = asyncio.Event()
            started = time.monotonic()
            task = asyncio.create_task(sender.run(stop))
            last_report = started
            while (done := sum(1 for c in api.calls if c.method == "sendMessage" and c.ok)) < count:
                await asyncio.sleep(0.2)
                if time.monotonic() - last_report >= 10:
                    last_report = time.monotonic()
                    print(f"  {done}/{count} after {last_report - started:.0f} s", flush=True)
                if task.done():
                    break
            elapsed = time.monotonic() - started
            stop.set()
            await task
            await bot.session.close()
            stored = await sent_count(f)
            enforced = min(float(limits.global_per_second), chats * limits.private_per_second)
            rate = done / elapsed
            ratio = rate / enforced
            print(
                f"delivered {done}/{count} (rows marked sent: {stored}) to {chats} chats "
                f"in {elapsed:.1f} s = {rate:.2f} msg/s"
            )
            print(f"enforced limit {enforced:.2f} msg/s -> ratio {ratio:.3f}; 429 answers: {api.count_429}")
        await engine.dispose()
    return ratio


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--count", type=int, default=3000)
    p.add_argument("--chats", type=int, default=500)
    p.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    args = p.parse_args()
    ratio = asyncio.run(bench(args.count, args.chats, args.database_url))
    return 0 if ratio >= 0.95 else 1


if __name__ == "__main__":
    raise SystemExit(main())
