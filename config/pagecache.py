"""Whole pages for visitors from the shared cache, never stale after a write.

Visitors (signed out, no message waiting) of the pages ``visitor_page`` wraps are served a
copy of the page from the site's cache (Redis in production, the process's memory on a
developer's machine). The copy is stored under a key versioned by the site's **generation**:
a random token in the same cache, replaced whenever the database is written in a way a page
could show. Nothing is purged: the old copies are simply never asked for again and expire.

What counts as such a write is decided where every write passes, the database connection
(``watch_writes`` puts a wrapper on every connection): any statement that is not a read
(``INSERT``, ``UPDATE``, ``DELETE`` and anything else that is not a ``SELECT``), except writes
to tables no page shows (sessions, the task queue, the admin's log) and a sign-in's
``last_login``. So a rating, a review, a like, an admin's hide, a merge, an import or any write
added later moves the generation without knowing of this cache. A write outside a
transaction moves it at once; one inside moves it when the transaction commits, once however
many statements wrote (a page rendered meanwhile from what the database held before, and
stored, was keyed by the generation read before its queries, and is not served afterwards),
and before that only if the connection that wrote reads the generation itself, for a page
drawn from its own uncommitted rows. A rating is then one cache write, not one per statement.

A single generation for the whole site, rather than a version per book or author, because
it is exact by construction: pages show each other's figures (a rating moves the book page,
the lists, the search, the home page and the author's page; a reader's new name moves every
page with their reviews), and a per-object scheme would need every write, present and future,
to name every page it touches. The cost is that each write empties the cache for every page;
on a site that is read far more than written that still leaves most requests to the cache.

Each copy also carries the code it was rendered by (``release``), so a deploy never serves
pages rendered by the code before it. Pages get an ETag (a request that has it gets a 304)
and ``Cache-Control`` that lets a shared cache keep them for a moment; pages for a signed-in
reader are ``private, no-store``, never stored anywhere. A copy is only stored when the page
set no cookie and used no CSRF token, so nothing of one visitor's can reach another. While
Redis is away (``config.cache.FallbackRedisCache`` answers from each process's memory), pages
are rendered afresh, and a process that wrote meanwhile replaces the generation once it is
back.

A signed-in reader's page is kept whole only for that reader (``_own_page``) or, with the
reader's own parts emptied, for every reader alike (``_readers_page``). A part of a page that
every reader sees alike may also be kept on its own (``fragment_key`` and ``kept_fragment``:
the book page's list of reviews), under the same release and generation. A part drawn only
from the rows it shows (a review's card) may instead be kept under a digest of those rows
(``content_key`` and ``kept_fragments``), which stays right across writes to anything else.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
import uuid
from collections import OrderedDict
from datetime import datetime
from functools import cache as once
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag, urlencode

GENERATION_KEY = "pages:generation"
# A query string longer than this is rendered but not stored: nobody's link is that long,
# and the cache is not to be filled with made-up addresses.
MAX_QUERY_LENGTH = 300
# How long a browser, and a shared cache (a CDN), may keep a visitor's page before asking
# again (with its ETag, which costs the site little).
BROWSER_SECONDS = 10
SHARED_SECONDS = 30

# Statements that only read or steer the connection.
READS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "SET", "SHOW")
READS += ("EXPLAIN", "PRAGMA", "ANALYZE")
WRITTEN_TABLE = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE
)
# Tables no page shows.
UNSHOWN_TABLES = ("django_session", "django_admin_log", "django_tasks")
LAST_LOGIN = re.compile(r'\s*UPDATE\s+"?accounts_user"?\s+SET\s+"?last_login"?\s*=\s*%s\s+WHERE')
# A statement with common table expressions (``WITH … SELECT``) reads, unless one of its
# parts writes: PostgreSQL lets ``WITH`` carry an INSERT, UPDATE, DELETE or MERGE.
WITH = re.compile(r"\s*WITH\b", re.IGNORECASE)
WRITING_WORD = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


def shows(sql: str) -> bool:
    """Whether ``sql`` may change what a page shows."""
    if sql.lstrip()[:9].upper().startswith(READS):
        return False
    if WITH.match(sql):
        return bool(WRITING_WORD.search(sql))
    written = WRITTEN_TABLE.match(sql)
    if written and written.group(1).lower().startswith(UNSHOWN_TABLES):
        return False
    return not LAST_LOGIN.match(sql)


class _Missed:
    """Whether this process wrote while the shared cache was away (see ``_new_generation``)."""

    writes = False


def _cache_is_down() -> bool:
    is_down = getattr(cache, "is_down", None)
    return bool(is_down and is_down())


def _new_generation() -> None:
    """Replace the generation. While Redis is away the cache is each process's own memory,
    where a new generation reaches no other process: pages are then neither served nor
    stored, and the generation is replaced once Redis is back."""
    if not _cache_is_down():
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    _Missed.writes = _cache_is_down()


def generation() -> str:
    connection = connections[DEFAULT_DB_ALIAS]
    if getattr(connection, PENDING, False):
        # This connection wrote in a transaction and reads what it wrote: move it first.
        setattr(connection, PENDING, False)
        if connection.in_atomic_block:
            _new_generation()
    current = cache.get(GENERATION_KEY)
    if current is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        current = cache.get(GENERATION_KEY, "")
    return current


# Set on a connection that wrote in a transaction since the generation last moved.
PENDING = "pagecache_generation_pending"


def pages_changed(connection=None) -> None:
    """Every stored page is out of date: now, for a write outside a transaction; when its
    transaction commits (once, however many statements wrote) for one inside, since no other
    connection sees the write before then. The connection that wrote does: a page it reads
    the generation for before the commit moves it first (``generation``)."""
    connection = connection or connections[DEFAULT_DB_ALIAS]
    if not connection.in_atomic_block:
        _new_generation()
        return
    setattr(connection, PENDING, True)
    if not any(func is _new_generation for _sids, func, _robust in connection.run_on_commit):
        connection.on_commit(_new_generation, robust=True)


def _watch(execute, sql, params, many, context):
    if shows(sql):
        pages_changed(context["connection"])
    return execute(sql, params, many, context)


def _wrap(connection, **_kwargs) -> None:
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def watch_writes() -> None:
    """Have every database connection, open or still to open, move the generation when it
    writes."""
    connection_created.connect(_wrap, dispatch_uid="pagecache-watch-writes")
    for connection in connections.all(initialized_only=True):
        _wrap(connection)


@once
def release() -> str:
    """A digest of the code and templates this process renders with."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for folder in ("config", "books", "reviews", "accounts", "templates"):
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in {".py", ".html"} and "migrations" not in path.parts:
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT or base / "staticfiles") / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]


