"""Each store (local folder, S3 bucket, each with and without encryption at rest) keeps, returns and deletes bytes
the same way through Django's storage API; outages are explicit, configuration mistakes fail at start."""

import secrets
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from tickets.storage import MAGIC, StorageUnavailable, attachment_storage, attachment_storage_config

from ..s3server import S3Endpoint

PAYLOAD = b"\xff\xd8\xff\xe0 passport E12345678 bytes"


@pytest.fixture(params=["local", "local+key", "s3", "s3+key"])
def store(request, settings, monkeypatch, tmp_path):
    """(the attachment store of this process, a reader of the bytes as they lie at rest)"""
    kind, _, encrypted = request.param.partition("+")
    key = Fernet.generate_key().decode() if encrypted else ""
    if kind == "s3":
        endpoint, bucket = request.getfixturevalue("s3_store_factory")(key=key)
        return attachment_storage, lambda name: endpoint.read(bucket, "kyctriage/" + name)
    if key:
        monkeypatch.setenv("KYCTRIAGE_STORAGE_KEY", key)
    else:
        monkeypatch.delenv("KYCTRIAGE_STORAGE_KEY", raising=False)
    config = attachment_storage_config({"KYCTRIAGE_STORAGE_KEY": key}, tmp_path)
    settings.STORAGES = {**settings.STORAGES, "attachments": config}
    return attachment_storage, lambda name: (tmp_path / "attachments" / name).read_bytes()


def test_bytes_are_kept_returned_and_deleted_by_every_store(store):
    storage, at_rest = store
    name = storage.save("originals/2026/12/0123abcd", ContentFile(PAYLOAD))

    assert storage.exists(name)
    with storage.open(name, "rb") as handle:
        assert handle.read() == PAYLOAD
    assert storage.size(name) == len(PAYLOAD)
    stored = at_rest(name)
    if "Encrypted" in type(storage._wrapped).__name__:
        assert stored.startswith(MAGIC) and b"E12345678" not in stored
    else:
        assert stored == PAYLOAD

    storage.delete(name)
    assert not storage.exists(name)
    storage.delete(name)  # deleting what is gone is not an error (retention may run twice)
    with pytest.raises(FileNotFoundError):
        storage.open(name, "rb")


def test_no_store_hands_out_a_usable_url(store):
    """Files reach agents only through the permission-checked views; a bucket URL (signed or not) would bypass them."""
    storage, _ = store
    name = storage.save("previews/2026/12/abc.png", ContentFile(b"png"))
    url = storage.url(name)
    assert url.startswith("/private/")
    assert "X-Amz" not in url and "Signature" not in url and "http" not in url


def test_s3_objects_live_under_the_prefix_of_a_private_bucket(s3_store):
    endpoint, bucket = s3_store
    name = attachment_storage.save("mail/2026/12/abc.eml", ContentFile(b"From: a@example.com\n\nhi"))
    assert endpoint.keys(bucket) == ["kyctriage/" + name]
    # nothing public: an anonymous request and one signed with a wrong secret are refused
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen("%s/%s/kyctriage/%s" % (endpoint.url, bucket, name), timeout=10)
    assert refused.value.code == 403
    intruder = S3Endpoint(endpoint.url, secret_key="guessed").client()
    with pytest.raises(ClientError) as denied:
        intruder.get_object(Bucket=bucket, Key="kyctriage/" + name)
    assert denied.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_refused_credentials_are_a_permanent_error_not_an_outage(s3_store, monkeypatch):
    """A wrong secret will not fix itself: it surfaces as the store's own error (recorded), not as a retry."""
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "guessed")
    with pytest.raises(ClientError):
        attachment_storage.save("originals/x", ContentFile(b"x"))


def test_files_stored_before_a_key_was_set_still_read_after(s3_store_factory):
    s3_store_factory()
    name = attachment_storage.save("originals/plain", ContentFile(PAYLOAD))
    s3_store_factory(key=Fernet.generate_key().decode())
    with attachment_storage.open(name, "rb") as handle:
        assert handle.read() == PAYLOAD


