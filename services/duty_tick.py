"""The tick over the duties of every governance aggregate: the one explicit list of the
aggregates that owe deadlines (add an aggregate's spec here when it opens duties)."""

from __future__ import annotations

from typing import Any

from services import funds, matters
from services.aggregate import AggregateSpec
from services.duties import DutyReport, OnDuty, run_duties
from storage.uow import UowFactory

SPECS: tuple[AggregateSpec[Any], ...] = (matters.SPEC, funds.SPEC)


def handlers(specs: tuple[AggregateSpec[Any], ...] = SPECS) -> dict[str, OnDuty]:
    return {s.name: s.on_duty for s in specs if s.on_duty is not None}


async def run(uow_factory: UowFactory) -> DutyReport:
    return await run_duties(uow_factory, handlers())
