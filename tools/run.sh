#!/usr/bin/env bash
# Sets everything up (tools/setup.sh), makes sure the database complaint_desk
# exists with both addons and their demo data (installs or upgrades them), then
# serves Odoo on http://localhost:8069.  Re-runnable.
source "$(dirname "$0")/common.sh"
bash "$PROJECT_DIR/tools/setup.sh"
DB="${DB:-complaint_desk}"
conf=$(render_config odoo)
modules=$(ls -d "$PROJECT_DIR"/addons/*/__manifest__.py | xargs -n1 dirname | xargs -n1 basename | paste -sd,)
installed=$(psql -d "$DB" -tAc "select string_agg(name, ',') from ir_module_module where state = 'installed' and name in ('$(echo "$modules" | sed "s/,/','/g")')" 2>/dev/null || true)
if [ -z "$(psql -d postgres -tAc "select 1 from pg_database where datname = '$DB'")" ]; then
  log "creating $DB with $modules and demo data (a few minutes)"
  "$PY" "$ODOO_SRC/odoo-bin" -c "$conf" -d "$DB" -i "$modules" --stop-after-init
else
  missing=$(comm -23 <(tr ',' '\n' <<< "$modules" | sort) <(tr ',' '\n' <<< "$installed" | sort) | paste -sd,)
  [ -z "$installed" ] || { log "upgrading $installed in $DB"; "$PY" "$ODOO_SRC/odoo-bin" -c "$conf" -d "$DB" -u "$installed" --stop-after-init; }
  [ -z "$missing" ] || { log "installing $missing in $DB"; "$PY" "$ODOO_SRC/odoo-bin" -c "$conf" -d "$DB" -i "$missing" --stop-after-init; }
fi
log "serving on http://localhost:8069 (login admin / admin; demo users: advisor, service_manager, callback, general_manager; password = login)"
exec "$PY" "$ODOO_SRC/odoo-bin" -c "$conf" -d "$DB" --db-filter="^$DB\$"
