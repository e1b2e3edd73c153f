"""Reading org files: YAML as it is, CSV (one row per unit) converted to the same document.
The format is described in services/org_import.py. A CSV file is checked row by row
(OrgCsvRow) and then as a document; problems of the document are reported at the row and
column they came from."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from services.org_model import Code, Name, SubCode, Text100
from services.org_parse import invalid, parse_org
from services.validation import FileInvalid, Loc, Problem, fail, from_pydantic, load_yaml

CSV_COLUMNS = (
    "district_code",
    "district_name",
    "street_code",
    "street_name",
    "community_code",
    "community_name",
    "compound_code",
    "compound_name",
    "company_code",
    "company_name",
    "building_code",
    "unit_code",
    "area_m2",
)
CSV_OPTIONAL = ("owner_name", "developer")
LEVELS = (
    ("district", None, ""),
    ("company", None, "companies"),
    ("street", None, "streets"),
    ("community", "street", "communities"),
    ("compound", "community", "compounds"),
    ("building", "compound", "buildings"),
)
# a document field of each kind → its CSV column
COLUMN_OF = {"area": "area_m2", "owner": "owner_name", "developer": "developer", "company": "company_code"}


def _blank_is_none(v: Any) -> Any:
    return None if isinstance(v, str) and not v.strip() else v


Blank = BeforeValidator(_blank_is_none)


class OrgCsvRow(BaseModel):
    """One CSV row (one unit); cells are text, so numbers and yes/no are parsed from it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    district_code: Annotated[Code, Blank]
    district_name: Annotated[Name, Blank]
    street_code: Annotated[Code, Blank]
    street_name: Annotated[Name, Blank]
    community_code: Annotated[Code, Blank]
    community_name: Annotated[Name, Blank]
    compound_code: Annotated[Code, Blank]
    compound_name: Annotated[Name, Blank]
    company_code: Annotated[Code | None, Blank] = None
    company_name: Annotated[Name | None, Blank] = None
    building_code: Annotated[SubCode, Blank]
    unit_code: Annotated[SubCode, Blank]
    area_m2: Annotated[float, Blank, Field(ge=0, allow_inf_nan=False)]
    owner_name: Annotated[Text100 | None, Blank] = None
    developer: Annotated[bool | None, Blank] = None

    @model_validator(mode="after")
    def _company_named(self) -> OrgCsvRow:
        if self.company_code and not self.company_name:
            raise fail("validation-csv-company-name")
        return self


def load_org_file(path: str | Path) -> dict[str, Any]:
    """Read a .yaml/.yml or .csv org file into the import dict (YAML keeps `demo_people`);
    FileInvalid("org_file_invalid") when it cannot be read (a CSV file is checked whole here)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".csv"):
        raise invalid([Problem((), "validation-file-type", {"file": path.name})])
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise invalid([Problem((), "validation-file-unreadable", {"file": path.name})]) from e
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")  # CSV saved by Excel on a Chinese system
        except UnicodeDecodeError as e:
            raise invalid([Problem((), "validation-encoding", {"file": path.name})]) from e
    text = text.removeprefix("\ufeff")  # GB18030 has a BOM of its own
    if suffix == ".csv":
        return csv_to_doc(text)
    doc = load_yaml(text, "org_file_invalid")
    if not isinstance(doc, dict):
        raise invalid([Problem((), "validation-mapping")])
    return doc


def csv_to_doc(text: str) -> dict[str, Any]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or [] if h and h.strip()]
    problems = [
        Problem((c,), "validation-csv-unknown-column", row=1)
        for c in header
        if c not in CSV_COLUMNS + CSV_OPTIONAL
    ]
    if missing := [c for c in CSV_COLUMNS if c not in header]:
        problems.append(Problem((), "validation-csv-missing-columns", {"columns": ", ".join(missing)}, row=1))
    if problems:
        raise invalid(problems)
    b = _Builder()
    for row, rec in enumerate(reader, start=2):
        cells = {k.strip(): v or "" for k, v in rec.items() if k and k.strip()}
        if any(v.strip() for v in cells.values()):
            b.row(row, cells)
    if not b.problems and "district" not in b.doc:
        b.problems.append(Problem((), "validation-csv-no-rows"))
    if b.problems:
        raise invalid(b.problems)
    try:
        parse_org(b.doc)
    except FileInvalid as err:
        raise invalid([b.at_row(p) for p in err.problems]) from err
    return b.doc


class _Builder:
    """Builds the document from valid rows, remembering which row each item came from."""

    def __init__(self) -> None:
        self.doc: dict[str, Any] = {"companies": [], "streets": []}
        self.problems: list[Problem] = []
        self.seen: dict[tuple[str, str], tuple[int, dict[str, Any], dict[str, Any], Loc]] = {}
        self.rows: dict[Loc, tuple[int, str]] = {}  # document location -> (row, kind)

    def row(self, row: int, cells: dict[str, str]) -> None:
        try:
            r = OrgCsvRow.model_validate(cells)
        except ValidationError as err:
            self.problems += from_pydantic(err, row=row)
            return
        key = {k: getattr(r, f"{k}_code") for k, _, _ in LEVELS} | {
            "building": f"{r.compound_code}/{r.building_code}"
        }
        for kind, parent, plural in LEVELS:
            code = getattr(r, f"{kind}_code")
            if code is None:
                continue  # no company: 老旧小区
            out = {"code": code} | ({"name": getattr(r, f"{kind}_name")} if kind != "building" else {})
            out |= {"company": r.company_code} if kind == "compound" else {}
            attrs = out | ({"parent": key[parent]} if parent else {})
            if (kind, key[kind]) in self.seen:
                first, old, _, _ = self.seen[(kind, key[kind])]
                self.problems += [
                    Problem(
                        (f"{parent}_code" if k == "parent" else self.column(kind, k),),
                        "validation-csv-conflict",
                        {"first_row": first},
                        row=row,
                    )
                    for k in attrs
                    if attrs[k] != old[k]
                ]
                continue
            if kind == "district" and "district" in self.doc:
                self.problems.append(Problem(("district_code",), "validation-csv-second-district", row=row))
                return
            loc: Loc = ("district",)
            if kind == "district":
                self.doc["district"] = out
            else:
                holder, at = (
                    (self.seen[(parent, key[parent])][2], self.seen[(parent, key[parent])][3])
                    if parent
                    else (self.doc, ())
                )
                items = holder.setdefault(plural, [])
                items.append(out)
                loc = at + (plural, len(items) - 1)
            self.seen[(kind, key[kind])] = (row, attrs, out, loc)
            self.rows[loc] = (row, kind)
        unit: dict[str, Any] = {"code": r.unit_code, "area": r.area_m2}
        unit |= {"owner": r.owner_name} if r.owner_name else {}
        unit |= {"developer": r.developer} if r.developer is not None else {}
        _, _, bld, bloc = self.seen[("building", key["building"])]
        units = bld.setdefault("units", [])
        units.append(unit)
        self.rows[bloc + ("units", len(units) - 1)] = (row, "unit")

    @staticmethod
    def column(kind: str, field: str) -> str:
        return COLUMN_OF.get(field) or f"{kind}_{field}"

    def at_row(self, p: Problem) -> Problem:
        """A problem of the document, moved to the row and column it came from."""
        for n in range(len(p.loc), 0, -1):
            if (hit := self.rows.get(p.loc[:n])) is not None:
                row, kind = hit
                rest = [x for x in p.loc[n:] if isinstance(x, str)]
                return Problem((self.column(kind, rest[0]),) if rest else (), p.key, p.params, row)
        return p
