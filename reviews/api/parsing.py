"""How the API reads a request's JSON body."""

from ninja.parser import Parser

from .errors import ApiError

NUL = "\x00"


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


class JsonParser(Parser):
    """JSON bodies as the site takes form fields: no text may hold a NUL character (the
    database refuses it), and a body that is not JSON is a 400 in the error shape."""

    def parse_body(self, request):
        try:
            data = super().parse_body(request)
        except (ValueError, UnicodeDecodeError):
            raise ApiError(400, "The body is not JSON.") from None
        if _holds_nul(data):
            raise ApiError(400, "Text in the body holds a NUL character.")
        return data
