"""The documents storage can be S3-compatible: with moto's S3 server (a real HTTP endpoint on 127.0.0.1),
a document is issued, stored in the bucket, and downloaded by the member through the e-Box."""

import socket

import pytest
from django.urls import reverse

from guichet.ebox.models import Document
from tests.ebox.conftest import issue

pytestmark = pytest.mark.django_db

BUCKET = "guichet-documents-test"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def s3(settings, monkeypatch):
    import boto3
    from moto.server import ThreadedMotoServer

    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "eu-west-1"}.items():
        monkeypatch.setenv(name, value)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        client = boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-1",
                              aws_access_key_id="testing", aws_secret_access_key="testing")
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        settings.STORAGES = {
            **settings.STORAGES,
            "documents": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
                "bucket_name": BUCKET, "endpoint_url": endpoint, "region_name": "eu-west-1",
                "access_key": "testing", "secret_key": "testing", "default_acl": "private",
                "file_overwrite": False}},
        }
        yield client
    finally:
        server.stop()


@pytest.mark.rule("EBOX-1", "EBOX-5")
def test_issue_and_download_through_an_s3_bucket(s3, client, log_in, member, marie_ebox):
    document = issue(marie_ebox)
    stored = s3.get_object(Bucket=BUCKET, Key=document.file.name)["Body"].read()
    assert stored.startswith(b"%PDF-") and len(stored) == document.size
    log_in(client, member)
    response = client.get(reverse("ebox:download"), {"document": str(document.public_id)})
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored
    assert Document.objects.get(pk=document.pk).is_read
