"""nginx as docker-compose runs it, on this machine: HTTPS with a ``loket tls-selfsigned``
certificate, plain HTTP redirected, HSTS, and every header once (issue #17).

deploy/nginx.conf is used as it is; only compose's names are made local (upstream host names →
the hall's ports, the certificate mount → a fresh certificate, ports 80/443 → free ports). The
hall behind it is the real one (the web process and the stream process).
"""

from __future__ import annotations

import os
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.platform.nginx_support import local_nginx
from tests.support import free_port, require_binary

pytestmark = pytest.mark.integration

ONCE = ("content-security-policy", "x-content-type-options", "x-frame-options",
        "referrer-policy", "strict-transport-security")


@pytest.fixture
def nginx_hall(settings, db, redis_client, repo_root: Path, tmp_path: Path) -> Iterator[Any]:
    from loket.wsgi import create_hall_app
    from queue_service.seed import seed_demo
    from tests.streams.stream_server import FrontDoor

    nginx = require_binary("nginx")
    demo = seed_demo(settings)
    front = FrontDoor(settings, create_hall_app(settings)).start()
    web = front.backend.base_url.removeprefix("http://")
    streams = front.streams.base_url.removeprefix("http://")
    http_port, https_port = free_port(), free_port()
    main = local_nginx(repo_root, tmp_path, {"queue": web, "workflow": web, "display": web,
                                             "console": web, "streams": streams},
                       http_port=http_port, https_port=https_port)
    if os.geteuid() == 0:  # workers as root too, so they may use the temp folders under /tmp
        main.write_text("user root;\n" + main.read_text())
    process = subprocess.Popen([nginx, "-p", str(tmp_path), "-c", str(main), "-g",
                                "daemon off;"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{http_port}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.1)
        tls = ssl.create_default_context(cafile=str(tmp_path / "tls" / "loket.crt"))
        yield {"http": f"http://127.0.0.1:{http_port}", "https": f"https://127.0.0.1:{https_port}",
               "tls": tls, "demo": demo}
    finally:
        process.terminate()
        process.wait(10)
        front.stop()


def assert_headers_once(response: httpx.Response, what: str) -> None:
    for name in ONCE:
        assert len(response.headers.get_list(name)) == 1, f"{what}: {name}"
    assert "script-src 'self'" in response.headers["content-security-policy"], what
    assert response.headers["strict-transport-security"].startswith("max-age="), what


def test_plain_http_redirects_to_https(nginx_hall):
    for path in ("/console/", "/api/queue/tickets/AB12CD34?x=1", "/display/"):
        response = httpx.get(nginx_hall["http"] + path, timeout=10)
        assert response.status_code == 301, path
        assert response.headers["location"] == f"https://127.0.0.1{path}"
        assert "strict-transport-security" not in response.headers  # HSTS only over HTTPS
    assert httpx.get(nginx_hall["http"] + "/healthz", timeout=10).status_code == 200


def test_https_serves_the_hall_with_hsts_and_every_header_once(nginx_hall):
    with httpx.Client(base_url=nginx_hall["https"], verify=nginx_hall["tls"],
                      timeout=10) as client:
        for path, status in (("/console/", 200), ("/api/queue/services", 200),
                             ("/display/static/board.js", 200), ("/api/workflow/pengaduan", 200),
                             ("/api/queue/counters", 401), ("/api/queue/tickets/NOPE1234", 404),
                             ("/", 302)):  # the last one is nginx's own answer
            response = client.get(path)
            assert response.status_code == status, path
            assert_headers_once(response, path)
        assert client.get("/", follow_redirects=True).url.path == "/console/"
        token = nginx_hall["demo"]["devices"]["display"]
        with client.stream("GET", f"/api/queue/events?token={token}") as stream:
            assert stream.status_code == 200
            assert stream.headers["content-type"].startswith("text/event-stream")
            assert_headers_once(stream, "stream")


def test_the_certificate_is_trusted_only_where_installed(nginx_hall):
    """Without the LAN certificate installed a client refuses the hall; with it, the names in
    the certificate (DNS localhost, IP 127.0.0.1) both verify."""
    with pytest.raises(httpx.ConnectError):
        httpx.get(nginx_hall["https"] + "/console/", timeout=10)  # not in the system's trust
    by_ip = httpx.get(nginx_hall["https"] + "/console/", verify=nginx_hall["tls"], timeout=10)
    assert by_ip.status_code == 200
    by_name = httpx.get(nginx_hall["https"].replace("127.0.0.1", "localhost") + "/console/",
                        verify=nginx_hall["tls"], timeout=10)
    assert by_name.status_code == 200
