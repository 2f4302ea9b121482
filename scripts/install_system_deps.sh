#!/usr/bin/env bash
# Install the non-Python dependencies of the browser tests, idempotently:
#   - Debian's chromium (Playwright's own browser download cannot be used here) + fonts,
#     and poppler-utils (pdftotext) to read the PDF briefing packs back,
#   - node_modules/axe-core (accessibility checks), from package-lock.json,
#   - nginx, for the team smoke test (scripts/team_smoke.py runs deploy/nginx.conf).
# Quiet on success; on failure the captured output of the failing step is printed to stderr.
# Needs root for apt-get (as on the dev machines and in CI).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DEBIAN_FRONTEND=noninteractive

# Run a command with its output captured; show the output only if it fails.
quiet() {
    local out rc=0
    out="$(mktemp)"
    "$@" >"$out" 2>&1 || rc=$?
    if [[ $rc -ne 0 ]]; then
        echo "install_system_deps.sh: '$*' failed (exit $rc):" >&2
        cat "$out" >&2
    fi
    rm -f "$out"
    return "$rc"
}

install_chromium() {
    # chromium: the browser tests, and the PDF briefing packs it prints;
    # poppler-utils: pdftotext and pdftoppm, with which the tests read those PDFs back.
    [[ -x /usr/bin/chromium && -x /usr/bin/pdftotext ]] && return 0
    command -v apt-get >/dev/null 2>&1 \
        || { echo "install_system_deps.sh: chromium or pdftotext missing and no apt-get" >&2; return 1; }
    quiet apt-get update
    quiet apt-get install -y chromium fonts-dejavu-core fonts-liberation poppler-utils
}

install_axe() {
    [[ -f "$REPO_ROOT/node_modules/axe-core/axe.min.js" ]] && return 0
    command -v npm >/dev/null 2>&1 \
        || { echo "install_system_deps.sh: npm not found (apt-get install nodejs npm)" >&2; return 1; }
    cd "$REPO_ROOT"
    if [[ -f package-lock.json ]]; then
        quiet npm ci --no-audit --no-fund
    else
        quiet npm install --no-audit --no-fund
    fi
}

install_nginx() {
    # nginx: the team smoke test runs its own nginx, unprivileged, from a temporary prefix.
    [[ -x /usr/sbin/nginx ]] && return 0
    command -v apt-get >/dev/null 2>&1 \
        || { echo "install_system_deps.sh: nginx missing and no apt-get" >&2; return 1; }
    quiet apt-get update
    quiet apt-get install -y nginx
    # Debian starts the packaged site on port 80 where systemd runs; the tests need only the
    # binary, so a service this script brought up is stopped and disabled again.
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nginx 2>/dev/null; then
        quiet systemctl disable --now nginx
    fi
}

install_chromium
install_axe
install_nginx
