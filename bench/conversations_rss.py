"""Memory of the bot with 10k conversations in progress (goal: peak RSS <= 200 MB).

    .venv/bin/python bench/conversations_rss.py                 # SQLite temp file
    .venv/bin/python bench/conversations_rss.py --pg postgresql+asyncpg://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/conversations_rss.py --small         # 2k conversations, 300 driven

The real bot (`python -m bot run`, a subprocess) against the fake Bot API. ``--conversations``
residents of one compound are each half-way through /report (the conversation state one
resident reached through the bot — category chosen, description asked — copied to the others
in the database); then ``--drive`` of them, concurrently, send their description through the
bot and get the next prompt, so the bot has touched that many conversations. The bot keeps a
conversation in the database, not in memory: its peak RSS (VmHWM) should not grow with them.
The last line is ``peak_rss_mb X``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sandbox.fakeapi import FakeBotApi  # noqa: E402
from services.accounts import Identity, ensure_account, join_compound, set_unit  # noqa: E402
from storage.db import create_engine  # noqa: E402
from storage.uow import make_uow_factory  # noqa: E402
from tests.e2e.bot_driver import prepare_db  # noqa: E402
from tests.e2e.crash_kit import BotProcess, Person, fresh_database  # noqa: E402

FIRST = 100_000


async def seed(db: str, ids: list[int], template: int) -> None:
    """Residents of XGY with a unit, each in the conversation step ``template`` reached."""
    engine = create_engine(db)
    f = make_uow_factory(engine)
    async with f() as uow:
        who = await uow.accounts.by_identity("telegram", str(template))
        assert who is not None and who.id is not None
        state = await uow.conversations.get(who.id, f"telegram:{template}")
        assert state is not None, "the template resident has no conversation in progress"
        step, data = state.step, dict(state.data)
    for start in range(0, len(ids), 1000):
        async with f() as uow:
            now = uow.clock.now()
            for uid in ids[start : start + 1000]:
                acc = await ensure_account(
                    uow, Identity("telegram", str(uid), str(uid), f"居民{uid}", "zh-hans")
                )
                compound = await join_compound(uow, acc, "XGY")
                assert compound.id is not None and acc.id is not None
                await set_unit(uow, acc, compound.id, "1-1-101")
                await uow.conversations.put(acc.id, f"telegram:{uid}", step, data, now)
            await uow.commit()
    await engine.dispose()


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM (Linux only)")


async def run(db: str, args: argparse.Namespace, workdir: Path) -> float:
    api = FakeBotApi(limits=None, callback_ttl=None)
    await api.start()
    people = [Person(api, FIRST + i, timeout=300) for i in range(args.conversations)]
    for p in people:
        api.add_user(p.id, f"居民{p.id}")
    bot = BotProcess(api, db, workdir, GONGZHI_ADAPTER=args.adapter)
    try:
        await prepare_db(db)
        first = people[0]
        engine = create_engine(db)
        async with make_uow_factory(engine)() as uow:
            acc = await ensure_account(
                uow, Identity("telegram", str(first.id), str(first.id), "居民", "zh-hans")
            )
            compound = await join_compound(uow, acc, "XGY")
            assert compound.id is not None
            await set_unit(uow, acc, compound.id, "1-1-101")
            await uow.commit()
        await engine.dispose()
        await bot.start()
        await first.say("/report", "请选择问题类别")
        await first.tap("漏水", "请用文字描述")
        assert bot.proc is not None
        started = peak_rss_mb(bot.proc.pid)
        await seed(db, [p.id for p in people[1:]], first.id)
        driven = people[1 : 1 + args.drive]
        await asyncio.gather(*(p.say(f"{p.id} 号：卫生间漏水", "可以发送照片") for p in driven))
        assert bot.proc is not None
        peak = peak_rss_mb(bot.proc.pid)
        print(
            f"  {args.adapter}: {args.conversations:,} conversations in progress, "
            f"{len(driven):,} driven through the bot; peak RSS after start-up and one "
            f"conversation {started:.1f} MB"
        )
        return peak
    finally:
        await bot.stop()
        await api.stop()


async def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--conversations", type=int, default=10_000)
    p.add_argument("--drive", type=int, default=1_000, help="of them continued through the bot")
    p.add_argument("--adapter", default="aiogram", choices=("aiogram", "ptb"))
    p.add_argument("--small", action="store_true", help="2,000 conversations, 300 driven")
    p.add_argument("--pg", default=None, metavar="URL", help="PostgreSQL instead of SQLite")
    args = p.parse_args()
    if args.small:
        args.conversations, args.drive = 2_000, 300
    with tempfile.TemporaryDirectory() as tmp:
        if args.pg:
            import os

            os.environ["GONGZHI_TEST_DATABASE_URL"] = args.pg
            import tests.e2e.crash_kit as kit

            kit.PG_URL = args.pg
            async with fresh_database() as db:
                peak = await run(db, args, Path(tmp))
        else:
            peak = await run(f"sqlite+aiosqlite:///{Path(tmp) / 'rss.db'}", args, Path(tmp))
    print(f"peak_rss_mb {peak:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
