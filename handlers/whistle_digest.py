"""The 吹哨报到 section of street (and district) digests: whistles in the period and, per
department called, its on-time report-in and arrival rates (services/whistle_metrics.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from handlers.types import msg
from locales import Msg
from services import whistle_metrics
from storage.uow import UnitOfWork

DIGEST_ROLES = ("street", "admin")


def _pct(v: float | None) -> str:
    return "-" if v is None else f"{v * 100:.0f}%"


async def lines(uow: UnitOfWork, compound_ids: Sequence[int], since: datetime, until: datetime) -> list[Msg]:
    f = await whistle_metrics.figures(uow, since, until, compound_ids)
    if f.whistles == 0:
        return []
    out = [msg("digest-section-whistles", whistles=f.whistles, closed=f.closed)]
    out += [
        msg(
            "digest-whistle-line",
            department=r.name,
            called=r.called,
            report_in=_pct(r.report_in.rate),
            on_site=_pct(r.on_site.rate),
        )
        for r in f.departments
    ]
    return out
