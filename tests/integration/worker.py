"""Starting a real `celery -A kyctriage worker` process against Redis and the test database."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def service_env(broker_url: str) -> dict[str, str]:
    """The environment a worker or command needs to see what this test process sees."""
    db = connection.settings_dict
    url = "postgres://%s@%s:%s/%s" % (db["USER"] or "postgres", db["HOST"] or "127.0.0.1", db["PORT"] or 5432,
                                      db["NAME"])
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": broker_url,
        "KYCTRIAGE_DATA_DIR": str(settings.DATA_DIR),
        "DJANGO_SETTINGS_MODULE": "kyctriage.settings",
        "PYTHONUNBUFFERED": "1",
    })
    return env


class WorkerProcess:
    def __init__(self, broker_url: str, log_dir: Path, *, concurrency: int = 2, queues: str | None = None,
                 extra_env: dict | None = None) -> None:
        self.name = "test-%s@localhost" % uuid.uuid4().hex[:8]
        self.log_path = log_dir / ("%s.log" % self.name.split("@")[0])
        env = service_env(broker_url)
        env.update(extra_env or {})
        args = [sys.executable, "-m", "celery", "-A", "kyctriage", "worker", "-n", self.name,
                "--concurrency", str(concurrency), "--loglevel", "INFO", "--without-gossip", "--without-mingle",
                "--without-heartbeat"]
        if queues:
            args += ["-Q", queues]
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "ready." in self.log():
                return
            if self.process.poll() is not None:
                raise RuntimeError("celery worker exited early:\n" + self.log()[-4000:])
            time.sleep(0.2)
        raise RuntimeError("celery worker not ready after %.0f s:\n%s" % (timeout, self.log()[-4000:]))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self._log.close()


def manage(*args: str, env: dict, stdin: bytes | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, timeout=timeout)
