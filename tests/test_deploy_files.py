"""The production stack described in compose.yaml stays valid and in step with the settings."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_compose_file_validates():
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.skip("docker-compose is not installed (apt-get install docker-compose) to validate compose.yaml")
    env = dict(os.environ, POSTGRES_PASSWORD="x", DJANGO_SECRET_KEY="y", RABBITMQ_PASSWORD="z",
               KYCTRIAGE_STORAGE_KEY="w")
    result = subprocess.run([binary, "-f", str(ROOT / "compose.yaml"), "config", "-q"], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_compose_runs_every_queue_and_beat():
    text = (ROOT / "compose.yaml").read_text()
    for needle in ("-Q\", \"analysis\"", "\"triage,mail\"", "\"beat\"", "CELERY_BROKER_URL", "DATABASE_URL",
                   "KYCTRIAGE_DATA_DIR", "pg_isready", "rabbitmq-diagnostics", "amqp://"):
        assert needle in text, needle
