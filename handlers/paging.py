"""Paged lists with ◀ / ▶ buttons (a page button kind such as ``MyPage(page)``)."""

from __future__ import annotations

from collections.abc import Callable

from handlers.buttons import ButtonData
from handlers.types import Button, msg


def clamp(page: int, total: int, size: int) -> tuple[int, int]:
    """(page, pages): the page moved into range; at least one page."""
    pages = max(1, -(-total // size))
    return min(max(page, 0), pages - 1), pages


def nav_row(kind: Callable[[int], ButtonData], page: int, pages: int) -> list[Button]:
    row = []
    if page > 0:
        row.append(Button(msg("btn-prev"), kind(page - 1)))
    if page + 1 < pages:
        row.append(Button(msg("btn-next"), kind(page + 1)))
    return row
