"""Org files (YAML and CSV) are checked by pydantic models without a database: every
problem carries its path and a message key, rendered in the operator's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from locales.problems import render_problem, render_problems
from services.org_file import load_org_file
from services.org_parse import parse_org
from services.validation import FileInvalid, Problem
from tests.unit.org_cases import CSV, DEMO, INVALID, LHY, compound, demo, set_units


def problems(doc: object) -> list[Problem]:
    with pytest.raises(FileInvalid) as exc:
        parse_org(doc)
    assert exc.value.code == "org_file_invalid" and exc.value.params["count"] == len(exc.value.problems)
    return exc.value.problems


def test_the_examples_are_valid() -> None:
    spec = parse_org(demo())
    assert (len(spec.nodes), len(spec.buildings), len(spec.units)) == (19, 12, 144)
    assert spec.units[("XGY", "2-1-101")] == {"area_m2": 76.8, "owner_name": "王秀兰", "building": "2"}
    assert spec.nodes["PG"].values == {"name": "平谷区", "ticket_prefix": "PG", "timezone": "Asia/Shanghai"}
    assert spec.nodes["XGY"].values["latitude"] == 40.1412 and spec.nodes["XGY"].company == "YJWY"
    csv = parse_org(load_org_file(CSV))
    assert (len(csv.nodes), len(csv.buildings), len(csv.units)) == (6, 3, 9)


@pytest.mark.parametrize("case", sorted(INVALID))
def test_each_problem_has_its_path_and_key(case: str) -> None:
    mutate, path, key, params = INVALID[case]
    doc = demo()
    mutate(doc)
    found = [(p.path, p.key, p.params) for p in problems(doc)]
    assert [(p, k) for p, k, _ in found].count((path, key)) == 1, found
    got = next(x for p, k, x in found if (p, k) == (path, key))
    assert {k: got.get(k) for k in params} == params


def test_every_problem_is_reported_at_once() -> None:
    doc = demo()
    compound(doc, "XGY")["company"] = "NOCO"  # a reference problem …
    set_units("LHY", 2, [{"code": "3-1-101", "area": -1}])(doc)  # … and two field problems
    doc["district"]["timezone"] = "Nowhere"
    assert sorted(p.key for p in problems(doc)) == [
        "validation-at-least",
        "validation-timezone",
        "validation-unknown-company",
    ]


def test_owner_and_developer_are_read_and_optional() -> None:
    doc = demo()
    set_units(
        "LHY",
        2,
        [
            {"code": "3-1-101", "area": 142.6, "owner": "业主甲", "developer": True},
            {"code": "3-1-102", "area": 142.6, "owner": "业主甲"},
            {"code": "3-1-201", "area": 138.0, "owner": None},
        ],
    )(doc)
    units = parse_org(doc).units
    assert units[("LHY", "3-1-101")] == {
        "area_m2": 142.6,
        "owner_name": "业主甲",
        "developer": True,
        "building": "3",
    }
    assert units[("LHY", "3-1-102")] == {"area_m2": 142.6, "owner_name": "业主甲", "building": "3"}
    assert units[("LHY", "3-1-201")] == {"area_m2": 138.0, "owner_name": None, "building": "3"}  # null clears


def test_rendered_in_the_operators_language() -> None:
    doc = demo()
    compound(doc, "XGY")["code"] = "X GY"
    [p] = problems(doc)
    assert render_problem("zh_CN", p) == (
        "streets[0].communities[0].compounds[0].code：代码“X GY”应为 1 到 40 个字母、数字、- 或 _"
    )
    assert render_problem("en", p) == (
        'streets[0].communities[0].compounds[0].code: code "X GY" should be 1 to 40 letters, digits, - or _'
    )
    many = [Problem(("a",), "validation-missing")] * 5
    assert render_problems("en", many, limit=3)[-1] == "… and 2 more problems"


def test_every_key_renders_in_both_languages() -> None:
    for case, (mutate, _, _, _) in INVALID.items():
        doc = demo()
        mutate(doc)
        for p in problems(doc):
            for locale in ("zh_CN", "en"):
                assert render_problem(locale, p), case


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding=encoding)
    return p


HEADER = (
    "district_code,district_name,street_code,street_name,community_code,community_name,compound_code,"
    "compound_name,company_code,company_name,building_code,unit_code,area_m2\n"
)
ROW = "PG,平谷区,MF,马坊镇,MF-FY,芳园社区,FYJY,芳园家园,JHWY,嘉禾物业,1,{unit},{area}\n"


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_csv_encodings_with_and_without_bom(tmp_path: Path, encoding: str) -> None:
    text = ("\ufeff" if encoding == "gb18030" else "") + HEADER + ROW.format(unit="1-1-101", area="88.6")
    doc = load_org_file(_write(tmp_path, f"{encoding}.csv", text, encoding))
    assert doc["district"] == {"code": "PG", "name": "平谷区"}
    assert doc["streets"][0]["communities"][0]["compounds"][0]["buildings"][0]["units"] == [
        {"code": "1-1-101", "area": 88.6}
    ]


def test_csv_owner_and_developer_columns(tmp_path: Path) -> None:
    text = (
        HEADER.replace("area_m2", "area_m2,owner_name,developer")
        + ROW.format(unit="1-1-101", area="80").replace("\n", ",张伟,\n")
        + ROW.format(unit="1-1-102", area="80").replace("\n", ",,yes\n")
    )
    units = parse_org(load_org_file(_write(tmp_path, "org.csv", text))).units
    assert units[("FYJY", "1-1-101")] == {"area_m2": 80.0, "owner_name": "张伟", "building": "1"}
    assert units[("FYJY", "1-1-102")] == {"area_m2": 80.0, "developer": True, "building": "1"}


def _csv_problems(tmp_path: Path, text: str) -> list[tuple[str, str]]:
    with pytest.raises(FileInvalid) as exc:
        load_org_file(_write(tmp_path, "org.csv", text))
    return [(p.path, p.key) for p in exc.value.problems]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (HEADER.replace(",area_m2", "") + "x\n", [("row 1", "validation-csv-missing-columns")]),
        (
            HEADER.replace("area_m2", "area_m2,ownr") + "x\n",
            [("row 1, column ownr", "validation-csv-unknown-column")],
        ),
        (HEADER + ROW.format(unit="1-1-101", area="abc"), [("row 2, column area_m2", "validation-number")]),
        (HEADER + ROW.format(unit="1-1-101", area="-1"), [("row 2, column area_m2", "validation-at-least")]),
        (HEADER + ROW.format(unit="", area="1"), [("row 2, column unit_code", "validation-missing")]),
        (HEADER + ROW.format(unit="1 101", area="1"), [("row 2, column unit_code", "validation-code")]),
        (
            HEADER
            + ROW.format(unit="1-1-101", area="1")
            + ROW.format(unit="1-1-102", area="1").replace("芳园家园", "别名"),
            [("row 3, column compound_name", "validation-csv-conflict")],
        ),
        (
            HEADER
            + ROW.format(unit="1-1-101", area="1")
            + ROW.format(unit="1-1-102", area="1").replace("MF-FY,", "MF-X,"),
            [("row 3, column community_code", "validation-csv-conflict")],
        ),  # the compound moved community
        (
            HEADER
            + ROW.format(unit="1-1-101", area="1")
            + ROW.format(unit="1-1-102", area="1").replace("PG,", "SY,"),
            [("row 3, column district_code", "validation-csv-second-district")],
        ),
        (
            HEADER + ROW.format(unit="1-1-101", area="1").replace(",嘉禾物业,", ",,"),
            [("row 2", "validation-csv-company-name")],
        ),
        (
            HEADER + ROW.format(unit="1-1-101", area="1") + ROW.format(unit="1-1-101", area="2"),
            [("row 3, column unit_code", "validation-duplicate-unit")],
        ),
        (
            HEADER + ROW.format(unit="1-1-101", area="1").replace("FYJY", "MF"),
            [("row 2, column compound_code", "validation-duplicate-code")],
        ),
        (HEADER, [("", "validation-csv-no-rows")]),
    ],
)
def test_csv_problems_name_the_row_and_column(
    tmp_path: Path, text: str, expected: list[tuple[str, str]]
) -> None:
    assert _csv_problems(tmp_path, text) == expected


def test_csv_problems_render_with_row_and_column(tmp_path: Path) -> None:
    with pytest.raises(FileInvalid) as exc:
        load_org_file(_write(tmp_path, "org.csv", HEADER + ROW.format(unit="1-1-101", area="abc")))
    assert render_problems("zh_CN", exc.value.problems) == ["第 2 行 area_m2 列：应为数字"]
    assert render_problems("en", exc.value.problems) == ["row 2, column area_m2: should be a number"]


@pytest.mark.parametrize(
    ("name", "text", "key", "params"),
    [
        ("org.txt", "x", "validation-file-type", {"file": "org.txt"}),
        ("org.yaml", "- a\n- b\n", "validation-mapping", {}),
        ("org.yaml", "district: {code: PG\nstreets: [", "validation-yaml-syntax", {"line": 2, "column": 8}),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, text: str, key: str, params: dict[str, object]) -> None:
    with pytest.raises(FileInvalid) as exc:
        load_org_file(_write(tmp_path, name, text))
    [p] = exc.value.problems
    assert (p.key, p.params) == (key, params) and p.path == ""
    with pytest.raises(FileInvalid) as missing:
        load_org_file(tmp_path / "missing.yaml")
    assert missing.value.problems[0].key == "validation-file-unreadable"


def test_yaml_keeps_demo_people_and_dates_stay_text(tmp_path: Path) -> None:
    doc = load_org_file(DEMO)
    assert doc["district"]["code"] == "PG" and len(doc["demo_people"]) == 20
    odd = load_org_file(_write(tmp_path, "org.yaml", "district: {code: PG, name: 2026-13-01}\n"))
    assert odd["district"]["name"] == "2026-13-01"  # an impossible date is text, not a crash


def test_lhy_path_constant_points_at_lhy() -> None:
    assert (
        LHY.endswith("compounds[1]")
        and demo()["streets"][0]["communities"][0]["compounds"][1]["code"] == "LHY"
    )
