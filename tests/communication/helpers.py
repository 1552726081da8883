"""Helpers of the communication tests: a composed campaign and its sending (Celery eager)."""

from guichet.accounts.models import StaffRole, User
from guichet.communication.campaigns import create_campaign, start_sending

TEXTS = {
    "subject_fr": "Nos nouveaux avantages", "body_fr": "Découvrez-les : https://guichet.localhost/avantages\nÀ bientôt.",
    "subject_nl": "Onze nieuwe voordelen", "body_nl": "Ontdek ze: https://guichet.localhost/voordelen\nTot binnenkort.",
    "subject_en": "Our new benefits", "body_en": "See them: https://guichet.localhost/benefits.\nSee you soon.",
}


def compose(**fields):
    author = User.objects.get(staff_role=StaffRole.ADMINISTRATOR)
    return create_campaign(author, {"name": "Spring benefits", "channel": "email", **TEXTS, **fields})


def send(campaign, capture):
    """Start sending and run the queued batches (the Celery tasks, eager) as after the commit."""
    with capture(execute=True):
        count = start_sending(campaign)
    campaign.refresh_from_db()
    return count
