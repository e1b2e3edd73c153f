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
from handlers.campaign import campaign_view
from handlers.context import Ctx
from handlers.funds import fund_view
from handlers.router import Router
from handlers.types import Reply, msg
from handlers.vote import matter_view
from locales import Msg
from services import campaigns, emergency, funds, matters, orgtime, owners_roles
from services import tally as tl
from services.errors import DomainError
from services.money import yuan

router = Router()


async def _today(ctx: Ctx, data: dict[str, Any]) -> tuple[date, str]:
    tz = await orgtime.org_zone(ctx.uow, int(data["compound"]))
    return ctx.uow.clock.now().astimezone(ZoneInfo(tz)).date(), tz


async def _compound_name(ctx: Ctx, data: dict[str, Any]) -> str:
    return (await owners_roles.compound(ctx.uow, int(data["compound"]))).name


def _edit(ctx: Ctx, reply: Reply) -> Reply:
    reply.edit = ctx.inc.callback_data is not None  # the review screen becomes the result
    return reply


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
        compound=await _compound_name(ctx, d),
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
    ctx.reply(_edit(ctx, await matter_view(ctx.uow, m, ctx.account, head=msg("matter-opened"))))


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

# -- 维修资金 (maintenance-fund application) --------------------------------------------

YES_NO = {"是": "yes", "否": "no", "y": "yes", "n": "no"}
SOURCE_WORDS = {"本小区": "own", "区应急": "district", "区": "district"}
PATHS = {
    "ordinary": {"emergency": "no"},
    "普通": {"emergency": "no"},
    "emergency": {"emergency": "yes", "source": "own"},
    "应急": {"emergency": "yes", "source": "own"},
    "district": {"emergency": "yes", "source": "district"},
    "区应急": {"emergency": "yes", "source": "district"},
}


def _district(d: dict[str, Any]) -> bool:
    return d.get("emergency") == "yes" and d.get("source") == "district"


async def _fund_check(ctx: Ctx, d: dict[str, Any]) -> None:
    if "compound" in d and "amount" in d and _district(d):
        fund = await emergency.fund_of(ctx.uow, int(d["compound"]))
        balance = fund.balance_fen if fund else 0
        if int(d["amount"]) > balance:
            raise DomainError("fund_over_balance", amount=yuan(int(d["amount"])), balance=yuan(balance))


async def _fund_review(ctx: Ctx, d: dict[str, Any]) -> Msg:
    path = "district" if _district(d) else "emergency" if d.get("emergency") == "yes" else "ordinary"
    return msg(
        "fund-review",
        compound=await _compound_name(ctx, d),
        works=d["works"],
        amount=yuan(int(d["amount"])),
        path=msg(f"fund-path-{path}"),
        quotes=len(d.get("quotes") or []),
    )


async def _fund_submit(ctx: Ctx, d: dict[str, Any]) -> None:
    a = await funds.draft(
        ctx.uow,
        ctx.account,
        int(d["compound"]),
        works=str(d["works"]),
        amount_fen=int(d["amount"]),
        emergency=d.get("emergency") == "yes",
        district_fund=_district(d),
        quotes=[str(q) for q in d.get("quotes") or []],
    )
    ctx.reply(_edit(ctx, await fund_view(ctx.uow, a, ctx.account, head=msg("fund-drafted"))))


def _fund_line(p: list[str]) -> dict[str, str] | None:
    if len(p) != 4 or p[3].lower() not in PATHS:
        return None
    return {"compound": p[0], "works": p[1], "amount": p[2], **PATHS[p[3].lower()]}


FUND = of.Form(
    name="fund",
    fields=(
        of.Field("compound", "compound"),
        of.Field("works", "text", max_len=300),
        of.Field("amount", "yuan"),
        of.Field("emergency", "choice", choices=("yes", "no"), words=YES_NO),
        of.Field(
            "source",
            "choice",
            choices=("own", "district"),
            words=SOURCE_WORDS,
            when=lambda d: d.get("emergency") == "yes",
        ),
        of.Field("quotes", "photos"),
    ),
    openers=funds.APPLICANTS,
    roles_on=funds.roles_on,
    review=_fund_review,
    submit=_fund_submit,
    check=_fund_check,
    from_line=_fund_line,
    bad_form="fund_bad_form",
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
        compound=await _compound_name(ctx, d),
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
    ctx.reply(_edit(ctx, await campaign_view(ctx.uow, c, ctx.account, head=msg("campaign-opened"))))


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
of.register(router, FORMS)


@router.command("newmatter")
async def new_matter(ctx: Ctx) -> None:
    await of.start(ctx, MATTER)


@router.command("newfund")
async def new_fund(ctx: Ctx) -> None:
    await of.start(ctx, FUND)


@router.command("newcampaign")
async def new_campaign(ctx: Ctx) -> None:
    await of.start(ctx, CAMPAIGN)
