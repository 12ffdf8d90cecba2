"""Waiting-room TV display: the board page, its static assets and spoken announcements.

``display.app.create_app`` builds it; the hall mounts it at /display, so every route is relative.
"""
