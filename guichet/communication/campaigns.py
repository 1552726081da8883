"""E-mail campaigns: composing (FR/NL/EN), sending in batches through Celery, one-click opt-out by a
signed link and RFC 8058 headers (COMM-1), opens and clicks recorded only for recipients who have not
objected (COMM-2), and the campaign report.

Links in a campaign are fixed when it is composed and must point to our site or to an allowed host; a
click link carries only the link's position, signed, so it can never redirect anywhere else.
"""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guichet.communication.audience import AudienceFilter, audience, with_tracking
from guichet.communication.models import (
    Campaign,
    CampaignChannel,
    CampaignRecipient,
    CampaignStatus,
    ChangeVia,
    RecipientStatus,
)
from guichet.communication.policy import may_track
from guichet.communication.services import CommunicationError, change_preferences
from guichet.members.models import Context

LANGUAGE_CODES = ("fr", "nl", "en")
URL = re.compile(r"https?://[^\s<>\"')\]]+")
SUBJECT_MAX = 200
BODY_MAX = 20000


# --- composing ---------------------------------------------------------------------------------------

def allowed_link_hosts() -> set[str]:
    hosts = {host.lower() for host in settings.CAMPAIGN_LINK_HOSTS}
    hosts.add((urlsplit(settings.PUBLIC_BASE_URL).hostname or "").lower())
    return hosts - {""}


def links_in(*texts: str) -> list[str]:
    """The distinct URLs of the texts, in order of appearance."""
    found: list[str] = []
    for text in texts:
        for url in URL.findall(text):
            url = url.rstrip(".,;:!?")
            if url not in found:
                found.append(url)
    return found


def check_campaign(fields: dict) -> dict:
    """Validate a campaign's fields; returns them cleaned (with `links`) or raises CommunicationError."""
    clean = {key: (value.strip() if isinstance(value, str) else value) for key, value in fields.items()}
    if not clean.get("name") or len(clean["name"]) > 200:
        raise CommunicationError(_("Give the campaign a name (200 characters at most)."), "name")
    if clean.get("channel", CampaignChannel.EMAIL) not in CampaignChannel.values:
        raise CommunicationError(_("Choose the channel of the campaign."), "channel")
    if clean.get("context") and clean["context"] not in Context.values:
        raise CommunicationError(_("Choose an insurance context from the list."), "context")
    if clean.get("language") and clean["language"] not in LANGUAGE_CODES:
        raise CommunicationError(_("Choose a language from the list."), "language")
    if len(clean.get("product") or "") > 50:
        raise CommunicationError(_("A product code has 50 characters at most."), "product")
    if clean.get("channel", CampaignChannel.EMAIL) == CampaignChannel.EMAIL:
        for code in LANGUAGE_CODES:
            subject, body = clean.get(f"subject_{code}") or "", clean.get(f"body_{code}") or ""
            if not subject or not body:
                raise CommunicationError(
                    _("Write the subject and the text in French, Dutch and English."), f"subject_{code}")
            if len(subject) > SUBJECT_MAX or len(body) > BODY_MAX:
                raise CommunicationError(_("A subject has 200 characters at most, a text 20,000."), f"body_{code}")
            if "\n" in subject or "\r" in subject:
                raise CommunicationError(_("A subject is one line."), f"subject_{code}")
    texts = [clean.get(f"body_{code}") or "" for code in LANGUAGE_CODES]
    links = links_in(*texts)
    hosts = allowed_link_hosts()
    for link in links:
        parts = urlsplit(link)
        if parts.scheme != "https" or (parts.hostname or "").lower() not in hosts:
            raise CommunicationError(
                _("Links must start with https:// and point to one of: %(hosts)s. Not allowed: %(link)s")
                % {"hosts": ", ".join(sorted(hosts)), "link": link}, "body_fr")
    clean["links"] = links
    return clean


def create_campaign(by, fields: dict) -> Campaign:
    clean = check_campaign(fields)
    names = {field.name for field in Campaign._meta.concrete_fields} - {"id", "public_id", "status", "created_by",
                                                                        "created_at", "sent_at"}
    return Campaign.objects.create(created_by=by, **{key: value for key, value in clean.items() if key in names})


# --- tokens of the links in an e-mail -----------------------------------------------------------------

def make_token(recipient: CampaignRecipient, purpose: str, link: int | None = None) -> str:
    value = str(recipient.public_id) if link is None else f"{recipient.public_id}/{link}"
    return signing.dumps(value, salt=f"communication.{purpose}")


def read_token(token: str, purpose: str) -> tuple[CampaignRecipient, int | None]:
    """The recipient (and link position) of a signed token; CommunicationError when it was altered."""
    invalid = CommunicationError(_("This link is not valid: it may have been altered or cut. Nothing was changed."))
    try:
        value = signing.loads(token, salt=f"communication.{purpose}")
    except signing.BadSignature:
        raise invalid from None
    public_id, _slash, link = str(value).partition("/")
    recipient = (CampaignRecipient.objects.select_related("campaign", "person")
                 .filter(public_id=public_id).first())
    if recipient is None:
        raise invalid
    return recipient, int(link) if link else None


