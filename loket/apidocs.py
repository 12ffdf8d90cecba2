"""The one API docs page of every Loket service: its OpenAPI document as JSON and as a readable
HTML page rendered here (no CDN assets: the hall runs offline)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, jsonify, render_template_string

PAGE = """<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>{{ spec.info.title }}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#1b1b1b;line-height:1.45}
h1{margin-bottom:.2rem}
.op{border:1px solid #ccd;border-radius:6px;margin:1rem 0;padding:.6rem 1rem}
.m{display:inline-block;min-width:4rem;font-weight:700;text-transform:uppercase}
.get{color:#0a6b2d}.post{color:#174ea6}.put{color:#8a5300}
code,pre{background:#f3f4f7;border-radius:4px;padding:.1rem .3rem}
pre{padding:.6rem;overflow:auto;font-size:.85rem} details summary{cursor:pointer}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left}
</style></head><body>
<h1>{{ spec.info.title }} <small>{{ spec.info.version }}</small></h1>
<p>{{ spec.info.description }}</p>
<p>Machine-readable: <a href="openapi.json">openapi.json</a></p>
{% for path, item in spec.paths.items() %}{% for method, op in item.items() %}
<div class="op"><span class="m {{ method }}">{{ method }}</span> <code>{{ path }}</code>
<p>{{ op.summary }}</p>
{% if op.description %}<p>{{ op.description }}</p>{% endif %}
<p>Auth: {% if op.security %}{{ op.security | map("list") | map("join", ",") | join(" or ") }}
{% else %}public{% endif %}</p>
{% if op.parameters %}<table><tr><th>parameter</th><th>in</th><th>required</th></tr>
{% for p in op.parameters %}<tr><td>{{ p.name }}</td><td>{{ p["in"] }}</td>
<td>{{ "yes" if p.required else "no" }}</td></tr>{% endfor %}</table>{% endif %}
{% if op.requestBody %}<details><summary>Request body</summary>
<pre>{{ dump(op.requestBody.content["application/json"].schema) }}</pre></details>{% endif %}
<details><summary>Responses: {{ op.responses.keys() | join(", ") }}</summary>
<pre>{{ dump(op.responses) }}</pre></details></div>
{% endfor %}{% endfor %}
<h2>Schemas</h2>
{% for name, schema in spec.components.schemas.items() %}
<details><summary><code>{{ name }}</code></summary><pre>{{ dump(schema) }}</pre></details>
{% endfor %}
</body></html>"""


def docs_blueprint(name: str, build_spec: Callable[[], dict[str, Any]]) -> Blueprint:
    """``/openapi.json`` and ``/docs`` of one service (relative to where the app is mounted)."""
    bp = Blueprint(name, __name__)

    @bp.get("/openapi.json")
    def openapi() -> Response:
        """The OpenAPI 3.1 document of this service."""
        return jsonify(build_spec())

    @bp.get("/docs")
    def docs() -> str:
        """The OpenAPI document as an HTML page."""
        return render_template_string(
            PAGE, spec=build_spec(),
            dump=lambda value: json.dumps(value, indent=2, ensure_ascii=False))

    return bp
