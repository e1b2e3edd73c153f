"""`gongzhi report whistles|councils …` and the department table of `gongzhi report metrics
--level department`: the 吹哨报到 record and figures, the 议事 councils of a period.

    gongzhi report whistles --period 2026Q4 --format csv|xlsx [--output FILE]
    gongzhi report metrics --period 2026Q4 --level department [--format xlsx]
    gongzhi report councils --period 2026Q4 [--format csv|xlsx] [--output FILE]

One row of ``report whistles`` is one department called by one whistle: when it reported in,
when it arrived, whether it did neither, and the whistle's outcome.
"""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any

from bot import cli_councils
from bot.report_files import Percent, write_table
from locales import t
from services import periods, whistle, whistle_metrics
from storage.uow import UowFactory

Out = Callable[[str], None]
ACTIONS = ("whistles", "councils")
WHISTLE_COLUMNS = (
    "whistle",
    "called-at",
    "kind",
    "compound",
    "subject",
    "caller",
    "problem",
    "department",
    "reported-in-at",
    "arrived-at",
    "neither",
    "missed",
    "state",
    "outcome",
    "note",
)
DEPARTMENT_COLUMNS = (
    "code",
    "name",
    "called",
    "reported-in",
    "arrived",
    "neither",
    "report-in-rate",
    "on-time-rate",
)


def register(rsub: Any, period_args: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add `whistles` and `councils` under `gongzhi report` (cli_reports.register calls it)."""
    for name, help_ in (
        ("whistles", "吹哨报到 record: who was called, reported in, arrived"),
        ("councils", "议事 councils, their items and decisions with follow-up"),
    ):
        p = rsub.add_parser(name, help=help_)
        period_args(p)
        p.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        p.add_argument("--output", type=Path, default=None)


def _path(args: argparse.Namespace, stem: str) -> Path | None:
    if args.output is not None or args.format == "csv":
        return args.output  # type: ignore[no-any-return]
    return Path(f"{stem}.xlsx")


def _title(locale: str, key: str, period: periods.Period) -> str:
    return t(locale, key, period=period.label, start=period.start.isoformat(), end=period.end.isoformat())


async def run(args: argparse.Namespace, uow_factory: UowFactory, locale: str, tz: str, out: Out) -> int:
    if args.report_action == "councils":
        return await cli_councils.councils_report(args, uow_factory, locale, tz, out)
    return await _whistles(args, uow_factory, locale, tz, out)


async def _whistles(args: argparse.Namespace, uow_factory: UowFactory, locale: str, tz: str, out: Out) -> int:
    period = periods.resolve(args.period, args.date_from, args.date_to)
    start, end = period.bounds(tz)
    async with uow_factory() as uow:
        figures = await whistle_metrics.figures(uow, start, end)
        rows_in = await uow.whistles.in_period(start, end)

        async def rows() -> AsyncIterator[Sequence[Any]]:
            for w in rows_in:
                rec = await whistle.record(uow, None, w.id or 0)
                compound = await uow.org.get(w.compound_id)
                caller = await uow.org.get(w.caller_org_id)
                for c in rec.calls:
                    missed = [
                        k for k, v in (("report_in", c.missed_report_in), ("on_site", c.missed_on_site)) if v
                    ]
                    yield [
                        w.id,
                        w.called_at,
                        t(locale, f"whistle-kind-{w.kind}"),
                        compound.name if compound else "?",
                        rec.ticket_number or t(locale, "whistle-on-item"),
                        caller.name if caller else "?",
                        w.problem,
                        c.department,
                        c.reported_in_at,
                        c.arrived_at,
                        t(locale, "report-yes") if c.reported_in_at is None and c.arrived_at is None else "",
                        "、".join(t(locale, f"whistle-what-{m.replace('_', '-')}") for m in missed),
                        t(locale, f"whistle-state-{w.state}"),
                        t(locale, f"whistle-outcome-{w.outcome}") if w.outcome else "",
                        w.outcome_note or "",
                    ]

        headers = [t(locale, f"whistles-col-{c}") for c in WHISTLE_COLUMNS]
        path = _path(args, f"whistles-{period.label.replace('..', '_')}")
        n = await write_table(
            path,
            args.format,
            headers,
            rows(),
            tz=tz,
            title=_title(locale, "whistles-title", period),
            sheet=t(locale, "whistles-sheet"),
        )
    if path is not None:  # (a CSV on stdout stays a clean table)
        out(t(locale, "whistles-written", path=str(path), rows=n))
        out(_whistle_summary(locale, figures))
    return 0


async def department_metrics(
    args: argparse.Namespace, uow_factory: UowFactory, locale: str, tz: str, out: Out
) -> int:
    """`report metrics --level department`: whistle figures per department."""
    period = periods.resolve(args.period, args.date_from, args.date_to)
    start, end = period.bounds(tz)
    async with uow_factory() as uow:
        compounds = None
        if args.within:
            node = await uow.org.by_code(args.within)
            compounds = [n.id for n in await uow.org.descendants(node.id or 0) if n.id] if node else []
        figures = await whistle_metrics.figures(uow, start, end, compounds)

    def rate(v: float | None) -> Percent | None:
        return None if v is None else Percent(v)

    async def rows() -> AsyncIterator[Sequence[Any]]:
        for r in figures.departments:
            yield [
                r.code,
                r.name,
                r.called,
                r.reported_in,
                r.arrived,
                r.neither,
                rate(r.report_in.rate),
                rate(r.on_site.rate),
            ]

    headers = [t(locale, f"dept-metrics-col-{c}") for c in DEPARTMENT_COLUMNS]
    path = _path(args, f"metrics-{period.label.replace('..', '_')}-department")
    n = await write_table(
        path,
        args.format,
        headers,
        rows(),
        tz=tz,
        title=_title(locale, "dept-metrics-title", period),
        sheet=t(locale, "dept-metrics-sheet"),
    )
    if path is not None:
        out(t(locale, "metrics-written", path=str(path), rows=n))
        out(_whistle_summary(locale, figures))
    return 0


def _whistle_summary(locale: str, figures: whistle_metrics.WhistleFigures) -> str:
    """Whistles in the period, by the caller's level, and how many are closed."""
    return t(
        locale,
        "whistles-summary",
        whistles=figures.whistles,
        community=figures.by_caller.get("community", 0),
        street=figures.by_caller.get("street", 0),
        closed=figures.closed,
    )
