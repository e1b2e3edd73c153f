"""The sandbox page's own language: `?lang=en` (or zh_CN) picks it, and a link in the header
switches to the other one for the same person. (The bot's language is /lang in the chat.)"""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.page_server import CHROMEDRIVER, CHROMIUM, chromium, page_server


def fetch(url: str) -> tuple[str, dict[str, Any]]:
    with urllib.request.urlopen(url, timeout=30) as r:
        html = r.read().decode()
    boot = re.search(r'<script id="boot" type="application/json">(.*?)</script>', html, re.DOTALL)
    assert boot is not None
    return html, json.loads(boot[1])


def test_the_query_picks_the_page_language_and_the_link_offers_the_other() -> None:
    with page_server("zh_CN") as url:
        html, boot = fetch(f"{url}/?as=resident_xgy")
        assert '<html lang="zh-CN">' in html and "<title>共治 · 本地沙盒</title>" in html
        assert '<a id="lang-switch" href="?lang=en" hreflang="en"></a>' in html
        assert (boot["lang"], boot["other_lang"], boot["labels"]["switch-lang"]) == ("zh_CN", "en", "English")
        assert boot["people"][0]["role"] == "居民"

        html, boot = fetch(f"{url}/?as=resident_xgy&lang=en")
        assert '<html lang="en">' in html and "<title>Gongzhi · local sandbox</title>" in html
        assert '<a id="lang-switch" href="?lang=zh_CN" hreflang="zh-CN"></a>' in html
        assert (boot["lang"], boot["other_lang"], boot["labels"]["switch-lang"]) == ("en", "zh_CN", "中文")
        assert boot["people"][0]["role"] == "resident" and boot["labels"]["send"] == "Send"


def test_an_english_default_offers_chinese() -> None:
    with page_server("en") as url:
        _, boot = fetch(f"{url}/")
        assert (boot["lang"], boot["labels"]["switch-lang"]) == ("en", "中文")


@pytest.mark.browser
def test_the_switch_link_keeps_the_person_in_chromium(tmp_path: Path) -> None:
    if not CHROMIUM or not CHROMEDRIVER:
        pytest.skip("Chromium/chromedriver not installed: apt-get install chromium chromium-driver")
    from selenium.webdriver.support.ui import Select, WebDriverWait

    with page_server("zh_CN") as url, chromium(tmp_path / "profile") as d:
        wait = WebDriverWait(d, 15, poll_frequency=0.1)
        d.get(f"{url}/?as=resident_xgy")
        wait.until(lambda d: d.find_element("id", "lang-switch").text == "English")
        Select(d.find_element("id", "person")).select_by_value("staff_yjwy")
        wait.until(lambda d: "as=staff_yjwy" in d.find_element("id", "lang-switch").get_attribute("href"))
        d.find_element("id", "lang-switch").click()
        wait.until(lambda d: d.title == "Gongzhi · local sandbox")
        assert "as=staff_yjwy" in d.current_url and "lang=en" in d.current_url
        assert (
            Select(d.find_element("id", "person")).first_selected_option.get_attribute("value")
            == "staff_yjwy"
        )
        assert d.find_element("id", "send").text == "Send"
        assert d.find_element("id", "lang-switch").text == "中文"
