"""The SLA sweep (the tick's pass over due tickets) at 10k and 1M tickets: does it stay indexed?

    .venv/bin/python bench/sla_sweep.py                 # SQLite temp files, 10k and 1M
    .venv/bin/python bench/sla_sweep.py --small         # 10k and 100k (quicker)
    .venv/bin/python bench/sla_sweep.py --pg postgresql+asyncpg://postgres@127.0.0.1:5432/test

The district and the ticket history of bench/metrics.py (Core bulk inserts, a steady 1,000
tickets a day ending now; open tickets do not grow with the history). Every open ticket gets
its next deadline moment (``next_check_at``) in the future, except ``--due`` of them whose
moment has passed. Timed (median of ``--repeat`` runs, warm): the sweep of services/sweep.py
with the tick's own due query and row hold (``due_for_check``, ``hold_if_due``), the check
itself left out so that every run sees the same due rows; then one real ``run_tick`` is timed
once. The last line is the ratio of the sweep at the largest size to the smallest: goal <= 3.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import metrics as history  # noqa: E402  (bench/metrics.py: the same district and history)
from sqlalchemy import func, select, text, update  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine  # noqa: E402

from services.sweep import Sweep, sweep  # noqa: E402
from services.tick import run_tick  # noqa: E402
from storage.clock import FrozenClock  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Ticket  # noqa: E402
from storage.uow import UnitOfWork, make_uow_factory  # noqa: E402

NOW = history.NOW
OPEN = ("new", "acknowledged", "in_progress", "waiting_resident")


async def arm(engine: AsyncEngine, due: int) -> int:
    """Open tickets: a moment an hour ahead; the ``due`` newest of them: a minute ago."""
    t = Ticket.__table__  # type: ignore[attr-defined]
    async with engine.begin() as conn:
        await conn.execute(
            update(t).where(t.c.state.in_(OPEN)).values(next_check_at=NOW + timedelta(hours=1))
        )
        newest = select(t.c.id).where(t.c.state.in_(OPEN)).order_by(t.c.id.desc()).limit(due)
        ids = [r[0] for r in (await conn.execute(newest)).all()]
        await conn.execute(update(t).where(t.c.id.in_(ids)).values(next_check_at=NOW - timedelta(minutes=1)))
        n_open = (await conn.execute(select(func.count()).where(t.c.state.in_(OPEN)))).scalar_one()
        await conn.execute(text("ANALYZE"))
    return int(n_open)


async def measure(engine: AsyncEngine, size: int, args: argparse.Namespace) -> float:
    await upgrade(engine)
    _, _, fill_s = await history.fill(engine, size, args.per_community)
    n_open = await arm(engine, args.due)
    f = make_uow_factory(engine, FrozenClock(NOW))

    async def nothing(uow: UnitOfWork, ticket: Ticket) -> None:
        return None

    scan = Sweep(
        "bench",
        lambda uow, now, n, seen: uow.tickets.due_for_check(now, n, seen),
        lambda uow, tid, now: uow.tickets.hold_if_due(tid, now),
        nothing,
    )

    async def one() -> int:
        return (await sweep(f, scan)).looked_at

    t_sweep, looked = await history.timed(one, args.repeat)
    t0 = time.perf_counter()
    await run_tick(f)
    t_tick = time.perf_counter() - t0
    print(
        f"  {size:>9,} tickets ({n_open:,} open): filled in {fill_s:6.1f} s | sweep over {looked} due "
        f"{t_sweep * 1000:8.2f} ms | one real tick {t_tick * 1000:8.2f} ms",
        flush=True,
    )
    return t_sweep


async def one_size(args: argparse.Namespace, size: int) -> float:
    async with history.scratch_engine(args.pg) as engine:
        return await measure(engine, size, args)


async def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", type=int, nargs="+", default=None)
    p.add_argument("--small", action="store_true", help="10k and 100k tickets")
    p.add_argument("--due", type=int, default=200, help="tickets whose moment has passed")
    p.add_argument("--per-community", type=int, default=10, help="compounds per community (x100)")
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--pg", default=None, metavar="URL", help="PostgreSQL instead of SQLite")
    args = p.parse_args()
    sizes = args.sizes or ([10_000, 100_000] if args.small else [10_000, 1_000_000])
    print(f"SLA sweep on {'PostgreSQL' if args.pg else 'SQLite'}, {args.due} due tickets", flush=True)
    times = [await one_size(args, size) for size in sizes]
    print(f"ratio {times[-1] / times[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
