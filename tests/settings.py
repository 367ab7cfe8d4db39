"""The settings pytest runs with: the product's own, as a developer runs them (DJANGO_DEBUG=1 unless given).

DEBUG is off by default in the product; the test client speaks plain HTTP, which production settings would
redirect to HTTPS. Worker processes the integration tests start inherit this environment.
Tests of the production defaults run manage.py in a subprocess with their own environment.
"""

import os
import tempfile

os.environ.setdefault("DJANGO_DEBUG", "1")
# A throwaway data directory per run (the root conftest.py meant to, but pytest-django reads the settings first).
os.environ.setdefault("KYCTRIAGE_DATA_DIR", tempfile.mkdtemp(prefix="kyctriage-test-"))

from kyctriage.settings import *  # noqa: E402,F401,F403
