"""Problems found in a file a person hands us (org file, rectification plan, hotline CSV).

Files are checked by pydantic models with ``extra="forbid"``. Every problem says where it is
(a path such as ``streets[1].communities[0].compounds[2].code``, or a CSV row and column) and
what is wrong as a message key with parameters; ``locales/problems.py`` renders it from
``locales/*/validation.ftl`` in the operator's language. No sentence is built here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml  # type: ignore[import-untyped, unused-ignore]
from pydantic import AfterValidator, BeforeValidator, ValidationError
from pydantic_core import PydanticCustomError

from services.errors import DomainError

Loc = tuple[str | int, ...]
Param = str | int
# the parts of a pydantic location that are union tags, not fields (see org_model.AreaSpec)
TAG_PREFIX = "~"
# control characters: C0 except tab/line feed/carriage return, DEL, C1; NUL breaks PostgreSQL
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LINE_BREAK = re.compile(r"[\r\n\t\u2028\u2029]")


@dataclass(frozen=True)
class Problem:
    """One problem: where (``loc``; for CSV files also ``row``, the spreadsheet row with the
    header as row 1, and ``loc`` then names the column) and what (a message key + params)."""

    loc: Loc
    key: str
    params: dict[str, Param] = field(default_factory=dict, hash=False)
    row: int | None = None

    @property
    def field_path(self) -> str:
        """The path inside the document, or the CSV column ("" for the whole file or row)."""
        return format_loc(self.loc)

    @property
    def path(self) -> str:
        """The location in a neutral notation, for logs and tests (operators see it rendered
        by locales/problems.py)."""
        where = format_loc(self.loc)
        if self.row is None:
            return where
        return f"row {self.row}" + (f", column {where}" if where else "")


class FileInvalid(DomainError):
    """A file rejected whole; ``problems`` lists every problem found (nothing is stored)."""

    def __init__(self, code: str, problems: Sequence[Problem]) -> None:
        super().__init__(code, count=len(problems))
        self.problems = list(problems)


def format_loc(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not part.startswith(TAG_PREFIX):
            out += f".{part}" if out else part
    return out


# pydantic's error types → our message keys (locales/*/validation.ftl)
_KEYS: dict[str, str] = {
    "missing": "validation-missing",
    "extra_forbidden": "validation-unknown-field",
    "string_type": "validation-text",
    "string_too_short": "validation-text-empty",
    "string_too_long": "validation-text-too-long",
    "string_pattern_mismatch": "validation-pattern",
    "int_type": "validation-whole-number",
    "int_parsing": "validation-whole-number",
    "int_from_float": "validation-whole-number",
    "float_type": "validation-number",
    "float_parsing": "validation-number",
    "finite_number": "validation-number",
    "greater_than_equal": "validation-at-least",
    "greater_than": "validation-more-than",
    "less_than_equal": "validation-at-most",
    "less_than": "validation-less-than",
    "list_type": "validation-list",
    "tuple_type": "validation-list",
    "dict_type": "validation-mapping",
    "model_type": "validation-mapping",
    "model_attributes_type": "validation-mapping",
    "too_short": "validation-too-few",
    "too_long": "validation-too-many",
    "bool_type": "validation-yes-no",
    "bool_parsing": "validation-yes-no",
    "date_type": "validation-date",
    "date_parsing": "validation-date",
    "date_from_datetime_parsing": "validation-date",
    "date_from_datetime_inexact": "validation-date",
}
# pydantic's context names → our parameter names
_PARAMS = {
    "ge": "limit",
    "gt": "limit",
    "le": "limit",
    "lt": "limit",
    "max_length": "max",
    "min_length": "min",
    "pattern": "pattern",
}


def _param(v: Any) -> Param:
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v if isinstance(v, int) else str(v)


def from_pydantic(err: ValidationError, prefix: Loc = (), row: int | None = None) -> list[Problem]:
    """Our problems for a pydantic ValidationError (``prefix`` is prepended to each location)."""
    out: list[Problem] = []
    for e in err.errors(include_url=False, include_input=True):
        kind, ctx = e["type"], e.get("ctx") or {}
        if kind.startswith(("validation-", "hotline-")):
            key, params = kind, {k: _param(v) for k, v in ctx.items()}  # our own (custom) errors
        elif e.get("input") is None and kind.endswith("_type"):
            key, params = "validation-missing", {}  # null where a value is needed
        else:
            key = _KEYS.get(kind, "validation-invalid")
            params = {_PARAMS[k]: _param(v) for k, v in ctx.items() if k in _PARAMS}
        out.append(Problem(prefix + tuple(e["loc"]), key, params, row))
    return out


def fail(key: str, **params: Param) -> PydanticCustomError:
    """An error of our own inside a validator: its type is the message key."""
    return PydanticCustomError(key, key, dict(params))


def matches(rx: re.Pattern[str], key: str, *, echo: bool = True, **params: Param) -> AfterValidator:
    """A string check: ``rx`` must match, else ``key`` with ``params`` (+ the value cut to 40
    characters when ``echo``; never echo personal data)."""

    def check(v: str) -> str:
        if not rx.match(v):
            raise fail(key, **({"value": v[:40]} if echo else {}), **params)
        return v

    return AfterValidator(check)


def _int_to_str(v: Any) -> Any:
    return str(v) if isinstance(v, int) and not isinstance(v, bool) else v


def _none_to_list(v: Any) -> Any:
    return [] if v is None else v


def text(max_length: int, *, lines: bool = False, required: bool = True) -> AfterValidator:
    """Text stripped of surrounding blanks, at most ``max_length`` characters, no control
    characters, one line unless ``lines``; empty is refused when ``required`` (else None)."""

    def check(v: str) -> str | None:
        v = v.strip()
        if not v:
            if required:
                raise fail("validation-text-empty")
            return None
        if len(v) > max_length:
            raise fail("validation-text-too-long", max=max_length, length=len(v))
        if CONTROL.search(v):
            raise fail("validation-control-characters")
        if not lines and LINE_BREAK.search(v):
            raise fail("validation-line-break")
        return v

    return AfterValidator(check)


class _YamlLoader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text: the models parse them, so a date such as
    2026-13-01 is a problem with its path, not a crash of the loader."""


_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(text: str, code: str) -> Any:
    """The YAML document in ``text``; FileInvalid(code) at the line and column of a syntax error."""
    try:
        return yaml.load(text, Loader=_YamlLoader)  # a SafeLoader without dates
    except (yaml.YAMLError, ValueError) as err:
        mark = getattr(err, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        raise FileInvalid(
            code, [Problem((), "validation-yaml-syntax", {"line": line, "column": column})]
        ) from err


IntToStr = BeforeValidator(_int_to_str)  # YAML reads `code: 17` as a number
NoneToList = BeforeValidator(_none_to_list)  # `units:` with nothing after it
