"""`gongzhi hotline|report|export` through the real command line on a fresh SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main

DEMO = Path(__file__).resolve().parents[2] / "examples" / "pinggu-demo.yaml"
ORDERS = "order_no,received_at,address,compound_code,category,content,caller_phone\n" + "".join(
    f"Q{i},2026-08-{10 + i} 09:30,,{code},漏水,第{i}件漏水投诉,1381234{i:04d}\n"
    for i, code in enumerate(["XGY", "XGY", "XGY", "LHY", "LHY", "LHY", "JGJY"], start=1)
)


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("GONGZHI_DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.delenv("GONGZHI_BOT_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(["db", "upgrade"]) == 0
    assert main(["org", "import", str(DEMO)]) == 0
    return path


def test_import_rank_report_export(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS, encoding="utf-8")
    capsys.readouterr()
    assert main(["hotline", "import", str(orders)]) == 0
    assert "新建工单 7 件，重复 0 行（已跳过），拒收 0 行" in capsys.readouterr().out
    assert main(["hotline", "import", str(orders)]) == 0
    assert "新建工单 0 件，重复 7 行" in capsys.readouterr().out

    assert main(["report", "ranking", "--period", "2026Q3"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1:] == ["1. 柳河苑（LHY）：3 件", "1. 兴谷园小区（XGY）：3 件"]

    assert main(["report", "metrics", "--period", "2026Q3", "--level", "company"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(
        "编码,名称,小区数,收到工单,有效工单,按时响应,响应未到时限,已解决,解决未到时限,"
        "物业转交社区,已评价,满意,基本满意,响应率,解决率,满意率,综合得分"
    )
    # one unanswered order, long past its deadlines: 0 %, nothing pending; no rating: empty
    assert lines[1] == "HTWY,和泰物业管理有限公司,2,1,1,0,0,0,0,0,0,0,0,0.0%,0.0%,,,0.0%,"
    assert lines[2].startswith("YJWY,宜居物业服务有限公司,2,6,6,")

    assert main(["report", "metrics", "--period", "2026Q3", "--format", "xlsx", "--level", "street"]) == 0
    assert "metrics-2026Q3-street.xlsx" in capsys.readouterr().out
    wb = load_workbook(tmp_path / "metrics-2026Q3-street.xlsx")
    assert wb.sheetnames == ["接诉即办指标"]
    ws = wb["接诉即办指标"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "接诉即办指标（按街道（乡镇））2026Q3：2026-07-01 至 2026-09-30"
    assert rows[1][:4] == ("编码", "名称", "小区数", "收到工单")
    assert rows[2][:4] == ("BH", "滨河街道", 3, 6) and rows[2][13] == 0.0 and rows[2][15] is None
    assert ws.cell(row=3, column=14).number_format == "0.0%"
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == "A2:S4"

    out_csv = tmp_path / "tickets.csv"
    assert (
        main(["export", "tickets", "--from", "2026-07-01", "--to", "2026-09-30", "--output", str(out_csv)])
        == 0
    )
    text = out_csv.read_text(encoding="utf-8-sig")
    assert len(text.splitlines()) == 8 and "13******001" in text and "13812340001" not in text
    capsys.readouterr()
    assert main(["export", "tickets", "--period", "2026Q3", "--unmasked", "--as", "1"]) == 2
    assert "没有管理员角色" in capsys.readouterr().err


def test_bad_input_exits_2_with_a_reason(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["report", "metrics", "--period", "2026Q5"]) == 2
    assert "无法识别的统计期“2026Q5”" in capsys.readouterr().err
    assert main(["report", "ranking", "--period", "2026-11"]) == 2
    assert "不是季度" in capsys.readouterr().err
    assert main(["hotline", "import", str(tmp_path / "missing.csv")]) == 2
    assert "找不到文件" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("order_no,content\n1,x\n", encoding="utf-8")
    assert main(["hotline", "import", str(bad)]) == 2
    assert "缺少这些列：received_at,address,compound_code,category,caller_phone" in capsys.readouterr().err
