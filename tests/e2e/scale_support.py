"""Real `gongzhi run` processes for the scale tests: a Redis server of the test's own, a
scratch PostgreSQL database, a small round-robin load balancer and the bot processes."""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from sqlalchemy.engine import make_url

from tests.waiting import until

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("GONGZHI_TEST_DATABASE_URL")
SECRET = "s3cret-for-tests"


async def until_true(check: Callable[[], Awaitable[bool]], timeout: float, what: str) -> None:
    """Return as soon as ``await check()`` holds; fail after ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():
        if loop.time() > deadline:
            raise AssertionError(f"{what} did not hold within {timeout} s")
        await asyncio.sleep(0.05)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@asynccontextmanager
async def redis_server(tmp: Path) -> AsyncIterator[str]:
    """A Redis server on a free port, for this test only (no persistence)."""
    binary = shutil.which("redis-server")
    assert binary is not None
    port = free_port()
    proc = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        import redis.asyncio

        client = redis.asyncio.from_url(url)

        async def answers() -> bool:
            try:
                return bool(await client.ping())
            except Exception:
                return False

        await until_true(answers, 10, "redis-server answering")
        await client.aclose()
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


async def _admin(sql: str) -> None:
    import asyncpg

    assert PG_URL
    u = make_url(PG_URL)
    conn = await asyncpg.connect(
        host=u.host, port=u.port or 5432, user=u.username, password=u.password, database="postgres"
    )
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@asynccontextmanager
async def pg_database() -> AsyncIterator[str]:
    """A scratch database on the test PostgreSQL server, dropped afterwards."""
    assert PG_URL
    name = f"scale_{uuid.uuid4().hex[:10]}"
    await _admin(f"CREATE DATABASE {name}")
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        await _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


class LoadBalancer:
    """Round robin over the bots' webhook ports; a backend that does not answer is skipped."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self._next = itertools.cycle(range(len(ports)))
        self.port = free_port()
        self.served: list[tuple[int, int]] = []  # (backend port, status)
        self._runner: web.AppRunner | None = None
        self._client: aiohttp.ClientSession | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/telegram"

    async def _proxy(self, request: web.Request) -> web.Response:
        assert self._client is not None
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower().startswith("x-telegram")}
        headers["Content-Type"] = "application/json"
        for _ in range(len(self.ports)):
            port = self.ports[next(self._next)]
            try:
                async with self._client.post(
                    f"http://127.0.0.1:{port}/telegram", data=body, headers=headers
                ) as resp:
                    self.served.append((port, resp.status))
                    return web.Response(status=resp.status, body=await resp.read())
            except aiohttp.ClientConnectionError:
                continue
        return web.Response(status=502)

    async def __aenter__(self) -> LoadBalancer:
        self._client = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
        app = web.Application()
        app.router.add_post("/telegram", self._proxy)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._client is not None:
            await self._client.close()


class BotProcess:
    """`python -m bot run` in webhook mode on its own port."""

    def __init__(self, tmp: Path, env: dict[str, str], port: int | None = None) -> None:
        self.port = port or free_port()
        self.log = tmp / f"bot-{self.port}.log"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("GONGZHI_")},
            "GONGZHI_WEBHOOK_SECRET": SECRET,
            "GONGZHI_WEBHOOK_PORT": str(self.port),
            "PYTHONPATH": str(ROOT),
            **env,
        }
        self.cwd = tmp
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> BotProcess:
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"], env=self.env, cwd=self.cwd, stdout=out, stderr=out
            )
        try:
            await until_true(self.healthy, 60, f"bot on {self.port} healthy")
        except AssertionError as e:
            raise AssertionError(f"{e}: {self.tail()}") from None
        return self

    async def get(self, path: str) -> tuple[int, str]:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as s:
            async with s.get(self.base + path) as r:
                return r.status, await r.text()

    async def healthy(self) -> bool:
        if self.proc is not None and self.proc.poll() is not None:
            raise AssertionError(f"bot on {self.port} exited: {self.tail()}")
        try:
            status, _ = await self.get("/healthz")
        except aiohttp.ClientError:
            return False
        return status == 200

    async def metric(self, name: str) -> float | None:
        try:
            _, text = await self.get("/metrics")
        except aiohttp.ClientError:
            return None
        for line in text.splitlines():
            if line.startswith(name + " ") or line.startswith(name + "{"):
                return float(line.rsplit(" ", 1)[1])
        return None

    def tail(self, n: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def signal(self, sig: int) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)

    async def exited(self, timeout: float) -> int:
        assert self.proc is not None
        proc = self.proc
        await until(lambda: proc.poll() is not None, timeout, "the bot exiting")
        return int(proc.returncode)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


async def post_update(port: int, update: dict[str, Any]) -> int:
    """POST one update straight to a bot's webhook; its HTTP status (0: no connection)."""
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as s:
            async with s.post(
                f"http://127.0.0.1:{port}/telegram",
                json=update,
                headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
            ) as r:
                return r.status
    except aiohttp.ClientConnectionError:
        return 0


async def gather_statuses(port: int, updates: list[dict[str, Any]]) -> list[int]:
    return list(await asyncio.gather(*(post_update(port, u) for u in updates)))
