"""The demo e-Box: Marie's is active and holds two documents of the mutual, so a newcomer sees the inbox,
the download and the read status at once (EBOX-1, EBOX-5)."""

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_noop

from guichet.ebox import services
from guichet.ebox.models import Document

DEMO_DOCUMENTS = (
    ("reimbursement_statement", "compulsory", gettext_noop("Statement of your reimbursements"),
     gettext_noop("Your reimbursements of last month are on your account.")),
    ("letter", "complementary", gettext_noop("Your advantages of the complementary insurance"),
     gettext_noop("Here is the list of the advantages you are entitled to this year.")),
)


def create_demo_ebox(personas: dict) -> None:
    """Idempotent: nothing is issued when Marie already has documents. Issued through the service, so the
    documents are real sealed PDFs in the documents storage."""
    marie = personas.get("marie")
    if marie is None or Document.objects.filter(person=marie).exists():
        return
    if not services.is_eligible(marie):
        return
    with transaction.atomic(), translation.override(marie.language):
        services.set_ebox_active(marie, True, actor=None)
        for doc_type, context, title, body in DEMO_DOCUMENTS:
            services.issue_document(marie, doc_type=doc_type, context=context, title=translation.gettext(title),
                                    template="ebox/pdf/letter.html",
                                    template_context={"body": translation.gettext(body)})
