"""Report-in and on-site deadlines per whistle type (domain-rules.md, 吹哨报到), as policy rows
editable with ``gongzhi sla whistle``; a type without a row uses the built-in default:

* 应急 emergency: report in within 15 min, on site within 30 min, 24×7;
* 攻坚 hard: 1 working day / 3 working days;
* 日常 routine: 4 working hours / 2 working days.
"""

from __future__ import annotations

from datetime import timedelta

from services.errors import DomainError
from services.sla import span_columns, span_of
from services.sla_defaults import Span
from storage.models import WhistleKind, WhistlePolicy
from storage.uow import UnitOfWork

TARGETS = ("report_in", "on_site")

DEFAULTS: dict[WhistleKind, tuple[Span, Span]] = {
    WhistleKind.emergency: (
        Span("24x7", time=timedelta(minutes=15)),
        Span("24x7", time=timedelta(minutes=30)),
    ),
    WhistleKind.hard: (Span("business", business_days=1), Span("business", business_days=3)),
    WhistleKind.routine: (Span("business", time=timedelta(hours=4)), Span("business", business_days=2)),
}


def _kind(kind: str) -> WhistleKind:
    try:
        return WhistleKind(kind)
    except ValueError:
        raise DomainError("unknown_whistle_kind", kind=kind) from None


async def seed_defaults(uow: UnitOfWork) -> int:
    now = uow.clock.now()
    added = 0
    for kind, (report_in, on_site) in DEFAULTS.items():
        values = {
            "kind": kind.value,
            "updated_at": now,
            **span_columns("report_in", report_in),
            **span_columns("on_site", on_site),
        }
        added += await uow.whistles.seed_policy(values)
    return added


def row_spans(row: WhistlePolicy) -> tuple[Span, Span]:
    report_in = span_of(row.report_in_clock, row.report_in_minutes, row.report_in_business_days)
    on_site = span_of(row.on_site_clock, row.on_site_minutes, row.on_site_business_days)
    assert report_in is not None and on_site is not None
    return report_in, on_site


async def spans(uow: UnitOfWork, kind: str) -> tuple[Span, Span]:
    """(report in, on site) for a whistle type: its row, else the default."""
    k = _kind(kind)
    row = await uow.whistles.policy(k.value)
    return row_spans(row) if row is not None else DEFAULTS[k]


async def span_for(uow: UnitOfWork, kind: str, what: str) -> Span:
    report_in, on_site = await spans(uow, kind)
    return report_in if what == "report_in" else on_site


async def set_policy(uow: UnitOfWork, kind: str, changes: dict[str, Span]) -> WhistlePolicy:
    k = _kind(kind)
    if unknown := set(changes) - set(TARGETS):
        raise DomainError("unknown_target", target=sorted(unknown)[0])
    row = await uow.whistles.policy(k.value)
    if row is None:
        report_in, on_site = DEFAULTS[k]
        row = WhistlePolicy(
            kind=k.value, **span_columns("report_in", report_in), **span_columns("on_site", on_site)
        )
        uow.whistles.add_policy(row)
    for name, span in changes.items():
        for key, value in span_columns(name, span).items():
            setattr(row, key, value)
    row.updated_at = uow.clock.now()
    await uow.flush()
    return row


async def listing(uow: UnitOfWork) -> list[tuple[str, Span, Span]]:
    rows = {r.kind: r for r in await uow.whistles.policies()}
    return [(k.value, *(row_spans(rows[k.value]) if k.value in rows else DEFAULTS[k])) for k in DEFAULTS]