def fragment_key(name: str, *parts) -> str | None:
    """The cache key of the part of a page ``name`` shows for ``parts`` (a book, a query),
    under the generation of now; ``None`` when no such part may be kept or served.

    A page that keeps a part every reader sees alike reads the key first, before any query
    the part is drawn from: a write meanwhile then leaves the part under a generation nobody
    asks for again, as with whole pages. Nothing is kept while Redis is away (each process's
    memory would not hear of other processes' writes)."""
    if settings.FRAGMENT_CACHE_SECONDS <= 0:
        return None
    if _Missed.writes:
        _new_generation()
    if _Missed.writes or _cache_is_down():
        return None
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"fragments:{release()}:{generation()}:{name}:{digest}"


def query_key(request) -> str | None:
    """The request's query string as a part of a fragment's key: the same whatever the order
    of its parameters; ``None`` (keep nothing) when it is longer than anybody's link."""
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH:
        return None
    return urlencode(sorted(request.GET.lists()), doseq=True)


def kept_fragment(key: str | None, render):
    """What ``render()`` returns (anything the cache can hold), from the cache under ``key``
    when it is there, rendered and kept otherwise; rendered afresh without a key."""
    if key is None:
        return render()
    kept = cache.get(key)
    if kept is None:
        kept = render()
        cache.set(key, kept, settings.FRAGMENT_CACHE_SECONDS)
    return kept


def content_key(name: str, *parts) -> str | None:
    """The cache key of a part of a page drawn from ``parts`` alone (the rows it shows, as
    read), under no generation: the key moves with what the part shows, so a write to
    anything else leaves it right. ``None`` when no part may be kept."""
    if settings.FRAGMENT_CACHE_SECONDS <= 0:
        return None
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"fragments:{release()}:{name}:{digest}"


