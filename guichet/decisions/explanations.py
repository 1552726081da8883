"""The plain-words explanations of decisions, written in French, Dutch and English (AUTO-9). They are
stored with the decision, in the three languages, so the text the person read never changes afterwards."""

from __future__ import annotations

LANGUAGES = ("fr", "nl", "en")

TEXTS: dict[str, dict[str, str]] = {
    "holder_codes": {
        "fr": "Vos codes titulaires sont {codes}. Ils découlent de votre régime ({scheme}), de votre statut ({status}) "
              "et {bim_fr}.",
        "nl": "Uw codes gerechtigde zijn {codes}. Ze volgen uit uw stelsel ({scheme}), uw statuut ({status}) "
              "en {bim_nl}.",
        "en": "Your holder codes are {codes}. They follow from your scheme ({scheme}), your status ({status}) "
              "and {bim_en}.",
    },
    "bim_automatic": {
        "fr": "Vous recevez l'intervention majorée depuis le {start}, automatiquement, parce que nous avons "
              "enregistré : {ground}. Vous ne deviez rien demander et vos revenus n'ont pas été examinés.",
        "nl": "U krijgt de verhoogde tegemoetkoming sinds {start}, automatisch, omdat wij het volgende hebben "
              "geregistreerd: {ground}. U moest niets aanvragen en uw inkomen werd niet onderzocht.",
        "en": "You receive increased reimbursement since {start}, automatically, because we recorded: {ground}. "
              "You did not have to ask, and your income was not examined.",
    },
    "bim_income_test_granted": {
        "fr": "Les revenus de votre ménage ({members} personnes) s'élèvent à {income} EUR, sous le plafond de "
              "{ceiling} EUR pour {year} : l'intervention majorée vous est accordée depuis le {start}.",
        "nl": "Het inkomen van uw gezin ({members} personen) bedraagt {income} EUR, onder het grensbedrag van "
              "{ceiling} EUR voor {year}: de verhoogde tegemoetkoming wordt toegekend sinds {start}.",
        "en": "Your household's income ({members} people) is {income} EUR, below the ceiling of {ceiling} EUR "
              "for {year}: increased reimbursement is granted from {start}.",
    },
    "bim_income_test_refused": {
        "fr": "Les revenus de votre ménage ({members} personnes) s'élèvent à {income} EUR, au-dessus du plafond "
              "de {ceiling} EUR pour {year} : l'intervention majorée ne peut pas être accordée.",
        "nl": "Het inkomen van uw gezin ({members} personen) bedraagt {income} EUR, boven het grensbedrag van "
              "{ceiling} EUR voor {year}: de verhoogde tegemoetkoming kan niet worden toegekend.",
        "en": "Your household's income ({members} people) is {income} EUR, above the ceiling of {ceiling} EUR "
              "for {year}: increased reimbursement cannot be granted.",
    },
    "maf": {
        "fr": "Les tickets modérateurs de votre ménage ont atteint {counted} EUR en {year}, au-delà du plafond de "
              "{ceiling} EUR ({basis_fr}) ; tout ce qui dépasse est remboursé : {refund} EUR cette fois, "
              "{total} EUR au total.",
        "nl": "Het remgeld van uw gezin bereikte {counted} EUR in {year}, boven het plafond van {ceiling} EUR "
              "({basis_nl}); alles daarboven wordt terugbetaald: {refund} EUR deze keer, {total} EUR in totaal.",
        "en": "Your household's co-payments reached {counted} EUR in {year}, above the ceiling of {ceiling} EUR "
              "({basis_en}); everything above it is refunded: {refund} EUR this time, {total} EUR in all.",
    },
    "coverage_decision_covered": {
        "fr": "{provider} nous a notifié {care} le {date}. Ces soins sont couverts par l'assurance obligatoire.",
        "nl": "{provider} meldde ons {care} op {date}. Die zorg wordt gedekt door de verplichte verzekering.",
        "en": "{provider} notified us of {care} on {date}. This care is covered by the compulsory insurance.",
    },
    "coverage_decision_not_covered": {
        "fr": "{provider} nous a notifié {care} le {date}. Ces soins ne sont pas couverts : {reason_fr}.",
        "nl": "{provider} meldde ons {care} op {date}. Die zorg wordt niet gedekt: {reason_nl}.",
        "en": "{provider} notified us of {care} on {date}. This care is not covered: {reason_en}.",
    },
    "incapacity_blocking": {
        "fr": "{insurer} nous a fait savoir qu'il prend en charge votre accident du travail (dossier {case}). "
              "Vos indemnités d'incapacité de la mutualité sont donc suspendues depuis le {since} : "
              "c'est l'assureur qui vous indemnise.",
        "nl": "{insurer} liet ons weten dat het uw arbeidsongeval ten laste neemt (dossier {case}). Uw "
              "arbeidsongeschiktheidsuitkeringen van het ziekenfonds worden daarom sinds {since} stopgezet: "
              "de verzekeraar vergoedt u.",
        "en": "{insurer} told us that it covers your work accident (case {case}). Your incapacity benefits "
              "from the mutual are therefore stopped since {since}: the insurer compensates you.",
    },
    "accident_declaration": {
        "fr": "Des soins du {date} ({care}) semblent liés à un accident causé par un tiers. Nous vous avons envoyé "
              "un formulaire de déclaration d'accident dans votre e-Box.",
        "nl": "Zorg van {date} ({care}) lijkt verband te houden met een ongeval veroorzaakt door een derde. Wij "
              "stuurden u een formulier voor ongevalsaangifte in uw e-Box.",
        "en": "Care of {date} ({care}) seems linked to an accident caused by someone else. We sent an accident "
              "declaration form to your e-Box.",
    },
}

BIM_WORDS = {
    True: {"bim_fr": "de votre droit à l'intervention majorée (dernier chiffre 1)",
           "bim_nl": "uw recht op verhoogde tegemoetkoming (laatste cijfer 1)",
           "bim_en": "your right to increased reimbursement (last digit 1)"},
    False: {"bim_fr": "du fait que vous n'avez pas l'intervention majorée (dernier chiffre 0)",
            "bim_nl": "het feit dat u geen verhoogde tegemoetkoming hebt (laatste cijfer 0)",
            "bim_en": "the fact that you have no increased reimbursement (last digit 0)"},
}

MAF_BASIS = {
    "income": {"basis_fr": "plafond selon les revenus du ménage", "basis_nl": "plafond volgens het gezinsinkomen",
               "basis_en": "the ceiling for your household's income bracket"},
    "social": {"basis_fr": "MAF social", "basis_nl": "sociale MAF", "basis_en": "the social MAF ceiling"},
    "child": {"basis_fr": "MAF enfant de moins de 19 ans", "basis_nl": "MAF kind jonger dan 19",
              "basis_en": "the ceiling for a child under 19"},
}


def money(cents: int, language: str) -> str:
    text = f"{cents // 100}.{cents % 100:02d}" if cents >= 0 else f"-{money(-cents, 'en')}"
    return text.replace(".", ",") if language in ("fr", "nl") else text


def explain(key: str, **values) -> dict[str, str]:
    """The text of `key` in the three languages; amounts given as `*_cents` are written per language."""
    out = {}
    for language in LANGUAGES:
        filled = {}
        for name, value in values.items():
            if name.endswith("_cents"):
                filled[name[: -len("_cents")]] = money(value, language)
            elif isinstance(value, dict) and set(value) >= set(LANGUAGES):
                filled[name] = value[language]
            else:
                filled[name] = value
        out[language] = TEXTS[key][language].format(**filled)
    return out
