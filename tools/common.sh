# Shared settings for the project's scripts (sourced, not run).
# Every value can be overridden from the environment.
set -euo pipefail
PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Odoo 18.0 Community source tree (a checkout or export of the 18.0 branch).
ODOO_SRC="${ODOO_SRC:-/opt/odoo-18.0}"
# Virtualenv holding Odoo's requirements and the project's tools.
VENV="${VENV:-/opt/complaint-desk-venv}"
ODOO_UPSTREAM="${ODOO_UPSTREAM:-https://github.com/odoo/odoo.git}"
PGHOST="${PGHOST:-localhost}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-odoo}"
PGPASSWORD="${PGPASSWORD:-odoo}"
export PGHOST PGPORT PGUSER PGPASSWORD
PY="$VENV/bin/python"

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }
warn() { printf '\033[1;33m!!  %s\033[0m\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

odoo_available() {
  [ -x "$PY" ] && [ -f "$ODOO_SRC/odoo-bin" ] &&
    "$PY" -c 'import odoo.release as r; assert r.version_info[:2] == (18, 0)' >/dev/null 2>&1
}

# Start PostgreSQL if it is installed but not running; create the odoo role.
ensure_postgres() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    warn "PostgreSQL is not installed (Debian package postgresql)"; return 1
  fi
  if ! pg_isready -h "$PGHOST" -p "$PGPORT" -q; then
    local ver
    ver=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1)
    [ -n "$ver" ] || { warn "no PostgreSQL cluster found"; return 1; }
    log "starting PostgreSQL $ver"
    as_root pg_ctlcluster "$ver" main start || return 1
    for _ in $(seq 30); do pg_isready -h "$PGHOST" -p "$PGPORT" -q && break; sleep 1; done
  fi
  if ! psql -d postgres -tAc 'select 1' >/dev/null 2>&1; then
    log "creating PostgreSQL role $PGUSER"
    as_root su postgres -c "env -u PGHOST -u PGUSER -u PGPASSWORD -u PGPORT psql -q -c \"CREATE ROLE \\\"$PGUSER\\\" LOGIN CREATEDB PASSWORD '$PGPASSWORD'\"" ||
      { warn "cannot create role $PGUSER"; return 1; }
  fi
}

# Writes .run/NAME.conf: config/NAME.conf plus addons path and credentials.
render_config() {
  local name=$1 out="$PROJECT_DIR/.run/$1.conf"
  mkdir -p "$PROJECT_DIR/.run"
  {
    cat "$PROJECT_DIR/config/$name.conf"
    echo "addons_path = $ODOO_SRC/addons,$PROJECT_DIR/addons"
    echo "db_host = $PGHOST"
    echo "db_port = $PGPORT"
    echo "db_user = $PGUSER"
    echo "db_password = $PGPASSWORD"
    echo "data_dir = $PROJECT_DIR/.run/data"
  } > "$out"
  echo "$out"
}

# Installs the node formatters of package.json (prettier and its XML plugin,
# versions locked in package-lock.json) into node_modules/ with npm ci, once
# per lock file.  Returns 1 (with a warning) when node/npm are missing or npm
# fails; tools/setup.sh installs Debian's nodejs and npm first.
ensure_node_tools() {
  local stamp="$PROJECT_DIR/node_modules/.complaint-desk-lock" want
  want=$(sha1sum < "$PROJECT_DIR/package-lock.json")
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return 0
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    warn "node/npm not found (Debian packages nodejs npm)"; return 1
  fi
  log "installing the node formatters of package.json into node_modules/"
  (cd "$PROJECT_DIR" && npm ci --no-audit --no-fund --loglevel=error) ||
    { warn "npm ci failed"; return 1; }
  echo "$want" > "$stamp"
}
