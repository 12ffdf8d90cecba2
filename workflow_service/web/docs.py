"""OpenAPI document and a readable, offline docs page."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template_string

from workflow_service.openapi import spec

bp = Blueprint("docs", __name__)

PAGE = """<!doctype html><html lang="id"><head><meta charset="utf-8">
<title>{{ s.info.title }}</title><style>body{font-family:system-ui,sans-serif;max-width:60rem;
margin:2rem auto;padding:0 1rem}code{background:#eef;padding:0 .3rem}td,th{padding:.3rem .6rem;
border-bottom:1px solid #ddd;text-align:left}</style></head><body>
<h1>{{ s.info.title }}</h1><p>{{ s.info.description }}</p>
<p>Dokumen mesin: <a href="openapi.json">openapi.json</a></p><table>
<tr><th>Metode</th><th>Alamat</th><th>Keterangan</th><th>Token</th></tr>
{% for path, ops in s.paths.items() %}{% for method, op in ops.items() %}
<tr><td>{{ method|upper }}</td><td><code>{{ s.servers[0].url }}{{ path }}</code></td>
<td>{{ op.summary }}</td><td>{{ "ya" if op.security else "publik" }}</td></tr>
{% endfor %}{% endfor %}</table></body></html>"""


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(spec())


@bp.get("/docs")
def docs_page() -> str:
    return render_template_string(PAGE, s=spec())
