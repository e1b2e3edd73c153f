"""The digest chart (services/charts.py): a real PNG, not blank, Chinese labels drawn with a
CJK font (warnings are errors, so a "Glyph … missing from font" warning fails the test), and a
graceful fallback without one. On a machine with a CJK font (``fc-list :lang=zh``) the font
tests run, never skip: a font list cached before the font was installed is rebuilt."""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import warnings
from collections.abc import Iterator

import pytest

from services import charts

pytest.importorskip("matplotlib")
Image = pytest.importorskip("PIL.Image")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def system_has_cjk_font() -> bool:
    """What fontconfig says, independent of matplotlib's cached font list."""
    if shutil.which("fc-list") is None:
        return False
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    return bool(listed.stdout.strip())


@pytest.fixture(autouse=True)
def fresh_font_lookup() -> Iterator[None]:
    charts.cjk_family.cache_clear()
    yield
    charts.cjk_family.cache_clear()


def chart(compounds: list[str] | None = None, title: str = "兴谷园社区 工单概况") -> charts.DigestChart:
    names = compounds if compounds is not None else ["兴谷园小区", "柳河苑", "桃园新村"]
    return charts.DigestChart(
        title=title,
        bars_title="各小区未办结与超时工单",
        open_label="未办结",
        overdue_label="超时",
        trend_title="近四周每周新增工单",
        compounds=names,
        open_counts=[(3 * i) % 7 + 1 for i in range(len(names))],
        overdue_counts=[i % 3 for i in range(len(names))],
        weeks=["10-29–11-04", "11-05–11-11", "11-12–11-18", "11-19–11-25"],
        new_counts=[1, 0, 4, 9],
    )


def pixels(png: bytes) -> tuple[tuple[int, int], dict[tuple[int, int, int], int]]:
    img = Image.open(io.BytesIO(png)).convert("RGB")
    counts: dict[tuple[int, int, int], int] = {}
    for n, colour in img.getcolors(maxcolors=1 << 20):
        counts[colour] = n
    return img.size, counts


def test_png_is_a_sensible_non_blank_image() -> None:
    png = charts.digest_png(chart())
    assert png.startswith(PNG_SIGNATURE)
    assert 5_000 < len(png) < 2_000_000
    size, colours = pixels(png)
    assert size == (800, 700)
    total = size[0] * size[1]
    non_white = total - colours.get((255, 255, 255), 0)
    assert non_white > total * 0.03  # bars, line, text
    assert len(colours) > 20  # anti-aliased text and shapes, not a flat image
    bar_open, bar_overdue, line = (0x4C, 0x78, 0xA8), (0xE4, 0x57, 0x56), (0x54, 0xA2, 0x4B)
    assert colours.get(bar_open, 0) > 500 and colours.get(bar_overdue, 0) > 200 and colours.get(line, 0) > 50


def test_chinese_labels_use_a_cjk_font_without_missing_glyphs() -> None:
    if not system_has_cjk_font():
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")
    assert charts.has_cjk_font()  # found, if need be after rebuilding the font list
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        png = charts.digest_png(chart())
    assert not [w for w in seen if "missing from font" in str(w.message)]
    # the title's Chinese glyphs put ink where an ASCII-only title of equal length would not
    _, with_text = pixels(png)
    _, without = pixels(charts.digest_png(chart(title=" ")))
    assert with_text.get((255, 255, 255), 0) < without.get((255, 255, 255), 0)


def test_many_compounds_widen_the_chart() -> None:
    names = [f"第{i}小区" for i in range(1, 13)]
    size, _ = pixels(charts.digest_png(chart(names)))
    assert size[0] > 1000


def test_empty_scope_still_draws_the_trend() -> None:
    png = charts.digest_png(chart([]))
    size, colours = pixels(png)
    assert png.startswith(PNG_SIGNATURE) and colours.get((0x54, 0xA2, 0x4B), 0) > 50


def test_counts_must_match_labels() -> None:
    bad = charts.DigestChart("t", "b", "o", "x", "tr", ["a", "b"], [1], [0, 0], ["w"], [1])
    with pytest.raises(ValueError):
        charts.digest_png(bad)


def test_without_a_cjk_font_the_chart_is_drawn_with_a_logged_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(charts, "cjk_family", lambda: None)
    monkeypatch.setattr(charts, "_warned", False)
    with caplog.at_level(logging.WARNING, logger="services.charts"):
        png = charts.digest_png(chart())  # glyph warnings of the fallback are silenced
    assert png.startswith(PNG_SIGNATURE)
    assert any("no CJK font" in r.getMessage() for r in caplog.records)


def test_configured_font_file_that_cannot_be_read_falls_back(caplog: pytest.LogCaptureFixture) -> None:
    try:
        with caplog.at_level(logging.WARNING, logger="services.charts"):
            charts.configure("/nonexistent/font.ttf")
            family = charts.cjk_family()
        assert any("/nonexistent/font.ttf" in r.getMessage() for r in caplog.records)
    finally:
        charts.configure(None)
    assert charts.cjk_family() == family  # the system font, as without the setting


def test_configured_font_file_is_used() -> None:
    from matplotlib import font_manager

    if not system_has_cjk_font():
        pytest.skip("no CJK font installed to point the setting at")
    system = charts.cjk_family()
    assert system is not None
    path = font_manager.findfont(font_manager.FontProperties(family=[system]), fallback_to_default=False)
    try:
        charts.configure(path)
        assert charts.cjk_family() == font_manager.FontProperties(fname=path).get_name()
        assert charts.digest_png(chart()).startswith(PNG_SIGNATURE)  # no missing-glyph warning
    finally:
        charts.configure(None)


def test_a_font_list_cached_before_the_font_was_installed_is_rebuilt_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from matplotlib import font_manager

    if not system_has_cjk_font():
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")
    manager = font_manager.fontManager
    # the list as matplotlib cached it before fonts-noto-cjk was installed
    stale = [f for f in manager.ttflist if charts._known_family({f.name}) is None]
    monkeypatch.setattr(manager, "ttflist", stale)
    monkeypatch.setattr(charts, "_refreshed", False)
    saved: list[object] = []
    monkeypatch.setattr(charts, "_save_font_cache", saved.append)
    with caplog.at_level(logging.WARNING, logger="services.charts"):
        family = charts.cjk_family()
    assert family is not None and family in charts.CJK_FAMILIES
    assert saved == [manager]  # the cache is rewritten, so the next start finds the font at once
    said = [r.getMessage() for r in caplog.records]
    assert any("rebuilding" in m for m in said) and any(family in m for m in said)
    assert charts.refresh_font_list() == 0  # once per process


def test_no_category_unit_log_lines(caplog: pytest.LogCaptureFixture) -> None:
    import dataclasses

    # labels matplotlib would parse as dates if they were plotted as categories
    dates = dataclasses.replace(chart(), weeks=["10-28", "11-04", "11-11", "11-18"])
    with caplog.at_level(logging.DEBUG, logger="matplotlib"):
        charts.digest_png(chart())
        charts.digest_png(dates)
    assert [r.getMessage() for r in caplog.records if r.name == "matplotlib.category"] == []
