"""The queue service: services, counters, tickets, calling rules, live events, device tokens.

``queue_service.app.create_app`` builds it; ``usecases/`` holds one module per job.
"""
