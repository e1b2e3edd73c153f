"""Access (issue 10): every staff, community, street and admin action in the chat, tried by
every other role, by no role, through stale and forged buttons and on another compound's
ticket, is refused with a clear reply, changes nothing stored, and leaves an audit row.
Only private chats create accounts, residencies or grants; invite codes cannot be
brute-forced."""

from __future__ import annotations

import dataclasses
import enum
import re
import typing
from datetime import timedelta

from sqlalchemy import func, select

from handlers import buttons, campaign, digest, funds, plans
from handlers.buttons import ButtonData
from services.accounts import create_invite
from storage.models import Account, AuditLog, Invite, Residency, Role, RoleGrant
from tests.flows.conftest import join_resident, join_staff, report, snapshot, ticket_by_number
from tests.flows.harness import Harness

NUMBER = re.compile(r"PG-2026-\d{6}")
GROUP = "-1009999999999"  # a group the bot does not know


async def _audit(h: Harness) -> list[AuditLog]:
    async with h.core.uow_factory() as uow:
        rows = (await uow.session.execute(select(AuditLog).order_by(AuditLog.id))).scalars().all()  # type: ignore[arg-type]
        return list(rows)


async def _count(h: Harness, model: type) -> int:
    async with h.core.uow_factory() as uow:
        return int((await uow.session.execute(select(func.count()).select_from(model))).scalar_one())


async def _invite(h: Harness, role: str = "staff", org: str = "YJWY") -> str:
    async with h.core.uow_factory() as uow:
        inv = await create_invite(uow, role=Role(role), org_code=org, days=7)
        await uow.commit()
    return inv.code


async def _world(h: Harness) -> tuple[int, int]:
    """A ticket in XGY (company YJWY) and one in JGJY (another street); returns their ids."""
    await join_resident(h, "li", "XGY")
    await h.press("li", "sk:join.unit")
    await join_resident(h, "liu", "JGJY")
    await h.press("liu", "sk:join.unit")
    await join_staff(h, "wang", "staff", "YJWY")
    await join_staff(h, "he", "staff", "HTWY")  # another company
    await join_staff(h, "zhao", "community", "BH-XY")  # XGY's community (level 0: not yet)
    await join_staff(h, "sun", "street", "XG")  # another street
    await join_staff(h, "adm", "admin", "BH-TY")  # an admin of another community
    await h.say("nobody", "/help")  # an account with no role
    m = NUMBER.search(await report(h, "li", "leak", "厨房漏水"))
    m2 = NUMBER.search(await report(h, "liu", "leak", "楼顶漏水"))
    assert m and m2
    return (await ticket_by_number(h, m.group())).id or 0, (await ticket_by_number(h, m2.group())).id or 0


STAFF_OPS = ("ack", "take", "ask", "res", "rej", "rjr:{t}:invalid", "nrc", "view")


def _buttons(tid: int) -> list[str]:
    return [f"tk:{op.format(t=tid)}" if ":" in op else f"tk:{op}:{tid}" for op in STAFF_OPS]


GOVERNANCE_BUTTONS: tuple[type[ButtonData], ...] = (
    buttons.WhistleButton,
    buttons.CouncilButton,
    campaign.CampaignButton,
    digest.DigestButton,
    funds.FundButton,
    plans.PlanButton,
    buttons.MyTicketButton,
    buttons.AddInfoButton,
    buttons.ConfirmButton,
    buttons.RateButton,
)


def forged_buttons(ticket_id: int) -> list[str]:
    """Every operation of every governance and reporter button kind, packed as a real client
    would send it, on ids that are someone else's (the ticket) or nobody's."""
    out = []
    for cls in GOVERNANCE_BUTTONS:
        hints = typing.get_type_hints(cls)
        fields = dataclasses.fields(cls)  # type: ignore[arg-type]
        kinds = [
            hints[f.name]
            for f in fields
            if isinstance(hints[f.name], type) and issubclass(hints[f.name], enum.Enum)
        ]
        for op in list(kinds[0]) if kinds else [None]:
            kw: dict[str, object] = {}
            for f in fields:
                kind = hints[f.name]
                if isinstance(kind, type) and issubclass(kind, enum.Enum):
                    kw[f.name] = op if isinstance(op, kind) else next(iter(kind))
                elif kind is int:
                    kw[f.name] = ticket_id
                elif kind is str:
                    kw[f.name] = "x"
            out.append(cls(**kw).pack())
    return out


