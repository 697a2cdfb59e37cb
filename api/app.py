"""The FastAPI application: ``uvicorn api.app:app`` (what ``billflow serve`` runs)."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from kombu.exceptions import OperationalError as BrokerError
from swagger_ui_bundle import swagger_ui_path

from api import documents, service
from api.dispatch import make_dispatcher
from api.guard import BodyGuard
from api.metrics import registry
from api.store import pending_ids
from db.session import session_scope
from workers.ocr import OcrEngine
from workers.settings import Settings, get_settings
from workers.template_dir import use_template_dir

DESCRIPTION = """Upload bank bills, waybills, receipts and invoices; read every field with its
provenance; correct fields with an audit trail. Every route but `/health` needs
`Authorization: Bearer <BILLFLOW_API_TOKEN>`. The review page is at `/review`."""
_TOKEN_IN_QUERY = re.compile(r"(?i)([?&]token=)[^&#\s]*")


class RedactTokens(logging.Filter):
    """Blanks ``token=`` query values in uvicorn's access log (the review page takes ``?token=``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_TOKEN_IN_QUERY.sub(r"\1[redacted]", a) if isinstance(a, str) else a for a in record.args)
        return True


_redact_tokens = RedactTokens()


def create_app(settings: Settings | None = None, engine_factory: Callable[[], OcrEngine] | None = None) -> FastAPI:
    """The API for ``settings`` (default: the environment's), with its user templates. Without a
    broker, documents are processed by a thread of this process using ``engine_factory``
    (default: the process engine)."""
    settings = settings or get_settings()
    use_template_dir(settings.template_dir)
    dispatcher = make_dispatcher(settings, engine_factory)
    logging.getLogger("uvicorn.access").addFilter(_redact_tokens)  # added once however many apps

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        dispatcher.start()
        if not settings.broker_url:
            with session_scope(settings.database_url) as session:
                for document_id in pending_ids(session):
                    dispatcher.submit(document_id)
        yield
        dispatcher.stop()

    app = FastAPI(title="billflow", version="0.1.0", description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.tokens = settings.tokens
    app.state.dispatcher = dispatcher
    app.state.metrics = registry(settings.database_url)
    app.include_router(documents.router)
    app.include_router(service.router)
    app.mount("/static", StaticFiles(directory=service.STATIC), name="static")
    app.mount("/docs-assets", StaticFiles(directory=swagger_ui_path), name="docs-assets")
    app.add_exception_handler(BrokerError, _broker_down)
    app.add_middleware(BodyGuard, tokens=app.state.tokens, max_file_mb=settings.max_file_mb)
    return app


async def _broker_down(_request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": f"the broker is unavailable ({exc}); uploaded documents stay queued: "
                                   "POST /documents/{id}/reprocess when it is back"}, status_code=503)


app = create_app()
