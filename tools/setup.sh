#!/usr/bin/env bash
# Installs everything the addons need to run and be tested: Debian packages,
# PostgreSQL, the Odoo 18.0 source (ODOO_SRC, else cloned from upstream), a
# virtualenv (VENV) with Odoo's requirements and the project's tools, and the
# node formatters of the pre-commit hooks (package.json, into node_modules/).
# Re-runnable: each step is skipped when already done.
source "$(dirname "$0")/common.sh"

APT_PKGS=(postgresql libpq-dev libldap2-dev libsasl2-dev libxml2-dev libxslt1-dev
          libjpeg-dev zlib1g-dev chromium wkhtmltopdf git)
missing=()
for p in "${APT_PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

# node and npm for prettier (the pre-commit hook): Debian's unless some are
# already there (e.g. a NodeSource nodejs, which brings its own npm).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  log "installing Debian packages: nodejs npm"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
fi
ensure_node_tools || warn "the prettier hook will be skipped until node_modules/ is installed"

ensure_postgres

if [ ! -f "$ODOO_SRC/odoo-bin" ]; then
  log "no Odoo source at $ODOO_SRC: cloning 18.0 from $ODOO_UPSTREAM"
  git clone --depth 1 --branch 18.0 "$ODOO_UPSTREAM" "$ODOO_SRC" || {
    warn "could not get Odoo 18.0; put a checkout at ODOO_SRC=$ODOO_SRC and run again"; exit 1; }
fi

stamp="$VENV/.complaint-desk-requirements"
# The recipe's version is part of the stamp: a change below rebuilds the venv.
RECIPE="2: setuptools 80.9 after the build (prefork mode)"
want="$({ cat "$ODOO_SRC/requirements.txt" "$PROJECT_DIR/requirements-dev.txt"; echo "$RECIPE"; } | sha1sum)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  log "building virtualenv $VENV"
  [ -x "$PY" ] || python3 -m venv "$VENV"
  "$PY" -m pip install -q --upgrade pip wheel 'setuptools<75' setuptools_scm
  # cbor2 (an Odoo requirement) needs pkg_resources, gone from recent
  # setuptools: build it against the venv's setuptools<75.
  constraints="$(mktemp)"; echo 'setuptools<75' > "$constraints"
  grep -i '^cbor2' "$ODOO_SRC/requirements.txt" > "$constraints.cbor2" || true
  "$PY" -m pip install -q --no-build-isolation -r "$constraints.cbor2"
  PIP_CONSTRAINT="$constraints" "$PY" -m pip install -q -r "$ODOO_SRC/requirements.txt"
  "$PY" -m pip install -q -r "$PROJECT_DIR/requirements-dev.txt"
  "$PY" -m pip install -q --no-deps -e "$ODOO_SRC"
  # Built: now a setuptools whose pkg_resources finds zope.interface 8 (its
  # distribution name is normalised): gevent 22.10 (Odoo's pin) loads its
  # plugins through pkg_resources when the websocket worker of a prefork
  # server starts; with setuptools<75 that worker crashed at every start.
  # 80.9 is the last line that still ships pkg_resources.
  "$PY" -m pip install -q 'setuptools==80.9.0'
  rm -f "$constraints" "$constraints.cbor2"
  echo "$want" > "$stamp"
fi
odoo_available || { warn "Odoo 18.0 does not import from $PY"; exit 1; }
log "platform ready: Odoo $ODOO_SRC, Python $PY"
