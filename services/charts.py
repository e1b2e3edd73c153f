"""PNG charts for the digests (matplotlib, Agg canvas, no pyplot: safe in a worker thread).

Labels come in already translated (locales/), so Chinese text needs a CJK font. The font is
looked up once among the fonts matplotlib knows (Debian: ``fonts-noto-cjk``; or a font file
given to ``configure``). matplotlib keeps its font list in a cache built the first time it
ran, so a font installed later is not in it: when no CJK font is found, the system fonts
missing from the list are added once per process (and the cache rewritten, so the next start
finds them), with a logged warning. Without any CJK font the chart is still drawn, with a
logged warning, and the missing-glyph warnings of that fallback are silenced (the boxes are
expected then). Both axes are numeric (labels set on the ticks), so matplotlib's category
units never log their per-label INFO lines.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# preferred families, best first; any other family whose name says CJK comes after them
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Sarasa Gothic SC",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK JP",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "Noto Serif CJK SC",
)
_CJK_HINTS = ("CJK", "WenQuanYi", "Han Sans", "Hei", "Ming", "Droid Sans Fallback")
_font_file: str | None = None
_warned = False
_refreshed = False  # the font list was already completed from the system fonts


def configure(font_file: str | None) -> None:
    """Use this font file (TTF/OTF/TTC with CJK glyphs) in preference to the system fonts."""
    global _font_file
    _font_file = font_file
    cjk_family.cache_clear()


def _known_family(names: set[str]) -> str | None:
    for family in CJK_FAMILIES:
        if family in names:
            return family
    others = sorted(n for n in names if any(h in n for h in _CJK_HINTS))
    return others[0] if others else None


def _save_font_cache(manager: Any) -> None:
    """Rewrite matplotlib's font cache with the completed list (best effort)."""
    import matplotlib
    from matplotlib import font_manager

    path = Path(matplotlib.get_cachedir()) / f"fontlist-v{font_manager.FontManager.__version__}.json"
    try:
        font_manager.json_dump(manager, path)
    except OSError as err:
        log.info("matplotlib font cache %s not rewritten: %s", path, err)


def refresh_font_list() -> int:
    """Add the system fonts missing from matplotlib's (cached) font list, once per process;
    returns how many font files were added."""
    global _refreshed
    if _refreshed:
        return 0
    _refreshed = True
    from matplotlib import font_manager

    manager = font_manager.fontManager
    known = {f.fname for f in manager.ttflist}
    added = 0
    for path in font_manager.findSystemFonts():
        if path in known:
            continue
        try:
            manager.addfont(path)
        except (OSError, RuntimeError, ValueError):
            continue
        added += 1
    if added:
        _save_font_cache(manager)
    return added


@lru_cache(maxsize=1)
def cjk_family() -> str | None:
    """The family name of a CJK-capable font matplotlib can use, or None."""
    from matplotlib import font_manager

    if _font_file:
        try:
            font_manager.fontManager.addfont(_font_file)
            return str(font_manager.FontProperties(fname=_font_file).get_name())
        except (OSError, RuntimeError, ValueError) as err:
            log.warning("chart font %s cannot be used: %s", _font_file, err)
    family = _known_family({f.name for f in font_manager.fontManager.ttflist})
    if family is None and not _refreshed:
        log.warning(
            "no CJK font in matplotlib's font list (its cache may predate the font): "
            "rebuilding the list from the system fonts"
        )
        added = refresh_font_list()
        family = _known_family({f.name for f in font_manager.fontManager.ttflist})
        log.warning("font list rebuilt: %d font files added, CJK font: %s", added, family or "none")
    return family


def has_cjk_font() -> bool:
    return cjk_family() is not None


@dataclass(frozen=True)
class DigestChart:
    """Open vs overdue tickets per compound (bars) and new tickets per week (line)."""

    title: str
    bars_title: str
    open_label: str
    overdue_label: str
    trend_title: str
    compounds: Sequence[str]
    open_counts: Sequence[int]
    overdue_counts: Sequence[int]
    weeks: Sequence[str]
    new_counts: Sequence[int]


def _font() -> Any:
    from matplotlib.font_manager import FontProperties

    global _warned
    family = cjk_family()
    if family is None:
        if not _warned:
            log.warning("no CJK font found (install fonts-noto-cjk): chart labels may show boxes")
            _warned = True
        return FontProperties(family=["DejaVu Sans"])
    return FontProperties(family=[family, "DejaVu Sans"])


def _draw(chart: DigestChart) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    if not len(chart.compounds) == len(chart.open_counts) == len(chart.overdue_counts):
        raise ValueError("one open and one overdue count per compound")
    if len(chart.weeks) != len(chart.new_counts):
        raise ValueError("one count per week")
    fp = _font()
    width = max(8.0, min(16.0, 2.0 + 0.9 * len(chart.compounds)))
    fig = Figure(figsize=(width, 7.0), dpi=100, facecolor="white")
    FigureCanvasAgg(fig)
    fig.suptitle(chart.title, fontproperties=fp, fontsize=15)
    bars, line = fig.subplots(2, 1, gridspec_kw={"height_ratios": [3, 2]})
    xs = list(range(len(chart.compounds)))
    w = 0.38
    bars.bar([x - w / 2 for x in xs], chart.open_counts, w, label=chart.open_label, color="#4C78A8")
    bars.bar([x + w / 2 for x in xs], chart.overdue_counts, w, label=chart.overdue_label, color="#E45756")
    bars.set_xticks(xs)
    bars.set_xticklabels(
        list(chart.compounds),
        fontproperties=fp,
        rotation=30 if len(xs) > 4 else 0,
        ha="right" if len(xs) > 4 else "center",
    )
    bars.set_title(chart.bars_title, fontproperties=fp)
    bars.legend(prop=fp)
    top = max([*chart.open_counts, *chart.overdue_counts, 1])
    bars.set_ylim(0, top * 1.15 + 0.5)
    bars.yaxis.set_major_locator(MaxNLocator(integer=True))
    weeks = list(range(len(chart.weeks)))
    line.plot(weeks, list(chart.new_counts), marker="o", color="#54A24B", linewidth=2)
    for x, y in zip(weeks, chart.new_counts, strict=False):
        line.annotate(str(y), (x, y), textcoords="offset points", xytext=(0, 6), ha="center")
    line.set_xticks(weeks)
    line.set_xticklabels(list(chart.weeks), fontproperties=fp)
    if weeks:
        line.set_xlim(-0.5, len(weeks) - 0.5)
    line.set_title(chart.trend_title, fontproperties=fp)
    line.set_ylim(0, max([*chart.new_counts, 1]) * 1.3 + 0.5)
    line.yaxis.set_major_locator(MaxNLocator(integer=True))
    line.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", facecolor="white")
    return buf.getvalue()


def digest_png(chart: DigestChart) -> bytes:
    """The chart as PNG bytes. Raises ImportError when matplotlib is not installed."""
    if has_cjk_font():
        return _draw(chart)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from font")
        return _draw(chart)
