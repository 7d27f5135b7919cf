"""Where uploaded files live: a folder (MEDIA_ROOT) by default, or S3-compatible object storage
(AWS S3, MinIO, Aliyun OSS, Tencent COS …) when MEDIA_STORAGE_URL says so, so that every web and
worker replica reads and writes the same files:

    MEDIA_STORAGE_URL=s3://bucket/prefix?endpoint_url=https://minio.internal:9000&region_name=cn-east-1

Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or the machine's role). Files are
private (no public ACL, signed URLs are never handed out): DutyDesk serves them only through views
that check who may see them.
"""

from urllib.parse import parse_qsl, urlsplit

S3_OPTIONS = {"endpoint_url", "region_name", "addressing_style", "signature_version"}


def media_storage(url: str) -> dict:
    """The STORAGES["default"] entry for MEDIA_STORAGE_URL ("" or file: the local folder)."""
    if not url or url.startswith("file:"):
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ValueError(f"MEDIA_STORAGE_URL must be s3://bucket[/prefix][?options], not {url!r}")
    query = dict(parse_qsl(parts.query))
    unknown = set(query) - S3_OPTIONS
    if unknown:
        raise ValueError(f"MEDIA_STORAGE_URL: unknown options {sorted(unknown)}; known: {sorted(S3_OPTIONS)}")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": parts.netloc,
            "location": parts.path.strip("/"),
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            **query,
        },
    }
