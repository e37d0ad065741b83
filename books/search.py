"""Full-text search where the database has it (PostgreSQL), a plain word match elsewhere.

On PostgreSQL, books, authors and reviews are matched with ``websearch_to_tsquery`` against
GIN-indexed ``to_tsvector`` expressions (see the ``full_text_search`` migrations) and ranked
with ``ts_rank``. The expressions below are the ones those indexes are built on: a query uses
an index only when its expression is the same to the letter, so both come from here.
"""

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.db import connections
from django.db.models import Expression, F, Lookup, Q

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


def title_vector() -> SearchVector:
    """What the rank reads: a book's title alone. Parsing every match's description again to
    rank it took most of a search's time on a large catalog (80 of 110 ms for 2,774 matches
    of 100,000 books); a title match still comes first, and among the rest the most rated."""
    return SearchVector("title", weight="A", config=CONFIG)


# The column in which PostgreSQL keeps ``title_vector()`` of each book, generated from the
# title (migration 0014): the rank reads it rather than parsing every match's title again.
TITLE_DOCUMENT = "title_document"
TITLE_DOCUMENT_SQL = f"setweight(to_tsvector('{CONFIG}'::regconfig, COALESCE(title, '')), 'A')"


class StoredTitleVector(Expression):
    """``title_vector()`` of the query's books, read from the column that stores it."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name(TITLE_DOCUMENT)}", []


def meaningful(words: list[str], using: str) -> list[str]:
    """Of ``words``, those the dictionary keeps: a stop word such as "the" (or punctuation
    alone) leaves no word to match. Looked for on its own, such a word would match no book
    and empty every search it is part of; the word match on SQLite finds "the" in nearly
    every book, so here it narrows nothing either. Asked of the database in one query, so
    that the search itself is a plain join its planner can answer from the indexes."""
    if not words:
        return []
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT numnode(websearch_to_tsquery(%s::regconfig, word)) "
            "FROM unnest(%s::text[]) WITH ORDINALITY AS given(word, place) ORDER BY place",
            [CONFIG, words],
        )
        nodes = [row[0] for row in cursor.fetchall()]
    return [word for word, count in zip(words, nodes, strict=True) if count]


class _AnyOf(Lookup):
    lookup_name = "any_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


def key_among(keys) -> Q:
    """``pk = ANY(ARRAY(keys))`` for a query of ``keys``: the subquery runs once, before the
    rows are read, and the planner can read its keys from the primary key's index as one
    bitmap among others (``IN (subquery)`` is a join instead)."""
    return Q(_AnyOf(F("pk"), ArraySubquery(keys)))
