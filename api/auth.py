"""Bearer-token access: every route but ``/health`` needs a token from ``BILLFLOW_API_TOKEN``."""

from __future__ import annotations

import hmac

from fastapi import Depends, Header, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

DEFAULT_REVIEWER = "reviewer"
MAX_REVIEWER = 128
UNAUTHORIZED = "a valid bearer token is required"

_bearer = HTTPBearer(auto_error=False, description="BILLFLOW_API_TOKEN")


def token_user(tokens: dict[str, str | None], presented: str) -> tuple[bool, str | None]:
    """Whether ``presented`` is a known token (compared in constant time), and its user."""
    found, user = False, None
    for token, owner in tokens.items():
        if hmac.compare_digest(token.encode(), presented.encode()):
            found, user = True, owner
    return found, user


def reviewer(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
    x_reviewer: str | None = Header(None, description="Who is reviewing, when the token names no user"),
) -> str:
    """The caller's name: the token's user, else ``X-Reviewer``; 401 without a valid token."""
    found, user = token_user(request.app.state.tokens, credentials.credentials) if credentials else (False, None)
    if not found:
        raise HTTPException(401, UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"})
    request.state.token_user = user  # whom the token vouches for, beside the name (the audit trail keeps both)
    return (user or (x_reviewer or "").strip() or DEFAULT_REVIEWER)[:MAX_REVIEWER]
