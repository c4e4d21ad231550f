# The Puente app image (used by docker-compose.yml for both `app` and `worker`).
FROM python:3.11.14-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /srv/puente
COPY pyproject.toml README.md ./
COPY marketplace ./marketplace
COPY search ./search
COPY templates ./templates
COPY seeds ./seeds
RUN pip install . && useradd --system --home /srv/puente puente && mkdir -p /var/lib/puente && chown puente /var/lib/puente
USER puente
ENV PUENTE_DATA_DIR=/var/lib/puente
EXPOSE 8000
CMD ["puente", "serve", "--host", "0.0.0.0", "--port", "8000"]
