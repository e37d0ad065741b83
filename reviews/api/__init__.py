"""The public JSON API (``/api/v1/``): interface code over the same QuerySet methods, filters
and services as the pages. ``site`` builds it; each module holds one part of it."""
