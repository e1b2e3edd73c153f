"""Rectification plan files are checked by pydantic models without a database."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from locales.problems import render_problems
from services.rectification_import import load_plan_file, parse
from services.validation import FileInvalid, load_yaml

PLAN = """\
compound: XGY
quarter: 2026Q4
title: 兴谷园小区整治方案
categories:
  sanitation:
    - {title: 清理楼道堆物, owner: YJWY, deadline: 2026-12-04}
    - {title: 垃圾桶站改造, owner: BH-XY, deadline: "2026-12-31"}
  parking:
    - {title: 施划停车位, owner: 17, deadline: 2027-01-15}
"""


def problems(doc: Any) -> list[tuple[str, str]]:
    with pytest.raises(FileInvalid) as exc:
        parse(doc)
    assert exc.value.code == "rx_file_invalid"
    return [(p.path, p.key) for p in exc.value.problems]


def test_a_valid_plan() -> None:
    head, items = parse(load_yaml(PLAN, "rx_file_invalid"))
    assert (head.compound, head.quarter, head.title) == ("XGY", "2026Q4", "兴谷园小区整治方案")
    assert [(i.category, i.title, i.owner, i.deadline) for i in items] == [
        ("sanitation", "清理楼道堆物", "YJWY", date(2026, 12, 4)),
        ("sanitation", "垃圾桶站改造", "BH-XY", date(2026, 12, 31)),
        ("parking", "施划停车位", "17", date(2027, 1, 15)),
    ]


def test_a_list_of_groups_is_the_same_plan() -> None:
    doc = {
        "compound": "XGY",
        "quarter": "2026Q4",
        "title": "t",
        "categories": [
            {
                "category": "sanitation",
                "items": [{"title": "清理", "owner": "YJWY", "deadline": "2026-12-04"}],
            }
        ],
    }
    assert [i.loc for i in parse(doc)[1]] == [("categories", 0, "items", 0)]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("2026Q4", "2026Q5"), [("quarter", "validation-quarter")]),
        (
            ("deadline: 2026-12-04", "deadline: next week"),
            [("categories.sanitation[0].deadline", "validation-date")],
        ),
        (
            ("deadline: 2026-12-04", "deadline: 2026-13-01"),
            [("categories.sanitation[0].deadline", "validation-date")],
        ),
        (
            ("deadline: 2026-12-04", "deadline: 2026-12-04 10:00"),
            [("categories.sanitation[0].deadline", "validation-date")],
        ),
        (
            ("title: 清理楼道堆物", "titel: 清理楼道堆物"),
            [
                ("categories.sanitation[0].title", "validation-missing"),
                ("categories.sanitation[0].titel", "validation-unknown-field"),
            ],
        ),
        (("compound: XGY\n", "compound: XGY\nowner: me\n"), [("owner", "validation-unknown-field")]),
        (("title: 兴谷园小区整治方案", "title: ''"), [("title", "validation-text-empty")]),
        (
            ("垃圾桶站改造", "清理楼道堆物"),
            [("categories.sanitation[1].title", "validation-plan-duplicate-item")],
        ),
        (
            ("  parking:\n    - {title: 施划停车位, owner: 17, deadline: 2027-01-15}\n", "  parking: none\n"),
            [("categories.parking", "validation-list")],
        ),
        (("owner: 17", "owner: ''"), [("categories.parking[0].owner", "validation-text-empty")]),
    ],
)
def test_problems_have_paths_and_keys(change: tuple[str, str], expected: list[tuple[str, str]]) -> None:
    assert problems(load_yaml(PLAN.replace(*change), "rx_file_invalid")) == expected


def test_categories_of_the_wrong_shape_and_files_that_are_not_plans(tmp_path: Path) -> None:
    assert problems({"compound": "X", "quarter": "2026Q1", "title": "t", "categories": "x"}) == [
        ("categories", "validation-mapping")
    ]
    assert problems([1, 2]) == [("", "validation-mapping")]
    bad = tmp_path / "plan.yaml"
    bad.write_text("compound: [\n", encoding="utf-8")
    with pytest.raises(FileInvalid) as exc:
        load_plan_file(bad)
    assert render_problems("en", exc.value.problems) == ["the file: YAML syntax error at line 2, column 1"]
    with pytest.raises(FileInvalid):
        load_plan_file(tmp_path / "missing.yaml")


def test_problems_render_in_chinese_and_english() -> None:
    with pytest.raises(FileInvalid) as exc:
        parse(load_yaml(PLAN.replace("2027-01-15", "soon"), "rx_file_invalid"))
    assert render_problems("zh_CN", exc.value.problems) == [
        "categories.parking[0].deadline：应为日期，例如 2026-12-31"
    ]
    assert render_problems("en", exc.value.problems) == [
        "categories.parking[0].deadline: should be a date like 2026-12-31"
    ]
