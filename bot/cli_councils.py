"""`gongzhi report councils --period … [--format csv|xlsx] [--output FILE]`: the 议事 councils
held in a period, their agenda items and the decisions with their follow-up state (one row per
decision; an item without a decision, or a council without items, has a row of its own)."""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any

from bot.report_files import write_table
from locales import t
from services import periods
from storage.models import CouncilDecision, CouncilItem
from storage.uow import UnitOfWork, UowFactory

Out = Callable[[str], None]
COLUMNS = (
    "council",
    "kind",
    "org",
    "title",
    "meet-at",
    "state",
    "item",
    "item-state",
    "decision",
    "responsible",
    "deadline",
    "link",
    "follow-up",
)


async def _follow_up(uow: UnitOfWork, d: CouncilDecision, locale: str) -> str:
    if d.done_at is not None:
        return t(locale, "councils-done")
    late = any(x.state == "missed" for x in await uow.aggregates.duties("decision", d.id or 0))
    return t(locale, "councils-overdue" if late else "councils-open")


async def _who(uow: UnitOfWork, d: CouncilDecision) -> str:
    if d.responsible_org_id is not None:
        org = await uow.org.get(d.responsible_org_id)
        return org.name if org else "?"
    acc = await uow.accounts.get(d.responsible_account_id or 0)
    return acc.display_name if acc else "?"


async def councils_report(
    args: argparse.Namespace, uow_factory: UowFactory, locale: str, tz: str, out: Out
) -> int:
    period = periods.resolve(args.period, args.date_from, args.date_to)
    start, end = period.bounds(tz)
    async with uow_factory() as uow:
        councils = await uow.councils.in_period(start, end)

        async def rows() -> AsyncIterator[Sequence[Any]]:
            for c in councils:
                org = await uow.org.get(c.org_id)
                head = [
                    c.id,
                    t(locale, f"council-kind-{c.kind}"),
                    org.name if org else "?",
                    c.title,
                    c.meet_at,
                    t(locale, f"council-state-{c.state}"),
                ]
                items: Sequence[CouncilItem] = await uow.councils.items(c.id or 0)
                decisions = await uow.councils.decisions(c.id or 0)
                if not items:
                    yield [*head, *[""] * 7]
                for i in items:
                    item = [i.text, t(locale, f"council-item-{i.state}")]
                    mine = [d for d in decisions if d.item_id == i.id]
                    if not mine:
                        yield [*head, *item, *[""] * 5]
                    for d in mine:
                        link = "" if d.link_kind is None else f"{d.link_kind} {d.link_id}"
                        if d.link_kind == "ticket" and d.link_id is not None:
                            ticket = await uow.tickets.get(d.link_id)
                            link = ticket.number if ticket else link
                        yield [
                            *head,
                            *item,
                            d.text,
                            await _who(uow, d),
                            d.deadline.isoformat(),
                            link,
                            await _follow_up(uow, d, locale),
                        ]

        path: Path | None = args.output if args.output is not None or args.format == "csv" else None
        if path is None and args.format == "xlsx":
            path = Path(f"councils-{period.label.replace('..', '_')}.xlsx")
        headers = [t(locale, f"councils-col-{c}") for c in COLUMNS]
        title = t(
            locale,
            "councils-title",
            period=period.label,
            start=period.start.isoformat(),
            end=period.end.isoformat(),
        )
        n = await write_table(
            path, args.format, headers, rows(), tz=tz, title=title, sheet=t(locale, "councils-sheet")
        )
    if path is not None:
        out(t(locale, "councils-written", path=str(path), rows=n, councils=len(councils)))
    return 0
