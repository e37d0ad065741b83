from django import forms
from django.core.exceptions import ValidationError

from reviews.goodreads.library import MAX_FILE_BYTES, LibraryFileError, decode_upload, parse_library


class LibraryImportForm(forms.Form):
    file = forms.FileField(
        label="Goodreads export",
        help_text=(
            "The CSV file Goodreads gives you under My Books, then Import and export, "
            "then Export Library."
        ),
        error_messages={"empty": "The file is empty."},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            # A byte past the limit tells a file that is too large without reading it all.
            text = decode_upload(upload.read(MAX_FILE_BYTES + 1))
            library = parse_library(text)
        except LibraryFileError as error:
            raise ValidationError(str(error), code="refused") from None
        self.cleaned_data["text"] = text
        self.cleaned_data["library"] = library
        return upload
