"""Issue 11, greetings by role: /start and /help fit the person's roles, and the chat's command
menu (setMyCommands, BotCommandScopeChat) offers each role its own commands."""

from __future__ import annotations

from tests.flows.conftest import join_resident, join_staff
from tests.flows.harness import Harness


async def test_a_street_officer_gets_no_resident_pitch(h: Harness) -> None:
    await join_staff(h, "sun", "street", "BH")
    assert "stats" in h.channel.menus[h.user("sun")]  # set when joining
    await h.say("sun", "/start")
    assert h.keys("sun")[-3:] == ["welcome-worker", "help-governance", "help-owners"]
    await h.say("sun", "/help")
    assert h.keys("sun")[-2:] == ["help-governance", "help-owners"]
    menu = h.channel.menus[h.user("sun")]
    assert {"stats", "digest"} <= set(menu) and "report" not in menu
    await h.say("sun", "你好")  # no report is offered to a worker
    assert h.last("sun").key == "help-short-worker"


async def test_each_role_gets_its_own_menu(h: Harness) -> None:
    await join_resident(h, "li", "XGY", "1-1-101")
    assert h.channel.menus[h.user("li")][:2] == ["report", "my"]
    await join_staff(h, "wang", "staff", "YJWY")
    await h.say("wang", "/start")
    assert h.keys("wang")[-2:] == ["welcome-worker", "help-staff"]
    assert h.channel.menus[h.user("wang")] == ["queue", "help", "lang", "cancel"]
    await join_staff(h, "zhao", "community", "BH-XY")
    await h.say("zhao", "/help")
    menu = h.channel.menus[h.user("zhao")]
    assert menu[:1] == ["queue"] and {"stats", "digest", "whistle"} <= set(menu)
