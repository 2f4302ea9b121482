"""The team set-up on one machine, for the smoke test and the load bench: a throwaway
PostgreSQL 15 cluster, two app processes and nginx with ``deploy/nginx.conf`` in front.

Why here: ``scripts/team_smoke.py`` (run by ``scripts/run_tests.sh``) and
``bench/team_load.py`` need the same three pieces, started the way the README's "Running it
for a team" says. Everything lives in one temporary directory and is stopped on exit,
whatever happens (each piece is a context manager).

The app's start command is :data:`APP_COMMAND`, the one place to change it (it matches
``ExecStart=`` in ``deploy/jwmetrics@.service``).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
NGINX_CONF = REPO_ROOT / "deploy" / "nginx.conf"
PG_CLUSTER = REPO_ROOT / "scripts" / "pg_cluster.sh"

# ---- the app's start command: change it here only -------------------------------------------
# {python} is this interpreter (the .venv's), {port} the process's port. The working
# directory is the repository root; JWMETRICS_DATABASE_URL comes from the environment.
APP_COMMAND = (
    "{python} -m streamlit run dashboard/server.py --server.address 127.0.0.1 --server.port {port}"
    " --server.headless true --browser.gatherUsageStats false --server.fileWatcherType none"
)
# ----------------------------------------------------------------------------------------------

HEALTH_TIMEOUT_S = 60.0
NGINX_USER = "nobody"  # the user nginx runs as when this script runs as root


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def health(base_url: str) -> str:
    """The body of ``GET /_stcore/health`` ("ok" when healthy), or the error in words."""
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as resp:
            return str(resp.read().decode().strip())
    except (urllib.error.URLError, OSError) as exc:
        return f"error: {exc}"


def tail(path: Path, max_chars: int = 3000) -> str:
    """The end of a log file, for an error message."""
    try:
        return path.read_text(errors="replace")[-max_chars:]
    except OSError:
        return "<no log>"


def stop_group(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    """Send ``sig`` to ``proc``'s own process group, then wait; KILL after 10 s."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@contextlib.contextmanager
def postgres(workdir: Path) -> Iterator[str]:
    """A throwaway PostgreSQL 15 cluster (``scripts/pg_cluster.sh``); yield its URL."""
    cluster = workdir / "pg"
    started = subprocess.run(
        ["bash", str(PG_CLUSTER), "start", str(cluster)], capture_output=True, text=True
    )
    if started.returncode != 0:
        raise RuntimeError(f"pg_cluster.sh start failed:\n{started.stderr}")
    url = started.stdout.strip()
    try:
        yield url
    finally:
        subprocess.run(["bash", str(PG_CLUSTER), "stop", str(cluster)], capture_output=True)


@dataclass
class AppProcess:
    """One running app process: its port, base URL, process and log file."""

    port: int
    proc: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        """The process's own address, without the proxy."""
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        """SIGKILL the process and its children: a crash, not a clean stop."""
        stop_group(self.proc, signal.SIGKILL)


def app_argv(port: int) -> list[str]:
    """:data:`APP_COMMAND` for ``port``, split into arguments."""
    return shlex.split(APP_COMMAND.format(python=shlex.quote(sys.executable), port=port))


def start_app(database_url: str, port: int, workdir: Path) -> AppProcess:
    """Start one app process on ``port`` (not waiting for it); its log goes to ``workdir``."""
    log = workdir / f"app-{port}.log"
    env = {**os.environ, "JWMETRICS_DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            app_argv(port),
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed with its children
        )
    return AppProcess(port, proc, log)


def wait_healthy(app: AppProcess, timeout_s: float = HEALTH_TIMEOUT_S) -> None:
    """Poll the health check until "ok"; raise with the log's end if the process dies."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if app.proc.poll() is not None:
            raise RuntimeError(f"app on {app.port} exited:\n{tail(app.log)}")
        if health(app.url) == "ok":
            return
        time.sleep(0.2)
    raise RuntimeError(f"app on {app.port} not healthy in {timeout_s:.0f} s:\n{tail(app.log)}")


@contextlib.contextmanager
def app_processes(database_url: str, workdir: Path, count: int = 2) -> Iterator[list[AppProcess]]:
    """Start ``count`` app processes at once on free ports; yield them once all are healthy."""
    apps: list[AppProcess] = []
    try:
        for _ in range(count):
            apps.append(start_app(database_url, free_port(), workdir))
        for app in apps:
            wait_healthy(app)
        yield apps
    finally:
        for app in apps:
            stop_group(app.proc)


def render_nginx_conf(text: str, port_a: int, port_b: int, listen_port: int) -> str:
    """``deploy/nginx.conf`` with the app ports 8501/8502 and ``listen 8080`` replaced.

    Fails when a value is missing, so a change to the file that the smoke test would no
    longer exercise is noticed.
    """
    for needle in ("127.0.0.1:8501", "127.0.0.1:8502", "listen 8080;"):
        if needle not in text:
            raise ValueError(f"deploy/nginx.conf no longer contains {needle!r}")
    values = {
        "8501": str(port_a),
        "8502": str(port_b),
        "listen 8080;": f"listen 127.0.0.1:{listen_port};",
    }
    # One pass: a port put in must never be matched again (a listen port of 48501 became
    # "4" + port_a when the app ports were replaced after it).
    return re.sub("8501|8502|listen 8080;", lambda found: values[found.group(0)], text)


def nginx_prefix(workdir: Path) -> Path:
    """A prefix directory for nginx (logs/, temp/), owned by the user nginx runs as."""
    prefix = workdir / "nginx"
    for sub in ("logs", "temp"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        user = pwd.getpwnam(NGINX_USER)
        for path in (prefix, prefix / "logs", prefix / "temp"):
            os.chown(path, user.pw_uid, user.pw_gid)
    return prefix


def nginx_argv(prefix: Path, conf: Path, *extra: str) -> list[str]:
    """The nginx command line for ``conf`` with every relative path under ``prefix``."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    return [nginx, "-p", f"{prefix}/", "-e", "logs/error.log", "-c", str(conf), *extra]


def nginx_user() -> tuple[int | None, int | None]:
    """The uid and gid nginx runs as: :data:`NGINX_USER`'s when this script is root (nginx
    needs no root with a prefix of its own), else None, None (the current user)."""
    if os.geteuid() != 0:
        return None, None
    user = pwd.getpwnam(NGINX_USER)
    return user.pw_uid, user.pw_gid


@contextlib.contextmanager
def nginx(workdir: Path, port_a: int, port_b: int) -> Iterator[str]:
    """nginx with ``deploy/nginx.conf`` for the two app ports; yield the proxy's URL."""
    prefix = nginx_prefix(workdir)
    listen = free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(render_nginx_conf(NGINX_CONF.read_text(), port_a, port_b, listen))
    conf.chmod(0o644)
    out = prefix / "stdout.log"
    uid, gid = nginx_user()
    with out.open("wb") as log:
        proc = subprocess.Popen(
            nginx_argv(prefix, conf, "-g", "daemon off;"),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            user=uid,
            group=gid,
            extra_groups=None if uid is None else [],
        )
    url = f"http://127.0.0.1:{listen}"
    try:
        deadline = time.monotonic() + 15
        while health(url) != "ok":
            if proc.poll() is not None or time.monotonic() > deadline:
                errors = tail(prefix / "logs" / "error.log")
                raise RuntimeError(f"nginx did not start:\n{tail(out)}\n{errors}")
            time.sleep(0.1)
        yield url
    finally:
        stop_group(proc, signal.SIGQUIT)  # nginx's graceful stop
