"""Docker cannot run here, so the compose file's promises are checked by reading it."""

from __future__ import annotations

import re

import pytest
import yaml

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def compose(repo_root):
    return yaml.safe_load((repo_root / "docker-compose.yml").read_text())


def test_has_every_part_of_the_hall(compose):
    expected = {"postgres", "redis", "migrate", "queue", "workflow", "display", "console",
                "worker", "beat", "nginx"}
    assert expected <= set(compose["services"])


def test_every_long_running_service_has_a_healthcheck(compose):
    for name, service in compose["services"].items():
        if name == "migrate":
            continue
        assert "healthcheck" in service, name
        assert service["healthcheck"]["test"], name


def test_web_services_serve_one_app_each_and_wait_for_healthy_dependencies(compose):
    for name in ("queue", "workflow", "display", "console"):
        service = compose["services"][name]
        assert service["command"] == ["server"]
        assert service["environment"]["LOKET_APPS"] == name
        deps = service["depends_on"]
        assert deps["postgres"]["condition"] == "service_healthy"
        assert deps["redis"]["condition"] == "service_healthy"
        assert deps["migrate"]["condition"] == "service_completed_successfully"


def test_exactly_one_beat_and_a_scalable_worker(compose):
    beat = compose["services"]["beat"]
    assert beat["command"] == ["beat"]
    assert beat["deploy"]["replicas"] == 1
    worker = compose["services"]["worker"]
    assert worker["command"] == ["worker"]
    assert "container_name" not in worker and "replicas" not in worker.get("deploy", {})


def test_required_secrets_fail_fast_when_missing(repo_root):
    text = (repo_root / "docker-compose.yml").read_text()
    for var in ("POSTGRES_PASSWORD", "LOKET_SECRET_KEY", "LOKET_DATA_KEY"):
        assert re.search(r"\$\{" + var + r":\?", text), var
    example = (repo_root / "deploy" / ".env.example").read_text()
    for var in ("POSTGRES_PASSWORD", "LOKET_SECRET_KEY", "LOKET_DATA_KEY"):
        assert re.search(rf"^{var}=", example, re.M), var


def test_production_mode_everywhere(compose):
    for name in ("queue", "workflow", "display", "console", "worker", "beat", "migrate"):
        env = compose["services"][name]["environment"]
        assert env["LOKET_ENV"] == "production"
        assert env["LOKET_DATABASE_URL"].startswith("postgresql://")
        assert env["LOKET_REDIS_URL"].startswith("redis://redis")


def test_nginx_routes_the_same_prefixes(repo_root):
    conf = (repo_root / "deploy" / "nginx.conf").read_text()
    for prefix, upstream in (("/api/queue/", "queue"), ("/api/workflow/", "workflow"),
                             ("/display/", "display"), ("/console/", "console")):
        assert re.search(rf"location {re.escape(prefix)}\s+\{{ proxy_pass http://{upstream};",
                         conf), prefix
    assert "proxy_buffering off" in conf  # SSE must stream


def test_nginx_sends_every_live_stream_to_the_stream_process(repo_root, compose):
    conf = (repo_root / "deploy" / "nginx.conf").read_text()
    match = re.search(r"location ~ (\S+) \{\s+proxy_pass http://streams;", conf)
    assert match, "no stream location"
    pattern = re.compile(match.group(1))
    for path in ("/api/queue/events", "/api/workflow/events", "/api/queue/tickets/AB12CD/events"):
        assert pattern.search(path), path
    for path in ("/api/queue/board", "/api/queue/tickets/AB12CD", "/api/queue/events/x"):
        assert not pattern.search(path), path
    streams = compose["services"]["streams"]
    assert streams["command"] == ["streams"]
    assert compose["services"]["nginx"]["depends_on"]["streams"]["condition"] == \
        "service_healthy"


def test_dockerfile_has_role_entrypoint(repo_root):
    entry = (repo_root / "deploy" / "entrypoint.sh").read_text()
    for role in ("server)", "worker)", "beat)", "migrate)"):
        assert role in entry
    dockerfile = (repo_root / "deploy" / "Dockerfile").read_text()
    assert "ENTRYPOINT" in dockerfile and "loket-entrypoint" in dockerfile


# -- HTTPS (issue #17, "Transport and headers") ------------------------------------------------

def test_nginx_serves_https_with_the_certificate_named_in_env(repo_root, compose):
    nginx = compose["services"]["nginx"]
    assert "${LOKET_HTTPS_PORT:-443}:443" in nginx["ports"]
    mounts = {volume.split(":")[-2]: volume for volume in nginx["volumes"]}
    # The paths come from deploy/.env and compose refuses to start without them.
    assert re.match(r"^\$\{LOKET_TLS_CERT:\?[^}]+\}:", mounts["/etc/nginx/tls/loket.crt"])
    assert re.match(r"^\$\{LOKET_TLS_KEY:\?[^}]+\}:", mounts["/etc/nginx/tls/loket.key"])
    conf = (repo_root / "deploy" / "nginx.conf").read_text()
    assert re.search(r"listen 443 ssl", conf)
    assert "ssl_certificate     /etc/nginx/tls/loket.crt;" in conf
    assert "ssl_certificate_key /etc/nginx/tls/loket.key;" in conf
    assert re.search(r"ssl_protocols TLSv1\.2 TLSv1\.3;", conf)
    assert re.search(r'add_header Strict-Transport-Security "max-age=\d{8,}" always;', conf)
    example = (repo_root / "deploy" / ".env.example").read_text()
    for var in ("LOKET_TLS_CERT", "LOKET_TLS_KEY"):
        assert re.search(rf"^{var}=", example, re.M), var
    assert "loket tls-selfsigned" in example
    assert compose["x-loket"]["environment"]["LOKET_PUBLIC_URL"].endswith("https://localhost}")


def test_plain_http_only_redirects_to_https(repo_root):
    conf = (repo_root / "deploy" / "nginx.conf").read_text()
    plain = re.search(r"server \{\s+listen 80;(.*?)\n\}", conf, re.S)
    assert plain, "no port-80 server"
    body = plain.group(1)
    assert "location / { return 301 https://$host$request_uri; }" in body
    assert "proxy_pass" not in body  # nothing of the hall is served over plain HTTP


def test_nginx_accepts_the_config_and_a_tls_selfsigned_certificate(repo_root, tmp_path):
    """``nginx -t`` on deploy/nginx.conf as it is (only compose's names made local)."""
    import subprocess

    from tests.platform.nginx_support import local_nginx
    from tests.support import require_binary

    nginx = require_binary("nginx")
    names = ("queue", "workflow", "display", "console", "streams")
    main = local_nginx(repo_root, tmp_path, dict.fromkeys(names, "127.0.0.1:9"))
    result = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(main)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr and "test is successful" in result.stderr