def kept_fragments(keys: list[str | None], render) -> list:
    """For the i-th of ``keys``, what ``render(i)`` returns: from the cache where it is there,
    rendered otherwise and kept under its key (if it has one), each way in one round trip."""
    kept = cache.get_many([key for key in keys if key is not None])
    rendered = {}
    parts = []
    for i, key in enumerate(keys):
        if key is None:
            parts.append(render(i))
            continue
        if key not in kept:
            kept[key] = rendered[key] = render(i)
        parts.append(kept[key])
    if rendered:
        cache.set_many(rendered, settings.FRAGMENT_CACHE_SECONDS)
    return parts


# The copies of whole pages this process served last, nearer than the shared cache. A copy's
# key names the code and the generation it was rendered under, and the generation is read
# from the shared cache on every request, so a copy found here is the one the shared cache
# holds under that key and another process's write is seen at once. Each copy says until when
# the shared cache keeps it, and is not served past that.
NEAR_COPIES = 64
_near: OrderedDict[str, dict] = OrderedDict()
_near_lock = threading.Lock()


def _remember(key: str, copy: dict) -> None:
    with _near_lock:
        _near[key] = copy
        _near.move_to_end(key)
        while len(_near) > NEAR_COPIES:
            _near.popitem(last=False)


def _stored(key: str) -> dict | None:
    """The copy of a page kept under ``key``: from this process's last copies, else from the
    shared cache (and then remembered here); None when neither has it."""
    with _near_lock:
        copy = _near.get(key)
    if copy is not None and copy["until"] > time.time():
        return copy
    copy = cache.get(key)
    if copy is not None and "until" in copy:
        _remember(key, copy)
    return copy


def _store(key: str, copy: dict, seconds: int) -> None:
    copy["until"] = time.time() + seconds
    cache.set(key, copy, seconds)
    _remember(key, copy)


def forget_near_copies() -> None:
    """Drop this process's copies (the shared cache keeps its own)."""
    with _near_lock:
        _near.clear()


def _key(request, kind: str = "pages") -> str:
    address = f"{request.get_host()} {request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"{kind}:{release()}:{generation()}:{digest}"


def _storable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not response.has_header("Cache-Control")
    )


def _for_visitor(response, etag: str) -> None:
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=BROWSER_SECONDS, s_maxage=SHARED_SECONDS)


def _private(response):
    """``response`` as a page for one reader: varying by cookie, and kept by no browser or
    shared cache unless the view said otherwise."""
    patch_vary_headers(response, ["Cookie"])
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, private=True, no_store=True)
    return response


def _keepable(response) -> bool:
    """Whether a reader's page may be kept: a whole page that set no cookie."""
    return response.status_code == 200 and not response.streaming and not response.cookies


def _fresh(view, request, *args, **kwargs):
    """The page rendered for this request alone, kept by nobody."""
    return _private(view(request, *args, **kwargs))


# The parts of every page that are the reader's own (base.html marks them): the header's
# links (with the reader's name and a CSRF token) and a suspended reader's banner.
READER_PARTS = {
    "nav": "includes/_account_nav.html",
    "banner": "includes/_suspension_banner.html",
}
_READER_PART = re.compile(r"<!--yours:(nav|banner)-->.*?<!--/yours:\1-->", re.DOTALL)


def _without_reader(content: str) -> str:
    """A page with its reader's own parts emptied, as every reader may get it."""
    return _READER_PART.sub(lambda m: f"<!--yours:{m[1]}--><!--/yours:{m[1]}-->", content)


def _with_reader(content: str, request) -> str:
    """A page kept for every reader with the parts of ``request``'s reader put back."""

    def part(match) -> str:
        html = render_to_string(READER_PARTS[match[1]], request=request)
        return f"<!--yours:{match[1]}-->{html}<!--/yours:{match[1]}-->"

    return _READER_PART.sub(part, content)


def _readers_page(view, request, *args, **kwargs):
    """A page that differs between signed-in readers only in the parts base.html marks as
    the reader's own: kept once for every reader, under the generation, with those parts
    rendered per request. A copy that would hold anything else of one reader's (a CSRF token
    outside those parts, a cookie) is not kept."""
    key = _key(request, "reader-pages")
    stored = _stored(key)
    if _Missed.writes or _cache_is_down():
        return _fresh(view, request, *args, **kwargs)
    if stored is not None:
        response = HttpResponse(_with_reader(stored["content"], request), stored["type"])
    else:
        response = view(request, *args, **kwargs)
        if _keepable(response):
            page = response.content.decode()
            content = _without_reader(page)
            marked = set(_READER_PART.findall(page))
            if READER_PARTS.keys() <= marked and "csrfmiddlewaretoken" not in content:
                stored = {"content": content, "type": response["Content-Type"]}
                _store(key, stored, settings.PAGE_CACHE_SECONDS)
    return _private(response)