async def _refused(
    h: Harness, who: str, data: str | None = None, text: str | None = None, *, step_ends: bool = False
) -> None:
    """Refused with a clear reply, nothing stored changed (`step_ends`: but the refused form's
    conversation step), one audit row more."""
    before, audited = await snapshot(h), len(await _audit(h))
    if data is not None:
        answer, alert = await h.press(who, data)
        # a button whose step is not running, or whose ticket moved on, is spent: quiet (issue 11)
        assert answer and (alert or h.answer_keys()[-1] in ("error-stale-button", "error-invalid-state")), (
            who,
            data,
        )
    else:
        await h.say(who, text)
        assert h.last(who).key.startswith("error-"), (who, text, h.last(who).key)
    after = await snapshot(h)
    if step_ends:
        before.pop("states"), after.pop("states")
    assert after == before, (who, data or text)
    rows = await _audit(h)
    assert len(rows) == audited + 1, (who, data or text, [r.action for r in rows[audited:]])
    assert rows[-1].action.startswith("refused:")


async def test_every_handler_action_by_every_other_role_is_refused_and_audited(h: Harness) -> None:
    xgy, jgjy = await _world(h)
    outsiders = ("li", "liu", "he", "zhao", "sun", "adm", "nobody")
    for who in outsiders:
        for data in _buttons(xgy):
            await _refused(h, who, data)
    # the company's own staff on another compound's ticket (another company's queue)
    for data in _buttons(jgjy):
        await _refused(h, "wang", data)
    # forged: tickets that do not exist, malformed and unknown buttons
    for data in ("tk:ack:99999999", "tk:zzz:1", "tk:ack", "zz:1:2", "tk:ack:-1", "tk:" + "9" * 70):
        await _refused(h, "wang", data)
    # stale: the ticket was closed (rejected as invalid) since the card was sent
    await h.press("wang", f"tk:rjr:{xgy}:invalid")
    assert (
        await ticket_by_number(h, (await ticket_by_number(h, "PG-2026-000001")).number)
    ).state == "rejected"
    for data in ("tk:ack:{t}", "tk:take:{t}", "tk:res:{t}", "tk:ask:{t}"):
        await _refused(h, "wang", data.format(t=xgy))
    # every governance and reporter button, forged, by no role and by another compound's resident
    for who in ("nobody", "liu"):
        for data in forged_buttons(xgy):
            await _refused(h, who, data)
    # staff, community, street and admin commands by residents and by no role
    for who in ("li", "nobody"):
        for command in ("/queue", "/stats", "/digest", "/plan"):
            await _refused(h, who, text=command)


async def test_unknown_group_creates_nothing(h: Harness) -> None:
    code = await _invite(h)
    counts = [await _count(h, m) for m in (Account, Residency, RoleGrant)]
    for text in ("/start c_XGY", f"/start inv_{code}", "大家好", "/report", "/help"):
        await h.say("stranger", text, chat_id=GROUP)
    await h.press("stranger", "tk:ack:1", chat_id=GROUP)
    assert [await _count(h, m) for m in (Account, Residency, RoleGrant)] == counts
    keys = [m.key for m in h.channel.chats.get(GROUP, [])]
    assert keys and set(keys) == {"error-private-only"}  # commands only; "大家好" gets nothing
    assert len(keys) == 4
    # someone the bot knows is refused too: no grant from a group
    await h.say("stranger", "/help")  # now an account (a private chat)
    await h.say("stranger", f"/start inv_{code}", chat_id=GROUP)
    await h.say("stranger", "/start c_XGY", chat_id=GROUP)
    assert h.channel.chats[GROUP][-1].key == "error-private-only"
    assert [await _count(h, m) for m in (Residency, RoleGrant)] == counts[1:]
    async with h.core.uow_factory() as uow:
        inv = (await uow.session.execute(select(Invite).where(Invite.code == code))).scalars().one()
        assert inv.used_by is None
    await h.say("stranger", f"/start inv_{code}")  # the same link, privately, works
    assert await _count(h, RoleGrant) == counts[2] + 1


