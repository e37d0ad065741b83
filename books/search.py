"""Full-text search where the database has it (PostgreSQL), a plain word match elsewhere.

On PostgreSQL, books, authors and reviews are matched with ``websearch_to_tsquery`` against
GIN-indexed ``to_tsvector`` expressions (see the ``full_text_search`` migrations) and ranked
with ``ts_rank``. The expressions below are the ones those indexes are built on: a query uses
an index only when its expression is the same to the letter, so both come from here.
"""

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import Func, IntegerField, Q
from django.db.models.lookups import Exact

CONFIG = "english"


def uses_full_text(queryset) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def book_vector() -> SearchVector:
    return SearchVector("title", weight="A", config=CONFIG) + SearchVector(
        "description", weight="C", config=CONFIG
    )


def author_vector() -> SearchVector:
    return SearchVector("name", config=CONFIG)


def review_vector() -> SearchVector:
    return SearchVector("body", config=CONFIG)


def search_query(text: str) -> SearchQuery:
    return SearchQuery(text, search_type="websearch", config=CONFIG)


def ignored(query: SearchQuery) -> Q:
    """True where ``query`` keeps no word at all: a stop word such as "the" (or punctuation
    alone), which the dictionary drops. Looked for on its own, such a word would match no
    book and empty every search it is part of; the word match on SQLite finds "the" in
    nearly every book, so here it narrows nothing either. The query is a constant:
    PostgreSQL settles this once while planning and drops the other side of an ``OR``."""
    nodes = Func(query, function="numnode", output_field=IntegerField())
    return Q(Exact(nodes, 0))
