"""The local sandbox: the fake Bot API server, the real bot pointed at it, the demo org
with its people already joined, and the web chat — all on 127.0.0.1, no token, no network.

Data lives in one directory (settings.sandbox_dir): the bot's SQLite database
`sandbox.db` and the fake server's chat history `fake/`, so a restart keeps the
conversations; `reset=True` deletes the directory first.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import signal

from aiohttp import web
from pydantic import SecretStr

from bot.adapters.choice import Runtime, make_runtime
from bot.app import uow_factory_for
from bot.settings import Settings
from locales import t
from sandbox.fakeapi import FakeBotApi
from sandbox.fakeapi.persist import WorldStore
from sandbox.people import (
    DEMO_ORG_FILE,
    SANDBOX_BOT_USERNAME,
    Person,
    seed_people,
    staff_groups,
)
from sandbox.webchat.web import make_app
from services.org_import import import_org, load_org_file
from storage.db import create_engine
from storage.migrate import upgrade

log = logging.getLogger(__name__)
HOST = "127.0.0.1"  # the sandbox never listens on another interface
SANDBOX_TOKEN = "7000000000:gongzhi-sandbox-local"
QUIET = ("aiogram.event", "aiogram.dispatcher", "apscheduler", "alembic")
DATA = ("sandbox.db", "sandbox.db-wal", "sandbox.db-shm", "sandbox.db-journal", "fake")


class PortBusy(OSError):
    pass


class Sandbox:
    """Start/stop the whole sandbox; `port=0` picks a free port (tests)."""

    def __init__(self, settings: Settings, *, port: int | None = None, reset: bool = False) -> None:
        if settings.bot_token is not None:
            raise ValueError("the sandbox runs only without GONGZHI_BOT_TOKEN")
        self.settings = settings
        self.directory = settings.sandbox_dir.expanduser()
        self.port = settings.sandbox_port if port is None else port
        self.reset = reset
        self.api = FakeBotApi(SANDBOX_TOKEN, limits=None)
        self.store = WorldStore(self.directory / "fake")
        self.people: list[Person] = []
        self.runtime: Runtime | None = None
        self._runner: web.AppRunner | None = None
        self.url = ""

    def clear(self) -> None:
        """Delete the sandbox's own files (only those: the directory may hold other things)."""
        for name in DATA:
            path = self.directory / name
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()

    @property
    def database_url(self) -> str:
        return self.settings.sandbox_database_url()

    async def _seed(self) -> None:
        """Schema, demo org and demo people (idempotent), and the fake's users and groups."""
        engine = create_engine(self.database_url)
        try:
            await upgrade(engine)
            doc = load_org_file(DEMO_ORG_FILE)
            async with uow_factory_for(self.settings, engine)() as uow:
                await import_org(uow, doc)
                self.people = await seed_people(uow, doc)
                groups = await staff_groups(uow, self.people)
                await uow.commit()
        finally:
            await engine.dispose()
        locale = self.settings.locale
        self.api.world.bot_user.update(
            first_name=t(locale, "sandbox-bot-name"), username=SANDBOX_BOT_USERNAME
        )
        for p in self.people:
            self.api.add_user(p.user_id, p.name, language_code=None)  # the bot's default language
        for g in groups:
            self.api.add_group(
                g.chat_id,
                t(locale, "sandbox-staff-group", org=g.org_name),
                is_forum=True,
                members=list(g.members),
            )

    async def start(self) -> None:
        if self.reset:
            self.clear()
        self.directory.mkdir(parents=True, exist_ok=True)
        await self._seed()
        self.store.restore(self.api.world)
        await self.api.start(HOST, 0)
        self.store.start(self.api.world)
        try:
            await self._start_bot()
            app = make_app(self.api, self.people, self.settings.locale)
            self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
            await self._runner.setup()
            try:
                await web.TCPSite(self._runner, HOST, self.port).start()
            except OSError as exc:
                raise PortBusy(exc.errno, exc.strerror or str(exc)) from exc
        except BaseException:
            await self.stop()
            raise
        self.port = int(self._runner.addresses[0][1])
        self.url = f"http://{HOST}:{self.port}"

    async def _start_bot(self) -> None:
        bot_settings = self.settings.model_copy(
            update={
                "bot_token": SecretStr(self.api.token),
                "telegram_api_base": self.api.base_url,
                "database_url": self.database_url,
                "bot_username": SANDBOX_BOT_USERNAME,
                "webhook_url": None,
            }
        )
        runtime = make_runtime(bot_settings, auto_upgrade=True)
        self.runtime = runtime
        await runtime.start()
        # Ready once aiogram's polling runs (it asks getMe again when it starts): stopping
        # the runtime before that would leave the polling task behind.
        if bot_settings.adapter != "aiogram":
            return
        with contextlib.suppress(TimeoutError):
            await self.api.wait_for(lambda c: c.method == "getMe", since=len(self.api.calls), timeout=10)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self.runtime is not None:
            await self.runtime.stop()
            self.runtime = None
        await self.store.stop()
        await self.api.stop()


async def run_sandbox(settings: Settings, reset: bool, port: int | None) -> int:
    """`gongzhi sandbox` / `gongzhi run` without a token: run until Ctrl+C or SIGTERM."""
    locale = settings.locale
    if settings.bot_token is not None:
        print(t(locale, "sandbox-refused-token"))
        return 2
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    sandbox = Sandbox(settings, port=port, reset=reset)
    try:
        await sandbox.start()
    except PortBusy as exc:
        print(t(locale, "sandbox-port-busy", port=str(sandbox.port), reason=exc.strerror or str(exc)))
        return 1
    if reset:
        print(t(locale, "sandbox-reset-done", dir=str(sandbox.directory)))
    print(t(locale, "sandbox-started", url=sandbox.url))
    print(t(locale, "sandbox-notice", dir=str(sandbox.directory)))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM)
    for sig in signals:
        with contextlib.suppress(NotImplementedError):  # not on Windows
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for sig in signals:
            with contextlib.suppress(NotImplementedError):
                loop.remove_signal_handler(sig)
        await sandbox.stop()
        print(t(locale, "sandbox-stopped"))
    return 0
