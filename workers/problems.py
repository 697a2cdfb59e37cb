"""What stops billflow outside its own code, said in one line that names the setting to fix.

The CLI prints these instead of a traceback (``billflow --debug`` prints both) and exits 2:
a database URL that cannot work, a database that cannot be reached or refuses the login, a
broker that cannot be reached, no worker answering, a data directory billflow may not write.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from kombu.exceptions import OperationalError as BrokerError
from kombu.utils.url import maybe_sanitize_url
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, OperationalError

URL_FORMS = "sqlite:///relative/path.db, sqlite:////absolute/path.db or postgresql://user:password@host:5432/name"


class Problem(RuntimeError):
    """A problem of the environment, with its one-line explanation as the message."""


def database_url_problem(url: str) -> str | None:
    """Why ``url`` cannot work, found before connecting (a SQLite file's folder must exist:
    it is not created); None when it may work."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        return f"BILLFLOW_DATABASE_URL is not a database URL ({exc}): write {URL_FORMS}"
    if parsed.get_backend_name() != "sqlite":
        return None
    if parsed.host or not parsed.database or parsed.database == ":memory:":
        return f"BILLFLOW_DATABASE_URL={url} names no SQLite file: write {URL_FORMS}"
    folder = Path(parsed.database).expanduser().absolute().parent
    if not folder.is_dir():
        return (f"BILLFLOW_DATABASE_URL names a SQLite file in {folder}, which does not exist: "
                "create the folder or fix the URL")
    return None


def data_dir_problem(data_dir: Path) -> str | None:
    """Why billflow cannot write in ``data_dir`` (created when missing); None when it can."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=data_dir):
            pass
    except OSError as exc:
        return unwritable_data_dir(data_dir, exc)
    return None


def unwritable_data_dir(data_dir: Path, exc: OSError) -> str:
    return (f"BILLFLOW_DATA_DIR={data_dir} cannot be written ({exc.strerror or exc}): make it writable "
            "or set BILLFLOW_DATA_DIR to a folder billflow may write")


def broker_unreachable(broker_url: str | None, exc: BaseException) -> str:
    return (f"cannot reach the broker at {maybe_sanitize_url(broker_url or '')} ({_reason(exc)}): start Redis "
            "there, fix BILLFLOW_BROKER_URL, or unset it to process documents in this process")


def no_worker(broker_url: str | None, waiting: int) -> str:
    return (f"no worker answers on the broker {maybe_sanitize_url(broker_url or '')} (BILLFLOW_BROKER_URL): "
            f"start one with `billflow worker`; the {waiting} document(s) stay queued until one runs")


def explain(exc: BaseException, database_url: str, broker_url: str | None, data_dir: Path) -> str | None:
    """The one-line explanation of ``exc`` when the environment caused it; None for a bug."""
    if isinstance(exc, (OperationalError, InterfaceError)):
        return _database(exc, database_url)
    if isinstance(exc, (BrokerError, RedisConnectionError)):
        return broker_unreachable(broker_url, exc)
    if isinstance(exc, OSError) and exc.filename and _inside(Path(str(exc.filename)), data_dir):
        return unwritable_data_dir(data_dir, exc)
    return None


def _database(exc: OperationalError | InterfaceError, url: str) -> str:
    parsed = make_url(url)
    reason = _reason(exc.orig or exc)
    if parsed.get_backend_name() == "sqlite":
        return (f"cannot use the SQLite database {parsed.database} ({reason}): check that billflow may write "
                "the file and its folder, or fix BILLFLOW_DATABASE_URL")
    where = parsed.render_as_string(hide_password=True)
    lowered = reason.lower()
    if "password authentication failed" in lowered or ("role" in lowered and "does not exist" in lowered):
        return f"the database at {where} refused the login ({reason}): fix the user or password in BILLFLOW_DATABASE_URL"
    if "database" in lowered and "does not exist" in lowered:
        return (f"the database server at {parsed.host} has no database {parsed.database!r}: create it "
                "(createdb) or fix BILLFLOW_DATABASE_URL")
    return f"cannot reach the database at {where} ({reason}): start it, or fix BILLFLOW_DATABASE_URL"


def _reason(exc: BaseException) -> str:
    """The gist of a driver's message: its first line, after the last "failed:", without FATAL."""
    line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    gist = line.rsplit(" failed: ", 1)[-1].removeprefix("FATAL:").strip()
    return " ".join(gist.split()) or type(exc).__name__


def _inside(path: Path, folder: Path) -> bool:
    return path.absolute().is_relative_to(folder.absolute())