def test_an_unreachable_s3_store_raises_a_transient_error_quickly(dead_s3_store):
    started = time.monotonic()
    for action in (lambda: attachment_storage.save("originals/x", ContentFile(b"x")),
                   lambda: attachment_storage.open("originals/x", "rb"),
                   lambda: attachment_storage.exists("originals/x"),
                   lambda: attachment_storage.delete("originals/x")):
        with pytest.raises(StorageUnavailable) as caught:
            action()
        assert isinstance(caught.value, ConnectionError)  # what the Celery tasks retry
        assert "could not be reached" in str(caught.value)
    assert time.monotonic() - started < 30


def test_a_missing_bucket_is_a_configuration_error_not_a_missing_file(s3_store, settings, tmp_path):
    endpoint, _ = s3_store
    config = attachment_storage_config({**endpoint.environment("kyc-no-such-bucket")}, tmp_path)
    settings.STORAGES = {**settings.STORAGES, "attachments": config}
    with pytest.raises(ImproperlyConfigured, match="does not exist"):
        attachment_storage.open("originals/x", "rb")


@pytest.mark.parametrize("environ, message", [
    ({"KYCTRIAGE_ATTACHMENT_STORAGE": "s3"}, "KYCTRIAGE_S3_BUCKET"),
    ({"KYCTRIAGE_ATTACHMENT_STORAGE": "s3", "KYCTRIAGE_S3_BUCKET": "b", "KYCTRIAGE_S3_PREFIX": "/"},
     "KYCTRIAGE_S3_PREFIX"),
    ({"KYCTRIAGE_ATTACHMENT_STORAGE": "nfs"}, "'local' or 's3'"),
    ({"KYCTRIAGE_ATTACHMENT_STORAGE": "s3", "KYCTRIAGE_S3_BUCKET": "b", "KYCTRIAGE_S3_MAX_ATTEMPTS": "many"},
     "not a whole number"),
])
def test_a_half_configured_store_fails_at_start(environ, message, tmp_path):
    with pytest.raises(ImproperlyConfigured, match=message):
        attachment_storage_config(environ, tmp_path)


def test_the_store_follows_the_environment(tmp_path):
    local = attachment_storage_config({}, tmp_path)
    assert local["BACKEND"].endswith("FileSystemStorage")
    assert local["OPTIONS"]["location"] == str(Path(tmp_path) / "attachments")
    s3 = attachment_storage_config({"KYCTRIAGE_ATTACHMENT_STORAGE": "s3", "KYCTRIAGE_S3_BUCKET": "kyc",
                                    "KYCTRIAGE_STORAGE_KEY": "k", "KYCTRIAGE_S3_ENDPOINT_URL": "http://s3:8333"},
                                   tmp_path)
    assert s3["BACKEND"] == "tickets.storage_s3.EncryptedS3Storage"
    assert s3["OPTIONS"]["location"] == "kyctriage"
    assert s3["OPTIONS"]["addressing_style"] == "path"


def test_storage_check_creates_the_bucket_and_proves_the_round_trip(s3_server, settings, monkeypatch, tmp_path,
                                                                    capsys):
    endpoint = s3_server.endpoint
    bucket = "kyc-check-%s" % secrets.token_hex(4)
    environ = endpoint.environment(bucket)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, environ[name])
    settings.STORAGES = {**settings.STORAGES, "attachments": attachment_storage_config(environ, tmp_path)}

    call_command("storage_check", "--create-bucket")
    out = capsys.readouterr().out
    assert "bucket %s created" % bucket in out and "the store is ready" in out
    assert endpoint.keys(bucket) == []  # the probe cleaned up after itself


def test_storage_check_fails_on_a_machine_that_cannot_reach_the_store(dead_s3_store):
    with pytest.raises(CommandError, match="not usable from this machine.*could not be reached"):
        call_command("storage_check")
