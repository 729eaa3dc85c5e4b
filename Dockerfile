FROM python:3.13-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN DJANGO_SETTINGS_MODULE=halle_smartcity.settings.dev python manage.py compilemessages --ignore=.venv -v0
RUN useradd --create-home mitmachen && mkdir -p /data/media && chown mitmachen /data/media
USER mitmachen
EXPOSE 8000
