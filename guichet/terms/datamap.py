"""Data map of the terms app: each field's register data category, or why it is not personal."""

from guichet.privacy.datamap import NotPersonal, Personal

DATA_MAP = {
    "TermsVersion": {
        "id": NotPersonal("technical key"),
        "document": NotPersonal("name of a public document"),
        "version": NotPersonal("version of a public document"),
        "published_at": NotPersonal("publication date of a public document"),
        "texts": NotPersonal("text of a public document"),
    },
    "TermsAcceptance": {
        "id": NotPersonal("technical key"),
        "person": Personal("online_account"),
        "version": Personal("online_account"),
        "accepted_at": Personal("online_account"),
        "channel": Personal("online_account"),
    },
}
