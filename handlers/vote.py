"""共议 (owners' matters) in chat.

* /matters lists the matters of the person's compounds ("mt:view:<id>");
* /newmatter (committee, community): the step-by-step form in handlers/owners_new.py;
* "mt:vote:<id>:yes|no|abstain" votes (owners; again to change it);
* "mt:start|close|pub:<id>", "mt:off:<id>:1|0" move the matter (organisers);
(/owners, confirming owners: handlers/owners.py.)
Renders the matter notifications (services/matters.POLICY).
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
from services import matters, orgtime, owners_roles
from services import tally as tl
from services.errors import DomainError
from storage.models import Account, Matter, Notification, Ticket
from storage.uow import UnitOfWork

router = Router()
renderers = Renderers()


class MatterOp(StrEnum):
    view = "view"
    vote = "vote"  # arg: the choice
    start = "start"
    close = "close"
    pub = "pub"
    off = "off"  # arg: "1" passed / "0" not passed (the official system's result)


@dataclass(frozen=True)
class MatterButton(ButtonData, prefix="mt"):
    op: MatterOp
    id: int
    arg: str = ""


ACTION_OF = {MatterOp.start: "start_vote", MatterOp.close: "close_vote", MatterOp.pub: "publish"}


def tally_lines(r: tl.Tally) -> list[Msg]:
    j = r.as_json()
    return [
        msg(
            "matter-tally",
            participating_area=j["participating_area"],
            total_area=j["total_area"],
            participating_owners=r.participating_owners,
            total_owners=r.total_owners,
            yes_area=j["yes_area"],
            yes_owners=r.yes_owners,
            no_area=str(r.no_area.quantize(tl.TWO_PLACES)),
            no_owners=r.no_owners,
            quorum=msg("tally-quorum-met" if r.quorum_met else "tally-quorum-missed"),
            result=msg("tally-passed" if r.passed else "tally-not-passed"),
        )
    ]


async def matter_view(uow: UnitOfWork, m: Matter, viewer: Account, *, head: Msg | None = None) -> Reply:
    assert m.id is not None and viewer.id is not None
    node = await owners_roles.compound(uow, m.compound_id)
    tz = await orgtime.org_zone(uow, m.compound_id)
    roles = await owners_roles.roles_on(uow, viewer, m.compound_id)

    def local(at: object) -> str:
        from datetime import datetime
        from zoneinfo import ZoneInfo

        assert isinstance(at, datetime)
        return at.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")

    lines = [head] if head else []
    lines.append(
        msg(
            "matter-view",
            title=m.title,
            compound=node.name,
            kind=msg(f"matter-kind-{m.kind}"),
            state=msg(f"matter-state-{m.state.value}"),
            notice=local(m.notice_at),
            start=local(m.vote_from),
            end=local(m.vote_until),
            description=m.description or "—",
        )
    )
    lines += tally_lines(await matters.live_tally(uow, m))
    if m.official_passed is not None:
        lines.append(
            msg("matter-official", result=msg("tally-passed" if m.official_passed else "tally-not-passed"))
        )
    if owners_roles.OWNER in roles:
        mine = await matters.my_choice(uow, m, viewer.id)
        lines.append(
            msg("matter-my-choice", choice=msg(f"choice-{mine}")) if mine else msg("matter-no-choice")
        )
    lines.append(msg("matter-disclaimer"))
    buttons: list[list[Button]] = []
    allowed = matters.SPEC.allowed_actions(m.state.value, roles)
    if "vote" in allowed:
        buttons.append(
            [
                Button(msg(f"btn-choice-{c.value}"), MatterButton(MatterOp.vote, m.id, c.value))
                for c in tl.Choice
            ]
        )
    for op, action in ACTION_OF.items():
        if action in allowed:
            buttons.append([Button(msg(f"btn-matter-{op.value}"), MatterButton(op, m.id))])
    if "record_official" in allowed:
        buttons.append(
            [
                Button(msg("btn-matter-official-yes"), MatterButton(MatterOp.off, m.id, "1")),
                Button(msg("btn-matter-official-no"), MatterButton(MatterOp.off, m.id, "0")),
            ]
        )
    return Reply(join(lines), buttons=buttons)


@router.command("matters")
async def list_matters(ctx: Ctx) -> None:
    found = await matters.matters_for(ctx.uow, ctx.account)
    if not found:
        ctx.reply(Reply(msg("matter-none")))
        return
    buttons = [
        [
            Button(
                msg("matter-list-line", title=m.title[:30], state=msg(f"matter-state-{m.state.value}")),
                MatterButton(MatterOp.view, m.id or 0),
            )
        ]
        for m, _ in found[:20]
    ]
    ctx.reply(Reply(msg("matter-list-head", count=len(found)), buttons=buttons))


@router.callback(MatterButton)
async def matter_button(ctx: Ctx) -> None:
    with worded("matter_stale", "matter_not_allowed"):
        await _matter_button(ctx)


async def _matter_button(ctx: Ctx) -> None:
    b = MatterButton.unpack(ctx.inc.callback_data)
    m = await matters.get(ctx.uow, b.id)
    head: Msg | None = None
    if b.op == MatterOp.vote:
        choice = tl.parse_choice(b.arg)
        if choice is None:
            raise DomainError("unknown_button")
        await matters.act(ctx.uow, b.id, ctx.account, "vote", choice=choice.value)
        head = msg("matter-voted", choice=msg(f"choice-{choice.value}"))
        ctx.answer(head)
    elif b.op == MatterOp.off:
        await matters.act(ctx.uow, b.id, ctx.account, "record_official", passed=b.arg == "1")
    elif b.op in ACTION_OF:
        await matters.act(ctx.uow, b.id, ctx.account, ACTION_OF[b.op])
    m = await matters.get(ctx.uow, b.id)
    reply = await matter_view(ctx.uow, m, ctx.account, head=head)
    reply.edit = b.op != MatterOp.view
    ctx.reply(reply)


@renderers.on(
    "matter_notice",
    "matter_vote_open",
    "matter_closed",
    "matter_result",
    "matter_official",
    "matter_publish_due",
)
async def _matter_notice(uow: UnitOfWork, n: Notification, ticket: Ticket | None, tz: str) -> list[Reply]:
    reader = await uow.accounts.get(n.account_id or 0)
    m = await uow.aggregates.get(Matter, int((n.payload or {}).get("id", 0)))
    if reader is None or m is None:
        return []
    return [await matter_view(uow, m, reader, head=msg(n.kind.replace("_", "-") + "-head"))]
