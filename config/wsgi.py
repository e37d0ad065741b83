import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()

# What is loaded by now (Django, the apps, their modules) lives as long as the worker: frozen,
# the garbage collector no longer walks it on each full collection during requests, which
# took about a tenth of a book page's time. gunicorn imports this module in each worker.
gc.freeze()
