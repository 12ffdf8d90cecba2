"""deploy/nginx.conf made runnable on this machine: the same file with only the outside names
replaced (compose's upstream host names, its certificate mount, its log folder and ports)."""

from __future__ import annotations

import re
from pathlib import Path

from loket.tls import make_selfsigned, write_pair


def local_nginx(repo_root: Path, folder: Path, upstreams: dict[str, str],
                http_port: int = 80, https_port: int = 443) -> Path:
    """Write ``folder/nginx.conf`` (a main file including Loket's server file); its path."""
    text = (repo_root / "deploy" / "nginx.conf").read_text()
    for name, address in upstreams.items():
        text, count = re.subn(rf"server {name}:8000;", f"server {address};", text)
        assert count == 1, name
    cert, key = write_pair(make_selfsigned(["localhost"], ["127.0.0.1"]), folder / "tls")
    text = text.replace("/etc/nginx/tls/loket.crt", str(cert))
    text = text.replace("/etc/nginx/tls/loket.key", str(key))
    text = text.replace("/var/log/nginx/", f"{folder}/")
    text = text.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    text = text.replace("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl")
    (folder / "loket.conf").write_text(text)
    main = folder / "nginx.conf"
    main.write_text(f"""
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 256; }}
http {{
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/loket.conf;
}}
""")
    return main
