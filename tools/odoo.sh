#!/usr/bin/env bash
# Runs odoo-bin from ODOO_SRC with one of config/*.conf, rendered with the
# addons path and the database credentials.
# Usage: tools/odoo.sh CONFIG_NAME [odoo-bin args...]   (CONFIG_NAME: odoo, odoo-test)
source "$(dirname "$0")/common.sh"
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
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  conf=$(render_config "$1"); shift
  exec "$PY" "$ODOO_SRC/odoo-bin" -c "$conf" "$@"
fi
