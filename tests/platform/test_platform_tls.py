"""``loket tls-selfsigned``: a certificate for the office LAN that ``cryptography`` loads, with
the host names and addresses in its subjectAltName (issue #17)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import stat

import pytest
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID

from loket.cli import cli

pytestmark = pytest.mark.unit


def run(*args: str):
    return CliRunner().invoke(cli, ["tls-selfsigned", *args])


def test_the_command_writes_a_certificate_with_the_right_names(tmp_path):
    out = tmp_path / "tls"
    result = run("--host", "loket.kantor", "--host", "Genteng-PC", "--ip", "192.168.1.10",
                 "--ip", "fd00::10", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"LOKET_TLS_CERT={(out / 'loket.crt').resolve()}" in result.output
    assert f"LOKET_TLS_KEY={(out / 'loket.key').resolve()}" in result.output

    cert = x509.load_pem_x509_certificate((out / "loket.crt").read_bytes())
    key = serialization.load_pem_private_key((out / "loket.key").read_bytes(), password=None)
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["loket.kantor", "genteng-pc"]
    assert san.get_values_for_type(x509.IPAddress) == [ipaddress.ip_address("192.168.1.10"),
                                                       ipaddress.ip_address("fd00::10")]
    # The key is the certificate's, the certificate signs itself, and it is a server's, not a CA.
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    assert key.public_key().public_numbers() == cert.public_key().public_numbers()
    cert.verify_directly_issued_by(cert)
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    usage = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(usage) == [ExtendedKeyUsageOID.SERVER_AUTH]
    now = dt.datetime.now(dt.UTC)
    assert cert.not_valid_before_utc <= now
    assert dt.timedelta(days=824) < cert.not_valid_after_utc - now <= dt.timedelta(days=825)
    # The key is readable by its owner only.
    assert stat.S_IMODE((out / "loket.key").stat().st_mode) == 0o600


def test_an_existing_pair_is_kept_unless_forced(tmp_path):
    assert run("--ip", "10.0.0.5", "--out", str(tmp_path)).exit_code == 0
    first = (tmp_path / "loket.crt").read_bytes()
    again = run("--ip", "10.0.0.5", "--out", str(tmp_path))
    assert again.exit_code == 2
    assert "--out" in again.output and "sudah ada" in again.output
    assert (tmp_path / "loket.crt").read_bytes() == first
    assert run("--ip", "10.0.0.5", "--out", str(tmp_path), "--force").exit_code == 0
    assert (tmp_path / "loket.crt").read_bytes() != first


@pytest.mark.parametrize(("args", "field", "words"), [
    (["--ip", "999.1.1.1"], "--ip", "Alamat IP tidak valid"),
    (["--host", "bad host!"], "--host", "Nama host tidak valid"),
    ([], "--host", "paling sedikit satu"),
    (["--ip", "10.0.0.5", "--days", "3650"], "--days", "Masa berlaku"),
])
def test_bad_input_is_refused_naming_the_option(tmp_path, args, field, words):
    result = run(*args, "--out", str(tmp_path / "tls"))
    assert result.exit_code == 2
    assert f"loket: {field}: " in result.output and words in result.output
    assert not (tmp_path / "tls" / "loket.key").exists()
