"""/newmatter, /newfund, /newcampaign step by step: one prompt per field, buttons for closed
choices, a review screen; bad input at a step gets a clear reply, stores nothing and keeps the
step; /cancel or the cancel button ends it; English clients read English prompts."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.clock import FrozenClock
from storage.models import Campaign, FundApplication, Matter
from tests.flows.conftest import join_staff
from tests.flows.harness import Harness, Shown


async def count(h: Harness, model: type) -> int:
    async with h.core.uow_factory() as uow:
        return int((await uow.session.execute(select(func.count()).select_from(model))).scalar_one())


async def step_of(h: Harness, name: str) -> str | None:
    async with h.core.uow_factory() as uow:
        _, step, _ = await uow.conversations.account_with_state(
            "telegram", h.user(name), f"telegram:{h.user(name)}"
        )
    return step


async def tap(h: Harness, name: str, label: str) -> Shown:
    """Press the newest button labelled `label`; the message shown next (a pressed prompt is
    replaced by the next one)."""
    msgs = h.seen(name)
    m = next(m for m in reversed(msgs) if any(label in text for text, _ in m.buttons))
    top = msgs[-1].message_id
    await h.press(name, m.data_for(label), message_id=m.message_id)
    msgs = h.seen(name)
    return msgs[-1] if msgs[-1].message_id != top else next(x for x in msgs if x.message_id == m.message_id)


async def test_a_matter_step_by_step(h: Harness) -> None:
    await join_staff(h, "社区", "community", "BH-XY")  # organises 兴谷园小区 and 柳河苑: a choice
    await h.say("社区", "/newmatter")
    ask = h.last("社区")
    assert ask.key == "matter-ask-compound" and [label for label, _ in ask.buttons] == [
        "兴谷园小区",
        "柳河苑",
        "取消",
    ]
    await h.say("社区", "NOPE")  # no such compound: said so, the step kept
    assert (
        h.last("社区").key == "error-compound-not-found" and await step_of(h, "社区") == "of.matter.compound"
    )
    assert (await tap(h, "社区", "兴谷园小区")).key == "matter-ask-kind"
    await h.say("社区", "随便")  # a closed choice: the buttons
    assert h.last("社区").key == "error-use-buttons" and await step_of(h, "社区") == "of.matter.kind"
    assert (await tap(h, "社区", "特别事项")).key == "matter-ask-title"
    await h.say("社区", "加装电梯")
    await h.say("社区", "1号楼加装电梯，费用由1号楼业主分摊")
    assert h.last("社区").key == "matter-ask-first"
    await h.say("社区", "2026-13-01")  # not a date: said so, nothing stored, the step kept
    assert h.last("社区").key == "error-form-bad-day" and "YYYY-MM-DD" in h.last("社区").text
    assert await count(h, Matter) == 0 and await step_of(h, "社区") == "of.matter.first"
    await h.say("社区", "2026-12-20")
    await h.say("社区", "2026-12-10")  # ends before it starts
    assert h.last("社区").key == "error-matter-bad-window" and await step_of(h, "社区") == "of.matter.last"
    await h.say("社区", "2026-12-27")
    assert h.last("社区").key == "matter-ask-notice"
    review = await tap(h, "社区", "跳过")  # the default notice start
    assert (
        review.key == "matter-review"
        and "表决前 15 天" in review.text
        and "2026-12-20 至 2026-12-27" in review.text
    )
    assert await count(h, Matter) == 0
    done = await tap(h, "社区", "提交")
    assert "公示开始：2026-12-05 00:00" in done.text and await step_of(h, "社区") is None
    async with h.core.uow_factory() as uow:
        m = await uow.aggregates.get(Matter, 1)
    assert m is not None and (m.title, m.kind) == ("加装电梯", "special")


async def test_a_matter_cancelled_midway_and_in_english(h: Harness) -> None:
    h.languages["amy"] = "en"
    await join_staff(h, "amy", "committee", "XGY")  # one compound: no compound step
    await h.say("amy", "/newmatter")
    ask = h.last("amy")
    assert ask.key == "matter-ask-kind" and "three quarters" in ask.text
    assert "The title" in (await tap(h, "amy", "Ordinary matter")).text
    await h.say("amy", "Renew the property contract")
    await h.say("amy", "/cancel")
    assert h.last("amy").key == "cancelled" and await step_of(h, "amy") is None
    assert (await h.press("amy", ask.data_for("Special matter")))[0] is not None  # stale now
    await h.say("amy", "2026-12-20")  # no step: the help, nothing stored
    assert h.last("amy").key == "help-short" and await count(h, Matter) == 0
    # refusals speak of matters, not tickets
    await h.say("amy", "/owners LHY")
    assert h.last("amy").key == "error-owners-not-allowed" and "ticket" not in h.last("amy").text


async def test_a_fund_application_step_by_step_in_english(h: Harness) -> None:
    h.languages["sue"] = "en"
    await join_staff(h, "sue", "community", "BH-TY")  # 桃园新村 only
    await h.say("sue", "/newfund")
    assert h.last("sue").key == "fund-ask-works" and "Which works?" in h.last("sue").text
    await h.say("sue", "Roof of building 3")
    assert h.last("sue").key == "fund-ask-amount"
    for bad in ("12.345", "-5", "abc"):  # refused, nothing stored, the step kept
        await h.say("sue", bad)
        assert h.last("sue").key == "error-bad-amount" and "at most two decimals" in h.last("sue").text
    assert await step_of(h, "sue") == "of.fund.amount" and await count(h, FundApplication) == 0
    await h.say("sue", "86000.50")
    ask = await tap(h, "sue", "Yes, emergency use")
    assert ask.key == "fund-ask-source"
    answer, alert = await h.press("sue", ask.data_for("district emergency"))  # the balance is ¥0
    assert alert and h.answer_keys()[-1] == "error-fund-over-balance"
    assert await step_of(h, "sue") == "of.fund.source"
    assert (await tap(h, "sue", "own maintenance fund")).key == "fund-ask-quotes"
    await h.say("sue", "a quote")  # photos expected
    assert h.last("sue").key == "error-form-photos-expected"
    await h.say("sue", None, photos=("quote-1",))
    await h.say("sue", None, photos=("quote-2",))
    assert h.last("sue").key == "form-photos-kept" and "2 photo(s)" in h.last("sue").text
    review = await tap(h, "sue", "Done")
    assert review.key == "fund-review" and "¥86,000.50" in review.text and "Quotes: 2" in review.text
    assert "Draft saved" in (await tap(h, "sue", "Submit")).text and {m.locale for m in h.seen("sue")} == {
        "en"
    }
    async with h.core.uow_factory() as uow:
        a = await uow.aggregates.get(FundApplication, 1)
    assert a is not None and (a.amount_fen, a.emergency, a.district_fund) == (8600050, True, False)
    assert a.quotes == ["quote-1", "quote-2"]


async def test_a_fund_application_cancelled_with_the_button(h: Harness) -> None:
    await join_staff(h, "委员", "committee", "XGY")
    await h.say("委员", "/newfund")
    await h.say("委员", "更换水泵")
    await h.say("委员", "12000")
    assert (await tap(h, "委员", "否")).key == "fund-ask-quotes"  # ordinary use: no fund question
    review = await tap(h, "委员", "完成")
    assert "须业主共同决定" in review.text and "报价：0 份" in review.text
    assert (await tap(h, "委员", "取消")).key == "cancelled" and await step_of(h, "委员") is None
    assert await count(h, FundApplication) == 0
    # someone without a role on any compound is refused at once, in the fund's words
    await h.say("路人", "/newfund")
    assert h.last("路人").key == "error-fund-not-allowed" and "工单" not in h.last("路人").text


async def test_a_campaign_step_by_step(h: Harness) -> None:
    await join_staff(h, "委员", "committee", "XGY")
    await h.say("委员", "/newcampaign")
    assert h.last("委员").key == "campaign-ask-purpose"
    await h.say("委员", "小区道路铺装")
    await h.say("委员", "十万")  # not an amount
    assert h.last("委员").key == "error-bad-amount" and await step_of(h, "委员") == "of.campaign.target"
    await h.say("委员", "134600")
    assert (await tap(h, "委员", "跳过")).key == "campaign-ask-end"  # no quantity
    await h.say("委员", "2026-11-24")  # yesterday
    assert h.last("委员").key == "error-campaign-bad-end" and await count(h, Campaign) == 0
    await h.say("委员", "2026-12-31")
    review = h.last("委员")
    assert review.key == "campaign-review" and "¥134,600.00" in review.text and "工程量 —" in review.text
    assert "六个一点" in (await tap(h, "委员", "提交")).text and await step_of(h, "委员") is None
    async with h.core.uow_factory() as uow:
        c = await uow.aggregates.get(Campaign, 1)
    assert c is not None and (c.target_fen, c.quantity, c.end_date.isoformat()) == (
        13460000,
        "",
        "2026-12-31",
    )


async def test_a_campaign_in_english_cancelled(h: Harness) -> None:
    h.languages["amy"] = "en"
    await join_staff(h, "amy", "community", "BH-XY")
    await h.say("amy", "/newcampaign")
    assert "Which compound?" in h.last("amy").text
    await h.say("amy", "LHY")  # the code typed works as well as the button
    assert "The purpose" in h.last("amy").text
    await h.say("amy", "x" * 301)
    assert h.last("amy").key == "error-form-bad-text" and "at most 300" in h.last("amy").text
    await h.say("amy", "Paving")
    await h.say("amy", "/cancel")
    assert h.last("amy").key == "cancelled" and await count(h, Campaign) == 0


async def test_a_restart_continues_from_the_last_step(
    h: Harness, engine: AsyncEngine, clock: FrozenClock
) -> None:
    await join_staff(h, "委员", "committee", "XGY")
    await h.say("委员", "/newcampaign")
    await h.say("委员", "小区道路铺装")
    restarted = Harness(engine, clock)  # a new process on the same database
    restarted.users = dict(h.users)
    await restarted.say("委员", "134600", update_id=10_000)
    assert restarted.last("委员").key == "campaign-ask-quantity"
    assert await step_of(restarted, "委员") == "of.campaign.quantity"
