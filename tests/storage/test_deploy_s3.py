"""compose.s3.yaml: web and workers on separate disks, sharing only PostgreSQL, Redis and the S3 bucket."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "compose.s3.yaml"
SECRETS = {"POSTGRES_PASSWORD": "x", "DJANGO_SECRET_KEY": "y", "KYCTRIAGE_S3_ACCESS_KEY": "a",
           "KYCTRIAGE_S3_SECRET_KEY": "b", "KYCTRIAGE_STORAGE_KEY": "k"}


def _config() -> dict:
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.skip("docker-compose is not installed (apt-get install docker-compose) to validate compose.s3.yaml")
    result = subprocess.run([binary, "-f", str(COMPOSE), "config"], env=dict(os.environ, **SECRETS),
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    import yaml

    return yaml.safe_load(result.stdout)


def test_the_several_machines_compose_file_validates_and_shares_no_disk_between_app_containers():
    services = _config()["services"]
    app = [name for name, service in services.items() if service.get("image") == "kyctriage:latest"]
    assert set(app) >= {"web", "worker-analysis", "worker-fast", "beat", "s3-init"}
    for name in app:
        service = services[name]
        env = service["environment"]
        assert env["KYCTRIAGE_ATTACHMENT_STORAGE"] == "s3" and env["KYCTRIAGE_S3_BUCKET"], name
        assert env["KYCTRIAGE_STORAGE_KEY"] and env["CELERY_BROKER_URL"].startswith("redis://"), name
        assert not service.get("volumes"), "%s mounts a volume: the app containers must share no disk" % name
    assert services["worker-analysis"]["deploy"]["replicas"] >= 2
    assert services["web"]["depends_on"]["s3-init"]["condition"] == "service_completed_successfully"
    assert "storage_check" in services["s3-init"]["command"]


def test_the_several_machines_compose_file_refuses_to_start_without_its_secrets():
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.skip("docker-compose is not installed")
    env = dict(os.environ, POSTGRES_PASSWORD="x", DJANGO_SECRET_KEY="y")
    for name in ("KYCTRIAGE_S3_ACCESS_KEY", "KYCTRIAGE_S3_SECRET_KEY", "KYCTRIAGE_STORAGE_KEY"):
        env.pop(name, None)
    result = subprocess.run([binary, "-f", str(COMPOSE), "config", "-q"], env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "KYCTRIAGE_S3" in result.stderr
