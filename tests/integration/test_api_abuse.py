"""The HTTP API as an attacker or a careless client meets it: out-of-range numbers and dates,
bodies sent without a token or past the size limits, the review page's headers and the access
log. Through the real stack (FastAPI TestClient, or uvicorn where the transport matters)."""

from __future__ import annotations

import select
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO, free_port
from tests.integration.test_api import AUTH, IDLE_BROKER, TOKEN, api, client, database_url  # noqa: F401 (fixtures)
from tests.integration.workerproc import billflow_env, run_cli

INT64_PAST = 2**63
INT32_PAST = 2**31  # ids and page numbers are INTEGER columns (PostgreSQL's int4)
MB = 1 << 20
MULTIPART = {"Content-Type": "multipart/form-data; boundary=xyz"}
FILE_PART = b'--xyz\r\nContent-Disposition: form-data; name="files"; filename="big.png"\r\n\r\n\x89PNG\r\n\x1a\n'


class CountedBody:
    """A request body streamed in 1 MB chunks that counts how many bytes were taken from it."""

    def __init__(self, megabytes: int):
        self.megabytes, self.taken = megabytes, 0

    def __iter__(self) -> Iterator[bytes]:
        for _ in range(self.megabytes):
            self.taken += MB
            yield b"\0" * MB


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """``billflow serve`` in its own process (SQLite, no broker), and the file its output goes to."""
    folder = tmp_path_factory.mktemp("served")
    port, log = free_port(), folder / "serve.log"
    env = billflow_env(api_token=TOKEN, database_url=f"sqlite:///{folder / 'api.db'}", data_dir=folder / "data",
                       max_file_mb=1)
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "workers.cli", "serve", "--port", str(port)], env=env,
                                   cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while not _answers(url):
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield url, log
    finally:
        process.terminate()
        process.wait(timeout=30)


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=2).status_code < 600
    except httpx.TransportError:
        return False


def chunked_body_taken(url: str, method: str, path: str, headers: dict[str, str], megabytes: int,
                       start: bytes = b"") -> tuple[int, bytes]:
    """Stream a chunked body (``start``, then ``megabytes`` of zeros) until the server answers or
    hangs up: the bytes sent, and the answer's status line."""
    host, port = url.removeprefix("http://").split(":")
    sent, chunk = 0, b"\0" * (64 * 1024)
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        head = "".join(f"{k}: {v}\r\n" for k, v in {"Host": host, "Transfer-Encoding": "chunked", **headers}.items())
        sock.sendall(f"{method} {path} HTTP/1.1\r\n{head}\r\n".encode() + b"%x\r\n%s\r\n" % (len(start), start))
        while sent < megabytes * MB and not select.select([sock], [], [], 0)[0]:
            try:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        return sent, sock.recv(4096).split(b"\r\n", 1)[0]


def test_out_of_range_ids_offsets_and_dates_are_refused(database_url, tmp_path):
    with api(database_url, tmp_path / "data", **IDLE_BROKER) as client:
        refused = [
            ("GET", f"/documents/{INT64_PAST}"), ("GET", f"/documents/{INT32_PAST}"), ("GET", "/documents/0"),
            ("GET", f"/documents/1/pages/{INT32_PAST}"), ("GET", f"/documents/{INT64_PAST}/pages/1/lines"),
            ("POST", f"/documents/{INT64_PAST}/reprocess"), ("PATCH", f"/documents/{INT64_PAST}/fields/total"),
            ("DELETE", f"/documents/{INT64_PAST}"),
            ("GET", f"/documents?offset={INT64_PAST}"),
            ("GET", "/documents?created_from=9999-12-31T23:59:59-14:00"),
            ("GET", "/documents?created_to=0001-01-01T00:00:00%2B14:00"),
        ]
        for method, url in refused:
            response = client.request(method, url, headers=AUTH, json={"value": "1"} if method == "PATCH" else None)
            assert response.status_code == 422, (url, response.status_code, response.text)
        assert "outside the years 1 to 9999" in client.get(refused[-1][1], headers=AUTH).text

        assert client.get(f"/documents/{INT32_PAST - 1}", headers=AUTH).status_code == 404
        last_page = client.get("/documents", params={"offset": INT64_PAST - 1,
                                                     "created_from": "9999-12-31T23:59:59Z"}, headers=AUTH)
        assert last_page.status_code == 200 and last_page.json()["items"] == []


def test_a_body_without_a_valid_token_is_refused_unread(client):
    for method, path, headers in [("POST", "/documents", MULTIPART),
                                  ("PATCH", "/documents/1/fields/total", {"Content-Type": "application/json"})]:
        for token in ({}, {"Authorization": "Bearer wrong"}):
            body = CountedBody(20)
            response = client.request(method, path, content=body, headers={**headers, **token})
            assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
            assert body.taken == 0, (method, path, token)


def test_a_body_declared_larger_than_its_limit_is_refused_unread(tmp_path):
    with api(f"sqlite:///{tmp_path / 'api.db'}", tmp_path / "data", max_file_mb=1, **IDLE_BROKER) as client:
        upload = CountedBody(20)
        response = client.post("/documents", content=upload, headers={**AUTH, **MULTIPART,
                                                                      "Content-Length": str(20 * MB)})
        assert response.status_code == 413 and "larger than 1 MB" in response.json()["detail"]
        assert "BILLFLOW_MAX_FILE_MB" in response.json()["detail"] and upload.taken == 0
        correction = CountedBody(200)
        response = client.patch("/documents/1/fields/total", content=correction,
                                headers={**AUTH, "Content-Type": "application/json", "Content-Length": str(200 * MB)})
        assert response.status_code == 413 and correction.taken == 0
        assert client.get("/documents", headers=AUTH).json()["total"] == 0


@pytest.mark.parametrize("method,path,content_type,start", ids=["json", "upload"], argvalues=[
    ("PATCH", "/documents/1/fields/total", "application/json", b'{"value": "'),
    ("POST", "/documents", MULTIPART["Content-Type"], FILE_PART),  # the server allows 1 MB
])
def test_a_streamed_body_stops_being_read_at_its_limit(served, method, path, content_type, start):
    url, _ = served
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": content_type}
    sent, status = chunked_body_taken(url, method, path, headers, 200, start)
    assert status.startswith(b"HTTP/1.1 413"), status
    assert sent < 32 * MB  # of 200 MB: what the sockets' buffers took after the server stopped reading


def test_the_review_page_cannot_be_framed_nor_leak_its_address(client):
    response = client.get("/review")
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy and "default-src 'none'" in policy
    assert response.headers["x-frame-options"] == "DENY" and response.headers["referrer-policy"] == "no-referrer"


def test_tokens_in_the_query_never_reach_the_access_log(served):
    url, log = served
    assert httpx.get(f"{url}/review", params={"token": "s3cret-in-url", "reviewer": "ann"}).status_code == 200
    assert httpx.get(f"{url}/documents?limit=1&TOKEN=s3cret-in-url").status_code == 401
    deadline = time.monotonic() + 10
    while "limit=1" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    text = log.read_text()
    assert "GET /review?token=[redacted]&reviewer=ann" in text and "limit=1&TOKEN=[redacted]" in text
    assert "s3cret-in-url" not in text


def test_serve_refuses_a_token_given_to_two_users(tmp_path):
    env = billflow_env(api_token="alice:t1,bob:t1", database_url=f"sqlite:///{tmp_path / 'b.db'}")
    result = run_cli(env, "serve", "--port", str(free_port()), timeout=120)
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 2 and "BILLFLOW_API_TOKEN" in output and "bob's token is also alice's" in output
    assert "Traceback" not in output
