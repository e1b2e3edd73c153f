"""Rendering file problems (services/validation.Problem) in the reader's language:
"<where>: <what>", where is the path (``streets[1].code``), the CSV row and column, or the
file, and what is the problem's message key with its parameters (validation.ftl)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from locales import t


class ProblemLike(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def params(self) -> Mapping[str, str | int]: ...

    @property
    def row(self) -> int | None: ...

    @property
    def field_path(self) -> str: ...


def where(locale: str, p: ProblemLike) -> str:
    if p.row is None:
        return p.field_path or t(locale, "validation-at-file")
    if not p.field_path:
        return t(locale, "validation-at-row", row=p.row)
    return t(locale, "validation-at-cell", row=p.row, column=p.field_path)


def message(locale: str, p: ProblemLike) -> str:
    return t(locale, p.key, **dict(p.params))


def render_problem(locale: str, p: ProblemLike) -> str:
    return t(locale, "validation-problem", where=where(locale, p), message=message(locale, p))


def render_problems(locale: str, problems: Iterable[ProblemLike], limit: int = 200) -> list[str]:
    """One line per problem; past ``limit`` one line saying how many more there are."""
    items = list(problems)
    lines = [render_problem(locale, p) for p in items[:limit]]
    if len(items) > limit:
        lines.append(t(locale, "validation-more", count=len(items) - limit))
    return lines
