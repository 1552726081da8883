"""The ledger's rows: the hash-chained entries, the chain head that serialises appends, and the signed
checkpoints of the head hash."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The previous hash of the first entry: 64 zeros, the length of a SHA-256 hex digest.
GENESIS_HASH = "0" * 64
HEAD_ID = 1


class ActorKind(models.TextChoices):
    PERSON = "person", _("member")
    STAFF = "staff", _("staff")
    SYSTEM = "system", _("system")


class LedgerEntryQuerySet(models.QuerySet):
    """Entries are written once by `ledger.services.append` and never changed: the ORM's bulk update
    and delete refuse here, and on PostgreSQL a trigger refuses them for any SQL (SEC-1)."""

    def update(self, **kwargs):
        from guichet.ledger.errors import LedgerError

        raise LedgerError(_("Ledger entries cannot be changed."))

    def delete(self):
        from guichet.ledger.errors import LedgerError

        raise LedgerError(_("Ledger entries cannot be deleted."))

    def about(self, person) -> "LedgerEntryQuerySet":
        return self.filter(subject=person)


class LedgerEntry(models.Model):
    """One entry of the chain. `hash` is SHA-256 over `previous_hash` and the entry's canonical bytes
    (see `ledger.chain.entry_bytes`), so changing, removing, inserting or reordering one breaks it."""

    sequence = models.PositiveBigIntegerField(unique=True)
    recorded_at = models.DateTimeField()
    kind = models.CharField(max_length=80)
    actor_kind = models.CharField(max_length=6, choices=ActorKind.choices)
    actor_ref = models.CharField(max_length=36, blank=True,
                                 help_text="public_id of the acting person or account")
    actor_label = models.CharField(max_length=200, blank=True, help_text="the actor's name at the time")
    actor_role = models.CharField(max_length=20, blank=True, help_text="the staff role at the time")
    subject = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    context = models.CharField(max_length=40)
    payload = models.TextField(help_text="canonical JSON")
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    visible_to_subject = models.BooleanField(default=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["sequence"]
        indexes = [models.Index(fields=["subject", "sequence"])]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.kind}"

    def save(self, *args, **kwargs):
        from guichet.ledger.errors import LedgerError

        if not self._state.adding:
            raise LedgerError(_("Ledger entries cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        from guichet.ledger.errors import LedgerError

        raise LedgerError(_("Ledger entries cannot be deleted."))


class LedgerHead(models.Model):
    """The single row (id 1) holding the last sequence and hash. Every append locks it, so appends from
    any number of writers take their turn: no fork, no gap, no duplicate sequence."""

    sequence = models.PositiveBigIntegerField(default=0)
    previous_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("ledger head")

    def __str__(self) -> str:
        return f"head #{self.sequence}"


class Checkpoint(models.Model):
    """The head hash at `sequence`, signed with the organisation's Ed25519 key: a chain rewritten with
    recomputed hashes no longer matches a signature nobody else can make."""

    sequence = models.PositiveBigIntegerField(unique=True)
    head_hash = models.CharField(max_length=64)
    signed_at = models.DateTimeField()
    signature = models.CharField(max_length=128, help_text="Ed25519 signature, hex")
    key_fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the raw public key, hex")

    class Meta:
        verbose_name = _("ledger checkpoint")
        ordering = ["sequence"]

    def __str__(self) -> str:
        return f"checkpoint #{self.sequence}"
