"""WSGI entry point (gunicorn kyctriage.wsgi)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyctriage.settings")
application = get_wsgi_application()
