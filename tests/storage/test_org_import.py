"""Org import from YAML / CSV: counts, idempotency, updates, strict validation (SQLite and PostgreSQL)."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import SQLModel, select

from services.categories import CATEGORIES
from services.errors import DomainError
from services.org_import import ImportReport, import_org, load_org_file
from storage.models import Building, OrgKind, OrgNode, RoutingRule, Unit
from storage.uow import UowFactory

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DEMO = EXAMPLES / "pinggu-demo.yaml"
CSV = EXAMPLES / "pinggu-demo.csv"
TABLES: dict[str, type[SQLModel]] = {"org_node": OrgNode, "building": Building, "unit": Unit,
                                     "routing_rule": RoutingRule}

DEMO_COUNTS = {"district": 1, "company": 2, "street": 2, "department": 5, "community": 3,
               "compound": 5, "building": 12, "unit": 144}


def demo() -> dict[str, Any]:
    return load_org_file(DEMO)


async def run(uow_factory: UowFactory, doc: dict[str, Any]) -> ImportReport:
    async with uow_factory() as uow:
        report = await import_org(uow, doc)
        await uow.commit()
    return report


async def row_counts(uow_factory: UowFactory) -> dict[str, int]:
    async with uow_factory() as uow:
        return {name: (await uow.session.execute(select(func.count()).select_from(t))).scalar_one()
                for name, t in TABLES.items()}


async def node(uow_factory: UowFactory, code: str) -> OrgNode:
    """A detached copy of the stored node (leaving the unit of work expires loaded rows)."""
    async with uow_factory() as uow:
        n = await uow.org.by_code(code)
        assert n is not None
        return OrgNode(**n.model_dump())


def compound(doc: dict[str, Any], code: str) -> dict[str, Any]:
    for s in doc["streets"]:
        for c in s["communities"]:
            for x in c["compounds"]:
                if x["code"] == code:
                    return x  # type: ignore[no-any-return]
    raise KeyError(code)


async def test_demo_import_creates_the_tree(uow_factory: UowFactory) -> None:
    report = await run(uow_factory, demo())
    assert {k: c.created for k, c in report.counts.items()} == DEMO_COUNTS
    assert report.updated == 0 and report.rules_seeded == len(CATEGORIES)
    assert await row_counts(uow_factory) == {"org_node": 18, "building": 12, "unit": 144,
                                             "routing_rule": len(CATEGORIES)}
    old, xgy, yjwy, dist = [await node(uow_factory, c) for c in ("TYXC", "XGY", "YJWY", "PG")]
    assert old.company_id is None and old.kind == OrgKind.compound
    assert xgy.company_id == yjwy.id and yjwy.staff_chat_id == "-1001000000001"
    assert (xgy.latitude, xgy.longitude, xgy.address) == (40.1412, 117.1205, "平谷区兴谷园路1号")
    assert (dist.ticket_prefix, dist.timezone, dist.parent_id) == ("PG", "Asia/Shanghai", None)
    community = await node(uow_factory, "BH-XY")
    street = await node(uow_factory, "BH")
    assert (xgy.parent_id, community.parent_id, street.parent_id) == (community.id, street.id, dist.id)
    assert (await node(uow_factory, "PG-ZJW")).parent_id == dist.id
    assert (await node(uow_factory, "BH-CG")).parent_id == street.id
    async with uow_factory() as uow:
        u = await uow.org.unit(xgy.id or 0, "2-1-101")  # generated, owner added by an override
        assert u is not None and (u.area_m2, u.owner_name) == (76.8, "王秀兰")
        b = await uow.org.building(xgy.id or 0, "2")
        assert b is not None and b.name == "2号楼" and u.building_id == b.id


async def test_demo_people_are_returned_and_resolvable(uow_factory: UowFactory) -> None:
    doc = demo()
    await run(uow_factory, doc)
    people = doc["demo_people"]
    roles = [p["role"] for p in people]
    assert roles.count("resident") == 5 and roles.count("staff") == 2 and roles.count("manager") == 2
    assert roles.count("community") == 3 and roles.count("street") == 2 and roles.count("admin") == 1
    assert len({p["key"] for p in people}) == len(people)
    async with uow_factory() as uow:
        for p in people:
            org = await uow.org.by_code(p["org"])
            assert org is not None, p
            if "unit" in p:
                assert await uow.org.unit(org.id or 0, p["unit"]) is not None, p


async def test_reimport_changes_nothing(uow_factory: UowFactory) -> None:
    await run(uow_factory, demo())
    before = await row_counts(uow_factory)
    report = await run(uow_factory, demo())
    assert report.created == 0 and report.updated == 0 and not report.changed
    assert {k: c.unchanged for k, c in report.counts.items()} == DEMO_COUNTS
    assert report.rules_seeded == 0
    assert await row_counts(uow_factory) == before


async def test_changes_are_updated(uow_factory: UowFactory) -> None:
    await run(uow_factory, demo())
    doc = demo()
    lhy = compound(doc, "LHY")
    lhy["name"] = "柳河苑(南区)"
    lhy["company"] = "HTWY"                                  # company link moves
    lhy["buildings"][2]["units"][1]["area"] = 150.0          # 3-1-102
    compound(doc, "TYXC")["company"] = "YJWY"                # the old compound gets a company
    doc["district"]["name"] = "北京市平谷区"
    report = await run(uow_factory, doc)
    assert report.counts["compound"].updated == 2 and report.counts["compound"].unchanged == 3
    assert report.counts["unit"].updated == 1 and report.counts["district"].updated == 1
    assert report.created == 0 and report.updated == 4
    htwy, yjwy = await node(uow_factory, "HTWY"), await node(uow_factory, "YJWY")
    n = await node(uow_factory, "LHY")
    assert (n.name, n.company_id) == ("柳河苑(南区)", htwy.id)
    assert (await node(uow_factory, "TYXC")).company_id == yjwy.id
    assert (await node(uow_factory, "PG")).name == "北京市平谷区"
    async with uow_factory() as uow:
        u = await uow.org.unit(n.id or 0, "3-1-102")
        assert u is not None and u.area_m2 == 150.0
    # back to no company: omitting `company` clears the link
    del compound(doc, "TYXC")["company"]
    report = await run(uow_factory, doc)
    assert report.updated == 1 and (await node(uow_factory, "TYXC")).company_id is None


async def test_absent_optional_attributes_are_kept(uow_factory: UowFactory) -> None:
    await run(uow_factory, demo())
    doc = demo()
    del doc["companies"][0]["staff_chat_id"]
    del compound(doc, "XGY")["address"]
    assert not (await run(uow_factory, doc)).changed
    assert (await node(uow_factory, "YJWY")).staff_chat_id == "-1001000000001"
    doc["companies"][0]["staff_chat_id"] = None              # explicit null clears
    assert (await run(uow_factory, doc)).counts["company"].updated == 1
    assert (await node(uow_factory, "YJWY")).staff_chat_id is None


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A mutation setting doc[a][b]… (ints index lists) to value."""
    def mutate(doc: dict[str, Any]) -> None:
        keys: list[Any] = [int(k) if k.isdigit() else k for k in path.split("/")]
        cur: Any = doc
        for k in keys[:-1]:
            cur = cur[k]
        cur[keys[-1]] = value
    return mutate


