"""/newfund step by step: compound → works → amount (yuan) → emergency use? (buttons) →
which fund (buttons, emergency only) → quote photos (done) → review (handlers/owners_new.py
registers it)."""

from __future__ import annotations

from typing import Any

from handlers import owners_form as of
from handlers.context import Ctx
from handlers.funds import fund_view
from handlers.types import msg
from locales import Msg
from services import emergency, funds
from services.errors import DomainError
from services.money import yuan

# -- 维修资金 (maintenance-fund application) --------------------------------------------

YES_NO = {"是": "yes", "否": "no", "y": "yes", "n": "no"}
SOURCE_WORDS = {"本小区": "own", "区应急": "district", "区": "district"}
PATHS = {
    "ordinary": {"emergency": "no"},
    "普通": {"emergency": "no"},
    "emergency": {"emergency": "yes", "source": "own"},
    "应急": {"emergency": "yes", "source": "own"},
    "district": {"emergency": "yes", "source": "district"},
    "区应急": {"emergency": "yes", "source": "district"},
}


def _district(d: dict[str, Any]) -> bool:
    return d.get("emergency") == "yes" and d.get("source") == "district"


async def _fund_check(ctx: Ctx, d: dict[str, Any]) -> None:
    if "compound" in d and "amount" in d and _district(d):
        fund = await emergency.fund_of(ctx.uow, int(d["compound"]))
        balance = fund.balance_fen if fund else 0
        if int(d["amount"]) > balance:
            raise DomainError("fund_over_balance", amount=yuan(int(d["amount"])), balance=yuan(balance))


async def _fund_review(ctx: Ctx, d: dict[str, Any]) -> Msg:
    path = "district" if _district(d) else "emergency" if d.get("emergency") == "yes" else "ordinary"
    return msg(
        "fund-review",
        compound=await of.compound_name(ctx, d),
        works=d["works"],
        amount=yuan(int(d["amount"])),
        path=msg(f"fund-path-{path}"),
        quotes=len(d.get("quotes") or []),
    )


async def _fund_submit(ctx: Ctx, d: dict[str, Any]) -> None:
    a = await funds.draft(
        ctx.uow,
        ctx.account,
        int(d["compound"]),
        works=str(d["works"]),
        amount_fen=int(d["amount"]),
        emergency=d.get("emergency") == "yes",
        district_fund=_district(d),
        quotes=[str(q) for q in d.get("quotes") or []],
    )
    ctx.reply(of.edited(ctx, await fund_view(ctx.uow, a, ctx.account, head=msg("fund-drafted"))))


def _fund_line(p: list[str]) -> dict[str, str] | None:
    if len(p) != 4 or p[3].lower() not in PATHS:
        return None
    return {"compound": p[0], "works": p[1], "amount": p[2], **PATHS[p[3].lower()]}


FUND = of.Form(
    name="fund",
    fields=(
        of.Field("compound", "compound"),
        of.Field("works", "text", max_len=300),
        of.Field("amount", "yuan"),
        of.Field("emergency", "choice", choices=("yes", "no"), words=YES_NO),
        of.Field(
            "source",
            "choice",
            choices=("own", "district"),
            words=SOURCE_WORDS,
            when=lambda d: d.get("emergency") == "yes",
        ),
        of.Field("quotes", "photos"),
    ),
    openers=funds.APPLICANTS,
    roles_on=funds.roles_on,
    review=_fund_review,
    submit=_fund_submit,
    check=_fund_check,
    from_line=_fund_line,
    bad_form="fund_bad_form",
)
