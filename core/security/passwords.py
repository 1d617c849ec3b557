"""Password hashing with scrypt (Werkzeug's hashlib-backed implementation)."""

from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 8

# A hash nobody's password matches: verifying against it for unknown logins
# costs the same time as for real ones, so timing does not reveal logins.
_DUMMY = generate_password_hash("metodnet-no-such-user", method="scrypt")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash: str | None, password: str) -> bool:
    return check_password_hash(password_hash or _DUMMY, password)


def password_problem(password: str) -> str | None:
    """A Russian explanation of why ``password`` is too weak, or None."""
    if len(password) < MIN_LENGTH:
        return f"Пароль должен содержать не менее {MIN_LENGTH} символов."
    if password.isdigit() or password.isalpha():
        return "Пароль должен содержать и буквы, и цифры или другие символы."
    return None
