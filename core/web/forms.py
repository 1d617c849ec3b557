"""WTForms forms of the pages, carrying the session's CSRF token.

``login_required`` refuses a POST without the token before the view runs; the form
renders it (``{{ form.csrf_token }}``) and checks it again, so a block's form needs
nothing more than to subclass ``PageForm``.
"""

import hmac

from wtforms import Form
from wtforms.csrf.core import CSRF

from core.web.session import csrf_token


class SessionCSRF(CSRF):
    def generate_csrf_token(self, csrf_token_field):
        return csrf_token()

    def validate_csrf_token(self, form, field):
        if not hmac.compare_digest(str(field.data or ""), csrf_token()):
            raise ValueError("Форма устарела, обновите страницу.")


class PageForm(Form):
    class Meta:
        csrf = True
        csrf_class = SessionCSRF
        locales = ("ru_RU", "ru")
