"""How the site reads uploaded files: none larger than ``UPLOAD_MAX_BYTES``.

``CappedUploadHandler`` comes first in ``FILE_UPLOAD_HANDLERS``, so it is in place however
early the body is read (the NUL-byte middleware reads every form). A request whose
Content-Length is past the cap, with room for the form around the file, is not read at all;
a file that passes the cap while it is read is stopped there, before the bytes past it reach
the handlers that keep them (in memory or in a temporary file). Either way the request is
marked ``upload_too_large`` for the view to say so, and the files are left out.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

# What a multipart body carries besides its file: boundaries, part headers, the CSRF token.
FORM_OVERHEAD_BYTES = 64 * 1024


def too_large(request) -> bool:
    """Whether the request's upload was stopped for passing the cap (reads the body)."""
    request.POST  # noqa: B018  (the handlers run as the body is read)
    return getattr(request, "upload_too_large", False)


class CappedUploadHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.limit = settings.UPLOAD_MAX_BYTES
        self.received = 0

    def _refuse(self) -> None:
        if self.request is not None:
            self.request.upload_too_large = True

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > self.limit + FORM_OVERHEAD_BYTES:
            self._refuse()
            # Nothing of the body is read: no fields, no files.
            return QueryDict(encoding=encoding), MultiValueDict()
        return None

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self._refuse()
            # The rest of the body (within FORM_OVERHEAD_BYTES of the cap, as Content-Length
            # said) is read and dropped, so that the browser gets the answer.
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None
