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


def sign_in_configured() -> bool:
    """True when the secrets file has an ``[auth]`` section (Streamlit's ``st.login``)."""
    path = secrets_file()
    if not path.is_file():
        return False
    try:
        secrets = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return False
    return isinstance(secrets.get("auth"), dict)


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
