"""`gongzhi report|hotline|export …`: metrics tables, the quarterly ranking, 12345 hotline
intake and ticket exports.

    gongzhi report metrics --period 2026Q3 --format csv|xlsx
        [--level compound|company|community|street|district]
                           [--within ORG_CODE] [--output FILE]
    gongzhi report metrics --from 2026-10-01 --to 2026-12-31 ...
    gongzhi report metrics --period 2026Q4 --level department     (吹哨报到 rates: bot/cli_governance.py)
    gongzhi report whistles|councils --period 2026Q4 --format csv|xlsx [--output FILE]
    gongzhi report ranking --period 2026Q3 [--district PG] [--top 10] [--min-count 3] [--send]
    gongzhi hotline import FILE.csv [--dry-run]          (columns: see services/hotline.py)
    gongzhi export tickets --from 2026-10-01 --to 2026-12-31 --format csv|xlsx [--output FILE]
                           [--as ADMIN_ACCOUNT_ID [--unmasked]]

``--as``: only the tickets under the nodes where that account holds the admin role;
``--unmasked`` (needs ``--as``): full phones and reporters, recorded in the audit log.

Exit codes: 0 done; 1 hotline import with rejected rows (the valid rows are stored);
2 refused (bad period, unmasked export by a non-admin, missing file, …).
"""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot import cli_funds, cli_governance
from bot.cli_support import input_file
from bot.report_files import Percent, write_table
from locales import t
from locales.problems import message as problem_message
from locales.problems import where as problem_where
from services import export, hotline, metrics, periods, ranking, refusals
from services.errors import DomainError
from storage.models import OrgKind
from storage.uow import UowFactory

Out = Callable[[str], None]
METRIC_COLUMNS = (
    "code",
    "name",
    "compounds",
    "total",
    "valid",
    "responded",
    "response-pending",
    "resolved",
    "resolution-pending",
    "bounced",
    "rated",
    "satisfied",
    "basic",
    "response-rate",
    "resolution-rate",
    "satisfaction-rate",
    "composite",
    "standard-rate",
    "rectification-rate",
)


def register(subparsers: Any) -> None:
    """Add `report`, `hotline` and `export` to the `gongzhi` parser, each run by cmd_reports."""
    rep = subparsers.add_parser("report", help="接诉即办 rates and the quarterly hotline ranking")
    rsub = rep.add_subparsers(dest="report_action", required=True)
    m = rsub.add_parser("metrics", help="rates per compound, company, community or street")
    _period_args(m)
    m.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    m.add_argument("--level", choices=[*metrics.LEVELS, "department"], default="compound")
    m.add_argument("--within", default=None, help="only the compounds under this org code")
    m.add_argument("--output", type=Path, default=None)
    cli_funds.register(rsub)  # `report funds` (its own func)
    cli_governance.register(rsub, _period_args)  # report whistles, report councils
    r = rsub.add_parser("ranking", help="compounds with the most 12345 complaints in a quarter")
    r.add_argument("--period", required=True, help="a quarter, e.g. 2026Q3")
    r.add_argument("--district", default=None, help="district code (default: every district)")
    r.add_argument("--top", type=int, default=10)
    r.add_argument("--min-count", type=int, default=3)
    r.add_argument("--send", action="store_true", help="also notify street officers and admins")
    hot = subparsers.add_parser("hotline", help="12345 hotline intake")
    hsub = hot.add_subparsers(dest="hotline_action", required=True)
    imp = hsub.add_parser("import", help="create tickets from a hotline CSV export")
    imp.add_argument("file", type=input_file)
    imp.add_argument("--dry-run", action="store_true", help="check the file, store nothing")
    exp = subparsers.add_parser("export", help="export tickets")
    esub = exp.add_subparsers(dest="export_action", required=True)
    tk = esub.add_parser("tickets", help="tickets received in a period")
    _period_args(tk)
    tk.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    tk.add_argument("--output", type=Path, default=None)
    tk.add_argument("--unmasked", action="store_true", help="full phones and reporters (admins only)")
    tk.add_argument("--as", dest="as_account", type=int, default=None, metavar="ADMIN_ACCOUNT_ID")
    for parser in (rep, hot, exp):
        parser.set_defaults(func=cmd_reports)