def _compound(code: str, key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda doc: compound(doc, code).__setitem__(key, value)


def _units(code: str, b: int, units: list[Any]) -> Callable[[dict[str, Any]], None]:
    return lambda doc: compound(doc, code)["buildings"][b].__setitem__("units", units)


INVALID: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "unknown_parent": (lambda d: d["departments"].append({"code": "X-1", "name": "某局", "parent": "NOPE"}),
                       "departments[X-1]: unknown parent code 'NOPE'"),
    "parent_wrong_kind": (lambda d: d["departments"].append({"code": "X-1", "name": "某局", "parent": "XGY"}),
                          "unknown parent code 'XGY'"),
    "duplicate_company": (lambda d: d["companies"].append({"code": "YJWY", "name": "另一家"}),
                          "companies[YJWY]: duplicate code 'YJWY' (also at companies[YJWY])"),
    "duplicate_across_kinds": (_compound("XGY", "code", "BH"), "duplicate code 'BH' (also at streets[BH])"),
    "duplicate_unit": (_units("LHY", 2, [{"code": "3-1-101", "area": 1}, {"code": "3-1-101", "area": 2}]),
                       "duplicate unit code '3-1-101'"),
    "duplicate_unit_across_buildings": (_units("LHY", 2, [{"code": "1-1-101", "area": 1}]),
                                        "duplicate unit code '1-1-101' in compound LHY"),
    "duplicate_building": (lambda d: compound(d, "FJY")["buildings"].append({"code": "1"}),
                           "duplicate building code '1' in compound FJY"),
    "unknown_company": (_compound("XGY", "company", "NOCO"),
                        "compounds[XGY].company: unknown company code 'NOCO'"),
    "company_is_not_a_company": (_compound("XGY", "company", "BH"), "unknown company code 'BH'"),
    "negative_area": (_units("LHY", 2, [{"code": "3-1-101", "area": -5}]),
                      "units[3-1-101].area: expected a number between 0.0 and inf, got -5"),
    "negative_generated_area": (lambda d: compound(d, "FJY")["buildings"][0].__setitem__("area", -1),
                                "buildings[1].area: expected a number"),
    "bad_code_space": (_compound("XGY", "code", "X GY"), "code 'X GY' must match"),
    "bad_code_chinese": (_set("companies/1/code", "和泰"), "code '和泰' must match"),
    "bad_code_long": (_set("streets/0/code", "B" * 41), "must match ^[A-Za-z0-9_-]{1,40}$"),
    "bad_unit_code": (_units("LHY", 2, [{"code": "3/101", "area": 1}]), "code '3/101' must match"),
    "missing_name": (lambda d: compound(d, "XGY").pop("name"), "compounds[XGY]: missing required field 'name'"),
    "missing_code": (lambda d: d["streets"][1].pop("code"), "streets[#1]: missing required field 'code'"),
    "missing_district": (lambda d: d.pop("district"), "file: missing required field 'district'"),
    "missing_unit_area": (_units("LHY", 2, [{"code": "3-1-101"}]), "units[3-1-101]: missing required field 'area'"),
    "empty_name": (_set("district/name", "  "), "district.name: expected non-empty text"),
    "unknown_field": (lambda d: d["streets"][0].__setitem__("comunities", []),
                      "streets[BH]: unknown field 'comunities'"),
    "unknown_top_level": (lambda d: d.__setitem__("compunds", []), "file: unknown field 'compunds'"),
    "partial_generator": (lambda d: compound(d, "FJY")["buildings"][0].pop("per_floor"),
                          "needs entrances, floors, per_floor and area"),
    "generator_fraction": (lambda d: compound(d, "FJY")["buildings"][0].__setitem__("floors", 2.5),
                           "buildings[1].floors: expected a whole number between 1 and 99, got 2.5"),
    "generator_area_list": (lambda d: compound(d, "FJY")["buildings"][0].__setitem__("area", [1, 2, 3]),
                            "expected 2 areas"),
    "bad_location": (_compound("XGY", "location", [140.0, 117.1]), "compounds[XGY].location: expected a number"),
    "bad_timezone": (_set("district/timezone", "Mars/Olympus"), "unknown timezone 'Mars/Olympus'"),
    "bad_ticket_prefix": (_set("district/ticket_prefix", "PG-2026"), "district.ticket_prefix"),
    "not_a_list": (_set("companies", {"code": "A"}), "companies: expected a list"),
}


