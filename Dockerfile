FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends poppler-utils libgl1 libglib2.0-0 libgomp1 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir . \
    && pip install --no-cache-dir --force-reinstall --no-deps opencv-contrib-python==4.10.0.84
ENV BILLFLOW_DATA_DIR=/data
CMD ["billflow", "worker"]
