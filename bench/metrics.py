"""Reporting queries at 10k and 1M tickets: do they stay indexed as the history grows?

    .venv/bin/python bench/metrics.py                        # SQLite temp files, 10k and 1M
    .venv/bin/python bench/metrics.py --sizes 10000 100000   # quicker
    .venv/bin/python bench/metrics.py --pg postgresql+asyncpg://postgres@127.0.0.1:5432/test

Builds a district of 10 streets x 10 communities x ``--per-community`` compounds (1,000 by
default; 80 % served by one of 50 property companies) and bulk-inserts tickets (SQLAlchemy
core executemany) at a steady 1,000 tickets a day, ending now: 10k tickets are 10 days of
history, 1M almost three years. Tickets older than two weeks are closed (a few rejected or
waiting for confirmation); younger ones are open with a probability falling with age, so the
number of open tickets does not grow with the history, as in a real district.

Times (median of ``--repeat`` runs, warm) of
  (a) the per-community digest counts: services.metrics.community_counts (open / overdue /
      new in 24 h for one community) — goal: 1M/10k ratio <= 3 (it reads only open and
      recent tickets through ix_ticket_compound_state and ix_ticket_compound_created);
  (b) the rates of one street for the current quarter: services.metrics.scope_metrics —
      it must aggregate every ticket of the street received in the quarter, so it grows with
      the tickets in the period (10k: 10 days of data; 1M: the whole quarter), not with the
      history before it.
and prints the ratios 1M/10k (largest size / smallest size).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, text  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine  # noqa: E402

from services.metrics import community_counts, scope_metrics  # noqa: E402
from services.periods import current_quarter  # noqa: E402
from storage.clock import FrozenClock  # noqa: E402
from storage.db import create_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import OrgNode, Ticket  # noqa: E402
from storage.uow import UowFactory, make_uow_factory  # noqa: E402

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
PER_DAY = 1000
CATEGORIES = ("leak", "heating", "elevator", "sanitation", "parking", "noise", "other")


def org_rows(per_community: int) -> tuple[list[dict[str, Any]], list[int], int, int]:
    """Org nodes with fixed ids; returns rows, compound ids, one community id, one street id."""
    rows: list[dict[str, Any]] = [
        dict(id=1, code="D", kind="district", name="区", ticket_prefix="PG", timezone="Asia/Shanghai")
    ]
    companies = list(range(2, 52))
    rows += [dict(id=c, code=f"CO{c}", kind="company", name=f"物业{c}") for c in companies]
    nid, compounds = 100, []
    for s in range(10):
        street = nid = nid + 1
        rows.append(dict(id=street, code=f"S{s}", kind="street", name=f"街道{s}", parent_id=1))
        for c in range(10):
            community = nid = nid + 1
            rows.append(
                dict(id=community, code=f"S{s}C{c}", kind="community", name=f"社区{s}-{c}", parent_id=street)
            )
            for k in range(per_community):
                nid += 1
                company = companies[nid % 50] if nid % 5 else None
                rows.append(
                    dict(
                        id=nid,
                        code=f"S{s}C{c}K{k}",
                        kind="compound",
                        name=f"小区{nid}",
                        parent_id=community,
                        company_id=company,
                    )
                )
                compounds.append(nid)
    for r in rows:
        r.setdefault("parent_id", None)
        r.setdefault("company_id", None)
        r.setdefault("ticket_prefix", None)
        r.setdefault("timezone", None)
    return rows, compounds, 102, 101  # the first community and the first street


def ticket_rows(
    n: int,
    compounds: list[int],
    company_of: dict[int, int | None],
    community_of: dict[int, int],
    rng: random.Random,
    start: int,
) -> list[dict[str, Any]]:
    out = []
    for i in range(start, start + n):
        age = timedelta(days=i / PER_DAY) + timedelta(seconds=rng.randrange(60))
        created = NOW - age
        cid = compounds[rng.randrange(len(compounds))]
        company = company_of[cid]
        days = age / timedelta(days=1)
        p_open = 0.7 if days < 1 else 0.4 if days < 3 else 0.1 if days < 14 else 0.0
        roll = rng.random()
        state = (
            "in_progress"
            if roll < p_open
            else "rejected"
            if roll > 0.97
            else "resolved"
            if days < 17 and roll > 0.9
            else "closed"
        )
        done = state in ("closed", "resolved")
        out.append(
            dict(
                number=f"B-{i:08d}",
                compound_id=cid,
                category=CATEGORIES[i % len(CATEGORIES)],
                priority="urgent",
                description="bench",
                photos=[],
                anonymous=False,
                source="hotline" if i % 10 == 0 else "chat",
                queue="property" if company else "community",
                queue_org_id=company or community_of[cid],
                state=state,
                escalation_level=0,
                reopen_count=0,
                created_at=created,
                updated_at=created,
                acknowledged_at=created + timedelta(minutes=rng.randrange(30, 200))
                if state != "rejected"
                else None,
                resolved_at=created + timedelta(hours=rng.randrange(2, 40)) if done else None,
                closed_at=created + timedelta(days=2) if state in ("closed", "rejected") else None,
                first_response_due=created + timedelta(hours=2),
                resolution_due=created + timedelta(days=1),
                rating=rng.randrange(1, 6) if state == "closed" and rng.random() < 0.5 else None,
                reject_reason="invalid" if state == "rejected" else None,
            )
        )
    return out


async def fill(engine: AsyncEngine, size: int, per_community: int) -> tuple[int, int, float]:
    orgs, compounds, community, street = org_rows(per_community)
    company_of = {r["id"]: r["company_id"] for r in orgs if r["kind"] == "compound"}
    community_of = {r["id"]: r["parent_id"] for r in orgs if r["kind"] == "compound"}
    rng = random.Random(42)
    t0 = time.perf_counter()
    async with engine.begin() as conn:
        await conn.execute(insert(OrgNode.__table__), orgs)  # type: ignore[attr-defined]
    chunk = 20_000
    for start in range(0, size, chunk):
        rows = ticket_rows(min(chunk, size - start), compounds, company_of, community_of, rng, start)
        async with engine.begin() as conn:
            await conn.execute(insert(Ticket.__table__), rows)  # type: ignore[attr-defined]
    async with engine.begin() as conn:
        await conn.execute(text("ANALYZE"))
    return community, street, time.perf_counter() - t0


async def timed(fn: Callable[[], Awaitable[Any]], repeat: int) -> tuple[float, Any]:
    result = await fn()  # warm
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = await fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


async def measure(engine: AsyncEngine, size: int, per_community: int, repeat: int) -> dict[str, float]:
    await upgrade(engine)
    community, street, fill_s = await fill(engine, size, per_community)
    f: UowFactory = make_uow_factory(engine, FrozenClock(NOW))
    quarter = current_quarter(NOW)

    async def digest() -> Any:
        async with f() as uow:
            return await community_counts(uow, community, NOW)

    async def street_rates() -> Any:
        async with f() as uow:
            return await scope_metrics(uow, street, quarter)

    t_digest, counts = await timed(digest, repeat)
    t_street, m = await timed(street_rates, repeat)
    print(
        f"  {size:>9,} tickets: filled in {fill_s:6.1f} s | digest {t_digest * 1000:7.2f} ms "
        f"(open {counts.open}, overdue {counts.overdue}, new {counts.new}) | street {quarter.label} "
        f"{t_street * 1000:8.2f} ms ({m.counts.total:,} tickets, response "
        f"{(m.rates.response or 0) * 100:.1f} %)",
        flush=True,
    )
    return {"digest": t_digest, "street": t_street}


@asynccontextmanager
async def scratch_engine(pg: str | None) -> AsyncIterator[AsyncEngine]:
    """An empty database for one measurement: a fresh schema on the PostgreSQL server ``pg``
    (dropped afterwards), else a SQLite file in a temporary directory (bench/sla_sweep.py too)."""
    if pg:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(pg)
        async with admin.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine = create_engine(pg, search_path=schema)
        try:
            yield engine
        finally:
            await engine.dispose()
            async with admin.begin() as conn:
                await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            await admin.dispose()
        return
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}")
        try:
            yield engine
        finally:
            await engine.dispose()


async def one_size(args: argparse.Namespace, size: int) -> dict[str, float]:
    async with scratch_engine(args.pg) as engine:
        return await measure(engine, size, args.per_community, args.repeat)


async def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    p.add_argument("--per-community", type=int, default=10, help="compounds per community (x100)")
    p.add_argument("--repeat", type=int, default=15)
    p.add_argument("--pg", default=None, metavar="URL", help="PostgreSQL instead of SQLite")
    args = p.parse_args()
    print(f"backend: {'PostgreSQL' if args.pg else 'SQLite'}, {args.per_community * 100} compounds")
    results = {size: await one_size(args, size) for size in sorted(args.sizes)}
    small, large = min(results), max(results)
    if small != large:
        for name in ("digest", "street"):
            ratio = results[large][name] / results[small][name]
            goal = " (goal <= 3)" if name == "digest" else ""
            print(f"ratio {large:,}/{small:,} {name}: {ratio:.2f}{goal}")
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
