"""接诉即办 rates and the computable 新三率 parts, per compound, company, community, street
or district, for any period (services/periods.py). Counting is done by the database (one
GROUP BY compound_id query per call); the org tree rolls the per-compound counts up.

Definitions (a ticket belongs to a period by ``created_at``, the moment it was received):

* valid: every ticket except those rejected as ``invalid`` or ``duplicate`` (a property
  company's "not ours" re-routes to the community and stays valid);
* 响应率 response = tickets first answered (acknowledged, taken, asked, resolved or rejected)
  no later than ``first_response_due`` / all tickets (including rejected ones: a rejection is
  a response); a ticket with no due time counts as on time once answered;
* 解决率 resolution = resolved or closed after resolution / valid tickets (a reopened ticket
  is not resolved until it is resolved again);
* 满意率 satisfaction = (满意 + basic_weight × 基本满意) / rated tickets, with the star
  thresholds and the 0.9 weight of services.ratings.RatingScale;
* composite = weighted mean of the three rates (MetricWeights, default 10/50/40) as a score
  of 0-100; None unless all three rates exist (no fake numbers);
* 物业服务规范到位率 service standard = valid tickets of the property queue (handled by the
  company) that were answered by ``first_response_due``, resolved by ``resolution_due`` (the
  on-site due for emergencies) and not rated 不满意 / all valid property-queue tickets;
* 物业管理突出问题专项整治到位率 rectification = services.rectification.items_on_time_share
  ([group org id], start, end) (UTC datetimes of the period) when that module exists, else None.

A zero denominator gives None (shown as "—"). Rates of a period still running are provisional:
open tickets count in the denominators and not (yet) in the numerators.
"""
from __future__ import annotations

import importlib
import inspect
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, not_, or_, select
from sqlalchemy.sql import ColumnElement

from services.org_rollup import OrgIndex
from services.periods import DEFAULT_TZ, Period
from services.ratings import RatingScale
from storage.models import OPEN_STATES, OrgKind, Queue, Ticket, TicketState
from storage.uow import UnitOfWork

LEVELS = ("compound", "company", "community", "street", "district")
INVALID_REASONS = ("invalid", "duplicate")
_T = Ticket.__table__.c  # type: ignore[attr-defined]


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
class Counts:
    total: int = 0
    valid: int = 0
    responded_on_time: int = 0
    resolved: int = 0
    rated: int = 0
    satisfied: int = 0
    basic: int = 0
    standard_total: int = 0
    standard_met: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


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


def composite_score(response: float | None, resolution: float | None, satisfaction: float | None,
                    weights: MetricWeights | None = None) -> float | None:
    """Weighted mean of the three rates as 0-100 points; None when a rate is missing."""
    w = weights or MetricWeights()
    if response is None or resolution is None or satisfaction is None:
        return None
    total = w.response + w.resolution + w.satisfaction
    return 100 * (w.response * response + w.resolution * resolution
                  + w.satisfaction * satisfaction) / total


def rates_of(c: Counts, weights: MetricWeights | None = None, scale: RatingScale | None = None,
             rectification: float | None = None) -> Rates:
    s = scale or RatingScale()
    resp, res = ratio(c.responded_on_time, c.total), ratio(c.resolved, c.valid)
    sat = satisfaction_rate(c.satisfied, c.basic, c.rated, s.basic_weight)
    return Rates(resp, res, sat, composite_score(resp, res, sat, weights),
                 ratio(c.standard_met, c.standard_total), rectification)


