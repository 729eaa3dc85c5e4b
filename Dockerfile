FROM python:3.13-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# Translations and static files are built into the image, not at start-up.
RUN DJANGO_SETTINGS_MODULE=halle_smartcity.settings.dev python manage.py compilemessages --ignore=.venv -v0 \
 && DJANGO_SETTINGS_MODULE=halle_smartcity.settings.prod SECRET_KEY=build DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    ALLOWED_HOSTS=build REDIS_URL=redis://build SITE_URL=https://build DEFAULT_FROM_EMAIL=build@build SMTP_HOST=build \
    python manage.py collectstatic --no-input -v0
RUN useradd --create-home mitmachen && mkdir -p /data/media && chown mitmachen /data/media
USER mitmachen
EXPOSE 8000
