"""The API's token setting: bare tokens and tokens naming their user (corrections: test_corrections.py)."""

from __future__ import annotations

from api.auth import token_user
from workers.settings import api_tokens


def test_tokens_are_bare_or_name_their_user():
    tokens = api_tokens("s3cret,alice:a-token,bob:b:token,")
    assert tokens == {"s3cret": None, "a-token": "alice", "b:token": "bob"}
    assert token_user(tokens, "a-token") == (True, "alice")
    assert token_user(tokens, "s3cret") == (True, None)
    assert token_user(tokens, "a-tokenX")[0] is False and token_user({}, "")[0] is False
