"""The maintenance-fund report: per compound and per district, for applications drafted in
a period: how many, the amount applied, the amount settled, the district emergency fund's
balance (district rows) and the median days from draft to approval."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import time

from services import orgtime
from services.periods import Period
from storage.models import FundApplication, OrgKind
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class FundRow:
    level: str  # compound | district
    code: str
    name: str
    count: int
    applied_fen: int
    settled_fen: int
    balance_fen: int | None  # district rows: the emergency fund's balance now
    median_days: float | None  # draft → approval, over the approved ones


def _row(level: str, code: str, name: str, apps: list[FundApplication], balance: int | None) -> FundRow:
    days = [(a.approved_at - a.created_at).total_seconds() / 86400 for a in apps if a.approved_at is not None]
    return FundRow(
        level,
        code,
        name,
        len(apps),
        sum(a.amount_fen for a in apps),
        sum(a.actual_fen or 0 for a in apps if a.settled_at is not None),
        balance,
        round(statistics.median(days), 1) if days else None,
    )


async def fund_rows(uow: UnitOfWork, period: Period, tz: str) -> list[FundRow]:
    since = orgtime.at_local(period.start, time(0), tz)
    until = orgtime.end_of_day(period.end, tz)
    apps = list(await uow.owners.applications(None, since, until))
    out: list[FundRow] = []
    for district in await uow.org.all(OrgKind.district):
        assert district.id is not None
        mine: list[FundApplication] = []
        for compound in [d for d in await uow.org.descendants(district.id) if d.kind == OrgKind.compound]:
            theirs = [a for a in apps if a.compound_id == compound.id]
            if theirs:
                out.append(_row("compound", compound.code, compound.name, theirs, None))
                mine += theirs
        fund = await uow.owners.emergency_fund(district.id)
        if mine or fund is not None:
            out.append(_row("district", district.code, district.name, mine, fund.balance_fen if fund else 0))
    return out