def absolute(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def unsubscribe_url(recipient: CampaignRecipient) -> str:
    return absolute(reverse("communication:unsubscribe", args=[make_token(recipient, "unsubscribe")]))


# --- the message --------------------------------------------------------------------------------------

def build_message(recipient: CampaignRecipient, connection=None) -> EmailMultiAlternatives:
    """The e-mail of one recipient, in their language: text and HTML, tracked links and an opening pixel
    only when tracking is allowed, and the one-click opt-out of RFC 8058 (header and link)."""
    campaign = recipient.campaign
    code = recipient.language if recipient.language in LANGUAGE_CODES else "fr"
    subject, body = getattr(campaign, f"subject_{code}"), getattr(campaign, f"body_{code}")
    opt_out = unsubscribe_url(recipient)

    def link_for(url: str) -> str:
        if not recipient.tracking or url not in campaign.links:
            return url
        token = make_token(recipient, "click", campaign.links.index(url))
        return absolute(reverse("communication:click", args=[token]))

    def replace(match: re.Match) -> str:
        url = match.group(0)
        stripped = url.rstrip(".,;:!?")
        return link_for(stripped) + url[len(stripped):]

    text_body = URL.sub(replace, body)
    with translation.override(code):
        footer = _("You receive this e-mail because you are a member. To receive no more offers by e-mail, "
                   "follow this link: %(url)s") % {"url": opt_out}
        footer_html = _("You receive this e-mail because you are a member. %(link)sReceive no more offers by "
                        "e-mail%(end)s.") % {"link": f'<a href="{html.escape(opt_out)}">', "end": "</a>"}
    def anchor(match: re.Match) -> str:
        url = html.unescape(match.group(0)).rstrip(".,;:!?")
        return f'<a href="{html.escape(link_for(url))}">{match.group(0)}</a>'

    html_body = URL.sub(anchor, html.escape(body, quote=False))
    html_body = "<p>" + html_body.replace("\n\n", "</p><p>").replace("\n", "<br>") + "</p>"
    html_body += f"<hr><p><small>{footer_html}</small></p>"
    if recipient.tracking:
        pixel = absolute(reverse("communication:open", args=[make_token(recipient, "open")]))
        html_body += f'<img src="{html.escape(pixel)}" width="1" height="1" alt="">'
    list_unsubscribe = f"<{opt_out}>"
    if settings.CAMPAIGN_UNSUBSCRIBE_MAILTO:
        token = make_token(recipient, "unsubscribe")
        list_unsubscribe += f", <mailto:{settings.CAMPAIGN_UNSUBSCRIBE_MAILTO}?subject={quote('unsubscribe ' + token)}>"
    message = EmailMultiAlternatives(
        subject=subject, body=f"{text_body}\n\n-- \n{footer}\n", from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email], connection=connection,
        headers={"List-Unsubscribe": list_unsubscribe, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                 "Precedence": "bulk"},
    )
    message.attach_alternative(f'<!doctype html><html lang="{code}"><body>{html_body}</body></html>', "text/html")
    return message


# --- sending ------------------------------------------------------------------------------------------

def start_sending(campaign: Campaign, now: datetime.datetime | None = None) -> int:
    """Freeze the audience into recipients and queue the batches (Celery); returns the number of recipients."""
    if campaign.channel != CampaignChannel.EMAIL:
        raise CommunicationError(_("Only e-mail campaigns are sent from here; a phone campaign gives a call list."))
    now = now or timezone.now()
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status != CampaignStatus.DRAFT:
            raise CommunicationError(_("This campaign has already been sent."))
        rows = (with_tracking(audience(AudienceFilter.of(locked), now))
                .values_list("pk", "email", "language", "tracking").order_by("pk"))
        recipients = (CampaignRecipient(campaign=locked, person_id=pk, email=email, language=language,
                                        tracking=tracking) for pk, email, language, tracking in rows.iterator(5000))
        count = 0
        while batch := [recipient for _index, recipient in zip(range(5000), recipients, strict=False)]:
            CampaignRecipient.objects.bulk_create(batch)
            count += len(batch)
        locked.status = CampaignStatus.SENDING
        locked.save(update_fields=["status"])
        campaign.status = locked.status
        transaction.on_commit(lambda: queue_batches(locked.pk), robust=True)
    return count


