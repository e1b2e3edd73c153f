"""What every `gongzhi` command shares: where the database is (and whether it exists yet),
and input files given by a path relative to the working directory or to the project."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from bot.settings import Settings
from locales import bundle, t
from services.errors import DomainError

# The directory that holds bot/ (and examples/ in a checkout or an editable install).
PROJECT_DIR = Path(__file__).resolve().parents[1]


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; None for other databases and in-memory SQLite."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def shown_url(url: str) -> str:
    """The URL as printed: the password hidden."""
    return make_url(url).render_as_string(hide_password=True)


def database_exists(url: str) -> bool:
    """False only for a SQLite file that is not there (other databases are asked later)."""
    path = sqlite_file(url)
    return path is None or path.exists()


def missing_database(settings: Settings, *, sandbox: bool, command: str) -> str | None:
    """Why a command cannot run on settings.database_url (a SQLite file that does not exist, so
    opening it would create an empty one), with how to create it or reach the sandbox; None
    when the database is there."""
    path = sqlite_file(settings.database_url)
    if path is None or path.exists():
        return None
    locale = settings.locale
    if sandbox:
        return t(locale, "cli-no-sandbox-database", path=str(path))
    sandbox_file = sqlite_file(settings.sandbox_database_url())
    hint = (
        "cli-no-database-sandbox"
        if sandbox_file is not None and sandbox_file.exists()
        else "cli-no-database-no-sandbox"
    )
    return "\n".join(
        (
            t(locale, "cli-no-database", path=str(path)),
            t(locale, hint, command=command, path=str(sandbox_file)),
        )
    )


def input_file(text: str) -> Path:
    """An argparse type for files a person hands us: the path as given (relative to the working
    directory), else the same relative path under the project directory, so that
    `examples/hotline-sample.csv` works from anywhere. Neither: DomainError naming both places."""
    given = Path(text).expanduser()
    if given.is_file():
        return given
    looked = [given.absolute()]
    if not given.is_absolute():
        fallback = PROJECT_DIR / given
        if fallback.is_file():
            return fallback
        looked.append(fallback)
    raise DomainError("input_file_missing", path=text, looked="; ".join(str(p) for p in looked))


def error_text(locale: str, err: DomainError) -> str:
    """A DomainError in the reader's language (its code when the catalogue has no message)."""
    key = f"error-{err.code.replace('_', '-')}"
    if bundle(locale).has_message(key):
        return t(locale, key, **{k: str(v) for k, v in err.params.items()})
    return f"{err.code}: {err.params}"
