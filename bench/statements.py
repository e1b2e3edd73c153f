"""SQL statements per update of the report flow (and where they come from).

    .venv/bin/python bench/statements.py [--database-url postgresql+asyncpg://…] [--show]

Runs the real dispatcher, delivery and card refresh through the flow harness
(tests/flows/harness.py) for one resident: join, then /report → category → description →
no photos → no location → submit. Prints the number of statements each update ran (the
outbox sender's own work is not counted), then the same for a second resident (warm: the number
sequence exists and the reference data is cached). ``--show`` prints them.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from bot.app import seed_policies  # noqa: E402
from services.org_import import import_org, load_org_file  # noqa: E402
from storage.clock import FrozenClock  # noqa: E402
from storage.db import create_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from tests.flows.harness import Harness  # noqa: E402

STEPS = [
    ("say", "/report"),
    ("press", "rp:c:leak"),
    ("say", "楼道灯坏了"),
    ("press", "rp:done"),
    ("press", "rp:noloc"),
    ("press", "rp:submit"),
]


async def run(url: str, show: bool, repeat: int) -> None:
    from datetime import UTC, datetime

    engine = create_engine(url)
    await upgrade(engine)
    h = Harness(engine, FrozenClock(datetime(2026, 11, 23, 2, 0, tzinfo=UTC)))
    await seed_policies(h.core.uow_factory)
    async with h.core.uow_factory() as uow:
        await import_org(uow, load_org_file(ROOT / "examples" / "pinggu-demo.yaml"))
        await uow.commit()
    await h.say("r", "/start c_XGY")
    await h.press("r", "sk:join.unit")
    seen: list[str] = []

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _count(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        seen.append(" ".join(statement.split())[:160])

    async def no_drain() -> int:  # the outbox sender's statements are not the update's
        return 0

    h.sender.drain_once = no_drain  # type: ignore[method-assign]
    total = 0
    for kind, arg in STEPS:
        seen.clear()
        if kind == "say":
            await h.say("r", arg)
        else:
            await h.press("r", arg)
        total += len(seen)
        print(f"{kind:5} {arg:16} {len(seen):3} statements")
        if show:
            for s in seen:
                print("        ", s)
    print(f"total {total}, {total / len(STEPS):.1f} per update")
    # the first report of a process also creates the year's number sequence and loads the
    # reference data (the second one finds the sequence): the third shows what every later
    # report costs
    for name in ("w0", "w"):
        await h.say(name, "/start c_XGY")
        await h.press(name, "sk:join.unit")
        for kind, arg in STEPS:
            seen.clear()
            await (h.say(name, arg) if kind == "say" else h.press(name, arg))
            if name == "w":
                print(f"warm  {kind:5} {arg:16} {len(seen):3} statements")
    if repeat:
        import time

        per_step = [0.0] * len(STEPS)
        for i in range(repeat):
            name = f"p{i}"
            await h.say(name, "/start c_XGY")
            await h.press(name, "sk:join.unit")
            for j, (kind, arg) in enumerate(STEPS):
                t0 = time.process_time()
                await (h.say(name, arg) if kind == "say" else h.press(name, arg))
                per_step[j] += time.process_time() - t0
        for (kind, arg), t in zip(STEPS, per_step, strict=True):
            print(f"{kind:5} {arg:16} {t * 1000 / repeat:6.2f} ms CPU")
        print(
            f"mean {sum(per_step) * 1000 / repeat / len(STEPS):.2f} ms CPU per update (dispatcher + delivery)"
        )
    await engine.dispose()


async def run_on(url: str, show: bool, repeat: int) -> None:
    """On PostgreSQL: a scratch database beside the one in ``url``, dropped afterwards."""
    if not url.startswith("postgresql"):
        await run(url, show, repeat)
        return
    sys.path.insert(0, str(ROOT / "bench"))
    import throughput

    scratch = await throughput.fresh_pg(url)
    try:
        await run(scratch, show, repeat)
    finally:
        await throughput.drop_pg(url)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--database-url")
    p.add_argument("--show", action="store_true")
    p.add_argument("--repeat", type=int, default=0, help="then time this many residents' reports")
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run_on(a.database_url or f"sqlite+aiosqlite:///{tmp}/s.db", a.show, a.repeat))


if __name__ == "__main__":
    main()
