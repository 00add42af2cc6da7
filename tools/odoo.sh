#!/usr/bin/env bash
# Runs odoo-bin from ODOO_SRC with one of config/*.conf, rendered with the
# addons path and the database credentials.
# Usage: tools/odoo.sh CONFIG_NAME [odoo-bin args...]   (CONFIG_NAME: odoo, odoo-test)
source "$(dirname "$0")/common.sh"
conf=$(render_config "$1"); shift
exec "$PY" "$ODOO_SRC/odoo-bin" -c "$conf" "$@"
