"""议事 councils on the aggregate kit: scheduling, proposals (text and a ticket), accept /
merge / decline, the agenda posted by the system N days before, a decision with a deadline
(reminders, the miss), minutes; who may do what."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot import cli_reports
from bot.cli import build_parser
from services import council
from services.accounts import Identity, ensure_account, grant, join_compound
from services.duty_tick import run as run_duties
from services.errors import DomainError
from storage.clock import FrozenClock
from storage.models import Account, AggregateEvent, Council, CouncilItem, Duty, DutyState, Notification, Role
from storage.uow import UowFactory
from tests.storage.whistle_world import WhistleWorld, build


@pytest.fixture
async def w(uow_factory: UowFactory, clock: FrozenClock) -> WhistleWorld:
    return await build(uow_factory, clock)


async def _neighbour(w: WhistleWorld) -> Account:
    async with w.f() as uow:
        acc = await ensure_account(uow, Identity("telegram", "951", "951", "neighbour"))
        await join_compound(uow, acc, "XGY")
        yjwy = await uow.org.by_code("YJWY")
        assert yjwy is not None
        staff = await ensure_account(uow, Identity("telegram", "952", "952", "staff"))
        await grant(uow, staff, Role.staff, yjwy)
        await uow.commit()
    return acc


async def _schedule(w: WhistleWorld, days: int = 7) -> int:
    async with w.f() as uow:
        row = await council.schedule(
            uow,
            w.community,
            kind="courtyard",
            org_code="XGY",
            title="楼道堆物和停车",
            place="兴谷园活动室",
            meet_at=w.clock.now() + timedelta(days=days),
        )
        await uow.commit()
    return row.id or 0


async def _kinds(w: WhistleWorld, account_id: int | None) -> list[str]:
    return [n.kind for n in await w.rows(Notification) if n.account_id == account_id]


async def test_council_from_proposals_to_a_decision_with_a_deadline(w: WhistleWorld, tmp_path: Path) -> None:
    neighbour = await _neighbour(w)
    cid = await _schedule(w)
    assert "council_scheduled" in await _kinds(w, neighbour.id)
    [duty] = await w.rows(Duty)
    assert (duty.what, duty.due_at) == ("post_agenda", w.clock.now() + timedelta(days=4))  # 3 days before
    async with w.f() as uow:
        await council.propose(uow, neighbour, cid, "电动车飞线充电太危险")
        await council.propose(uow, w.resident, cid, "", ticket_id=w.ticket_id)  # "discuss this ticket"
        await council.propose(uow, neighbour, cid, "晚上车乱停")
        await uow.commit()
    items = await w.rows(CouncilItem)
    assert items[1].ticket_id == w.ticket_id and items[1].text.startswith("PG-2026-000001")
    async with w.f() as uow:
        await council.judge(uow, w.community, cid, "accept", items[1].id or 0)
        await council.judge(uow, w.community, cid, "merge", items[2].id or 0, into_id=items[1].id)
        await council.judge(uow, w.community, cid, "decline", items[0].id or 0)
        await uow.commit()
    assert [i.state for i in await w.rows(CouncilItem)] == ["declined", "accepted", "merged"]
    assert (await _kinds(w, neighbour.id)).count("council_item_decided") == 2
    w.later(4 * 24 * 60 + 1)  # the agenda's moment: the system posts it
    assert (await run_duties(w.f)).errors == 0
    [row] = await w.rows(Council)
    assert row.state == "agenda_posted" and "council_agenda" in await _kinds(w, neighbour.id)
    async with w.f() as uow:
        d = await council.decide(
            uow,
            w.community,
            cid,
            items[1].id or 0,
            text="物业三天内清理消防通道并划线",
            responsible="YJWY",
            deadline=date(2026, 12, 2),
            link_kind="ticket",
            link_ref="PG-2026-000001",
        )
        await uow.commit()
    assert d.link_id == w.ticket_id
    staff = [n for n in await w.rows(Notification) if n.kind == "decision_assigned"]
    assert len(staff) == 1
    decision_duty = [x for x in await w.rows(Duty) if x.aggregate == "decision"][0]
    w.clock.set(decision_duty.started_at + (decision_duty.due_at - decision_duty.started_at) * 0.55)
    await run_duties(w.f)
    assert [n.kind for n in await w.rows(Notification)][-1] == "decision_reminder"
    async with w.f() as uow:
        await council.post_minutes(uow, w.community, cid, "一、消防通道：物业负责清理。")
        await uow.commit()
    assert "council_minutes" in await _kinds(w, neighbour.id)
    async with w.f() as uow:
        await council.complete_decision(uow, await _staff(w), d.id or 0)
        await uow.commit()
    assert [x.state for x in await w.rows(Duty) if x.aggregate == "decision"] == [DutyState.done]
    # gongzhi report councils: one row per item (and per decision), with the follow-up
    path, out = tmp_path / "c.csv", []
    args = build_parser().parse_args(["report", "councils", "--period", "2026Q4", "--output", str(path)])
    assert await cli_reports.run(args, w.f, out=out.append) == 0
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))[1:]
    assert [(r[7], r[8], r[9], r[11], r[12]) for r in rows] == [
        ("未采纳", "", "", "", ""),
        ("已列入议程", "物业三天内清理消防通道并划线", "宜居物业服务有限公司", "PG-2026-000001", "已办结"),
        ("已合并", "", "", "", ""),
    ]
    assert out == [f"已写入 {path}（1 次议事会，3 行）。"]


async def _staff(w: WhistleWorld) -> Account:
    async with w.f() as uow:
        acc = await uow.accounts.by_identity("telegram", "952")
        assert acc is not None
        return acc


async def test_residents_cannot_organise_or_edit_minutes(w: WhistleWorld) -> None:
    cid = await _schedule(w, days=1)  # sooner than 3 days: the agenda goes out at the next tick
    w.later(1)
    await run_duties(w.f)
    assert [r.state for r in await w.rows(Council)] == ["agenda_posted"]
    before = len(await w.rows(AggregateEvent))
    async with w.f() as uow:
        with pytest.raises(DomainError) as err:
            await council.post_minutes(uow, w.resident, cid, "改纪要")
    assert err.value.code == "not_allowed"
    async with w.f() as uow:
        with pytest.raises(DomainError) as err:
            await council.schedule(
                uow,
                w.resident,
                kind="hall",
                org_code="BH-XY",
                title="t",
                place="p",
                meet_at=w.clock.now() + timedelta(days=2),
            )
    assert err.value.code == "council_not_allowed"
    async with w.f() as uow:
        with pytest.raises(DomainError) as err:
            await council.propose(uow, w.cg, cid, "外人的提议")  # not a resident there
    assert err.value.code == "not_allowed"
    async with w.f() as uow:
        with pytest.raises(DomainError) as err:
            await council.propose(uow, w.resident, cid, "会后才提")  # the agenda is out
    assert err.value.code == "invalid_state"
    async with w.f() as uow:  # a decision linked to a matter that does not exist
        with pytest.raises(DomainError) as err:
            await council.decide(
                uow,
                w.community,
                cid,
                1,
                text="t",
                responsible="YJWY",
                deadline=date(2026, 12, 9),
                link_kind="matter",
                link_ref="999",
            )
    assert err.value.code == "council_bad_link"
    assert len(await w.rows(AggregateEvent)) == before
