"""Fuzzing the flows: a stranger (a resident of another compound, with no ticket) sends
arbitrary updates: random unicode and control characters, huge texts, forged button data for
every kind of button (aimed at a real ticket too), photos, locations, unsupported messages,
unknown chat types. Expected: no crash (never "something went wrong"), nothing stored
changed (but for what a resident sends privately, kept and offered as a report:
handlers/report_offer.py), and every reply within Telegram's limits (UTF-16 units, 64-byte
button data)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import select

from handlers.report_offer import STEP_OFFER
from handlers.types import Incoming
from tests.flows.conftest import join_resident, join_staff, report, snapshot
from tests.flows.harness import Harness

CONTROL = st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp", "Mn", "Co"])
HARMLESS_COMMANDS = ["/frob", "/my", "/help", "/queue", "/digest", "/cancel", "/start", "/start c_NOPE"]
TEXT = st.one_of(
    st.text(max_size=60).filter(lambda t: not t.startswith("/")),
    st.text(alphabet=CONTROL, max_size=30),
    st.sampled_from(HARMLESS_COMMANDS + ["/start inv_" + "A" * 20, "😀" * 2500, "字\u202e" * 3000]),
    st.integers(2000, 9000).map(lambda n: "🌧" * n),
)
FIELD = st.one_of(
    st.sampled_from(["ack", "take", "res", "rej", "y", "n", "go", "d", "submit", "0", "-1", "9" * 30, ""]),
    st.integers(-3, 5).map(str),
    st.text(max_size=8),
)
CHATS = st.sampled_from(
    [("private", None), ("supergroup", "-1009999"), ("group", "-42"), ("channel", "-1007"), ("??", "5")]
)


def _forged(prefixes: list[str], ticket_id: int) -> st.SearchStrategy[str]:
    near = st.tuples(
        st.sampled_from(prefixes), st.lists(st.one_of(FIELD, st.just(str(ticket_id))), max_size=4)
    )
    return st.one_of(near.map(lambda p: ":".join([p[0], *p[1]])), st.text(max_size=70))


INPUT = st.fixed_dictionaries(
    {"chat": CHATS},
    optional={
        "text": TEXT,
        "photos": st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=3).map(tuple),
        "location": st.tuples(st.floats(-90, 90), st.floats(-180, 180)),
        "unsupported": st.sampled_from(["sticker", "voice", "document"]),
        "reply_to": st.integers(-1, 3000),
        "thread": st.integers(-1, 3000),
        "language": st.sampled_from(["en", "xx", "", "zh-hant"]),
        "forged": st.sampled_from([True, True, False]),
    },
)


async def _prepare(h: Harness) -> dict[str, Any]:
    ready: dict[str, Any] | None = getattr(h, "fuzz", None)
    if ready is not None:
        return ready
    await join_staff(h, "wang", "staff", "YJWY")
    await join_resident(h, "li", "XGY", "1-1-101")
    await report(h, "li", "leak", "卫生间顶部漏水")
    await join_resident(h, "mallory", "LHY")
    await h.press("mallory", "sk:join.unit")
    async with h.core.uow_factory() as uow:
        ticket = await uow.tickets.by_number("PG-2026-000001")
        assert ticket is not None and ticket.id is not None
    prefixes = sorted(h.core.dispatcher.router.callbacks)
    ready = {"before": await snapshot(h), "ticket": ticket.id, "prefixes": prefixes}
    h.fuzz = ready  # type: ignore[attr-defined]
    return ready


@settings(max_examples=80)
@given(data=st.data(), inp=INPUT)
async def test_arbitrary_updates_change_nothing_and_stay_within_limits(
    h: Harness, data: st.DataObject, inp: dict[str, Any]
) -> None:
    world = await _prepare(h)
    user = h.user("mallory")
    chat_type, chat = inp["chat"]
    seen = {c: len(m) for c, m in h.channel.chats.items()}
    answers = len(h.channel.answer_log)
    uid = 10_000 + len(h.channel.answer_log) * 1000 + sum(seen.values()) + data.draw(st.integers(0, 999))
    forged = data.draw(_forged(world["prefixes"], world["ticket"])) if inp.get("forged") else None
    await h.feed(
        Incoming(
            channel="telegram",
            update_id=uid,
            user_id=user,
            user_name=data.draw(st.text(max_size=20)),
            chat_id=chat or user,
            chat_type=chat_type,
            message_id=uid,
            text=None if forged else inp.get("text"),
            callback_data=forged,
            callback_id=f"cb{uid}" if forged is not None else None,
            photos=() if forged else inp.get("photos", ()),
            location=None if forged else inp.get("location"),
            reply_to_message_id=inp.get("reply_to"),
            thread_id=inp.get("thread"),
            language=inp.get("language"),
            unsupported=None if forged else inp.get("unsupported"),
        )
    )
    new = [m for c, msgs in h.channel.chats.items() for m in msgs[seen.get(c, 0) :]]
    assert "error-generic" not in [m.key for m in new]  # a handler crashed
    assert "error-generic" not in [k for *_, k in h.channel.answer_log[answers:]]
    assert h.channel.violations == []
    assert not [m for m in new if m.key == "ticket-card"]  # nobody else was told anything
    after = await snapshot(h)
    offered = [s for s in after["states"] if s[1] == STEP_OFFER]
    if offered:  # text or photos a resident sends privately are kept, offered as a report
        assert chat_type == "private" and forged is None and not inp.get("unsupported"), offered
        assert "report-offer" in [m.key for m in new], offered
        async with h.core.uow_factory() as uow:  # taken back, for the next example
            account = await uow.accounts.by_identity("telegram", user)
            assert account is not None and account.id is not None and offered[0][0] == account.id
            await uow.conversations.clear(account.id, f"telegram:{user}")
            await uow.commit()
        after["states"] = [s for s in after["states"] if s not in offered]
    assert after == world["before"]


DESCRIPTION = st.one_of(
    st.text(min_size=1, max_size=80),
    st.text(alphabet=CONTROL, min_size=1, max_size=20),
    st.integers(1, 2100).map(lambda n: "🌧" * n),
    st.tuples(st.text(max_size=5), st.sampled_from(["\u202e", "\x00", "\u2066", "\r\n", "\ufeff"])).map(
        "x".join
    ),
)


@settings(max_examples=25)
@given(text=DESCRIPTION)
async def test_any_description_is_stored_clean_or_refused_with_a_reason(h: Harness, text: str) -> None:
    """A resident at the description step: the text is taken (stored without control
    characters, the card within one message) or refused with a clear reason."""
    from services.text import clean, visible
    from storage.models import Ticket

    if not getattr(h, "joined", False):
        await join_staff(h, "wang", "staff", "YJWY")
        await join_resident(h, "li", "XGY", "1-1-101")
        h.joined = True  # type: ignore[attr-defined]
    await h.say("li", "/cancel")
    await h.say("li", "/report")
    await h.press("li", "rp:c:leak")
    await h.say("li", text)
    expected = clean(text).strip()
    key = h.last("li").key
    if not visible(expected):
        assert key == "error-description-empty"
    elif len(expected) > 2000:
        assert key == "error-description-too-long"
    else:
        assert key == "report-photos", (key, text)
        await h.press("li", "rp:done")
        await h.press("li", "rp:noloc")
        await h.press("li", "rp:submit")
        async with h.core.uow_factory() as uow:
            newest = max((await uow.session.execute(select(Ticket))).scalars().all(), key=lambda t: t.id or 0)
        assert newest.description == expected
        assert h.seen("wang")[-1].key == "ticket-card"
    assert h.channel.violations == []
