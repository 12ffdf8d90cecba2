"""The OpenAPI document and its readable, offline docs page (loket.apidocs)."""

from __future__ import annotations

from loket.apidocs import docs_blueprint
from workflow_service.openapi import spec

bp = docs_blueprint("docs", spec)
