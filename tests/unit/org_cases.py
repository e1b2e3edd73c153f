"""Invalid org documents for the validation tests (unit) and the nothing-stored tests
(storage): each case mutates the demo document and names the problem it must produce."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from services.org_import import load_org_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DEMO = EXAMPLES / "pinggu-demo.yaml"
CSV = EXAMPLES / "pinggu-demo.csv"
XGY = "streets[0].communities[0].compounds[0]"
LHY = "streets[0].communities[0].compounds[1]"
FJY = "streets[1].communities[0].compounds[1]"
Mutation = Callable[[dict[str, Any]], None]


def demo() -> dict[str, Any]:
    return load_org_file(DEMO)


def compound(doc: dict[str, Any], code: str) -> dict[str, Any]:
    for s in doc["streets"]:
        for c in s["communities"]:
            for x in c["compounds"]:
                if x["code"] == code:
                    return x  # type: ignore[no-any-return]
    raise KeyError(code)


def set_path(path: str, value: Any) -> Mutation:
    """A mutation setting doc[a][b]… (ints index lists) to value."""

    def mutate(doc: dict[str, Any]) -> None:
        keys: list[Any] = [int(k) if k.isdigit() else k for k in path.split("/")]
        cur: Any = doc
        for k in keys[:-1]:
            cur = cur[k]
        cur[keys[-1]] = value

    return mutate


def set_compound(code: str, key: str, value: Any) -> Mutation:
    return lambda doc: compound(doc, code).__setitem__(key, value)


def set_units(code: str, b: int, units: list[Any]) -> Mutation:
    return lambda doc: compound(doc, code)["buildings"][b].__setitem__("units", units)


def _add_department(parent: str) -> Mutation:
    return lambda d: d["departments"].append({"code": "X-1", "name": "某局", "parent": parent})


# case -> (mutation, path of the problem, message key, params it must carry)
INVALID: dict[str, tuple[Mutation, str, str, dict[str, Any]]] = {
    "unknown_parent": (
        _add_department("NOPE"),
        "departments[3].parent",
        "validation-unknown-parent",
        {"code": "NOPE"},
    ),
    "parent_wrong_kind": (
        _add_department("XGY"),
        "departments[3].parent",
        "validation-unknown-parent",
        {"code": "XGY"},
    ),
    "duplicate_company": (
        lambda d: d["companies"].append({"code": "YJWY", "name": "另一家"}),
        "companies[2].code",
        "validation-duplicate-code",
        {"code": "YJWY", "other": "companies[0]"},
    ),
    "duplicate_across_kinds": (
        set_compound("XGY", "code", "BH"),
        f"{XGY}.code",
        "validation-duplicate-code",
        {"code": "BH", "other": "streets[0]"},
    ),
    "duplicate_unit": (
        set_units("LHY", 2, [{"code": "3-1-101", "area": 1}, {"code": "3-1-101", "area": 2}]),
        f"{LHY}.buildings[2].units[1].code",
        "validation-duplicate-unit",
        {"code": "3-1-101", "other": f"{LHY}.buildings[2].units[0]"},
    ),
    "duplicate_unit_across_buildings": (
        set_units("LHY", 2, [{"code": "1-1-101", "area": 1}]),
        f"{LHY}.buildings[2].units[0].code",
        "validation-duplicate-unit",
        {"code": "1-1-101", "other": f"{LHY}.buildings[0]"},
    ),
    "duplicate_building": (
        lambda d: compound(d, "FJY")["buildings"].append({"code": "1"}),
        f"{FJY}.buildings[2].code",
        "validation-duplicate-building",
        {"code": "1"},
    ),
    "unknown_company": (
        set_compound("XGY", "company", "NOCO"),
        f"{XGY}.company",
        "validation-unknown-company",
        {"code": "NOCO"},
    ),
    "company_is_not_a_company": (
        set_compound("XGY", "company", "BH"),
        f"{XGY}.company",
        "validation-unknown-company",
        {"code": "BH"},
    ),
    "negative_area": (
        set_units("LHY", 2, [{"code": "3-1-101", "area": -5}]),
        f"{LHY}.buildings[2].units[0].area",
        "validation-at-least",
        {"limit": 0},
    ),
    "negative_generated_area": (
        lambda d: compound(d, "FJY")["buildings"][0].__setitem__("area", -1),
        f"{FJY}.buildings[0].area",
        "validation-at-least",
        {"limit": 0},
    ),
    "area_is_text": (
        set_units("LHY", 2, [{"code": "3-1-101", "area": "89"}]),
        f"{LHY}.buildings[2].units[0].area",
        "validation-number",
        {},
    ),
    "bad_code_space": (
        set_compound("XGY", "code", "X GY"),
        f"{XGY}.code",
        "validation-code",
        {"value": "X GY", "max": 40},
    ),
    "bad_code_chinese": (
        set_path("companies/1/code", "和泰"),
        "companies[1].code",
        "validation-code",
        {"value": "和泰"},
    ),
    "control_character": (
        set_path("companies/0/staff_chat_id", "x\x00"),
        "companies[0].staff_chat_id",
        "validation-control-characters",
        {},
    ),
    "bad_code_long": (
        set_path("streets/0/code", "B" * 41),
        "streets[0].code",
        "validation-code",
        {"max": 40},
    ),
    "bad_unit_code": (
        set_units("LHY", 2, [{"code": "3/101", "area": 1}]),
        f"{LHY}.buildings[2].units[0].code",
        "validation-code",
        {"value": "3/101", "max": 32},
    ),
    "missing_name": (lambda d: compound(d, "XGY").pop("name"), f"{XGY}.name", "validation-missing", {}),
    "null_name": (set_compound("XGY", "name", None), f"{XGY}.name", "validation-missing", {}),
    "missing_code": (lambda d: d["streets"][1].pop("code"), "streets[1].code", "validation-missing", {}),
    "missing_district": (lambda d: d.pop("district"), "district", "validation-missing", {}),
    "missing_unit_area": (
        set_units("LHY", 2, [{"code": "3-1-101"}]),
        f"{LHY}.buildings[2].units[0].area",
        "validation-missing",
        {},
    ),
    "empty_name": (set_path("district/name", "  "), "district.name", "validation-text-empty", {}),
    "long_name": (
        set_path("district/name", "区" * 201),
        "district.name",
        "validation-text-too-long",
        {"max": 200, "length": 201},
    ),
    "unknown_field": (
        lambda d: d["streets"][0].__setitem__("comunities", []),
        "streets[0].comunities",
        "validation-unknown-field",
        {},
    ),
    "unknown_unit_field": (
        set_units("LHY", 2, [{"code": "3-1-101", "area": 1, "ower": "x"}]),
        f"{LHY}.buildings[2].units[0].ower",
        "validation-unknown-field",
        {},
    ),
    "unknown_top_level": (
        lambda d: d.__setitem__("compunds", []),
        "compunds",
        "validation-unknown-field",
        {},
    ),
    "partial_generator": (
        lambda d: compound(d, "FJY")["buildings"][0].pop("per_floor"),
        f"{FJY}.buildings[0]",
        "validation-generator-incomplete",
        {},
    ),
    "generator_fraction": (
        lambda d: compound(d, "FJY")["buildings"][0].__setitem__("floors", 2.5),
        f"{FJY}.buildings[0].floors",
        "validation-whole-number",
        {},
    ),
    "generator_area_list": (
        lambda d: compound(d, "FJY")["buildings"][0].__setitem__("area", [1, 2, 3]),
        f"{FJY}.buildings[0]",
        "validation-generator-areas",
        {"expected": 2, "got": 3},
    ),
    "generated_code_too_long": (
        lambda d: compound(d, "FJY")["buildings"][0].__setitem__("code", "B" * 30),
        f"{FJY}.buildings[0]",
        "validation-generated-code-too-long",
        {"max": 32},
    ),
    "bad_location": (
        set_compound("XGY", "location", [140.0, 117.1]),
        f"{XGY}.location[0]",
        "validation-at-most",
        {"limit": 90},
    ),
    "short_location": (
        set_compound("XGY", "location", [40.1]),
        f"{XGY}.location[1]",
        "validation-missing",
        {},
    ),
    "bad_timezone": (
        set_path("district/timezone", "Mars/Olympus"),
        "district.timezone",
        "validation-timezone",
        {"value": "Mars/Olympus"},
    ),
    "null_timezone": (set_path("district/timezone", None), "district.timezone", "validation-missing", {}),
    "bad_ticket_prefix": (
        set_path("district/ticket_prefix", "PG-2026"),
        "district.ticket_prefix",
        "validation-ticket-prefix",
        {"value": "PG-2026"},
    ),
    "not_a_list": (set_path("companies", {"code": "A"}), "companies", "validation-list", {}),
    "developer_not_bool": (
        set_units("LHY", 2, [{"code": "3-1-101", "area": 1, "developer": "yes"}]),
        f"{LHY}.buildings[2].units[0].developer",
        "validation-yes-no",
        {},
    ),
    "name_on_two_lines": (
        set_path("district/name", "平谷\n区"),
        "district.name",
        "validation-line-break",
        {},
    ),
}
