"""The deployment files in ``deploy/`` are valid and say what the README promises.

``deploy/nginx.conf`` must parse (``nginx -t`` with a temporary prefix, as the team smoke
test runs it) and hold the settings a team needs: WebSocket upgrade, stickiness by cookie
(not ``ip_hash``, not nginx Plus's ``sticky``), a fallback to the other process, an upload
limit above the app's 20 MiB, a long read timeout. ``deploy/jwmetrics@.service`` must have
the keys of a template unit per port and pass ``systemd-analyze verify``, and its start
command must be the smoke test's (``scripts/team_stack.py``, ``APP_COMMAND``).

Without nginx the parse test is skipped, except under CI (env var CI set), where it fails;
without systemd-analyze the verify test is skipped.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
UNIT = ROOT / "deploy" / "jwmetrics@.service"
APP_UPLOAD_LIMIT_BYTES = 20 * 1024 * 1024  # JWMETRICS_MAX_UPLOAD_BYTES's default
UNIT_ROOT = "/opt/jwmetrics"  # where the unit expects the repository


def in_ci() -> bool:
    """True when the environment variable CI is set (to anything but ""/0/false/no)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def nginx_binary() -> str:
    """nginx's path; skip the test without it (fail under CI)."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not found:
        reason = "nginx not installed (scripts/install_system_deps.sh installs it)"
        if in_ci():
            pytest.fail(reason + "; CI is set, so this is an error")
        pytest.skip(reason)
    return found


def directives() -> list[str]:
    """The nginx configuration without comments, one directive or block opening a line."""
    text = re.sub(r"#[^\n]*", "", NGINX_CONF.read_text())
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def directive_values(name: str) -> list[str]:
    """The arguments of every ``name`` directive, e.g. ``["21m"]`` for client_max_body_size."""
    prefix = name + " "
    return [line[len(prefix) :].rstrip(";") for line in directives() if line.startswith(prefix)]


def nginx_size_bytes(value: str) -> int:
    """An nginx size ("21m", "512k", "1024") in bytes."""
    number, unit = re.fullmatch(r"(\d+)([kKmMgG]?)", value).groups()  # type: ignore[union-attr]
    return int(number) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit.lower()]


def nginx_seconds(value: str) -> int:
    """An nginx time ("86400s", "1d", "60") in seconds."""
    number, unit = re.fullmatch(r"(\d+)(s|m|h|d)?", value).groups()  # type: ignore[union-attr]
    return int(number) * {None: 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[unit]


def test_nginx_conf_parses_with_a_temporary_prefix(tmp_path: Path) -> None:
    nginx = nginx_binary()
    for sub in ("logs", "temp"):
        (tmp_path / sub).mkdir()
    result = subprocess.run(
        [nginx, "-t", "-p", f"{tmp_path}/", "-e", "logs/error.log", "-c", str(NGINX_CONF)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr and "test is successful" in result.stderr


def test_nginx_conf_passes_websockets_with_a_long_timeout() -> None:
    assert "proxy_http_version 1.1;" in directives()
    assert directive_values("proxy_set_header Upgrade") == ["$http_upgrade"]
    connection = directive_values("proxy_set_header Connection")
    assert connection and connection[0].startswith("$")  # "upgrade" for upgrades, by a map
    assert "default upgrade;" in directives()
    assert [nginx_seconds(v) for v in directive_values("proxy_read_timeout")] == [86400]


def test_nginx_conf_is_sticky_by_cookie_in_open_source_nginx() -> None:
    lines = directives()
    assert not [line for line in lines if line.startswith(("ip_hash", "sticky"))]
    assert 'split_clients "${request_id}" $jwm_new_route {' in lines  # a first visit: at random
    assert "map $cookie_jwm_route $jwm_route {" in lines
    assert [v.split()[0] for v in directive_values("proxy_pass")] == [
        "http://jwmetrics_$jwm_route",
        "http://jwmetrics_$jwm_route",
    ]
    cookie = directive_values("add_header Set-Cookie")
    assert cookie and cookie[0].startswith('"jwm_route=$jwm_served_route; Path=/; HttpOnly')


def test_nginx_conf_falls_back_to_the_other_process() -> None:
    servers = directive_values("server")
    assert "127.0.0.1:8501 max_fails=0" in servers and "127.0.0.1:8502 max_fails=0" in servers
    assert "127.0.0.1:8502 max_fails=0 backup" in servers
    assert "127.0.0.1:8501 max_fails=0 backup" in servers
    assert directive_values("proxy_next_upstream")[0].split()[:2] == ["error", "timeout"]


def test_nginx_upload_limit_covers_the_apps_with_a_margin() -> None:
    streamlit = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    streamlit_limit_bytes = streamlit["server"]["maxUploadSize"] * 1024 * 1024
    (limit,) = [nginx_size_bytes(v) for v in directive_values("client_max_body_size")]
    assert limit > max(streamlit_limit_bytes, APP_UPLOAD_LIMIT_BYTES)
    assert limit <= APP_UPLOAD_LIMIT_BYTES + 5 * 1024 * 1024  # a margin, not "unlimited" (0)


def test_nginx_conf_has_the_health_check_and_the_smoke_tests_ports() -> None:
    assert "location = /_stcore/health {" in directives()
    text = NGINX_CONF.read_text()
    for needle in ("127.0.0.1:8501", "127.0.0.1:8502", "listen 8080;"):
        assert needle in text  # scripts/team_stack.py rewrites these


def unit_keys() -> dict[str, dict[str, list[str]]]:
    """The unit file's keys by section; a key may repeat (systemd allows it)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for raw in UNIT.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
        else:
            key, _, value = line.partition("=")
            current.setdefault(key.strip(), []).append(value.strip())
    return sections


