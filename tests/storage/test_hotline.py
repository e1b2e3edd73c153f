"""12345 hotline intake: good rows become hotline tickets dated when the call came in;
duplicates (in the file, across imports) and malformed rows are reported with their row
numbers and store nothing."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli_reports import run
from services.errors import DomainError
from services.hotline import CompoundMatcher, decode, import_orders, map_category
from storage.models import Notification, OrgKind, OrgNode, Source, Ticket
from storage.uow import UowFactory
from tests.storage.ticket_seed import demo_org

HEADER = "order_no,received_at,address,compound_code,category,content,caller_phone\n"
GOOD = HEADER + (
    "H001,2026-11-20 09:31,平谷区兴谷园路1号3号楼,XGY,漏水,3号楼顶层漏水,13812341234\n"
    "H002,2026-11-21T08:00:00+08:00,平谷区滨河路18号,,暖气不热,家里暖气不热,\n"
    "H003,2026/11/22 10:00,金谷嘉园5号楼,,噪音扰民,楼下商户噪音扰民,010-6999 1234\n"
    "H004,2026-11-23 14:00:05,桃园新村2号楼,,,电梯停运三天了,\n"
    "H005,2026-11-23 15:00,枫景苑,,其它,反映物业态度,\n"
)


async def count(uow_factory: UowFactory, model: type = Ticket) -> int:
    async with uow_factory() as uow:
        return int((await uow.session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_good_file_creates_hotline_tickets(uow_factory: UowFactory) -> None:
    ids = await demo_org(uow_factory)
    async with uow_factory() as uow:
        report = await import_orders(uow, GOOD)
        await uow.commit()
    assert len(report.created) == 5 and report.duplicates == [] and report.rejected == []
    async with uow_factory() as uow:
        tickets = {t.external_ref: t for t in (await uow.session.execute(select(Ticket))).scalars()}
    h1 = tickets["H001"]
    assert (h1.compound_id, h1.category, h1.source, h1.reporter_id) == (
        ids["XGY"],
        "leak",
        Source.hotline,
        None,
    )
    assert h1.caller_phone == "13812341234" and h1.description == "3号楼顶层漏水"
    # created when the call came in (09:31 Beijing), due 2 business hours later
    assert h1.created_at == datetime(2026, 11, 20, 1, 31, tzinfo=UTC)
    assert h1.first_response_due == datetime(2026, 11, 20, 3, 31, tzinfo=UTC)
    assert h1.resolution_due == datetime(2026, 11, 21, 1, 31, tzinfo=UTC)
    assert h1.sla_checked_at == h1.created_at  # the next tick handles what is already overdue
    assert h1.next_check_at is not None and h1.next_check_at < datetime(2026, 11, 25, tzinfo=UTC)
    # matched by exact address, by name in the address; categories through the keyword table
    assert (tickets["H002"].compound_id, tickets["H002"].category) == (ids["LHY"], "heating")
    assert (tickets["H003"].compound_id, tickets["H003"].category) == (ids["JGJY"], "noise")
    assert tickets["H003"].queue_org_id == ids["XG-JG"]  # noise goes to the community
    # empty category: the content decides (电梯); unknown text → other
    assert (tickets["H004"].compound_id, tickets["H004"].category) == (ids["TYXC"], "elevator")
    assert (tickets["H005"].compound_id, tickets["H005"].category) == (ids["FJY"], "other")
    assert await count(uow_factory, Notification) > 0  # the queues were told


async def test_duplicates_in_the_file_and_across_imports(uow_factory: UowFactory) -> None:
    await demo_org(uow_factory)
    text = GOOD + "H001,2026-11-24 09:00,,LHY,漏水,同一工单再次派发,\n"
    async with uow_factory() as uow:
        first = await import_orders(uow, text)
        await uow.commit()
    assert len(first.created) == 5
    assert [(d.row, d.order_no, d.key, d.problem.params) for d in first.duplicates] == [
        (7, "H001", "hotline-duplicate-in-file", {"first_row": 2})
    ]
    async with uow_factory() as uow:
        again = await import_orders(uow, text)
        await uow.commit()
    assert again.created == [] and again.rejected == []
    assert [(d.row, d.key) for d in again.duplicates] == [
        (2, "hotline-already-imported"),
        (3, "hotline-already-imported"),
        (4, "hotline-already-imported"),
        (5, "hotline-already-imported"),
        (6, "hotline-already-imported"),
        (7, "hotline-already-imported"),
    ]
    assert await count(uow_factory) == 5


async def test_malformed_rows_are_reported_and_store_nothing(uow_factory: UowFactory) -> None:
    await demo_org(uow_factory)
    long_text = "漏" * 2001
    text = HEADER + (
        "B1,2026-11-31 09:00,,XGY,漏水,日期不对,\n"  # row 2: bad date
        "B2,2026-11-20 09:00,,NOPE,漏水,小区编码不存在,\n"  # row 3
        "B3,2026-11-20 09:00,北京市朝阳区某路1号,,漏水,地址对不上,\n"  # row 4
        "B4,2026-11-20 09:00,,XGY,漏水,,\n"  # row 5: empty content
        f"B5,2026-11-20 09:00,,XGY,漏水,{long_text},\n"  # row 6: too long
        "OK1,2026-11-20 09:00,,XGY,漏水,正常的一行,\n"  # row 7: stored
        ",2026-11-20 09:00,,XGY,漏水,没有工单号,\n"  # row 8
        "B7,2026-12-20 09:00,,XGY,漏水,未来时间,\n"  # row 9
        "B8,2026-11-20 09:00,,XGY,漏水,号码不对,call me\n"  # row 10
        ",,,,,,\n"  # row 11: empty, not an order
        "B9,2026-11-20 09:00,,XGY,漏水\n"  # row 12: short row, no content
    )
    async with uow_factory() as uow:
        report = await import_orders(uow, text)
        await uow.commit()
    assert [(r.row, r.order_no, r.problem.field_path, r.key) for r in report.rejected] == [
        (2, "B1", "received_at", "hotline-date-format"),
        (3, "B2", "compound_code", "hotline-unknown-compound"),
        (4, "B3", "address", "hotline-no-compound"),
        (5, "B4", "content", "validation-missing"),
        (6, "B5", "content", "validation-text-too-long"),
        (8, "", "order_no", "validation-missing"),
        (9, "B7", "received_at", "hotline-date-in-future"),
        (10, "B8", "caller_phone", "hotline-phone"),
        (12, "B9", "content", "validation-missing"),
    ]
    assert report.rejected[4].problem.params == {"max": 2000, "length": 2001}
    assert report.rejected[2].problem.params == {}  # the caller's address is not repeated
    assert len(report.created) == 1
    async with uow_factory() as uow:
        refs = (await uow.session.execute(select(Ticket.external_ref))).scalars().all()
    assert refs == ["OK1"]


async def test_missing_columns_refuse_the_file(uow_factory: UowFactory) -> None:
    await demo_org(uow_factory)
    async with uow_factory() as uow:
        with pytest.raises(DomainError) as err:
            await import_orders(uow, "order_no,received_at,content\nX,2026-11-20 09:00,漏水\n")
    assert err.value.code == "hotline_bad_header"
    assert err.value.params["missing"] == "address,compound_code,category,caller_phone"
    assert await count(uow_factory) == 0


def test_category_words_and_encodings() -> None:
    assert [
        map_category(s)
        for s in (
            "渗水",
            "暖气",
            "电梯困人",
            "扰民",
            "乱停车",
            "垃圾清运",
            "违章建筑",
            "群租房",
            "飞线充电",
            "leak",
            "其他",
            "",
        )
    ] == [
        "leak",
        "heating",
        "elevator",
        "noise",
        "parking",
        "sanitation",
        "illegal_building",
        "group_rental",
        "ev_charging",
        "leak",
        "other",
        "other",
    ]
    assert decode("\ufefforder_no,漏水".encode()) == "order_no,漏水"
    assert decode("\ufefforder_no,漏水".encode("gb18030")) == "order_no,漏水"  # GB18030's own BOM
    line = "H1,2026-11-20 09:31,平谷区兴谷园路1号,XGY,漏水,3号楼顶层漏水,"
    assert decode(line.encode("gb18030")) == line  # Excel on a Chinese Windows
    with pytest.raises(DomainError) as err:
        decode(b"order_no\xff\xff\xff")
    assert err.value.code == "hotline_bad_encoding"


async def test_cli_import_prints_the_summary(uow_factory: UowFactory, tmp_path: Path) -> None:
    await demo_org(uow_factory)
    f = tmp_path / "orders.csv"
    f.write_bytes((GOOD + "B1,昨天,,XGY,漏水,日期不对,\n").encode("utf-8-sig"))
    lines: list[str] = []
    args = argparse.Namespace(command="hotline", hotline_action="import", file=f, dry_run=True)
    assert await run(args, uow_factory, out=lines.append) == 1
    assert lines[-1] == "试运行：将新建工单 5 件，重复 0 行，拒收 1 行。没有保存任何数据。"
    assert lines[0] == "将新建：第 2 行（工单编号 H001）" and await count(uow_factory) == 0
    lines.clear()
    args.dry_run = False
    assert await run(args, uow_factory, out=lines.append) == 1
    assert lines[-1] == "热线导入完成：新建工单 5 件，重复 0 行（已跳过），拒收 1 行。"
    assert lines[-2] == (
        "拒收：第 7 行 received_at 列（工单编号 B1）：受理时间“昨天”无法识别"
        "（应为 2026-11-20 09:31 或 ISO 格式）"
    )
    assert await count(uow_factory) == 5
    lines.clear()
    assert await run(args, uow_factory, out=lines.append, locale="en") == 1
    assert lines[-1] == ("Hotline import done: 0 tickets created, 5 duplicate rows skipped, 1 rows rejected.")


def test_address_matching_rules() -> None:
    def node(i: int, name: str, address: str) -> OrgNode:
        return OrgNode(id=i, code=f"C{i}", kind=OrgKind.compound, name=name, address=address)

    m = CompoundMatcher(
        [
            node(1, "兴谷园小区", "平谷区兴谷园路1号"),
            node(2, "柳河苑", "平谷区滨河路18号"),
            node(3, "枫景苑", "平谷区枫景路9号"),
            node(4, "柳河苑二期", "平谷区滨河路20号"),
        ]
    )

    def code(address: str) -> tuple[str | None, str]:
        found, why = m.by_address(address)
        return (found.code if found else None), why

    assert code("平谷区 滨河路18号") == ("C2", "")  # exact, spaces ignored
    assert code("平谷区滨河路18号3号楼2单元") == ("C2", "")  # contains the address
    assert code("兴谷园5号楼") == ("C1", "")  # the name without 小区
    assert code("柳河苑二期8号楼") == ("C4", "")  # the longest name wins
    assert code("柳河苑和枫景苑之间的路口") == (None, "ambiguous_address")
    assert code("朝阳区某路") == (None, "no_compound") and code("") == (None, "no_compound")
