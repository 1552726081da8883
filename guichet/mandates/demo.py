"""Demo links of the mandates app: Marie holds parental authority over her daughter Emma (MIN-1)."""

from guichet.mandates.models import ParentalAuthority


def create_demo_parental_authority(personas: dict) -> None:
    """Idempotent; written straight, without ledger entries: the demo registry is not evidence."""
    if "marie" in personas and "emma" in personas:
        ParentalAuthority.objects.get_or_create(
            parent=personas["marie"], child=personas["emma"], defaults={"since": personas["emma"].birth_date}
        )
