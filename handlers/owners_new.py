"""/newmatter, /newfund, /newcampaign: the three step-by-step forms (handlers/owners_form.py).

    matter    compound → kind (buttons) → title → description → first voting day → last
              voting day → notice start (skip: the default) → review
    fund      compound → works → amount (yuan) → emergency? (buttons) → which fund (buttons,
              emergency only) → quote photos (done) → review
    campaign  compound → purpose → target (yuan) → quantity (skip) → end date → review

The compound step is skipped for someone who opens them on one compound only.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo

from handlers import owners_form as of
from handlers import owners_form_steps
from handlers.campaign import campaign_view
from handlers.context import Ctx
from handlers.fund_form import FUND
from handlers.router import Router
from handlers.types import msg
from handlers.vote import matter_view
from locales import Msg
from services import campaigns, matters, orgtime, owners_roles
from services import tally as tl
from services.errors import DomainError
from services.money import yuan

router = Router()


async def _today(ctx: Ctx, data: dict[str, Any]) -> tuple[date, str]:
    tz = await orgtime.org_zone(ctx.uow, int(data["compound"]))
    return ctx.uow.clock.now().astimezone(ZoneInfo(tz)).date(), tz


# -- 共议 (owners' matter) --------------------------------------------------------------

KIND_WORDS = {"一般": "ordinary", "特别": "special"}


async def _matter_check(ctx: Ctx, d: dict[str, Any]) -> None:
    if "compound" not in d:
        return
    today, _ = await _today(ctx, d)
    first, last, notice = (
        date.fromisoformat(d[k]) if d.get(k) else None for k in ("first", "last", "notice")
    )
    if (
        (last is not None and last < today)
        or (first is not None and last is not None and last < first)
        or (notice is not None and first is not None and notice > first)
    ):
        raise DomainError("matter_bad_window")


async def _matter_review(ctx: Ctx, d: dict[str, Any]) -> Msg:
    notice: Msg = (
        msg("plain", text=d["notice"])
        if d.get("notice")
        else msg("matter-notice-default", days=ctx.config.matter_notice_days)
    )
    return msg(
        "matter-review",
        compound=await of.compound_name(ctx, d),
        kind=msg(f"matter-kind-{d['kind']}"),
        title=d["title"],
        description=d["description"],
        first=d["first"],
        last=d["last"],
        notice=notice,
    )


async def _matter_submit(ctx: Ctx, d: dict[str, Any]) -> None:
    _, tz = await _today(ctx, d)
    m = await matters.open_matter(
        ctx.uow,
        ctx.account,
        int(d["compound"]),
        title=str(d["title"]),
        description=str(d["description"]),
        kind=tl.Kind(d["kind"]),
        vote_from=orgtime.at_local(date.fromisoformat(d["first"]), time(0), tz),
        vote_until=orgtime.end_of_day(date.fromisoformat(d["last"]), tz),
        notice_at=orgtime.at_local(date.fromisoformat(d["notice"]), time(0), tz) if d.get("notice") else None,
    )
    ctx.reply(of.edited(ctx, await matter_view(ctx.uow, m, ctx.account, head=msg("matter-opened"))))


def _matter_line(p: list[str]) -> dict[str, str] | None:
    if len(p) not in (6, 7):
        return None
    return dict(zip(("compound", "kind", "title", "description", "first", "last", "notice"), p, strict=False))


MATTER = of.Form(
    name="matter",
    fields=(
        of.Field("compound", "compound"),
        of.Field("kind", "choice", choices=("ordinary", "special"), words=KIND_WORDS),
        of.Field("title", "text", max_len=200),
        of.Field("description", "text", max_len=2000),
        of.Field("first", "day"),
        of.Field("last", "day"),
        of.Field("notice", "day", optional=True),
    ),
    openers=matters.ORGANISERS,
    roles_on=owners_roles.roles_on,
    review=_matter_review,
    submit=_matter_submit,
    check=_matter_check,
    from_line=_matter_line,
    bad_form="matter_bad_form",
)

# -- 六个一点 (cost-sharing campaign) ---------------------------------------------------


async def _campaign_check(ctx: Ctx, d: dict[str, Any]) -> None:
    if "compound" in d and d.get("end"):
        today, _ = await _today(ctx, d)
        if date.fromisoformat(d["end"]) < today:
            raise DomainError("campaign_bad_end", today=today.isoformat())


async def _campaign_review(ctx: Ctx, d: dict[str, Any]) -> Msg:
    return msg(
        "campaign-review",
        compound=await of.compound_name(ctx, d),
        purpose=d["purpose"],
        target=yuan(int(d["target"])),
        quantity=d.get("quantity") or "—",
        end=d["end"],
    )


async def _campaign_submit(ctx: Ctx, d: dict[str, Any]) -> None:
    c = await campaigns.open_campaign(
        ctx.uow,
        ctx.account,
        int(d["compound"]),
        purpose=str(d["purpose"]),
        target_fen=int(d["target"]),
        quantity=str(d.get("quantity") or ""),
        end_date=date.fromisoformat(d["end"]),
    )
    ctx.reply(of.edited(ctx, await campaign_view(ctx.uow, c, ctx.account, head=msg("campaign-opened"))))


def _campaign_line(p: list[str]) -> dict[str, str] | None:
    if len(p) != 5:
        return None
    return dict(zip(("compound", "purpose", "target", "quantity", "end"), p, strict=True))


CAMPAIGN = of.Form(
    name="campaign",
    fields=(
        of.Field("compound", "compound"),
        of.Field("purpose", "text", max_len=300),
        of.Field("target", "yuan"),
        of.Field("quantity", "text", optional=True, max_len=40),
        of.Field("end", "day"),
    ),
    openers=campaigns.ORGANISERS,
    roles_on=owners_roles.roles_on,
    review=_campaign_review,
    submit=_campaign_submit,
    check=_campaign_check,
    from_line=_campaign_line,
    bad_form="campaign_bad_form",
)

FORMS = {f.name: f for f in (MATTER, FUND, CAMPAIGN)}
owners_form_steps.register(router, FORMS)


@router.command("newmatter")
async def new_matter(ctx: Ctx) -> None:
    await of.start(ctx, MATTER)


@router.command("newfund")
async def new_fund(ctx: Ctx) -> None:
    await of.start(ctx, FUND)


@router.command("newcampaign")
async def new_campaign(ctx: Ctx) -> None:
    await of.start(ctx, CAMPAIGN)
