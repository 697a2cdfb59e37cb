"""Request bodies: the bearer token is checked before a byte of the body is read, and reading
stops at a size limit. An ASGI middleware, outside routing, because FastAPI reads and parses a
route's body before the route's dependencies (``api.auth.reviewer``) run.

Uploads (``multipart/form-data``) may hold ``BILLFLOW_MAX_FILE_MB`` in all; any other body (a
correction's JSON) ``JSON_LIMIT``. A body declared larger (Content-Length) is refused unread; one
that grows past its limit (chunked, or a lying length) is refused where it crosses it. Refusals
(401, 413) close the connection, so the rest of the body is never read either.
"""

from __future__ import annotations

from fastapi import HTTPException
from fastapi.security.utils import get_authorization_scheme_param
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.auth import UNAUTHORIZED, token_user

JSON_LIMIT = 64 * 1024  # a correction is one value of at most 2,000 characters
MULTIPART_ENVELOPE = 64 * 1024  # boundaries, part headers and form fields around the files
CLOSE = {"Connection": "close"}


class BodyTooLarge(HTTPException):
    """The body crossed its limit while being read: 413, and the connection is closed."""

    def __init__(self, detail: str) -> None:
        super().__init__(413, detail, headers=CLOSE)


class BodyGuard:
    """Token first, then a size limit, for every request that carries a body."""

    def __init__(self, app: ASGIApp, tokens: dict[str, str | None], max_file_mb: float) -> None:
        self.app, self.tokens, self.max_file_mb = app, tokens, max_file_mb

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope) if scope["type"] == "http" else None
        if headers is None or not _has_body(headers):
            return await self.app(scope, receive, send)
        scheme, presented = get_authorization_scheme_param(headers.get("authorization"))
        if scheme.lower() != "bearer" or not token_user(self.tokens, presented)[0]:
            return await _refuse(401, UNAUTHORIZED, {"WWW-Authenticate": "Bearer"}, scope, receive, send)
        limit, too_large = self._limit(headers.get("content-type", ""))
        if (_declared_length(headers) or 0) > limit:
            return await _refuse(413, too_large, {}, scope, receive, send)
        await self._limited(scope, receive, send, limit, too_large)

    def _limit(self, content_type: str) -> tuple[int, str]:
        """The body limit in bytes for this content type, and the 413 message."""
        if content_type.lower().startswith("multipart/form-data"):
            return (int(self.max_file_mb * 1024 * 1024) + MULTIPART_ENVELOPE,
                    f"the upload is larger than {self.max_file_mb:g} MB (BILLFLOW_MAX_FILE_MB), the most one upload "
                    "may hold, be it one file or several")
        return JSON_LIMIT, f"the request body is larger than {JSON_LIMIT // 1024} KB"

    async def _limited(self, scope: Scope, receive: Receive, send: Send, limit: int, too_large: str) -> None:
        read, started = 0, False

        async def counting_receive() -> Message:
            nonlocal read
            message = await receive()
            read += len(message.get("body", b""))
            if read > limit:
                raise BodyTooLarge(too_large)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:  # raised where no exception handler turned it into the response
            if started:
                raise
            await _refuse(413, too_large, {}, scope, receive, send)


def _has_body(headers: Headers) -> bool:
    return "transfer-encoding" in headers or bool(_declared_length(headers))


def _declared_length(headers: Headers) -> int | None:
    value = headers.get("content-length", "")
    return int(value) if value.isdigit() else None


async def _refuse(status: int, detail: str, headers: dict[str, str], scope: Scope, receive: Receive,
                  send: Send) -> None:
    response = JSONResponse({"detail": detail}, status_code=status, headers={**headers, **CLOSE})
    await response(scope, receive, send)
