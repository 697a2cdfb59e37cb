"""The one-line reason, in billflow's words, for an error that ended a document's processing.

A bad document's ``BadDocument`` already says why. Any other error is named by its type and
described by what it means here; its own message, which may hold library paths, object
addresses or SQL, stays in the traceback kept beside the reason (``error_detail``).
"""

from __future__ import annotations

from kombu.exceptions import KombuError
from redis.exceptions import RedisError
from sqlalchemy.exc import DBAPIError

from workers.rasterize import BadDocument


def failure_reason(exc: BaseException) -> str:
    """``exc`` as the reason a person reads in ``billflow list``/``show`` and the API."""
    if isinstance(exc, BadDocument):
        return str(exc)
    name = _error_name(exc)
    if isinstance(exc, DBAPIError):
        return f"{name}: the database failed the work; check BILLFLOW_DATABASE_URL and the server"
    if isinstance(exc, (KombuError, RedisError, ConnectionError, TimeoutError)):
        return f"{name}: the broker or a server could not be reached; check BILLFLOW_BROKER_URL and the server"
    if isinstance(exc, MemoryError):
        return f"{name}: out of memory while processing it"
    if isinstance(exc, OSError):
        cause = f" ({exc.strerror})" if exc.strerror else ""
        return f"{name}: a file in the data directory could not be written or read{cause}; check BILLFLOW_DATA_DIR"
    return f"{name}: an unexpected error stopped it (a bug in billflow); the traceback is in the error detail"


def _error_name(exc: BaseException) -> str:
    """The error's class name, with its module when the name alone says nothing (``cv2.error``)."""
    name = type(exc).__name__
    return name if name[:1].isupper() else f"{type(exc).__module__}.{name}"
