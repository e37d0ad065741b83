"""Forms a reader fills in about their own account."""

from allauth.account.forms import LoginForm
from django import forms
from django.contrib.auth import get_user_model

from config.pictures import PictureFormMixin

User = get_user_model()

BIO_MAX_LENGTH = 2000


class SignInForm(LoginForm):
    """allauth's sign-in form, in the site's words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Username or e-mail"
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["login"].widget.attrs["autocomplete"] = "username"
        self.fields["password"].widget.attrs.pop("placeholder", None)
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me signed in"


class ProfileForm(PictureFormMixin, forms.ModelForm):
    """The display name, bio and picture a reader shows others."""

    picture_renditions = User.AVATAR_RENDITIONS
    picture_square = True
    picture_label = "Upload a picture"

    bio = forms.CharField(
        required=False,
        max_length=BIO_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"A few words about you and what you read (at most {BIO_MAX_LENGTH:,} "
        "characters).",
    )

    class Meta:
        model = User
        fields = ("display_name", "bio", "profile_visibility")
        labels = {"display_name": "Display name", "profile_visibility": "Who sees your profile"}
        help_texts = {
            "display_name": "Shown instead of your username on your profile and your reviews. "
            "Your username stays your address.",
            "profile_visibility": "Your shelves, ratings, reading and what you do in your "
            "followers' feeds. With followers only, you approve each reader who asks to follow "
            "you; a private profile takes no followers. Your reviews stay on the books' pages.",
        }
        widgets = {"profile_visibility": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A form sent without the choice (an older page) leaves it as it is.
        self.fields["profile_visibility"].required = False

    def clean_profile_visibility(self):
        return self.cleaned_data["profile_visibility"] or self.instance.profile_visibility

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if any(not char.isprintable() for char in name):
            raise forms.ValidationError("Use letters, digits, spaces and punctuation only.")
        return name


class DeleteAccountForm(forms.Form):
    """Deleting an account asks for its password."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password


class AccessTokenForm(forms.Form):
    """A new personal access token: a name to know it by and what it may do."""

    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="What will use it, e.g. “my reading script”.",
    )
    scope = forms.ChoiceField(
        label="It may",
        choices=[
            ("read", "Read: your books, shelves, reading and profile"),
            ("write", "Read and write: also rate, shelve, review, like and import"),
        ],
        initial="read",
        widget=forms.RadioSelect,
    )


class NotificationEmailForm(forms.Form):
    """Which notifications also come by e-mail, gathered in one message per sending."""

    kinds = forms.MultipleChoiceField(
        label="E-mail me when someone",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("like", "likes one of my reviews"),
            ("comment", "comments on one of my reviews"),
            ("reply", "replies to one of my comments"),
            ("follow", "follows me"),
            ("follow_request", "asks to follow me"),
        ],
    )
