"""Rectification plans (services/rectification*.py): import from YAML, items and who may tick
them, reminders at 50 % / 80 %, escalation once per level, the on-time share for 新三率."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from services import rectification as rx
from services.errors import DomainError
from services.rectification_import import import_plan, load_plan_file
from services.validation import FileInvalid
from storage.clock import FrozenClock
from storage.models import (
    Account,
    Notification,
    RectificationItem,
    RectificationPlan,
    Role,
)
from storage.uow import UowFactory
from tests.storage.governance_seed import add, person, seed_org

SH = ZoneInfo("Asia/Shanghai")
PLAN_YAML = """\
compound: XGY
quarter: 2026Q4
title: 兴谷园小区 2026 年第四季度专项整治方案
categories:
  sanitation:
    - {title: 清理楼道堆物, owner: YJWY, deadline: 2026-12-04}
    - {title: 垃圾桶站改造, owner: BH-XY, deadline: 2026-12-31}
  parking:
    - {title: 施划停车位, owner: "{account}", deadline: 2027-01-15}
"""


def sh(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=SH)


@pytest.fixture
async def world(uow_factory: UowFactory) -> dict[str, int]:
    out = await seed_org(uow_factory)
    for name, role, org in (
        ("staff", Role.staff, "YJWY"),
        ("manager", Role.manager, "YJWY"),
        ("community", Role.community, "BH-XY"),
        ("street", Role.street, "BH"),
        ("admin", Role.admin, "PG"),
        ("resident", Role.resident, "XGY"),
        ("other_staff", Role.staff, "HTWY"),
    ):
        out[name] = await person(uow_factory, name, role, org)
    return out


async def imported(
    f: UowFactory, tmp_path: Path, world: dict[str, int], text: str = PLAN_YAML
) -> RectificationPlan:
    path = tmp_path / "plan.yaml"
    path.write_text(text.replace("{account}", str(world["street"])), encoding="utf-8")
    async with f() as uow:
        report = await import_plan(uow, load_plan_file(path))
        await uow.commit()
        return await rx.get_plan(uow, report.plan_id)


async def items(f: UowFactory, plan_id: int) -> list[RectificationItem]:
    async with f() as uow:
        return await rx.items_of(uow, plan_id)


async def account(f: UowFactory, account_id: int) -> Account:
    async with f() as uow:
        acc = await uow.accounts.get(account_id)
        assert acc is not None
        return acc


async def test_plan_from_yaml_is_idempotent(
    uow_factory: UowFactory, tmp_path: Path, world: dict[str, int]
) -> None:
    plan = await imported(uow_factory, tmp_path, world)
    assert (plan.compound_id, plan.quarter, plan.categories) == (
        world["XGY"],
        "2026Q4",
        ["sanitation", "parking"],
    )
    rows = await items(uow_factory, plan.id or 0)
    assert [(i.category, i.title, i.owner_org_id, i.owner_account_id, i.deadline) for i in rows] == [
        ("sanitation", "清理楼道堆物", world["YJWY"], None, date(2026, 12, 4)),
        ("sanitation", "垃圾桶站改造", world["BH-XY"], None, date(2026, 12, 31)),
        ("parking", "施划停车位", None, world["street"], date(2027, 1, 15)),
    ]
    again = await imported(uow_factory, tmp_path, world)
    assert again.id == plan.id and len(await items(uow_factory, plan.id or 0)) == 3
    path = tmp_path / "plan.yaml"
    path.write_text(
        PLAN_YAML.replace("{account}", str(world["street"])).replace("2026-12-31", "2027-01-05"),
        encoding="utf-8",
    )
    async with uow_factory() as uow:
        report = await import_plan(uow, load_plan_file(path))
        await uow.commit()
    assert (report.created, report.added, report.updated, report.unchanged) == (False, 0, 1, 2)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("YJWY", "NOPE"), [("categories.sanitation[0].owner", "validation-unknown-owner")]),
        (("2026Q4", "2026Q5"), [("quarter", "validation-quarter")]),
        (("2026-12-04", "next week"), [("categories.sanitation[0].deadline", "validation-date")]),
        (("compound: XGY", "compound: ZZZ"), [("compound", "validation-unknown-compound")]),
        (("owner: BH-XY", "owner: NOPE"), [("categories.sanitation[1].owner", "validation-unknown-owner")]),
    ],
)
async def test_invalid_plan_file_stores_nothing(
    uow_factory: UowFactory,
    tmp_path: Path,
    world: dict[str, int],
    change: tuple[str, str],
    expected: list[tuple[str, str]],
) -> None:
    with pytest.raises(FileInvalid) as err:
        await imported(uow_factory, tmp_path, world, PLAN_YAML.replace(*change))
    assert err.value.code == "rx_file_invalid"
    assert [(p.path, p.key) for p in err.value.problems] == expected
    async with uow_factory() as uow:
        assert (await uow.session.execute(select(RectificationPlan))).scalars().all() == []


async def test_chat_plan_gets_top_categories_and_only_managers_add_items(
    uow_factory: UowFactory, world: dict[str, int], clock: FrozenClock
) -> None:
    async with uow_factory() as uow:
        for category, n in (("noise", 3), ("parking", 2), ("leak", 1), ("dogs", 4), ("fees", 1)):
            for _ in range(n):
                add(uow, world, "XGY", category, sh(2026, 10, 15))
        add(uow, world, "XGY", "greenery", sh(2026, 9, 30))  # the quarter before: not counted
        await uow.commit()
    community, staff = (
        await account(uow_factory, world["community"]),
        await account(uow_factory, world["staff"]),
    )
    async with uow_factory() as uow:
        with pytest.raises(DomainError) as refused:
            await rx.open_plan(uow, staff, world["XGY"], "2026Q4", "t")
        assert refused.value.code == "rx_not_allowed"
        plan, created = await rx.open_plan(uow, community, world["XGY"], "2026Q4", "兴谷园整改")
        assert created and plan.categories == ["dogs", "noise", "parking", "fees"]
        with pytest.raises(DomainError) as past:
            await rx.add_item(uow, community, plan, "noise", "夜间施工", "BH-XY", date(2026, 11, 24))
        assert past.value.code == "rx_bad_deadline"
        with pytest.raises(DomainError) as owner:
            await rx.add_item(uow, community, plan, "noise", "夜间施工", "XGY", date(2026, 12, 1))
        assert owner.value.code == "rx_bad_owner"  # a compound owns nothing
        item = await rx.add_item(uow, community, plan, "noise", "夜间施工", "BH-CG", date(2026, 12, 1))
        assert item.owner_org_id == world["BH-CG"]
        await uow.commit()
    async with uow_factory() as uow:
        again, created = await rx.open_plan(uow, community, world["XGY"], "2026Q4", "other title")
        assert not created and again.id == plan.id and again.title == "兴谷园整改"


async def test_owners_and_managers_tick_items_residents_cannot(
    uow_factory: UowFactory, tmp_path: Path, world: dict[str, int]
) -> None:
    plan = await imported(uow_factory, tmp_path, world)
    first, second, third = await items(uow_factory, plan.id or 0)
    for who, item in (("resident", first), ("other_staff", first), ("staff", second)):
        async with uow_factory() as uow:
            with pytest.raises(DomainError) as err:
                await rx.mark_done(uow, await account(uow_factory, world[who]), item.id or 0)
            assert err.value.code == "rx_not_allowed"
    for who, item in (("staff", first), ("community", second), ("street", third)):
        async with uow_factory() as uow:
            done = await rx.mark_done(uow, await account(uow_factory, world[who]), item.id or 0)
            await uow.commit()
        assert done.done_by == world[who] and done.done_at is not None
    async with uow_factory() as uow:
        with pytest.raises(DomainError) as twice:
            await rx.mark_done(uow, await account(uow_factory, world["admin"]), first.id or 0)
        assert twice.value.code == "rx_already_done"


async def rows(
    f: UowFactory, clock: FrozenClock, when: datetime, item_id: int | None = None
) -> list[Notification]:
    """Run the schedule at ``when``; the rx_ rows it wrote (for one item when given)."""
    clock.set(when)
    async with f() as uow:
        before = {n.id for n in (await uow.session.execute(select(Notification))).scalars().all()}
        await rx.run_scheduled(uow)
        await uow.commit()
        q = (
            select(Notification)
            .where(col(Notification.kind).startswith("rx_"))
            .order_by(col(Notification.id))
        )
        return [
            n
            for n in (await uow.session.execute(q)).scalars().all()
            if n.id not in before and item_id in (None, n.payload["item_id"])
        ]


async def test_reminders_at_50_and_80_percent_then_escalation_once_per_level(
    uow_factory: UowFactory, tmp_path: Path, world: dict[str, int], clock: FrozenClock
) -> None:
    # created Wed 25 Nov 10:00; the first item is due at the end of Fri 4 Dec: 230 h later
    plan = await imported(uow_factory, tmp_path, world)
    item = (await items(uow_factory, plan.id or 0))[0]
    assert await rows(uow_factory, clock, sh(2026, 11, 30, 4, 59), item.id) == []  # 49 %
    half = await rows(uow_factory, clock, sh(2026, 11, 30, 5, 0), item.id)  # 115 h: 50 %
    assert {(n.kind, n.account_id, n.payload["percent"]) for n in half} == {
        ("rx_reminder", world["staff"], 50),
        ("rx_reminder", world["manager"], 50),
    }
    assert half[0].payload["item_id"] == item.id
    assert await rows(uow_factory, clock, sh(2026, 12, 1, 12), item.id) == []
    eighty = await rows(uow_factory, clock, sh(2026, 12, 3, 2, 0), item.id)  # 184 h: 80 %
    assert sorted(n.payload["percent"] for n in eighty) == [80, 80]
    assert await rows(uow_factory, clock, sh(2026, 12, 4, 23, 59), item.id) == []
    due = await rows(uow_factory, clock, sh(2026, 12, 5, 0, 0), item.id)
    assert {(n.kind, n.account_id) for n in due} == {
        ("rx_reminder", world["staff"]),
        ("rx_reminder", world["manager"]),
        ("rx_escalation", world["street"]),
    }
    assert [n.payload["level"] for n in due if n.kind == "rx_escalation"] == [1]
    assert (
        await rows(uow_factory, clock, sh(2026, 12, 14, 13, 59), item.id) == []
    )  # 230 h after the deadline - 1 min
    district = await rows(uow_factory, clock, sh(2026, 12, 14, 14, 0), item.id)
    assert [(n.kind, n.account_id, n.payload["level"]) for n in district] == [
        ("rx_escalation", world["admin"], 2)
    ]
    assert await rows(uow_factory, clock, sh(2027, 1, 20)) != []  # the other items' turn
    async with uow_factory() as uow:
        stored = await uow.session.get(RectificationItem, item.id)
        assert stored is not None and (stored.reminded_percent, stored.escalation_level) == (100, 2)
    assert [
        n for n in await rows(uow_factory, clock, sh(2027, 2, 1)) if n.payload["item_id"] == item.id
    ] == []


async def test_a_done_item_is_not_reminded(
    uow_factory: UowFactory, tmp_path: Path, world: dict[str, int], clock: FrozenClock
) -> None:
    plan = await imported(uow_factory, tmp_path, world)
    first = (await items(uow_factory, plan.id or 0))[0]
    async with uow_factory() as uow:
        await rx.mark_done(uow, await account(uow_factory, world["staff"]), first.id or 0)
        await uow.commit()
    sent = await rows(uow_factory, clock, sh(2026, 12, 22))
    assert first.id not in {n.payload["item_id"] for n in sent}
    assert {n.payload["item_id"] for n in sent} == {
        i.id for i in (await items(uow_factory, plan.id or 0))[1:]
    }


async def test_items_on_time_share(
    uow_factory: UowFactory, world: dict[str, int], clock: FrozenClock
) -> None:
    clock.set(sh(2026, 12, 10, 12))
    async with uow_factory() as uow:
        plan, _ = await rx.open_plan(uow, None, world["XGY"], "2026Q4", "t", ["sanitation"])
        specs = [  # (deadline, done at): due at the end of the deadline day, Beijing time
            (date(2026, 11, 30), sh(2026, 11, 30, 23, 59)),  # on time
            (date(2026, 12, 1), sh(2026, 12, 3, 9)),  # late
            (date(2026, 11, 20), None),  # overdue, not done
            (date(2026, 12, 31), None),  # not due yet: does not count
            (date(2026, 12, 31), sh(2026, 12, 9)),  # early: on time
            (date(2027, 1, 10), sh(2026, 12, 1)),  # outside the quarter
            (date(2026, 9, 30), sh(2026, 9, 1)),  # outside the quarter
        ]
        for n, (deadline, done_at) in enumerate(specs):
            item = await rx.add_item(uow, None, plan, "sanitation", f"item {n}", "YJWY", deadline)
            item.done_at = done_at
        await uow.commit()
    start, end = sh(2026, 10, 1).astimezone(UTC), sh(2027, 1, 1).astimezone(UTC)
    async with uow_factory() as uow:
        assert await rx.items_on_time_share(uow, [world["XGY"]], start, end) == pytest.approx(2 / 4)
        assert await rx.items_on_time_share(uow, [world["BH"]], start, end) == pytest.approx(2 / 4)
        assert await rx.items_on_time_share(uow, [world["YJWY"]], start, end) == pytest.approx(2 / 4)
        assert await rx.items_on_time_share(uow, [world["XG"], world["LHY"]], start, end) is None
        progress = await rx.plan_progress(uow, [world["XGY"]], clock.now())
        assert [(p.done, p.total, p.overdue) for p in progress] == [(5, 7, 1)]


async def test_cli_imports_and_lists_plans(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from bot.cli_plans import register
    from bot.settings import Settings
    from storage.db import create_engine
    from storage.migrate import upgrade
    from storage.uow import make_uow_factory

    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    engine = create_engine(url)
    await upgrade(engine)
    world = await seed_org(make_uow_factory(engine))
    await engine.dispose()
    (tmp_path / "plan.yaml").write_text(PLAN_YAML.replace('"{account}"', "BH-TY"), encoding="utf-8")
    parser = argparse.ArgumentParser(prog="gongzhi")
    register(parser.add_subparsers(dest="command", required=True))
    settings = Settings(database_url=url, locale="zh_CN")
    args = parser.parse_args(["plan", "import", str(tmp_path / "plan.yaml")])
    assert await args.func(args, settings) == 0
    assert (
        "已导入整改方案 #1（兴谷园小区 2026Q4，新建）：新增 3 项，更新 0 项，未变 0 项。"
        in capsys.readouterr().out
    )
    args = parser.parse_args(["plan", "list"])
    assert await args.func(args, settings) == 0
    assert (
        "#1 兴谷园小区 2026Q4 · 兴谷园小区 2026 年第四季度专项整治方案 · 已完成 0/3，逾期"
        in capsys.readouterr().out
    )
    engine = create_engine(url)
    async with make_uow_factory(engine)() as uow:
        owners = {i.title: i.owner_org_id for i in await rx.items_of(uow, 1)}
    await engine.dispose()
    assert owners["施划停车位"] == world["BH-TY"]
    (tmp_path / "bad.yaml").write_text(
        PLAN_YAML.replace('"{account}"', "NOPE").replace("2026Q4", "2026Q5"), encoding="utf-8"
    )
    args = parser.parse_args(["plan", "import", str(tmp_path / "bad.yaml")])
    assert await args.func(args, settings) == 2
    assert capsys.readouterr().err.splitlines() == [
        "整改方案文件有误（1 个问题），未导入任何数据：",
        "quarter：季度“2026Q5”应写成 2026Q3 这样的格式",
    ]
    (tmp_path / "bad.yaml").write_text(PLAN_YAML.replace('"{account}"', "NOPE"), encoding="utf-8")
    assert await args.func(args, Settings(database_url=url, locale="en")) == 2
    assert capsys.readouterr().err.splitlines()[1] == (
        'categories.parking[0].owner: no owner "NOPE": give the code of a property company, community, '
        "street or department, or an account number"
    )
