"""Rectification plans (一小区一方案) in chat.

* "rx:open:<compound id>:<quarter>" (the ranking message's button) opens the compound's plan
  for the quarter, creating it with the compound's top complaint categories;
* /plan lists the plans in the caller's scope ("rx:view:<plan id>");
* "rx:add:<plan id>" → a category button "rx:cat:<plan id>:<n>" → one message
  "title; owner code; YYYY-MM-DD" adds an item;
* "rx:done:<item id>" ticks an item done (its owners, the community / street, admins).
Also renders the "rx_reminder" and "rx_escalation" notifications.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from handlers.buttons import ButtonData, SkipButton, WhistleButton, WhOp
from handlers.context import Ctx
from handlers.digest import category_label, join
from handlers.rendering import Renderers
from handlers.router import Router
from handlers.types import Button, Reply, msg
from locales import Msg, t
from services import orgtime
from services import rectification as rx
from services.errors import DomainError
from storage.models import (
    Account,
    Notification,
    RectificationItem,
    RectificationPlan,
    Ticket,
)
from storage.uow import UnitOfWork

router = Router()
renderers = Renderers()
STEP_ITEM = "rx.item"


class PlanOp(StrEnum):
    open = "open"  # id: the compound, arg: the quarter
    view = "view"  # id: the plan
    done = "done"  # id: the item
    add = "add"  # id: the plan
    cat = "cat"  # id: the plan, arg: the category's index


@dataclass(frozen=True)
class PlanButton(ButtonData, prefix="rx"):
    op: PlanOp
    id: int
    arg: str = ""


_SPLIT = re.compile(r"\s*[;；]\s*")


async def _owner_name(uow: UnitOfWork, item: RectificationItem) -> str:
    if item.owner_org_id is not None:
        org = await uow.org.get(item.owner_org_id)
        return org.name if org else "?"
    acc = await uow.accounts.get(item.owner_account_id or 0)
    return acc.display_name if acc else "?"


async def _item_line(uow: UnitOfWork, item: RectificationItem, overdue: bool) -> Msg:
    state = "done" if item.done_at is not None else "overdue" if overdue else "open"
    return msg(
        f"rx-item-{state}",
        title=item.title,
        owner=await _owner_name(uow, item),
        deadline=item.deadline.isoformat(),
    )


async def plan_view(
    uow: UnitOfWork, plan: RectificationPlan, viewer: Account, *, edit: bool = False
) -> Reply:
    node = await rx.compound(uow, plan.compound_id)
    tz = await orgtime.org_zone(uow, plan.compound_id)
    now = uow.clock.now()
    items = await rx.items_of(uow, plan.id or 0)
    late = {i.id for i in items if i.done_at is None and orgtime.end_of_day(i.deadline, tz) <= now}
    lines = [
        msg(
            "rx-plan-head",
            title=plan.title,
            compound=node.name,
            quarter=plan.quarter,
            done=sum(i.done_at is not None for i in items),
            total=len(items),
            overdue=len(late),
        )
    ]
    categories = list(dict.fromkeys([*plan.categories, *(i.category for i in items)]))
    for category in categories:
        lines.append(msg("rx-category", category=category_label(category)))
        mine = [i for i in items if i.category == category]
        lines += [await _item_line(uow, i, i.id in late) for i in mine] or [msg("rx-category-empty")]
    manage = await rx.can_manage(uow, viewer, node)
    buttons = [
        [Button(msg("btn-rx-done", title=i.title[:24]), PlanButton(PlanOp.done, i.id or 0))]
        for i in items
        if i.done_at is None and (manage or await rx.is_owner(uow, viewer, i))
    ]
    if manage:  # 吹哨报到 on an open item
        buttons += [
            [Button(msg("btn-rx-whistle", title=i.title[:24]), WhistleButton(WhOp.new_r, i.id or 0))]
            for i in items
            if i.done_at is None
        ]
        buttons.append([Button(msg("btn-rx-add"), PlanButton(PlanOp.add, plan.id or 0))])
    return Reply(join(lines), buttons=buttons, edit=edit)


async def _viewable(ctx: Ctx, plan_id: int) -> RectificationPlan:
    plan = await rx.get_plan(ctx.uow, plan_id)
    if not await rx.can_view(ctx.uow, ctx.account, plan):
        raise DomainError("rx_not_allowed")
    return plan


@router.command("plan")
async def plans_command(ctx: Ctx) -> None:
    plans = await rx.plans_for_account(ctx.uow, ctx.account)
    if not plans:
        ctx.reply(Reply(msg("rx-none")))
        return
    buttons = []
    for p in plans[:30]:
        items = await rx.items_of(ctx.uow, p.id or 0)
        node = await ctx.uow.org.get(p.compound_id)
        buttons.append(
            [
                Button(
                    msg(
                        "rx-list-line",
                        compound=node.name if node else "?",
                        quarter=p.quarter,
                        done=sum(i.done_at is not None for i in items),
                        total=len(items),
                    ),
                    PlanButton(PlanOp.view, p.id or 0),
                )
            ]
        )
    ctx.reply(Reply(msg("rx-list-head", count=len(plans)), buttons=buttons))


@router.callback(PlanButton)
async def plan_button(ctx: Ctx) -> None:
    b = PlanButton.unpack(ctx.inc.callback_data)
    if (b.op in (PlanOp.open, PlanOp.cat)) != bool(b.arg):
        raise DomainError("unknown_button")
    uow = ctx.uow
    if b.op == PlanOp.open:
        node = await rx.compound(uow, b.id)
        title = t(ctx.locale, "rx-default-title", compound=node.name, quarter=b.arg)
        plan, created = await rx.open_plan(uow, ctx.account, node.id or 0, b.arg, title)
        ctx.answer(msg("rx-opened" if created else "rx-exists", quarter=plan.quarter))
        ctx.reply(await plan_view(uow, plan, ctx.account))
    elif b.op == PlanOp.view:
        ctx.reply(await plan_view(uow, await _viewable(ctx, b.id), ctx.account))
    elif b.op == PlanOp.done:
        item = await rx.mark_done(uow, ctx.account, b.id)
        ctx.answer(msg("rx-done-ok", title=item.title[:60]))
        ctx.reply(await plan_view(uow, await rx.get_plan(uow, item.plan_id), ctx.account, edit=True))
    elif b.op == PlanOp.add:
        plan = await _manageable(ctx, b.id)
        cats = [*plan.categories, *([] if "other" in plan.categories else ["other"])]
        ctx.reply(
            Reply(
                msg("rx-pick-category"),
                buttons=[
                    [
                        Button(
                            msg("rx-category-button", category=category_label(c)),
                            PlanButton(PlanOp.cat, b.id, str(n)),
                        )
                    ]
                    for n, c in enumerate(cats[:20])
                ],
            )
        )
    else:
        plan = await _manageable(ctx, b.id)
        cats = [*plan.categories, *([] if "other" in plan.categories else ["other"])]
        if not b.arg.isdigit() or int(b.arg) >= len(cats):
            raise DomainError("unknown_button")
        category = cats[int(b.arg)]
        await ctx.set_state(STEP_ITEM, {"plan": plan.id, "category": category})
        ctx.reply(
            Reply(
                msg("rx-item-prompt", category=category_label(category)),
                buttons=[[Button(msg("btn-cancel"), SkipButton(STEP_ITEM))]],
            )
        )


async def _manageable(ctx: Ctx, plan_id: int) -> RectificationPlan:
    plan = await rx.get_plan(ctx.uow, plan_id)
    if not await rx.can_manage(ctx.uow, ctx.account, await rx.compound(ctx.uow, plan.compound_id)):
        raise DomainError("rx_not_allowed")
    return plan


@router.step(STEP_ITEM)
async def item_text(ctx: Ctx) -> None:
    if ctx.skipped:
        await ctx.clear_state()
        return
    parts = _SPLIT.split((ctx.inc.text or "").strip())
    if len(parts) != 3 or not all(parts):
        raise DomainError("rx_bad_item")
    deadline = rx.as_date(parts[2])
    if deadline is None:
        raise DomainError("rx_bad_deadline", deadline=parts[2][:20])
    plan = await rx.get_plan(ctx.uow, int(ctx.data["plan"]))
    item = await rx.add_item(
        ctx.uow, ctx.account, plan, str(ctx.data["category"]), parts[0], parts[1], deadline
    )
    await ctx.clear_state()
    ctx.reply(Reply(msg("rx-item-added", title=item.title)))
    ctx.reply(await plan_view(ctx.uow, plan, ctx.account))


# -- notifications ------------------------------------------------------------------------------
async def _item_of(
    uow: UnitOfWork, n: Notification
) -> tuple[RectificationItem, RectificationPlan, str] | None:
    p: dict[str, Any] = dict(n.payload or {})
    item = await uow.session.get(RectificationItem, int(p.get("item_id", 0)))
    if item is None or item.done_at is not None:
        return None  # ticked meanwhile: nothing left to say
    plan = await rx.get_plan(uow, item.plan_id)
    node = await uow.org.get(plan.compound_id)
    return item, plan, node.name if node else "?"


@renderers.on("rx_reminder")
async def _reminder(uow: UnitOfWork, n: Notification, ticket: Ticket | None, tz: str) -> list[Reply]:
    found = await _item_of(uow, n)
    if found is None:
        return []
    item, plan, compound = found
    percent = int((n.payload or {}).get("percent", 0))
    key = "rx-overdue" if percent >= 100 else "rx-reminder"
    return [
        Reply(
            msg(
                key,
                title=item.title,
                compound=compound,
                quarter=plan.quarter,
                deadline=item.deadline.isoformat(),
                percent=str(percent),
            ),
            buttons=[
                [Button(msg("btn-rx-done", title=item.title[:24]), PlanButton(PlanOp.done, item.id or 0))],
                [Button(msg("btn-rx-view"), PlanButton(PlanOp.view, plan.id or 0))],
            ],
        )
    ]


@renderers.on("rx_escalation")
async def _escalation(uow: UnitOfWork, n: Notification, ticket: Ticket | None, tz: str) -> list[Reply]:
    found = await _item_of(uow, n)
    if found is None:
        return []
    item, plan, compound = found
    level = int((n.payload or {}).get("level", 1))
    return [
        Reply(
            msg(
                "rx-escalation",
                level=msg(f"rx-level-{min(max(level, 1), 2)}"),
                title=item.title,
                compound=compound,
                quarter=plan.quarter,
                deadline=item.deadline.isoformat(),
                owner=await _owner_name(uow, item),
            ),
            buttons=[[Button(msg("btn-rx-view"), PlanButton(PlanOp.view, plan.id or 0))]],
        )
    ]
