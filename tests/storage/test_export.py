"""Ticket export: phones masked and anonymous reporters hidden, unless made for an admin."""
from __future__ import annotations

import argparse
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.cli_reports import run
from services.errors import DomainError
from services.export import ExportRow, export_tickets, mask_phone
from services.periods import parse_period
from storage.models import Account, Role, RoleGrant, Source
from storage.uow import UowFactory
from tests.storage.ticket_seed import add_ticket, demo_org

NOV = datetime(2026, 11, 10, 2, tzinfo=timezone.utc)


async def seed(uow_factory: UowFactory) -> dict[str, int]:
    ids = await demo_org(uow_factory)
    async with uow_factory() as uow:
        people = {}
        for name, phone in (("王秀兰", "13912345678"), ("李建国", "13698765432"), ("林涛", None),
                            ("周强", None)):
            acc = Account(display_name=name, phone=phone, created_at=uow.clock.now())
            uow.accounts.add(acc)
            await uow.flush()
            assert acc.id is not None
            people[name] = acc.id
        uow.accounts.add(RoleGrant(account_id=people["林涛"], role=Role.admin, org_id=ids["PG"]))
        uow.accounts.add(RoleGrant(account_id=people["周强"], role=Role.manager, org_id=ids["YJWY"]))
        await add_ticket(uow, "XGY", NOV, reporter_id=people["王秀兰"], description="named")
        await add_ticket(uow, "LHY", NOV, reporter_id=people["李建国"], anonymous=True,
                         description="anonymous")
        await add_ticket(uow, "JGJY", NOV, source=Source.hotline, caller_phone="13812341234",
                         external_ref="H-1", description="hotline", rating=3)
        await add_ticket(uow, "FJY", datetime(2026, 9, 1, tzinfo=timezone.utc), description="old")
        await uow.commit()
    return {**ids, **people}


async def rows(uow_factory: UowFactory, viewer: int | None = None) -> dict[str, ExportRow]:
    start, end = parse_period("2026Q4").bounds()
    async with uow_factory() as uow:
        return {r.description: r async for r in export_tickets(uow, start, end, unmasked_for=viewer)}


async def test_masked_by_default(uow_factory: UowFactory) -> None:
    await seed(uow_factory)
    out = await rows(uow_factory)
    assert sorted(out) == ["anonymous", "hotline", "named"]  # "old" is in Q3
    assert (out["named"].reporter, out["named"].phone) == ("王秀兰", "139****5678")
    assert (out["anonymous"].reporter_kind, out["anonymous"].reporter, out["anonymous"].phone) == (
        "anonymous", None, None)
    h = out["hotline"]
    assert (h.reporter_kind, h.phone, h.external_ref, h.satisfaction) == ("hotline", "138****1234", "H-1", "basic")
    assert h.compound_code == "JGJY" and h.received_at == NOV


async def test_unmasked_only_for_admins(uow_factory: UowFactory) -> None:
    ids = await seed(uow_factory)
    out = await rows(uow_factory, ids["林涛"])
    assert (out["anonymous"].reporter, out["anonymous"].phone) == ("李建国", "13698765432")
    assert out["hotline"].phone == "13812341234"
    for viewer in (ids["周强"], ids["王秀兰"], 99999):
        with pytest.raises(DomainError) as err:
            await rows(uow_factory, viewer)
        assert err.value.code == "export_not_admin"


def test_mask_phone() -> None:
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("12345") == "****"
    assert mask_phone(None) is None and mask_phone("") is None


async def test_cli_export_csv_and_refusal(uow_factory: UowFactory, tmp_path: Path) -> None:
    ids = await seed(uow_factory)
    out = tmp_path / "t.csv"
    lines: list[str] = []
    args = argparse.Namespace(command="export", export_action="tickets", period=None,
                              date_from="2026-10-01", date_to="2026-12-31", format="csv",
                              output=out, unmasked=False, as_account=None)
    assert await run(args, uow_factory, out=lines.append) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("工单号,受理时间,小区编码,小区,类别")
    assert "139****5678" in text and "13912345678" not in text and "李建国" not in text
    assert "（已隐藏）" in text and "12345 热线" in text and "2026-11-10 10:00" in text
    assert lines[0] == f"已导出 3 件工单到 {out}。"
    args.unmasked, args.as_account = True, ids["周强"]
    with pytest.raises(DomainError) as err:
        await run(args, uow_factory, out=lines.append)
    assert err.value.code == "export_not_admin"
    args.as_account = None
    with pytest.raises(DomainError) as err2:
        await run(args, uow_factory, out=lines.append)
    assert err2.value.code == "export_needs_admin"
    args.as_account = ids["林涛"]
    assert await run(args, uow_factory, out=lines.append) == 0
    assert "13698765432" in out.read_text(encoding="utf-8-sig")
