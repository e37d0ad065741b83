"""Forms and saving for the pictures people upload (covers, author photos, avatars), on top of
config/images.py. Knows no app: a form names the renditions of its model."""

from __future__ import annotations

from django import forms
from django.core.files.storage import default_storage
from django.db import transaction

from . import images


class PictureInput(forms.ClearableFileInput):
    """A file input that offers only the picture types the site takes."""

    def __init__(self, attrs=None):
        super().__init__({"accept": images.ACCEPTED_TYPES, **(attrs or {})})


class PictureFormMixin(forms.Form):
    """Adds ``picture`` (an upload) and ``remove_picture`` to a form, checks the upload
    (config/images.py) and, through ``save_picture``, stores it or removes the old one.

    Subclasses set ``picture_renditions`` (the model's file fields and their widths) and
    ``picture_square`` (crop to a square: faces).
    """

    picture_renditions: tuple[images.Rendition, ...] = ()
    picture_square = False
    picture_label = "Upload a picture"

    picture = forms.FileField(
        required=False,
        widget=PictureInput,
        help_text="A JPEG, PNG or WebP picture of at most 5 MB.",
    )
    remove_picture = forms.BooleanField(required=False, label="Remove the picture")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "picture" in self.fields:
            self.fields["picture"].label = self.picture_label

    def clean_picture(self):
        upload = self.cleaned_data.get("picture")
        if not upload:
            return None
        return images.read_upload(upload)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("picture") is not None and cleaned.get("remove_picture"):
            self.add_error("remove_picture", "Upload a new picture or remove it, not both.")
        return cleaned

    @property
    def picture_changed(self) -> bool:
        return self.cleaned_data.get("picture") is not None or bool(
            self.cleaned_data.get("remove_picture")
        )

    def save_picture(self, instance) -> None:
        """Store or remove ``instance``'s picture as the form asked and save those fields;
        the files it replaced are deleted once the transaction has committed."""
        if not self.picture_changed:
            return
        image = self.cleaned_data.get("picture")
        if image is not None:
            replaced = images.store(
                instance, self.picture_renditions, image, square=self.picture_square
            )
        else:
            replaced = images.clear(instance, self.picture_renditions)
        fields = [rendition.field for rendition in self.picture_renditions]
        if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
            fields.append("updated_at")
        instance.save(update_fields=fields)
        storage = getattr(instance, fields[0]).storage if fields else default_storage
        transaction.on_commit(lambda: images.delete_files(storage, replaced))
