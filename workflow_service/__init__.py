"""Workflow service: every case walked through its SOP against the SOP's time standards.

``workflow_service.app.create_app`` builds it.
"""
