"""Page images written as PNG on a background thread while the caller goes on (OCR'ing the
page from memory): at most one image is being written at a time, so a document's pages are
never held together waiting for the disk."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from pathlib import Path

from PIL import Image

from workers.files import write_atomically

PNG_COMPRESSION = 1  # page images are working copies: 2.5x faster to write than level 6, 10% larger


class PageImageWriter:
    """``write`` hands an image to the writing thread and returns once the previous one is on
    disk; leaving the ``with`` block waits for the last. A failed write raises in the caller (at
    its next ``write`` or on leaving the block)."""

    def __enter__(self) -> PageImageWriter:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="billflow-page-writer")
        self._pending: Future | None = None
        return self

    def write(self, path: Path, image: Image.Image) -> None:
        self.wait()
        save = partial(image.save, format="PNG", compress_level=PNG_COMPRESSION)
        self._pending = self._pool.submit(write_atomically, path, save)

    def wait(self) -> None:
        """Until the image handed over last is written (its error raised here)."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def __exit__(self, *exc_info) -> None:
        try:
            self.wait()
        finally:
            self._pool.shutdown(wait=True)
