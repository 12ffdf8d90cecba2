"""Workflow service: every case walked through its SOP against the SOP's time standards."""

from workflow_service.app import create_app

__all__ = ["create_app"]
