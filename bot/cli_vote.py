"""`gongzhi vote tally`: the Art. 278 tally of paper ballots (an owners' assembly).

    gongzhi vote tally --compound CODE --kind ordinary|special BALLOTS.csv [--json]

BALLOTS.csv: header ``unit_code,choice`` (services/ballots.py). ``--json`` prints exactly one
JSON object; otherwise a readable summary in the configured language (or ``--lang``). Exits 2
naming the offending rows or units when a unit is not in the register, a choice is unknown
or one owner's units carry different choices. Registered by bot/cli.py's build_parser.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bot.cli_support import input_file
from locales import t
from services import tally as tl
from services.ballots import BallotsInvalid, tally_ballots
from services.hotline_csv import decode


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("vote", help="owners' decisions (Art. 278)")
    sub = p.add_subparsers(dest="vote_action", required=True)
    tp = sub.add_parser("tally", help="tally paper ballots (CSV: unit_code,choice)")
    tp.add_argument("--compound", required=True, help="compound code")
    tp.add_argument("--kind", required=True, choices=[k.value for k in tl.Kind])
    tp.add_argument("--json", action="store_true", help="print one JSON object")
    tp.add_argument("--lang", choices=["zh_CN", "en"], default=None)
    tp.add_argument("ballots", type=input_file)
    p.set_defaults(func=cmd_vote)


async def cmd_vote(args: argparse.Namespace, settings: Any) -> int:
    from bot.cli import with_uow

    locale = args.lang or settings.locale
    text = decode(Path(args.ballots).read_bytes())  # UTF-8 (BOM or not) or GB18030, as Excel saves it
    try:
        result = await with_uow(
            settings, lambda uow: tally_ballots(uow, args.compound, tl.Kind(args.kind), text)
        )
    except BallotsInvalid as err:
        print(t(locale, "ballot-file-invalid", count=len(err.problems)), file=sys.stderr)
        for p in err.problems:
            print(t(locale, p.key, row=p.row, value=p.value), file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        print(summary(locale, result))
    return 0


def summary(locale: str, r: tl.Tally) -> str:
    j = r.as_json()
    return t(
        locale,
        "tally-summary",
        kind=t(locale, f"matter-kind-{r.kind.value}"),
        total_area=j["total_area"],
        total_owners=r.total_owners,
        participating_area=j["participating_area"],
        participating_owners=r.participating_owners,
        yes_area=j["yes_area"],
        yes_owners=r.yes_owners,
        no_area=str(r.no_area.quantize(tl.TWO_PLACES)),
        no_owners=r.no_owners,
        quorum=t(locale, "tally-quorum-met" if r.quorum_met else "tally-quorum-missed"),
        result=t(locale, "tally-passed" if r.passed else "tally-not-passed"),
    )
