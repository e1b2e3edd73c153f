"""Paged lists with ◀ / ▶ buttons ("<prefix>:<page>")."""
from __future__ import annotations

from handlers.context import Ctx
from handlers.types import Button, msg
from services.errors import DomainError


def clamp(page: int, total: int, size: int) -> tuple[int, int]:
    """(page, pages): the page moved into range; at least one page."""
    pages = max(1, -(-total // size))
    return min(max(page, 0), pages - 1), pages


def nav_row(prefix: str, page: int, pages: int) -> list[Button]:
    row = []
    if page > 0:
        row.append(Button(msg("btn-prev"), f"{prefix}:{page - 1}"))
    if page + 1 < pages:
        row.append(Button(msg("btn-next"), f"{prefix}:{page + 1}"))
    return row


def page_arg(ctx: Ctx) -> int:
    """The page number of a paging button; anything else is an unknown button."""
    arg = (ctx.inc.callback_data or "").split(":", 1)[-1]
    if not arg.isdigit() or len(arg) > 6:
        raise DomainError("unknown_button")
    return int(arg)
