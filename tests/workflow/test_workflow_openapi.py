"""Every workflow route is in the OpenAPI document, and the document is served."""

from __future__ import annotations

import re

import pytest

from workflow_service.usecases.actions import ACTIONS

pytestmark = pytest.mark.integration


def test_every_route_is_documented(wf_app, client):
    spec = client.get("/openapi.json").json
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    for rule in wf_app.url_map.iter_rules():
        if rule.endpoint in ("static", "docs.openapi", "docs.docs"):
            continue
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
        # The step actions are documented one path each.
        paths = ([path.replace("{action}", a) for a in ACTIONS] if "{action}" in path
                 else [path])
        for one in paths:
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (one, method.lower()) in documented, f"{method} {one} missing"
    assert client.get("/docs").status_code == 200
