"""The sign-in settings read from the secrets file: configured or not, and what makes them
unsafe to run with (the app then lets nobody in: dashboard/auth.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jwmetrics.governance.settings import (
    MIN_COOKIE_SECRET_CHARS,
    SECRETS_FILE_ENV,
    sign_in_configured,
    sign_in_problem,
)

GOOD_SECRET = "0123456789abcdef" * 4  # 64 hex characters: 32 bytes


def secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str | None) -> None:
    """Point jwmetrics at a secrets file holding ``text`` (None: no file at all)."""
    path = tmp_path / "secrets.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    monkeypatch.setenv(SECRETS_FILE_ENV, str(path))


def auth(secret: str) -> str:
    return (
        f'[auth]\nredirect_uri = "https://x.example/oauth2callback"\ncookie_secret = "{secret}"\n'
    )


def test_no_file_is_local_mode_with_no_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets(tmp_path, monkeypatch, None)
    assert (sign_in_configured(), sign_in_problem()) == (False, None)


def test_a_file_without_auth_is_local_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secrets(tmp_path, monkeypatch, 'other = "x"\n')
    assert (sign_in_configured(), sign_in_problem()) == (False, None)


def test_a_good_auth_section_is_configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secrets(tmp_path, monkeypatch, auth(GOOD_SECRET))
    assert (sign_in_configured(), sign_in_problem()) == (True, None)


def test_a_file_that_is_not_toml_fails_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unterminated string: configured (so nothing runs as local mode) with a problem."""
    secrets(tmp_path, monkeypatch, auth(GOOD_SECRET).replace(f'{GOOD_SECRET}"', GOOD_SECRET))
    problem = sign_in_problem()
    assert sign_in_configured()
    assert problem is not None and "is not valid TOML" in problem
    assert GOOD_SECRET not in problem


@pytest.mark.parametrize(
    ("secret", "said"),
    [
        ("replace-with-64-random-hex-characters", "the example's placeholder"),
        ("x" * (MIN_COOKIE_SECRET_CHARS - 1), f"{MIN_COOKIE_SECRET_CHARS - 1} characters"),
        ("", "has no cookie_secret"),
    ],
)
def test_a_weak_cookie_secret_is_a_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, secret: str, said: str
) -> None:
    secrets(tmp_path, monkeypatch, auth(secret))
    problem = sign_in_problem()
    assert sign_in_configured() and problem is not None and said in problem


def test_the_shortest_accepted_secret_is_32_bytes_in_base64(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets(tmp_path, monkeypatch, auth("y" * MIN_COOKIE_SECRET_CHARS))
    assert sign_in_problem() is None
