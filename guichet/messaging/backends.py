"""Django e-mail backend that stores messages in the development outbox instead of sending them."""

from django.core.mail.backends.base import BaseEmailBackend


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        from guichet.messaging.models import OutboxMessage

        for message in email_messages:
            for recipient in message.recipients():
                OutboxMessage.objects.create(
                    channel=OutboxMessage.Channel.EMAIL, recipient=recipient,
                    subject=message.subject, body=message.body,
                )
        return len(email_messages)