def test_the_smoke_tests_ports_are_put_in_once_whatever_their_digits() -> None:
    """A listen port such as 48501 holds an app port's digits: it must not be rewritten."""
    from scripts.team_stack import NGINX_CONF, render_nginx_conf

    text = render_nginx_conf(NGINX_CONF.read_text(), 18502, 38501, 48501)
    assert "listen 127.0.0.1:48501;" in text
    assert "127.0.0.1:18502 max_fails=0;" in text and "127.0.0.1:38501 max_fails=0 backup" in text


def test_systemd_unit_has_the_required_keys() -> None:
    assert UNIT.name.endswith("@.service")  # a template: one instance per port
    service = unit_keys()["Service"]
    (start,) = service["ExecStart"]  # one start command, on one line
    assert " -m streamlit run " in start and "--server.port %i" in start
    assert "--server.address 127.0.0.1" in start  # only nginx reaches the process
    assert service["Restart"] == ["on-failure"]
    assert service["EnvironmentFile"] == ["/etc/jwmetrics/jwmetrics.env"]
    assert service["User"] and service["User"] != ["root"]
    assert service["WorkingDirectory"] == [UNIT_ROOT]
    assert unit_keys()["Install"]["WantedBy"] == ["multi-user.target"]


def test_systemd_start_command_is_the_smoke_tests() -> None:
    """The unit's ExecStart and scripts/team_stack.py's APP_COMMAND start the app alike."""
    from scripts.team_stack import APP_COMMAND

    (start,) = unit_keys()["Service"]["ExecStart"]
    as_template = start.replace(f"{UNIT_ROOT}/.venv/bin/python", "{python}").replace("%i", "{port}")
    assert as_template == APP_COMMAND


def test_systemd_unit_verifies(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze not installed")
    python = ROOT / ".venv" / "bin" / "python"
    if not python.exists():
        pytest.skip(f"{python} missing (make install-dev)")
    instance = tmp_path / "jwmetrics@8501.service"  # verify needs an instance's name
    instance.write_text(UNIT.read_text().replace(UNIT_ROOT, str(ROOT)))
    result = subprocess.run(
        [analyze, "verify", str(instance)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    problems = [line for line in result.stderr.splitlines() if str(instance) in line]
    assert problems == []  # e.g. "Unknown key 'Retsart' in section [Service], ignoring."


NOTIFY_SERVICE = ROOT / "deploy" / "jwmetrics-notify.service"
NOTIFY_TIMER = ROOT / "deploy" / "jwmetrics-notify.timer"


def test_the_notify_service_and_timer_verify(tmp_path: Path) -> None:
    """The alerts' sender: a oneshot ``notify`` the timer starts (issue 24)."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze not installed")
    python = ROOT / ".venv" / "bin" / "python"
    if not python.exists():
        pytest.skip(f"{python} missing (make install-dev)")
    service = tmp_path / NOTIFY_SERVICE.name
    timer = tmp_path / NOTIFY_TIMER.name
    service.write_text(NOTIFY_SERVICE.read_text().replace(UNIT_ROOT, str(ROOT)))
    timer.write_text(NOTIFY_TIMER.read_text())
    assert "ExecStart=/opt/jwmetrics/.venv/bin/python -m jwmetrics notify" in (
        NOTIFY_SERVICE.read_text()
    )
    assert "Unit=jwmetrics-notify.service" in timer.read_text()
    result = subprocess.run(
        [analyze, "verify", str(service), str(timer)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    problems = [line for line in result.stderr.splitlines() if str(tmp_path) in line]
    assert problems == []
