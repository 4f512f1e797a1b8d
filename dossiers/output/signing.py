"""Signatures with pyHanko: PAdES for every PDF, a detached CMS signature for manifest.json.

A PDF is signed last, in an incremental update that covers the whole file: PAdES B-B
with the key alone, B-T with a signature timestamp from a timestamp authority, B-LT when
the certificate says where its revocation data is and that data can be had (it is then
written to the document's security store, after the signature).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING

from ..errors import UserError

if TYPE_CHECKING:
    from pyhanko.sign.signers import SimpleSigner

SIGNATURE_FIELD = "DossiersSignature"
DIGEST = "sha256"
TIMESTAMP_SECONDS = 20


@dataclass(frozen=True)
class SigningKey:
    """A key and certificate to sign with, and where to get timestamps (None: no timestamp, PAdES B-B)."""

    signer: SimpleSigner
    name: str  # the certificate's subject, as people read it
    fingerprint: str  # sha256 of the certificate
    timestamp_url: str | None = None

    @property
    def level(self) -> str:
        return "B-T" if self.timestamp_url else "B-B"

    def describe(self) -> str:
        return (
            f"{self.name} (certificate SHA-256 {self.fingerprint[:16]}…), PAdES "
            f"{self.level}{f' with timestamps from {self.timestamp_url}' if self.timestamp_url else ''}"
        )


def signer_name(certificate) -> str:
    """'Common name (Organisation)' of an asn1crypto certificate's subject, else the whole subject."""
    subject = certificate.subject.native
    common, organization = subject.get("common_name"), subject.get("organization_name")
    common, organization = (", ".join(v) if isinstance(v, list) else v for v in (common, organization))
    if not common:
        return certificate.subject.human_friendly
    return f"{common} ({organization})" if organization else common


def quiet() -> None:
    """pyHanko logs each failed check with a traceback; dossiers says what failed in its own words."""
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def load_key(data: bytes, passphrase: bytes | None, shown: str, timestamp_url: str | None = None) -> SigningKey:
    """The key and certificate of a PKCS#12 file; a UserError naming `shown` if it cannot be opened."""
    from pyhanko.sign import signers

    quiet()
    signer = None
    for candidate in [passphrase] if passphrase else [None, b""]:  # an empty passphrase may mean none or ""
        try:
            signer = signers.SimpleSigner.load_pkcs12_data(data, [], passphrase=candidate)
            break
        except (ValueError, TypeError):
            continue
    if signer is None:
        raise UserError(
            f"cannot open the signing key {shown}: it is not a PKCS#12 file (.p12, .pfx), or the passphrase is wrong "
            "(set DOSSIERS_SIGN_PASSPHRASE, empty for none, or passphrase in [sign] of the user config)"
        )
    if signer.signing_cert is None or signer.signing_key is None:
        raise UserError(f"the signing key {shown} holds no key and certificate pair: export both into the PKCS#12 file")
    if timestamp_url is not None and not timestamp_url.startswith(("http://", "https://")):
        raise UserError(f"timestamp authority {timestamp_url!r} is not an http(s) URL")
    cert = signer.signing_cert
    return SigningKey(signer, signer_name(cert), cert.sha256.hex(), timestamp_url)


def _timestamper(key: SigningKey):
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(key.timestamp_url, timeout=TIMESTAMP_SECONDS) if key.timestamp_url else None


def sign_pdf(data: bytes, key: SigningKey) -> bytes:
    """The PDF with a PAdES signature appended that covers all of it; B-LT when it is timestamped and the revocation
    data
    of its certificates can be had (written after the signature, in the document security store)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields
    from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
    from pyhanko.sign.timestamps import TimestampRequestError

    def signed(long_term: bool) -> bytes:
        writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
        metadata = PdfSignatureMetadata(
            field_name=SIGNATURE_FIELD,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm=DIGEST,
            reason="Made and signed by dossiers",
            embed_validation_info=long_term,
            validation_context=_revocation_context(key) if long_term else None,
            signer_key_usage={"digital_signature"},
        )
        signer = PdfSigner(metadata, signer=key.signer, timestamper=_timestamper(key))
        return signer.sign_pdf(writer).getvalue()

    try:
        if key.timestamp_url and _names_revocation(key):
            try:
                return signed(long_term=True)
            except TimestampRequestError:
                raise
            # pyHanko's errors of fetching and validating vary: no revocation data, so B-T or B-B, as verify says
            except Exception:
                pass
        return signed(long_term=False)
    except TimestampRequestError as error:
        raise UserError(
            f"the timestamp authority {key.timestamp_url} did not give a timestamp ({str(error)[:200]}): "
            "sign without --timestamp, or try again"
        ) from None


def _names_revocation(key: SigningKey) -> bool:
    """Whether the signer's certificate says where its revocation status is published (OCSP or CRL)."""
    cert = key.signer.signing_cert
    return cert is not None and bool(cert.ocsp_urls or cert.crl_distribution_points)


def _revocation_context(key: SigningKey):
    """A validation context that fetches the revocation data of the signer's chain, anchored on the chain in the key
    file."""
    from pyhanko_certvalidator import ValidationContext

    chain = list(key.signer.cert_registry)
    roots = [cert for cert in chain if cert.self_signed] or [key.signer.signing_cert]
    return ValidationContext(trust_roots=roots, other_certs=chain, allow_fetching=True, revocation_mode="hard-fail")


def sign_detached(data: bytes, key: SigningKey) -> bytes:
    """A detached CMS (PKCS#7) signature of `data`, DER, timestamped if the key has a timestamp authority."""
    from pyhanko.sign.timestamps import TimestampRequestError

    async def signing() -> bytes:
        signed = await key.signer.async_sign_general_data(data, DIGEST, detached=True, timestamper=_timestamper(key))
        return signed.dump()

    try:
        return asyncio.run(signing())
    except TimestampRequestError as error:
        raise UserError(
            f"the timestamp authority {key.timestamp_url} did not give a timestamp ({str(error)[:200]}): "
            "sign without --timestamp, or try again"
        ) from None
