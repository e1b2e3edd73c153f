"""The tick over the duties of every governance aggregate: the one explicit list of the
aggregates that owe deadlines (add an aggregate's spec here when it opens duties)."""

from __future__ import annotations

from typing import Any

from services import funds, matters
from services.aggregate import AggregateSpec
from services.council_spec import SPEC as COUNCIL
from services.decision_spec import SPEC as DECISION
from services.duties import DutyReport, OnDuty, run_duties
from services.whistle_spec import SPEC as WHISTLE
from storage.uow import UowFactory

SPECS: tuple[AggregateSpec[Any], ...] = (matters.SPEC, funds.SPEC, WHISTLE, COUNCIL, DECISION)


def handlers(specs: tuple[AggregateSpec[Any], ...] = SPECS) -> dict[str, OnDuty]:
    return {s.name: s.on_duty for s in specs if s.on_duty is not None}


async def run(uow_factory: UowFactory) -> DutyReport:
    return await run_duties(uow_factory, handlers())
