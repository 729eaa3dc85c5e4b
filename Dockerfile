# The one image for web (gunicorn), worker, beat and the migration one-off.
FROM python:3.13-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 mitmachen
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
# .dockerignore keeps .env, .git and local data out of this copy (and so out of every layer).
COPY . .
# Translations and static files are built into the image, not at start-up. collectstatic
# loads the production settings, which insist on real-looking values: these exist only here.
RUN DJANGO_SETTINGS_MODULE=halle_smartcity.settings.dev python manage.py compilemessages --ignore=.venv -v0 \
 && DJANGO_SETTINGS_MODULE=halle_smartcity.settings.prod \
    SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-build-only \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 ALLOWED_HOSTS=build.invalid \
    REDIS_URL=redis://build.invalid SITE_URL=https://build.invalid \
    DEFAULT_FROM_EMAIL=build@example.org SMTP_HOST=build.invalid \
    python manage.py collectstatic --no-input -v0 \
 && rm -f /tmp/build.sqlite3
RUN mkdir -p /data/media && chown mitmachen /data/media
USER mitmachen
ENV DJANGO_SETTINGS_MODULE=halle_smartcity.settings.prod
EXPOSE 8000
# Exec form: gunicorn itself receives SIGTERM and stops gracefully (graceful_timeout).
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py"]