# -- SQL ------------------------------------------------------------------------------------------
def _n(cond: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def _count_columns(scale: RatingScale) -> list[Any]:
    responded_at = func.coalesce(_T.acknowledged_at, _T.resolved_at, _T.closed_at)
    valid = not_(and_(_T.state == TicketState.rejected.value,
                      func.coalesce(_T.reject_reason, "").in_(INVALID_REASONS)))
    answered_in_time = and_(responded_at.is_not(None), or_(_T.first_response_due.is_(None),
                                                           responded_at <= _T.first_response_due))
    resolved = and_(_T.resolved_at.is_not(None),
                    _T.state.in_((TicketState.resolved.value, TicketState.closed.value)))
    property_queue = and_(valid, _T.queue == Queue.property.value)
    standard = and_(property_queue, answered_in_time, resolved,
                    or_(_T.resolution_due.is_(None), _T.resolved_at <= _T.resolution_due),
                    or_(_T.rating.is_(None), _T.rating >= scale.basic_min))
    return [
        func.count(), _n(valid), _n(answered_in_time), _n(and_(valid, resolved)),
        _n(_T.rating.is_not(None)), _n(_T.rating >= scale.satisfied_min),
        _n(and_(_T.rating >= scale.basic_min, _T.rating < scale.satisfied_min)),
        _n(property_queue), _n(standard),
    ]


async def compound_counts(uow: UnitOfWork, start: datetime, end: datetime,
                          compound_ids: Sequence[int] | None = None,
                          scale: RatingScale | None = None) -> dict[int, Counts]:
    """Counts per compound of the tickets received in [start, end)."""
    q = (select(_T.compound_id, *_count_columns(scale or RatingScale()))
         .where(_T.created_at >= start, _T.created_at < end).group_by(_T.compound_id))
    if compound_ids is not None:
        q = q.where(_T.compound_id.in_(list(compound_ids)))
    rows = (await uow.session.execute(q)).all()
    return {int(r[0]): Counts(*(int(v) for v in r[1:])) for r in rows}


@dataclass(frozen=True)
class GroupMetrics:
    org_id: int
    code: str
    name: str
    kind: str
    compounds: int
    counts: Counts
    rates: Rates


async def rectification_share(uow: UnitOfWork, org_ids: list[int], start: datetime,
                              end: datetime) -> float | None:
    """The rectification part of 新三率 for the compounds of ``org_ids`` (compounds, or nodes
    above them, or companies), if services/rectification.py is installed."""
    try:
        mod = importlib.import_module("services.rectification")
    except ModuleNotFoundError as err:
        if err.name != "services.rectification":
            raise
        return None
    fn = getattr(mod, "items_on_time_share", None)
    if fn is None:
        return None
    value = fn(uow, org_ids, start, end)
    if inspect.isawaitable(value):
        value = await value
    return None if value is None else float(value)


async def metrics_by_level(uow: UnitOfWork, period: Period, level: str, *, within: int | None = None,
                           weights: MetricWeights | None = None, scale: RatingScale | None = None,
                           tz: str = DEFAULT_TZ) -> list[GroupMetrics]:
    """One row per org node of ``level`` (compound, company, community, street, district),
    optionally only for the compounds under the node ``within``; ordered by code. Groups with
    no tickets are listed too (their rates are None)."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}")
    idx = await OrgIndex.load(uow)
    compounds = idx.compounds_under(within) if within is not None else idx.compounds()
    start, end = period.bounds(tz)
    ids = [c.id for c in compounds if c.id is not None]
    counts = await compound_counts(uow, start, end, ids if within is not None else None, scale)
    members: dict[int, list[int]] = {}
    for c in compounds:
        group = idx.group_of(c, level)
        if group is not None and group.id is not None and c.id is not None:
            members.setdefault(group.id, []).append(c.id)
    out = []
    for gid, cids in members.items():
        node = idx.by_id[gid]
        total = sum((counts.get(cid, Counts()) for cid in cids), Counts())
        rect = await rectification_share(uow, [gid], start, end)
        out.append(GroupMetrics(gid, node.code, node.name, str(node.kind), len(cids), total,
                                rates_of(total, weights, scale, rect)))
    return sorted(out, key=lambda g: g.code)


async def scope_metrics(uow: UnitOfWork, org_id: int, period: Period, *,
                        weights: MetricWeights | None = None, scale: RatingScale | None = None,
                        tz: str = DEFAULT_TZ) -> GroupMetrics | None:
    """The rates of everything under one org node (a compound, company, community, street or
    district); None when the node does not exist."""
    idx = await OrgIndex.load(uow)
    node = idx.by_id.get(org_id)
    if node is None:
        return None
    cids = [c.id for c in idx.compounds_under(org_id) if c.id is not None]
    start, end = period.bounds(tz)
    counts = await compound_counts(uow, start, end, cids, scale) if cids else {}
    total = sum(counts.values(), Counts())
    rect = await rectification_share(uow, [org_id], start, end) if cids else None
    return GroupMetrics(org_id, node.code, node.name, str(node.kind), len(cids), total,
                        rates_of(total, weights, scale, rect))


# -- digest counts --------------------------------------------------------------------------------
@dataclass(frozen=True)
class CommunityCounts:
    open: int  # not yet resolved (new, acknowledged, in progress, waiting for the resident)
    overdue: int  # open and past the resolution due time, or unanswered past the first-response due
    new: int  # received in [since, now]


async def community_counts(uow: UnitOfWork, community_id: int, now: datetime,
                           since: datetime | None = None) -> CommunityCounts:
    """Open / overdue / new tickets of the compounds of one community (for the daily digest).
    Two indexed queries: (compound_id, state) for the open ones, (compound_id, created_at) for
    the new ones, so the cost follows the open and recent tickets, not the history."""
    ids = [c.id for c in await uow.org.children(community_id, OrgKind.compound) if c.id is not None]
    if not ids:
        return CommunityCounts(0, 0, 0)
    overdue = or_(_T.resolution_due < now,
                  and_(_T.acknowledged_at.is_(None), _T.first_response_due < now))
    q_open = select(func.count(), _n(overdue)).where(
        _T.compound_id.in_(ids), _T.state.in_([s.value for s in OPEN_STATES]))
    n_open, n_overdue = (await uow.session.execute(q_open)).one()
    lo = since if since is not None else now - timedelta(days=1)
    q_new = select(func.count()).where(_T.compound_id.in_(ids), _T.created_at >= lo,
                                       _T.created_at <= now)
    n_new = (await uow.session.execute(q_new)).scalar_one()
    return CommunityCounts(int(n_open), int(n_overdue), int(n_new))
