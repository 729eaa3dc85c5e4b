import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "halle_smartcity.settings.prod")

app = Celery("halle_smartcity")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