@pytest.mark.parametrize("case", sorted(INVALID))
async def test_invalid_file_is_rejected_and_nothing_stored(uow_factory: UowFactory, case: str) -> None:
    await run(uow_factory, demo())
    before = await row_counts(uow_factory)
    mutate, expected = INVALID[case]
    doc = demo()
    doc["district"]["name"] = "改名"                      # a valid change that must not be stored
    compound(doc, "JGJY")["buildings"].append({"code": "9", "units": [{"code": "9-1-101", "area": 50}]})
    mutate(doc)
    async with uow_factory() as uow:
        with pytest.raises(DomainError) as exc:
            await import_org(uow, doc)
        await uow.commit()                               # even a careless caller stores nothing
    assert exc.value.code == "org_file_invalid"
    assert expected in exc.value.params["detail"], exc.value.params["detail"]
    assert await row_counts(uow_factory) == before
    assert (await node(uow_factory, "PG")).name == "平谷区"


async def test_invalid_file_on_empty_database_stores_nothing(uow_factory: UowFactory) -> None:
    doc = demo()
    compound(doc, "TYXC")["company"] = "NOCO"
    with pytest.raises(DomainError, match="org_file_invalid"):
        await run(uow_factory, doc)
    assert await row_counts(uow_factory) == dict.fromkeys(TABLES, 0)


