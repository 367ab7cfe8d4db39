"""The settings pytest runs with: the product's own, as a developer runs them (DJANGO_DEBUG=1 unless given).

DEBUG is off by default in the product; the test client speaks plain HTTP, which production settings would
redirect to HTTPS. Worker processes the integration tests start inherit this environment.
Tests of the production defaults run manage.py in a subprocess with their own environment.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from kyctriage.settings import *  # noqa: E402,F401,F403
