"""The ``celery -A loket.make_celery`` target for the worker and beat processes."""

from loket.celery_app import create_worker_app
from loket.settings import settings_or_exit

flask_app = create_worker_app(settings_or_exit())
celery_app = flask_app.extensions["celery"]
