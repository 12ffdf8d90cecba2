"""One rule for the client's address behind proxies, and the old stream setting as an alias."""

from __future__ import annotations

import pytest

from loket.addresses import client_address


@pytest.mark.parametrize(("peer", "forwarded", "hops", "expected"), [
    ("10.0.0.9", None, 0, "10.0.0.9"),
    ("10.0.0.9", "1.2.3.4", 0, "10.0.0.9"),  # no proxy trusted: the header is a claim
    ("10.0.0.9", "6.6.6.6, 1.2.3.4", 1, "1.2.3.4"),  # what nginx saw; the left is a claim
    ("10.0.0.9", "6.6.6.6, 1.2.3.4, 127.0.0.1", 2, "1.2.3.4"),  # nginx, then the stream process
    ("10.0.0.9", "1.2.3.4", 2, "10.0.0.9"),  # fewer entries than proxies: the peer
    (None, None, 0, "-"),
])
def test_client_address(peer, forwarded, hops, expected) -> None:
    assert client_address(peer, forwarded, hops) == expected


def test_stream_trust_forwarded_is_an_alias_of_one_trusted_proxy(monkeypatch) -> None:
    from loket.settings import Settings

    monkeypatch.delenv("LOKET_TRUSTED_PROXIES", raising=False)
    monkeypatch.setenv("LOKET_STREAM_TRUST_FORWARDED", "true")
    assert Settings(_env_file=None).trusted_proxies == 1
    monkeypatch.setenv("LOKET_TRUSTED_PROXIES", "2")
    assert Settings(_env_file=None).trusted_proxies == 2
    monkeypatch.delenv("LOKET_STREAM_TRUST_FORWARDED")
    monkeypatch.delenv("LOKET_TRUSTED_PROXIES")
    assert Settings(_env_file=None).trusted_proxies == 0


def test_the_stream_cap_counts_the_address_the_proxy_saw() -> None:
    from stream_service import access

    assert access.client_address("127.0.0.1", "9.9.9.9, 5.5.5.5", 1) == "5.5.5.5"
    assert access.client_address("127.0.0.1", "5.5.5.5", 0) == "127.0.0.1"
