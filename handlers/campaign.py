"""六个一点 campaigns in chat.

* /newcampaign (committee, community): the step-by-step form in handlers/owners_new.py;
* /campaigns lists the campaigns of the person's compounds ("cp:view:<id>");
* "cp:pledge:<id>" → a resident's pledge (业主捐): "amount" or "amount; 公开" (may be named);
* "cp:rec:<id>" → an organiser's entry: "认捐|到账; source; amount; giver[; 公开]";
* "cp:post|works:<id>" posts the ledger / starts the works; "cp:close:<id>" → the final cost.
Renders "campaign_ledger" (posted to the compound's residents) and "campaign_pledge".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from handlers.buttons import ButtonData
from handlers.context import Ctx
from handlers.digest import join
from handlers.refusals import worded
from handlers.rendering import Renderers
from handlers.router import Router
from handlers.types import Button, Reply, msg
from locales import Msg
from services import campaigns, owners_roles
from services.campaign_ledger import ledger
from services.errors import DomainError, NotAllowed
from services.money import parse_yuan, yuan
from storage.models import Account, Campaign, Notification, Ticket
from storage.uow import UnitOfWork

router = Router()
renderers = Renderers()
STEP_PLEDGE, STEP_RECORD, STEP_CLOSE = "cp.pledge", "cp.rec", "cp.close"
_SPLIT = re.compile(r"\s*[;；]\s*")
PUBLIC_WORDS = {"公开", "public", "named"}
ENTRY_KINDS = {"认捐": "pledge", "pledge": "pledge", "到账": "receive", "receipt": "receive"}


class CampaignOp(StrEnum):
    view = "view"
    pledge = "pledge"
    rec = "rec"
    post = "post"
    works = "works"
    close = "close"


@dataclass(frozen=True)
class CampaignButton(ButtonData, prefix="cp"):
    op: CampaignOp
    id: int


async def campaign_view(uow: UnitOfWork, c: Campaign, viewer: Account, *, head: Msg | None = None) -> Reply:
    assert c.id is not None
    node = await owners_roles.compound(uow, c.compound_id)
    led = ledger(c, list(await uow.owners.entries(c.id)))
    lines = [head] if head else []
    lines.append(
        msg(
            "campaign-view",
            purpose=c.purpose,
            compound=node.name,
            quantity=c.quantity or "—",
            end=c.end_date.isoformat(),
            state=msg(f"campaign-state-{c.state.value}"),
        )
    )
    lines.append(
        msg(
            "campaign-progress",
            bar=led.bar,
            percent=led.percent,
            received=yuan(led.received_fen),
            pledged=yuan(led.pledged_fen),
            target=yuan(led.target_fen),
        )
    )
    for line in led.lines:
        lines.append(
            msg(
                "campaign-source-line",
                source=msg(f"campaign-source-{line.source.value}"),
                pledged=yuan(line.pledged_fen),
                received=yuan(line.received_fen),
            )
        )
    if led.names:
        lines.append(msg("campaign-names", names="、".join(f"{n} ¥{yuan(a)}" for n, a in led.names)))
    if led.final_cost_fen is not None and led.balance_fen is not None:
        key = "campaign-surplus" if led.balance_fen >= 0 else "campaign-shortfall"
        lines.append(msg(key, cost=yuan(led.final_cost_fen), amount=yuan(abs(led.balance_fen))))
    roles = await campaigns.roles_on(uow, viewer, c.compound_id)
    allowed = campaigns.SPEC.allowed_actions(c.state.value, roles)
    buttons: list[list[Button]] = []
    if "pledge" in allowed:
        buttons.append([Button(msg("btn-campaign-pledge"), CampaignButton(CampaignOp.pledge, c.id))])
    if "receive" in allowed:
        buttons.append([Button(msg("btn-campaign-rec"), CampaignButton(CampaignOp.rec, c.id))])
    for op, action in (
        (CampaignOp.post, "post_ledger"),
        (CampaignOp.works, "start_works"),
        (CampaignOp.close, "close"),
    ):
        if action in allowed:
            buttons.append([Button(msg(f"btn-campaign-{op.value}"), CampaignButton(op, c.id))])
    return Reply(join(lines), buttons=buttons)


def _parts(ctx: Ctx, counts: tuple[int, ...], code: str) -> list[str]:
    parts = _SPLIT.split((ctx.inc.text or "").strip())
    if len(parts) not in counts:
        raise DomainError(code)
    return parts


@router.command("campaigns")
async def list_campaigns(ctx: Ctx) -> None:
    found = await ctx.uow.owners.campaigns(await owners_roles.compounds_of(ctx.uow, ctx.account))
    if not found:
        ctx.reply(Reply(msg("campaign-none")))
        return
    buttons = [
        [
            Button(
                msg("campaign-list-line", purpose=c.purpose[:30]), CampaignButton(CampaignOp.view, c.id or 0)
            )
        ]
        for c in found[:20]
    ]
    ctx.reply(Reply(msg("campaign-list-head", count=len(found)), buttons=buttons))


ASK = {
    CampaignOp.pledge: (STEP_PLEDGE, "campaign-pledge-ask"),
    CampaignOp.rec: (STEP_RECORD, "campaign-rec-ask"),
}
ASK |= {CampaignOp.close: (STEP_CLOSE, "campaign-close-ask")}
NEEDS = {CampaignOp.pledge: "pledge", CampaignOp.rec: "receive", CampaignOp.close: "close"}


@router.callback(CampaignButton)
async def campaign_button(ctx: Ctx) -> None:
    with worded("campaign_stale", "campaign_not_allowed"):
        await _campaign_button(ctx)


async def _campaign_button(ctx: Ctx) -> None:
    b = CampaignButton.unpack(ctx.inc.callback_data)
    c = await campaigns.get(ctx.uow, b.id)
    if b.op in ASK:
        roles = await campaigns.roles_on(ctx.uow, ctx.account, c.compound_id)
        if NEEDS[b.op] not in campaigns.SPEC.allowed_actions(c.state.value, roles):
            raise NotAllowed()
        step, key = ASK[b.op]
        await ctx.set_state(step, {"id": b.id})
        ctx.reply(Reply(msg(key)))
        return
    if b.op == CampaignOp.post:
        c = await campaigns.act(ctx.uow, b.id, ctx.account, "post_ledger")
    elif b.op == CampaignOp.works:
        c = await campaigns.act(ctx.uow, b.id, ctx.account, "start_works")
    reply = await campaign_view(ctx.uow, c, ctx.account)
    reply.edit = b.op != CampaignOp.view
    ctx.reply(reply)


@router.step(STEP_PLEDGE)
async def pledge_text(ctx: Ctx) -> None:
    with worded("campaign_stale", "campaign_not_allowed"):
        await _pledge_text(ctx)


async def _pledge_text(ctx: Ctx) -> None:
    parts = _parts(ctx, (1, 2), "pledge_bad_amount")
    public = len(parts) == 2 and parts[1].lower() in PUBLIC_WORDS
    amount = parse_yuan(parts[0], code="pledge_bad_amount")
    c = await campaigns.act(
        ctx.uow, int(ctx.data["id"]), ctx.account, "pledge", source="owners", amount_fen=amount, public=public
    )
    await ctx.clear_state()
    ctx.reply(await campaign_view(ctx.uow, c, ctx.account, head=msg("campaign-pledged", amount=yuan(amount))))


@router.step(STEP_RECORD)
async def record_text(ctx: Ctx) -> None:
    with worded("campaign_stale", "campaign_not_allowed"):
        await _record_text(ctx)


async def _record_text(ctx: Ctx) -> None:
    parts = _parts(ctx, (4, 5), "campaign_bad_entry")
    action = ENTRY_KINDS.get(parts[0].lower())
    if action is None:
        raise DomainError("campaign_bad_entry")
    source = campaigns.parse_source(parts[1])
    amount = parse_yuan(parts[2], code="pledge_bad_amount")
    public = len(parts) == 5 and parts[4].lower() in PUBLIC_WORDS
    c = await campaigns.act(
        ctx.uow,
        int(ctx.data["id"]),
        ctx.account,
        action,
        source=source.value,
        amount_fen=amount,
        giver=parts[3],
        public=public,
    )
    await ctx.clear_state()
    ctx.reply(await campaign_view(ctx.uow, c, ctx.account, head=msg("campaign-recorded")))


@router.step(STEP_CLOSE)
async def close_text(ctx: Ctx) -> None:
    with worded("campaign_stale", "campaign_not_allowed"):
        await _close_text(ctx)


async def _close_text(ctx: Ctx) -> None:
    cost = parse_yuan(ctx.inc.text or "")
    c = await campaigns.act(ctx.uow, int(ctx.data["id"]), ctx.account, "close", final_cost_fen=cost)
    await ctx.clear_state()
    ctx.reply(await campaign_view(ctx.uow, c, ctx.account, head=msg("campaign-closed")))


@renderers.on("campaign_ledger", "campaign_pledge")
async def _ledger(uow: UnitOfWork, n: Notification, ticket: Ticket | None, tz: str) -> list[Reply]:
    reader = await uow.accounts.get(n.account_id or 0)
    c = await uow.aggregates.get(Campaign, int((n.payload or {}).get("id", 0)))
    if reader is None or c is None:
        return []
    return [await campaign_view(uow, c, reader, head=msg(n.kind.replace("_", "-") + "-head"))]
