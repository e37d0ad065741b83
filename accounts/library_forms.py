from django import forms
from django.core.exceptions import ValidationError

from reviews.goodreads.library import MAX_FILE_BYTES, LibraryFileError, check_export, decode_upload


class LibraryImportForm(forms.Form):
    """A Goodreads export to import. Only its size, encoding and header are checked here; the
    rows are read by the task that imports them.

    ``refusal``: why the upload is refused before its file was read (too large, too many
    imports in the last hour); the form then shows that as the file's only error.
    """

    file = forms.FileField(
        label="Goodreads export",
        help_text=(
            "The CSV file Goodreads gives you under My Books, then Import and export, "
            "then Export Library."
        ),
        error_messages={"empty": "The file is empty."},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, refusal: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.refusal = refusal
        if refusal:
            self.fields["file"].required = False

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if self.refusal:
            raise ValidationError(self.refusal, code="refused")
        try:
            # A byte past the limit tells a file that is too large without reading it all.
            text = decode_upload(upload.read(MAX_FILE_BYTES + 1))
            check_export(text)
        except LibraryFileError as error:
            raise ValidationError(str(error), code="refused") from None
        self.cleaned_data["text"] = text
        return upload
