"""维修资金 applications in chat.

* /newfund (committee, property manager, community): the step-by-step form in
  handlers/owners_new.py;
* /funds lists the applications of the person's compounds ("fd:view:<id>");
* "fd:do:<id>:<action>" moves an application (services/funds.TRANSITIONS);
* "fd:link:<id>:<matter id>" links the owners' matter that decides it;
* "fd:settle:<id>" → one message with the actual cost;
* /emergencyfund DISTRICT AMOUNT sets the district emergency fund's balance (its admin).
Renders "fund_step" (every step, told to owners and organisers).
"""

from __future__ import annotations

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
from services import emergency, funds, matters, owners_roles
from services.errors import DomainError, NotAllowed
from services.money import parse_yuan, yuan
from storage.models import Account, FundApplication, Notification, Ticket
from storage.uow import UnitOfWork

router = Router()
renderers = Renderers()
STEP_SETTLE = "fd.settle"
BUTTON_ACTIONS = ("submit", "approve", "start_works", "accept", "refuse")


class FundOp(StrEnum):
    view = "view"
    do = "do"  # arg: the action
    link = "link"  # arg: the matter id
    settle = "settle"


@dataclass(frozen=True)
class FundButton(ButtonData, prefix="fd"):
    op: FundOp
    id: int
    arg: str = ""


def _path(a: FundApplication) -> str:
    return "district" if a.district_fund else "emergency" if a.emergency else "ordinary"


async def fund_view(
    uow: UnitOfWork, a: FundApplication, viewer: Account, *, head: Msg | None = None
) -> Reply:
    assert a.id is not None
    node = await owners_roles.compound(uow, a.compound_id)
    roles = await funds.roles_on(uow, viewer, a.compound_id)
    lines = [head] if head else []
    lines.append(
        msg(
            "fund-view",
            id=a.id,
            works=a.works,
            compound=node.name,
            amount=yuan(a.amount_fen),
            path=msg(f"fund-path-{_path(a)}"),
            state=msg(f"fund-state-{a.state.value}"),
            quotes=len(a.quotes),
        )
    )
    if a.matter_id:
        m = await matters.get(uow, a.matter_id)
        lines.append(msg("fund-matter", title=m.title, state=msg(f"matter-state-{m.state.value}")))
    if a.actual_fen is not None:
        lines.append(msg("fund-actual", actual=yuan(a.actual_fen)))
    if a.district_fund:
        fund = await emergency.fund_of(uow, a.compound_id)
        lines.append(msg("fund-balance", balance=yuan(fund.balance_fen if fund else 0)))
    allowed = funds.SPEC.allowed_actions(a.state.value, roles)
    buttons = [
        [Button(msg(f"btn-fund-{action}"), FundButton(FundOp.do, a.id, action))]
        for action in BUTTON_ACTIONS
        if action in allowed
    ]
    if "link" in allowed:
        for m in await uow.owners.matters([a.compound_id]):
            if m.state in ("published", "recorded") and m.id != a.matter_id:
                buttons.append(
                    [
                        Button(
                            msg("btn-fund-link", title=m.title[:24]), FundButton(FundOp.link, a.id, str(m.id))
                        )
                    ]
                )
    if "settle" in allowed:
        buttons.append([Button(msg("btn-fund-settle"), FundButton(FundOp.settle, a.id))])
    return Reply(join(lines), buttons=buttons)


@router.command("funds")
async def list_funds(ctx: Ctx) -> None:
    compounds = await owners_roles.compounds_of(ctx.uow, ctx.account)
    apps = await ctx.uow.owners.applications(compounds)
    if not apps:
        ctx.reply(Reply(msg("fund-none")))
        return
    buttons = [
        [
            Button(
                msg("fund-list-line", works=a.works[:24], state=msg(f"fund-state-{a.state.value}")),
                FundButton(FundOp.view, a.id or 0),
            )
        ]
        for a in list(apps)[-20:]
    ]
    ctx.reply(Reply(msg("fund-list-head", count=len(apps)), buttons=buttons))


@router.command("emergencyfund")
async def set_balance(ctx: Ctx) -> None:
    with worded("fund_stale", "fund_not_allowed"):
        await _set_balance(ctx)


async def _set_balance(ctx: Ctx) -> None:
    args = (ctx.inc.command[1] if ctx.inc.command else "").split()
    if len(args) != 2:
        raise DomainError("fund_balance_form")
    fund = await emergency.set_balance(ctx.uow, ctx.account, args[0], parse_yuan(args[1]))
    ctx.reply(Reply(msg("fund-balance-set", district=args[0], balance=yuan(fund.balance_fen))))


@router.callback(FundButton)
async def fund_button(ctx: Ctx) -> None:
    with worded("fund_stale", "fund_not_allowed"):
        await _fund_button(ctx)


async def _fund_button(ctx: Ctx) -> None:
    b = FundButton.unpack(ctx.inc.callback_data)
    if b.op == FundOp.do:
        if b.arg not in BUTTON_ACTIONS:
            raise DomainError("unknown_button")
        await funds.act(ctx.uow, b.id, ctx.account, b.arg)
    elif b.op == FundOp.link:
        if not b.arg.isdigit():  # a forged matter id
            raise DomainError("unknown_button")
        await funds.act(ctx.uow, b.id, ctx.account, "link", matter_id=int(b.arg))
    elif b.op == FundOp.settle:
        a = await funds.get(ctx.uow, b.id)
        if "settle" not in funds.SPEC.allowed_actions(
            a.state.value, await funds.roles_on(ctx.uow, ctx.account, a.compound_id)
        ):
            raise NotAllowed()
        await ctx.set_state(STEP_SETTLE, {"id": b.id})
        ctx.reply(Reply(msg("fund-settle-ask")))
        return
    reply = await fund_view(ctx.uow, await funds.get(ctx.uow, b.id), ctx.account)
    reply.edit = b.op != FundOp.view
    ctx.reply(reply)


@router.step(STEP_SETTLE)
async def settle_text(ctx: Ctx) -> None:
    app_id = int(ctx.data["id"])
    with worded("fund_stale", "fund_not_allowed"):
        a = await funds.act(ctx.uow, app_id, ctx.account, "settle", actual_fen=parse_yuan(ctx.inc.text or ""))
    await ctx.clear_state()
    ctx.reply(await fund_view(ctx.uow, a, ctx.account, head=msg("fund-settled")))


@renderers.on("fund_step")
async def _fund_step(uow: UnitOfWork, n: Notification, ticket: Ticket | None, tz: str) -> list[Reply]:
    reader = await uow.accounts.get(n.account_id or 0)
    a = await uow.aggregates.get(FundApplication, int((n.payload or {}).get("id", 0)))
    if reader is None or a is None:
        return []
    return [await fund_view(uow, a, reader, head=msg("fund-step-head"))]
