"""The data map of the communication app: each field of its models, a register category or not personal."""

from guichet.privacy.datamap import NotPersonal, Personal

KEY = NotPersonal("technical key")
PUBLIC_KEY = NotPersonal("random public identifier used in URLs")
PREFERENCES = Personal("communication_preferences", context="operations")
TRACKING = Personal("campaign_tracking", context="operations")
PROSPECT = Personal("prospect", context="operations")
RECORDING = Personal("call_recordings", context="operations")

DATA_MAP = {
    "Preferences": {
        "id": KEY, "person": PREFERENCES, "email_offers": PREFERENCES, "post_offers": PREFERENCES,
        "phone_offers": PREFERENCES, "sms_offers": PREFERENCES, "app_offers": PREFERENCES,
        "share_with_group": PREFERENCES, "tracking_objected": PREFERENCES, "profiling_objected": PREFERENCES,
        "updated_at": PREFERENCES,
    },
    "NonMemberChoice": {
        "id": KEY, "public_id": PUBLIC_KEY, "subject_key": PREFERENCES, "identifier_kind": PREFERENCES,
        "accepts_offers": PREFERENCES, "stated_at": PREFERENCES,
    },
    "PreferenceChange": {
        "id": KEY, "public_id": PUBLIC_KEY, "person": PREFERENCES, "non_member": PREFERENCES, "via": PREFERENCES,
        "changed_at": PREFERENCES, "snapshot": PREFERENCES, "audience_applied_at": PREFERENCES,
    },
    "Subscriber": {
        "id": KEY, "public_id": PUBLIC_KEY, "name": NotPersonal("name of a system of a group entity"),
        "url": NotPersonal("address of a system"), "secret": NotPersonal("signing key of a system"),
        "active": NotPersonal("state of a system"), "created_at": NotPersonal("when a system was registered"),
    },
    "Delivery": {
        "id": KEY, "public_id": PUBLIC_KEY, "change": PREFERENCES, "subscriber": PREFERENCES,
        "created_at": PREFERENCES, "attempts": PREFERENCES, "next_attempt_at": PREFERENCES,
        "delivered_at": PREFERENCES, "last_error": PREFERENCES,
    },
    "DoNotCallNumber": {"number": Personal("contact", context="operations")},
    "DoNotCallImport": {
        "id": KEY, "public_id": PUBLIC_KEY, "file_name": NotPersonal("name of an imported public list"),
        "imported_by": NotPersonal("staff account that imported a list"),
        "started_at": NotPersonal("time of an import"), "finished_at": NotPersonal("time of an import"),
        "lines": NotPersonal("count"), "imported": NotPersonal("count"), "rejected": NotPersonal("count"),
        "problems": NotPersonal("line numbers and reasons; a rejected value is not a valid number"),
    },
    "Campaign": {
        "id": KEY, "public_id": PUBLIC_KEY, "name": NotPersonal("campaign text"),
        "channel": NotPersonal("campaign setting"), "subject_fr": NotPersonal("campaign text"),
        "subject_nl": NotPersonal("campaign text"), "subject_en": NotPersonal("campaign text"),
        "body_fr": NotPersonal("campaign text"), "body_nl": NotPersonal("campaign text"),
        "body_en": NotPersonal("campaign text"), "context": NotPersonal("campaign filter"),
        "product": NotPersonal("campaign filter"), "language": NotPersonal("campaign filter"),
        "for_group_entity": NotPersonal("campaign setting"), "requires_consent": NotPersonal("campaign setting"),
        "links": NotPersonal("campaign links"), "status": NotPersonal("campaign state"),
        "created_by": NotPersonal("staff account that composed a campaign"),
        "created_at": NotPersonal("campaign date"), "sent_at": NotPersonal("campaign date"),
    },
    "CampaignRecipient": {
        "id": KEY, "public_id": PUBLIC_KEY, "campaign": TRACKING, "person": TRACKING,
        "email": Personal("contact", context="operations"), "language": Personal("identification", context="operations"),
        "tracking": TRACKING, "status": TRACKING, "sent_at": TRACKING, "opened_at": TRACKING,
        "clicked_at": TRACKING, "clicked_link": TRACKING, "unsubscribed_at": TRACKING,
    },
    "Prospect": {
        "id": KEY, "public_id": PUBLIC_KEY, "first_name": PROSPECT, "last_name": PROSPECT, "email": PROSPECT,
        "phone": PROSPECT, "source": PROSPECT, "source_detail": PROSPECT, "consent_given_at": PROSPECT,
        "collected_at": PROSPECT,
    },
    "CallRecording": {
        "id": KEY, "public_id": PUBLIC_KEY, "person": RECORDING, "caller_number": RECORDING,
        "started_at": RECORDING, "purpose": RECORDING, "notice_given_at": RECORDING, "notice_language": RECORDING,
        "audio": RECORDING, "legal_hold": RECORDING,
    },
}