# What a reader's own page holds of the request rather than of the reader: its forms' CSRF
# token (masked afresh for every response) and how long ago each dated line happened (a
# ``<time datetime=… data-ago>``, told by ``naturaltime``).
_TOKEN_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
TOKEN_MARK = "\x00csrf\x00"  # noqa: S105 - where the token goes, not a token
_AGO = re.compile(r'(<time [^>]*datetime="([^"]+)" data-ago>)[^<]*(</time>)')
# The headers of a reader's page that a kept copy gives back as they were.
OWN_HEADERS = ("Content-Type", "Cache-Control", "Expires")


def _ago(match) -> str:
    return f"{match[1]}{naturaltime(datetime.fromisoformat(match[2]))}{match[3]}"


def _for_request(content: str, request) -> str:
    """A reader's kept page with this request's CSRF token and relative times put in."""
    if TOKEN_MARK in content:
        content = content.replace(TOKEN_MARK, get_token(request))
    if "data-ago>" in content:
        content = _AGO.sub(_ago, content)
    return content


def _own_page(view, request, *args, **kwargs):
    """A page only its reader sees (their home, their feed, a book as they stand with it),
    kept for that reader alone, under the generation and the day (a page may count days, a
    challenge's year turns), and filled per request with what is the request's own
    (``_for_request``). A page that set a cookie is not kept."""
    day = timezone.localdate().isoformat()
    key = _key(request, f"own-pages:{request.user.pk}:{day}")
    stored = _stored(key)
    if _Missed.writes or _cache_is_down():
        return _fresh(view, request, *args, **kwargs)
    if stored is not None:
        response = HttpResponse(_for_request(stored["content"], request))
        for header, value in stored["headers"].items():
            response[header] = value
    else:
        response = view(request, *args, **kwargs)
        if _keepable(response):
            content = _TOKEN_INPUT.sub(rf"\g<1>{TOKEN_MARK}\g<2>", response.content.decode())
            headers = {name: response[name] for name in OWN_HEADERS if response.has_header(name)}
            _store(key, {"content": content, "headers": headers}, settings.PAGE_CACHE_SECONDS)
    return _private(response)


# How ``visitor_page`` serves signed-in readers: each their page rendered afresh (None), one
# copy for every reader with their own header put in ("alike"), or a copy for each ("own").
READER_PAGES = {"alike": _readers_page, "own": _own_page, None: _fresh}


def visitor_page(view=None, *, readers: str | None = None):
    """Serve ``view``'s page to visitors from the cache (see the module's docstring), and to
    signed-in readers as ``readers`` says (``READER_PAGES``): "alike" for a page whose only
    differences between readers are the parts base.html marks as theirs, "own" for a page of
    the reader's own."""
    if view is None:
        return lambda view: visitor_page(view, readers=readers)
    serve_reader = READER_PAGES[readers]

    @wraps(view)
    def page(request, *args, **kwargs):
        seconds = settings.PAGE_CACHE_SECONDS
        if _Missed.writes:
            _new_generation()
        if not (
            seconds > 0
            and request.method in ("GET", "HEAD")
            and not len(messages.get_messages(request))
            and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_LENGTH
        ):
            return _fresh(view, request, *args, **kwargs)
        if request.user.is_authenticated:
            return serve_reader(view, request, *args, **kwargs)
        key = _key(request)
        stored = _stored(key)
        if _Missed.writes or _cache_is_down():
            return _fresh(view, request, *args, **kwargs)
        if stored is None:
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, ["Cookie"])
            if not _storable(request, response):
                patch_cache_control(response, private=True, no_store=True)
                return response
            etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
            stored = {"content": response.content, "type": response["Content-Type"], "etag": etag}
            _store(key, stored, seconds)
        else:
            response = HttpResponse(stored["content"], content_type=stored["type"])
            patch_vary_headers(response, ["Cookie"])
        not_modified = get_conditional_response(request, etag=stored["etag"])
        if not_modified is not None:
            patch_vary_headers(not_modified, ["Cookie"])
            response = not_modified
        _for_visitor(response, stored["etag"])
        return response

    return page
