"""A test PKI made with `cryptography`: a CA, signers (good, expired, a forger under another CA), a timestamp authority
served on 127.0.0.1 (RFC 3161, pyHanko's DummyTimeStamper). Nothing reaches the network."""

from __future__ import annotations

import asyncio
import datetime as dt
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSPHRASE = "test passphrase"
SIGNER = "Dossiers Test Signer"


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "dossiers tests")])


def _certificate(
    subject: str, key, issuer: x509.Certificate | None, issuer_key, *, ca: bool = False, days: tuple[int, int] = (-1, 365), time_stamping: bool = False, crl: str | None = None,
):
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer.subject if issuer is not None else _name(subject))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + dt.timedelta(days=days[0]))
        .not_valid_after(now + dt.timedelta(days=days[1]))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=not ca, key_encipherment=False, data_encipherment=False, key_agreement=False,
                key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    if time_stamping:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    if crl is not None:
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(crl)], None, None, None)
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


@dataclass
class PKI:
    folder: Path
    ca: Path  # PEM of the CA that certifies the project's signer
    signer: Path  # PKCS#12, PASSPHRASE
    expired: Path  # PKCS#12 whose certificate expired yesterday
    forger: Path  # PKCS#12 of another key with the signer's very name, under another CA
    forger_ca: Path
    tsa_certificate: object
    tsa_key: object
    crl: bytes  # the CA's list of revoked certificates (none), DER


def make_pki(folder: Path, crl: str | None = None) -> PKI:
    """Every key and certificate the signing tests use, written into `folder` (outside any project); with `crl`, the
    certificates the CA issues say their revocation list is at that URL."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("Dossiers Test CA", ca_key, None, ca_key, ca=True, days=(-30, 3650))
    other_key = ec.generate_private_key(ec.SECP256R1())
    other = _certificate("Dossiers Test CA", other_key, None, other_key, ca=True, days=(-30, 3650))  # the same name, another key

    def p12(name: str, subject: str, issuer, issuer_key, days=(-1, 365)) -> Path:
        key = ec.generate_private_key(ec.SECP256R1())
        certificate = _certificate(subject, key, issuer, issuer_key, days=days, crl=crl if issuer is ca else None)
        data = pkcs12.serialize_key_and_certificates(b"signer", key, certificate, [issuer], serialization.BestAvailableEncryption(PASSPHRASE.encode()))
        (folder / name).write_bytes(data)
        return folder / name

    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa = _certificate("Dossiers Test TSA", tsa_key, ca, ca_key, time_stamping=True, crl=crl)
    now = dt.datetime.now(dt.UTC)
    revoked = (
        x509.CertificateRevocationListBuilder().issuer_name(ca.subject).last_update(now - dt.timedelta(hours=1)).next_update(now + dt.timedelta(days=7))
        .add_extension(x509.CRLNumber(1), critical=False).add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    (folder / "ca.pem").write_bytes(_pem(ca))
    (folder / "forger-ca.pem").write_bytes(_pem(other))
    return PKI(
        folder, folder / "ca.pem", p12("signer.p12", SIGNER, ca, ca_key), p12("expired.p12", SIGNER, ca, ca_key, days=(-30, -1)),
        p12("forger.p12", SIGNER, other, other_key), folder / "forger-ca.pem", tsa, tsa_key, revoked.public_bytes(serialization.Encoding.DER),
    )


@contextmanager
def serving(files: dict[str, bytes]) -> Iterator[str]:
    """A web server on 127.0.0.1 that serves `files` (path → bytes, filled in while it runs); yields its base URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            data = files.get(self.path)
            self.send_response(200 if data is not None else 404)
            self.send_header("Content-Length", str(len(data or b"")))
            self.end_headers()
            self.wfile.write(data or b"")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def timestamp_authority(pki: PKI) -> Iterator[str]:
    """An RFC 3161 timestamp authority on 127.0.0.1 for the duration; yields its URL."""
    from asn1crypto import keys, tsp
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.timestamps import DummyTimeStamper

    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(pki.tsa_certificate.public_bytes(serialization.Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(pki.tsa_key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
    )

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            answer = asyncio.run(stamper.async_request_tsa_response(request)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsr"
    finally:
        server.shutdown()
        server.server_close()
