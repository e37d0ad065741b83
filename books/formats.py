"""Book formats as one name each: pages say "paperback", "Broschiert" or "Taschenbuch" for the
same thing. Plain Python, no Django: text in, the canonical name out. The canonical names are
``books.models.Book.Format``'s values."""

# Every spelling seen for a format (compared case-blind, spaces squeezed), by format.
SPELLINGS = {
    "Paperback": (
        "paperback",
        "paper back",
        "softcover",
        "soft cover",
        "trade paperback",
        "broschiert",
        "taschenbuch",
        "kartoniert",
        "broché",
        "tapa blanda",
        "brossura",
        "paperback edition",
    ),
    "Hardcover": (
        "hardcover",
        "hard cover",
        "hardback",
        "hard back",
        "gebundene ausgabe",
        "gebunden",
        "relié",
        "tapa dura",
        "copertina rigida",
        "hardcover edition",
    ),
    "Mass Market Paperback": (
        "mass market paperback",
        "mass-market paperback",
        "mass market",
        "mass market pocket",
    ),
    "Kindle Edition": (
        "kindle edition",
        "kindle",
        "kindle ausgabe",
        "format kindle",
        "edición kindle",
    ),
    "ebook": ("ebook", "e-book", "ebook edition", "digital", "epub", "nook", "nook book"),
    "Audiobook": (
        "audiobook",
        "audio book",
        "audible audio",
        "audible audiobook",
        "audible",
        "audio",
        "hörbuch",
        "audio download",
    ),
    "Audio CD": ("audio cd", "audio-cd", "cd"),
}
CANONICAL = {spelling: name for name, spellings in SPELLINGS.items() for spelling in spellings}


def clean_format(text: str) -> str:
    """The canonical name of the format ``text`` names ("Broschiert" -> "Paperback").

    Text naming no known format is kept, trimmed and with spaces squeezed; when it is all in
    one case ("library binding", "BOARD BOOK") its first letter is made capital and the rest
    small ("Library binding"); mixed case is taken to be meant ("Spiral-bound", "Leather Bound").
    """
    trimmed = " ".join(text.split())
    if not trimmed:
        return ""
    known = CANONICAL.get(trimmed.casefold())
    if known:
        return known
    if trimmed in (trimmed.lower(), trimmed.upper()):
        return trimmed[0].upper() + trimmed[1:].lower()
    return trimmed