def queue_batches(campaign_pk: int) -> int:
    """One Celery task per batch of pending recipients; returns the number of batches."""
    from guichet.communication.tasks import send_campaign_batch

    pending = list(CampaignRecipient.objects.filter(campaign_id=campaign_pk, status=RecipientStatus.PENDING)
                   .order_by("pk").values_list("pk", flat=True))
    size = max(settings.CAMPAIGN_BATCH_SIZE, 1)
    batches = [pending[start:start + size] for start in range(0, len(pending), size)]
    for batch in batches:
        send_campaign_batch.delay(campaign_pk, batch)
    if not batches:
        finish_if_done(campaign_pk)
    return len(batches)


def send_batch(campaign_pk: int, recipient_pks: list[int], now: datetime.datetime | None = None) -> int:
    """Send one batch over one SMTP connection; recipients who no longer may be reached (their preferences
    changed since the audience was frozen) are left out. Returns the number sent."""
    now = now or timezone.now()
    campaign = Campaign.objects.get(pk=campaign_pk)
    batch = list(CampaignRecipient.objects.select_related("campaign")
                 .filter(pk__in=recipient_pks, campaign=campaign, status=RecipientStatus.PENDING))
    still = set(audience(AudienceFilter.of(campaign), now).filter(pk__in=[r.person_id for r in batch])
                .values_list("pk", flat=True))
    sent = 0
    with get_connection() as connection:
        for recipient in batch:
            if recipient.person_id not in still:
                recipient.status = RecipientStatus.SKIPPED
            else:
                try:
                    build_message(recipient, connection).send()
                except OSError:  # the SMTP server refused or went away: this one is marked failed
                    recipient.status = RecipientStatus.FAILED
                else:
                    recipient.status, recipient.sent_at = RecipientStatus.SENT, now
                    sent += 1
            recipient.save(update_fields=["status", "sent_at"])
    finish_if_done(campaign_pk, now)
    return sent


def finish_if_done(campaign_pk: int, now: datetime.datetime | None = None) -> None:
    if not CampaignRecipient.objects.filter(campaign_id=campaign_pk, status=RecipientStatus.PENDING).exists():
        Campaign.objects.filter(pk=campaign_pk, status=CampaignStatus.SENDING).update(
            status=CampaignStatus.SENT, sent_at=now or timezone.now())


# --- what recipients do (COMM-1, COMM-2) ----------------------------------------------------------------

def unsubscribe(token: str, now: datetime.datetime | None = None) -> CampaignRecipient:
    """One-click opt-out: the member declines offers by e-mail (propagated like any change)."""
    recipient, _link = read_token(token, "unsubscribe")
    now = now or timezone.now()
    with transaction.atomic():
        if recipient.unsubscribed_at is None:
            recipient.unsubscribed_at = now
            recipient.save(update_fields=["unsubscribed_at"])
        change_preferences(recipient.person, {"email_offers": False}, via=ChangeVia.UNSUBSCRIBE, at=now)
    return recipient


def _may_record(recipient: CampaignRecipient) -> bool:
    """Tracking needs both: allowed when sent, and not objected since (objecting stops it, COMM-2)."""
    return recipient.tracking and may_track(recipient.person)


def record_open(token: str, now: datetime.datetime | None = None) -> bool:
    """Record the first opening; a bad token or an objection records nothing. Returns whether recorded."""
    try:
        recipient, _link = read_token(token, "open")
    except CommunicationError:
        return False
    if recipient.opened_at is not None or not _may_record(recipient):
        return False
    return bool(CampaignRecipient.objects.filter(pk=recipient.pk, opened_at__isnull=True)
                .update(opened_at=now or timezone.now()))


def follow_click(token: str, now: datetime.datetime | None = None) -> str:
    """The link behind a click token (one of the campaign's own links, never one from the request);
    records the first click when tracking is allowed. CommunicationError when the token is bad."""
    recipient, link = read_token(token, "click")
    links = recipient.campaign.links
    if link is None or not 0 <= link < len(links):
        raise CommunicationError(_("This link is not valid: it may have been altered or cut. Nothing was changed."))
    if recipient.clicked_at is None and _may_record(recipient):
        CampaignRecipient.objects.filter(pk=recipient.pk, clicked_at__isnull=True).update(
            clicked_at=now or timezone.now(), clicked_link=link)
    return links[link]


@dataclass(frozen=True)
class CampaignReport:
    recipients: int
    sent: int
    skipped: int
    failed: int
    opened: int
    clicked: int
    unsubscribed: int


def campaign_report(campaign: Campaign) -> CampaignReport:
    """Sent, opened, clicked, unsubscribed: one aggregate query."""
    counts = CampaignRecipient.objects.filter(campaign=campaign).aggregate(
        recipients=Count("pk"), sent=Count("pk", filter=Q(status=RecipientStatus.SENT)),
        skipped=Count("pk", filter=Q(status=RecipientStatus.SKIPPED)),
        failed=Count("pk", filter=Q(status=RecipientStatus.FAILED)),
        opened=Count("opened_at"), clicked=Count("clicked_at"), unsubscribed=Count("unsubscribed_at"))
    return CampaignReport(**counts)
