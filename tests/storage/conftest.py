"""The storage tests run against a real S3 server (SeaweedFS, started once per session) and the local folder."""

from ..s3server import dead_s3_store, s3_bucket, s3_server, s3_store, s3_store_factory  # noqa: F401 - fixtures
