"""Whistle figures for a period (whistles called in [start, end)): how many whistles, by the
caller's level (community → street departments; street → district departments, the
"district dispatch sessions"), and per department: how often it was called, its report-in
rate and its on-time arrival rate.

A rate counts only decided duties: done, or past their deadline (a duty cancelled by an
early close before its deadline, or still running, is left out). On time means done by the
deadline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from storage.models import Duty, DutyState, OrgKind, Whistle
from storage.uow import UnitOfWork


@dataclass
class Tally:
    on_time: int = 0
    decided: int = 0

    @property
    def rate(self) -> float | None:
        return None if self.decided == 0 else self.on_time / self.decided

    def add(self, duty: Duty, now: datetime) -> None:
        done = duty.state == DutyState.done and duty.done_at is not None
        if done or now >= duty.due_at:
            self.decided += 1
            self.on_time += bool(done and duty.done_at is not None and duty.done_at <= duty.due_at)


@dataclass
class DepartmentRow:
    department_id: int
    code: str
    name: str
    called: int = 0
    reported_in: int = 0  # at all
    arrived: int = 0
    neither: int = 0
    report_in: Tally = field(default_factory=Tally)
    on_site: Tally = field(default_factory=Tally)


@dataclass
class WhistleFigures:
    whistles: int = 0
    by_caller: dict[str, int] = field(default_factory=dict)  # "community" | "street" → count
    closed: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    departments: list[DepartmentRow] = field(default_factory=list)


async def figures(
    uow: UnitOfWork, start: datetime, end: datetime, compound_ids: Sequence[int] | None = None
) -> WhistleFigures:
    rows: list[Whistle] = [
        w
        for w in await uow.whistles.in_period(start, end)
        if compound_ids is None or w.compound_id in compound_ids
    ]
    out = WhistleFigures(whistles=len(rows))
    callers: dict[int, str] = {}
    for w in rows:
        if w.caller_org_id not in callers:
            node = await uow.org.get(w.caller_org_id)
            callers[w.caller_org_id] = (
                "street" if node is not None and node.kind == OrgKind.street else "community"
            )
        level = callers[w.caller_org_id]
        out.by_caller[level] = out.by_caller.get(level, 0) + 1
        if w.outcome is not None:
            out.closed += 1
            out.outcomes[str(w.outcome)] = out.outcomes.get(str(w.outcome), 0) + 1
    ids = [w.id for w in rows if w.id is not None]
    by_dept: dict[int, DepartmentRow] = {}

    async def row_of(dept_id: int) -> DepartmentRow:
        if dept_id not in by_dept:
            node = await uow.org.get(dept_id)
            by_dept[dept_id] = DepartmentRow(dept_id, node.code if node else "?", node.name if node else "?")
        return by_dept[dept_id]

    for c in await uow.whistles.calls_of(ids):
        r = await row_of(c.department_id)
        r.called += 1
        r.reported_in += c.reported_in_at is not None
        r.arrived += c.arrived_at is not None
        r.neither += c.reported_in_at is None and c.arrived_at is None
    now = uow.clock.now()
    for d in await uow.whistles.duties_of(ids):
        if d.holder_org_id is None:
            continue
        r = await row_of(d.holder_org_id)
        (r.report_in if d.what == "report_in" else r.on_site).add(d, now)
    out.departments = sorted(by_dept.values(), key=lambda r: (r.code, r.department_id))
    return out
