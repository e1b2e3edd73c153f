"""The whistle record and figures: `gongzhi report whistles` rows (who was called, reported
in when, arrived when, did neither; the outcome), per-department rates in `gongzhi report
metrics --level department` and in the street digest; a period with 100+ whistles."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import cli_reports
from bot.cli import build_parser
from handlers import whistle_digest
from locales import render
from services import whistle
from services.duty_tick import run as run_duties
from storage.clock import FrozenClock
from storage.uow import UowFactory, make_uow_factory
from tests.storage.whistle_world import WhistleWorld, build


async def _report(w: WhistleWorld, tmp_path: Path, *argv: str) -> tuple[list[list[str]], list[str]]:
    out: list[str] = []
    path = tmp_path / "out.csv"
    args = build_parser().parse_args(["report", *argv, "--period", "2026Q4", "--output", str(path)])
    assert await cli_reports.run(args, w.f, out=out.append) == 0
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")))), out


async def _blow(w: WhistleWorld, actor_key: str, depts: list[str]) -> int:
    async with w.f() as uow:
        row = await whistle.blow(
            uow,
            getattr(w, actor_key),
            w.target,
            kind="emergency",
            department_ids=[w.dept[d] for d in depts],
            problem="消防通道堵塞",
            place="北门",
            meet_at=w.clock.now(),
        )
        await uow.commit()
    return row.id or 0


async def test_record_rows_department_rates_and_digest(
    uow_factory: UowFactory, clock: FrozenClock, tmp_path: Path
) -> None:
    w = await build(uow_factory, clock)
    wid = await _blow(w, "community", ["BH-CG", "BH-WYB"])
    w.later(5)
    async with w.f() as uow:
        await whistle.report_in(uow, w.cg, wid, w.dept["BH-CG"])
        await uow.commit()
    w.later(15)
    async with w.f() as uow:
        await whistle.arrive(uow, w.cg, wid, w.dept["BH-CG"])
        await uow.commit()
    w.later(15)
    await run_duties(w.f)
    async with w.f() as uow:
        await whistle.close(uow, w.community, wid, "resolved", "已疏通")
        await uow.commit()
    table, _ = await _report(w, tmp_path, "whistles")
    head, rows = table[0], table[1:]
    col = {name: head.index(name) for name in head}
    by_dept = {r[col["被召集部门"]]: r for r in rows}
    cg, wyb = by_dept["滨河街道城管执法队"], by_dept["滨河街道物业管理办公室"]
    assert (cg[col["报到时间"]], cg[col["到场时间"]], cg[col["未报到也未到场"]]) == (
        "2026-11-25 10:05",
        "2026-11-25 10:20",
        "",
    )
    assert (wyb[col["报到时间"]], wyb[col["未报到也未到场"]], wyb[col["超时"]]) == ("", "是", "报到、到场")
    assert {r[col["结果"]] for r in rows} == {"已解决"} and cg[col["工单/事项"]] == "PG-2026-000001"
    table, out = await _report(w, tmp_path, "metrics", "--level", "department")
    rates = {r[1]: (r[2], r[6], r[7]) for r in table[1:]}
    assert rates == {
        "滨河街道城管执法队": ("1", "100.0%", "100.0%"),
        "滨河街道物业管理办公室": ("1", "0.0%", "0.0%"),
    }
    assert "吹哨 1 次（社区吹哨 1 次，街道吹哨召集区级部门 0 次），已结束 1 次。" in out
    async with w.f() as uow:
        compound_ids = [w.compound_id]
        lines = await whistle_digest.lines(uow, compound_ids, clock.now() - timedelta(days=7), clock.now())
    text = [render("zh_CN", m) for m in lines]
    assert text[0] == "吹哨报到：1 次（已结束 1 次）"
    assert "· 滨河街道物业管理办公室：召集 1 次，按时报到率 0%，按时到场率 0%" in text


async def test_a_period_with_a_hundred_whistles_and_seven_district_dispatches(
    sqlite_engine: AsyncEngine, clock: FrozenClock, tmp_path: Path
) -> None:
    w = await build(make_uow_factory(sqlite_engine, clock), clock)
    for _ in range(101):
        await _blow(w, "community", ["BH-CG"])
    for _ in range(7):
        await _blow(w, "street", ["PG-ZJW"])
    table, out = await _report(w, tmp_path, "whistles")
    assert len(table) == 1 + 108
    assert "吹哨 108 次（社区吹哨 101 次，街道吹哨召集区级部门 7 次），已结束 0 次。" in out


@pytest.mark.parametrize("fmt", ["xlsx"])
async def test_whistle_report_as_xlsx(
    uow_factory: UowFactory, clock: FrozenClock, tmp_path: Path, fmt: str
) -> None:
    w = await build(uow_factory, clock)
    await _blow(w, "community", ["BH-CG"])
    out: list[str] = []
    path = tmp_path / "w.xlsx"
    args = build_parser().parse_args(
        ["report", "whistles", "--period", "2026Q4", "--format", fmt, "--output", str(path)]
    )
    assert await cli_reports.run(args, w.f, out=out.append) == 0
    assert path.stat().st_size > 0 and out[0] == f"已写入 {path}（1 行）。"
