"""Which language a review is written in, decided offline by py3langid."""

import py3langid

# Too little text to tell a language by.
MIN_LETTERS = 12
# The opening of a review tells its language as well as the whole does, and py3langid's time
# grows with the length of what it reads: a long review is judged by its first characters.
SAMPLE_CHARS = 1000


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def detect_language(text: str) -> str:
    """An ISO 639-1 code such as "en", or "" when the text is too short to tell."""
    sample = text[:SAMPLE_CHARS]
    if _letters(sample) < MIN_LETTERS:
        # An opening of figures or symbols: the words, if any, come later.
        if len(text) <= SAMPLE_CHARS or _letters(text) < MIN_LETTERS:
            return ""
        sample = text
    code, _score = py3langid.classify(sample)
    return code