async def test_all_errors_are_reported_together(uow_factory: UowFactory) -> None:
    doc = demo()
    compound(doc, "XGY")["company"] = "NOCO"
    _units("LHY", 2, [{"code": "3-1-101", "area": -1}])(doc)
    with pytest.raises(DomainError) as exc:
        await run(uow_factory, doc)
    assert len(exc.value.params["errors"]) == 2


async def test_code_used_by_another_kind_in_database(uow_factory: UowFactory) -> None:
    await run(uow_factory, demo())
    before = await row_counts(uow_factory)
    doc = demo()
    doc["companies"].append({"code": "ZZ", "name": "新物业"})
    other = {"district": {"code": "SY", "name": "顺义区"}, "companies": [{"code": "BH", "name": "冒名物业"}]}
    with pytest.raises(DomainError) as exc:
        await run(uow_factory, other)
    assert "companies[BH]: code 'BH' is already used by a street" in exc.value.params["detail"]
    assert await row_counts(uow_factory) == before


async def test_csv_example_imports(uow_factory: UowFactory) -> None:
    report = await run(uow_factory, load_org_file(CSV))
    assert {k: c.created for k, c in report.counts.items()} == {
        "district": 1, "company": 1, "street": 1, "department": 0, "community": 1, "compound": 2,
        "building": 3, "unit": 9}
    old, fyjy, co = [await node(uow_factory, c) for c in ("MFXC", "FYJY", "JHWY")]
    assert old.company_id is None and fyjy.company_id == co.id
    async with uow_factory() as uow:
        u = await uow.org.unit(old.id or 0, "1-1-101")
        assert u is not None and (u.area_m2, u.owner_name) == (56.3, "李娜")
    assert not (await run(uow_factory, load_org_file(CSV))).changed
    # the CSV district (same code, no ticket_prefix column) merges with the YAML demo
    report = await run(uow_factory, demo())
    assert report.counts["district"].unchanged == 1 and report.counts["unit"].created == 144
    assert (await node(uow_factory, "PG")).ticket_prefix == "PG"


