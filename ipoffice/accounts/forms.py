from django import forms
from django.utils.translation import gettext_lazy as _


class RegistrationForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)
    credit_code = forms.CharField(label=_("Unified social credit code of your entity"), max_length=18)
    note = forms.CharField(label=_("Your position (for the officer who confirms)"), max_length=300, required=False)
