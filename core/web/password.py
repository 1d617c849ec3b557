"""«Сменить пароль»: one's own password, with the current one, through the same change as
the API's PATCH /users/{id} (core.user_admin.update_account: the rules of a password, the
audit entry, every other session and token ended); this browser is signed in afresh."""

from flask import Blueprint, g, redirect, render_template, request, url_for

from core import user_admin, users
from core.api.users import check_current_password
from core.web.session import login_required, sign_in
from core.web.user_forms import PasswordForm

bp = Blueprint("password_page", __name__, template_folder="templates")


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change():
    posted = request.method == "POST"
    form = PasswordForm(request.form if posted else None)
    if not posted:
        return render_template("users/password.html", form=form, saved=request.args.get("saved"))
    me = g.principal.user
    if form.validate():
        try:
            check_current_password(me, form.current.data)  # the API's rule, failures counted
            user_admin.update_account(me, me, {"password": form.password.data})
        except users.AccountError as error:
            field = form.current if error.field == "current_password" else form.password
            field.errors = [error.message]
        else:
            sign_in(me)
            return redirect(url_for("password_page.change", saved=1))
    return render_template("users/password.html", form=form, saved=None), 422
