"""A private S3-compatible bucket under a prefix (django-storages on boto3), with outages made explicit.

Kept apart from tickets.storage so that boto3 is imported only by processes configured for S3.
Objects are written with one PUT and read whole on open (attachments are capped at a few tens of MB), so a store
that is down fails at save() or open(), where the caller can retry, and never half-way through a response.
No signed URL is ever handed out: agents download through the permission-checked, logged views.
"""

import tempfile
from contextlib import contextmanager

from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionError as BotoConnectionError, HTTPClientError
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import File
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from .storage import EncryptedStorageMixin, StorageUnavailable

# answers that mean "busy or briefly broken, ask again", as opposed to a wrong key, bucket or credential
TRANSIENT_CODES = {"SlowDown", "ServiceUnavailable", "RequestTimeout", "InternalError", "Throttling",
                   "ThrottlingException", "RequestLimitExceeded", "503"}
SPOOL_IN_MEMORY = 8 * 1024 * 1024


@contextmanager
def _outage_as_unavailable(action: str, name: str, bucket: str):
    try:
        yield
    except (BotoConnectionError, HTTPClientError) as exc:
        raise StorageUnavailable("the attachment store could not be reached to %s %s (%s: %s); it is retried, "
                                 "nothing was lost" % (action, name, type(exc).__name__, exc)) from exc
    except ClientError as exc:
        error = exc.response.get("Error", {})
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        code = str(error.get("Code", ""))
        if status >= 500 or code in TRANSIENT_CODES:
            raise StorageUnavailable("the attachment store answered %s %s to %s %s; it is retried, nothing was "
                                     "lost" % (status, code, action, name)) from exc
        if code == "NoSuchBucket":
            raise ImproperlyConfigured("the bucket %r does not exist: create it (manage.py storage_check "
                                       "--create-bucket) or fix KYCTRIAGE_S3_BUCKET" % bucket) from exc
        if status == 404:
            raise FileNotFoundError("%s is not in the attachment store" % name) from exc
        raise


class PrivateS3Storage(S3Storage):
    """Originals, previews and raw mail in a private bucket under a prefix; nothing public, nothing signed."""

    def get_default_settings(self):
        return {**super().get_default_settings(),
                # no ACL header: objects stay as private as the bucket (AWS rejects ACLs on owner-enforced buckets)
                "default_acl": None,
                # names are random (uuid4): checking for a clash first would cost a round trip per save
                "file_overwrite": True,
                "max_attempts": 5, "connect_timeout": 5, "read_timeout": 60}

    def __init__(self, **settings):
        super().__init__(**settings)
        # botocore retries connection errors, throttling and 5xx itself, with exponential backoff and jitter
        self.client_config = Config(
            s3={"addressing_style": self.addressing_style} if self.addressing_style else {},
            signature_version=self.signature_version or "s3v4",
            retries={"max_attempts": int(self.max_attempts), "mode": "standard"},
            connect_timeout=self.connect_timeout, read_timeout=self.read_timeout,
        )

    @property
    def client(self):
        return self.connection.meta.client

    def _key(self, name: str) -> str:
        return self._normalize_name(clean_name(name))

    def _errors(self, action: str, name: str):
        return _outage_as_unavailable(action, name, self.bucket_name)

    def _open(self, name, mode="rb"):
        if any(flag in mode for flag in "wa+"):
            raise ValueError("stored attachments are written with save(), never opened for writing")
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
        with self._errors("read", name):
            body = self.client.get_object(Bucket=self.bucket_name, Key=self._key(name))["Body"]
            for chunk in body.iter_chunks(1024 * 1024):
                spool.write(chunk)
        spool.seek(0)
        return File(spool, name=name)

    def _save(self, name, content):
        key = self._key(name)
        params = self._get_write_parameters(key, content)
        content.seek(0)
        with self._errors("write", name):
            self.client.put_object(Bucket=self.bucket_name, Key=key, Body=content.read(), **params)
        return clean_name(name)

    def delete(self, name):
        with self._errors("delete", name):
            super().delete(name)

    def exists(self, name):
        with self._errors("check", name):
            return super().exists(name)

    def size(self, name):
        with self._errors("measure", name):
            return self.client.head_object(Bucket=self.bucket_name, Key=self._key(name))["ContentLength"]

    def listdir(self, name):
        with self._errors("list", name):
            return super().listdir(name)

    def url(self, name, parameters=None, expire=None, http_method=None):
        """Not a bucket URL: like the local store's, it points nowhere that is routed (see tickets.views)."""
        return "/private/%s" % filepath_to_uri(clean_name(name)).lstrip("/")

    def bucket_ensure(self) -> bool:
        """Create the bucket when it is missing (development and compose); True when it was created."""
        with self._errors("check", self.bucket_name):
            try:
                self.client.head_bucket(Bucket=self.bucket_name)
                return False
            except ClientError as exc:
                if exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") != 404:
                    raise
            kwargs = {}
            if self.region_name and self.region_name != "us-east-1":
                kwargs["CreateBucketConfiguration"] = {"LocationConstraint": self.region_name}
            self.client.create_bucket(Bucket=self.bucket_name, **kwargs)
            return True


class EncryptedS3Storage(EncryptedStorageMixin, PrivateS3Storage):
    """Fernet-encrypted before upload: the bucket (and whoever can read it) only ever holds ciphertext."""
