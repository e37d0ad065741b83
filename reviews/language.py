"""Which language a review is written in, decided offline by py3langid."""

import py3langid

# Too little text to tell a language by.
MIN_LETTERS = 12


def detect_language(text: str) -> str:
    """An ISO 639-1 code such as "en", or "" when the text is too short to tell."""
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        return ""
    code, _score = py3langid.classify(text)
    return code
