"""The sandbox page in real Chromium: a resident reports a leak with a photo, property
staff acknowledge and resolve it, the resident confirms and rates — all by clicking and
typing on the page, against the real bot behind the fake Bot API.

Needs Debian's `chromium` and `chromium-driver` (apt-get install chromium chromium-driver).
"""

from __future__ import annotations

import asyncio
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sandbox.fakeapi import make_png
from sandbox.run import Sandbox
from tests.e2e.test_sandbox_web import sandbox_settings

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
FIND_MESSAGE = """
const [part, kind] = arguments;
const found = [...document.querySelectorAll(`#log .msg.${kind}`)]
  .filter((m) => m.querySelector('.bubble').textContent.includes(part));
return found.length ? found[found.length - 1] : null;
"""


@pytest.fixture
def sandbox_url(tmp_path: Path) -> Iterator[str]:
    """The sandbox on its own event loop in a thread, so the test can drive the browser."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    sb = Sandbox(sandbox_settings(tmp_path / "sandbox"), port=0)
    try:
        asyncio.run_coroutine_threadsafe(sb.start(), loop).result(60)
        yield sb.url
    finally:
        asyncio.run_coroutine_threadsafe(sb.stop(), loop).result(60)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    if not CHROMIUM or not CHROMEDRIVER:
        pytest.skip("Chromium/chromedriver not installed: apt-get install chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

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
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        "--window-size=420,900",
        "--lang=zh-CN",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


class Chat:
    """The page as a person uses it."""

    def __init__(self, driver: Any, url: str, shots: Path) -> None:
        from selenium.webdriver.support.ui import WebDriverWait

        self.d, self.url, self.shots = driver, url, shots
        self.wait = WebDriverWait(driver, 15, poll_frequency=0.1)

    def message(self, part: str, kind: str = "bot") -> Any:
        """The latest message of ``kind`` (bot | mine | other) whose text contains ``part``."""
        try:
            return self.wait.until(lambda d: d.execute_script(FIND_MESSAGE, part, kind))
        except Exception:
            texts = [e.text[:50] for e in self.d.find_elements("css selector", "#log .msg")]
            raise AssertionError(f"no {kind} message with {part!r} on the page: {texts}") from None

    def tap(self, part: str, label: str) -> None:
        """Tap the inline button ``label`` under the latest bot message containing ``part``
        (again if the page redrew the message meanwhile)."""
        from selenium.common.exceptions import StaleElementReferenceException

        def click(d: Any) -> bool:
            try:
                msg = self.message(part)
                next(b for b in msg.find_elements("css selector", ".kb-btn") if label in b.text).click()
            except StaleElementReferenceException:
                return False
            return True

        self.wait.until(click)

    def type(self, text: str) -> None:
        box = self.d.find_element("id", "text")
        box.clear()
        box.send_keys(text)
        self.d.find_element("id", "send").click()

    def switch(self, key: str) -> None:
        from selenium.webdriver.support.ui import Select

        Select(self.d.find_element("id", "person")).select_by_value(key)
        self.wait.until(lambda d: f"as={key}" in d.current_url)

    def visible_text(self, element_id: str, part: str) -> str:
        self.wait.until(
            lambda d: (
                d.find_element("id", element_id).is_displayed()
                and part in d.find_element("id", element_id).text
            )
        )
        return str(self.d.find_element("id", element_id).text)

    def shot(self, name: str) -> Path:
        path = self.shots / f"{name}.png"
        assert self.d.save_screenshot(str(path)) and path.stat().st_size > 1000
        return path


def test_leak_report_round_trip_in_chromium(browser: Any, sandbox_url: str, tmp_path: Path) -> None:
    photo = tmp_path / "leak.png"
    photo.write_bytes(make_png(64, 48, (40, 90, 200)))
    chat = Chat(browser, sandbox_url, tmp_path)
    browser.get(f"{sandbox_url}/?as=resident_xgy")
    assert browser.title == "共治 · 本地沙盒"
    chat.wait.until(lambda d: "还没有消息" in d.find_element("id", "log").text)
    assert "王秀兰 · 居民 · 兴谷园小区" in browser.find_element("id", "person").text

    # an empty message is not sent; the page says why
    chat.type("")
    assert chat.visible_text("toast", "消息不能为空。")

    # the resident reports a leak with a photo and the compound's location
    chat.type("/report")
    chat.tap("请选择问题类别", "漏水/渗水")
    chat.message("类别：漏水/渗水")  # the category message was edited in place
    chat.message("请用文字描述问题")
    chat.type("厨房天花板漏水，楼上卫生间渗下来的")
    chat.message("可以发送照片")
    browser.find_element("id", "photo").send_keys(str(photo))
    chat.wait.until(
        lambda d: d.execute_script(
            "const i = document.querySelector('#log .msg.mine img.photo'); return i && i.naturalWidth === 64;"
        )
    )
    chat.tap("已收到第 1 张照片", "照片已发完")
    chat.message("可以发送位置")
    browser.find_element("id", "location").click()
    assert "40.1412, 117.1205" in chat.message("位置", "mine").text
    review = chat.message("请确认").text
    assert "照片：1 张" in review and "位置：是" in review
    chat.tap("请确认", "提交")
    submitted = chat.message("已提交，工单号").text
    number = re.search(r"PG-\d{4}-\d{6}", submitted)
    assert number is not None
    # a stale button gets a quiet answer (a toast, no dialog) and leaves its message
    chat.tap("可以发送照片", "照片已发完")
    assert chat.visible_text("toast", "这个按钮已过期，请重新操作。")
    chat.shot("1-resident-reported")

    # property staff acknowledge and resolve
    chat.switch("staff_yjwy")
    assert "待受理" in chat.message(f"📌 工单 {number[0]}").text
    chat.tap(f"📌 工单 {number[0]}", "受理")
    assert chat.visible_text("toast", f"已受理 {number[0]}")
    chat.message(f"📌 工单 {number[0]}（已受理）")
    chat.tap(f"📌 工单 {number[0]}", "办结")
    chat.message("请输入办结说明")
    chat.type("已修好楼上卫生间的防水层")
    chat.message(f"工单 {number[0]} 已办结，等待居民确认。")
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("id", "chat")).select_by_visible_text("宜居物业服务有限公司 工作群")
    Select(browser.find_element("id", "thread")).select_by_visible_text(f"{number[0]} 漏水/渗水")
    chat.message(f"📷 工单 {number[0]} 的照片")
    assert browser.find_elements("css selector", "#log .msg.bot img.photo")
    chat.shot("2-staff-topic")

    # the resident confirms and rates; their own chat is as they left it
    chat.switch("resident_xgy")
    chat.message(f"工单 {number[0]} 已办结：已修好楼上卫生间的防水层")
    chat.tap("问题解决了吗", "已解决")
    chat.message(f"感谢确认！工单 {number[0]} 已关闭。")
    chat.tap("请为本次服务打分", "5★")
    rated = chat.message("感谢评价：5 星")
    assert rated.find_elements("css selector", ".edited")
    assert "已提交，工单号" in browser.find_element("id", "log").text
    chat.shot("3-resident-rated")
