"""Helpers for tests of the sandbox page alone: the web chat over an in-memory fake Bot API
(no bot, no database) served from a background thread, and headless Chromium."""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from aiohttp import web

from sandbox.fakeapi import FakeBotApi
from sandbox.people import Person
from sandbox.webchat.web import make_app
from storage.models import Role

PEOPLE = [
    Person(
        "resident_xgy", "王秀兰", Role.resident, "XGY", "兴谷园小区", 7000001, "2-1-101", (40.1412, 117.1205)
    ),
    Person("staff_yjwy", "周强", Role.staff, "YJWY", "宜居物业服务有限公司", 7000006),
]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@contextmanager
def page_server(locale: str = "zh_CN") -> Iterator[str]:
    """The page on 127.0.0.1 (a free port) until the block ends; yields its base URL."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    api = FakeBotApi("1:page", limits=None)
    for p in PEOPLE:
        api.add_user(p.user_id, p.name)
    runner = web.AppRunner(make_app(api, PEOPLE, locale), access_log=None, shutdown_timeout=1.0)

    async def start() -> str:
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        return f"http://127.0.0.1:{runner.addresses[0][1]}"

    try:
        yield asyncio.run_coroutine_threadsafe(start(), loop).result(30)
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


@contextmanager
def chromium(profile: Path) -> Iterator[Any]:
    """Headless Chromium through chromedriver (the caller skips when they are missing)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    assert CHROMIUM and CHROMEDRIVER
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--window-size=420,900",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
