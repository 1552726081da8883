"""The development outbox page: where a newcomer reads the SMS codes and e-mails Guichet 'sent'."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render

from guichet.messaging.models import OutboxMessage


@login_not_required
def outbox(request):
    allowed = settings.DEV_OUTBOX_ENABLED and (settings.DEBUG or getattr(request.user, "is_staff", False))
    if not allowed:
        raise Http404
    messages = OutboxMessage.objects.all()[:50]
    return render(request, "messaging/outbox.html", {"outbox_messages": messages})
