"""The retention targets of the apps that existed before the retention engine (members, accounts, traffic,
cookies, communication, mandates): which of their records each rule of the register covers (RET-1..8).
Registered when the retention app is ready; newer apps register theirs with `registry.register_target`."""

import datetime

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import CharField, DateField, Q, Value
from django.db.models.functions import Cast, Concat, Trunc

from guichet.retention.registry import ANONYMISE, contract_ended_before, persons_left_before, register_target

ALL_CONTEXTS = ("operations", "compulsory", "complementary", "insurance_company")
ANONYMOUS_MARK = "~"  # a national number never starts with it: marks a person anonymised by retention


def _days(setting: str):
    """The operator's shorter period from a setting read at call time (the register gives the maximum)."""
    return lambda: datetime.timedelta(days=getattr(settings, setting))


def _erase_recordings(batch) -> int:
    """Delete the audio files first, then the register entries (RET-3)."""
    count = 0
    for recording in batch.iterator(chunk_size=500):  # memory stays flat whatever the batch size
        if recording.audio and default_storage.exists(recording.audio):
            default_storage.delete(recording.audio)
        recording.delete()
        count += 1
    return count


def register_all() -> None:
    # RET-1, RET-5, RET-6: 30 years after the end of the last affiliation (whatever ended it: change to a
    # mutual outside the union, death, departure abroad, end of contract) the person is anonymised, not
    # deleted: the append-only ledger points to the row (its hashes are evidence), and the statistics
    # keep the year of birth, sex and language. Their identifying fields are what the rule erases.
    register_target(
        "members.person", model="members.Person", context="operations", rule="ops_client_file",
        expired=lambda cutoff: Q(pk__in=persons_left_before(cutoff).values("pk")),
        date_field="affiliations__end", person_field="pk", action=ANONYMISE, contexts=ALL_CONTEXTS,
        done=Q(national_number__startswith=ANONYMOUS_MARK),
        anonymise={
            "national_number": Concat(Value(ANONYMOUS_MARK), Cast("pk", CharField())),
            "member_number": Concat(Value(ANONYMOUS_MARK), Cast("pk", CharField())),
            "first_name": Value(""), "last_name": Value(""), "mobile": Value(""), "email": Value(""),
            "birth_date": Trunc("birth_date", "year", output_field=DateField()),
            "date_of_death": Trunc("date_of_death", "year", output_field=DateField()),
            "departed_abroad_on": Trunc("departed_abroad_on", "year", output_field=DateField()),
            "email_verified_at": Value(None), "mobile_verified_at": Value(None), "departure_country": Value(""),
            "legal_incapacity_on": Value(None), "bankruptcy_on": Value(None),
        })
    left = lambda cutoff: Q(person__in=persons_left_before(cutoff).values("pk"))  # noqa: E731
    register_target("members.address", model="members.Address", context="compulsory", rule="comp_identification",
                    expired=left, date_field="valid_from", person_field="person", contexts=ALL_CONTEXTS)
    register_target("members.contact_change", model="members.ContactChange", context="compulsory",
                    rule="comp_identification", expired=left, date_field="changed_at", person_field="person",
                    contexts=ALL_CONTEXTS)
    # RET-7: the insurance company's contract data, 5 years after the end of the contract.
    register_target("members.affiliation.insurance_company", model="members.Affiliation",
                    context="insurance_company", rule="ins_contract_data",
                    expired=lambda cutoff: contract_ended_before(cutoff, "insurance_company"),
                    date_field="end", person_field="person")
    # RET-1: the online account's codes, 3 years after they expired or after the end of affiliation.
    register_target("accounts.one_time_code", model="accounts.OneTimeCode", context="operations",
                    rule="ops_relationship_preferences",
                    expired=lambda cutoff: Q(expires_at__lte=cutoff) | left(cutoff),
                    date_field="created_at", person_field="person", contexts=ALL_CONTEXTS)
    # RET-1: connection data are anonymised after 3 years; pages, devices and languages stay for statistics.
    register_target("traffic.connection", model="traffic.Connection", context="operations", rule="ops_usage_data",
                    expired=lambda cutoff: Q(at__lte=cutoff), date_field="at",
                    anonymise={"ip_prefix": Value(""), "browser_family": Value("")},
                    done=Q(ip_prefix="", browser_family=""))
    # RET-1: a preference change delivered to the group's systems, 3 years after its delivery.
    register_target("communication.delivery", model="communication.Delivery", context="operations",
                    rule="ops_relationship_preferences",
                    expired=lambda cutoff: Q(delivered_at__isnull=False, delivered_at__lte=cutoff),
                    date_field="delivered_at", person_field="change__person")
    # RET-2: prospects, one year at most.
    register_target("communication.prospect", model="communication.Prospect", context="operations",
                    rule="ops_prospects", expired=lambda cutoff: Q(collected_at__lte=cutoff),
                    date_field="collected_at", duration=_days("PROSPECT_RETENTION_DAYS"))
    # RET-3: call recordings, one month (shorter if the operator says so), unless held as evidence (RET-4).
    register_target("communication.call_recording", model="communication.CallRecording", context="operations",
                    rule="ops_call_recordings", expired=lambda cutoff: Q(started_at__lte=cutoff, legal_hold=False),
                    date_field="started_at", person_field="person", erase=_erase_recordings,
                    duration=_days("CALL_RECORDING_RETENTION_DAYS"))
    # RET-8: audience analytics, 24 months at most (the visit's pages go with it).
    register_target("cookies.visit", model="cookies.Visit", context="operations", rule="ops_cookies",
                    expired=lambda cutoff: Q(last_seen_at__lt=cutoff), date_field="last_seen_at",
                    duration=_days("ANALYTICS_RETENTION_DAYS"))
    # RET-1: mandates that ended 30 years ago, with their history.
    register_target("mandates.mandate", model="mandates.Mandate", context="operations", rule="ops_client_file",
                    expired=lambda cutoff: Q(finished_at__isnull=False, finished_at__lte=cutoff),
                    date_field="finished_at", person_field="grantor", contexts=ALL_CONTEXTS)
