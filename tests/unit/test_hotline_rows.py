"""Hotline CSV rows are read and checked without a database (services/hotline_csv.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from locales.problems import render_problem
from services.hotline_csv import DateWindow, HotlineRow, Rules, check_row, decode, read_rows
from services.validation import Problem

HEADER = "order_no,received_at,address,compound_code,category,content,caller_phone\n"
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # 10:00 in Beijing
RULES = Rules(now=NOW)


def rows(body: str) -> list[tuple[int, str | None]]:
    """(row, order number) per row; None for a malformed one."""
    missing, got = read_rows(HEADER + body)
    assert missing == []
    return [(r.row, r.cells["order_no"] if r.cells is not None else None) for r in got]


def check(**cells: str) -> HotlineRow | list[tuple[str, str, dict[str, object]]]:
    base = {
        "order_no": "GD1",
        "received_at": "2026-11-20 09:31",
        "address": "",
        "compound_code": "XGY",
        "category": "漏水",
        "content": "楼上漏水",
        "caller_phone": "",
    }
    _, [raw] = read_rows(HEADER + ",".join(f'"{v}"' for v in (base | cells).values()) + "\n")
    got = check_row(raw, RULES)
    return got if isinstance(got, HotlineRow) else [(p.path, p.key, dict(p.params)) for p in got]


def test_a_stray_quote_is_one_malformed_row_and_the_rest_are_read() -> None:
    assert rows('A1,t,,X,c,"漏水,138\nA2,t,,X,c,噪音,139\nA3,t,,X,c,暖气,137\n') == [
        (2, None),
        (3, "A2"),
        (4, "A3"),
    ]
    # the swallow ends at a later row's stray quote: that row reads on with a plain quote in it
    assert rows('A1,t,,X,c,"漏水,138\nA2,t,,X,c,噪音",139\nA3,t,,X,c,暖气,137\n') == [
        (2, None),
        (3, "A2"),
        (4, "A3"),
    ]
    assert rows('A1,t,,X,c,漏水,138\nA2,t,,X,c,"噪音,139\n') == [(2, "A1"), (3, None)]  # open at the end
    assert rows('"A1,t,,X,c,漏水,138\nA2,t,,X,c,噪音,139\n"A3,t,,X,c,暖气,137\n') == [
        (2, None),
        (3, "A2"),
        (4, None),
    ]


def test_quoted_multi_line_content_and_plain_quotes_are_accepted() -> None:
    body = (
        'A1,t,,X,c,"第一行\n第二行，还有“引号”\n第三行",138\nA2,t,,X,c,他说"快修",139\nA3,t,,X,c,"引""号",1\n'
    )
    assert rows(body) == [(2, "A1"), (3, "A2"), (4, "A3")]
    _, got = read_rows(HEADER + body)
    assert [r.cells["content"] for r in got if r.cells] == [
        "第一行\n第二行，还有“引号”\n第三行",
        '他说"快修"',
        '引"号',
    ]


def test_empty_rows_keep_their_number_and_short_rows_are_padded() -> None:
    assert rows("A1,t\n,,,,,,\n\nA2,t,,X\n") == [(2, "A1"), (5, "A2")]
    _, got = read_rows(HEADER + "A1,t\n")
    assert got[0].cells is not None and got[0].cells["content"] == ""


def test_the_header_may_come_in_any_order_with_extra_columns_and_a_bom() -> None:
    missing, got = read_rows(
        "\ufeffContent,extra,ORDER_NO,received_at,address,compound_code,category,caller_phone\n"
        "漏水,x,A1,t,,,,\n"
    )
    assert missing == [] and got[0].cells is not None and got[0].cells["order_no"] == "A1"
    assert "extra" not in got[0].cells
    assert read_rows("order_no,content\nA,b\n")[0] == [
        "received_at",
        "address",
        "compound_code",
        "category",
        "caller_phone",
    ]


def test_encodings() -> None:
    assert decode(("\ufeff" + HEADER).encode("gb18030")) == HEADER
    assert decode(("\ufeff" + HEADER).encode("utf-8")) == HEADER
    assert decode("订单,漏水".encode("gb18030")) == "订单,漏水"


def test_a_good_row() -> None:
    r = check(order_no=" gd2026 ", caller_phone="010-6999 1234", content="  屋顶漏水\n已三天  ")
    assert isinstance(r, HotlineRow)
    assert (r.order_no, r.caller_phone, r.content) == ("GD2026", "010-6999 1234", "屋顶漏水\n已三天")
    assert r.received_at == datetime(2026, 11, 20, 1, 31, tzinfo=UTC)
    assert r.address is None and r.compound_code == "XGY"
    full_width = check(order_no="ｇｄ００１")
    assert isinstance(full_width, HotlineRow) and full_width.order_no == "GD001"


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            {"received_at": "0001-01-01 00:00"},
            ("row 2, column received_at", "hotline-date-too-early", {"earliest": "2000-01-01"}),
        ),
        (
            {"received_at": "1900-01-01"},
            ("row 2, column received_at", "hotline-date-too-early", {"earliest": "2000-01-01"}),
        ),
        (
            {"received_at": "9999-12-31T23:59:59-12:00"},
            ("row 2, column received_at", "hotline-date-in-future", {"latest": "2026-11-26 10:00"}),
        ),
        ({"received_at": "昨天"}, ("row 2, column received_at", "hotline-date-format", {"value": "昨天"})),
        ({"received_at": ""}, ("row 2, column received_at", "validation-missing", {})),
        ({"order_no": ""}, ("row 2, column order_no", "validation-missing", {})),
        (
            {"order_no": "G" * 65},
            ("row 2, column order_no", "validation-text-too-long", {"max": 64, "length": 65}),
        ),
        ({"order_no": "G\x001"}, ("row 2, column order_no", "validation-control-characters", {})),
        ({"content": "漏\x00水"}, ("row 2, column content", "validation-control-characters", {})),
        ({"content": "漏\x1b[31m水"}, ("row 2, column content", "validation-control-characters", {})),
        (
            {"content": "漏" * 2001},
            ("row 2, column content", "validation-text-too-long", {"max": 2000, "length": 2001}),
        ),
        ({"content": " "}, ("row 2, column content", "validation-missing", {})),
        ({"caller_phone": "call 13812345678"}, ("row 2, column caller_phone", "hotline-phone", {})),
        ({"compound_code": "X\nY"}, ("row 2, column compound_code", "validation-line-break", {})),
    ],
)
def test_bad_cells(cells: dict[str, str], expected: tuple[str, str, dict[str, object]]) -> None:
    assert check(**cells) == [expected]


def test_the_date_window_is_configurable() -> None:
    rules = Rules(now=NOW, window=DateWindow(earliest=date(1900, 1, 1), future=timedelta(0)))
    _, [old] = read_rows(HEADER + "A,1900-01-01 08:00,,X,c,漏水,\n")
    assert isinstance(check_row(old, rules), HotlineRow)
    _, [soon] = read_rows(HEADER + "A,2026-11-25 10:30,,X,c,漏水,\n")
    assert isinstance(check_row(soon, RULES), HotlineRow)  # half an hour ahead: clock skew
    assert [p.key for p in check_row(soon, rules)] == ["hotline-date-in-future"]  # type: ignore[union-attr]


def test_row_problems_render_without_personal_data() -> None:
    [(_, key, params)] = check(caller_phone="phone 13812345678")  # type: ignore[misc]
    p = Problem(("caller_phone",), key, params, 2)  # type: ignore[arg-type]
    assert (
        render_problem("zh_CN", p)
        == "第 2 行 caller_phone 列：来电号码无法识别（只能包含数字、空格、+ 和 -）"
    )
    assert "13812345678" not in render_problem("en", p)
    malformed = Problem((), "hotline-malformed-row", {}, 7)
    assert render_problem("en", malformed).startswith("row 7: malformed row")
