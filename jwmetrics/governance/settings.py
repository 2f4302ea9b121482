"""Deployment settings for governance: is sign-in configured, do returns need approval?

Sign-in is configured when the app's Streamlit secrets file (``.streamlit/secrets.toml``
beside ``app.py``, or the file ``JWMETRICS_SECRETS_FILE`` names) has an ``[auth]`` section.
Without it the app runs in single-user local mode. Returns need approval when
``JWMETRICS_REQUIRE_APPROVAL`` is ``1`` (``0`` turns it off); unset, they need it exactly
when sign-in is configured.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

REQUIRE_APPROVAL_ENV = "JWMETRICS_REQUIRE_APPROVAL"
SECRETS_FILE_ENV = "JWMETRICS_SECRETS_FILE"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


def secrets_file() -> Path:
    """Where the Streamlit secrets are read from."""
    named = os.environ.get(SECRETS_FILE_ENV)
    return Path(named) if named else PROJECT_ROOT / ".streamlit" / "secrets.toml"


EXAMPLE_COOKIE_SECRET = "replace-with-64-random-hex-characters"  # .streamlit/secrets.example.toml
MIN_COOKIE_SECRET_CHARS = 43
"""The shortest ``cookie_secret`` accepted: 32 random bytes are 43 characters in base64 and
64 in hex (``python -c "import secrets; print(secrets.token_hex(32))"``). Anyone who knows
the secret can sign a sign-in cookie for any e-mail, so a short or example one is refused."""


def _read_secrets(path: Path) -> tuple[dict[str, object], str | None]:
    """The secrets file as TOML, or an empty table and why it cannot be read: the one read
    both :func:`sign_in_configured` and :func:`sign_in_problem` rest on."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")), None
    except tomllib.TOMLDecodeError as exc:
        return {}, f"The secrets file {path.name} is not valid TOML ({exc}). Fix the file."
    except OSError as exc:
        return {}, f"The secrets file {path.name} cannot be read ({exc.strerror})."


def sign_in_configured() -> bool:
    """True when the secrets file has an ``[auth]`` section (Streamlit's ``st.login``), and
    also when the file exists but cannot be read: a broken file must not open the app to
    everyone as local mode would (:func:`sign_in_problem` says what is wrong)."""
    path = secrets_file()
    if not path.is_file():
        return False
    secrets, unreadable = _read_secrets(path)
    return unreadable is not None or isinstance(secrets.get("auth"), dict)  # fails closed


def cookie_secret() -> str:
    """The ``[auth] cookie_secret`` of the secrets file, or "" when there is none (no file,
    no ``[auth]`` section, or a file that cannot be read)."""
    path = secrets_file()
    if not path.is_file():
        return ""
    auth = _read_secrets(path)[0].get("auth")
    return str(auth.get("cookie_secret") or "") if isinstance(auth, dict) else ""


def sign_in_problem() -> str | None:
    """Why the sign-in settings are not safe to run with, in words an administrator can act
    on, or None: a secrets file that cannot be read as TOML, an ``[auth]`` that is not a
    section, or a ``cookie_secret`` missing, copied from the example or shorter than
    :data:`MIN_COOKIE_SECRET_CHARS`. Never quotes the secret itself."""
    path = secrets_file()
    if not path.is_file():
        return None
    secrets, unreadable = _read_secrets(path)
    if unreadable is not None:
        return unreadable
    auth = secrets.get("auth")
    if auth is None:
        return None
    if not isinstance(auth, dict):
        return f"In {path.name}, auth is not an [auth] section."
    secret = cookie_secret()
    make_one = 'make one with: python -c "import secrets; print(secrets.token_hex(32))"'
    if not secret:
        return f"In {path.name}, [auth] has no cookie_secret; {make_one}."
    if secret == EXAMPLE_COOKIE_SECRET or secret.startswith("replace-with"):
        return f"In {path.name}, cookie_secret is the example's placeholder; {make_one}."
    if len(secret) < MIN_COOKIE_SECRET_CHARS:
        return (
            f"In {path.name}, cookie_secret is {len(secret)} characters; at least "
            f"{MIN_COOKIE_SECRET_CHARS} (32 random bytes) are needed; {make_one}."
        )
    return None


def approval_required() -> bool:
    """True when a committed return waits for an approver before its figures count."""
    setting = os.environ.get(REQUIRE_APPROVAL_ENV)
    if setting is None:
        return sign_in_configured()
    word = setting.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{REQUIRE_APPROVAL_ENV}={setting!r}: expected 1 or 0")