async def test_invite_codes_cannot_be_brute_forced(h: Harness) -> None:
    code = await _invite(h)
    for n in range(5):
        await h.say("guess", f"/start inv_wrong{n}")
        assert h.last("guess").key == "error-invite-invalid"
    before = await _count(h, RoleGrant)
    await h.say("guess", f"/start inv_{code}")  # even the right code waits now
    assert h.last("guess").key == "error-invite-throttled" and "10" in h.last("guess").text
    assert await _count(h, RoleGrant) == before
    actions = [a.action for a in await _audit(h)]
    assert actions == ["refused:invite_invalid"] * 5 + ["refused:invite_throttled"]
    h.clock.advance(timedelta(minutes=11))
    await h.say("guess", f"/start inv_{code}")
    assert h.last("guess").key != "error-invite-throttled" and await _count(h, RoleGrant) == before + 1


async def test_a_whistle_is_acted_on_only_by_its_parties(h: Harness) -> None:
    """吹哨: a community worker calls a department on a ticket; nobody else reports in,
    arrives, closes or reads it."""
    from services import whistle
    from storage.models import OrgKind

    xgy, _ = await _world(h)
    async with h.core.uow_factory() as uow:
        zhao = await uow.accounts.by_identity("telegram", h.user("zhao"))
        assert zhao is not None
        target = await whistle.target_of_ticket(uow, xgy)
        _, departments = await whistle.options(uow, zhao, target)
        dept = departments[0]
        assert OrgKind(dept.kind) == OrgKind.department and dept.id is not None
        row = await whistle.blow(
            uow,
            zhao,
            target,
            kind="routine",
            department_ids=[dept.id],
            problem="消防通道堆物",
            place="3号楼北侧",
            meet_at=h.clock.now() + timedelta(hours=2),
        )
        await uow.commit()
    wid = row.id or 0
    ops = (
        buttons.WhistleButton(buttons.WhOp.rin, wid, dept.id),
        buttons.WhistleButton(buttons.WhOp.arr, wid, dept.id),
        buttons.WhistleButton(buttons.WhOp.cls, wid),
        buttons.WhistleButton(buttons.WhOp.out, wid, 0, "resolved"),
        buttons.WhistleButton(buttons.WhOp.view, wid),
    )
    for who in ("li", "liu", "wang", "he", "sun", "adm", "nobody"):
        for b in ops:
            if who == "li" and b.op == buttons.WhOp.view:
                continue  # the ticket's reporter may read the whistle's record (not who did what)
            await _refused(h, who, b.pack())


async def test_governance_forms_refused_to_those_without_the_role(h: Harness) -> None:
    """Opening a matter, a maintenance-fund application or a cost-sharing campaign, by a
    resident, a company's staff or no role: refused at the command (no form is started),
    nothing created, audited."""
    await _world(h)
    for who in ("li", "liu", "he", "sun", "nobody"):
        for command in ("/newmatter", "/newfund", "/newcampaign"):
            await _refused(h, who, text=command)
            assert "工单" not in h.last(who).text  # the refusal speaks of the form, not tickets


async def test_a_council_is_run_only_by_its_organiser(h: Harness) -> None:
    """议事: a community worker schedules a council and a resident proposes an item; accepting,
    merging, declining, posting the agenda, deciding and posting minutes are the organiser's."""
    from services import council

    await _world(h)
    async with h.core.uow_factory() as uow:
        zhao = await uow.accounts.by_identity("telegram", h.user("zhao"))
        li = await uow.accounts.by_identity("telegram", h.user("li"))
        assert zhao is not None and li is not None
        row = await council.schedule(
            uow,
            zhao,
            kind="courtyard",
            org_code="XGY",
            title="停车问题",
            place="社区活动室",
            meet_at=h.clock.now() + timedelta(days=7),
        )
        await council.propose(uow, li, row.id or 0, "夜间停车占道")
        await uow.commit()
    cid = row.id or 0
    async with h.core.uow_factory() as uow:
        item_id = max(i.id or 0 for i in await uow.councils.items(cid))
    ops = (
        buttons.CouncilButton(buttons.CcOp.acc, cid, item_id),
        buttons.CouncilButton(buttons.CcOp.mrg, cid, item_id),
        buttons.CouncilButton(buttons.CcOp.into, cid, item_id, str(item_id)),
        buttons.CouncilButton(buttons.CcOp.dec, cid, item_id),
        buttons.CouncilButton(buttons.CcOp.agenda, cid),
        buttons.CouncilButton(buttons.CcOp.decide, cid, item_id),
        buttons.CouncilButton(buttons.CcOp.minutes, cid),
    )
    for who in ("li", "liu", "wang", "he", "sun", "adm", "nobody"):
        for b in ops:
            await _refused(h, who, b.pack())
