"""`BENCH signing`: the cost of verifying one eID signature as Guichet does it (guichet.signing.verify:
CMS parsing, message digest, ECDSA over the signed attributes, chain building up to the trust anchor with
pyhanko-certvalidator and an OCSP request over HTTP to the local test responder), and of re-verifying it
offline from the stored proof, against the floor: the ECDSA check of the signed attributes alone.

`verify_ms` (live, with OCSP), `reverify_ms` (offline), `ecdsa_ms` (the floor), medians over `samples`;
ratio = verify_ms / ecdsa_ms (how many bare signature checks one full verification costs). No target:
it sizes how many signatures a worker verifies per second (`verifications_per_s`). Needs no database.
"""

import datetime
import statistics
import tempfile
import time
from pathlib import Path

from bench.harness import Run

NAME = "signing"
SAMPLES = {"tiny": 5, "full": 50}


def _median_ms(function, samples: int) -> float:
    function()  # warm-up
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def run(run: Run) -> dict:
    from django.test.utils import override_settings

    from guichet.signing import cms, test_token, verify
    from guichet.signing.ocsp_responder import OCSPResponder
    from guichet.signing.testpki import TestPKI

    samples = SAMPLES.get(run.size.name, 5)
    content = b'{"form":"sworn statement","household":["A","B"],"income":"12000.00"}'
    national_number = "85031400226"
    with tempfile.TemporaryDirectory() as directory:
        responder = OCSPResponder().start()
        try:
            pki = TestPKI(Path(directory), responder.url).ensure()
            responder.pki = pki
            overrides = dict(GUICHET_SIGNING_TEST_PKI_DIR=directory, GUICHET_SIGNING_TEST_OCSP_URL=responder.url,
                             GUICHET_SIGNING_ACCEPT_TEST_TOKEN=True, GUICHET_SIGNING_TRUST_ANCHORS=[], PRODUCTION=False)
            with override_settings(**overrides):
                credentials = pki.issue(first_name="Bench", last_name="Signer", national_number=national_number)
                signature = cms.build(content, test_token.SoftwareSigner(credentials))
                live = verify.verify(content, signature, national_number=national_number)
                if not live.valid:
                    raise RuntimeError(f"the benchmark signature was refused: {live.code}")
                offline = {"moment": datetime.datetime.fromisoformat(live.validated_at), "certs": live.chain_der,
                           "ocsp": live.ocsp_der, "crl": live.crl_der}
                parsed = cms.parse(signature)
                verify_ms = _median_ms(lambda: verify.verify(content, signature, national_number=national_number),
                                       samples)
                reverify_ms = _median_ms(lambda: verify.verify(content, signature, national_number=national_number,
                                                                offline=offline), samples)
                ecdsa_ms = _median_ms(lambda: cms.signature_is_valid(parsed), samples * 10)
        finally:
            responder.stop()
    return {"samples": samples, "verify_ms": verify_ms, "reverify_ms": reverify_ms, "ecdsa_ms": ecdsa_ms,
            "verifications_per_s": 1000 / verify_ms, "ratio": verify_ms / ecdsa_ms}
