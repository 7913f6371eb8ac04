from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    """Email and password. Long passphrases are welcome (no upper limit below 4,096)."""

    username = forms.EmailField(label="Email address", max_length=254)
    password = forms.CharField(label="Password", strip=False, max_length=4096, widget=forms.PasswordInput)

    error_messages = {
        "invalid_login": "Enter a correct email address and password. Both are case-sensitive.",
        "inactive": "This account has been closed. Ask your school's office or trust administrator.",
    }

    def clean_username(self):
        return self.cleaned_data["username"].lower()


class CodeForm(forms.Form):
    code = forms.CharField(label="Security code", max_length=20)

    def __init__(self, *args, check=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check
        self.device = None

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit():
            raise forms.ValidationError("Enter the code using only the numbers 0 to 9.")
        self.device = self.check(code)
        if self.device is None:
            raise forms.ValidationError(
                "That code did not work. Check you are using the newest code, which changes every 30 seconds."
            )
        return code


class NextForm(forms.Form):
    """The page to go on to after signing in (posted with the form); `lib.urls.safe_next` checks it stays here."""

    next = forms.CharField(required=False, max_length=2000)


class LanguageForm(forms.Form):
    """J8: English or Cymraeg, and the page to go back to."""

    language = forms.ChoiceField(choices=[("en-gb", "English"), ("cy", "Cymraeg")])
    next = forms.CharField(required=False, max_length=2000)


class SchoolAccountForm(forms.Form):
    """The email address typed on the sign-in page and the school account chosen ("Sign in with Microsoft")."""

    username = forms.EmailField(label="Email address", max_length=254, error_messages={
        "required": "Enter your work email address, then choose how to sign in.",
        "invalid": "Enter your work email address, like name@school.sch.uk.",
    })
    provider = forms.ChoiceField(choices=[("microsoft", "Microsoft"), ("google", "Google")])

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()

    def first_error(self):
        for errors in self.errors.values():
            return errors[0]
        return ""


class ForgottenPasswordForm(forms.Form):
    """The email address of an account whose password was forgotten."""

    email = forms.EmailField(label="Email address", max_length=254, error_messages={
        "required": "Enter the email address you sign in with.",
        "invalid": "Enter your email address, like name@school.sch.uk.",
    })

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
