"""A task worker the suite starts (``manage.py db_worker`` in a process of its own, as the
durability test does): the test settings with tasks queued in the database. The test points
DATABASE_URL at its own test database, so the worker and the suite share it."""

from .test import *  # noqa: F403
from .test import TASKS_BACKENDS

TASKS = {"default": {"BACKEND": TASKS_BACKENDS["database"]}}
