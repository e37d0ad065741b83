"""Both Goodreads formats: a book page copied as text, and a reader's library export (CSV).

``page`` and ``library`` read (and, for the library, write) the formats with plain Python:
text in, frozen dataclasses out, and an error naming the line or row on bad input; ``text``
holds what the two share (decoding, names, ISBNs, dates, counts). ``page_import`` and
``library_import`` write what was read to the database.
"""
