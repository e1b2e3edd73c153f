"""Updates per second: a bare echo bot versus Gongzhi's full report flow, per adapter and database.

    .venv/bin/python bench/throughput.py                       # 100 residents x 2 reports
    .venv/bin/python bench/throughput.py --quick               # 20 residents x 1 report (~1 min)
    .venv/bin/python bench/throughput.py --adapters aiogram --databases pg --residents 100

Each bot runs as a subprocess against the in-repo fake Bot API (started here, flood limit
off), polling. Gongzhi runs through bench/flow_bot.py: its own runtime with the project's
flood limiter lifted (only there). The echo bot (bench/echo_bot.py) is the same library with
no database. Every resident joins its compound first (not measured), then walks the report
dialogue ``--reports`` times, 6 updates each (/report, category, description, no photos,
no location, submit), waiting for each answer before the next step, as people do; the echo
bot gets the same updates (text, button, text, button, button, button) from the same users.

Prints per run: updates/s, p50/p95 latency per update (injection to the bot's answer), the
bot's peak RSS and CPU per update; per adapter and database ``ratio flow/echo X``.
PostgreSQL: ``--pg-url`` or GONGZHI_TEST_DATABASE_URL (a scratch database
``gongzhi_bench_<pid>`` is created on that server and dropped at the end); skipped when neither is set.
Goal (issue 14): ratio >= 0.5 on PostgreSQL and p95 <= 250 ms at 100 concurrent residents.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sandbox.fakeapi import FakeBotApi  # noqa: E402

FIRST_USER = 800_001
STAFF_GROUP = -1001000000001  # the demo org's property company group (ticket topics)
DEMO = ROOT / "examples" / "pinggu-demo.yaml"
PG_BENCH_DB = f"gongzhi_bench_{os.getpid()}"  # dropped again at the end
DESCRIPTION = "3号楼2单元楼道灯坏了一个星期, 晚上很黑"
Answer = tuple[str, dict[str, Any]]  # (method, the message the fake returned)
Expect = Callable[[str, dict[str, Any]], bool]


class WatchedApi(FakeBotApi):
    """The fake Bot API, keeping no call log (cheap at 1,000 calls/s); every message the bot
    sends or edits is queued for the resident whose chat it is."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(limits=None, **kw)
        self.answers: dict[str, asyncio.Queue[Answer]] = {}
        self.polled = asyncio.Event()

    def _record(
        self, method: str, params: Any, files: Any, status: int, body: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        if status != 200:
            self.error_counts[status] += 1
        elif method in ("sendMessage", "editMessageText"):
            q = self.answers.get(str(params.get("chat_id")))
            if q is not None and isinstance(body.get("result"), dict):
                q.put_nowait((method, body["result"]))
        elif method == "getUpdates":
            self.polled.set()
        return status, body


def buttons(result: dict[str, Any]) -> list[str]:
    rows = (result.get("reply_markup") or {}).get("inline_keyboard", [])
    return [b.get("callback_data", "") for row in rows for b in row]


def sent_with(prefix: str) -> Expect:
    return lambda m, r: m == "sendMessage" and any(d.startswith(prefix) for d in buttons(r))


def edited_with(prefix: str) -> Expect:
    return lambda m, r: m == "editMessageText" and any(d.startswith(prefix) for d in buttons(r))


def sent(m: str, r: dict[str, Any]) -> bool:
    return m == "sendMessage"


def edited(m: str, r: dict[str, Any]) -> bool:
    return m == "editMessageText"


Step = tuple[str, str, Expect]  # ("text", text, expect) or ("tap", button data prefix, expect)
FLOW_JOIN: list[Step] = [("text", "/start c_XGY", sent_with("sk:")), ("tap", "sk:", sent)]
FLOW_REPORT: list[Step] = [
    ("text", "/report", sent_with("rp:c:")),
    ("tap", "rp:c:", sent),
    ("text", DESCRIPTION, sent_with("rp:done")),
    ("tap", "rp:done", edited_with("rp:noloc")),
    ("tap", "rp:noloc", edited_with("rp:submit")),
    ("tap", "rp:submit", lambda m, r: m == "editMessageText" and "PG-" in str(r.get("text", ""))),
]
ECHO_JOIN: list[Step] = [("text", "/start", sent)]
ECHO_REPORT: list[Step] = [
    ("text", "/report", sent),
    ("tap", "e", edited),
    ("text", DESCRIPTION, sent),
    ("tap", "e", edited),
    ("tap", "e", edited),
    ("tap", "e", edited),
]


class Resident:
    def __init__(self, api: WatchedApi, user: int) -> None:
        self.api, self.user = api, user
        self.queue: asyncio.Queue[Answer] = asyncio.Queue()
        api.answers[str(user)] = self.queue
        self.latest: dict[str, Any] = {}  # the newest message of the bot's with buttons

    def _tap_target(self, prefix: str) -> tuple[int, str]:
        for data in buttons(self.latest):
            if data.startswith(prefix):
                return int(self.latest["message_id"]), data
        raise AssertionError(f"resident {self.user}: no button {prefix!r} in {self.latest}")

    async def step(self, step: Step, timeout: float) -> float:
        kind, arg, expect = step
        started = time.perf_counter()
        if kind == "text":
            self.api.send_text(self.user, arg)
        else:
            self.api.press_button(self.user, *self._tap_target(arg))
        async with asyncio.timeout(timeout):
            while True:
                method, result = await self.queue.get()
                if buttons(result):
                    self.latest = result
                if expect(method, result):
                    return time.perf_counter() - started

    async def walk(self, steps: list[Step], latencies: list[float], timeout: float) -> None:
        for s in steps:
            latencies.append(await self.step(s, timeout))


@dataclass
class Result:
    label: str
    updates: int
    seconds: float
    latencies: list[float]
    rss_mb: float
    cpu_ms_per_update: float
    notes: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.updates / self.seconds if self.seconds else 0.0

    def pct(self, q: int) -> float:
        return statistics.quantiles(self.latencies, n=100)[q - 1] * 1000 if len(self.latencies) > 1 else 0.0

    def line(self) -> str:
        return (
            f"{self.label:<22} {self.rate:8.1f} upd/s  p50 {self.pct(50):7.1f} ms  p95 {self.pct(95):7.1f} ms"
            f"  peak RSS {self.rss_mb:6.1f} MB  CPU {self.cpu_ms_per_update:5.2f} ms/upd"
            + (f"  ({'; '.join(self.notes)})" if self.notes else "")
        )


def proc_stats(pid: int) -> tuple[float, float]:
    """(peak RSS in MB, CPU seconds used) of a running process (Linux /proc)."""
    rss = 0.0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                rss = int(line.split()[1]) / 1024
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return rss, cpu


async def prepare_database(url: str) -> None:
    from services.org_import import import_org, load_org_file
    from storage.db import create_engine
    from storage.migrate import upgrade
    from storage.uow import make_uow_factory

    engine = create_engine(url)
    await upgrade(engine)
    async with make_uow_factory(engine)() as uow:
        await import_org(uow, load_org_file(DEMO))
        await uow.commit()
    await engine.dispose()


async def count_tickets(url: str) -> int:
    from sqlalchemy import func, select

    from storage.db import create_engine
    from storage.models import Ticket

    engine = create_engine(url)
    async with engine.connect() as conn:
        n = int((await conn.execute(select(func.count()).select_from(Ticket))).scalar_one())
    await engine.dispose()
    return n


async def fresh_pg(url: str) -> str:
    """A new scratch database on the server of ``url``; returns its SQLAlchemy URL."""
    import asyncpg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    admin = await asyncpg.connect(
        host=u.host, port=u.port or 5432, user=u.username, password=u.password, database="postgres"
    )
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {PG_BENCH_DB}")
    finally:
        await admin.close()
    return u.set(database=PG_BENCH_DB).render_as_string(hide_password=False)


async def drop_pg(url: str) -> None:
    import asyncpg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    admin = await asyncpg.connect(
        host=u.host, port=u.port or 5432, user=u.username, password=u.password, database="postgres"
    )
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
    finally:
        await admin.close()


async def run_one(
    label: str, cmd: list[str], env: dict[str, str], join: list[Step], report: list[Step], args: Any
) -> Result:
    api = WatchedApi()
    await api.start()
    users = [FIRST_USER + i for i in range(args.residents)]
    for u in users:
        api.add_user(u, f"住户{u - FIRST_USER}")
    api.add_group(STAFF_GROUP, "宜居物业工单", is_forum=True, members=[])
    full_env = {
        **os.environ,
        **env,
        "GONGZHI_BOT_TOKEN": api.token,
        "GONGZHI_TELEGRAM_API_BASE": api.base_url,
    }
    log = tempfile.NamedTemporaryFile(prefix="bench-bot-", suffix=".log", delete=False)  # noqa: SIM115
    proc = subprocess.Popen(
        [*cmd, "--api", api.base_url, "--token", api.token] if "echo_bot" in cmd[1] else cmd,
        env=full_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    try:
        await asyncio.wait_for(api.polled.wait(), timeout=90)
        residents = [Resident(api, u) for u in users]
        warm: list[float] = []
        await asyncio.gather(*(r.walk(join, warm, args.timeout) for r in residents))
        latencies: list[float] = []
        _, cpu0 = proc_stats(proc.pid)
        started = time.perf_counter()
        await asyncio.gather(*(r.walk(report * args.reports, latencies, args.timeout) for r in residents))
        seconds = time.perf_counter() - started
        rss, cpu1 = proc_stats(proc.pid)
        res = Result(label, len(latencies), seconds, latencies, rss, (cpu1 - cpu0) * 1000 / len(latencies))
        if api.error_counts:
            res.notes.append(f"errors from the fake: {dict(api.error_counts)}")
        return res
    except BaseException:
        print(f"{label}: failed; the bot's log is {log.name}", file=sys.stderr)
        raise
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        await api.stop()


async def bench(args: argparse.Namespace) -> list[tuple[str, float]]:
    ratios: list[tuple[str, float]] = []
    py = sys.executable
    pg_url = args.pg_url or os.environ.get("GONGZHI_TEST_DATABASE_URL")
    for adapter in args.adapters:
        echo_cmd = [py, str(ROOT / "bench" / "echo_bot.py"), "--adapter", adapter]
        echo = await run_one(f"echo {adapter}", echo_cmd, {}, ECHO_JOIN, ECHO_REPORT, args)
        print(echo.line(), flush=True)
        for db in args.databases:
            with tempfile.TemporaryDirectory() as tmp:
                if db == "sqlite":
                    url = f"sqlite+aiosqlite:///{tmp}/bench.db"
                elif pg_url:
                    url = await fresh_pg(pg_url)
                else:
                    print(f"flow {adapter} pg: skipped (no --pg-url / GONGZHI_TEST_DATABASE_URL)")
                    continue
                await prepare_database(url)
                env = {
                    "GONGZHI_DATABASE_URL": url,
                    "GONGZHI_ADAPTER": adapter,
                    "GONGZHI_TICK_SECONDS": "3600",
                    "GONGZHI_SANDBOX_DIR": tmp,
                }
                flow_cmd = [py, str(ROOT / "bench" / "flow_bot.py"), *(["--uvloop"] if args.uvloop else [])]
                flow = await run_one(f"flow {adapter} {db}", flow_cmd, env, FLOW_JOIN, FLOW_REPORT, args)
                tickets = await count_tickets(url)
                expected = args.residents * args.reports
                if tickets != expected:
                    flow.notes.append(f"tickets {tickets} != {expected}")
                print(flow.line(), flush=True)
                if db != "sqlite":
                    await drop_pg(url)
                ratio = flow.rate / echo.rate
                ratios.append((f"{adapter} {db}", ratio))
                print(f"ratio flow/echo {ratio:.2f}  ({adapter}, {db})", flush=True)
    return ratios


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="20 residents x 1 report")
    p.add_argument("--residents", type=int, default=100)
    p.add_argument("--reports", type=int, default=2)
    p.add_argument("--adapters", type=lambda s: s.split(","), default=["aiogram", "ptb"])
    p.add_argument("--databases", type=lambda s: s.split(","), default=["pg", "sqlite"])
    p.add_argument("--pg-url", default=None)
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for one answer")
    p.add_argument("--uvloop", action="store_true", help="run Gongzhi on uvloop")
    args = p.parse_args()
    if args.quick:
        args.residents, args.reports = 20, 1
    print(
        f"{args.residents} residents x {args.reports} reports x 6 updates, fake Bot API without flood limit"
    )
    ratios = asyncio.run(bench(args))
    if ratios:
        worst = min(r for _, r in ratios)
        print(f"ratio flow/echo {worst:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
