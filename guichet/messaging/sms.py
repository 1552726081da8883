"""The SMS gateway interface and its two backends: the development outbox and an HTTP provider.

`send_sms` is the only entry point; which backend runs is the SMS_GATEWAY setting.
"""

import json
import logging
import urllib.error
import urllib.request
from typing import Protocol

from django.conf import settings

logger = logging.getLogger(__name__)


class SmsDeliveryError(RuntimeError):
    """The gateway did not accept the message."""


class SmsGateway(Protocol):
    def send(self, to: str, text: str) -> str:
        """Hand the message to the gateway; return its message id or raise SmsDeliveryError."""


class OutboxGateway:
    def send(self, to: str, text: str) -> str:
        from guichet.messaging.models import OutboxMessage

        message = OutboxMessage.objects.create(channel=OutboxMessage.Channel.SMS, recipient=to, body=text)
        return f"outbox-{message.pk}"


class HttpGateway:
    """POSTs {"from", "to", "text"} as JSON with a bearer token; expects 2xx and {"id": ...}."""

    def send(self, to: str, text: str) -> str:
        body = json.dumps({"from": settings.SMS_SENDER, "to": to, "text": text}).encode()
        request = urllib.request.Request(  # noqa: S310 - the URL is operator configuration
            settings.SMS_HTTP_URL,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.SMS_HTTP_TOKEN}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_HTTP_TIMEOUT_SECONDS) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except (urllib.error.URLError, TimeoutError, ValueError) as error:
            # The text may hold a code: log the failure, never the message.
            logger.warning("SMS gateway refused or failed: %s", type(error).__name__)
            raise SmsDeliveryError(str(error)) from error
        return str(answer.get("id", ""))


GATEWAYS = {"outbox": OutboxGateway, "http": HttpGateway}


def send_sms(to: str, text: str) -> str:
    return GATEWAYS[settings.SMS_GATEWAY]().send(to, text)
