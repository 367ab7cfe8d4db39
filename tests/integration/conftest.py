"""Real services: PostgreSQL (the test database), Redis and RabbitMQ (the brokers) and worker processes."""

import os

import pytest
from django.db import connection

from ..conftest import need
from .worker import WorkerProcess, service_env


@pytest.fixture
def broker_url():
    url = os.environ.get("KYCTRIAGE_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        client.ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "no broker here"
        need(False, "no Redis broker at %s (%s); start redis-server to run this test" % (url, exc))
    client.flushdb()
    yield url
    client.flushdb()


QUEUES = ("analysis", "triage", "mail")


def _amqp_purge(url: str) -> None:
    from kombu import Connection

    with Connection(url, connect_timeout=3) as conn:
        conn.ensure_connection(max_retries=1)
        for name in QUEUES:
            channel = conn.channel()
            try:
                channel.queue_purge(name)
            except Exception:  # noqa: BLE001 - not declared yet: nothing to purge
                pass
            finally:
                try:
                    channel.close()
                except Exception:  # noqa: BLE001 - the broker closed it already
                    pass


@pytest.fixture
def amqp_broker_url():
    """RabbitMQ, the recommended broker. Use a vhost of your own (KYCTRIAGE_TEST_AMQP_URL) beside others."""
    url = os.environ.get("KYCTRIAGE_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")
    try:
        _amqp_purge(url)
    except Exception as exc:  # noqa: BLE001 - any failure means "no broker here"
        need(False, "no RabbitMQ broker at %s (%s); start it with 'rabbitmq-server -detached'" % (url, exc))
    yield url
    _amqp_purge(url)


@pytest.fixture
def postgres():
    need(connection.vendor == "postgresql",
         "needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/kyctriage (workers cannot "
         "share the in-memory SQLite test database)")


@pytest.fixture
def worker_factory(postgres, broker_url, tmp_path, transactional_db):
    workers: list[WorkerProcess] = []

    def start(broker: str | None = None, **kwargs) -> WorkerProcess:
        worker = WorkerProcess(broker or broker_url, tmp_path, **kwargs)
        workers.append(worker)
        worker.wait_ready()
        return worker

    yield start
    for worker in workers:
        worker.stop()
    connection.close()


@pytest.fixture
def live_env(postgres, broker_url, transactional_db):
    return service_env(broker_url)