def _period_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", default=None, help="2026Q3, 2026-11")
    p.add_argument("--from", dest="date_from", default=None, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", default=None, metavar="YYYY-MM-DD")


async def cmd_reports(args: argparse.Namespace, settings: Any) -> int:
    """Runner in the shape bot/cli.py expects: opens the configured database."""
    from bot.app import open_database, uow_factory_for

    engine = await open_database(settings, auto_upgrade=False)
    try:
        locale = getattr(args, "lang", None) or settings.locale
        window = hotline.DateWindow(settings.hotline_earliest, timedelta(hours=settings.hotline_future_hours))
        return await run(
            args,
            uow_factory_for(settings, engine),
            locale=locale,
            tz=settings.timezone,
            max_content=settings.max_description,
            window=window,
        )
    finally:
        await engine.dispose()


async def run(
    args: argparse.Namespace,
    uow_factory: UowFactory,
    *,
    locale: str = "zh_CN",
    tz: str = "Asia/Shanghai",
    max_content: int = 2000,
    out: Out = print,
    window: hotline.DateWindow | None = None,
) -> int:
    if args.command == "report" and args.report_action == "metrics" and args.level == "department":
        return await cli_governance.department_metrics(args, uow_factory, locale, tz, out)
    if args.command == "report" and args.report_action == "metrics":
        return await _metrics(args, uow_factory, locale, tz, out)
    if args.command == "report" and args.report_action in cli_governance.ACTIONS:
        return await cli_governance.run(args, uow_factory, locale, tz, out)
    if args.command == "report":
        return await _ranking(args, uow_factory, locale, out)
    if args.command == "hotline":
        return await _hotline(args, uow_factory, locale, tz, max_content, out, window)
    return await _export(args, uow_factory, locale, tz, out)


def _say(locale: str, out: Out, key: str, **params: Any) -> None:
    out(t(locale, key, **params))


def _default_path(args: argparse.Namespace, stem: str) -> Path | None:
    if args.output is not None or args.format == "csv":
        return args.output  # type: ignore[no-any-return]
    return Path(f"{stem}.xlsx")


def _title(locale: str, key: str, period: periods.Period, **params: Any) -> str:
    """The XLSX title row: the report, its period and the period's first and last day."""
    return t(
        locale, key, period=period.label, start=period.start.isoformat(), end=period.end.isoformat(), **params
    )


async def _metrics(args: argparse.Namespace, uow_factory: UowFactory, locale: str, tz: str, out: Out) -> int:
    period = periods.resolve(args.period, args.date_from, args.date_to)
    async with uow_factory() as uow:
        within = None
        if args.within:
            node = await uow.org.by_code(args.within)
            if node is None:
                raise DomainError("org_not_found", org_code=args.within)
            within = node.id
        groups = await metrics.metrics_by_level(uow, period, args.level, within=within, tz=tz)

    def rate(v: float | None) -> Percent | None:
        return None if v is None else Percent(v)

    async def rows() -> AsyncIterator[Sequence[Any]]:
        for g in groups:
            c, r = g.counts, g.rates
            yield [
                g.code,
                g.name,
                g.compounds,
                c.total,
                c.valid,
                c.responded_on_time,
                c.response_pending,
                c.resolved,
                c.resolution_pending,
                c.bounced,
                c.rated,
                c.satisfied,
                c.basic,
                rate(r.response),
                rate(r.resolution),
                rate(r.satisfaction),
                None if r.composite is None else round(r.composite, 1),
                rate(r.service_standard),
                rate(r.rectification),
            ]

    headers = [t(locale, f"metrics-col-{c}") for c in METRIC_COLUMNS]
    path = _default_path(args, f"metrics-{period.label.replace('..', '_')}-{args.level}")
    title = _title(locale, "metrics-title", period, level=t(locale, f"metrics-level-{args.level}"))
    n = await write_table(
        path, args.format, headers, rows(), tz=tz, title=title, sheet=t(locale, "metrics-sheet")
    )
    if path is not None:
        _say(locale, out, "metrics-written", path=str(path), rows=n)
    return 0


async def _ranking(args: argparse.Namespace, uow_factory: UowFactory, locale: str, out: Out) -> int:
    quarter = ranking.as_quarter(args.period)
    async with uow_factory() as uow:
        districts = await uow.org.all(OrgKind.district)
        if args.district:
            districts = [d for d in districts if d.code == args.district]
            if not districts:
                raise DomainError("org_not_found", org_code=args.district)
        for d in districts:
            assert d.id is not None
            rows = await ranking.quarterly_ranking(uow, d.id, quarter, top=args.top, min_count=args.min_count)
            common = {"district": d.name, "quarter": quarter.label, "min": args.min_count}
            if not rows:
                _say(locale, out, "ranking-empty", **common)
                continue
            _say(locale, out, "ranking-head", top=args.top, **common)
            for r in rows:
                _say(locale, out, "ranking-line", rank=r.rank, name=r.name, code=r.code, count=r.count)
        if args.send:
            sent = await ranking.send_quarter_ranking(uow, quarter, top=args.top, min_count=args.min_count)
            await uow.commit()
            _say(locale, out, "ranking-sent", count=sent)
    return 0


async def _hotline(
    args: argparse.Namespace,
    uow_factory: UowFactory,
    locale: str,
    tz: str,
    max_content: int,
    out: Out,
    window: hotline.DateWindow | None = None,
) -> int:
    path: Path = args.file
    if not path.is_file():
        raise DomainError("file_not_found", path=str(path))
    text = hotline.decode(path.read_bytes())
    async with uow_factory() as uow:
        report = await hotline.import_orders(
            uow, text, max_content=max_content, tz=tz, window=window, dry_run=args.dry_run
        )
        if not args.dry_run:
            await uow.commit()
    for number in report.created:
        _say(locale, out, "hotline-created-line", number=number)
    for row, order in report.would_create:  # a dry run has no ticket numbers
        _say(locale, out, "hotline-would-create-line", row=row, order=order)
    for key, issues in (
        ("hotline-duplicate-problem", report.duplicates),
        ("hotline-rejected-problem", report.rejected),
    ):
        for i in issues:
            _say(
                locale,
                out,
                key,
                where=problem_where(locale, i.problem),
                order=i.order_no or "-",
                message=problem_message(locale, i.problem),
            )
    rejected = len({i.row for i in report.rejected})  # rows (a row may have several problems)
    if args.dry_run:
        _say(
            locale,
            out,
            "hotline-dry-run-summary",
            would=len(report.would_create),
            duplicates=len(report.duplicates),
            rejected=rejected,
        )
    else:
        _say(
            locale,
            out,
            "hotline-summary",
            created=len(report.created),
            duplicates=len(report.duplicates),
            rejected=rejected,
        )
    return 1 if report.rejected else 0


async def _export(args: argparse.Namespace, uow_factory: UowFactory, locale: str, tz: str, out: Out) -> int:
    period = periods.resolve(args.period, args.date_from, args.date_to)
    start, end = period.bounds(tz)
    headers = [t(locale, f"export-col-{f.replace('_', '-')}") for f in export.EXPORT_FIELDS]
    try:
        async with uow_factory() as uow:
            grant = await export.authorize(
                uow, start, end, as_account=args.as_account, unmasked=args.unmasked, format=args.format
            )
            await uow.commit()  # the audit row of an unmasked export is stored before any row is read
    except DomainError as err:  # a refused export is audited too (services/refusals.py)
        async with uow_factory() as uow:
            known = args.as_account is not None and await uow.accounts.get(args.as_account) is not None
            where = {"command": "export", "as": str(args.as_account), "unmasked": str(args.unmasked)}
            if await refusals.record(uow, args.as_account if known else None, err, where):
                await uow.commit()
        raise
    async with uow_factory() as uow:

        async def rows() -> AsyncIterator[Sequence[Any]]:
            async for r in export.export_tickets(uow, start, end, grant):
                yield _export_cells(r, locale)

        path = _default_path(args, f"tickets-{period.label.replace('..', '_')}")
        n = await write_table(
            path,
            args.format,
            headers,
            rows(),
            tz=tz,
            title=_title(locale, "export-title", period),
            sheet=t(locale, "export-sheet"),
        )
    if path is not None:
        _say(locale, out, "export-written", rows=n, path=str(path))
        if not grant.unmasked:
            _say(locale, out, "export-masked-note")
    return 0


def _export_cells(r: export.ExportRow, locale: str) -> list[Any]:
    """Keys → names in the reader's language; hidden reporters marked as such."""
    names = {
        "category": f"category-{r.category}",
        "priority": f"priority-{r.priority}",
        "source": f"export-source-{r.source}",
        "state": f"state-{r.state}",
        "queue": f"export-queue-{r.queue}",
        "reporter_kind": f"export-reporter-{r.reporter_kind}",
    }
    cells: list[Any] = []
    for field in export.EXPORT_FIELDS:
        v = getattr(r, field)
        if field in names:
            v = t(locale, names[field])
        elif field == "satisfaction" and v is not None:
            v = t(locale, f"satisfaction-{v}")
        elif field == "reject_reason" and v is not None:
            v = t(locale, f"reject-reason-{v.replace('_', '-')}")
        elif field == "reporter" and v is None and r.reporter_kind in ("named", "anonymous"):
            v = t(locale, "export-hidden")
        cells.append(v)
    return cells
