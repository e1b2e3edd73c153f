"""Settings from the environment (prefix GONGZHI_) and a .env file."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

TELEGRAM_API = "https://api.telegram.org"
SANDBOX_DATABASE = "sandbox.db"  # the sandbox's SQLite file inside GONGZHI_SANDBOX_DIR


def default_database_url() -> str:
    path = Path(user_data_dir("gongzhi", appauthor=False)) / "gongzhi.db"
    return f"sqlite+aiosqlite:///{path}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GONGZHI_", env_file=".env", extra="ignore")

    bot_token: SecretStr | None = None
    database_url: str = Field(default_factory=default_database_url)
    # PostgreSQL connections per process, kept open (an update in hand uses one while handled)
    database_pool: int = Field(default=20, ge=1, le=500)
    telegram_api_base: str = TELEGRAM_API
    timezone: str = "Asia/Shanghai"
    locale: str = "zh_CN"
    # webhook mode (polling when unset)
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    adapter: str = "aiogram"  # or "ptb"
    # several processes: Redis holds the flood limiter and the per-chat lock (unset: in-process)
    redis_url: str | None = None
    metrics_port: int | None = None  # /healthz and /metrics in polling mode (webhook: on its server)
    metrics_listen: str = "127.0.0.1"
    shutdown_seconds: float = Field(default=10.0, ge=0)  # SIGTERM: bound for updates in hand + outbox
    bot_username: str | None = None  # for invite links when getMe is not reachable
    invite_days: int = 7
    tick_seconds: float = Field(default=20.0, gt=0)
    sandbox_port: int = 8080
    sandbox_dir: Path = Field(
        default_factory=lambda: Path(user_data_dir("gongzhi", appauthor=False)) / "sandbox"
    )
    max_description: int = 2000
    max_photos: int = 5
    page_size: int = 5
    holidays_file: Path | None = None
    auto_close_days: int = Field(default=3, ge=1)  # resolved, unanswered → closed
    council_agenda_days: int = Field(default=3, ge=0)  # 议事: agenda posted this many days before
    processed_update_days: int = Field(default=7, ge=1)  # handled update ids are forgotten after this
    retention_days: int = Field(default=3 * 365, ge=1)  # PIPL: closed tickets' personal fields
    invite_attempts: int = Field(default=5, ge=1)  # refused invite codes per account per window
    invite_attempt_minutes: int = Field(default=10, ge=1)
    # "off" only for a Bot API server that enforces no flood limits (the fake one in tests)
    flood_limits: Literal["telegram", "off"] = "telegram"
    # an outbox row claimed by a process that died is sent by another (or the restarted one) after this
    outbox_lease_seconds: float = Field(default=120.0, gt=0)
    # hotline import: received_at must lie from this day to the clock + these hours
    hotline_earliest: date = date(2000, 1, 1)
    hotline_future_hours: int = Field(default=24, ge=0)

    def sandbox_database_url(self) -> str:
        """The local sandbox's own database: the sandbox writes it, `gongzhi --sandbox …` reads it."""
        return f"sqlite+aiosqlite:///{self.sandbox_dir.expanduser() / SANDBOX_DATABASE}"
