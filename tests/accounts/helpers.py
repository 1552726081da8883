"""Small helpers shared by the account tests: reading the SMS code a persona received."""

import re

from guichet.messaging.models import OutboxMessage


def last_sms_code(person) -> str:
    message = OutboxMessage.objects.filter(recipient=person.mobile, channel="sms").first()
    return re.search(r"\b(\d{6,})\b", message.body).group(1)