async def test_compact_building_generator(uow_factory: UowFactory) -> None:
    doc = {"district": {"code": "T", "name": "测试区"},
           "streets": [{"code": "S", "name": "街道", "communities": [{"code": "C", "name": "社区", "compounds": [
               {"code": "X", "name": "小区", "buildings": [
                   {"code": "3", "entrances": 2, "floors": 2, "per_floor": 2, "area": [80, 90.5],
                    "units": [{"code": "3-2-201", "owner": "张三"}, {"code": "3-2-301", "area": 120}]},
                   {"code": "10", "name": "十号楼", "entrances": 1, "floors": 11, "per_floor": 1, "area": 60}]}]}]}]}
    report = await run(uow_factory, doc)
    assert report.counts["building"].created == 2 and report.counts["unit"].created == 8 + 1 + 11
    x = await node(uow_factory, "X")
    async with uow_factory() as uow:
        rows = (await uow.session.execute(select(Unit).where(Unit.compound_id == x.id))).scalars().all()
        got = {u.code: (u.area_m2, u.owner_name) for u in rows}
        b10 = await uow.org.building(x.id or 0, "10")
        assert b10 is not None and b10.name == "十号楼"
    assert {c: v for c, v in got.items() if c.startswith("3-")} == {
        "3-1-101": (80.0, None), "3-1-102": (90.5, None), "3-1-201": (80.0, None), "3-1-202": (90.5, None),
        "3-2-101": (80.0, None), "3-2-102": (90.5, None), "3-2-201": (80.0, "张三"), "3-2-202": (90.5, None),
        "3-2-301": (120.0, None)}
    assert "10-1-101" in got and "10-1-1101" in got and got["10-1-1101"] == (60.0, None)


def test_load_yaml_keeps_demo_people() -> None:
    doc = load_org_file(DEMO)
    assert doc["district"]["code"] == "PG" and len(doc["demo_people"]) == 15


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding=encoding)
    return p


HEADER = ("district_code,district_name,street_code,street_name,community_code,community_name,compound_code,"
          "compound_name,company_code,company_name,building_code,unit_code,area_m2\n")
ROW = "PG,平谷区,MF,马坊镇,MF-FY,芳园社区,FYJY,芳园家园,JHWY,嘉禾物业,1,{unit},{area}\n"


def test_csv_gb18030_and_bom(tmp_path: Path) -> None:
    text = HEADER + ROW.format(unit="1-1-101", area="88.6")
    for enc in ("gb18030", "utf-8-sig"):
        doc = load_org_file(_write(tmp_path, f"{enc}.csv", text, enc))
        assert doc["district"] == {"code": "PG", "name": "平谷区"}
        assert doc["streets"][0]["communities"][0]["compounds"][0]["buildings"][0]["units"] == [
            {"code": "1-1-101", "area": 88.6}]


@pytest.mark.parametrize(("text", "expected"), [
    (HEADER.replace(",area_m2", "") + "x\n", "missing column(s) area_m2"),
    (HEADER + ROW.format(unit="1-1-101", area="abc"), "row 2: area_m2 'abc' is not a number"),
    (HEADER + ROW.format(unit="", area="1"), "row 2: empty unit_code"),
    (HEADER + ROW.format(unit="1-1-101", area="1") + ROW.format(unit="1-1-102", area="1").replace("芳园家园", "别名"),
     "row 3: compound FYJY has name '别名' but row 2 says '芳园家园'"),
    (HEADER + ROW.format(unit="1-1-101", area="1") + ROW.format(unit="1-1-102", area="1").replace("PG,", "SY,"),
     "row 3: a file holds one district"),
    (HEADER + ROW.format(unit="1-1-101", area="1").replace(",嘉禾物业,", ",,"), "row 2: empty company_name"),
])
def test_csv_errors_name_the_row(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(DomainError) as exc:
        load_org_file(_write(tmp_path, "org.csv", text))
    assert exc.value.code == "org_file_invalid" and expected in exc.value.params["detail"]


def test_load_rejects_bad_files(tmp_path: Path) -> None:
    for name, text, expected in [("org.txt", "x", "unsupported file type"),
                                 ("org.yaml", "- a\n- b\n", "expected a mapping"),
                                 ("org.yaml", "a: [", "cannot read")]:
        with pytest.raises(DomainError) as exc:
            load_org_file(_write(tmp_path, name, text))
        assert expected in exc.value.params["detail"]
    with pytest.raises(DomainError, match="org_file_invalid"):
        load_org_file(tmp_path / "missing.yaml")
