"""The API (``/api/v1/``): its routers, its error shape and its documentation.

Built with django-ninja: the schema comes from the type hints of the operations themselves
(pydantic), so it cannot drift from what they accept and answer.
"""

from ninja import NinjaAPI

from . import books, community, errors, me, readers, social  # noqa: F401 - each adds its operations
from .auth import visitor
from .parsing import JsonParser
from .routes import router

api = NinjaAPI(
    title="Shelfmark API",
    version="1",
    urls_namespace="api-1",
    description=(
        "Books, reviews, readers and their reading. Read anonymously; sign in with a personal "
        "access token (Settings, API tokens) sent as `Authorization: Bearer <token>` to see "
        "your own state and, with a token that may write, to rate, shelve, read, review, like, "
        "import and export. Lists are paged with `limit` and the `next_cursor` each page "
        "gives. Errors answer `{code, message, fields}`."
    ),
    auth=visitor,
    parser=JsonParser(),
)
errors.install(api)
api.add_router("", router)
