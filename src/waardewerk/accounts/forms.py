from django.contrib.auth.forms import AuthenticationForm

from waardewerk.core.forms import UtrechtFormMixin


class LoginForm(UtrechtFormMixin, AuthenticationForm):
    pass
