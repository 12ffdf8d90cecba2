"""A self-signed TLS certificate for an office LAN (issue #17, "Transport and headers").

``loket tls-selfsigned --host loket.kantor --ip 192.168.1.10 --out deploy/tls`` writes
``loket.crt`` and ``loket.key`` (mode 0600) for nginx in docker-compose, which reads their paths
from ``LOKET_TLS_CERT`` / ``LOKET_TLS_KEY`` in ``deploy/.env``. The certificate names every host
name and address the hall is reached by (subjectAltName; browsers ignore the common name), is
valid for 825 days (the longest Apple devices accept), and is not a CA: it is installed as
trusted on the office's TVs, counter PCs and kiosk, or the browser warns once per device.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
from dataclasses import dataclass
from pathlib import Path

import click

DEFAULT_DAYS = 825
HOST_RE = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)"
                     r"(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")
CERT_NAME, KEY_NAME = "loket.crt", "loket.key"


class TlsInputError(ValueError):
    """A bad host, address or validity; ``field`` names the option, the message is for the
    admin (Bahasa Indonesia)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Pem:
    certificate: bytes
    key: bytes


IP = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_names(hosts: list[str], ips: list[str]) -> tuple[list[str], list[IP]]:
    if not hosts and not ips:
        raise TlsInputError("--host", "Isi paling sedikit satu --host atau --ip.")
    for host in hosts:
        if not HOST_RE.fullmatch(host):
            raise TlsInputError("--host", f"Nama host tidak valid: {host[:60]!r}.")
    addresses: list[IP] = []
    for ip in ips:
        try:
            addresses.append(ipaddress.ip_address(ip))
        except ValueError:
            raise TlsInputError("--ip", f"Alamat IP tidak valid: {ip[:60]!r}.") from None
    return [h.lower() for h in hosts], addresses


def make_selfsigned(hosts: list[str], ips: list[str], days: int = DEFAULT_DAYS,
                    now: dt.datetime | None = None) -> Pem:
    """A P-256 key and a self-signed server certificate naming ``hosts`` and ``ips``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    if not 1 <= days <= DEFAULT_DAYS:
        raise TlsInputError("--days", f"Masa berlaku harus 1 sampai {DEFAULT_DAYS} hari.")
    names, addresses = parse_names(hosts, ips)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, (names or [str(a) for a in addresses])[0]),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Loket"),
    ])
    start = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(minutes=5)  # clock skew of a PC
    san: list[x509.GeneralName] = [x509.DNSName(n) for n in names]
    san += [x509.IPAddress(a) for a in addresses]
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName(san), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=False,
                                     content_commitment=False, data_encipherment=False,
                                     key_agreement=False, key_cert_sign=False, crl_sign=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    return Pem(
        certificate=cert.public_bytes(serialization.Encoding.PEM),
        key=key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()),
    )


def write_pair(pem: Pem, out: Path, force: bool = False) -> tuple[Path, Path]:
    """``out/loket.crt`` and ``out/loket.key`` (the key readable by its owner only)."""
    out.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = out / CERT_NAME, out / KEY_NAME
    if not force and (cert_path.exists() or key_path.exists()):
        raise TlsInputError("--out", f"{cert_path} atau {key_path} sudah ada; pakai --force "
                                     "untuk menimpanya.")
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem.key)
    os.chmod(key_path, 0o600)
    cert_path.write_bytes(pem.certificate)
    return cert_path, key_path


@click.command("tls-selfsigned")
@click.option("--host", "hosts", multiple=True, help="Host name the hall is reached by (repeat).")
@click.option("--ip", "ips", multiple=True, help="IP address the hall is reached by (repeat).")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for loket.crt and loket.key.")
@click.option("--days", default=DEFAULT_DAYS, show_default=True, help="Validity in days.")
@click.option("--force", is_flag=True, help="Overwrite an existing certificate and key.")
def tls_selfsigned_cmd(hosts: tuple[str, ...], ips: tuple[str, ...], out: Path, days: int,
                       force: bool) -> None:
    """Make a self-signed certificate for the office LAN (nginx HTTPS in docker-compose)."""
    try:
        cert_path, key_path = write_pair(make_selfsigned(list(hosts), list(ips), days), out,
                                         force)
    except TlsInputError as exc:
        click.echo(f"loket: {exc.field}: {exc}", err=True)
        raise SystemExit(2) from None
    click.echo(f"Sertifikat: {cert_path}\nKunci:      {key_path}")
    click.echo("Tulis di deploy/.env:")
    click.echo(f"LOKET_TLS_CERT={cert_path.resolve()}\nLOKET_TLS_KEY={key_path.resolve()}")
