"""/stats: 接诉即办 rates of the caller's scope (staff/manager → company, community worker →
community, street officer → street, admin → the node of the grant), this quarter and the one
before, with buttons to move between quarters ("st:<org id>:<period>"). Also renders the
quarterly ranking notification (kind "ranking", services/ranking.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handlers.buttons import ButtonData
from handlers.context import Ctx
from handlers.plans import PlanButton, PlanOp
from handlers.rendering import Renderers
from handlers.router import Router
from handlers.types import Button, Reply, msg
from locales import Lines, Msg
from services.errors import DomainError
from services.metrics import GroupMetrics, MetricWeights, scope_metrics
from services.periods import (
    Period,
    current_quarter,
    following,
    local_date,
    parse_period,
    previous,
)
from services.ratings import RatingScale
from storage.models import Notification, OrgKind, Role, Ticket
from storage.uow import UnitOfWork

router = Router()
renderers = Renderers()
# broadest first: the scope /stats opens with
SCOPE_ROLES = (Role.admin, Role.street, Role.community, Role.manager, Role.staff)


def join(parts: list[Msg]) -> Msg:
    """Several messages one above the other, as one message (split into several messages
    by the channel when it is too long)."""
    return Lines(parts)


def pct(value: float | None) -> Msg | str:
    return msg("metrics-none") if value is None else f"{value * 100:.1f}%"


def points(value: float | None) -> Msg | str:
    return msg("metrics-none") if value is None else f"{value:.1f}"


async def scopes(ctx: Ctx) -> list[int]:
    """Org ids the person may see statistics of, broadest role first."""
    grants = [g for g in await ctx.uow.accounts.grants(ctx.account_id) if Role(g.role) in SCOPE_ROLES]
    grants.sort(key=lambda g: (SCOPE_ROLES.index(Role(g.role)), g.org_id))
    return list(dict.fromkeys(g.org_id for g in grants))


def block(m: GroupMetrics, period: Period) -> list[Msg]:
    """One period's figures: each rate with the tickets not yet due beside it (they count
    neither way yet), then the company parts."""
    c, r = m.counts, m.rates
    out = [
        msg(
            "stats-block",
            period=period.label,
            total=c.total,
            valid=c.valid,
            response=msg("stats-rate", rate=pct(r.response), pending=c.response_pending),
            resolution=msg("stats-rate", rate=pct(r.resolution), pending=c.resolution_pending),
            satisfaction=pct(r.satisfaction),
            score=points(r.composite),
        )
    ]
    if m.kind == OrgKind.company:
        out.append(msg("stats-standard", rate=pct(r.service_standard)))
    if m.kind == OrgKind.company or c.bounced:
        out.append(msg("stats-bounced", count=c.bounced))
    if r.rectification is not None:
        out.append(msg("stats-rectification", rate=pct(r.rectification)))
    return out


async def _show(ctx: Ctx, org_id: int, period: Period, *, edit: bool) -> None:
    weights, tz = MetricWeights(), ctx.config.timezone
    today = local_date(ctx.uow.clock.now(), tz)
    parts: list[Msg] = []
    for p in (period, previous(period)):
        m = await scope_metrics(ctx.uow, org_id, p, weights=weights, tz=tz)
        if m is None:
            raise DomainError("stats_not_allowed")
        if not parts:
            parts.append(msg("stats-head", scope=m.name))
        parts += block(m, p)
        if p.contains(today):
            parts.append(msg("period-running"))
    parts.append(
        msg(
            "stats-foot",
            basic_weight=f"{RatingScale().basic_weight:g}",
            w_response=f"{weights.response:g}",
            w_resolution=f"{weights.resolution:g}",
            w_satisfaction=f"{weights.satisfaction:g}",
        )
    )
    earlier, later = previous(period), following(period)
    nav = [Button(msg("btn-stats-earlier", period=earlier.label), StatsButton(org_id, earlier.label))]
    if later.start <= today:
        nav.append(Button(msg("btn-stats-later", period=later.label), StatsButton(org_id, later.label)))
    ctx.reply(Reply(join(parts), buttons=[nav], edit=edit))


@router.command("stats")
async def stats(ctx: Ctx) -> None:
    allowed = await scopes(ctx)
    if not allowed:
        raise DomainError("stats_not_allowed")
    await _show(ctx, allowed[0], current_quarter(ctx.uow.clock.now(), ctx.config.timezone), edit=False)


@dataclass(frozen=True)
class StatsButton(ButtonData, prefix="st"):
    org: int
    period: str


@router.callback(StatsButton)
async def stats_period(ctx: Ctx) -> None:
    b = StatsButton.unpack(ctx.inc.callback_data)
    if len(b.period) > 24:
        raise DomainError("unknown_button")
    if b.org not in await scopes(ctx):
        raise DomainError("stats_not_allowed")
    await _show(ctx, b.org, parse_period(b.period), edit=True)


@renderers.on("ranking")
async def _ranking(uow: UnitOfWork, n: Notification, t: Ticket | None, tz: str) -> list[Reply]:
    p: dict[str, Any] = dict(n.payload or {})
    common = {
        "district": p.get("district", ""),
        "quarter": p.get("quarter", ""),
        "min": p.get("min_count", 0),
    }
    rows = list(p.get("rows", []))
    if not rows:
        return [Reply(msg("ranking-empty", **common))]
    lines = [msg("ranking-head", top=p.get("top", 0), **common)]
    lines += [
        msg("ranking-line", rank=r["rank"], name=r["name"], code=r["code"], count=r["count"]) for r in rows
    ]
    lines.append(msg("ranking-foot"))
    buttons = [
        [
            Button(
                msg("btn-ranking-plan", name=r["name"]),
                PlanButton(PlanOp.open, int(r["compound_id"]), str(p.get("quarter", ""))),
            )
        ]
        for r in rows
    ]
    return [Reply(join(lines), buttons=buttons)]
