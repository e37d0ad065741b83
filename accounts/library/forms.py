from django import forms
from django.core.exceptions import ValidationError

from .csv_format import MAX_FILE_BYTES, LibraryFileError, decode_upload, parse_library


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
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(
                f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB.", code="size"
            )
        try:
            text = decode_upload(upload.read())
            library = parse_library(text)
        except LibraryFileError as error:
            raise ValidationError(str(error), code="not_an_export") from None
        self.cleaned_data["text"] = text
        self.cleaned_data["library"] = library
        return upload
