"""Owners of a compound's units: the committee or the community confirm a resident's unit
binding as its owner (only confirmed owners vote in 共议).

* /owners CODE lists the residents waiting ("ow:<residency id>" confirms one).
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.buttons import ButtonData
from handlers.context import Ctx
from handlers.digest import join
from handlers.refusals import worded
from handlers.router import Router
from handlers.types import Button, Reply, msg
from locales import Msg
from services import owners_roles
from services.errors import NotAllowed
from storage.models import OrgNode
from storage.uow import UnitOfWork

router = Router()


@dataclass(frozen=True)
class OwnerButton(ButtonData, prefix="ow"):
    residency: int


@router.command("owners")
async def owners_command(ctx: Ctx) -> None:
    with worded("owners_stale", "owners_not_allowed"):
        await _owners_command(ctx)


async def _owners_command(ctx: Ctx) -> None:
    code = ctx.inc.command[1] if ctx.inc.command else ""
    node = await owners_roles.compound_by_code(ctx.uow, code or "?")
    assert node.id is not None
    if not {owners_roles.COMMITTEE, owners_roles.COMMUNITY} & await owners_roles.roles_on(
        ctx.uow, ctx.account, node.id
    ):
        raise NotAllowed()
    ctx.reply(await _pending_view(ctx.uow, node))


async def _pending_view(uow: UnitOfWork, node: OrgNode, head: Msg | None = None) -> Reply:
    assert node.id is not None
    pending = await uow.owners.pending_residencies(node.id)
    lines = [head] if head else []
    if not pending:
        return Reply(join([*lines, msg("owners-none-pending", compound=node.name)]))
    buttons = [
        [
            Button(
                msg("btn-owner-confirm", name=a.display_name[:20], unit=u.code),
                OwnerButton(r.id or 0),
            )
        ]
        for r, u, a in pending[:20]
    ]
    lines.append(msg("owners-pending", compound=node.name, count=len(pending)))
    return Reply(join(lines), buttons=buttons)


@router.callback(OwnerButton)
async def confirm_button(ctx: Ctx) -> None:
    with worded("owners_stale", "owners_not_allowed"):
        await _confirm_button(ctx)


async def _confirm_button(ctx: Ctx) -> None:
    b = OwnerButton.unpack(ctx.inc.callback_data)
    unit = await owners_roles.confirm_owner(ctx.uow, ctx.account, b.residency)
    ctx.answer(msg("owner-confirmed", unit=unit.code))
    node = await owners_roles.compound(ctx.uow, unit.compound_id)
    reply = await _pending_view(ctx.uow, node, msg("owner-confirmed", unit=unit.code))
    reply.edit = True
    ctx.reply(reply)
