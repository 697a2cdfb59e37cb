"""Configuration from ``BILLFLOW_*`` environment variables, validated once at start."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting billflow reads. An unset broker means: run the chain in-process."""

    model_config = SettingsConfigDict(env_prefix="BILLFLOW_", extra="ignore")

    broker_url: str | None = Field(None, description="Celery broker (redis://...); unset: in-process")
    result_backend: str | None = Field(None, description="Celery result backend; default: the broker")
    database_url: str = Field("sqlite:///./billflow.db", description="SQLAlchemy database URL")
    data_dir: Path = Field(Path("./billflow-data"), description="Page images and prepared models")
    model_dir: Path | None = Field(None, description="Prepared OCR model folders; default DATA_DIR/models")
    raster_dpi: int = Field(200, ge=50, le=600, description="Resolution PDFs are rasterized at")
    text_layer: bool = Field(True, description="Read a PDF page's own text when it is usable instead of OCR'ing it "
                             "(false: OCR every page)")
    ocr_threads: int | None = Field(None, ge=1, description="CPU threads per OCR engine; default cores/concurrency")
    ocr_backend: Literal["paddle", "openvino"] = Field(
        "openvino", description="What runs the OCR models: openvino (the same weights on OpenVINO, faster, reads "
        "the same lines) or paddle (Paddle Inference, the reference)")
    ocr_precision: Literal["f32", "bf16", "auto"] = Field(
        "f32", description="What the openvino backend computes in: f32; bf16 (faster on CPUs with bf16 "
        "instructions, reads a few characters differently); auto: bf16 where OpenVINO's CPU reports BF16, else "
        "f32. The paddle backend ignores it (always f32)")
    ocr_line_classifier: bool = Field(True, description="Run the 0/180 text-line direction classifier")
    ocr_second_look: bool = Field(True, description="Read again, enlarged, the boxes beside an amount in words "
                                  "where the page pass read no figures (digits printed one per box)")
    preprocess_orientation: bool = Field(True, description="Turn pages upright (0/90/180/270) before OCR")
    preprocess_deskew: bool = Field(True, description="Remove a page's small tilt before OCR")
    preprocess_perspective: bool = Field(True, description="Flatten a photographed page's outline before OCR")
    preprocess_illumination: bool = Field(True, description="Divide out shadows, stretch faint print before OCR")
    worker_concurrency: int | None = Field(None, ge=1, description="Worker processes; default: one per core")
    task_soft_time_limit: int = Field(300, ge=1, description="Seconds before a task is asked to stop")
    task_time_limit: int = Field(360, ge=1, description="Seconds before a task is killed")
    task_max_retries: int = Field(5, ge=0, description="Retries for transient DB/broker faults")
    max_deliveries: int = Field(
        3, ge=1, description="Times a worker process may die running a document's task before the document is "
        "failed instead of delivered again (a poison document would kill every worker it reaches)")
    broker_visibility_timeout: int | None = Field(
        None, ge=1, description="Seconds before a task a dead worker held is delivered again; default 4 x "
        "TASK_TIME_LIMIT. Shorter recovers sooner but must exceed the longest task and retry countdown, "
        "or a slow task is run twice (harmless, rows are upserts, but wasted work)")
    max_file_mb: float = Field(50, gt=0, description="Largest accepted upload")
    max_pages: int = Field(200, ge=1, description="Most pages per document")
    max_page_pixels: int = Field(60_000_000, ge=1, description="Most pixels per rasterized page")
    api_token: str | None = Field(None, description="API bearer token, or user:token pairs joined by commas")
    template_dir: Path | None = Field(
        None, description="Folder of your own templates (*.yml) and their JSON Schemas (*.json): they add to the "
        "bundled templates, or replace the one of their document type")
    done_confidence: float | None = Field(
        None, ge=0, le=1, description="Lowest field confidence (calibrated probability of being right) a document "
        "may end done with; default: the threshold `billflow calibrate` chose for at most 1% silent errors")
    layout_memory: bool = Field(False, description="Weigh where people confirmed values on documents of the same "
                                "layout (`billflow confirm`) when extracting (off by default: measured, it let a few "
                                "more wrong values through on some test sets; see docs/trust.md)")

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, url: str) -> str:
        if not url.startswith(("sqlite", "postgresql")):
            raise ValueError("must be a sqlite:/// or postgresql:// URL")
        return url

    @field_validator("broker_url")
    @classmethod
    def _known_broker(cls, url: str | None) -> str | None:
        if url and not url.startswith(("redis://", "rediss://", "redis+socket://", "memory://")):
            raise ValueError("must be a redis:// URL")
        return url or None

    @field_validator("api_token")
    @classmethod
    def _unambiguous_tokens(cls, spec: str | None) -> str | None:
        if not (spec or "").strip():
            return None
        api_tokens(spec)
        return spec

    @property
    def tokens(self) -> dict[str, str | None]:
        """The API's tokens, each with its user (None for a bare token)."""
        return api_tokens(self.api_token)

    @property
    def models_path(self) -> Path:
        return self.model_dir or self.data_dir / "models"

    @property
    def concurrency(self) -> int:
        return self.worker_concurrency or os.cpu_count() or 1

    @property
    def threads_per_engine(self) -> int:
        return self.ocr_threads or max(1, (os.cpu_count() or 1) // self.concurrency)

    @property
    def visibility_timeout(self) -> int:
        return self.broker_visibility_timeout or 4 * self.task_time_limit

    @property
    def backend_url(self) -> str | None:
        return self.result_backend or self.broker_url


def api_tokens(spec: str | None) -> dict[str, str | None]:
    """``"token"`` or ``"alice:token1,bob:token2"`` → token → its user (None for a bare token,
    which therefore holds no ``:``). ValueError, quoting no token, for a blank around or inside a
    token or a user name, a missing token or user, or a token given twice."""
    tokens: dict[str, str | None] = {}
    for number, item in enumerate((spec or "").split(","), start=1):
        if not item.strip():
            continue
        user, colon, token = item.partition(":")
        user, token = (user, token) if colon else (None, user)
        who = f"{user.strip()}'s token" if user and user.strip() else f"token {number}"
        if not token or user == "":
            raise ValueError(f"{who} has {'no user name before' if token else 'nothing after'} ':'")
        if any(ch.isspace() for ch in token) or (user or "") != (user or "").strip():
            raise ValueError(f"{who} has spaces around it or in it: tokens are compared exactly, so write "
                             "user:token pairs joined by commas, without spaces")
        if token in tokens:
            owner = f"{tokens[token]}'s token" if tokens[token] else "a bare token"
            raise ValueError(f"{who} is also {owner}: give each user a token of their own")
        tokens[token] = user
    return tokens


class SettingsError(RuntimeError):
    """Raised with a readable message when the environment holds an invalid setting."""


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The validated settings of this process (read once)."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"BILLFLOW_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors()
        )
        raise SettingsError(f"invalid billflow configuration: {problems}") from None
