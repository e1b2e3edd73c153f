"""What a newcomer hits first on the command line (issue 11): reaching the sandbox's database,
a database that does not exist, account ids for `--as`, `| head`, example paths from anywhere,
and `gongzhi db revision`."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import storage.migrate
from bot.cli import EXIT_BROKEN_PIPE, build_parser, main
from bot.settings import Settings
from tests.unit.cli_seed import seed_sandbox_database

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "pinggu-demo.yaml"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A working directory outside the project, a configured database that does not exist yet,
    and a sandbox directory of its own."""
    work = tmp_path / "elsewhere"
    work.mkdir()
    monkeypatch.chdir(work)  # no stray .env, and not the project directory
    monkeypatch.setenv("GONGZHI_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'data' / 'gongzhi.db'}")
    monkeypatch.setenv("GONGZHI_SANDBOX_DIR", str(tmp_path / "sb"))
    monkeypatch.setenv("GONGZHI_BOT_USERNAME", "pinggu_bot")
    for name in ("GONGZHI_BOT_TOKEN", "GONGZHI_LOCALE"):
        monkeypatch.delenv(name, raising=False)
    return Settings()


def db_file(env: Settings) -> Path:
    return Path(env.database_url.removeprefix("sqlite+aiosqlite:///"))


# ---- a database that does not exist ------------------------------------------------------------
def test_a_missing_database_is_not_created_and_the_error_says_what_to_do(
    env: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (
        ["accounts", "list"],
        ["org", "import", str(DEMO)],
        ["sla", "list"],
        ["db", "current"],
        ["export", "tickets", "--period", "2026Q4"],
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert f"没有数据库：{db_file(env)} 不存在" in err and "`gongzhi db upgrade`" in err
        assert "先运行一次 `gongzhi sandbox`" in err  # the sandbox has no database either
    assert not db_file(env).exists() and not db_file(env).parent.exists()

    seed_sandbox_database(env)
    assert main(["accounts", "list", "--role", "admin"]) == 2
    err = capsys.readouterr().err
    assert f"本地沙盒的数据库在 {env.sandbox_dir / 'sandbox.db'}" in err
    assert "gongzhi --sandbox accounts list --role admin" in err
    assert not db_file(env).exists()


def test_a_bot_with_a_token_refuses_a_missing_database(
    env: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GONGZHI_BOT_TOKEN", "123:abc")
    assert main(["run"]) == 2
    assert "没有数据库" in capsys.readouterr().err and not db_file(env).exists()


def test_an_existing_empty_database_still_asks_for_an_upgrade(
    env: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    db_file(env).parent.mkdir()
    sqlite3.connect(db_file(env)).close()
    assert main(["accounts", "list"]) == 2
    assert "数据库结构不是最新版本" in capsys.readouterr().err


# ---- where, --sandbox --------------------------------------------------------------------------
def test_where_names_both_databases_and_creates_nothing(
    env: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["where"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"数据库（来自 GONGZHI_DATABASE_URL）：{env.database_url}",
        "还不存在：运行 `gongzhi db upgrade` 新建。",
        f"本地沙盒的数据库：{env.sandbox_database_url()}",
        "沙盒数据库还不存在：运行一次 `gongzhi sandbox` 就会创建。",
    ]
    assert not db_file(env).exists() and not env.sandbox_dir.exists()

    seed_sandbox_database(env)
    assert main(["db", "upgrade"]) == 0
    capsys.readouterr()
    assert main(["where"]) == 0
    out = capsys.readouterr().out.splitlines()
    head = storage.migrate.head_revision()
    assert out[1] == f"结构版本：{head}（最新：{head}）"
    assert out[3] == "在命令中加上 --sandbox 即可使用它，例如 `gongzhi --sandbox accounts list`。"
    assert main(["--sandbox", "where"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"数据库（--sandbox，本地沙盒）：{env.sandbox_database_url()}" and len(out) == 2


def test_where_hides_a_password(
    env: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GONGZHI_DATABASE_URL", "postgresql+asyncpg://gz:s3cret@127.0.0.1:1/nodb")
    assert main(["where"]) == 0
    out = capsys.readouterr().out
    assert "postgresql+asyncpg://gz:***@127.0.0.1:1/nodb" in out and "s3cret" not in out
    assert "无法打开：" in out  # nothing listens on port 1


def test_sandbox_flag_reaches_the_sandbox_database_before_or_after_the_command(
    env: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_sandbox_database(env, phones={"林涛": "13812345678"})
    assert main(["--sandbox", "accounts", "list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "账号 ID · 姓名 · 手机 · 角色（`--as ID` 用这里的 ID）" and out[-1] == "共 20 个账号。"
    assert re.fullmatch(r"\d+ · 王秀兰 · 无手机号 · 居民@XGY（兴谷园小区）", out[1])
    admin = next(line for line in out if "林涛" in line)
    assert "13******678" in admin and "13812345678" not in admin and "管理员@PG（平谷区）" in admin
    admin_id = admin.split(" · ")[0]
    assert main(["accounts", "list", "--sandbox", "--role", "admin"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [admin, "共 1 个账号。"]
    # the id is what `export --unmasked --as` wants
    assert main(["--sandbox", "export", "tickets", "--period", "2026Q4", "--unmasked", "--as", admin_id]) == 0
    assert capsys.readouterr().out.startswith("工单号,")
    assert not db_file(env).exists()


def test_accounts_list_filters_by_role_and_org(env: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    seed_sandbox_database(env)
    assert main(["--sandbox", "accounts", "list", "--org", "YJWY"]) == 0
    names = [line.split(" · ")[1] for line in capsys.readouterr().out.splitlines()[1:-1]]
    assert names == ["周强", "吴立新"]
    assert main(["--sandbox", "accounts", "list", "--org", "BH", "--role", "resident"]) == 0  # under 滨河街道
    names = [line.split(" · ")[1] for line in capsys.readouterr().out.splitlines()[1:-1]]
    assert names == ["王秀兰", "李建国", "赵淑芬", "刘芳"]
    assert main(["--sandbox", "accounts", "list", "--org", "XGY", "--role", "street"]) == 0
    assert capsys.readouterr().out == "没有符合条件的账号。\n"
    assert main(["--sandbox", "accounts", "list", "--org", "NOPE"]) == 2
    assert "找不到组织 NOPE" in capsys.readouterr().err


def test_accounts_list_in_english(
    env: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_sandbox_database(env)
    monkeypatch.setenv("GONGZHI_LOCALE", "en")
    assert main(["--sandbox", "accounts", "list", "--role", "street"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Account ID · name · phone · roles") and out[-1] == "2 accounts."
    assert out[1].endswith(" · 何志刚 · no phone · street officer@BH (滨河街道)")


# ---- files given by a relative path ------------------------------------------------------------
def test_example_paths_work_from_any_directory(env: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert Path.cwd() != ROOT
    assert main(["db", "upgrade"]) == 0
    assert main(["org", "import", "examples/pinggu-demo.yaml"]) == 0
    assert main(["hotline", "import", "examples/hotline-sample.csv"]) == 0
    assert "新建工单 4 件" in capsys.readouterr().out


def test_a_missing_file_says_where_it_looked(env: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    capsys.readouterr()
    assert main(["hotline", "import", "examples/no-such.csv"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        f"找不到文件 examples/no-such.csv。找过：{Path.cwd() / 'examples' / 'no-such.csv'}; "
        f"{ROOT / 'examples' / 'no-such.csv'}"
    )
    assert main(["plan", "import", "/nowhere/plan.yaml"]) == 2
    assert capsys.readouterr().err.strip() == "找不到文件 /nowhere/plan.yaml。找过：/nowhere/plan.yaml"
    assert main(["sla", "list"]) == 0  # nothing was stored by the refused commands
    assert main(["export", "tickets", "--period", "2026Q4"]) == 0
    assert capsys.readouterr().out.count("PG-2026-") == 0


# ---- | head ------------------------------------------------------------------------------------
def test_a_closed_pipe_ends_quietly(env: Settings) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line, as after `| head -0`
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "bot", "where"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert proc.returncode == EXIT_BROKEN_PIPE
    assert proc.stderr.decode() == ""


# ---- explicit registration ---------------------------------------------------------------------
def _leaves(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = (), func: object = None
) -> dict[tuple[str, ...], object]:
    """Each command line (("sla", "list"), …) with the func its parser or a parent's sets."""
    func = parser.get_default("func") or func
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return {path: func}
    out: dict[tuple[str, ...], object] = {}
    for name, child in subs[0].choices.items():
        out.update(_leaves(child, (*path, name), func))
    return out


def test_every_command_is_registered_with_its_function() -> None:
    leaves = _leaves(build_parser())
    assert {" ".join(k) for k, v in leaves.items() if v is None} == set()
    assert {
        "run",
        "sandbox",
        "db upgrade",
        "db current",
        "db revision",
        "where",
        "org import",
        "invite",
        "accounts list",
        "sla list",
        "report metrics",
        "report ranking",
        "hotline import",
        "export tickets",
        "plan import",
        "plan list",
    } <= {" ".join(k) for k in leaves}


# ---- db revision -------------------------------------------------------------------------------
@pytest.fixture
def migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the migrations, so that a generated revision does not land in the source tree."""
    copy = tmp_path / "migrations"
    shutil.copytree(storage.migrate.MIGRATIONS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(storage.migrate, "MIGRATIONS", copy)
    return copy / "versions"


def test_db_revision_autogenerates_against_the_configured_database(
    env: Settings, migrations: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "revision", "-m", "add whistle"]) == 2  # no database yet
    assert "没有数据库" in capsys.readouterr().err
    assert main(["db", "upgrade"]) == 0
    capsys.readouterr()
    existing = sorted(p.name for p in migrations.glob("*.py") if p.name != "__init__.py")
    head = storage.migrate.head_revision()
    assert head is not None
    nxt = f"{int(head) + 1:04d}"
    assert main(["db", "revision", "-m", "add whistle"]) == 0
    made = migrations / f"{nxt}_add_whistle.py"
    assert capsys.readouterr().out.splitlines() == [
        f"已生成迁移文件：{made}",
        "请检查其中的操作，然后运行 `gongzhi db upgrade`。",
    ]
    text = made.read_text(encoding="utf-8")
    assert f'revision = "{nxt}"' in text and f'down_revision = "{head}"' in text  # ruff-formatted
    # the models and the migrations agree: nothing to do
    body = text.split("def upgrade() -> None:")[1].split("def downgrade")[0]
    assert [
        line.strip() for line in body.splitlines() if line.strip() and not line.strip().startswith("#")
    ] == ["pass"]
    # the database is now one revision behind: a second revision is refused until it is upgraded
    assert main(["db", "revision", "-m", "another"]) == 2
    assert "数据库结构不是最新版本" in capsys.readouterr().err
    assert sorted(p.name for p in migrations.glob("*.py") if p.name != "__init__.py") == [
        *existing,
        f"{nxt}_add_whistle.py",
    ]
