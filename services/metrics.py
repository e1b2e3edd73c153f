"""接诉即办 rates and the computable 新三率 parts, per compound, company, community, street
or district, for any period (services/periods.py). The database counts per compound
(storage/queries/metrics.py); the org tree rolls the counts up.

A ticket belongs to a period by ``created_at`` (the moment it was received). Rates are taken
at the clock's ``now``: a ticket whose deadline has not passed and that was not answered /
resolved yet is *pending* — neither a success nor a failure — and is reported beside the rate.

* valid: every ticket except those rejected as ``invalid`` or ``duplicate`` (a property
  company's "not ours" re-routes to the community and stays valid);
* 响应率 response = answered by ``first_response_due`` / tickets answered or past that due
  (rejected ones included: a rejection is an answer). A re-route restarts the first response:
  after one, only an answer in the new queue counts (the company's acknowledgement does not);
* 解决率 resolution = resolved (or closed after resolution) / valid tickets resolved or past
  ``resolution_due`` (a reopened ticket is not resolved until it is resolved again);
* 满意率 satisfaction = (满意 + basic_weight × 基本满意) / rated tickets (services.ratings);
* composite = weighted mean of the three rates (MetricWeights, default 10/50/40) as 0-100
  points; None unless all three rates exist (no fake numbers);
* 物业服务规范到位率 service standard = valid property-queue tickets answered and resolved in
  time and not rated 不满意 / those whose outcome is known (resolved, or a deadline missed);
* 物业管理突出问题专项整治到位率 rectification = on-time share of rectification items
  (services.rectification_queries.items_on_time_share);
* bounced = tickets a property company re-routed to the community as "not responsible",
  counted for that company (the event's ``from``; old events without it: the compound's).

A zero denominator gives None (shown as "—").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from services.org_rollup import OrgIndex
from services.periods import DEFAULT_TZ, Period
from services.ratings import RatingScale
from services.rectification_queries import items_on_time_share
from storage.models import OrgKind
from storage.queries import metrics as q
from storage.queries.common import INVALID_REASONS
from storage.queries.metrics import Counts
from storage.uow import UnitOfWork

__all__ = [
    "INVALID_REASONS",
    "LEVELS",
    "CommunityCounts",
    "Counts",
    "GroupMetrics",
    "MetricWeights",
    "Rates",
    "community_counts",
    "composite_score",
    "compound_counts",
    "metrics_by_level",
    "rates_of",
    "ratio",
    "satisfaction_rate",
    "scope_metrics",
]
LEVELS = ("compound", "company", "community", "street", "district")
BOUNCE_REASON = "not_responsible"


@dataclass(frozen=True)
class MetricWeights:
    response: float = 10.0
    resolution: float = 50.0
    satisfaction: float = 40.0

    def __post_init__(self) -> None:
        parts = (self.response, self.resolution, self.satisfaction)
        if min(parts) < 0 or sum(parts) <= 0:
            raise ValueError("metric weights must be >= 0 with a positive sum")


@dataclass(frozen=True)
class Rates:
    response: float | None
    resolution: float | None
    satisfaction: float | None
    composite: float | None  # score 0-100
    service_standard: float | None
    rectification: float | None = None


# -- pure formulas --------------------------------------------------------------------------------
def ratio(numerator: float, denominator: float) -> float | None:
    return None if denominator == 0 else numerator / denominator


def satisfaction_rate(satisfied: int, basic: int, rated: int, basic_weight: float = 0.9) -> float | None:
    """(满意 + basic_weight × 基本满意) / rated."""
    return ratio(satisfied + basic_weight * basic, rated)


def composite_score(
    response: float | None,
    resolution: float | None,
    satisfaction: float | None,
    weights: MetricWeights | None = None,
) -> float | None:
    """Weighted mean of the three rates as 0-100 points; None when a rate is missing."""
    w = weights or MetricWeights()
    if response is None or resolution is None or satisfaction is None:
        return None
    total = w.response + w.resolution + w.satisfaction
    return 100 * (w.response * response + w.resolution * resolution + w.satisfaction * satisfaction) / total


def rates_of(
    c: Counts,
    weights: MetricWeights | None = None,
    scale: RatingScale | None = None,
    rectification: float | None = None,
) -> Rates:
    s = scale or RatingScale()
    resp, res = ratio(c.responded_on_time, c.response_counted), ratio(c.resolved, c.resolution_counted)
    sat = satisfaction_rate(c.satisfied, c.basic, c.rated, s.basic_weight)
    return Rates(
        resp,
        res,
        sat,
        composite_score(resp, res, sat, weights),
        ratio(c.standard_met, c.standard_total),
        rectification,
    )


def bounces(reroutes: Sequence[q.Reroute], idx: OrgIndex) -> tuple[dict[int, int], dict[int, int]]:
    """Tickets bounced as "not responsible": (per compound, per company that bounced them);
    each ticket counts once per company."""
    seen: set[tuple[int, int]] = set()
    by_compound: dict[int, int] = {}
    by_company: dict[int, int] = {}
    for r in reroutes:
        if r.reason not in (None, BOUNCE_REASON):
            continue
        node = idx.by_code.get(r.from_code) if r.from_code else None
        company = node.id if node is not None else idx.company_of(r.compound_id)
        if company is None or (r.ticket_id, company) in seen:
            continue
        seen.add((r.ticket_id, company))
        by_compound[r.compound_id] = by_compound.get(r.compound_id, 0) + 1
        by_company[company] = by_company.get(company, 0) + 1
    return by_compound, by_company


# -- counting -------------------------------------------------------------------------------------
async def compound_counts(
    uow: UnitOfWork,
    start: datetime,
    end: datetime,
    compound_ids: Sequence[int] | None = None,
    scale: RatingScale | None = None,
    idx: OrgIndex | None = None,
) -> tuple[dict[int, Counts], dict[int, int]]:
    """Counts per compound of the tickets received in [start, end) as they stand now, and the
    bounced tickets per company."""
    s = scale or RatingScale()
    now = uow.clock.now()
    counts = await q.compound_counts(
        uow.session,
        start,
        end,
        now,
        compound_ids=compound_ids,
        satisfied_min=s.satisfied_min,
        basic_min=s.basic_min,
    )
    by_compound, by_company = bounces(
        await q.reroutes(uow.session, start, end, compound_ids=compound_ids), idx or await OrgIndex.load(uow)
    )
    for cid, n in by_compound.items():
        counts[cid] = replace(counts.get(cid, Counts()), bounced=n)
    return counts, by_company


@dataclass(frozen=True)
class GroupMetrics:
    org_id: int
    code: str
    name: str
    kind: str
    compounds: int
    counts: Counts
    rates: Rates


def _group_total(
    counts: dict[int, Counts], cids: Sequence[int], kind: str, org_id: int, by_company: dict[int, int]
) -> Counts:
    total = sum((counts.get(cid, Counts()) for cid in cids), Counts())
    return replace(total, bounced=by_company.get(org_id, 0)) if kind == OrgKind.company else total


async def metrics_by_level(
    uow: UnitOfWork,
    period: Period,
    level: str,
    *,
    within: int | None = None,
    weights: MetricWeights | None = None,
    scale: RatingScale | None = None,
    tz: str = DEFAULT_TZ,
) -> list[GroupMetrics]:
    """One row per org node of ``level`` (compound, company, community, street, district),
    optionally only for the compounds under the node ``within``; ordered by code. Groups with
    no tickets are listed too (their rates are None)."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}")
    idx = await OrgIndex.load(uow)
    compounds = idx.compounds_under(within) if within is not None else idx.compounds()
    start, end = period.bounds(tz)
    ids = [c.id for c in compounds if c.id is not None]
    counts, by_company = await compound_counts(
        uow, start, end, ids if within is not None else None, scale, idx
    )
    members: dict[int, list[int]] = {}
    for c in compounds:
        group = idx.group_of(c, level)
        if group is not None and group.id is not None and c.id is not None:
            members.setdefault(group.id, []).append(c.id)
    out = []
    for gid, cids in members.items():
        node = idx.by_id[gid]
        total = _group_total(counts, cids, str(node.kind), gid, by_company)
        rect = await items_on_time_share(uow, [gid], start, end)
        out.append(
            GroupMetrics(
                gid,
                node.code,
                node.name,
                str(node.kind),
                len(cids),
                total,
                rates_of(total, weights, scale, rect),
            )
        )
    return sorted(out, key=lambda g: g.code)


