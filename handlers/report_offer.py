"""Text or a photo sent outside /report: offered as the start of a report (one tap).

What was sent is kept in the conversation state (step ``report.offer``), so nothing is lost;
more text or photos sent before the tap are added to it. The tap starts /report with the
description and photos filled in: the resident picks the compound (if several) and the
category, and goes on from the photos step.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from handlers.buttons import ButtonData
from handlers.context import Ctx
from handlers.menus import kinds_of
from handlers.report import STEP_COMPOUND, ReportButton, ReportOp, _ask_category
from handlers.router import IDLE, Router
from handlers.types import Button, Reply, msg
from services import accounts
from services.errors import DomainError

router = Router()
STEP_OFFER = "report.offer"


class OfferOp(StrEnum):
    start = "go"
    dismiss = "no"


@dataclass(frozen=True)
class OfferButton(ButtonData, prefix="ro"):
    op: OfferOp


@router.step(IDLE)
@router.step(STEP_OFFER)
async def offer(ctx: Ctx) -> None:
    text = (ctx.inc.text or "").strip()
    if not text and not ctx.inc.photos:
        ctx.reply(Reply(msg("help-short")))
        return
    if not await accounts.compounds_of(ctx.uow, ctx.account):  # nothing to report with
        worker = "resident" not in await kinds_of(ctx)
        ctx.reply(Reply(msg("help-short-worker" if worker else "help-short")))
        return
    kept = ctx.data if ctx.step == STEP_OFFER else {}
    description = "\n".join(x for x in (str(kept.get("description", "")), text) if x)
    photos = (list(kept.get("photos", [])) + list(ctx.inc.photos))[: ctx.config.max_photos]
    if len(description) > ctx.config.max_description:
        raise DomainError("description_too_long", max=ctx.config.max_description, length=len(description))
    await ctx.set_state(STEP_OFFER, {"description": description, "photos": photos})
    ctx.reply(
        Reply(
            msg("report-offer", description=description or msg("report-offer-no-text"), n=len(photos)),
            buttons=[
                [Button(msg("btn-report-this"), OfferButton(OfferOp.start))],
                [Button(msg("btn-not-now"), OfferButton(OfferOp.dismiss))],
            ],
        )
    )


@router.callback(OfferButton)
async def offer_button(ctx: Ctx) -> None:
    op = OfferButton.unpack(ctx.inc.callback_data).op
    if ctx.step != STEP_OFFER:
        raise DomainError("stale_button")
    if op == OfferOp.dismiss:
        await ctx.clear_state()
        ctx.reply(Reply(msg("report-offer-dismissed"), edit=True))
        return
    kept = {k: ctx.data[k] for k in ("description", "photos") if ctx.data.get(k)}
    compounds = await accounts.compounds_of(ctx.uow, ctx.account)
    if not compounds:
        raise DomainError("not_a_resident")
    if len(compounds) == 1:
        await _ask_category(ctx, {"compound": compounds[0].id, **kept}, edit=True)
        return
    await ctx.set_state(STEP_COMPOUND, kept)
    ctx.reply(
        Reply(
            msg("report-choose-compound"),
            buttons=[
                [Button(msg("plain", text=c.name), ReportButton(ReportOp.compound, str(c.id)))]
                for c in compounds
            ],
            edit=True,
        )
    )
