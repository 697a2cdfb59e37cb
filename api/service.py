"""Operations routes: ``/health`` (open), ``/metrics`` (Prometheus), the API docs and the review page."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, Request, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from api.auth import reviewer
from api.dispatch import Check
from db.session import engine_for

STATIC = Path(__file__).with_name("static")
REVIEW_PAGE_HEADERS = {  # the page runs its own script and styles only, talks to this API only, is never framed
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; "
                               "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",  # the page may be opened with ?token=
    "X-Content-Type-Options": "nosniff",
}
router = APIRouter()


def database_check(url: str) -> Check:
    try:
        with engine_for(url).connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to answer is the answer
        return Check(False, f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0]}")
    return Check(True, "answering")


@router.get("/health", tags=["operations"])
def health(request: Request, response: Response) -> dict:
    """The database, the broker and a worker, each ``{"ok", "detail"}``. 200 while the database
    answers (``status`` ok, or degraded when the broker or every worker is gone), else 503."""
    dispatcher = request.app.state.dispatcher
    checks = {"database": database_check(request.app.state.settings.database_url),
              "broker": dispatcher.broker(), "worker": dispatcher.worker()}
    if not checks["database"].ok:
        response.status_code = 503
    status = "ok" if all(c.ok for c in checks.values()) else "degraded" if checks["database"].ok else "down"
    return {"status": status, **{name: {"ok": c.ok, "detail": c.detail} for name, c in checks.items()}}


@router.get("/metrics", tags=["operations"], response_class=Response, dependencies=[Depends(reviewer)],
            responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}})
def metrics(request: Request) -> Response:
    """Prometheus text format: documents by status, pages per minute, task latency and OCR
    seconds per page (histograms), read from the database."""
    return Response(generate_latest(request.app.state.metrics), media_type=CONTENT_TYPE_LATEST)


@router.get("/docs", include_in_schema=False)
def docs() -> HTMLResponse:
    """Swagger UI from the installed swagger-ui-bundle (no CDN: works air-gapped)."""
    return get_swagger_ui_html(openapi_url="/openapi.json", title="billflow API",
                               swagger_js_url="/docs-assets/swagger-ui-bundle.js",
                               swagger_css_url="/docs-assets/swagger-ui.css",
                               swagger_favicon_url="/docs-assets/favicon-32x32.png")


@router.get("/review", include_in_schema=False)
def review_page() -> FileResponse:
    """The review page (static; it asks for the token and calls the API with it)."""
    return FileResponse(STATIC / "review.html", media_type="text/html", headers=REVIEW_PAGE_HEADERS)


@router.get("/", include_in_schema=False)
def root() -> RedirectResponse:
    return RedirectResponse("/review")