async def scope_metrics(
    uow: UnitOfWork,
    org_id: int,
    period: Period,
    *,
    weights: MetricWeights | None = None,
    scale: RatingScale | None = None,
    tz: str = DEFAULT_TZ,
) -> GroupMetrics | None:
    """The rates of everything under one org node (a compound, company, community, street or
    district); None when the node does not exist."""
    idx = await OrgIndex.load(uow)
    node = idx.by_id.get(org_id)
    if node is None:
        return None
    cids = [c.id for c in idx.compounds_under(org_id) if c.id is not None]
    start, end = period.bounds(tz)
    counts, by_company = await compound_counts(uow, start, end, cids, scale, idx) if cids else ({}, {})
    total = _group_total(counts, cids, str(node.kind), org_id, by_company)
    rect = await items_on_time_share(uow, [org_id], start, end) if cids else None
    return GroupMetrics(
        org_id, node.code, node.name, str(node.kind), len(cids), total, rates_of(total, weights, scale, rect)
    )


# -- digest counts --------------------------------------------------------------------------------
@dataclass(frozen=True)
class CommunityCounts:
    open: int  # not yet resolved (new, acknowledged, in progress, waiting for the resident)
    overdue: int  # open and past the resolution due time, or unanswered past the first-response due
    new: int  # received in [since, now]


async def community_counts(
    uow: UnitOfWork, community_id: int, now: datetime, since: datetime | None = None
) -> CommunityCounts:
    """Open / overdue / new tickets of the compounds of one community (for the daily digest).
    "Unanswered" is in the ticket's current queue: a re-routed ticket waits for the community's
    answer. The cost follows the open and recent tickets, not the history."""
    ids = [c.id for c in await uow.org.children(community_id, OrgKind.compound) if c.id is not None]
    if not ids:
        return CommunityCounts(0, 0, 0)
    n_open, n_overdue = await q.open_and_overdue(uow.session, ids, now)
    lo = since if since is not None else now - timedelta(days=1)
    return CommunityCounts(n_open, n_overdue, await q.received(uow.session, ids, lo, now))
