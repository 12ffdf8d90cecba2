"""The web process's WSGI entry (``gunicorn 'loket.wsgi:create_hall_app()'``): the hall is
put together by the composition root, ``loket.composition.hall``."""

from loket.composition.hall import MOUNTS, create_hall_app

__all__ = ["MOUNTS", "create_hall_app"]
